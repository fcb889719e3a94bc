"""`Session.hold`: the clock stops while the app shows a question or its help, and the
record's `pauses` stays as the person left it (issue 14: the quit question counted a pause)."""

from __future__ import annotations

from coach.practice import Practice
from coach.session import Session
from tests.helpers.routines import sample_routine

T0 = 1000.0


def test_hold_stops_the_time_like_pause_but_counts_no_pause() -> None:
    session = Session(sample_routine(), away_after=None, lead_in=0)
    session.start(T0)
    assert session.hold(T0 + 5)
    assert session.state == "paused" and session.pauses == 0
    assert session.active_seconds(T0 + 100) == 5  # the time stood still
    assert not session.hold(T0 + 99)  # only while running
    assert session.resume(T0 + 100)
    assert session.active_seconds(T0 + 102) == 7 and session.pauses == 0
    assert session.pause(T0 + 103) and session.pauses == 1  # a pause the person made counts
    assert not session.hold(T0 + 104)


def test_a_hold_through_the_practice_keeps_pauses_out_of_the_record() -> None:
    practice = Practice(sample_routine())
    practice.start(T0)
    assert practice.hold(T0 + 2) and practice.state == "paused"
    assert practice.resume(T0 + 50)
    assert practice._counters()["pauses"] == 0
