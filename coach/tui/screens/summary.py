"""Summary: how the session ended (completed, partly done or stopped) and how much was
practised, before → after and what the change means, and the streak."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from coach.rating import Outcome, change_phrase, session_outcome
from coach.text import days, duration_words, plural, visible
from coach.tui.keys import SUMMARY_KEYS, bindings

if TYPE_CHECKING:
    from coach.practice import Practice
    from coach.records import SessionRecord


@dataclass(frozen=True)
class SummaryView:
    title: str
    pre: int | None
    post: int | None
    meaning: str  # coach.rating.change_phrase: "down 3 points: a noticeable drop", …
    active_seconds: float  # practised (paused time excluded)
    steps_done: int
    steps_total: int
    streak: int | None
    recorded: bool  # False for a preview (--speed) or when saving failed
    note: str = ""
    preview: bool = False
    outcome: Outcome = "completed"
    planned_seconds: float = 0.0  # the routine's planned time, extensions included
    # The pain rating the session's plan asks for: its area (None: not asked), before, after.
    pain_area: str | None = None
    pain_pre: int | None = None
    pain_post: int | None = None


def summary_view(
    practice: Practice, record: SessionRecord | None, now: float, pre: int | None, post: int | None,
    streak: int | None, note: str = "", pain_post: int | None = None,
) -> SummaryView:  # fmt: skip
    """What the summary screen shows of a session that ended at `now` (the session clock,
    seconds): the outcome, the time practised against the plan (extensions included), the
    change in words (coach.rating) and the streak. `record` is None when nothing was saved
    (a preview, or a failed write): the practised time then comes from the engine.
    `pain_post`: the pain rating after it, when the plan asks (`practice.pain_area`)."""
    session = practice.session
    return SummaryView(
        title=practice.routine.title,
        pre=pre,
        post=post,
        meaning=change_phrase(pre, post),
        active_seconds=record.active_seconds if record is not None else session.active_seconds(now),
        steps_done=session.steps_done,
        steps_total=session.steps_total,
        streak=streak,
        recorded=record is not None,
        note=note,
        preview=practice.preview,
        outcome=session_outcome(session, record),
        planned_seconds=session.planned_with_extensions,
        pain_area=practice.pain_area,
        pain_pre=practice.pain_pre,
        pain_post=pain_post,
    )


def _rating(value: int | None) -> str:
    return "–" if value is None else str(value)


def outcome_sentence(view: SummaryView) -> str:
    """What happened, plainly: "Partly done: 0 of 4 steps, 4 s of 3 min 13 s practised. It
    does not count towards your streak." (DESIGN, History: the summary says which it was)."""
    done = f"{view.steps_done} of {plural(view.steps_total, 'step')}"
    practised = f"{duration_words(view.active_seconds)} of {duration_words(view.planned_seconds)} practised"
    head = view.outcome.capitalize()
    text = f"{head}: {done}, {practised}."
    if view.outcome != "completed" and not view.preview:
        text += " It does not count towards your streak."
    return text


def well_done(view: SummaryView) -> bool:
    """Whether the summary may say "Well done": only for a completed session whose stress
    (and pain, where the plan asks) did not rise (any rise, even one coach.rating calls
    "about the same" or "a small change": nothing cheerful about more). Otherwise the outcome itself heads the
    screen, neutrally ("Completed", "Partly done", "Stopped")."""
    if view.outcome != "completed":
        return False
    stress_ok = view.pre is None or view.post is None or view.post <= view.pre
    pain_ok = view.pain_pre is None or view.pain_post is None or view.pain_post <= view.pain_pre
    return stress_ok and pain_ok  # nothing cheerful about more pain either


def summary_text(view: SummaryView) -> Content:
    cheer = well_done(view)
    parts: list[Content | str | tuple[str, str]] = [
        ("Well done" if cheer else view.outcome.capitalize(), "bold $accent" if cheer else "bold"),
        "\n",
        (visible(view.title), "$text-muted"),
        "\n\n",
        outcome_sentence(view),
        "\n\n",
        ("Stress  ", "$text-muted"),
        (f"{_rating(view.pre)} → {_rating(view.post)}", "bold"),
    ]
    if view.meaning:
        # Neutral words in the plain text colour: no praise for a drop, no alarm for a rise.
        parts += ["\n        ", view.meaning]
    if view.pain_area is not None:
        pain = f"{_rating(view.pain_pre)} → {_rating(view.pain_post)}"
        area = visible(f" ({view.pain_area})")
        parts += ["\n", ("Pain    ", "$text-muted"), (pain, "bold"), (area, "$text-muted")]
        if view.pain_pre is not None and view.pain_post is not None:
            parts += ["\n        ", change_phrase(view.pain_pre, view.pain_post)]
    if view.streak is not None:
        parts += ["\n", ("Streak  ", "$text-muted"), (days(view.streak), "bold")]
    if view.note:
        parts += ["\n", ("Note    ", "$text-muted"), visible(view.note)]
    if view.preview:
        parts += ["\n\n", ("A preview: nothing was recorded.", "$text-warning")]
    elif not view.recorded:
        parts += ["\n\n", ("This session could not be saved; it will be recovered on the next start.",
                             "$text-warning")]  # fmt: skip
    parts += ["\n\n", ("Enter", "bold"), " done   ", ("h", "bold"), " history"]
    return Content.assemble(*parts)


class SummaryScreen(Screen[str | None]):
    DEFAULT_CSS = """
    /* --- summary --- */

#summary {
        align: center middle;
        padding: 1 2;
    }
    #summary > Static {
        max-width: 70;
    }
    """

    BINDINGS = bindings(SUMMARY_KEYS)

    def __init__(self, view: SummaryView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        with Vertical(id="summary"):
            yield Static(summary_text(self.view), id="summary-text")
        yield Footer()

    def action_done(self) -> None:
        self.dismiss(None)

    def action_history(self) -> None:
        # The flow opens History: under `coach run` it must wait for it before leaving.
        self.dismiss("history")
