"""A session from the app's side: the screens in order, each awaited in the app's worker.

session lock and recovery (`coach.start`, before anything is asked) → first-run note (once
ever) → cautions (before the routine's first session and whenever they change, `coach.usual`;
otherwise one line on the rating screen) → which plan it counts towards (asked when several
active plans include the routine) → rating before (unless --pre) → pain before (the plan
asks, unless --pain-pre) → player → rating after (unless --post, or quit; it shows the
rating before) → pain after (the plan asks, unless --pain-post; after a quit too, since a
session stopped because it hurt is what the therapist needs to see; skippable) → after a
quit, a note alone (why it stopped; skippable) → summary
(after a quit too: it says "Stopped"). Escape before the player goes back home and lets the
lock go. A length asked for (`coach run --minutes`, home's length choice) or, without one, the
settings' default length (`length_for`) scales the routine (`coach.scaling`) once the plan is
known; the routine and its length are remembered as the last one (`coach.usual`) for `r` on
home and `coach run --last`.
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
from coach.tui.screens.pain_rating import ask_pain
from coach.tui.screens.rating import RatingScreen

if TYPE_CHECKING:
    from coach.library import RoutineInfo
    from coach.practice import Practice
    from coach.records import SessionRecord
    from coach.routine import Routine
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
    from coach.session import LEAD_IN_SECONDS
    from coach.tui.screens.player import SCALING_NOTICE_SECONDS, PlayerScreen
    from coach.tui.screens.summary import SummaryScreen, summary_view

    if not app.settings.first_run_seen:
        if not await app.push_screen_wait(FirstRunScreen()):
            return
        app.change_settings(first_run_seen=True)
    routine = await app.load_routine(info)
    if routine is None:
        return
    app.prepare_sound()
    shown = await cautions_first(app, info, routine)
    if shown is None:
        return
    chosen = await which_plan(app, info, request)
    if chosen is None:
        return
    plan, pain_area = chosen
    minutes = length_for(app, request, plan)
    scaling_said: str | None = None
    if minutes is not None:
        from coach.scaling import scale_routine, scaling_note

        # A length it can no longer reach (a remembered one, `r`; the routine changed since):
        # said in the words `coach run --plain` prints (coach.scaling.scaling_note), not
        # silently: on the player's notice line, where no toast covers the title.
        scaling_said = scaling_note(routine, minutes * 60)
        routine = scale_routine(routine, minutes * 60)
    pre = request.pre if request is not None else None
    if pre is None:
        # Cautions read before (not just now): one line, and `c` shows them again.
        again = not shown
        answer = await app.push_screen_wait(RatingScreen(
            after=False, routine_title=routine.title,
            cautions=routine.cautions if again else (), stop_if=routine.stop_if if again else (),
        ))  # fmt: skip
        if answer is None:
            return
        pre = answer.value
    # The plan asks about pain (its `pain.area`): after the stress rating, as the plain runner.
    pain_given = request.pain_pre if request is not None else None
    pain = await ask_pain(app, pain_area, pain_given, after=False, routine_title=routine.title)
    if pain is None:
        return
    if not opened.preview:  # `r` on home and `coach run --last` start it again
        from coach.usual import remember_last

        await asyncio.to_thread(remember_last, app.services.usual_path, info, minutes)
    practice = opened.practice(
        routine,
        pre=pre,
        plan=plan,
        routine_id=info.id,  # PLAN/ID for a plan's own routine
        pain_area=pain_area,
        pain_pre=pain.value,
        player=app.sound_player(),
        wall=app.services.wall_now,
        on_problem=lambda message: app.notify(message, severity="warning", timeout=10, markup=False),
        speed=request.speed if request is not None else 1.0,
        lead_in=LEAD_IN_SECONDS if app.settings.lead_in else 0.0,  # the 3-2-1 count (a setting)
    )
    clock = app.session_clock(request)
    try:
        practice.start(clock())
    except CoachError as exc:  # a Coach from before the session lock runs a session
        app.notify(exc.message, severity="error", timeout=10)
        return
    app.practice, app.practice_clock = practice, clock
    try:
        player = PlayerScreen(
            practice,
            clock,
            reduced_motion=lambda: app.reduced_motion,
            phases_of=lambda: practice.current_phases,
            on_mute=app.toggle_mute,
            muted=lambda: app.muted,
            preview=practice.preview,
            on_sound_notice=app.remember_sound_notice,
        )
        if scaling_said is not None:
            player.say(scaling_said, SCALING_NOTICE_SECONDS)
        how = await app.push_screen_wait(player)
        post = request.post if request is not None else None
        note = ""
        if how == "quit":
            post = None  # stopped: the rating after is not asked, and --post not kept
        elif post is None:
            after = RatingScreen(after=True, routine_title=routine.title, before=pre)  # "Before: 6"
            answer = await app.push_screen_wait(after)
            if answer is not None:
                post, note = answer.value, answer.note
        # Pain after, stopped or not (skippable): a session stopped because it hurt is the
        # one the therapist most needs to see (issue 13 follow-up).
        given = request.pain_post if request is not None else None
        answer_pain = await ask_pain(app, pain_area, given, after=True, routine_title=routine.title,
                                     before=pain.value)  # fmt: skip
        pain_post = answer_pain.value if answer_pain is not None else None
        if how == "quit" and not practice.preview:
            # Why it stopped ("Stopped: tingling in right hand") is what the therapist must
            # see: the note alone, skippable, as the plain runner asks it (after the pain).
            note_only = RatingScreen(after=True, routine_title=routine.title, rate=False)
            stopped = await app.push_screen_wait(note_only)
            note = stopped.note if stopped is not None else ""
        record = end_practice(app, practice, clock(), post=post, note=note, pain_post=pain_post)
    finally:
        app.practice = None
    opened.release()  # recorded: another session may start while the summary shows
    streak = await app.current_streak()
    view = summary_view(practice, record, clock(), pre, post, streak, note, pain_post=pain_post)
    if how == "quit":
        view = replace(view, meaning="")  # no rating after was asked: no "skipped" either
    # A stopped session gets its summary too ("Stopped: …, it does not count"), both from
    # home and with `coach run`, where the app exits once it is dismissed.
    if await app.push_screen_wait(SummaryScreen(view)) == "history":
        from coach.tui.screens.history import HistoryScreen

        await app.push_screen_wait(HistoryScreen())
    if request is not None and request.exit_after:
        app.exit(0)


def length_for(app: CoachApp, request: StartRequest | None, plan: str | None) -> float | None:
    """Minutes to scale the routine to (None: as written). Outside a plan, a length chosen
    (home's `l` and `r`, `coach run`, whose default `coach.start.request_from_args` applied) is kept; a
    routine started without one (Enter on home, a routine on the plans screen) takes the
    settings' default length. A session that counts towards a plan runs as written, a
    length chosen or not (a shortened session would count as a full one: issue 13), and a
    notice says so when a length was chosen."""
    if plan is not None:
        if request is not None and request.minutes is not None:
            from coach.text import visible

            app.notify(f"This session counts towards plan '{visible(plan)}', so it runs as the "
                       "therapist wrote it, not shortened.", markup=False)  # fmt: skip
        return None
    if request is not None:
        return request.minutes
    default = app.settings.default_minutes
    return None if default is None else float(default)


async def cautions_first(app: CoachApp, info: RoutineInfo, routine: Routine) -> bool | None:
    """The caution screen, when it is due (`coach.usual.Usual.cautions_due`: the routine's
    cautions or stop-if lines were never acknowledged, or changed since): True when shown
    and acknowledged now (remembered), False when not due, None when the person went back."""
    from coach.usual import cautions_hash, read_usual, update_usual

    path = app.services.usual_path
    usual = (await asyncio.to_thread(read_usual, path)).usual
    if not usual.cautions_due(info.id, routine.cautions, routine.stop_if):
        return False
    if not await app.push_screen_wait(CautionsScreen(routine.title, routine.cautions, routine.stop_if)):
        return None
    digest = cautions_hash(routine.cautions, routine.stop_if)
    await asyncio.to_thread(update_usual, path, lambda usual: usual.with_cautions_seen(info.id, digest))
    return True


async def which_plan(
    app: CoachApp, info: RoutineInfo, request: StartRequest | None
) -> tuple[str | None, str | None] | None:
    """(the plan the session counts towards, the pain area it asks about), as
    `coach.start.attribute` decides; when several active plans include the routine and
    none was named, the person picks one or none. None when they cancel (Escape)."""
    from coach import start
    from coach.plan_candidates import plan_candidates
    from coach.text import visible
    from coach.tui.dialogs.plan_choice import PlanChoiceScreen

    if request is not None and (request.preview or request.no_plan):
        return None, None
    services = app.services
    library = app.library or services.library()
    plans, _problems = await asyncio.to_thread(start.stored_plans, library, services.plans_dir)
    found = start.attribute(info, plans, services.today(), plan=request.plan if request is not None else None)
    if not found.candidates:
        if found.chosen == "only":  # counted without asking: say so, as the plain runner does
            app.notify(f"This session counts towards plan '{visible(found.plan or '')}'.", markup=False)
        return found.plan, found.pain_area
    candidates = await asyncio.to_thread(plan_candidates, services.plans_dir, found.candidates)
    answer = await app.push_screen_wait(PlanChoiceScreen(info.title, candidates))
    if answer is None:
        return None
    pain = next((facts.pain_area for facts in plans if facts.id == answer[0]), None)
    return answer[0], pain


def end_practice(
    app: CoachApp, practice: Practice, now: float, *, post: int | None, note: str,
    pain_post: int | None = None,
) -> SessionRecord | None:
    """Write the session's history line (completed or not, as the engine says) at `now`
    (the session clock). A failed write is told, never raised, and None returned: the
    journal keeps the session for the next start."""
    try:
        return practice.record(now, post=post, note=note, pain_post=pain_post)
    except CoachError as exc:
        app.notify(exc.message, severity="error", timeout=10)
        return None
