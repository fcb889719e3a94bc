"""Completed, partly done, stopped (reached the end with ≥ 80 % of the planned time practised,
reached it with less, ended early): the rule at its edges, in the
engine, in the record, after a crash, and `ended_at` under a wall clock that jumps."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from coach.history import HistoryStore
from coach.journal import Journal, read_journal, recover_journal
from coach.practice import Practice
from coach.records import SessionRecord
from coach.session import COMPLETION_SHARE, Session, is_completed
from tests.helpers.processes import dead_pid
from tests.helpers.routines import make_routine, rest

T0 = 2000.0
ZONE = timezone(timedelta(hours=1))
HUNDRED = make_routine(rest("Rest", 100))  # 100 s: seconds are percent
HALVES = make_routine(rest("First", 50), rest("Second", 50))


# --- the rule ------------------------------------------------------------------------------


def test_the_share_is_eighty_percent() -> None:
    assert COMPLETION_SHARE == 0.8


@pytest.mark.parametrize(
    ("ran_to_end", "active", "planned", "completed"),
    [
        (True, 80.0, 100.0, True),
        (True, 79.0, 100.0, False),
        (True, 79.99, 100.0, False),
        (True, 100.0, 100.0, True),
        (True, 0.0, 100.0, False),  # skipped through
        (True, 104.0, 130.0, True),  # 80 % of planned + 30 s extension
        (True, 103.0, 130.0, False),
        (True, 240.0, 100.0, True),  # replayed with back: more than planned
        (False, 99.0, 100.0, False),  # stopped near the end
        (False, 200.0, 100.0, False),
    ],
)
def test_is_completed_at_its_edges(ran_to_end: bool, active: float, planned: float, completed: bool) -> None:
    assert is_completed(ran_to_end, active, planned) is completed


def finish(session: Session, at: float) -> None:
    """Let time run (with a look every half second) until the session is over."""
    t = at
    while not session.over:
        assert session.state == "running"
        t += 0.5
        session.poll(t)


def run_to(session: Session, start: float, end: float) -> None:
    """Let time run from start to end with a look every half second (no time away)."""
    t = start
    while t < end:
        t = min(end, t + 0.5)
        session.poll(t)


def test_skipping_the_last_pass_at_79_percent_is_partly_done_and_at_80_completed() -> None:
    for skip_at, completed in ((79.0, False), (80.0, True)):
        session = Session(HUNDRED, lead_in=0)
        session.start(T0)
        for t in range(1, int(skip_at) + 1):
            session.poll(T0 + t)
        assert session.skip(T0 + skip_at)
        assert session.ran_to_end and session.state == "finished"
        assert session.completed is completed, skip_at


def test_skipping_through_everything_ran_to_the_end_but_is_not_completed() -> None:
    session = Session(HALVES, lead_in=0)
    session.start(T0)
    assert session.skip(T0 + 1) and session.skip(T0 + 2)
    assert session.ran_to_end and not session.completed


def test_extensions_raise_the_bar() -> None:
    for skip_at, completed in ((103.0, False), (104.0, True)):
        session = Session(HUNDRED, lead_in=0)
        session.start(T0)
        session.poll(T0 + 1)
        assert session.extend(T0 + 1)  # +30 s: 80 % of 130 is 104
        assert session.planned_with_extensions == 130.0
        for t in range(2, int(skip_at) + 1):
            session.poll(T0 + t)
        session.skip(T0 + skip_at)
        assert session.completed is completed, skip_at


def test_a_whole_run_with_an_extension_is_completed() -> None:
    session = Session(HUNDRED, lead_in=0)
    session.start(T0)
    session.extend(T0)
    finish(session, T0)
    assert session.ran_to_end and session.completed
    assert session.active_seconds(T0 + 500) == 130.0


def test_time_replayed_with_back_counts() -> None:
    # Skip the first half at 10 s: 10 + 50 = 60 s practised, partly done...
    skipped = Session(HALVES, lead_in=0)
    skipped.start(T0)
    run_to(skipped, T0, T0 + 10)
    skipped.skip(T0 + 10)
    finish(skipped, T0 + 10)
    assert skipped.ran_to_end and not skipped.completed
    # ...but going back (within 3 s of the second step) replays the first: 112 s.
    replayed = Session(HALVES, lead_in=0)
    replayed.start(T0)
    run_to(replayed, T0, T0 + 10)
    replayed.skip(T0 + 10)
    run_to(replayed, T0 + 10, T0 + 12)
    assert replayed.back(T0 + 12)
    finish(replayed, T0 + 12)
    assert replayed.active_seconds(T0 + 500) == pytest.approx(112.0) and replayed.completed


def test_quit_is_stopped_however_much_was_done() -> None:
    session = Session(HUNDRED, lead_in=0)
    session.start(T0)
    for t in range(1, 100):
        session.poll(T0 + t)
    assert session.quit(T0 + 99.5)
    assert not session.ran_to_end and not session.completed


def test_not_completed_while_it_runs() -> None:
    session = Session(HUNDRED, lead_in=0)
    session.start(T0)
    session.poll(T0 + 1)
    assert session.state == "running"
    assert not session.completed and not session.ran_to_end


# --- the record ----------------------------------------------------------------------------


class JumpingWall:
    """A wall clock set back an hour after its first reading (a clock fixed mid-session)."""

    def __init__(self) -> None:
        self.readings = 0
        self.start = datetime(2026, 11, 26, 9, 12, 3, 250000, tzinfo=ZONE)

    def __call__(self) -> datetime:
        self.readings += 1
        return self.start if self.readings == 1 else self.start - timedelta(hours=1)


def practice_for(tmp_path: Path, routine=HUNDRED, **kwargs) -> Practice:
    store = HistoryStore(tmp_path / "history.jsonl")
    return Practice(routine, pre=5, store=store, journal=Journal(tmp_path / "journal.json"), **kwargs)


def stored(tmp_path: Path) -> SessionRecord:
    from tests.helpers.records import parse_line

    (line,) = (tmp_path / "history.jsonl").read_text().splitlines()
    return parse_line(line)


@pytest.mark.parametrize(
    ("skip_at", "ran_to_end", "completed"), [(None, True, True), (50.0, True, False), ("quit", False, False)]
)
def test_the_record_says_completed_partly_done_or_stopped(
    tmp_path: Path, skip_at: float | str | None, ran_to_end: bool, completed: bool
) -> None:
    practice = practice_for(tmp_path)
    practice.start(T0)
    t = T0
    while not practice.over and t < T0 + 50:
        t += 0.5
        practice.poll(t)
    if skip_at == "quit":
        practice.quit(t)
    elif skip_at is not None:
        practice.skip(t)
    else:
        while not practice.over:
            t += 0.5
            practice.poll(t)
    record = practice.record(t + 1, post=3)
    assert record is not None
    assert (record.ran_to_end, record.completed) == (ran_to_end, completed)
    assert (practice.ran_to_end, practice.completed) == (ran_to_end, completed)
    assert stored(tmp_path) == record
    assert '"ran_to_end": ' in (tmp_path / "history.jsonl").read_text()


def test_ended_at_is_started_at_plus_monotonic_time_under_a_wall_clock_set_back(tmp_path: Path) -> None:
    wall = JumpingWall()
    practice = practice_for(tmp_path, wall=wall)
    practice.start(T0)
    t = T0
    while not practice.over:
        t += 0.5
        practice.poll(t)
    assert wall.readings >= 1
    wall()  # the wall clock now reads an hour earlier
    record = practice.record(t + 30, post=2)  # 30 s at the post-rating: not the session's
    assert record is not None
    started = datetime.fromisoformat(record.started_at)
    ended = datetime.fromisoformat(record.ended_at)
    assert ended >= started
    # 100 s of routine from 09:12:03.25: ends 09:13:43.25, written in whole seconds.
    assert record.started_at == "2026-11-26T09:12:03+01:00"
    assert record.ended_at == "2026-11-26T09:13:43+01:00"


def test_ended_at_counts_real_seconds_in_a_sped_up_clock(tmp_path: Path) -> None:
    practice = practice_for(tmp_path, wall=JumpingWall(), speed=4.0)
    practice.start(T0)
    t = T0
    while not practice.over:
        t += 1.0
        practice.poll(t)
    record = practice.record(t)
    assert record is not None and record.ended_at == "2026-11-26T09:12:28+01:00"  # 100 / 4 s




def crashed_after(tmp_path: Path, *, skip_at: float, extend: bool) -> SessionRecord:
    store = HistoryStore(tmp_path / "history.jsonl")
    journal_path = tmp_path / "journal.json"
    practice = Practice(HUNDRED, pre=4, store=store, journal=Journal(journal_path, pid=dead_pid()))
    practice.start(T0)
    if extend:
        practice.extend(T0)
    t = T0
    while t < T0 + skip_at:
        t += 0.5
        practice.poll(t)
    practice.skip(t)  # the end: the process dies at the post-rating
    state = read_journal(journal_path).state
    assert state["ran_to_end"] is True
    assert state["extended_seconds"] == (30.0 if extend else 0.0)
    recovered = recover_journal(store, journal_path)
    assert recovered is not None
    return recovered


@pytest.mark.parametrize(
    ("skip_at", "extend", "completed"),
    [(85.0, False, True), (75.0, False, False), (85.0, True, False), (105.0, True, True)],
)
def test_a_crash_at_the_post_rating_is_recovered_by_the_same_rule(
    tmp_path: Path, skip_at: float, extend: bool, completed: bool
) -> None:
    record = crashed_after(tmp_path, skip_at=skip_at, extend=extend)
    assert record.ran_to_end is True and record.completed is completed
    assert record.post is None and record.pre == 4


def test_a_crash_mid_session_is_recovered_as_stopped(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.jsonl")
    journal_path = tmp_path / "journal.json"
    practice = Practice(HALVES, pre=4, store=store, journal=Journal(journal_path, pid=dead_pid()))
    practice.start(T0)
    t = T0
    while t < T0 + 60:
        t += 0.5
        practice.poll(t)
    recovered = recover_journal(store, journal_path)
    assert recovered is not None and not recovered.ran_to_end and not recovered.completed


def test_a_recovered_session_never_ends_before_it_began(tmp_path: Path) -> None:
    """The journal's last update is stamped by the wall clock, which may have been set back."""
    store = HistoryStore(tmp_path / "history.jsonl")
    journal_path = tmp_path / "journal.json"
    practice = Practice(
        HALVES, pre=4, store=store, journal=Journal(journal_path, pid=dead_pid()), wall=JumpingWall()
    )
    practice.start(T0)
    journal = practice.journal
    assert journal is not None
    journal._now = lambda: datetime(2026, 11, 26, 8, 0, 0, tzinfo=ZONE)  # an hour back
    practice.poll(T0 + 1)
    practice.skip(T0 + 1)  # a counter changed: the journal is written now
    assert read_journal(journal_path).updated_at < read_journal(journal_path).state["started_at"]
    recovered = recover_journal(store, journal_path)
    assert recovered is not None
    assert datetime.fromisoformat(recovered.ended_at) >= datetime.fromisoformat(recovered.started_at)


def test_an_old_journal_without_extended_seconds_is_still_recovered(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.jsonl")
    journal_path = tmp_path / "journal.json"
    state = {
        "routine": "r", "routine_title": "R", "routine_hash": "sha256:0", "plan": None,
        "started_at": "2026-11-26T09:00:00+01:00", "planned_seconds": 100, "active_seconds": 90.0,
        "steps_done": 1, "steps_total": 1, "pre": 3, "pauses": 0, "skips": 0, "gentler": 0,
        "ran_to_end": True,
    }  # fmt: skip
    Journal(journal_path, pid=dead_pid()).begin(state)
    recovered = recover_journal(store, journal_path)
    assert recovered is not None and recovered.completed and recovered.ran_to_end
