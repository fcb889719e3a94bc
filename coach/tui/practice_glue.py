"""Building and ending a `coach.practice.Practice` for the app: which store, journal and
sound player it gets, and what the summary says. No timing or statistics live here.

Imported only when a session starts (it pulls in the history and the engine).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coach.change import change_meaning
from coach.errors import CoachError
from coach.practice import Practice
from coach.tui.screens.summary import SummaryView

if TYPE_CHECKING:
    from coach.library import RoutineInfo
    from coach.records import SessionRecord
    from coach.routine import Routine
    from coach.tui.app import CoachApp
    from coach.tui.start import StartRequest


async def recover_first(app: CoachApp) -> None:
    """A session a crash left in the journal is saved before a new one starts (for `coach
    run`, which does not load the home screen's data); said once."""
    import asyncio

    from coach.tui.data import recover

    recovered = await asyncio.to_thread(recover, app.services)
    if recovered is not None:
        app.notify(f"An interrupted session of {recovered.routine_title} was saved as not completed.",
                   timeout=8)  # fmt: skip


def new_practice(
    app: CoachApp, routine: Routine, info: RoutineInfo, *, pre: int | None, request: StartRequest | None
) -> Practice:
    """A practice that records to the history, or a preview (--speed) that records nothing."""
    from coach.history import HistoryStore
    from coach.journal import Journal

    preview = request is not None and request.preview
    store = None if preview else HistoryStore(app.services.history_path)
    journal = None if preview else Journal(app.services.journal_path, now=app.services.wall_now)
    return Practice(
        routine,
        pre=pre,
        plan=request.plan if request is not None else None,
        store=store,
        journal=journal,
        player=app.sound_player(),
        wall=app.services.wall_now,
    )


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
    session = practice.session
    return SummaryView(
        title=practice.routine.title,
        pre=pre,
        post=post,
        meaning=change_meaning(pre, post),
        active_seconds=record.active_seconds if record is not None else session.active_seconds(now),
        steps_done=session.steps_done,
        steps_total=session.steps_total,
        streak=streak,
        recorded=record is not None,
        note=note,
        preview=practice.preview,
    )


def describe_quit(record: Any) -> str:
    if record is None:
        return "Session ended. It was not recorded."
    return "Session ended. Saved in your history as not completed."
