"""The engine's guidance (issue 14) with an injected clock: reps and their cues, the gentler
breathing pattern, the lead-in, "ten seconds left", and "too much" with each relief."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.session import Event, Session
from tests.helpers.routines import breathing, make_routine, massage, rest

T0 = 1000.0  # an arbitrary monotonic origin


def reps_step(title: str = "Hold the spot", count: int = 3, hold: int = 8, release: int = 4,
              **extra: object) -> dict[str, object]:
    step = massage(title, 0, **extra)
    del step["seconds"]
    return {**step, "reps": {"count": count, "hold": hold, "release": release}}


def gentle_box(cycles: int = 4) -> dict[str, object]:
    return {**breathing("Box", "box", cycles),
            "gentler": {"pattern": "extended-exhale", "text": "Leave out the holds."}}  # fmt: skip


def started(*steps: dict[str, object], lead_in: float = 0.0) -> Session:
    session = Session(make_routine(*steps), away_after=None, lead_in=lead_in)
    assert session.start(T0)
    return session


def where(events: list[Event], *kinds: str) -> list[Event]:
    return [e for e in events if e.kind in kinds]


# --- reps --------------------------------------------------------------------------------


def test_a_reps_pass_lasts_count_times_hold_plus_release_per_side() -> None:
    session = Session(make_routine(reps_step(side="each"), rest("Rest", 5)), lead_in=0)
    assert [s.seconds for s in session.segments] == [36.0, 36.0, 5.0]
    assert session.planned_seconds == 77.0


def test_each_hold_and_release_is_an_event_with_its_rep_and_length() -> None:
    session = started(reps_step(), rest("Rest", 5))
    events = where(session.poll(T0 + 100), "rep_hold", "rep_release", "step_started", "finished")
    assert [(e.kind, e.at, e.rep, e.reps, e.seconds) for e in events] == [
        ("step_started", 0.0, 0, 0, 36.0),
        ("rep_hold", 0.0, 1, 3, 8.0), ("rep_release", 8.0, 1, 3, 4.0),
        ("rep_hold", 12.0, 2, 3, 8.0), ("rep_release", 20.0, 2, 3, 4.0),
        ("rep_hold", 24.0, 3, 3, 8.0), ("rep_release", 32.0, 3, 3, 4.0),
        ("step_started", 36.0, 0, 0, 5.0),
        ("finished", 41.0, 0, 0, 41.0),
    ]  # fmt: skip
    assert not where(session.poll(T0 + 200), "phase_changed")  # reps are not breaths


def test_the_snapshot_says_which_rep_and_holding_or_releasing_with_seconds_left() -> None:
    session = started(reps_step(), rest("Rest", 5))
    snap = session.snapshot(T0 + 14.5)  # rep 2, 2.5 s into its 8 s hold
    assert snap.rep is not None and snap.phase is None
    assert (snap.rep.rep, snap.rep.reps, snap.rep.holding, snap.rep.label) == (2, 3, True, "Hold")
    assert snap.rep.seconds_left == pytest.approx(5.5) and snap.rep.progress == pytest.approx(2.5 / 8)
    snap = session.snapshot(T0 + 33)  # rep 3, 1 s into its release
    assert (snap.rep.rep, snap.rep.holding, snap.rep.label) == (3, False, "Release")  # type: ignore[union-attr]
    assert snap.rep.seconds_left == pytest.approx(3.0)  # type: ignore[union-attr]
    assert snap.step_seconds_left == pytest.approx(3.0)
    assert session.snapshot(T0 + 37).rep is None  # the rest step has none


def test_next_due_wakes_at_each_hold_and_release() -> None:
    session = started(reps_step(count=2, hold=5, release=3))
    assert session.next_due(T0) == T0 + 5
    assert session.next_due(T0 + 5) == T0 + 8
    assert session.next_due(T0 + 8.5) == T0 + 13


def test_extend_on_reps_adds_whole_reps() -> None:
    session = started(reps_step(), rest("Rest", 5))
    assert session.extend(T0 + 1)  # 12 s a rep: three reps cover 30 s
    snap = session.snapshot(T0 + 1)
    assert snap.step_seconds == 72.0 and snap.rep is not None and snap.rep.reps == 6
    holds = where(session.poll(T0 + 80), "rep_hold")
    assert [e.rep for e in holds] == [1, 2, 3, 4, 5, 6] and all(e.reps == 6 for e in holds[1:])


# --- breathing gentler --------------------------------------------------------------------


def test_gentler_switches_the_pacer_pattern_from_that_moment_and_ends_on_a_whole_cycle() -> None:
    session = started(gentle_box(4), rest("Rest", 5))  # box: 16 s a cycle, 64 s
    assert session.snapshot(T0).has_gentler
    session.poll(T0 + 18)  # cycle 2, 2 s into its inhale
    progress = session.snapshot(T0 + 18).routine_progress
    assert session.toggle_gentler(T0 + 18)
    events = session.poll(T0 + 18)
    assert [(e.kind, e.on) for e in events if e.kind == "gentler_changed"] == [("gentler_changed", True)]
    first = where(events, "phase_changed")[0]
    assert (first.breath, first.at, first.seconds, first.cycle) == ("inhale", 18.0, 4.0, 3)
    snap = session.snapshot(T0 + 18)
    assert snap.routine_progress == pytest.approx(progress)  # the bar does not jump
    snap = session.snapshot(T0 + 19)
    assert snap.showing_gentler and snap.gentler_text == "Leave out the holds."
    # 46 s were left: 4.6 cycles of 10 s, rounded to 5 whole ones: the pass ends at 68 s.
    assert snap.step_seconds == 68.0 and snap.step_seconds_left == pytest.approx(49.0)
    assert session.planned_seconds == 73.0  # the plan is the pattern in force
    assert snap.phase is not None and (snap.phase.breath, snap.phase.seconds_left) == ("inhale", 3.0)
    assert snap.phase.cycle == 3 and snap.phase.cycles == 7
    events = session.poll(T0 + 80)
    phases = where(events, "phase_changed")
    assert [(e.breath, e.at, e.seconds) for e in phases] == [
        ("exhale", 22.0, 6.0), ("inhale", 28.0, 4.0), ("exhale", 32.0, 6.0), ("inhale", 38.0, 4.0),
        ("exhale", 42.0, 6.0), ("inhale", 48.0, 4.0), ("exhale", 52.0, 6.0), ("inhale", 58.0, 4.0),
        ("exhale", 62.0, 6.0),
    ]  # fmt: skip  # every breath whole: the last exhale ends with the pass
    assert [(e.kind, e.at) for e in where(events, "step_started", "finished")] == [
        ("step_started", 68.0), ("finished", 73.0)]
    assert session.completed and session.active_seconds(T0 + 80) == 73.0


def test_gentler_off_again_ends_the_pass_on_a_whole_cycle_of_the_usual_pattern() -> None:
    """The tester's case (issue 14): "Breath 4 of 4: in 4, hold 4, out 4, hold 4" was
    promised after switching back, and the step ended 1.3 s into the exhale."""
    session = started(gentle_box(2))  # 32 s
    session.toggle_gentler(T0 + 5)  # 27 s left: 2.7 cycles of 10 s → 3, the pass is 35 s
    assert session.snapshot(T0 + 5).step_seconds == 35.0
    session.toggle_gentler(T0 + 14)  # usual again: 21 s left, 1.3 cycles of 16 s → 1
    snap = session.snapshot(T0 + 14)
    assert snap.step_seconds == 30.0 and snap.phase is not None
    assert (snap.phase.cycle, snap.phase.cycles) == (3, 3)  # box, gentler, box
    events = session.poll(T0 + 40)
    phases = [(e.breath, e.at, e.seconds, e.cycle) for e in where(events, "phase_changed")]
    assert phases[-4:] == [("inhale", 14.0, 4.0, 3), ("hold", 18.0, 4.0, 3),
                           ("exhale", 22.0, 4.0, 3), ("hold-out", 26.0, 4.0, 3)]  # fmt: skip
    assert where(events, "finished")[0].at == 30.0 and session.planned_seconds == 30.0


def test_a_switch_with_little_left_still_gives_one_whole_cycle() -> None:
    session = started(gentle_box(1))  # 16 s
    session.toggle_gentler(T0 + 15)  # 1 s left: 0.1 cycle, rounded up to the one cycle
    assert session.snapshot(T0 + 15).step_seconds == 25.0
    phases = where(session.poll(T0 + 30), "phase_changed")
    last = [(e.breath, e.at, e.seconds) for e in phases][-2:]
    assert last == [("inhale", 15.0, 4.0), ("exhale", 19.0, 6.0)]


def test_back_under_the_gentler_pattern_restarts_on_whole_cycles_of_it() -> None:
    session = started(gentle_box(4), rest("Rest", 5))
    session.toggle_gentler(T0 + 18)  # the pass: 68 s
    assert session.back(T0 + 25)  # restart: 68 s of 10 s cycles → 7 cycles
    snap = session.snapshot(T0 + 25)
    assert snap.step_seconds == 70.0 and snap.phase is not None and snap.phase.cycles == 7
    assert session.rewound_seconds == pytest.approx(70.0 - (68.0 - 25.0))
    phases = where(session.poll(T0 + 25 + 70), "phase_changed")
    assert phases[-1].breath == "exhale" and phases[-1].seconds == 6.0


def test_a_step_start_says_how_many_cycles_the_pass_has_now() -> None:
    session = started(reps_step(count=3, hold=3, release=2), rest("Rest", 5))  # 15 s
    (start,) = where(session.poll(T0), "step_started")
    assert (start.cycles, start.seconds) == (3, 15.0)
    session.extend(T0 + 1)  # six more reps of 5 s
    session.back(T0 + 2)  # restart, extension kept
    (start,) = where(session.poll(T0 + 2), "step_started")
    assert (start.cycles, start.seconds) == (9, 45.0)
    (rest_start,) = where(session.poll(T0 + 50), "step_started")
    assert rest_start.cycles == 0


def test_a_skip_during_the_first_lead_in_does_not_announce_the_skipped_step() -> None:
    session = started(massage("Knead", 20), rest("Rest", 5), lead_in=3.0)
    session.poll(T0 + 1)
    assert session.skip(T0 + 1)
    events = session.poll(T0 + 1)
    assert [(e.kind, e.step_number) for e in events if e.kind != "lead_in"] == [
        ("skipped", 1), ("step_started", 2)]


def test_the_whole_seconds_shown_never_exceed_what_is_left_of_the_pass() -> None:
    session = started(gentle_box(4), rest("Rest", 5))
    session.toggle_gentler(T0 + 18)
    t = T0 + 18
    while t < T0 + 64:
        snap = session.snapshot(t)
        assert snap.phase is not None
        assert 0 <= snap.phase.seconds_left <= snap.step_seconds_left + 1e-9
        assert 0 <= snap.phase.progress <= 1
        t += 0.25


def test_gentler_off_switches_back_to_the_pattern_from_then() -> None:
    session = started(gentle_box(4), rest("Rest", 5))
    session.toggle_gentler(T0 + 16)
    session.poll(T0 + 30)
    assert session.toggle_gentler(T0 + 30)
    events = session.poll(T0 + 30)
    assert [e.on for e in where(events, "gentler_changed")] == [False]
    snap = session.snapshot(T0 + 31)
    assert not snap.showing_gentler and snap.phase is not None
    assert (snap.phase.breath, snap.phase.seconds) == ("inhale", 4.0)
    assert session.current_phases == (("inhale", 4.0), ("hold", 4.0), ("exhale", 4.0), ("hold-out", 4.0))
    assert session.gentler_used == 1


def test_gentler_before_start_makes_the_step_begin_with_the_gentler_pattern() -> None:
    session = Session(make_routine(gentle_box(2)), away_after=None, lead_in=0)
    assert session.toggle_gentler(T0)
    session.start(T0)
    assert session.current_phases == (("inhale", 4.0), ("exhale", 6.0))
    assert session.snapshot(T0 + 5).phase.breath == "exhale"  # type: ignore[union-attr]


def test_a_breathing_step_without_a_gentler_version_refuses_the_toggle() -> None:
    session = started(breathing("Box", "box", 2))
    assert not session.snapshot(T0).has_gentler
    assert session.toggle_gentler(T0 + 1) is False
    assert not where(session.poll(T0 + 1), "gentler_changed")


def test_extend_on_a_switched_pass_adds_whole_gentler_cycles() -> None:
    session = started(gentle_box(4), rest("Rest", 5))
    session.toggle_gentler(T0 + 16)  # 48 s left: 5 cycles of 10 s, the last cut to 8
    assert session.extend(T0 + 20)  # three 10 s cycles, and the cut one made whole
    snap = session.snapshot(T0 + 20)
    assert snap.step_seconds == pytest.approx(16 + 8 * 10)
    assert snap.phase is not None and snap.phase.cycles == 2 - 1 + 8


# --- lead-in ------------------------------------------------------------------------------


def test_the_lead_in_counts_three_two_one_before_the_first_step() -> None:
    session = started(massage("Knead", 20), rest("Rest", 5), lead_in=3.0)
    assert [(e.kind, e.count) for e in session.poll(T0)] == [("lead_in", 3)]
    snap = session.snapshot(T0 + 0.5)
    assert snap.leading_in and snap.lead_in_left == pytest.approx(2.5) and snap.state == "running"
    assert snap.step_seconds_left == 20.0 and snap.active_seconds == 0.0
    assert session.next_due(T0 + 0.5) == T0 + 1
    assert [(e.kind, e.count) for e in session.poll(T0 + 2.2)] == [("lead_in", 2), ("lead_in", 1)]
    events = session.poll(T0 + 3)
    assert [(e.kind, e.at) for e in events] == [("step_started", 0.0)]
    assert not session.snapshot(T0 + 3).leading_in
    assert session.active_seconds(T0 + 13) == pytest.approx(10.0)  # not practice time


def test_the_lead_in_comes_again_after_each_resume_and_is_not_practice() -> None:
    session = started(massage("Knead", 20), rest("Rest", 5), lead_in=3.0)
    session.poll(T0 + 8)  # 5 s practised
    session.pause(T0 + 8)
    assert session.resume(T0 + 30)
    events = session.poll(T0 + 30)
    assert [(e.kind, e.count) for e in events] == [("paused", 0), ("resumed", 0), ("lead_in", 3)]
    assert session.active_seconds(T0 + 32.9) == pytest.approx(5.0)
    assert session.active_seconds(T0 + 35) == pytest.approx(7.0)
    session.poll(T0 + 100)
    assert session.state == "finished"
    assert session.active_seconds(T0 + 100) == pytest.approx(25.0) == session.planned_seconds
    # The end is when the time ran out: 3 + 5, paused 22 s, 3 + 15, then the rest.
    assert session.ended_clock == pytest.approx(T0 + 3 + 5 + 22 + 3 + 15 + 5)
    assert session.completed


def test_a_pause_during_the_lead_in_keeps_the_first_step_for_later() -> None:
    session = started(massage("Knead", 20), lead_in=3.0)
    session.poll(T0 + 1)
    assert session.pause(T0 + 1.5)
    assert session.snapshot(T0 + 5).lead_in_left == 0.0
    session.resume(T0 + 10)
    events = session.poll(T0 + 13)
    assert [e.kind for e in events] == ["paused", "resumed", "lead_in", "lead_in", "lead_in", "step_started"]
    assert session.active_seconds(T0 + 14) == pytest.approx(1.0)


def test_without_a_lead_in_the_first_step_starts_at_once() -> None:
    session = started(massage("Knead", 20), lead_in=0)
    assert [e.kind for e in session.poll(T0)] == ["step_started"]


# --- ten seconds left ---------------------------------------------------------------------


def test_ten_seconds_left_on_passes_of_thirty_seconds_or_more_only() -> None:
    session = started(massage("Long", 45, side="each"), massage("Short", 29), rest("Rest", 30))
    warnings = where(session.poll(T0 + 500), "time_warning")
    assert [(e.at, e.step_number, e.side, e.seconds) for e in warnings] == [
        (35.0, 1, "left", 10.0), (80.0, 1, "right", 10.0), (139.0, 3, None, 10.0),
    ]  # fmt: skip


# --- too much -----------------------------------------------------------------------------


def firm_routine() -> list[dict[str, object]]:
    return [massage("Knead", 40, side="each", pressure="firm", gentler="Flat fingers."),
            gentle_box(2), rest("Rest", 10)]  # fmt: skip


def test_too_much_pauses_and_offers_what_the_step_allows() -> None:
    session = started(*firm_routine())
    assert session.too_much(T0 + 10)
    assert session.state == "paused" and session.pauses == 0
    snap = session.snapshot(T0 + 20)
    assert snap.too_much and snap.relief_choices == ("gentler", "lighter", "skip", "end")
    assert snap.active_seconds == 10.0
    assert where(session.poll(T0 + 20), "too_much")[0].at == 10.0
    rest_only = started(rest("Rest", 20))
    rest_only.too_much(T0 + 1)
    assert rest_only.relief_choices(T0 + 1) == ("skip", "end")
    assert rest_only.relieve(T0 + 1, "lighter") is False and rest_only.relieve(T0 + 1, "gentler") is False


def test_relief_gentler_switches_the_gentler_version_on_and_resumes() -> None:
    session = started(*firm_routine())
    session.too_much(T0 + 10)
    assert session.relieve(T0 + 12, "gentler")
    assert [(e.kind, e.choice, e.on) for e in session.poll(T0 + 12)][-3:] == [
        ("relief_chosen", "gentler", False), ("gentler_changed", None, True), ("resumed", None, False)]
    snap = session.snapshot(T0 + 13)
    assert snap.state == "running" and snap.showing_gentler and snap.instruction == "Flat fingers."
    assert not snap.too_much and snap.relief_choices == ()
    assert session.active_seconds(T0 + 13) == pytest.approx(11.0)


def test_relief_lighter_lowers_the_pressure_shown_for_this_step_only() -> None:
    session = started(*firm_routine())
    session.too_much(T0 + 10)
    assert session.relieve(T0 + 10, "lighter")
    snap = session.snapshot(T0 + 45)  # the right side: still this step
    assert snap.side == "right" and snap.pressure == "medium" and snap.pressure_lowered
    session.too_much(T0 + 46)
    assert session.relief_choices(T0 + 46) == ("gentler", "lighter", "skip", "end")
    session.relieve(T0 + 46, "lighter")
    assert session.snapshot(T0 + 47).pressure == "light"
    session.too_much(T0 + 48)
    assert "lighter" not in session.relief_choices(T0 + 48)  # nothing lighter than light
    session.relieve(T0 + 48, "skip")
    assert session.snapshot(T0 + 49).pressure is None  # the breathing step


def test_relief_skip_drops_every_side_left_of_the_step() -> None:
    session = started(*firm_routine())
    session.too_much(T0 + 10)  # on the left side
    assert session.relieve(T0 + 10, "skip")
    snap = session.snapshot(T0 + 10)
    assert snap.step_number == 2 and snap.state == "running"
    assert session.skips == 2 and session.steps_done == 0


def test_relief_end_quits() -> None:
    session = started(*firm_routine())
    session.too_much(T0 + 10)
    assert session.relieve(T0 + 11, "end")
    assert session.state == "quit" and session.active_seconds(T0 + 20) == 10.0


def test_too_much_while_paused_stays_paused_after_the_choice() -> None:
    session = started(*firm_routine())
    session.pause(T0 + 5)
    assert session.too_much(T0 + 6)
    assert session.relieve(T0 + 7, "lighter")
    assert session.state == "paused"


def test_relieve_without_a_press_or_with_an_unknown_choice_does_nothing() -> None:
    session = started(*firm_routine())
    assert session.relieve(T0 + 1, "skip") is False
    session.too_much(T0 + 2)
    assert session.relieve(T0 + 2, "harder") is False
    assert session.resume(T0 + 3) and not session.snapshot(T0 + 3).too_much  # going on drops it
    assert session.relieve(T0 + 3, "skip") is False


def test_too_much_before_start_or_after_the_end_does_nothing() -> None:
    session = Session(make_routine(rest("Rest", 5)), away_after=None, lead_in=0)
    assert session.too_much(T0) is False
    session.start(T0)
    session.poll(T0 + 10)
    assert session.too_much(T0 + 10) is False


def test_gentler_during_the_first_lead_in_starts_the_step_on_the_gentler_pattern_once() -> None:
    session = started(gentle_box(2), lead_in=3.0)
    assert session.toggle_gentler(T0 + 1)
    events = session.poll(T0 + 3)
    assert [(e.kind, e.breath) for e in events if e.kind in ("step_started", "phase_changed")] == [
        ("step_started", None), ("phase_changed", "inhale")]
    assert session.snapshot(T0 + 8).phase.breath == "exhale"  # type: ignore[union-attr]


# --- every breath whole, however often gentler is switched (issue 14) --------------------------

ODD = {"phases": [{"breath": "inhale", "seconds": 0.7}, {"breath": "exhale", "seconds": 1.3}]}
GENTLER_PATTERNS = ("extended-exhale", "cyclic-sigh", ODD)


@settings(max_examples=100, deadline=None)
@given(
    pattern=st.sampled_from(GENTLER_PATTERNS),
    cycles=st.integers(1, 4),
    toggles=st.lists(st.floats(0, 30), max_size=5),
)
def test_no_breath_is_cut_short_by_a_switch(pattern: object, cycles: int, toggles: list[float]) -> None:
    step = {**breathing("Box", "box", cycles), "gentler": {"pattern": pattern, "text": "Softer."}}
    session = started(step, rest("Rest", 5))
    box = dict(session.segments[0].phases)
    gentle = dict(session.segments[0].gentler_phases)
    events: list[Event] = []
    now = T0
    for gap in toggles:
        now += gap
        events += session.poll(now)
        progress = session.snapshot(now).routine_progress
        session.toggle_gentler(now)
        assert session.snapshot(now).routine_progress == pytest.approx(progress)
    events += session.poll(now + 1000)
    on = False
    for event in events:
        if event.kind == "gentler_changed":
            on = event.on
        if event.kind == "phase_changed":  # each phase as long as its pattern says
            assert event.seconds == pytest.approx((gentle if on else box)[event.breath])
    (rest_start,) = [e for e in events if e.kind == "step_started" and e.step_number == 2]
    assert session.state == "finished" and session.completed
    assert session.active_seconds(now + 1000) == pytest.approx(session.planned_seconds)
    assert rest_start.at == pytest.approx(session.planned_seconds - 5)
