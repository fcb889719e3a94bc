"""The selected routine beside the list: summary, steps and cautions, shown literally."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from coach.text import duration_about, duration_words, plural, visible

if TYPE_CHECKING:
    from coach.library import RoutineInfo
    from coach.routine import Routine, Step


def step_line(number: int, step: Step) -> Content:
    """One step of a routine: number, title, length, and the side (massage and stretch
    steps) or the breathing pattern (breathing steps). Only called with a loaded routine,
    so its model module is already imported."""
    from coach.routine import BreathingStep, MassageStep, StretchStep

    extra = ""
    if isinstance(step, MassageStep | StretchStep):
        if step.side == "each":
            extra = ", each side"
        elif step.side in ("left", "right"):
            extra = f", {step.side} side"
    elif isinstance(step, BreathingStep):
        extra = f", {step.pattern_name}"
    return Content.assemble(
        (f"{number:>2}. ", "$text-muted"),
        visible(step.title),
        (f"  {duration_words(step.total_seconds)}{extra}", "$text-muted"),
    )


def describe(info: RoutineInfo, routine: Routine | None) -> Content:
    parts: list[Content | str | tuple[str, str]] = [
        (visible(info.title), "bold"),
        "\n",
        (visible(f"{duration_about(info.seconds)} · {plural(info.steps, 'step')} · "
                 f"{', '.join(info.areas) or 'any area'}"), "$text-muted"),
    ]  # fmt: skip
    if info.shadows:
        hides = visible(f"{info.source} routine; hides the {info.shadows} one")
        parts.append(("\n" + hides, "$text-warning"))
    if info.summary:
        parts += ["\n\n", visible(info.summary)]
    if info.equipment:
        parts += ["\n\n", ("You need: ", "bold"), visible(", ".join(info.equipment))]
    parts += ["\n\n", ("Steps", "bold")]
    if routine is None:
        parts.append(("\n  …", "$text-muted"))
    else:
        for number, step in enumerate(routine.steps, 1):
            parts += ["\n", step_line(number, step)]
    if info.cautions:
        parts += ["\n\n", ("Cautions", "bold $text-warning")]
        for caution in info.cautions:
            parts += ["\n", ("• ", "$text-warning"), visible(caution)]
    return Content.assemble(*parts)


class RoutineDetail(VerticalScroll, can_focus=False):
    DEFAULT_CSS = """
    RoutineDetail {
        height: 1fr;
        padding: 0 1;
    }
    """

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(Content.styled("Loading routines…", "$text-muted"), id="detail-text")

    def show(self, info: RoutineInfo | None, routine: Routine | None = None) -> None:
        if info is None:
            self.message(Content.styled("No routine matches. Clear the search or filters.", "$text-muted"))
        else:
            self.message(describe(info, routine))

    def message(self, content: Content) -> None:
        # query, not query_one: while the app closes, the text may already be gone.
        for text in self.query("#detail-text").results(Static):
            text.update(content)
