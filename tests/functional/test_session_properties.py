"""Properties of the engine under random routines, random commands and random redraw times.

Most properties model a caller that looks at the engine sparsely (a gap of a minute between
two calls is exercise there), so they run without the time-away rule (`away_after=None`);
the last ones run with it, against a model of the rule written out here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from coach.routine import Routine
from coach.session import AWAY_SECONDS, Session
from tests.helpers.routines import breathing, make_routine, massage, rest

COMMANDS = ("pause", "resume", "toggle_pause", "skip", "back", "extend", "toggle_gentler", "quit", "poll")
MICROSECOND = 1e-6

step_dicts = st.one_of(
    st.builds(
        lambda n, side, g: massage(f"Massage {n}", n, side=side, **({"gentler": "Softer."} if g else {})),
        st.integers(5, 40), st.sampled_from(["each", "both", "left"]), st.booleans(),
    ),
    st.builds(
        lambda p, c: breathing("Breathe", p, c),
        st.sampled_from(["box", "4-7-8", "coherent", "resonance", "cyclic-sigh",
                         {"phases": [{"breath": "inhale", "seconds": 0.5},
                                     {"breath": "exhale", "seconds": 2.25}]}]),
        st.integers(1, 3),
    ),
    st.builds(lambda n: rest("Rest", n), st.integers(5, 30)),
    st.builds(  # paced reps (issue 14): a cycle of hold and release
        lambda c, h, r, side: {"type": "massage", "title": "Reps", "instruction": "Hold.", "area": "neck",
                               "side": side, "reps": {"count": c, "hold": h, "release": r}},
        st.integers(1, 4), st.integers(2, 9), st.integers(3, 6), st.sampled_from(["each", "both"]),
    ),
    st.builds(  # breathing with a gentler pattern that `toggle_gentler` switches to mid-pass
        lambda p, c: {**breathing("Box", "box", c), "gentler": {"pattern": p, "text": "Softer."}},
        st.sampled_from(["extended-exhale", "cyclic-sigh",
                         {"phases": [{"breath": "inhale", "seconds": 0.7},
                                     {"breath": "exhale", "seconds": 1.3}]}]),
        st.integers(1, 3),
    ),
)  # fmt: skip
routines = st.lists(step_dicts, min_size=1, max_size=5).map(lambda steps: make_routine(*steps))
# Gaps between commands: often tiny (a key held down), sometimes long (a stall).
gaps = st.one_of(st.floats(0, 0.05), st.floats(0, 5), st.floats(0, 60))
commands = st.lists(st.tuples(gaps, st.sampled_from(COMMANDS)), max_size=40)
origins = st.floats(0, 1e6)


@dataclass
class Observed:
    """What the test saw, measured from snapshots, independent of the engine's counters."""

    extended: float = 0.0
    skipped: float = 0.0
    rewound: float = 0.0
    paused_total: float = 0.0
    paused_since: float | None = None
    ats: list[float] = field(default_factory=list)


def drive(
    routine: Routine, origin: float, script: list[tuple[float, str]]
) -> tuple[Session, Observed, float]:
    session = Session(routine, away_after=None, lead_in=0)
    seen = Observed()
    assert session.start(origin)
    now = origin
    last_active = 0.0
    for gap, command in script:
        before_time = session.snapshot(now)
        now += gap
        before = session.snapshot(now)
        # Time alone moves nothing backwards.
        assert before.active_seconds >= last_active
        assert before.routine_seconds_left <= before_time.routine_seconds_left + MICROSECOND
        assert before.routine_progress >= before_time.routine_progress - 1e-12
        if before.step_number == before_time.step_number and before.pass_number == before_time.pass_number:
            assert before.step_seconds_left <= before_time.step_seconds_left + MICROSECOND
        state = session.state
        if command == "poll":
            seen.ats += [e.at for e in session.poll(now)]
            acted = False
        else:
            acted = getattr(session, command)(now)
        after = session.snapshot(now)
        assert after.active_seconds == before.active_seconds  # a command takes no time
        if command != "back":  # progress never goes backwards except on back
            assert after.routine_progress >= before.routine_progress - 1e-12
        last_active = after.active_seconds
        if acted and command == "extend":
            seen.extended += after.routine_seconds_left - before.routine_seconds_left
        if acted and command == "skip":
            seen.skipped += before.step_seconds_left
        if acted and command == "back":
            seen.rewound += after.routine_seconds_left - before.routine_seconds_left
        if state == "running" and session.state == "paused":
            seen.paused_since = now
        if state == "paused" and session.state != "paused":
            assert seen.paused_since is not None
            seen.paused_total += now - seen.paused_since
            seen.paused_since = None
        seen.ats += [e.at for e in session.poll(now)]
    if session.state == "paused":
        session.resume(now)
        assert seen.paused_since is not None
        seen.paused_total += now - seen.paused_since
        seen.paused_since = None
    final_time = now + session.planned_seconds + seen.extended + seen.rewound + 1.0
    seen.ats += [e.at for e in session.poll(final_time)]
    return session, seen, final_time


# Found by Hypothesis: after `+`, running into the next pass measured that pass
# from its planned start, so the progress dropped.
EXTEND_THEN_RUN_ON_BREATHING = make_routine(
    breathing("Breathe", {"phases": [{"breath": "inhale", "seconds": 0.5},
                                     {"breath": "exhale", "seconds": 2.25}]}, 1),
    massage("Massage 5", 5, side="each"),
)  # fmt: skip
EXTEND_THEN_RUN_ON_MASSAGE = make_routine(
    massage("Massage 27", 27, side="each"), massage("Massage 5", 5, side="each")
)


@settings(max_examples=300, deadline=None)
@given(routine=routines, origin=origins, script=commands)
@example(
    routine=EXTEND_THEN_RUN_ON_BREATHING,
    origin=0.0,
    script=[(0.0, "extend"), (0.0, "extend"), (34.0, "extend"), (60.0, "skip")],
)
@example(
    routine=EXTEND_THEN_RUN_ON_MASSAGE,
    origin=0.0,
    script=[(0.0, "extend"), (53.0, "extend"), (34.0, "pause")],
)
@example(  # extend on a breathing step, then time runs into the next step
    routine=make_routine(breathing("Breathe", "box", 2), rest("Rest", 10)),
    origin=5.0,
    script=[(10.0, "extend"), (40.0, "poll"), (20.0, "poll")],
)
@example(  # a pause a hair before a phase boundary (within TOLERANCE): events keep their order
    routine=make_routine(rest("Rest", 18), rest("Rest", 30), breathing("Breathe", "box", 1)),
    origin=0.0,
    script=[(59.99999999999999, "pause")],
)
@example(  # back after extensions, then extend again on the replayed pass
    routine=make_routine(massage("Knead", 20, side="each"), breathing("Breathe", "4-7-8", 2)),
    origin=0.0,
    script=[(5.0, "extend"), (50.0, "extend"), (1.0, "back"), (0.5, "back"), (3.0, "extend"), (60.0, "poll")],
)
def test_active_time_is_planned_plus_extensions_minus_skips(
    routine: Routine, origin: float, script: list[tuple[float, str]]
) -> None:
    session, seen, final_time = drive(routine, origin, script)
    assert session.over
    active = session.active_seconds(final_time)
    # The engine's own counters agree with what the screen showed.
    assert abs(session.extended_seconds - seen.extended) < MICROSECOND
    assert abs(session.skipped_seconds - seen.skipped) < MICROSECOND
    assert abs(session.rewound_seconds - seen.rewound) < MICROSECOND
    assert session.ended_clock is not None and session.started_clock == origin
    # Active time is the wall time minus the pauses...
    assert abs(active - (session.ended_clock - origin - seen.paused_total)) < MICROSECOND
    if session.state == "finished":
        # ...and, for a session that ran to its end, the plan plus what the commands changed.
        expected = session.planned_seconds + seen.extended - seen.skipped + seen.rewound
        assert abs(active - expected) < MICROSECOND
    # Events never go back in time, and none is later than the end.
    assert seen.ats == sorted(seen.ats)
    assert all(at <= active + MICROSECOND for at in seen.ats)


@settings(max_examples=200, deadline=None)
@given(
    routine=routines,
    origin=origins,
    script=st.lists(st.tuples(gaps, st.sampled_from(["skip", "extend"])), max_size=6),
)
def test_without_pauses_or_back_active_time_is_the_plan_plus_changes(
    routine: Routine, origin: float, script: list[tuple[float, str]]
) -> None:
    session, seen, final_time = drive(routine, origin, script)
    assert session.state == "finished"
    active = session.active_seconds(final_time)
    assert abs(active - (session.planned_seconds + seen.extended - seen.skipped)) < MICROSECOND
    # Not one microsecond of drift: the end is where plan and clock say.
    assert abs(session.ended_clock - (origin + session.active_seconds(final_time))) < MICROSECOND


redraw_gaps = st.lists(st.floats(0.001, 2.5), min_size=1, max_size=400)
timed_commands = st.lists(st.tuples(st.floats(0, 200), st.sampled_from(COMMANDS[:-1])), max_size=8)


def snapshot_fields(snapshot: Any) -> tuple[Any, ...]:
    return (snapshot.state, snapshot.step_number, snapshot.side, snapshot.phase, snapshot.step_seconds_left,
            snapshot.routine_seconds_left, snapshot.active_seconds, snapshot.instruction)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(routine=routines, origin=origins, redraws=redraw_gaps, script=timed_commands)
def test_irregular_redraws_do_not_drift(
    routine: Routine, origin: float, redraws: list[float], script: list[tuple[float, str]]
) -> None:
    """A screen that redraws at random intervals sees exactly what a session asked only
    at that instant sees: the same events at the same planned times, the same figures."""
    script = sorted((origin + offset, command) for offset, command in script)
    redrawn = Session(routine, away_after=None, lead_in=0)
    redrawn.start(origin)
    events = []
    now = origin
    pending = list(script)
    for gap in redraws:
        now += gap
        while pending and pending[0][0] <= now:
            at, command = pending.pop(0)
            events += redrawn.poll(at)
            getattr(redrawn, command)(at)
        events += redrawn.poll(now)
        redrawn.snapshot(now)
    # The same commands at the same times, and one look at the end.
    once = Session(routine, away_after=None, lead_in=0)
    once.start(origin)
    for at, command in script:
        if at <= now:
            getattr(once, command)(at)
    assert once.poll(now) == events
    assert snapshot_fields(once.snapshot(now)) == snapshot_fields(redrawn.snapshot(now))


# Phase lengths and clock readings that are not binary fractions: rounding at every step.
ODD_PATTERN = {"phases": [{"breath": "inhale", "seconds": 0.7}, {"breath": "exhale", "seconds": 1.3}]}
awkward = make_routine(breathing("Odd", ODD_PATTERN, 40), massage("Knead", 7, side="each"))


@settings(max_examples=150, deadline=None)
@given(routine=st.one_of(st.just(awkward), routines), origin=st.floats(1e5, 1e6),
       speed=st.sampled_from([1.0, 3.0, 10.0, 100.0]))  # fmt: skip
def test_waking_at_next_due_reaches_an_event_every_time(
    routine: Routine, origin: float, speed: float
) -> None:
    """A runner that sleeps until `next_due` and polls then never wakes for nothing, even
    through a clock scaled for --speed (whose rounding lands a hair off the planned time)."""
    session = Session(routine, away_after=AWAY_SECONDS * speed, lead_in=0)
    session.start(origin)
    real = origin
    wakes = 0
    events = session.poll(origin)
    while not session.over:
        due = session.next_due(origin + (real - origin) * speed)
        assert due is not None
        real = origin + (due - origin) / speed
        woke = session.poll(max(due, origin + (real - origin) * speed))
        assert woke, "woke at next_due and nothing happened"
        events += woke
        wakes += 1
    assert wakes == len({e.at for e in events}) - 1


# --- time away --------------------------------------------------------------------------

# A script for the time-away rule: ("wait", gap, command) moves the clock by `gap` without
# asking the engine; ("due", lateness, command) asks `next_due` and wakes that late after
# it (a planned sleep, however long). Then `command` at that moment.
away_gaps = st.one_of(st.floats(0, 1.9), st.floats(2.001, 30), st.floats(0, 120))
away_steps = st.tuples(
    st.sampled_from(["wait", "due"]),
    away_gaps,
    st.sampled_from(["pause", "resume", "toggle_pause", "skip", "back", "extend", "poll", "poll"]),
)


@settings(max_examples=200, deadline=None)
@given(routine=routines, origin=origins, script=st.lists(away_steps, max_size=25))
@example(  # time away from a planned wake-up a hair before a step boundary
    routine=make_routine(rest("Rest", 23), rest("Rest", 5)),
    origin=105.96712917034172,
    script=[("due", 3.0, "pause")],
)
@example(  # a planned 45 s sleep is no time away; 2.1 s unplanned is
    routine=make_routine(massage("Knead", 50), rest("Rest", 10)),
    origin=100.0,
    script=[("due", 0.0, "poll"), ("wait", 2.1, "poll"), ("wait", 1.9, "resume"), ("due", 1.5, "poll")],
)
def test_time_away_is_a_pause_and_never_exercise(
    routine: Routine, origin: float, script: list[tuple[str, float, str]]
) -> None:
    session = Session(routine, lead_in=0)
    assert session.start(origin)
    session.poll(origin)
    now = origin
    paused_total = 0.0
    paused_since: float | None = None
    away_total = 0.0
    for kind, gap, command in script:
        expected = now  # the model of the rule: the last call, or the planned wake-up
        if kind == "due":
            due = session.next_due(now)
            if due is not None:
                expected = due
        target = expected + gap
        at_expected = session.snapshot(expected)  # no gap: the last call, or the wake-up
        session.poll(expected)
        after = session.snapshot(target)
        events = session.poll(target)
        assert after.routine_progress >= at_expected.routine_progress - 1e-12  # time alone
        if at_expected.state == "running" and gap > AWAY_SECONDS:
            # Time away: paused where it began, nothing of the gap counted or announced.
            assert after.state == "paused"
            assert after.active_seconds == at_expected.active_seconds
            assert [e.kind for e in events] == ["paused"]
            assert events[0].away and abs(events[0].seconds - gap) < 1e-6
            assert abs(events[0].at - at_expected.active_seconds) < 1e-9
            away_total += gap
            paused_since = expected
        else:
            assert not any(e.away for e in events)
            assert after.active_seconds - at_expected.active_seconds <= gap + 1e-6
            if at_expected.state == "running":
                assert after.state in ("running", "finished")
        state = session.state
        getattr(session, command)(target)
        session.poll(target)
        if state == "running" and session.state == "paused":
            paused_since = target
        if state == "paused" and session.state != "paused":  # resumed, or ended paused
            assert paused_since is not None
            paused_total += target - paused_since
            paused_since = None
        now = target
    if session.state == "paused":
        session.resume(now)
        assert paused_since is not None
        paused_total += now - paused_since
    while not session.over:  # the rest, waking exactly when planned: no more time away
        due = session.next_due(now)
        assert due is not None
        now = due
        session.poll(now)
    assert abs(session.away_seconds - away_total) < 1e-6
    assert session.ended_clock is not None
    active = session.active_seconds(now)
    # Active time is the time elapsed minus pauses, time away included among them.
    assert abs(active - (session.ended_clock - origin - paused_total)) < 1e-6
    assert session.snapshot(now).routine_progress == 1.0 or session.state == "quit"


# --- the lead-in and "too much" -----------------------------------------------------------

LEAD_IN = 3.0
lead_commands = st.lists(
    st.tuples(st.one_of(st.floats(0, 1), st.floats(0, 5), st.floats(0, 40)),
              st.sampled_from(["pause", "resume", "toggle_pause", "toggle_gentler", "too_much", "relieve",
                               "poll"])),
    max_size=20,
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(routine=routines, origin=origins, script=lead_commands)
@example(  # a pause inside the first lead-in, then a resume: the first step waits for its count
    routine=make_routine(rest("Rest", 10)), origin=0.0, script=[(1.0, "pause"), (5.0, "resume")],
)
def test_lead_ins_are_neither_practice_nor_pause(
    routine: Routine, origin: float, script: list[tuple[float, str]]
) -> None:
    """With a lead-in after the start and every resume (cut short by a pause), the time on
    the clock is exactly active time + paused time + lead-in time; a session that runs to
    its end practises its plan exactly (no command here moves time); "too much" and its
    choices (lighter or gentler: no time changes) never count as practice."""
    session = Session(routine, away_after=None, lead_in=LEAD_IN)
    assert session.start(origin)
    now = origin
    lead_from: float | None = origin  # when the current lead-in began
    lead_total = paused_total = 0.0
    paused_since: float | None = None
    for gap, command in script:
        now += gap
        session.poll(now)
        state = session.state
        if command == "relieve":
            choices = [c for c in session.relief_choices(now) if c in ("lighter", "gentler")]
            if choices:
                session.relieve(now, choices[0])
        else:
            getattr(session, command)(now)
        session.poll(now)
        if state == "running" and session.state == "paused":
            assert lead_from is not None
            lead_total += min(LEAD_IN, now - lead_from)
            lead_from, paused_since = None, now
        if state == "paused" and session.state == "running":
            assert paused_since is not None
            paused_total += now - paused_since
            lead_from, paused_since = now, None
        snap = session.snapshot(now)
        if snap.leading_in:
            assert lead_from is not None and abs(snap.lead_in_left - (lead_from + LEAD_IN - now)) < 1e-6
    if session.state == "paused":
        assert paused_since is not None
        session.resume(now)
        paused_total += now - paused_since
        lead_from = now
    while not session.over:
        due = session.next_due(now)
        assert due is not None
        now = due
        session.poll(now)
    assert lead_from is not None
    lead_total += LEAD_IN  # the last lead-in ran whole: nothing paused it
    assert session.state == "finished"
    active = session.active_seconds(now)
    assert abs(active - session.planned_seconds) < 1e-6
    assert session.ended_clock is not None
    assert abs(session.ended_clock - origin - (active + paused_total + lead_total)) < 1e-6
