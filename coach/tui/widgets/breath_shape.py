"""The breathing shape: a disc that grows with the inhale, stays full through the hold and
shrinks with the exhale (as Breathly's circle does), drawn inside a faint disc of its full
size so the person sees how far the breath has to go.

It is drawn in half-cells (`▀`/`▄`): a terminal cell is about twice as tall as it is wide,
so a half-cell is close to square and the disc reads as round. It fills the space it is
given (the player's stage) and takes its size from `fullness`, which the screen computes
from the session's clock; it counts nothing itself. Reduced motion does not use it (the
screen hides it and shows the pacer's still map instead).
"""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

# How full the lungs are at the end of an inhale when a top-up follows it (cyclic sighing:
# the top-up takes the last fifth).
TOP_UP_FROM = 0.8
# The disc never shrinks below this share of its full radius: an empty disc would vanish
# and leave nothing to watch during a hold after the exhale.
SMALLEST = 0.25

FILL_STYLE = "$accent"
PAUSED_STYLE = "$panel-lighten-3"  # a paused breath is not one to follow
ROOM_STYLE = "$panel"


def fullness(breath: str, progress: float, has_top_up: bool) -> float:
    """How full the breath is, 0-1, at `progress` (0-1) through a phase `breath` (inhale,
    top-up, hold, exhale, hold-out); `has_top_up`: the pattern tops up after its inhale."""
    progress = min(1.0, max(0.0, progress))
    if breath == "inhale":
        return progress * (TOP_UP_FROM if has_top_up else 1.0)
    if breath == "top-up":
        return TOP_UP_FROM + (1 - TOP_UP_FROM) * progress
    if breath == "hold":
        return 1.0
    if breath == "exhale":
        return 1.0 - progress
    return 0.0  # hold-out


def disc_rows(width: int, height: int, level: float) -> list[list[tuple[int, int]]]:
    """The shape as `height` rows of `width` cells, each (top, bottom) half-cell kinds:
    0 outside, 1 inside the full-size disc only, 2 inside the disc at `level` (0-1)."""
    full = max(0.0, min(width / 2, float(height)) - 0.25)  # radius in half-cells
    radius = full * (SMALLEST + (1 - SMALLEST) * min(1.0, max(0.0, level)))
    cx, cy = width / 2, float(height)  # the centre, in half-cells (2 per row)
    rows: list[list[tuple[int, int]]] = []
    for row in range(height):
        cells = []
        for column in range(width):
            dx = column + 0.5 - cx
            halves = []
            for half in (0, 1):
                dy = 2 * row + half + 0.5 - cy
                distance = (dx * dx + dy * dy) ** 0.5
                halves.append(2 if distance <= radius else 1 if distance <= full else 0)
            cells.append((halves[0], halves[1]))
        rows.append(cells)
    return rows


def _cell(top: int, bottom: int, styles: dict[int, str]) -> tuple[str, str]:
    """One cell's character and style from its two halves."""
    if top == bottom:
        return (" ", "") if top == 0 else ("█", styles[top])
    if top == 0:
        return "▄", styles[bottom]
    if bottom == 0:
        return "▀", styles[top]
    return "▀", f"{styles[top]} on {styles[bottom]}"


class BreathShape(Widget):
    """A disc sized by `show(level)`, 0 (empty lungs: smallest) to 1 (full: the whole room).

    Repaints only when the drawn radius changes by a quarter of a half-cell or more."""

    DEFAULT_CSS = """
    BreathShape {
        width: 1fr;
        height: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.level = 0.0
        self.paused = False
        self._shown: tuple[int, int, int, bool] | None = None

    def show(self, level: float, *, paused: bool = False) -> None:
        """Draw the disc at `level` (0-1; see `fullness`), greyed while `paused`."""
        self.level = min(1.0, max(0.0, level))
        self.paused = paused
        width, height = self.size.width, self.size.height
        key = (width, height, round(self.level * min(width / 2, height) * 4), paused)
        if key != self._shown:
            self._shown = key
            self.refresh()

    def render(self) -> Content:
        width, height = self.size.width, self.size.height
        if width <= 0 or height <= 0:
            return Content("")
        styles = {1: ROOM_STYLE, 2: PAUSED_STYLE if self.paused else FILL_STYLE}
        lines: list[Content] = []
        for cells in disc_rows(width, height, self.level):
            parts: list[tuple[str, str]] = []
            for top, bottom in cells:
                char, style = _cell(top, bottom, styles)
                if parts and parts[-1][1] == style:
                    parts[-1] = (parts[-1][0] + char, style)
                else:
                    parts.append((char, style))
            lines.append(Content.assemble(*((text, style) if style else text for text, style in parts)))
        return Content("\n").join(lines)
