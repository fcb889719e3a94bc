"""A session from the app's side: the screens in order, each awaited in the app's worker.

session lock and recovery (`coach.start`, before anything is asked) → first-run note (once
ever) → cautions (if any) → rating before (unless --pre) → player → rating after (unless
--post, or quit) → summary (after a quit too: it says "Stopped"). Escape before the player
goes back home and lets the lock go.
The practice (engine, journal, history, sound) does the work; this sequences the screens,
has the session recorded and says how it was saved.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING

from coach.errors import CoachError
from coach.tui.screens.cautions import CautionsScreen
from coach.tui.screens.first_run import FirstRunScreen
from coach.tui.screens.rating import RatingScreen

if TYPE_CHECKING:
    from coach.library import RoutineInfo
    from coach.practice import Practice
    from coach.records import SessionRecord
    from coach.start import OpenSession, StartRequest
    from coach.tui.app import CoachApp


async def open_for(app: CoachApp, info: RoutineInfo, request: StartRequest | None) -> OpenSession | None:
    """The session lock and the recovery of a crashed session, before any question; the
    refusal (another session runs) is told and None returned. `coach run` opened it
    already, before the app took the screen."""
    from coach import start

    if request is not None and request.opened is not None:
        opened = request.opened
    else:
        services = app.services
        try:
            opened = await asyncio.to_thread(
                start.open_session,
                info.title,
                history_path=services.history_path,
                journal_path=services.journal_path,
                preview=request is not None and request.preview,
                started=services.wall_now(),
                on_problem=lambda message: app.notify(message, severity="warning", markup=False),
            )
        except CoachError as exc:
            app.notify(exc.message, severity="error", timeout=10, markup=False)
            return None
    if opened.recovered is not None:
        from coach.rating import outcome
        from coach.text import visible

        title = visible(opened.recovered.routine_title)
        saved_as = outcome(opened.recovered)
        app.notify(f"An interrupted session of {title} was saved as {saved_as}.", timeout=8, markup=False)
    return opened


async def run_flow(app: CoachApp, info: RoutineInfo, request: StartRequest | None) -> None:
    opened = await open_for(app, info, request)
    if opened is None:
        if request is not None and request.exit_after:
            app.exit(1)
        return
    try:
        await _flow(app, info, request, opened)
    finally:
        opened.release()  # the session is over or abandoned: another may start


async def _flow(app: CoachApp, info: RoutineInfo, request: StartRequest | None, opened: OpenSession) -> None:
    from coach.tui.screens.player import PlayerScreen
    from coach.tui.screens.summary import SummaryScreen, summary_view

    if not app.settings.first_run_seen:
        if not await app.push_screen_wait(FirstRunScreen()):
            return
        app.change_settings(first_run_seen=True)
    routine = await app.load_routine(info)
    if routine is None:
        return
    app.prepare_sound()
    if routine.cautions and not await app.push_screen_wait(CautionsScreen(routine.title, routine.cautions)):
        return
    pre = request.pre if request is not None else None
    if pre is None:
        answer = await app.push_screen_wait(RatingScreen(after=False, routine_title=routine.title))
        if answer is None:
            return
        pre = answer.value
    practice = opened.practice(
        routine,
        pre=pre,
        plan=request.plan if request is not None else None,
        player=app.sound_player(),
        wall=app.services.wall_now,
        on_problem=lambda message: app.notify(message, severity="warning", timeout=10, markup=False),
        speed=request.speed if request is not None else 1.0,
    )
    clock = app.session_clock(request)
    try:
        practice.start(clock())
    except CoachError as exc:  # a Coach from before the session lock runs a session
        app.notify(exc.message, severity="error", timeout=10)
        return
    app.practice, app.practice_clock = practice, clock
    try:
        how = await app.push_screen_wait(
            PlayerScreen(
                practice,
                clock,
                reduced_motion=lambda: app.reduced_motion,
                phases_of=lambda: practice.current_phases,
                on_mute=app.toggle_mute,
                muted=lambda: app.muted,
                preview=practice.preview,
                on_sound_notice=app.remember_sound_notice,
            )
        )
        post = request.post if request is not None else None
        note = ""
        if how == "quit":
            post = None  # stopped: the rating after is not asked, and --post not kept
        elif post is None:
            answer = await app.push_screen_wait(RatingScreen(after=True, routine_title=routine.title))
            if answer is not None:
                post, note = answer.value, answer.note
        record = end_practice(app, practice, clock(), post=post, note=note)
    finally:
        app.practice = None
    opened.release()  # recorded: another session may start while the summary shows
    streak = await app.current_streak()
    view = summary_view(practice, record, clock(), pre, post, streak, note)
    if how == "quit":
        view = replace(view, meaning="")  # no rating after was asked: no "skipped" either
    # A stopped session gets its summary too ("Stopped: …, it does not count"), both from
    # home and with `coach run`, where the app exits once it is dismissed.
    if await app.push_screen_wait(SummaryScreen(view)) == "history":
        from coach.tui.screens.history import HistoryScreen

        await app.push_screen_wait(HistoryScreen())
    if request is not None and request.exit_after:
        app.exit(0)


def end_practice(
    app: CoachApp, practice: Practice, now: float, *, post: int | None, note: str
) -> SessionRecord | None:
    """Write the session's history line (completed or not, as the engine says) at `now`
    (the session clock). A failed write is told, never raised, and None returned: the
    journal keeps the session for the next start."""
    try:
        return practice.record(now, post=post, note=note)
    except CoachError as exc:
        app.notify(exc.message, severity="error", timeout=10)
        return None
