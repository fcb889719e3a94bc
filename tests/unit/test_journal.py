"""The crash journal: atomic state, liveness of its owner, and recovery into the history."""

from __future__ import annotations

import json
import os
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from coach.history import HistoryStore
from coach.journal import Journal, JournalError, owner_alive, process_start, read_journal, recover_journal
from coach.records import RecordError, new_id, record_from_state, timestamp
from tests.helpers.processes import dead_pid

TZ = timezone(timedelta(hours=1))


def state(**changes: Any) -> dict[str, Any]:
    values = {
        "routine": "neck-and-shoulders",
        "routine_title": "Neck and shoulder release",
        "routine_hash": "sha256:" + "1" * 64,
        "plan": None,
        "started_at": "2026-11-26T09:12:03+01:00",
        "planned_seconds": 300,
        "active_seconds": 0.0,
        "steps_done": 0,
        "steps_total": 6,
        "pre": 7,
        "pauses": 0,
        "skips": 0,
        "gentler": 0,
    }
    values.update(changes)
    return values


class Wall:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 26, 9, 12, 3, tzinfo=TZ)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def paths(tmp_path: Path) -> tuple[HistoryStore, Path]:
    return HistoryStore(tmp_path / "history.jsonl"), tmp_path / "session.journal.json"




def write_foreign_journal(path: Path, pid: int, **changes: Any) -> dict[str, Any]:
    body = {
        "journal": 1,
        "pid": pid,
        "pid_start": process_start(pid),
        "boot_id": None,
        "record_id": new_id(),
        "updated_at": "2026-11-26T09:14:00+01:00",
        "state": state(steps_done=2, active_seconds=95.5),
    }
    body.update(changes)
    path.write_text(json.dumps(body))
    return body


def test_begin_writes_a_private_journal_with_owner_id_and_state(paths: tuple[HistoryStore, Path]) -> None:
    _store, path = paths
    journal = Journal(path, now=Wall())
    journal.begin(state())
    info = read_journal(path)
    assert info.pid == os.getpid() and info.record_id == journal.record_id
    assert info.state == state() and info.updated_at == "2026-11-26T09:12:03+01:00"
    assert info.pid_start == process_start(os.getpid()) and owner_alive(info)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary left


def test_update_merges_changes_and_stamps_the_time(paths: tuple[HistoryStore, Path]) -> None:
    _store, path = paths
    wall = Wall()
    journal = Journal(path, now=wall)
    journal.begin(state())
    wall.now += timedelta(seconds=40)
    journal.update({"steps_done": 1, "active_seconds": 40.0})
    info = read_journal(path)
    assert info.state == state(steps_done=1, active_seconds=40.0)
    assert info.updated_at == "2026-11-26T09:12:43+01:00"


@pytest.mark.parametrize(
    "bad",
    [{"pre": 12}, {"bogus": 1}, {"started_at": "soon"}, {"steps_done": -1}],
)
def test_a_state_that_cannot_make_a_record_is_refused_and_the_journal_kept(
    paths: tuple[HistoryStore, Path], bad: dict[str, Any]
) -> None:
    _store, path = paths
    journal = Journal(path)
    with pytest.raises(RecordError):
        journal.begin(state(**bad))
    assert not path.exists()
    journal.begin(state())
    before = path.read_bytes()
    with pytest.raises(RecordError):
        journal.update(bad)
    assert path.read_bytes() == before and journal.state == state()


def test_begin_refuses_a_missing_field(paths: tuple[HistoryStore, Path]) -> None:
    incomplete = state()
    del incomplete["pre"]
    with pytest.raises(RecordError, match="pre"):
        Journal(paths[1]).begin(incomplete)


def test_finish_and_abandon_remove_only_their_own_journal(paths: tuple[HistoryStore, Path]) -> None:
    _store, path = paths
    first = Journal(path)
    first.begin(state())
    first.finish()
    assert not path.exists() and not first.active
    second = Journal(path)
    second.begin(state())
    second.abandon()
    assert not path.exists()
    third = Journal(path)
    third.begin(state())
    first.finish()  # an old, finished journal object must not remove the new session's file
    assert path.exists()


def test_a_crash_between_the_append_and_finish_logs_the_session_once(
    paths: tuple[HistoryStore, Path],
) -> None:
    store, path = paths
    journal = Journal(path, pid=dead_pid())  # a journal whose owner is gone, as after a crash
    journal.begin(state())
    record = record_from_state(
        journal.state, id=journal.record_id, ended_at=timestamp(), completed=True, post=2
    )
    store.append(record)
    assert recover_journal(store, path) is None
    assert store.read().records == [record] and not path.exists()


def test_begin_refuses_while_another_live_session_holds_the_journal(paths: tuple[HistoryStore, Path]) -> None:
    _store, path = paths
    write_foreign_journal(path, os.getppid())  # a live process that is not this one
    with pytest.raises(JournalError, match="A session is already running"):
        Journal(path).begin(state())


def test_begin_refuses_to_overwrite_a_journal_awaiting_recovery(paths: tuple[HistoryStore, Path]) -> None:
    _store, path = paths
    write_foreign_journal(path, dead_pid())
    with pytest.raises(JournalError, match="not been recovered"):
        Journal(path).begin(state())


# --- recovery -----------------------------------------------------------------------------


def test_no_journal_recovers_nothing_and_writes_nothing(paths: tuple[HistoryStore, Path]) -> None:
    store, path = paths
    assert recover_journal(store, path) is None
    assert not store.path.exists()


def test_a_dead_owners_journal_becomes_an_unfinished_record(paths: tuple[HistoryStore, Path]) -> None:
    store, path = paths
    body = write_foreign_journal(path, dead_pid())
    record = recover_journal(store, path)
    assert record is not None and not path.exists()
    assert store.read().records == [record]
    assert record.id == body["record_id"] and record.completed is False and record.post is None
    assert (record.pre, record.steps_done, record.active_seconds) == (7, 2, 95.5)
    assert record.ended_at == body["updated_at"]
    assert recover_journal(store, path) is None and len(store.read().records) == 1


def test_a_live_owners_journal_is_left_alone(paths: tuple[HistoryStore, Path]) -> None:
    store, path = paths
    journal = Journal(path)
    journal.begin(state())
    before = path.read_bytes()
    assert recover_journal(store, path) is None
    assert path.read_bytes() == before and not store.path.exists()


def test_a_reused_pid_does_not_keep_a_journal_alive(paths: tuple[HistoryStore, Path]) -> None:
    store, path = paths
    if process_start(os.getpid()) is None:
        pytest.skip("no /proc: process start times unknown")
    # Our parent is alive, but it is not the process that wrote this journal.
    write_foreign_journal(path, os.getppid(), pid_start="1")
    assert recover_journal(store, path) is not None


def test_a_journal_from_before_a_reboot_is_dead(paths: tuple[HistoryStore, Path]) -> None:
    store, path = paths
    from coach.journal import boot_id

    if boot_id() is None:
        pytest.skip("no boot id on this system")
    write_foreign_journal(path, os.getppid(), boot_id="another-boot")
    assert recover_journal(store, path) is not None


def test_a_record_already_in_the_history_is_not_appended_twice(paths: tuple[HistoryStore, Path]) -> None:
    store, path = paths
    body = write_foreign_journal(path, dead_pid())
    first = recover_journal(store, path)
    assert first is not None
    path.write_text(json.dumps(body))  # as if we had crashed between append and unlink
    assert recover_journal(store, path) is None
    assert store.read().records == [first] and not path.exists()


@pytest.mark.parametrize("content", [b"{not json", b'{"pid": 5}', b"\xff", b'{"pid": 1, "state": {}}'])
def test_an_unreadable_journal_is_set_aside_and_reported(
    paths: tuple[HistoryStore, Path], content: bytes
) -> None:
    store, path = paths
    path.write_bytes(content)
    told: list[str] = []
    assert recover_journal(store, path, on_problem=told.append) is None
    assert not path.exists() and path.with_name(path.name + ".corrupt").read_bytes() == content
    assert len(told) == 1 and "session journal" in told[0]
    assert not store.path.exists() or store.read().records == []


def test_stale_temporary_files_of_dead_writers_are_removed(paths: tuple[HistoryStore, Path]) -> None:
    store, path = paths
    dead = path.with_name(f".{path.name}.{dead_pid()}.tmp")
    mine = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    dead.write_text("{")
    mine.write_text("{")
    recover_journal(store, path)
    assert not dead.exists() and mine.exists()


@pytest.mark.parametrize(
    ("completed", "ran_to_end", "word"), [(True, True, "completed"), (False, True, "partly done"),
                                          (False, False, "stopped")],
)  # fmt: skip
def test_the_recovery_sentence_uses_the_outcome_word(completed: bool, ran_to_end: bool, word: str) -> None:
    from coach.journal import recovered_sentence

    state = {
        "routine": "box", "routine_title": "Box breathing", "routine_hash": "sha256:0", "plan": None,
        "started_at": "2026-11-26T09:12:03+01:00", "planned_seconds": 60, "active_seconds": 30.0,
        "steps_done": 1, "steps_total": 1, "pre": 5, "pauses": 0, "skips": 0, "gentler": 0,
    }  # fmt: skip
    record = record_from_state(state, id=new_id(), ended_at="2026-11-26T09:13:03+01:00",
                               completed=completed, ran_to_end=ran_to_end)  # fmt: skip
    sentence = recovered_sentence(record)
    assert sentence == (
        "An interrupted session of Box breathing (2026-11-26T09:12:03+01:00) was saved to your "
        f"history as {word}."
    )
    assert "not completed" not in sentence
