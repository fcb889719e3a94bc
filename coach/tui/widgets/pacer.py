"""The pacer line: what to do now, its seconds, and which breath or rep of how many
("Breathe in  3 s    breath 2 of 6", "Hold  5 s    rep 2 of 3"). It is one row, and the
player keeps it to the last on a small terminal: without a sound device it is the only
breathing guidance there is.

With reduced motion a still map follows on a second row: the breathing cycle drawn once as
labelled blocks sized by their seconds, the current phase lit (nothing moves; the moving
guide, `BreathShape`, is not shown then).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from textual.content import Content
from textual.widget import Widget

from coach.breathing import BREATH_WORDS

SHORT = {"inhale": "in", "top-up": "top up", "hold": "hold", "exhale": "out", "hold-out": "hold"}


class Pacer(Widget):
    """Call `show_breath` or `show_rep` on every redraw; it repaints only when its words
    (whole seconds) change."""

    DEFAULT_CSS = """
    Pacer {
        height: 1;
        width: 1fr;
    }
    Pacer.-reduced {
        height: 2;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._reduced = False
        self.phases: tuple[tuple[str, float], ...] = ()
        self._breath: str | None = "inhale"  # None: a rep is shown
        self._word = ""
        self._seconds_left = 0.0
        self._count = ""
        self._shown: tuple[object, ...] | None = None

    @property
    def reduced(self) -> bool:
        """Reduced motion: the still map of the breathing cycle shows on a second row."""
        return self._reduced

    @reduced.setter
    def reduced(self, value: bool) -> None:
        self._reduced = value
        self.set_class(value, "-reduced")
        self._shown = None
        self.refresh()

    def set_pattern(self, phases: Sequence[tuple[str, float]]) -> None:
        """One cycle of the breathing pattern as (breath, seconds), for the still map."""
        self.phases = tuple(phases)
        self._shown = None
        self.refresh()

    def show_breath(self, breath: str, seconds_left: float, cycle: int, cycles: int) -> None:
        """A breathing phase: its words (`coach.breathing.BREATH_WORDS`), seconds left in
        it, and breath `cycle` of `cycles`."""
        self._show(breath, BREATH_WORDS.get(breath, breath), seconds_left, f"breath {cycle} of {cycles}")

    def show_rep(self, label: str, seconds_left: float, rep: int, reps: int) -> None:
        """A rep of a `reps` step: "Hold" or "Release", seconds left, rep `rep` of `reps`."""
        self._show(None, label, seconds_left, f"rep {rep} of {reps}")

    def _show(self, breath: str | None, word: str, seconds_left: float, count: str) -> None:
        self._breath, self._word, self._seconds_left, self._count = breath, word, seconds_left, count
        key = (breath, word, _whole(seconds_left), count, self._reduced)
        if key != self._shown:
            self._shown = key
            self.refresh()

    def _label(self) -> Content:
        return Content.assemble(
            (self._word, "bold $text-accent"),
            (f"  {_whole(self._seconds_left)} s", "bold"),
            (f"    {self._count}", "$text-muted"),
        )

    def render(self) -> Content:
        if self._reduced and self._breath is not None:
            return Content.assemble(self._label(), "\n", self._map(max(1, self.size.width)))
        return self._label()

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
        """Which phase of the cycle is current: the first with the current breath (the
        presets never repeat one; hold and hold-out are different breaths)."""
        matches = [i for i, (breath, _) in enumerate(self.phases) if breath == self._breath]
        return matches[0] if matches else -1


def _whole(seconds: float) -> int:
    """Whole seconds as a countdown shows them (2.1 s left reads 3)."""
    return max(0, math.ceil(seconds - 1e-9))
