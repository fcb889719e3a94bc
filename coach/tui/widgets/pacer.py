"""The breathing pacer: a wide bar that fills while breathing in, stays full while holding,
empties while breathing out, with the phase's name and its seconds.

With reduced motion it does not move: the cycle is drawn once as labelled blocks, the
current phase is lit, and the seconds are words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from textual.content import Content
from textual.geometry import Region
from textual.widget import Widget

from coach.breathing import BREATH_WORDS
from coach.tui.widgets.bar import bar_cells

# How full the lungs are at the end of an inhale when a top-up follows it.
TOP_UP_FROM = 0.8

SHORT = {"inhale": "in", "top-up": "top up", "hold": "hold", "exhale": "out", "hold-out": "hold"}


def fullness(breath: str, progress: float, has_top_up: bool) -> float:
    """How full the pacer is, 0-1, at `progress` (0-1) through a phase."""
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


class Pacer(Widget):
    DEFAULT_CSS = """
    Pacer {
        height: 4;
        width: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.reduced = False
        self.phases: tuple[tuple[str, float], ...] = ()
        self._breath = "inhale"
        self._progress = 0.0
        self._seconds_left = 0.0
        self._cycle = (0, 0)
        self._shown: tuple[tuple[object, ...], int] | None = None  # (words, fill in eighths)

    def set_pattern(self, phases: Sequence[tuple[str, float]]) -> None:
        self.phases = tuple(phases)
        self._shown = None

    def show(self, breath: str, progress: float, seconds_left: float, cycle: int, cycles: int) -> None:
        self._breath, self._progress, self._seconds_left = breath, progress, seconds_left
        self._cycle = (cycle, cycles)
        whole = math.ceil(seconds_left - 1e-9)
        width = max(1, self.size.width)
        label_key = (breath, whole, cycle, cycles, width, self.reduced)
        eighths = 0 if self.reduced else round(fullness(breath, progress, self._has_top_up) * width * 8)
        shown = self._shown
        if shown is None or shown[0] != label_key:
            self.refresh()  # the words changed (once a second): the whole widget
        elif shown[1] != eighths:
            # Only the cells between the old and the new edge of the fill: a tenth of a
            # second moves it a few cells, and repainting those few is most of the cost saved.
            low, high = sorted((int(shown[1]) // 8, eighths // 8))
            self.refresh(Region(low, 1, high - low + 1, 2))
        self._shown = (label_key, eighths)

    @property
    def _has_top_up(self) -> bool:
        return any(breath == "top-up" for breath, _ in self.phases)

    def _label(self) -> Content:
        whole = max(0, math.ceil(self._seconds_left - 1e-9))
        cycle, cycles = self._cycle
        return Content.assemble(
            (BREATH_WORDS.get(self._breath, self._breath), "bold $text-accent"),
            (f"  {whole} s", "bold"),
            (f"    breath {cycle} of {cycles}", "$text-muted"),
        )

    def render(self) -> Content:
        width = max(1, self.size.width)
        if self.reduced:
            return Content.assemble(self._label(), "\n\n", self._map(width))
        level = fullness(self._breath, self._progress, self._has_top_up)
        row = Content.styled(bar_cells(level, width), "$accent on $panel")
        return Content.assemble(self._label(), "\n", row, "\n", row)

    def _map(self, width: int) -> Content:
        """The cycle as blocks sized by their seconds, the current phase lit: no movement."""
        if not self.phases:
            return Content("")
        total = sum(seconds for _, seconds in self.phases)
        current = self._phase_index()
        parts: list[Content] = []
        for index, (breath, seconds) in enumerate(self.phases):
            cells = max(len(SHORT[breath]) + 2, round(seconds / total * (width - len(self.phases))))
            label = f"{SHORT[breath]} {seconds:g}".center(cells)[:cells]
            style = "bold reverse $accent" if index == current else "$text-muted on $panel"
            parts.append(Content.styled(label, style))
        return Content(" ").join(parts)

    def _phase_index(self) -> int:
        """Which phase of the cycle is current (the first with the current breath that the
        remaining seconds fit in; patterns rarely repeat a breath)."""
        matches = [i for i, (breath, _) in enumerate(self.phases) if breath == self._breath]
        if len(matches) <= 1:
            return matches[0] if matches else -1
        return matches[0]
