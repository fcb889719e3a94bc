"""What helped most: the routines ranked by the median change of their rated completed
sessions (lowest, i.e. calmest, first), each with the number of sessions behind it; only
routines with at least coach.stats.HELPED_MIN_RATED of them (fewer say too little). Below
it, every routine's own figures (completed of all sessions, minutes, median, rated)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable

from coach.stats import RoutineStats
from coach.text import visible


def points(value: float | None) -> str:
    """A median or quartile of changes, exactly as `coach stats` shows it (0, +1.5, −2.25)."""
    if value is None:
        return "–"
    text = f"{abs(round(value, 2)):g}"
    return ("−" if value < 0 else "+" if value > 0 else "") + text


class HelpedTable(DataTable[str | Text]):
    """The ranking (see the module docstring)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="none", show_cursor=False, zebra_stripes=True)

    def on_mount(self) -> None:
        self.add_columns("#", "Routine", "Median change", "Rated sessions")

    def show(self, helped: Sequence[RoutineStats]) -> None:
        self.clear()
        for rank, item in enumerate(helped, 1):
            self.add_row(str(rank), Text(visible(item.title or item.routine)), points(item.median_change),
                         str(item.rated))  # fmt: skip


class RoutineTable(DataTable[str | Text]):
    """Every routine: completed of all sessions, minutes, median change, rated."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="none", show_cursor=False)

    def on_mount(self) -> None:
        self.add_columns("Routine", "Completed", "Minutes", "Median change", "Rated")

    def show(self, routines: Sequence[RoutineStats]) -> None:
        self.clear()
        for item in routines:
            self.add_row(Text(visible(item.title or item.routine)), f"{item.completed} of {item.sessions}",
                         f"{item.minutes:.1f}", points(item.median_change), str(item.rated))  # fmt: skip
