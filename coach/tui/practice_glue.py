"""Ending a `coach.practice.Practice` for the app, and what the summary says (the practice
itself is built by `coach.start`, as for the plain runner). No timing or statistics here.

Imported only when a session starts (it pulls in the history and the engine).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coach.errors import CoachError
from coach.practice import Practice
from coach.rating import change_phrase, outcome, session_outcome
from coach.tui.screens.summary import SummaryView

if TYPE_CHECKING:
    from coach.records import SessionRecord
    from coach.tui.app import CoachApp


def end_practice(
    app: CoachApp, practice: Practice, now: float, *, post: int | None, note: str
) -> SessionRecord | None:
    """Write the session's history line (completed or not, as the engine says). A failed
    write is told, never raised: the journal keeps the session for the next start."""
    try:
        return practice.record(now, post=post, note=note)
    except CoachError as exc:
        app.notify(exc.message, severity="error", timeout=10)
        return None


def summary_for(
    practice: Practice, record: SessionRecord | None, now: float, pre: int | None, post: int | None,
    streak: int | None, note: str = "",
) -> SummaryView:  # fmt: skip
    """What the summary screen shows: the outcome, the time practised against the plan
    (extensions included), the change in words (coach.rating) and the streak."""
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
    )


def describe_quit(record: SessionRecord | None) -> str:
    """The notice after `q` in the player: whether it was saved, and as what."""
    if record is None:
        return "Session ended. It was not recorded."
    how = outcome(record)
    steps = f"{record.steps_done} of {record.steps_total} steps"
    if how == "completed":
        return f"Session completed: {steps}. Saved in your history."
    return f"Session {how}: {steps}. Saved in your history; it does not count towards your streak."
