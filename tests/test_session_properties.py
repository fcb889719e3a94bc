"""Properties of the engine under random routines, random commands and random redraw times."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from session_helpers import breathing, make_routine, massage, rest

from coach.routine import Routine
from coach.session import Session

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
    session = Session(routine)
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


@settings(max_examples=300, deadline=None)
@given(routine=routines, origin=origins, script=commands)
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
    redrawn = Session(routine)
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
    once = Session(routine)
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
    session = Session(routine)
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
