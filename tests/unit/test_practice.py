"""Practice: the engine with its journal, history record and cues (fake clock and sound)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from coach.errors import CoachError
from coach.history import HistoryStore
from coach.journal import Journal, JournalError, read_journal, recover_journal
from coach.practice import JOURNAL_EVERY, Practice
from coach.routine import Routine
from coach.session import AWAY_SECONDS
from tests.helpers.processes import dead_pid
from tests.helpers.routines import make_routine, rest, sample_routine

T0 = 500.0
ZONE = timezone(timedelta(hours=1))


class FakePlayer:
    def __init__(self) -> None:
        self.played: list[str] = []
        self.drained = 0
        self.notice: str | None = None

    def play(self, cue: str) -> None:
        self.played.append(cue)

    def drain(self, timeout: float | None = None) -> None:
        self.drained += 1

    def take_notice(self) -> str | None:
        notice, self.notice = self.notice, None
        return notice


class FakeWall:
    def __init__(self) -> None:
        self.moment = datetime(2026, 11, 26, 9, 12, 3, tzinfo=ZONE)

    def __call__(self) -> datetime:
        return self.moment




Parts = tuple[HistoryStore, Path, FakePlayer, FakeWall]


@pytest.fixture
def parts(tmp_path: Path) -> Parts:
    return HistoryStore(tmp_path / "history.jsonl"), tmp_path / "journal.json", FakePlayer(), FakeWall()


def make(parts: Parts, *, pre: int | None = 6, pid: int | None = None, plan: str | None = None,
         away_after: float | None = None, routine: Routine | None = None) -> Practice:
    """Most tests jump the clock between two looks, which the time-away rule would take for
    time away: they leave it off (`away_after=None`); the tests of the rule turn it on."""
    store, journal_path, player, wall = parts
    return Practice(routine or sample_routine(), pre=pre, plan=plan, store=store,
                    journal=Journal(journal_path, pid=pid), player=player, wall=wall,
                    away_after=away_after)  # fmt: skip


def lines(store: HistoryStore) -> list[dict[str, Any]]:
    if not store.path.exists():
        return []
    return [json.loads(line) for line in store.path.read_text().splitlines()]


def test_start_begins_the_journal_with_the_pre_rating(parts: Parts) -> None:
    practice = make(parts)
    assert practice.start(T0)
    info = read_journal(parts[1])
    assert info.state["pre"] == 6 and info.state["routine"] == "test-routine"
    assert info.state["planned_seconds"] == 57 and info.state["steps_total"] == 3
    assert info.state["started_at"] == "2026-11-26T09:12:03+01:00"
    assert info.record_id == practice.journal.record_id  # type: ignore[union-attr]


def test_a_whole_session_is_recorded_once_as_completed(parts: Parts) -> None:
    store, journal_path, _player, wall = parts
    practice = make(parts, plan="sam-neck")
    practice.start(T0)
    practice.poll(T0 + 1)
    practice.pause(T0 + 2)
    practice.resume(T0 + 12)
    practice.poll(T0 + 80)
    assert practice.over and practice.state == "finished"
    wall.moment += timedelta(minutes=5)
    record = practice.record(T0 + 90, post=2, note="Better.")
    assert record is not None
    (stored,) = lines(store)
    assert stored == record.to_json()
    assert stored["completed"] is True and stored["pre"] == 6 and stored["post"] == 2
    assert stored["active_seconds"] == 57.0 and stored["planned_seconds"] == 57
    assert (stored["steps_done"], stored["steps_total"], stored["pauses"], stored["skips"]) == (3, 3, 1, 0)
    assert stored["plan"] == "sam-neck" and stored["note"] == "Better."
    # started_at + 67 s on the monotonic clock (57 s of routine, 10 s paused); the wall
    # clock's 5 minutes are not the session's.
    assert stored["ended_at"] == "2026-11-26T09:13:10+01:00"
    assert stored["routine_hash"].startswith("sha256:")
    assert not journal_path.exists()
    assert practice.record(T0 + 91, post=5) is record  # twice: still one line
    assert len(lines(store)) == 1


def test_quit_is_recorded_as_not_completed(parts: Parts) -> None:
    _store, journal_path, _player, _wall = parts
    practice = make(parts)
    practice.start(T0)
    practice.skip(T0 + 3)
    practice.toggle_gentler(T0 + 4)
    assert practice.quit(T0 + 10)
    record = practice.record(T0 + 20)
    assert record is not None and not record.completed
    assert (record.active_seconds, record.skips, record.gentler, record.steps_done) == (10.0, 1, 1, 0)
    assert record.post is None and not journal_path.exists()


def test_record_while_running_quits_first(parts: Parts) -> None:
    practice = make(parts)
    practice.start(T0)
    record = practice.interrupt(T0 + 7.25)
    assert record is not None and not record.completed and record.active_seconds == 7.2
    assert practice.state == "quit"


def test_a_preview_records_nothing(parts: Parts, tmp_path: Path) -> None:
    player = FakePlayer()
    practice = Practice(sample_routine(), pre=3, player=player, away_after=None)
    assert practice.preview
    practice.start(T0)
    practice.poll(T0 + 100)
    assert practice.record(T0 + 100, post=1) is None
    assert list(tmp_path.iterdir()) == []
    assert player.played == ["finish"]  # one poll, one cue: the most telling


def test_a_session_quit_before_start_leaves_nothing(parts: Parts) -> None:
    store, journal_path, _player, _wall = parts
    practice = make(parts)
    assert practice.record(T0) is None
    assert not store.path.exists() and not journal_path.exists()


def test_cues_follow_the_events(parts: Parts) -> None:
    player = parts[2]
    practice = make(parts)
    practice.start(T0)
    t = T0
    while t < T0 + 60:
        practice.poll(t)
        t += 0.1
    # Box: the step's bell, then its first inhale's tone (FIRST_CUE_AFTER later: not lost
    # under the bell), then one cue per phase.
    assert player.played == (
        [
            "bell",
            "inhale",
            "hold",
            "exhale",
            "hold",
            "inhale",
            "hold",
            "exhale",
            "hold",
            "bell",
            "switch",
            "bell",
            "finish",
        ]
    )


def test_a_breath_cue_after_a_stall_is_dropped(parts: Parts) -> None:
    player = parts[2]
    practice = make(parts)
    practice.start(T0)
    practice.poll(T0)
    practice.poll(T0 + 5.5)  # the hold began at 4 s: 1.5 s late
    assert player.played == ["bell"]
    practice.poll(T0 + 8.2)  # the exhale began at 8 s
    assert player.played == ["bell", "exhale"]


def test_the_journal_follows_counters_at_once_and_time_every_few_seconds(parts: Parts) -> None:
    journal_path = parts[1]
    practice = make(parts)
    practice.start(T0)
    practice.poll(T0 + 1)
    assert read_journal(journal_path).state["active_seconds"] == 0.0
    practice.poll(T0 + JOURNAL_EVERY + 0.5)
    assert read_journal(journal_path).state["active_seconds"] == JOURNAL_EVERY + 0.5
    practice.pause(T0 + JOURNAL_EVERY + 1)
    assert read_journal(journal_path).state["pauses"] == 1
    practice.resume(T0 + 20)
    practice.skip(T0 + 21)
    assert read_journal(journal_path).state["skips"] == 1


def test_a_crashed_session_is_recovered_with_its_pre_rating(parts: Parts) -> None:
    store, journal_path, _player, _wall = parts
    practice = make(parts, pre=8, pid=dead_pid())  # as if written by a process now gone
    practice.start(T0)
    practice.poll(T0 + 40)  # a step boundary: the journal is written
    recovered = recover_journal(store, journal_path)
    assert recovered is not None
    (stored,) = lines(store)
    assert stored["completed"] is False and stored["pre"] == 8 and stored["post"] is None
    assert stored["active_seconds"] == 40.0 and stored["steps_done"] == 1
    assert stored["id"] == practice.journal.record_id  # type: ignore[union-attr]


def test_a_crash_at_the_post_rating_is_recovered_as_completed(parts: Parts) -> None:
    store, journal_path, _player, _wall = parts
    finished = make(parts, pre=6, pid=dead_pid())
    finished.start(T0)
    finished.poll(T0 + 10_000)  # ran to its end; the process dies at the post-rating
    assert finished.state == "finished"
    assert recover_journal(store, journal_path) is not None
    (last,) = lines(store)
    assert last["completed"] is True and last["pre"] == 6 and last["post"] is None
    assert last["steps_done"] == last["steps_total"]


def test_another_running_session_blocks_the_start(parts: Parts) -> None:
    other = make(parts, pid=1)  # pid 1 is alive
    other.start(T0)
    practice = make(parts)
    with pytest.raises(JournalError):
        practice.start(T0)
    assert practice.state == "ready"


def test_a_history_that_cannot_be_written_keeps_the_journal(parts: Parts, tmp_path: Path) -> None:
    _store, journal_path, player, wall = parts
    blocked = HistoryStore(tmp_path / "no-such-dir" / "x" / "history.jsonl")
    (tmp_path / "no-such-dir").write_text("a file, not a folder")
    practice = Practice(
        sample_routine(), store=blocked, journal=Journal(journal_path), player=player, wall=wall,
        away_after=None,
    )
    practice.start(T0)
    practice.poll(T0 + 100)
    with pytest.raises(CoachError, match=r"could not save the session|not a folder"):
        practice.record(T0 + 100)
    assert journal_path.exists()


def test_close_lets_the_last_cue_finish(parts: Parts) -> None:
    practice = make(parts)
    practice.close()
    assert parts[2].drained == 1


def test_current_phases_for_a_pacer(parts: Parts) -> None:
    practice = make(parts)
    assert practice.current_phases == (("inhale", 4.0), ("hold", 4.0), ("exhale", 4.0), ("hold-out", 4.0))


def test_time_away_is_on_by_default_scaled_by_speed_and_recorded_as_a_pause(parts: Parts) -> None:
    store = parts[0]
    assert Practice(sample_routine()).session.away_after == AWAY_SECONDS
    assert Practice(sample_routine(), speed=10).session.away_after == AWAY_SECONDS * 10
    practice = make(parts, away_after=AWAY_SECONDS, routine=make_routine(rest("Rest", 10)))
    practice.start(T0)
    for t in range(1, 4):
        practice.poll(T0 + t)
    events = practice.poll(T0 + 3 + 20)  # 20 s stopped
    assert [e.kind for e in events] == ["paused"] and events[0].away
    practice.resume(T0 + 24)
    for t in range(25, 33):
        practice.poll(T0 + t)
    assert practice.over
    record = practice.record(T0 + 33)
    assert record is not None and record.active_seconds == 10.0 and record.pauses == 1
    assert record.completed and lines(store)[0]["pauses"] == 1


def test_a_failed_final_append_is_recovered_as_the_very_record_with_post_and_note(
    parts: Parts, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from coach.journal import recovered_sentence

    store, journal_path, _player, _wall = parts
    practice = make(parts, pre=6, pid=dead_pid())  # recovered as after a later command
    practice.start(T0)
    practice.poll(T0 + 10_000)  # ran to its end
    built: list[Any] = []
    real_build = practice._build_record

    def keep(now: float, **kw: Any) -> Any:
        built.append(real_build(now, **kw))
        return built[-1]

    def disk_full(record: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(practice, "_build_record", keep)
    monkeypatch.setattr(store, "append", disk_full)
    with pytest.raises(CoachError, match="No space left"):
        practice.record(T0 + 10_000, post=2, note="calmer")
    assert journal_path.exists()  # kept for recovery
    monkeypatch.undo()
    recovered = recover_journal(store, journal_path)
    assert recovered == built[0]  # post, note, completed, ended_at: the record it would have written
    assert (recovered.post, recovered.note, recovered.completed) == (2, "calmer", True)
    assert lines(store)[0]["post"] == 2
    assert recovered_sentence(recovered).endswith("was saved to your history as completed.")
