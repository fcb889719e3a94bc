"""The history's pictures as plain data and text, for `coach stats` and the app's History
screen: the weekly pre-session trend (one line a week, gaps shown) and a calendar of
practice days (a contribution calendar: a column a week, a row a weekday). No Textual.

The inputs are coach.stats's `WeekTrend` (every week present, `rated` 0 for a week without
a pre-rating) and `PracticeDay` (the days with sessions). Dates are written for people
("3 Aug", "3 Aug 2026"), never as ISO week numbers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from coach.stats import PracticeDay, WeekTrend, week_start

# The calendar's marks, told apart by shape (readable without colour): no session, a
# session that did not count (partly done or stopped), a day with a completed session.
DAY_NONE, DAY_SOME, DAY_DONE = "·", "○", "●"
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# The weekday labels of the calendar's rows, and the cells a week's column takes.
CALENDAR_LABEL = 4
CALENDAR_CELL = 2


def week_label(monday: date, *, year: bool = False) -> str:
    """A week as people name it, by its Monday: "3 Aug", or "3 Aug 2026" with `year`."""
    return f"{monday.day} {monday:%b}" + (f" {monday.year}" if year else "")


def trend_points(weeks: Sequence[WeekTrend]) -> list[tuple[int, float, int]]:
    """(position in `weeks`, median pre-rating 0-10, ratings behind it) of each week with
    a pre-rating; the weeks without one are left out, so a chart shows them as gaps."""
    return [(i, w.median_pre, w.rated) for i, w in enumerate(weeks) if w.median_pre is not None and w.rated]


def trend_segments(weeks: Sequence[WeekTrend]) -> list[list[tuple[int, float]]]:
    """The runs of consecutive weeks with a pre-rating, each a list of (position, median):
    lines are drawn within a run and never across an empty week."""
    runs: list[list[tuple[int, float]]] = []
    previous = -2
    for position, median, _rated in trend_points(weeks):
        if position != previous + 1 or not runs:
            runs.append([])
        runs[-1].append((position, median))
        previous = position
    return runs


def tick_positions(count: int, width: int, label_width: int = 7) -> list[int]:
    """Which of `count` evenly spread weeks get a date label on an axis `width` cells wide,
    so that labels of `label_width` cells never touch: every k-th week from the last one
    (the current week is always labelled), oldest first."""
    if count <= 0:
        return []
    per_week = max(width, 1) / count
    step = max(1, math.ceil((label_width + 2) / per_week))
    return sorted(range(count - 1, -1, -step))


def trend_lines(weeks: Sequence[WeekTrend], *, bar: str = "█", dash: str = "–") -> list[str]:
    """The weekly trend as text, one line a week, oldest first: the Monday, a bar of the
    median pre-rating (two cells a point), the median and the number of sessions rated
    that week; a week without ratings says so (a gap, never left out). Fits 80 columns."""
    lines = []
    show_year = len({w.week_start.year for w in weeks}) > 1
    for w in weeks:
        label = week_label(w.week_start, year=show_year)
        width = 11 if show_year else 6
        if w.median_pre is None or not w.rated:
            lines.append(f"  {label:>{width}}  {dash:<20}  {dash:>4}  no ratings")
            continue
        cells = bar * round(w.median_pre * 2)
        median = f"{w.median_pre:g}"
        lines.append(f"  {label:>{width}}  {cells:<20}  {median:>4}  n={w.rated}")
    return lines


@dataclass(frozen=True)
class CalendarCell:
    """One day of the practice calendar: its date, sessions and completed ones (0 for a
    day without sessions), and whether it lies after `today` (not drawn)."""

    day: date
    sessions: int
    completed: int
    future: bool

    @property
    def mark(self) -> str:
        """The day's mark: DAY_DONE, DAY_SOME, DAY_NONE, or a space for a future day."""
        if self.future:
            return " "
        if self.completed:
            return DAY_DONE
        return DAY_SOME if self.sessions else DAY_NONE


def calendar_weeks(days: Iterable[PracticeDay], today: date, weeks: int) -> list[list[CalendarCell]]:
    """The last `weeks` calendar weeks up to `today`'s, oldest first, each the seven days
    Monday to Sunday (days after `today` marked `future`). Cost: the days given."""
    weeks = max(1, weeks)
    first = week_start(today) - timedelta(weeks=weeks - 1)
    known = {d.day: d for d in days if first <= d.day <= today}
    out = []
    for column in range(weeks):
        monday = first + timedelta(weeks=column)
        week = []
        for offset in range(7):
            day = monday + timedelta(days=offset)
            found = known.get(day)
            week.append(
                CalendarCell(day, found.sessions if found else 0, found.completed if found else 0,
                             future=day > today)
            )
        out.append(week)
    return out


def calendar_columns(width: int, most: int = 26) -> int:
    """How many weeks a calendar `width` cells wide shows (at most `most`, at least 1)."""
    return max(1, min(most, (width - CALENDAR_LABEL) // CALENDAR_CELL))


def month_line(columns: Sequence[Sequence[CalendarCell]]) -> str:
    """The calendar's top line: a month's short name over the first week that starts in
    it (and over the first column), never two names touching."""
    cells = [" "] * (len(columns) * CALENDAR_CELL + 4)
    last_end = -1
    previous_month = None
    for index, week in enumerate(columns):
        monday = week[0].day
        if monday.month != previous_month:
            previous_month = monday.month
            at = index * CALENDAR_CELL
            name = f"{monday:%b}"
            if at > last_end:
                cells[at : at + len(name)] = name
                last_end = at + len(name)
    return (" " * CALENDAR_LABEL + "".join(cells)).rstrip()


def calendar_lines(days: Iterable[PracticeDay], today: date, weeks: int) -> list[str]:
    """The practice calendar as text: the months, then a line a weekday (Mon to Sun), a
    column a week, each day marked by shape (DAY_DONE completed, DAY_SOME a session that
    did not count, DAY_NONE none), and a legend."""
    columns = calendar_weeks(days, today, weeks)
    lines = [month_line(columns)]
    for row, name in enumerate(WEEKDAYS):
        marks = " ".join(week[row].mark for week in columns)
        lines.append(f"{name:<{CALENDAR_LABEL}}{marks}".rstrip())
    lines.append(f"{DAY_DONE} completed session  {DAY_SOME} sessions, none completed  {DAY_NONE} none")
    return lines


def calendar_summary(days: Iterable[PracticeDay], today: date, weeks: int) -> str:
    """One line under the calendar: practice days and completed days in the weeks shown."""
    columns = calendar_weeks(days, today, weeks)
    cells = [cell for week in columns for cell in week if not cell.future]
    practised = sum(1 for cell in cells if cell.sessions)
    completed = sum(1 for cell in cells if cell.completed)
    return (
        f"{practised} of {len(cells)} days with a session, {completed} with a completed one "
        f"(since {week_label(columns[0][0].day, year=True)})"
    )
