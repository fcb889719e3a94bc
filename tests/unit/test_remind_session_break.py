"""A break falls due while a session started before it runs: when that session ends, the
reminder logs it as the break (ran to its end: "taken"; else "stopped", as
`coach.breaks.claimed_event` counts any break's session) and says which it was. Fake clocks;
no terminal, no subprocess, no session lock (whether a session runs is scripted)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import coach.commands.remind as remind_command
from coach.breaks import count_breaks, session_running_at
from coach.commands.remind import Options, Runner
from coach.history import HistoryStore
from tests.helpers.plans import session
from tests.helpers.remind_script import Script, logged, private_home

TZ = timezone(timedelta(hours=1))
BASE = datetime(2026, 11, 26, 10, 0, tzinfo=TZ)
EVERY = 60.0


def test_the_session_running_at_a_moment_is_the_last_started_before_it_and_not_over() -> None:
    due = BASE + timedelta(seconds=60, microseconds=400_000)
    earlier = session("jaw-release", BASE - timedelta(minutes=10), plan=None, seconds=120)
    running = session("three-sigh-reset", BASE + timedelta(seconds=30), plan=None, seconds=90)
    later = session("box-breathing", BASE + timedelta(minutes=5), plan=None)
    assert session_running_at([later, running, earlier], due) is running
    # Only an earlier one, over before the break fell due: no session ran then.
    assert session_running_at([earlier, later], due) is None
    # Ended in the very second the break fell due (ended_at is kept to the second).
    just = session("neck-release", BASE + timedelta(seconds=20), plan=None, seconds=40)
    assert session_running_at([earlier, just], due) is just
    assert session_running_at([], due) is None


def scripted_runner(monkeypatch: pytest.MonkeyPatch) -> tuple[Runner, list[float], list[bool]]:
    """A terminal-less runner every EVERY s on a fake clock; `running[0]` says whether a
    session runs (the lock is not watched: the loop is woken by the script)."""
    clock = [0.0]
    running = [False]
    monkeypatch.setattr(remind_command, "_now", lambda: BASE + timedelta(seconds=clock[0]))
    monkeypatch.setattr(remind_command, "_session_running", lambda: running[0])
    monkeypatch.setattr(Runner, "watch_session", lambda self: True)
    options = Options(every=EVERY, every_text="1m", routine="desk-micro-break", quiet=None, plain=True)
    runner = Runner(options, clock=lambda: clock[0])
    runner.interactive = False
    return runner, clock, running


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return private_home(tmp_path, monkeypatch)


def run_session_over_the_due_time(
    home: Path, monkeypatch: pytest.MonkeyPatch, *, completed: bool, began: float, seconds: float
) -> Runner:
    """A session begins `began` s after the reminder, runs past the due time (EVERY s) and
    is recorded with `completed` when it ends `seconds` later; the reminder is woken then."""
    runner, clock, running = scripted_runner(monkeypatch)
    store = HistoryStore(home / "history.jsonl")

    def a_session_starts() -> None:
        running[0] = True
        clock[0] = began

    def the_break_falls_due() -> None:
        clock[0] = EVERY

    def the_session_ends() -> None:
        store.append(session("three-sigh-reset", BASE + timedelta(seconds=began), plan=None,
                             completed=completed, seconds=seconds))  # fmt: skip
        running[0] = False
        clock[0] = began + seconds

    with pytest.raises(KeyboardInterrupt):
        runner.loop(Script([a_session_starts, the_break_falls_due, the_session_ends]))
    runner.watch.close()
    return runner


def test_a_session_that_ran_to_its_end_over_the_due_time_is_the_break_taken(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    runner = run_session_over_the_due_time(home, monkeypatch, completed=True, began=30.0, seconds=120.0)
    [entry] = logged(home)
    assert entry["event"] == "taken" and entry["routine"] == "three-sigh-reset"
    assert entry["at"] == (BASE + timedelta(seconds=30)).isoformat()
    assert entry["ended"] == (BASE + timedelta(seconds=150)).isoformat()
    counts = count_breaks(home / "breaks.jsonl", BASE.date(), tail_only=True)
    assert counts.today["taken"] == 1 and counts.today["skipped"] == 0
    assert runner.reminder.due_at == 150.0 + EVERY  # the timer starts again at its end
    out = capsys.readouterr().out
    said = "That session counts as your break (Three sigh reset, ran to its end). Next break at 10:03:30."
    assert said in out
    assert "Time for a break" not in out


def test_a_session_stopped_early_is_logged_stopped_and_not_called_the_break(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    run_session_over_the_due_time(home, monkeypatch, completed=False, began=55.0, seconds=10.0)
    [entry] = logged(home)
    assert entry["event"] == "stopped" and entry["at"] == (BASE + timedelta(seconds=55)).isoformat()
    out = capsys.readouterr().out
    assert "That session was stopped early (Three sigh reset): logged as a break ended early." in out
    assert "your break" not in out


def test_a_session_missing_from_the_history_logs_nothing_and_says_so(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    runner, clock, running = scripted_runner(monkeypatch)
    store = HistoryStore(home / "history.jsonl")
    # One session long before: over before the break fell due, so not that break.
    store.append(session("jaw-release", BASE - timedelta(minutes=30), plan=None, seconds=120))

    def due_while_running() -> None:
        running[0] = True
        clock[0] = EVERY

    def over_unrecorded() -> None:  # it crashed: recovered only by the next coach command
        running[0] = False
        clock[0] = EVERY + 40

    with pytest.raises(KeyboardInterrupt):
        runner.loop(Script([due_while_running, over_unrecorded]))
    runner.watch.close()
    assert logged(home) == []
    assert "is not in the history: no break logged." in capsys.readouterr().out
    assert runner.session_seen is None
