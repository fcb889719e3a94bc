"""coach.remind: the break schedule with an injected clock; its options; the routine a
break starts. No terminal, no sleep."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

import pytest

from coach.errors import UsageError
from coach.remind import (
    AWAY_SECONDS,
    POSTPONE_SECONDS,
    SESSION_RECHECK_SECONDS,
    QuietHours,
    Reminder,
    choose_routine,
    parse_every,
    parse_quiet,
    wall_at,
)

TZ = timezone(timedelta(hours=1))
MORNING = datetime(2026, 11, 26, 10, 0, tzinfo=TZ)


class Clock:
    """The reminder's monotonic clock and the wall clock, moved together by hand."""

    def __init__(self, wall: datetime = MORNING) -> None:
        self.mono = 1000.0
        self.wall = wall

    def advance(self, seconds: float) -> None:
        self.mono += seconds
        self.wall += timedelta(seconds=seconds)


def check(r: Reminder, c: Clock, running: bool = False) -> str:
    return r.check(c.mono, c.wall, session_running=running).kind


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("5s", 5), ("10m", 600), ("1h30m", 5400), ("1h", 3600), ("50m", 3000), ("90s", 90), (" 2H ", 7200),
     ("1h0m30s", 3630), ("24h", 86400)],
)  # fmt: skip
def test_every_accepts_lengths(text: str, seconds: float) -> None:
    assert parse_every(text) == seconds


@pytest.mark.parametrize("text", ["", "50", "m", "4s", "1d", "25h", "-5m", "5 m", "1.5h", "h30m0", "0s"])
def test_every_refuses_other_text(text: str) -> None:
    with pytest.raises(UsageError, match="--every"):
        parse_every(text)


def test_quiet_hours_parse_and_wrap_midnight() -> None:
    quiet = parse_quiet("19:00-08:00")
    assert quiet == QuietHours(time(19), time(8))
    assert quiet.contains(MORNING.replace(hour=23, minute=30))
    assert quiet.contains(MORNING.replace(hour=0, minute=0))
    assert quiet.contains(MORNING.replace(hour=7, minute=59))
    assert not quiet.contains(MORNING.replace(hour=8, minute=0))  # the end is not quiet
    assert quiet.contains(MORNING.replace(hour=19, minute=0))  # the start is
    assert not quiet.contains(MORNING.replace(hour=12))
    late = MORNING.replace(hour=22)
    assert quiet.ends_after(late) == (late + timedelta(days=1)).replace(hour=8)
    assert quiet.ends_after(MORNING.replace(hour=3)) == MORNING.replace(hour=8)


def test_quiet_hours_within_a_day() -> None:
    lunch = parse_quiet("12:00-13:00")
    assert lunch.contains(MORNING.replace(hour=12, minute=30))
    assert not lunch.contains(MORNING.replace(hour=13))
    assert not lunch.contains(MORNING.replace(hour=23))
    assert lunch.text() == "12:00-13:00"


@pytest.mark.parametrize(
    "text", ["19:00", "19-08", "25:00-08:00", "19:00-08:60", "08:00-08:00", "a-b", "1:2-3:4"]
)
def test_quiet_refuses_bad_times(text: str) -> None:
    with pytest.raises(UsageError, match="--quiet"):
        parse_quiet(text)


def test_due_after_every_seconds_then_rings_until_answered() -> None:
    c = Clock()
    r = Reminder(3000, now=c.mono)
    assert r.seconds_left(c.mono) == 3000
    c.advance(2999)
    assert check(r, c) == "wait"
    c.advance(1)
    assert check(r, c) == "ring"
    assert r.ringing
    c.advance(30)  # nobody answered yet: still ringing, not "away"
    assert check(r, c) == "ring"


def test_postpone_asks_again_in_ten_minutes() -> None:
    c = Clock()
    r = Reminder(3000, now=c.mono)
    c.advance(3000)
    assert check(r, c) == "ring"
    r.postpone(c.mono)
    assert not r.ringing
    assert r.seconds_left(c.mono) == POSTPONE_SECONDS == 600
    c.advance(599)
    assert check(r, c) == "wait"
    c.advance(1)
    assert check(r, c) == "ring"


def test_skip_and_taken_start_the_interval_again() -> None:
    c = Clock()
    r = Reminder(300, now=c.mono)
    c.advance(300)
    assert check(r, c) == "ring"
    c.advance(20)
    r.skip(c.mono)
    assert r.seconds_left(c.mono) == 300
    c.advance(300)
    assert check(r, c) == "ring"
    c.advance(200)  # a five-minute routine ran
    r.taken(c.mono)
    assert r.seconds_left(c.mono) == 300 and not r.ringing


def test_quiet_hours_keep_it_silent_and_the_break_falls_on_their_end() -> None:
    c = Clock(MORNING.replace(hour=18, minute=30))
    r = Reminder(3000, now=c.mono, quiet=parse_quiet("19:00-08:00"), wall=c.wall)
    # 18:30 + 50 min is 19:20, quiet: the first break is already at the quiet end.
    tomorrow = MORNING + timedelta(days=1)
    assert wall_at(r.due_at, c.mono, c.wall) == tomorrow.replace(hour=8, minute=0)
    c.advance(r.due_at - c.mono)
    assert (c.wall.hour, c.wall.minute, c.wall.second) == (8, 0, 0)
    assert check(r, c) == "ring"


def test_started_in_quiet_hours_the_first_line_says_the_real_next_break() -> None:
    # The tester's case: 22:00-23:59, started at 22:55:37 with --every 5s.
    c = Clock(MORNING.replace(hour=22, minute=55, second=37))
    r = Reminder(5, now=c.mono, quiet=parse_quiet("22:00-23:59"), wall=c.wall)
    assert wall_at(r.due_at, c.mono, c.wall) == MORNING.replace(hour=23, minute=59, second=0)
    c.advance(r.due_at - c.mono)
    assert check(r, c) == "ring"


@pytest.mark.parametrize("answer", ["postpone", "skip", "taken"])
def test_an_answer_whose_next_break_is_quiet_moves_it_to_the_quiet_end(answer: str) -> None:
    c = Clock(MORNING.replace(hour=18, minute=54))
    r = Reminder(300, now=c.mono, quiet=parse_quiet("19:00-08:00"), wall=c.wall)
    c.advance(300)  # 18:59: rings
    assert check(r, c) == "ring"
    getattr(r, answer)(c.mono, wall=c.wall)
    tomorrow = MORNING + timedelta(days=1)
    assert wall_at(r.due_at, c.mono, c.wall) == tomorrow.replace(hour=8, minute=0)
    assert not r.ringing


def test_quiet_hours_seen_at_a_check_fall_on_their_end() -> None:
    # Without a wall time at the start (or after the wall clock moved), the check itself
    # finds the quiet hours: the break falls on their end, not `every` after it.
    c = Clock(MORNING.replace(hour=18, minute=30))
    r = Reminder(3000, now=c.mono, quiet=parse_quiet("19:00-08:00"))
    c.advance(3000)  # 19:20: quiet
    decision = r.check(c.mono, c.wall, session_running=False)
    assert decision.kind == "quiet"
    tomorrow = MORNING + timedelta(days=1)
    assert wall_at(decision.due_at, c.mono, c.wall) == tomorrow.replace(hour=8, minute=0)
    c.advance(decision.due_at - c.mono)
    assert check(r, c) == "ring"


def test_quiet_hours_wrapping_midnight_seen_after_midnight() -> None:
    c = Clock(MORNING.replace(hour=0, minute=10))
    r = Reminder(600, now=c.mono, quiet=parse_quiet("23:00-06:00"))
    c.advance(600)
    decision = r.check(c.mono, c.wall, session_running=False)
    assert decision.kind == "quiet"
    assert wall_at(decision.due_at, c.mono, c.wall) == MORNING.replace(hour=6, minute=0)


def test_outside_quiet_hours_the_schedule_is_unchanged() -> None:
    c = Clock(MORNING)  # 10:00
    r = Reminder(3000, now=c.mono, quiet=parse_quiet("19:00-08:00"), wall=c.wall)
    assert wall_at(r.due_at, c.mono, c.wall) == MORNING.replace(minute=50)


def test_a_running_session_keeps_it_silent_and_counts_as_the_break() -> None:
    c = Clock()
    r = Reminder(3000, now=c.mono)
    c.advance(3000)
    assert check(r, c, running=True) == "session"
    assert r.seconds_left(c.mono) == SESSION_RECHECK_SECONDS
    c.advance(SESSION_RECHECK_SECONDS)
    assert check(r, c, running=True) == "session"  # still running: still silent
    c.advance(SESSION_RECHECK_SECONDS)
    # Over now: that session was the break, so the next is a whole interval away.
    assert check(r, c, running=False) == "session_over"
    assert r.seconds_left(c.mono) == 3000
    assert not r.ringing


def test_time_away_restarts_the_timer_instead_of_ringing() -> None:
    c = Clock()
    r = Reminder(3000, now=c.mono)
    c.advance(3000 + AWAY_SECONDS + 1)  # the laptop slept through the break
    assert check(r, c) == "away"
    assert r.seconds_left(c.mono) == 3000
    c.advance(3000 + 1)  # a little late (a busy machine) still rings
    assert check(r, c) == "ring"


def test_every_must_be_positive() -> None:
    with pytest.raises(ValueError):
        Reminder(0, now=0)


def test_routine_choice_order() -> None:
    plan = ["neck-and-shoulders"]
    assert choose_routine("jaw-release", plan, "box-breathing", "d") == ("jaw-release", "given")
    assert choose_routine(None, plan, "box-breathing", "d") == ("neck-and-shoulders", "plan")
    assert choose_routine(None, [], "box-breathing", "d") == ("box-breathing", "last")
    assert choose_routine(None, [], None, "desk-micro-break") == ("desk-micro-break", "default")
