"""What helped most: the routines ranked by the median change of their rated completed
sessions (lowest, i.e. calmest, first), each with the number of sessions behind it; only
routines with at least coach.stats.HELPED_MIN_RATED of them (fewer say too little). Below
it, every routine's own figures (completed of all sessions, minutes, median, rated).

Numbers are never cut: each figure's column is as wide as its widest value (and its
label), and the routine's title takes what is left, cut with "…" (`fit`). When even the
figures do not fit, their short labels are used, then the least needed figures are left
out whole (a column left out says nothing wrong; a cut number does: "141" for 14118).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual.events import Resize
from textual.widgets import DataTable

from coach.stats import RoutineStats
from coach.text import visible

# The title's column never narrower than this while a figure can be left out instead.
TITLE_MIN = 12
# Cells of padding DataTable puts on either side of every column (its `cell_padding`).
PADDING = 1


def points(value: float | None) -> str:
    """A median or quartile of changes, exactly as `coach stats` shows it (0, +1.5, −2.25)."""
    if value is None:
        return "–"
    text = f"{abs(round(value, 2)):g}"
    return ("−" if value < 0 else "+" if value > 0 else "") + text


@dataclass(frozen=True)
class Figure:
    """A column of numbers: its label, a shorter label for narrow tables, and when it is
    left out if the table is too narrow for every figure (0: never; higher: sooner)."""

    label: str
    short: str
    drop: int = 0


def fit(
    width: int, figures: Sequence[Figure], rows: Sequence[Sequence[str]]
) -> tuple[list[tuple[int, str, int]], int]:
    """The figure columns of a table `width` cells wide (padding included) with a title
    column: ([(index in `figures`, label, cells)], the title's cells). Every figure shown
    is as wide as its label and its widest value in `rows` (row[i] is figure i's text);
    the title takes the rest. When that leaves the title less than TITLE_MIN, the short
    labels are tried, then figures are left out (highest `drop` first). The title may be
    narrower than TITLE_MIN (at least 1) only when no figure can be left out."""
    shown = list(range(len(figures)))
    while True:
        for short in (False, True):
            columns = []
            for i in shown:
                label = figures[i].short if short else figures[i].label
                cells = max([cell_len(label), *(cell_len(row[i]) for row in rows)])
                columns.append((i, label, cells))
            title = width - sum(cells + 2 * PADDING for _, _, cells in columns) - 2 * PADDING
            if title >= TITLE_MIN:
                return columns, title
        droppable = [i for i in shown if figures[i].drop]
        if not droppable:
            return columns, max(1, title)
        shown.remove(max(droppable, key=lambda i: figures[i].drop))


class FigureTable(DataTable[str | Text]):
    """A table of a title and figures per row, laid out by `fit` for its width (again on
    every change of width). Subclasses name TITLE, FIGURES and `cells_of` for a row."""

    TITLE = "Routine"
    FIGURES: tuple[Figure, ...] = ()
    # Where the title's column stands among the figures' (0: first).
    TITLE_AT = 0

    DEFAULT_CSS = """
    FigureTable { overflow: hidden hidden; scrollbar-size: 0 0; max-height: 1000; }
    """

    def __init__(self, *, id: str | None = None, zebra_stripes: bool = False) -> None:
        super().__init__(id=id, cursor_type="none", show_cursor=False, zebra_stripes=zebra_stripes)
        self.can_focus = False  # nothing to choose: the view around it scrolls
        self.items: list[tuple[str, list[str]]] = []  # (title, figures' texts)
        self.laid_out_for = 0

    def cells_of(self, item: RoutineStats, rank: int) -> list[str]:
        raise NotImplementedError

    def show(self, items: Sequence[RoutineStats]) -> None:
        """Show `items`, one a row, in their order."""
        self.items = [(visible(item.title or item.routine), self.cells_of(item, rank))
                      for rank, item in enumerate(items, 1)]  # fmt: skip
        self._fill()

    def _width(self) -> int:
        # Before its first layout a table has no width yet: the screen's, less its padding.
        return self.size.width or max(20, self.app.size.width - 2)

    def _fill(self) -> None:
        width = self._width()
        self.laid_out_for = width
        columns, title = fit(width, self.FIGURES, [cells for _, cells in self.items])
        self.clear(columns=True)
        order: list[tuple[str, int]] = [(label, cells) for _, label, cells in columns]
        order.insert(self.TITLE_AT, (self.TITLE, title))
        for label, cells in order:
            # Numbers stand right-aligned under a right-aligned label (digits line up).
            self.add_column(label if label == self.TITLE else Text(label, justify="right"), width=cells)
        for name, cells in self.items:
            row: list[str | Text] = [Text(cells[i], justify="right") for i, _, _ in columns]
            text = Text(name)
            text.truncate(title, overflow="ellipsis")
            row.insert(self.TITLE_AT, text)
            self.add_row(*row)
        # Its height follows its rows (height: auto) once DataTable has measured them, after
        # this refresh: lay the view out again then, else the table keeps the height it had.
        self.call_after_refresh(self.refresh, layout=True)

    def on_resize(self, event: Resize) -> None:
        if event.size.width and event.size.width != self.laid_out_for:
            self._fill()


class HelpedTable(FigureTable):
    """The ranking (see the module docstring): rank, routine, median change, rated."""

    FIGURES = (Figure("#", "#"), Figure("Median change", "Median"), Figure("Rated sessions", "Rated"))
    TITLE_AT = 1

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, zebra_stripes=True)

    def cells_of(self, item: RoutineStats, rank: int) -> list[str]:
        return [str(rank), points(item.median_change), f"{item.rated:,}"]


class RoutineTable(FigureTable):
    """Every routine: completed of all sessions, minutes, median change, rated."""

    FIGURES = (
        Figure("Completed", "Done", drop=1),
        Figure("Minutes", "Min", drop=2),
        Figure("Median change", "Median"),
        Figure("Rated", "Rated"),
    )

    def cells_of(self, item: RoutineStats, rank: int) -> list[str]:
        completed = f"{item.completed:,} of {item.sessions:,}"
        return [completed, f"{item.minutes:,.1f}", points(item.median_change), f"{item.rated:,}"]
