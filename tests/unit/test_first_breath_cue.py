"""A step's first breath (or rep's hold) is cued when it begins, also when the step was
reached while the time stood still (issue 14): a skip during the lead-in count, a skip while
paused, "too much" → gentler. The engine used to emit that first breath at the skip, while
the count still ran; Practice dropped its tone there (the breath had not begun), and nothing
told it again when the count ended. A fake clock (the `now` passed in) and a recording cue
sink."""

from __future__ import annotations

from typing import Any

import pytest

from coach.practice import Practice
from coach.session import Event, Session
from tests.helpers.routines import breathing, make_routine, massage

T0 = 2000.0  # an arbitrary monotonic origin
LEAD = 3.0
STEP = 0.05  # the fake clock's polling interval, seconds (a redraw is 0.1 s)


class RecordingCues:
    """A cue sink: every cue played, with the fake clock's time it was played at."""

    def __init__(self) -> None:
        self.now = T0
        self.played: list[tuple[float, str]] = []

    def play(self, cue: str) -> None:
        self.played.append((self.now, cue))

    def between(self, start: float, end: float) -> list[str]:
        return [cue for at, cue in self.played if start - 1e-9 <= at < end]


def box_after_massage(**extra: Any) -> Any:
    box = breathing("Box", "box", 2)  # 4-4-4-4: the first hold is 4 s after the inhale
    return make_routine(massage("Knead", 20), {**box, **extra})


def reps_after_massage() -> Any:
    reps = {**massage("Hold the spot", 0), "reps": {"count": 2, "hold": 5, "release": 3}}
    del reps["seconds"]
    return make_routine(massage("Knead", 20), reps)


def practice(routine: Any, sink: RecordingCues, *, lead_in: float = LEAD) -> Practice:
    return Practice(routine, player=sink, away_after=None, lead_in=lead_in)  # type: ignore[arg-type]


def run(p: Practice, sink: RecordingCues, start: float, end: float) -> list[Event]:
    """Poll every STEP seconds from `start` up to `end`, as a redraw does."""
    events: list[Event] = []
    t = start
    while t <= end + 1e-9:
        sink.now = t
        events += p.poll(t)
        t = round(t + STEP, 6)
    return events


def test_a_skip_during_the_first_lead_in_cues_the_first_breath_when_the_count_ends() -> None:
    sink = RecordingCues()
    p = practice(box_after_massage(), sink)
    p.start(T0)
    run(p, sink, T0, T0 + 1)
    sink.now = T0 + 1
    assert p.skip(T0 + 1)  # to the breathing step, the count still running
    run(p, sink, T0 + 1, T0 + 3.9)
    assert p.snapshot(T0 + 3.9).phase.breath == "inhale"  # type: ignore[union-attr]
    assert sink.between(T0 + LEAD, T0 + LEAD + 0.5) == ["inhale"]  # when the breath begins
    assert "inhale" not in sink.between(T0, T0 + LEAD)  # not lost under the count


def test_a_skip_during_the_lead_in_after_a_resume_cues_the_first_breath() -> None:
    sink = RecordingCues()
    p = practice(box_after_massage(), sink)
    p.start(T0)
    run(p, sink, T0, T0 + 8)
    sink.now = T0 + 8
    p.pause(T0 + 8)
    sink.now = T0 + 10
    p.resume(T0 + 10)  # the count: 10, 11, 12; the time runs from 13
    run(p, sink, T0 + 10, T0 + 11.5)
    sink.now = T0 + 11.5
    assert p.skip(T0 + 11.5)
    run(p, sink, T0 + 11.5, T0 + 14.5)
    assert sink.between(T0 + 13, T0 + 13.5) == ["inhale"]
    assert "inhale" not in sink.between(T0 + 10, T0 + 13)


def test_a_skip_to_a_reps_step_during_the_lead_in_ticks_its_first_hold() -> None:
    sink = RecordingCues()
    p = practice(reps_after_massage(), sink)
    p.start(T0)
    run(p, sink, T0, T0 + 0.5)
    sink.now = T0 + 0.5
    assert p.skip(T0 + 0.5)
    run(p, sink, T0 + 0.5, T0 + 4)
    assert sink.between(T0 + LEAD, T0 + LEAD + 0.5) == ["tick"]  # the first hold


def test_a_skip_while_paused_without_a_lead_in_cues_the_first_breath_at_the_resume() -> None:
    sink = RecordingCues()
    p = practice(box_after_massage(), sink, lead_in=0)
    p.start(T0)
    run(p, sink, T0, T0 + 5)
    sink.now = T0 + 5
    p.pause(T0 + 5)
    assert p.skip(T0 + 6)
    run(p, sink, T0 + 6, T0 + 9)
    assert "inhale" not in sink.between(T0 + 5, T0 + 9)  # paused: the breath has not begun
    sink.now = T0 + 9
    p.resume(T0 + 9)
    run(p, sink, T0 + 9, T0 + 10)
    assert sink.between(T0 + 9, T0 + 9.5) == ["inhale"]


def test_too_much_then_gentler_cues_the_gentler_patterns_first_breath_after_the_count() -> None:
    sink = RecordingCues()
    gentler = {"gentler": {"pattern": "extended-exhale", "text": "Leave out the holds."}}
    p = practice(box_after_massage(**gentler), sink)
    p.start(T0)
    sink.now = T0 + 1
    p.skip(T0 + 1)
    run(p, sink, T0 + 1, T0 + 9)  # the box runs from 3: inhale 3-7, hold 7-11
    sink.now = T0 + 9
    assert p.too_much(T0 + 9) and p.relieve(T0 + 9, "gentler")  # the count: 9, 10, 11
    run(p, sink, T0 + 9, T0 + 12.5)
    assert p.current_phases == (("inhale", 4.0), ("exhale", 6.0))
    assert sink.between(T0 + 12, T0 + 12.5) == ["inhale"]  # the new pattern's first breath
    assert "inhale" not in sink.between(T0 + 9, T0 + 12)


def test_the_engine_tells_the_first_breath_when_the_count_ends_not_at_the_skip() -> None:
    session = Session(box_after_massage(), away_after=None, lead_in=LEAD)
    session.start(T0)
    session.poll(T0 + 1)
    session.skip(T0 + 1)
    at_skip = session.poll(T0 + 1)
    assert [e.kind for e in at_skip] == ["skipped", "step_started"]
    assert [e.kind for e in session.poll(T0 + 2.5) if e.kind != "lead_in"] == []
    (first,) = session.poll(T0 + LEAD)
    assert (first.kind, first.breath, first.cycle, first.at) == ("phase_changed", "inhale", 1, 0.0)
    assert first.seconds == pytest.approx(4.0)
    # The timeline goes on from there as usual: the hold 4 s later, told once.
    later = session.poll(T0 + LEAD + 4)
    assert [(e.kind, e.breath) for e in later] == [("phase_changed", "hold")]
