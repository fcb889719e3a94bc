"""A one-line progress bar with a label and a figure, redrawn only when what it shows changes.

It moves in whole cells: a step of a minute across 70 cells changes about once a second,
so the progress bars cost next to nothing while the pacer redraws ten times a second.
"""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

EIGHTHS = " ▏▎▍▌▋▊▉█"


def bar_cells(fraction: float, width: int) -> str:
    """`width` cells filled to `fraction`, in eighths of a cell for smooth movement."""
    fraction = min(1.0, max(0.0, fraction))
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full
    if full < width:
        text += EIGHTHS[part] + " " * (width - full - 1)
    return text


class Bar(Widget):
    DEFAULT_CSS = """
    Bar {
        height: 1;
        width: 1fr;
    }
    """

    def __init__(
        self, label: str, *, figure_width: int = 9, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.label = label
        self.figure_width = figure_width  # the same for bars stacked together, so they align
        self._fraction = 0.0
        self._figure = ""
        self._shown: tuple[int, str, int] | None = None

    def set(self, fraction: float, figure: str) -> None:
        """Only repaint when the drawn bar (to a whole cell) or the figure changes."""
        width = self._bar_width()
        cells = int(min(1.0, max(0.0, fraction)) * width)
        self._fraction = cells / width
        self._figure = figure
        key = (cells, figure, width)
        if key != self._shown:
            self._shown = key
            self.refresh()

    def _bar_width(self) -> int:
        return max(1, self.size.width - len(self.label) - max(self.figure_width, len(self._figure)) - 2)

    def on_resize(self) -> None:
        self._shown = None
        self.refresh()

    def render(self) -> Content:
        width = self._bar_width()
        return Content.assemble(
            (self.label, "$text-muted"),
            " ",
            (bar_cells(self._fraction, width), "$accent on $panel"),
            " ",
            (self._figure.rjust(self.figure_width), "bold"),
        )
