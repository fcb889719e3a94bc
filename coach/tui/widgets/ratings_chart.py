"""Pre and post ratings over time: two bar rows, one column per session, oldest on the left.

Each bar is two cells tall (16 levels for 0-10). A skipped rating is a dim dot. When there
are more sessions than columns, the most recent ones are shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.content import Content
from textual.widget import Widget

LEVELS = " ▁▂▃▄▅▆▇█"
LABEL = 8  # "before  "


@dataclass(frozen=True)
class Point:
    day: str  # YYYY-MM-DD, for the axis
    pre: int | None
    post: int | None


def bar_rows(value: int | None, rows: int = 2) -> list[str]:
    """The cells of one bar, top row first: `rows` cells tall, 8 levels per cell."""
    if value is None:
        return [" "] * (rows - 1) + ["·"]
    eighths = round(value / 10 * rows * 8)
    cells = []
    for row in range(rows):  # bottom first
        fill = max(0, min(8, eighths - row * 8))
        cells.append(LEVELS[fill] if fill else ("▁" if row == 0 and value == 0 else " "))
    return cells[::-1]


class RatingsChart(Widget):
    DEFAULT_CSS = """
    RatingsChart {
        height: 6;
        width: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.points: list[Point] = []

    def show(self, points: Sequence[Point]) -> None:
        self.points = list(points)
        self.refresh()

    def render(self) -> Content:
        if not self.points:
            return Content.styled("No ratings yet: the chart fills in as you rate your sessions.",
                                  "$text-muted")  # fmt: skip
        width = max(1, self.size.width - LABEL)
        # One column per session with a gap when there is room, else packed.
        step = 2 if len(self.points) * 2 <= width else 1
        shown = self.points[-(width // step):]
        lines: list[Content] = []
        pre = [bar_rows(p.pre) for p in shown]
        post = [bar_rows(p.post) for p in shown]
        for name, style, rows in (("before", "$warning", pre), ("after", "$success", post)):
            for row in range(2):
                label = f"{name:<{LABEL}}" if row == 1 else " " * LABEL
                cells = (" " * (step - 1)).join(r[row] for r in rows)
                lines.append(Content.assemble((label, "$text-muted"), (cells, style)))
        first, last = shown[0].day, shown[-1].day
        axis_width = len(shown) * step - (step - 1)
        if first == last:
            axis = first
        elif axis_width >= len(first) + len(last) + 2:
            axis = first + " " * (axis_width - len(first) - len(last)) + last
        else:
            axis = f"{first} to {last}"
        lines.append(Content.assemble(" " * LABEL, (axis, "$text-muted")))
        lines.append(Content.styled("ratings 0-10, oldest left; a dot is a skipped rating", "$text-muted"))
        return Content("\n").join(lines)
