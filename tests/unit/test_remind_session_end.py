"""Issue 15 leftovers of `coach remind`: a break offered without a terminal counts as taken
when a session follows within its window; the reminder wakes when a session lets its lock
go (no minute-long re-check). Fake clocks, an in-process lock; no terminal, no subprocess."""

from __future__ import annotations

import selectors
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import coach.commands.remind as remind_command
from coach.breaks import Offer, claim_session, claimed_event
from coach.commands.remind import Options, Runner
from coach.history import HistoryStore
from coach.journal import SessionLock
from coach.remind import AWAY_SECONDS, BREAK_WINDOW_SECONDS, SESSION_RECHECK_SECONDS, Reminder, offer_window
from coach.session_watch import SessionWatch
from tests.helpers.plans import session
from tests.helpers.remind_script import Script, logged, private_home

TZ = timezone(timedelta(hours=1))
BASE = datetime(2026, 11, 26, 10, 0, tzinfo=TZ)


# --- coach.remind: a session's end is acted on at once ----------------------------------


def test_the_end_of_a_session_is_acted_on_before_the_recheck_is_due() -> None:
    r = Reminder(3000, now=0.0)
    assert r.check(3000.0, BASE, session_running=True).kind == "session"
    assert r.due_at == 3000.0 + SESSION_RECHECK_SECONDS  # only the fallback, when unwatched
    # The watcher woke the loop 5 s later: the session is over, the timer starts again.
    decision = r.check(3005.0, BASE, session_running=False)
    assert decision.kind == "session_over" and decision.due_at == 3005.0 + 3000
    # Woken while the session still runs (a stray wake-up): nothing changes.
    r = Reminder(3000, now=0.0)
    r.check(3000.0, BASE, session_running=True)
    assert r.check(3005.0, BASE, session_running=True).kind == "wait"


def test_a_long_session_is_the_break_not_time_away() -> None:
    r = Reminder(3000, now=0.0)
    r.check(3000.0, BASE, session_running=True)
    # A 20-minute session ends; woken then, long past the fallback re-check.
    later = 3000.0 + 1200
    assert later - r.due_at > AWAY_SECONDS
    assert r.check(later, BASE, session_running=False).kind == "session_over"


def test_the_offer_window_ends_by_the_next_break() -> None:
    assert offer_window(3000) == BREAK_WINDOW_SECONDS == 900
    assert offer_window(300) == 300  # every 5 min: one offer never claims the next one's session


# --- coach.breaks: which session an offer claims ----------------------------------------


def test_an_offer_claims_the_first_session_started_in_its_window() -> None:
    offer = Offer(BASE.replace(microsecond=250_000), BASE + timedelta(minutes=15), "desk-micro-break")
    before = session("neck-release", BASE - timedelta(minutes=1), plan=None)
    first = session("jaw-release", BASE + timedelta(minutes=2), plan=None)
    second = session("box-breathing", BASE + timedelta(minutes=9), plan=None)
    after = session("neck-release", BASE + timedelta(minutes=16), plan=None)
    at_once = session("slow-breaths", BASE, plan=None)  # started in the offer's very second
    assert claim_session([second, after, before, first], offer) is first
    assert claim_session([at_once, first], offer) is at_once
    assert claim_session([before, after], offer) is None
    assert claim_session([], offer) is None


def test_a_claimed_session_is_taken_or_stopped_with_its_times() -> None:
    done = session("jaw-release", BASE, plan=None, seconds=240)
    assert claimed_event(done) == ("taken", BASE, BASE + timedelta(seconds=240))
    cut = session("jaw-release", BASE, plan=None, completed=False, seconds=60)
    assert claimed_event(cut)[0] == "stopped"


# --- the runner's loop, with a fake clock ---------------------------------------------------


def runner_at(monkeypatch: pytest.MonkeyPatch, every: float) -> tuple[Runner, list[float]]:
    clock = [0.0]
    monkeypatch.setattr(remind_command, "_now", lambda: BASE + timedelta(seconds=clock[0]))
    options = Options(
        every=every, every_text=f"{every:g}s", routine="desk-micro-break", quiet=None, plain=True
    )
    runner = Runner(options, clock=lambda: clock[0])
    runner.interactive = False  # the systemd service: nobody can answer
    return runner, clock


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return private_home(tmp_path, monkeypatch)


def test_a_session_after_an_unanswered_break_counts_it_as_taken(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    runner, clock = runner_at(monkeypatch, every=3000)
    store = HistoryStore(home / "history.jsonl")
    began = BASE + timedelta(seconds=3000 + 240)  # four minutes after the break was offered

    def ring() -> None:
        clock[0] = 3000.0

    def a_session_then_the_window_ends() -> None:
        store.append(session("jaw-release", began, plan=None, seconds=300))
        clock[0] = 3000.0 + BREAK_WINDOW_SECONDS

    script = Script([ring, a_session_then_the_window_ends])
    with pytest.raises(KeyboardInterrupt):
        runner.loop(script)
    assert script.timeouts[:2] == [3000.0, BREAK_WINDOW_SECONDS]  # woken at the window's end
    [entry] = logged(home)
    assert entry["event"] == "taken" and entry["routine"] == "jaw-release"
    assert entry["at"] == began.isoformat() and entry["ended"] == (began + timedelta(seconds=300)).isoformat()
    # The timer starts again from the session's end, as after an answered break.
    assert runner.reminder.due_at == 3000.0 + 240 + 300 + 3000
    assert script.timeouts[2] == runner.reminder.due_at - clock[0]
    out = capsys.readouterr().out
    assert "Break taken: Jaw release, started 10:54. Next break at 11:49." in out


def test_no_session_or_a_late_one_logs_nothing(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner, clock = runner_at(monkeypatch, every=600)  # window: 600 s, the next break's time
    store = HistoryStore(home / "history.jsonl")

    def ring() -> None:
        clock[0] = 600.0

    def a_late_session() -> None:
        store.append(session("jaw-release", BASE + timedelta(seconds=600 + 601), plan=None))
        clock[0] = 1200.0

    with pytest.raises(KeyboardInterrupt):
        runner.loop(Script([ring, a_late_session]))
    assert logged(home) == []
    # That offer was dropped; the break due at the window's end rang and is the one open now.
    assert runner.offer is not None and runner.offer.at == BASE + timedelta(seconds=1200)


def test_a_session_running_at_the_window_end_is_waited_for(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner, clock = runner_at(monkeypatch, every=3000)
    lock_path = home / "session.lock"
    held: list[SessionLock] = []
    store = HistoryStore(home / "history.jsonl")
    began = BASE + timedelta(seconds=3000 + 600)

    def ring() -> None:
        clock[0] = 3000.0

    clock_at_end = [3000.0 + BREAK_WINDOW_SECONDS]

    def still_running_at_the_window_end() -> None:
        held.append(SessionLock.acquire(lock_path, title="Jaw release", started=began))
        clock[0] = clock_at_end[0]

    def it_ends_stopped_early() -> None:
        assert runner.watch.watching  # the loop waits for the lock, with no timeout
        store.append(session("jaw-release", began, plan=None, completed=False, seconds=420))
        held.pop().release()
        clock[0] = 3000.0 + 600 + 420

    script = Script([ring, still_running_at_the_window_end, it_ends_stopped_early])
    with pytest.raises(KeyboardInterrupt):
        runner.loop(script)
    assert script.timeouts[2] == 6000.0 - clock_at_end[0]  # the session's end, or the next break
    [entry] = logged(home)
    assert entry["event"] == "stopped" and entry["at"] == began.isoformat()
    runner.watch.close()


# --- coach.session_watch: the self-pipe wakes when the lock is let go -------------------------


def test_the_watch_wakes_a_select_when_the_session_lock_is_let_go(tmp_path: Path) -> None:
    path = tmp_path / "session.lock"
    lock = SessionLock.acquire(path, title="Box breathing", started=BASE)
    watch = SessionWatch()
    selector = selectors.DefaultSelector()
    selector.register(watch.fileno(), selectors.EVENT_READ)
    try:
        assert watch.watch(path) and watch.watching
        assert watch.watch(path)  # a second call: still the one thread
        assert selector.select(0) == []  # held: nothing to read
        lock.release()
        assert selector.select(60)  # woken (a generous bound: it comes at once)
        watch.drain()
        assert not watch.watching and selector.select(0) == []
        # The watcher let go of its shared lock at once: a new session starts.
        SessionLock.acquire(path, title="Jaw release", started=BASE).release()
        assert not watch.watch(tmp_path / "none.lock")  # nothing to watch: the caller's clock
    finally:
        selector.close()
        watch.close()
        lock.release()
