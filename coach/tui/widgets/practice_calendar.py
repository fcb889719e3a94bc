"""The practice calendar: the last weeks that fit (at most half a year), a column a week
and a row a weekday, like a contribution calendar. Each day is marked by shape, so it
reads without colour (coach.history_figures: ● a completed session, ○ sessions none of
which counted, · none); colour only adds to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from textual.content import Content
from textual.widget import Widget

from coach.history_figures import (
    CALENDAR_LABEL,
    DAY_DONE,
    DAY_NONE,
    DAY_SOME,
    WEEKDAYS,
    calendar_columns,
    calendar_summary,
    calendar_weeks,
    month_line,
)
from coach.stats import PracticeDay

STYLE = {DAY_DONE: "$success", DAY_SOME: "$warning", DAY_NONE: "$text-muted", " ": ""}


class PracticeCalendar(Widget):
    """Days with sessions (coach.stats.PracticeDay) as of `today`."""

    DEFAULT_CSS = """
    PracticeCalendar { height: auto; width: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.days: list[PracticeDay] = []
        self.today: date | None = None

    def show(self, days: Sequence[PracticeDay], today: date) -> None:
        self.days, self.today = list(days), today
        self.refresh(layout=True)

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return 10

    def render(self) -> Content:
        if self.today is None:
            return Content.styled("Reading…", "$text-muted")
        weeks = calendar_columns(self.size.width or 80)
        columns = calendar_weeks(self.days, self.today, weeks)
        lines = [Content.styled(month_line(columns), "$text-muted")]
        for row, name in enumerate(WEEKDAYS):
            parts: list[tuple[str, str] | str] = [(f"{name:<{CALENDAR_LABEL}}", "$text-muted")]
            for index, week in enumerate(columns):
                mark = week[row].mark
                parts.append((mark, STYLE[mark]))
                if index < len(columns) - 1:
                    parts.append(" ")
            lines.append(Content.assemble(*parts))
        lines.append(Content.styled(
            f"{DAY_DONE} a completed session   {DAY_SOME} sessions, none completed   {DAY_NONE} none",
            "$text-muted"))  # fmt: skip
        lines.append(Content(calendar_summary(self.days, self.today, weeks)))
        return Content("\n").join(lines)
