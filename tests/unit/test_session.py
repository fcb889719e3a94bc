"""The session engine with a fake clock: the timeline, every command in every state."""

from __future__ import annotations

import pytest

from coach.session import BACK_RESTART_SECONDS, Event, Session
from tests.helpers.routines import breathing, make_routine, massage, rest, sample_routine

ALL_COMMANDS = ["start", "pause", "resume", "skip", "back", "extend", "toggle_gentler", "quit"]
T0 = 1000.0  # an arbitrary monotonic origin: nothing may assume the clock starts at 0


def kinds(events: list[Event]) -> list[str]:
    return [e.kind for e in events]


def started(routine=None) -> Session:
    # These tests poll sparsely (one look after 100 s): without the time-away rule, which
    # the tests under "time away" below exercise.
    session = Session(routine or sample_routine(), away_after=None, lead_in=0)
    assert session.start(T0)
    return session


# --- the timeline ------------------------------------------------------------------------


def test_timeline_has_one_segment_per_pass() -> None:
    session = Session(sample_routine(), lead_in=0)
    segs = session.segments
    assert [(s.step_index, s.side, s.pass_number, s.seconds, s.start) for s in segs] == [
        (0, None, 1, 32.0, 0.0),
        (1, "left", 1, 10.0, 32.0),
        (1, "right", 2, 10.0, 42.0),
        (2, None, 1, 5.0, 52.0),
    ]
    assert session.planned_seconds == 57.0 == sample_routine().total_seconds


def test_a_whole_run_emits_every_event_at_its_planned_time() -> None:
    session = started()
    events = session.poll(T0 + 100)
    assert [(e.kind, e.at, e.step_number, e.side, e.breath) for e in events] == [
        ("step_started", 0.0, 1, None, None),
        ("phase_changed", 0.0, 1, None, "inhale"),
        ("phase_changed", 4.0, 1, None, "hold"),
        ("phase_changed", 8.0, 1, None, "exhale"),
        ("phase_changed", 12.0, 1, None, "hold-out"),
        ("phase_changed", 16.0, 1, None, "inhale"),
        ("phase_changed", 20.0, 1, None, "hold"),
        ("time_warning", 22.0, 1, None, None),  # a pass of 30 s or more: ten seconds left
        ("phase_changed", 24.0, 1, None, "exhale"),
        ("phase_changed", 28.0, 1, None, "hold-out"),
        ("step_started", 32.0, 2, "left", None),
        ("side_switched", 42.0, 2, "right", None),
        ("step_started", 52.0, 3, None, None),
        ("finished", 57.0, 3, None, None),
    ]
    assert session.state == "finished"
    assert session.active_seconds(T0 + 200) == 57.0
    assert session.ended_clock == T0 + 57.0
    assert session.steps_done == 3
    assert session.poll(T0 + 300) == []


def test_phase_events_carry_cycle_and_length() -> None:
    session = started()
    events = [e for e in session.poll(T0 + 17) if e.kind == "phase_changed"]
    assert [(e.breath, e.cycle, e.cycles, e.seconds) for e in events] == [
        ("inhale", 1, 2, 4.0), ("hold", 1, 2, 4.0), ("exhale", 1, 2, 4.0),
        ("hold-out", 1, 2, 4.0), ("inhale", 2, 2, 4.0),
    ]  # fmt: skip


def test_polling_often_or_once_gives_the_same_events() -> None:
    once = started().poll(T0 + 60)
    often_session = started()
    often: list[Event] = []
    t = T0
    while t < T0 + 60:
        often += often_session.poll(t)
        t += 0.1
    often += often_session.poll(T0 + 60)
    assert often == once


def test_snapshot_before_start_shows_the_first_step() -> None:
    snap = Session(sample_routine(), lead_in=0).snapshot(T0)
    assert snap.state == "ready"
    assert (snap.step_number, snap.step_count, snap.title) == (1, 3, "Box breaths")
    assert snap.step_type == "breathing"
    assert snap.step_seconds_left == 32.0 and snap.routine_seconds_left == 57.0
    assert snap.routine_progress == 0.0 and snap.phase is None
    assert snap.next_title == "Knead the shoulder"


def test_snapshot_during_a_breathing_phase() -> None:
    session = started()
    snap = session.snapshot(T0 + 9.0)  # cycle 1, exhale (8–12), 1 s in
    assert snap.phase is not None
    assert (snap.phase.breath, snap.phase.label, snap.phase.cycle, snap.phase.cycles) == (
        "exhale", "Breathe out", 1, 2,
    )  # fmt: skip
    assert snap.phase.progress == pytest.approx(0.25)
    assert snap.phase.seconds_left == pytest.approx(3.0)
    assert snap.step_seconds_left == pytest.approx(23.0)
    assert snap.routine_seconds_left == pytest.approx(48.0)
    assert snap.routine_progress == pytest.approx(9 / 57)


def test_snapshot_of_a_massage_pass() -> None:
    session = started()
    snap = session.snapshot(T0 + 44.5)
    assert (snap.step_number, snap.side, snap.pass_number, snap.pass_count) == (2, "right", 2, 2)
    assert snap.pressure == "medium" and snap.has_gentler and not snap.showing_gentler
    assert snap.instruction == "Do knead the shoulder."
    assert snap.step_seconds_left == pytest.approx(7.5)
    assert snap.phase is None
    assert snap.next_title == "Notice"


def test_snapshot_after_the_end() -> None:
    session = started()
    snap = session.snapshot(T0 + 90)
    assert snap.state == "finished"
    assert snap.step_number == 3 and snap.next_title is None
    assert snap.step_seconds_left == 0.0 and snap.routine_seconds_left == 0.0
    assert snap.routine_progress == 1.0 and snap.active_seconds == 57.0


def test_next_due_is_the_next_boundary() -> None:
    session = started()
    assert session.next_due(T0 + 1.5) == pytest.approx(T0 + 4.0)
    assert session.next_due(T0 + 30) == pytest.approx(T0 + 32.0)
    assert session.next_due(T0 + 33) == pytest.approx(T0 + 42.0)
    session.pause(T0 + 33)
    assert session.next_due(T0 + 40) is None
    session.resume(T0 + 40)
    assert session.next_due(T0 + 40) == pytest.approx(T0 + 49.0)


def test_a_clock_that_steps_back_is_ignored() -> None:
    session = started()
    before = session.snapshot(T0 + 10)
    after = session.snapshot(T0 + 5)
    assert after.active_seconds == before.active_seconds == 10.0


# --- commands in the ready state --------------------------------------------------------


@pytest.mark.parametrize("command", ["pause", "resume", "skip", "back", "extend"])
def test_ready_ignores_commands_that_need_a_running_session(command: str) -> None:
    session = Session(sample_routine(), lead_in=0)
    assert getattr(session, command)(T0) is False
    assert session.state == "ready" and session.poll(T0 + 5) == []


def test_toggle_pause_starts_a_ready_session() -> None:
    session = Session(sample_routine(), lead_in=0)
    assert session.toggle_pause(T0)
    assert session.state == "running" and session.started_clock == T0


def test_start_twice_does_nothing() -> None:
    session = started()
    assert session.start(T0 + 5) is False
    assert session.snapshot(T0 + 5).active_seconds == 5.0


def test_quit_before_start() -> None:
    session = Session(sample_routine(), lead_in=0)
    assert session.quit(T0)
    assert session.state == "quit" and not session.started
    assert kinds(session.poll(T0)) == ["quit"]


def test_gentler_can_be_shown_before_start_only_where_a_step_has_it() -> None:
    session = Session(sample_routine(), lead_in=0)
    assert session.toggle_gentler(T0) is False  # breathing step: no gentler text


# --- pause and resume -------------------------------------------------------------------


def test_pause_during_a_hold_freezes_everything() -> None:
    session = started()
    session.poll(T0 + 5)
    assert session.pause(T0 + 5.5)  # in the hold, 1.5 s in
    snap = session.snapshot(T0 + 500)
    assert snap.state == "paused" and snap.paused
    assert snap.phase is not None and snap.phase.breath == "hold"
    assert snap.phase.seconds_left == pytest.approx(2.5)
    assert snap.active_seconds == 5.5
    assert session.poll(T0 + 500) == [Event("paused", 5.5, 1, None, 1)]
    assert session.resume(T0 + 500)
    events = session.poll(T0 + 503)
    assert kinds(events) == ["resumed", "phase_changed"]
    assert events[1].breath == "exhale" and events[1].at == 8.0
    assert session.pauses == 1


def test_pause_twice_and_resume_twice_count_once() -> None:
    session = started()
    assert session.pause(T0 + 1) and not session.pause(T0 + 2)
    assert session.resume(T0 + 3) and not session.resume(T0 + 4)
    assert session.pauses == 1
    assert session.snapshot(T0 + 4).active_seconds == pytest.approx(2.0)


def test_toggle_pause_alternates() -> None:
    session = started()
    assert session.toggle_pause(T0 + 1) and session.state == "paused"
    assert session.toggle_pause(T0 + 2) and session.state == "running"


def test_a_boundary_passed_before_a_pause_is_still_reported() -> None:
    session = started()
    session.pause(T0 + 33)  # no poll in between: the step change at 32 s is still due
    assert kinds(session.poll(T0 + 40))[-2:] == ["step_started", "paused"]


# --- skip --------------------------------------------------------------------------------


def test_skip_moves_to_the_next_pass_and_counts_what_was_dropped() -> None:
    session = started()
    session.poll(T0 + 35)
    assert session.skip(T0 + 35)
    events = session.poll(T0 + 35)
    assert [(e.kind, e.side, e.seconds) for e in events] == [
        ("skipped", "left", 7.0), ("side_switched", "right", 10.0),
    ]  # fmt: skip
    assert session.skips == 1 and session.skipped_seconds == pytest.approx(7.0)
    assert session.snapshot(T0 + 36).step_seconds_left == pytest.approx(9.0)


def test_skip_on_the_last_step_finishes() -> None:
    session = started()
    session.poll(T0 + 53)
    assert session.skip(T0 + 53)
    assert kinds(session.poll(T0 + 53)) == ["skipped", "finished"]
    assert session.state == "finished" and session.ended_clock == T0 + 53
    assert session.active_seconds(T0 + 99) == 53.0
    assert session.steps_done == 2  # the last step was skipped, not done
    assert session.skip(T0 + 54) is False


def test_skip_while_paused_stays_paused() -> None:
    session = started()
    session.pause(T0 + 2)
    assert session.skip(T0 + 10)
    snap = session.snapshot(T0 + 20)
    assert snap.state == "paused" and snap.step_number == 2 and snap.step_seconds_left == 10.0
    assert snap.active_seconds == 2.0


def test_skip_everything_while_paused_finishes_at_the_moment_of_the_skip() -> None:
    session = started()
    session.pause(T0 + 2)
    for _ in range(4):
        assert session.skip(T0 + 10)
    assert session.state == "finished" and session.ended_clock == T0 + 10
    assert session.active_seconds(T0 + 20) == 2.0


def test_skip_in_a_breathing_step_stops_its_phases() -> None:
    session = started()
    session.skip(T0 + 1)
    events = session.poll(T0 + 20)
    assert "phase_changed" not in kinds(events)[2:]


# --- back --------------------------------------------------------------------------------


def test_back_late_in_a_pass_restarts_it() -> None:
    session = started()
    session.poll(T0 + 38)  # left pass, 6 s in
    assert session.back(T0 + 38)
    assert [(e.kind, e.side, e.seconds) for e in session.poll(T0 + 38)] == [
        ("rewound", "left", 6.0), ("step_started", "left", 10.0),
    ]  # fmt: skip
    assert session.snapshot(T0 + 38).step_seconds_left == 10.0
    assert session.rewound_seconds == pytest.approx(6.0)


def test_back_across_a_side_switch_returns_to_the_left_side() -> None:
    session = started()
    session.poll(T0 + 43)  # right pass, 1 s in
    assert session.back(T0 + 43)
    events = session.poll(T0 + 43)
    assert [(e.kind, e.side) for e in events] == [("rewound", "right"), ("step_started", "left")]
    assert events[0].seconds == pytest.approx(11.0)  # 1 s of the right pass + the whole left pass
    snap = session.snapshot(T0 + 44)
    assert (snap.side, snap.pass_number, snap.step_seconds_left) == ("left", 1, 9.0)
    # then the switch comes again, with its cue
    assert [(e.kind, e.side) for e in session.poll(T0 + 53)] == [("side_switched", "right")]


def test_back_within_the_first_seconds_goes_to_the_previous_step() -> None:
    session = started()
    session.poll(T0 + 32 + BACK_RESTART_SECONDS / 2)
    session.back(T0 + 32 + BACK_RESTART_SECONDS / 2)
    snap = session.snapshot(T0 + 40)
    assert snap.step_number == 1 and snap.phase is not None
    assert snap.step_seconds_left == pytest.approx(32 - (40 - 32 - BACK_RESTART_SECONDS / 2))


def test_back_on_the_first_pass_restarts_it() -> None:
    session = started()
    assert session.back(T0 + 1)
    assert session.snapshot(T0 + 1).step_seconds_left == 32.0
    assert kinds(session.poll(T0 + 1))[-3:] == ["rewound", "step_started", "phase_changed"]


def test_back_after_the_end_does_nothing() -> None:
    session = started()
    session.poll(T0 + 60)
    assert session.back(T0 + 60) is False


def test_back_while_paused_stays_paused() -> None:
    session = started()
    session.pause(T0 + 47)  # 5 s into the right pass
    assert session.back(T0 + 50)
    snap = session.snapshot(T0 + 60)
    assert snap.state == "paused" and snap.side == "right" and snap.step_seconds_left == 10.0


# --- extend ------------------------------------------------------------------------------


def test_extend_adds_thirty_seconds_to_the_pass() -> None:
    session = started()
    session.poll(T0 + 35)
    assert session.extend(T0 + 35)
    assert session.snapshot(T0 + 35).step_seconds_left == pytest.approx(37.0)
    events = session.poll(T0 + 80)
    assert ("extended", 35.0, 30.0) == (events[0].kind, events[0].at, events[0].seconds)
    assert ("time_warning", 62.0) == (events[1].kind, events[1].at)  # the pass is 40 s now
    assert ("side_switched", 72.0) == (events[2].kind, events[2].at)


def test_extend_while_paused() -> None:
    session = started()
    session.pause(T0 + 50)
    assert session.extend(T0 + 60)
    snap = session.snapshot(T0 + 70)
    assert snap.paused and snap.step_seconds == 40.0 and snap.step_seconds_left == pytest.approx(32.0)
    assert snap.routine_seconds_left == pytest.approx(32.0 + 5.0)  # the right pass, then the rest


def test_extend_a_breathing_step_adds_whole_cycles() -> None:
    session = started()
    assert session.extend(T0 + 1)  # box cycle 16 s: two cycles cover 30 s
    assert session.extended_seconds == 32.0
    snap = session.snapshot(T0 + 1)
    assert snap.step_seconds == 64.0 and snap.phase is not None and snap.phase.cycles == 4
    events = [e for e in session.poll(T0 + 70) if e.kind == "phase_changed"]
    assert len(events) == 16 and events[-1].breath == "hold-out" and events[-1].at == 60.0


def test_extend_after_quit_does_nothing() -> None:
    session = started()
    session.quit(T0 + 1)
    assert session.extend(T0 + 2) is False


# --- gentler -----------------------------------------------------------------------------


def test_gentler_shows_the_gentler_text_for_both_sides_and_counts_once() -> None:
    session = started()
    session.poll(T0 + 33)
    assert session.toggle_gentler(T0 + 33)
    snap = session.snapshot(T0 + 34)
    assert snap.showing_gentler and snap.instruction == "Use flat fingers."
    assert session.snapshot(T0 + 45).showing_gentler  # still shown on the right side
    assert session.toggle_gentler(T0 + 46) and session.toggle_gentler(T0 + 47)
    assert session.gentler_used == 1
    assert not session.snapshot(T0 + 53).showing_gentler  # the next step is itself again


def test_gentler_on_a_step_without_it_does_nothing() -> None:
    session = started()
    assert session.toggle_gentler(T0 + 1) is False
    assert session.gentler_used == 0


def test_gentler_while_paused() -> None:
    session = started()
    session.pause(T0 + 40)
    assert session.toggle_gentler(T0 + 41)
    assert session.snapshot(T0 + 42).showing_gentler


# --- quit --------------------------------------------------------------------------------


def test_quit_while_running_freezes_the_active_time() -> None:
    session = started()
    assert session.quit(T0 + 12.25)
    assert session.state == "quit" and session.ended_clock == T0 + 12.25
    assert session.active_seconds(T0 + 100) == 12.25
    assert kinds(session.poll(T0 + 100))[-1] == "quit"
    assert session.steps_done == 0


def test_quit_while_paused_counts_no_paused_time() -> None:
    session = started()
    session.pause(T0 + 10)
    session.quit(T0 + 100)
    assert session.active_seconds(T0 + 200) == 10.0


@pytest.mark.parametrize("command", ALL_COMMANDS)
def test_nothing_acts_after_quit(command: str) -> None:
    session = started()
    session.quit(T0 + 1)
    session.poll(T0 + 1)
    assert getattr(session, command)(T0 + 2) is False
    assert session.poll(T0 + 3) == []


@pytest.mark.parametrize("command", ALL_COMMANDS)
def test_nothing_acts_after_the_end(command: str) -> None:
    session = started()
    session.poll(T0 + 100)
    assert getattr(session, command)(T0 + 101) is False
    assert session.state == "finished"


# --- counters for the record ------------------------------------------------------------


def test_steps_done_counts_a_step_replayed_once() -> None:
    session = started(make_routine(rest("A", 5), rest("B", 5)))
    session.poll(T0 + 6)
    session.back(T0 + 6)  # back to A, already done
    session.poll(T0 + 20)
    assert session.steps_done == 2 and session.state == "finished"
    assert session.active_seconds(T0 + 20) == pytest.approx(16.0)


def test_custom_pattern_with_a_half_second_phase() -> None:
    pattern = {"phases": [{"breath": "inhale", "seconds": 0.5}, {"breath": "exhale", "seconds": 1.5}]}
    session = started(make_routine(breathing("Quick", pattern, 3), massage("M", 5)))
    events = session.poll(T0 + 20)
    phases = [(e.breath, e.at) for e in events if e.kind == "phase_changed"]
    assert phases == [("inhale", 0.0), ("exhale", 0.5), ("inhale", 2.0), ("exhale", 2.5),
                      ("inhale", 4.0), ("exhale", 4.5)]  # fmt: skip
    assert events[-1].kind == "finished" and events[-1].at == 11.0


# --- progress never goes backwards --------------------------------------------------------


@pytest.mark.parametrize(
    "first", [breathing("Box", "box", 2), massage("Knead", 20, side="each"), rest("Rest", 20)]
)
def test_progress_does_not_drop_after_extend_when_time_runs_into_the_next_step(first: dict) -> None:
    session = started(make_routine(first, rest("After", 10)))
    session.poll(T0 + 5)
    before = session.snapshot(T0 + 5).routine_progress
    assert session.extend(T0 + 5)
    assert session.snapshot(T0 + 5).routine_progress == pytest.approx(before)  # + moves nothing back
    seen = []
    t = T0 + 5
    while not session.over:
        t += 0.25
        seen.append(session.snapshot(t).routine_progress)
    assert seen == sorted(seen) and seen[-1] == 1.0


def test_progress_goes_back_on_back_only() -> None:
    session = started(make_routine(rest("One", 20), rest("Two", 20)))
    session.poll(T0 + 25)
    before = session.snapshot(T0 + 25).routine_progress
    assert before == pytest.approx(25 / 40)
    assert session.back(T0 + 25)  # 5 s into the second step: restarts it
    assert session.snapshot(T0 + 25).routine_progress == pytest.approx(20 / 40)
    assert session.skip(T0 + 25)
    assert session.snapshot(T0 + 25).routine_progress == 1.0
