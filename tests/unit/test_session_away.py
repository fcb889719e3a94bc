"""Time away is not exercise: the engine's gap rule (a gap over 2 s that it did not plan is a pause), with an
injected clock. No screen, no subprocess."""

from __future__ import annotations

import pytest

from coach.session import AWAY_SECONDS, Event, Session
from tests.helpers.routines import breathing, make_routine, massage, rest

T0 = 1000.0


def kinds(events: list[Event]) -> list[str]:
    return [e.kind for e in events]


def running(*steps: dict, at: float = T0) -> Session:
    session = Session(make_routine(*steps), lead_in=0)
    assert session.start(at)
    session.poll(at)
    return session


def redraw(session: Session, start: float, end: float, every: float = 0.1) -> list[Event]:
    """Look at the session as a screen does, every `every` seconds from start to end."""
    events: list[Event] = []
    t = start
    while t < end - 1e-9:
        t = min(end, t + every)
        events += session.poll(t)
    return events


def test_the_rule_is_two_seconds() -> None:
    assert AWAY_SECONDS == 2.0


def test_a_gap_of_2_1_seconds_pauses_where_it_began() -> None:
    session = running(massage("Knead", 60))
    redraw(session, T0, T0 + 10)
    events = session.poll(T0 + 12.1)
    assert session.state == "paused"
    assert kinds(events) == ["paused"]
    (paused,) = events
    assert paused.away and paused.at == pytest.approx(10.0) and paused.seconds == pytest.approx(2.1)
    assert session.active_seconds(T0 + 50) == pytest.approx(10.0)  # frozen at the gap's start
    assert (session.pauses, session.away_pauses) == (1, 1)
    assert session.away_seconds == pytest.approx(2.1)
    assert session.next_due(T0 + 50) is None  # it stays paused until told


def test_a_gap_of_1_9_seconds_is_exercise() -> None:
    session = running(massage("Knead", 60))
    redraw(session, T0, T0 + 10)
    assert session.poll(T0 + 11.9) == []
    assert session.state == "running"
    assert session.active_seconds(T0 + 11.9) == pytest.approx(11.9)
    assert session.pauses == 0


def test_a_planned_29_second_sleep_is_not_time_away() -> None:
    # 29 s: a pass of 30 s or more would wake for "ten seconds left" first.
    session = running(massage("Knead", 29), rest("Rest", 10))
    due = session.next_due(T0)
    assert due == T0 + 29
    events = session.poll(due + 0.3)  # woke a little late, as a sleeping process does
    assert kinds(events) == ["step_started"]
    assert session.state == "running" and session.pauses == 0
    assert session.active_seconds(due + 0.3) == pytest.approx(29.3)


def test_the_time_warning_is_a_planned_wake_up() -> None:
    session = running(massage("Knead", 45), rest("Rest", 10))
    due = session.next_due(T0)
    assert due == T0 + 35
    events = session.poll(due + 0.3)
    assert [(e.kind, e.at, e.seconds) for e in events] == [("time_warning", 35.0, 10.0)]
    assert session.next_due(due + 0.3) == T0 + 45 and session.pauses == 0


def test_a_wake_long_after_the_planned_one_pauses_at_the_planned_time() -> None:
    session = running(massage("Knead", 29), rest("Rest", 10))
    due = session.next_due(T0)
    assert due is not None
    events = session.poll(due + 8)  # stopped across the planned wake-up
    # The step boundary at the planned time is announced; nothing after it is.
    assert kinds(events) == ["step_started", "paused"]
    assert events[1].away and events[1].at == 29.0 and events[1].seconds == pytest.approx(8)
    assert session.active_seconds(due + 20) == 29.0


def test_an_early_wake_after_a_long_gap_is_not_the_planned_one() -> None:
    """A process stopped inside a planned sleep and woken early (SIGCONT) was away."""
    session = running(massage("Knead", 45), rest("Rest", 10))
    session.next_due(T0)
    session.poll(T0 + 30)
    assert session.state == "paused" and session.active_seconds(T0 + 30) == 0.0


def test_events_that_fell_due_during_the_gap_are_not_emitted_back_to_back() -> None:
    session = running(breathing("Box", "box", 2), massage("Knead", 10, side="each"), rest("Rest", 5))
    redraw(session, T0, T0 + 3)
    assert kinds(session.poll(T0 + 40)) == ["paused"]  # phases, a step, a side: all waiting
    assert session.resume(T0 + 41)
    events = session.poll(T0 + 41)
    assert kinds(events) == ["resumed"]
    later = redraw(session, T0 + 41, T0 + 41 + 2)
    assert [(e.kind, e.at, e.breath) for e in later] == [("phase_changed", 4.0, "hold")]


def test_active_time_after_the_gap_excludes_it_and_the_end_moves_by_it() -> None:
    session = running(rest("Rest", 20))
    redraw(session, T0, T0 + 5)
    session.poll(T0 + 5 + 12)  # 12 s away
    assert session.resume(T0 + 18)  # 1 s more, paused, before Enter
    redraw(session, T0 + 18, T0 + 18 + 15 + 0.05)
    assert session.state == "finished"
    assert session.active_seconds(T0 + 100) == 20.0
    assert session.ended_clock == pytest.approx(T0 + 18 + 15)


def test_time_away_while_paused_or_before_start_changes_nothing() -> None:
    session = Session(make_routine(rest("Rest", 20)), lead_in=0)
    session.poll(T0)
    assert session.start(T0 + 60)  # a long wait before the start is not time away
    assert session.pause(T0 + 61)
    session.poll(T0 + 200)
    assert session.resume(T0 + 200)
    assert session.state == "running" and session.pauses == 1 and session.away_pauses == 0
    assert session.active_seconds(T0 + 201) == pytest.approx(2.0)


def test_time_away_after_the_end_is_nothing() -> None:
    session = running(rest("Rest", 5))
    due = session.next_due(T0)
    assert due is not None
    assert kinds(session.poll(due + 60)) == ["finished"]  # the end was due before the gap
    assert session.pauses == 0 and session.active_seconds(due + 60) == 5.0


def test_quit_after_time_away_does_not_count_it() -> None:
    session = running(rest("Rest", 60))
    redraw(session, T0, T0 + 10)
    assert session.quit(T0 + 40)
    assert session.state == "quit" and session.active_seconds(T0 + 40) == pytest.approx(10.0)
    assert session.pauses == 1


def test_a_command_forgets_the_planned_wake() -> None:
    """After skip the plan is stale: a sleep to the old wake-up is time away."""
    session = running(massage("Knead", 45), rest("Rest", 10))
    session.next_due(T0)
    session.poll(T0 + 1)
    session.skip(T0 + 1)
    session.poll(T0 + 45)
    assert session.state == "paused" and session.active_seconds(T0 + 45) == pytest.approx(1.0)


def test_the_rule_scales_for_a_preview_and_can_be_turned_off() -> None:
    fast = Session(make_routine(rest("Rest", 600)), away_after=AWAY_SECONDS * 10, lead_in=0)  # --speed 10
    fast.start(T0)
    fast.poll(T0 + 19)  # 1.9 real seconds
    assert fast.state == "running"
    fast.poll(T0 + 19 + 21)
    assert fast.state == "paused"
    off = Session(make_routine(rest("Rest", 600)), away_after=None, lead_in=0)
    off.start(T0)
    off.poll(T0 + 300)
    assert off.state == "running" and off.active_seconds(T0 + 300) == 300.0


def test_a_heartbeat_plans_only_up_to_its_own_wake_up() -> None:
    """A runner that wakes every half second says so (`wake_by`): a stop inside the long
    sleep is then time away from the heartbeat on, not from the next event."""
    session = running(massage("Knead", 29), rest("Rest", 10))
    assert session.next_due(T0, wake_by=T0 + 0.5) == T0 + 29  # the event is still the event
    events = session.poll(T0 + 10)
    assert kinds(events) == ["paused"] and events[0].at == 0.5 and events[0].seconds == pytest.approx(9.5)
