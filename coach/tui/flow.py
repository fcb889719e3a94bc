"""A session from the app's side: the screens in order, each awaited in the app's worker.

first-run note (once ever) → cautions (if any) → rating before (unless --pre) → player →
rating after (unless --post, or quit) → summary. Escape before the player goes back home.
The practice (engine, journal, history, sound) does the work; this only sequences screens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coach.errors import CoachError
from coach.tui.screens.cautions import CautionsScreen
from coach.tui.screens.first_run import FirstRunScreen
from coach.tui.screens.rating import RatingScreen

if TYPE_CHECKING:
    from coach.library import RoutineInfo
    from coach.tui.app import CoachApp
    from coach.tui.start import StartRequest


async def run_flow(app: CoachApp, info: RoutineInfo, request: StartRequest | None) -> None:
    from coach.tui import practice_glue
    from coach.tui.screens.player import PlayerScreen
    from coach.tui.screens.summary import SummaryScreen

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
    await practice_glue.recover_first(app)
    practice = practice_glue.new_practice(app, routine, info, pre=pre, request=request)
    clock = app.session_clock(request)
    try:
        practice.start(clock())
    except CoachError as exc:  # another session is running, or one awaits recovery
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
            )
        )
        if how == "quit":
            record = practice_glue.end_practice(app, practice, clock(), post=None, note="")
            app.notify(practice_glue.describe_quit(record), timeout=5)
            if request is not None and request.exit_after:
                app.exit(0)
            return
        post = request.post if request is not None else None
        note = ""
        if post is None:
            answer = await app.push_screen_wait(RatingScreen(after=True, routine_title=routine.title))
            if answer is not None:
                post, note = answer.value, answer.note
        record = practice_glue.end_practice(app, practice, clock(), post=post, note=note)
    finally:
        app.practice = None
    streak = await app.current_streak()
    view = practice_glue.summary_for(practice, record, clock(), pre, post, streak, note)
    await app.push_screen_wait(SummaryScreen(view))
    if request is not None and request.exit_after:
        app.exit(0)
