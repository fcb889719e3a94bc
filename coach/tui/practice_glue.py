"""Interim glue between the app and a session, until coach.practice lands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coach.session import Session
from coach.tui.screens.summary import SummaryView

if TYPE_CHECKING:
    from coach.library import RoutineInfo
    from coach.routine import Routine
    from coach.tui.app import CoachApp
    from coach.tui.start import StartRequest


class _SessionOnly:
    def __init__(self, routine: Routine) -> None:
        self.session = Session(routine)
        self.routine = routine

    def __getattr__(self, name: str) -> Any:
        return getattr(self.session, name)

    def extend(self, now: float) -> bool:
        return self.session.extend(now)

    @property
    def current_phases(self) -> tuple[tuple[str, float], ...]:
        return self.session.current.phases


def new_practice(
    app: CoachApp, routine: Routine, info: RoutineInfo, *, pre: int | None, request: StartRequest | None
) -> Any:
    return _SessionOnly(routine)


def end_practice(app: CoachApp, practice: Any, *, completed: bool, post: int | None, note: str) -> Any:
    if not practice.session.over:
        practice.session.quit(app.services.clock())
    return None


def summary_for(app: CoachApp, practice: Any, record: Any, pre: int | None, post: int | None) -> SummaryView:
    session = practice.session
    return SummaryView(
        title=practice.routine.title,
        pre=pre,
        post=post,
        meaning="",
        active_seconds=session.active_seconds(app.services.clock()),
        steps_done=session.steps_done,
        steps_total=session.steps_total,
        streak=None,
        recorded=False,
    )
