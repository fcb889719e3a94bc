"""Fault tests with real processes: concurrent appends, SIGKILL mid-append, and crash
recovery of a session whose process was killed (a bare Journal user and `coach run`)."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from coach.history import HistoryStore
from coach.index import open_index
from coach.journal import read_journal, recover_journal
from coach.records import SessionRecord, new_record

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

APPENDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from coach.history import HistoryStore
    from coach.records import new_record

    path, worker, count, note_size = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    store = HistoryStore(path)
    print("ready", flush=True)
    sys.stdin.readline()  # every worker starts at once
    i = 0
    while count < 0 or i < count:
        store.append(new_record(
            routine="neck-and-shoulders", routine_title="Neck", routine_hash="sha256:0",
            started_at="2026-11-26T09:00:00+01:00", ended_at="2026-11-26T09:05:00+01:00",
            planned_seconds=300, active_seconds=300.0, completed=True, steps_done=6,
            steps_total=6, pre=7, post=3, note="n" * note_size, id=f"{worker}-{i}",
        ))
        i += 1
    """
)


def start_appender(path: Path, worker: str, count: int, note_size: int = 0) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", APPENDER, str(path), worker, str(count), str(note_size)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    assert child.stdout is not None and child.stdout.readline() == "ready\n"
    return child


def go(child: subprocess.Popen[str]) -> None:
    assert child.stdin is not None
    child.stdin.write("\n")
    child.stdin.flush()


def test_four_processes_appending_250_each_keep_exactly_1000_whole_lines(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    workers = [start_appender(path, f"w{n}", 250) for n in range(4)]
    for child in workers:
        go(child)
    for child in workers:
        assert child.wait(timeout=120) == 0
    raw = path.read_bytes()
    assert raw.count(b"\n") == 1000 and raw.endswith(b"\n")
    result = HistoryStore(path).read()
    assert result.problems == [] and len(result.records) == 1000
    assert {r.id for r in result.records} == {f"w{n}-{i}" for n in range(4) for i in range(250)}


@pytest.mark.parametrize("note_size", [0, 2_000_000])  # a 2 MB line widens the write window
def test_sigkill_in_an_append_loop_loses_at_most_the_last_line(tmp_path: Path, note_size: int) -> None:
    path = tmp_path / "history.jsonl"
    store = HistoryStore(path)
    earlier: set[int] = set()
    kept = 0
    for round_ in range(4):
        start_size = path.stat().st_size if path.exists() else 0
        child = start_appender(path, f"r{round_}", -1, note_size)
        go(child)
        deadline = time.monotonic() + 30
        # let it append a few lines (or one whole big line) before the kill
        while (not path.exists() or path.stat().st_size < start_size + max(20_000, note_size + 400)) and (
            time.monotonic() < deadline
        ):
            time.sleep(0.01)
        time.sleep(0.005 * round_)  # vary where the kill lands
        child.send_signal(signal.SIGKILL)
        child.wait()
        raw = path.read_bytes()
        result = store.read()
        complete = raw.count(b"\n")
        problems = {n for n, _ in result.problems}
        # Every complete line reads back; only a last line without its newline may not.
        new_problems = problems - earlier
        assert new_problems <= {complete + 1}
        if new_problems:
            assert not raw.endswith(b"\n") and "incomplete last line" in dict(result.problems)[complete + 1]
        assert len(result.records) == complete - len(earlier) and len(result.records) > kept
        kept = len(result.records)
        earlier = problems
    assert len(earlier) <= 4  # at most one torn line per kill, each kept in place, never merged


def test_a_kill_in_the_middle_of_a_write_tears_only_that_line(tmp_path: Path) -> None:
    """A 64 MB line takes long enough to write that a SIGKILL sent as soon as the file grows
    lands inside the write (Linux then stops it short): a real torn line."""
    path = tmp_path / "history.jsonl"
    store = HistoryStore(path)
    first = [_record(f"a{i}") for i in range(3)]
    for record in first:
        store.append(record)
    size = path.stat().st_size
    child = start_appender(path, "big", 1, 64_000_000)
    go(child)
    deadline = time.monotonic() + 60
    while path.stat().st_size == size and time.monotonic() < deadline and child.poll() is None:
        pass
    child.send_signal(signal.SIGKILL)
    child.wait()
    torn = not path.read_bytes().endswith(b"\n")
    result = store.read()
    if torn:
        assert result.records == first
        assert [n for n, _ in result.problems] == [4] and "incomplete last line" in result.problems[0][1]
    else:  # the write finished first: the line is whole
        assert result.records[:3] == first and len(result.records) == 4 and result.problems == []
    after = _record("after")
    store.append(after)
    result = store.read()
    assert result.records[-1] == after and result.records[:3] == first
    assert [n for n, _ in result.problems] == ([4] if torn else [])


def _record(id_: str) -> SessionRecord:
    return new_record(
        routine="neck-and-shoulders", routine_title="Neck", routine_hash="sha256:0",
        started_at="2026-11-26T09:00:00+01:00", ended_at="2026-11-26T09:05:00+01:00",
        planned_seconds=300, active_seconds=300.0, completed=True, steps_done=6,
        steps_total=6, pre=7, post=3, id=id_,
    )  # fmt: skip


JOURNAL_USER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from coach.journal import Journal

    journal = Journal(Path(sys.argv[1]))
    journal.begin({
        "routine": "neck-and-shoulders", "routine_title": "Neck and shoulder release",
        "routine_hash": "sha256:0", "plan": None, "started_at": "2026-11-26T09:12:03+01:00",
        "planned_seconds": 300, "active_seconds": 0.0, "steps_done": 0, "steps_total": 6,
        "pre": 8, "pauses": 0, "skips": 0, "gentler": 0,
    })
    journal.update({"steps_done": 2, "active_seconds": 95.0, "pauses": 1})
    print("ready", flush=True)
    time.sleep(60)
    """
)


def test_journal_recovery_after_sigkill_of_a_process_using_the_journal(tmp_path: Path) -> None:
    store, journal_path = HistoryStore(tmp_path / "history.jsonl"), tmp_path / "session.journal.json"
    child = subprocess.Popen(
        [sys.executable, "-c", JOURNAL_USER, str(journal_path)], stdout=subprocess.PIPE, text=True, env=ENV
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
        record_id = read_journal(journal_path).record_id
        assert recover_journal(store, journal_path) is None  # alive: left alone
        assert journal_path.exists() and not store.path.exists()
        child.send_signal(signal.SIGKILL)
        # Not reaped yet: a zombie is dead too (polled: a loaded machine may take a while
        # to tear the process down, and a live one would rightly be left alone).
        deadline = time.monotonic() + 60
        while _state(child.pid) not in ("Z", None) and time.monotonic() < deadline:
            time.sleep(0.01)
        record = recover_journal(store, journal_path)
    finally:
        child.kill()
        child.wait()
    assert record is not None and record.id == record_id
    assert (record.completed, record.pre, record.post, record.steps_done, record.pauses) == (
        False,
        8,
        None,
        2,
        1,
    )
    assert record.active_seconds == 95.0
    assert not journal_path.exists() and store.read().records == [record]


def _state(pid: int) -> str | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rfind(")") + 2]


def test_concurrent_recoveries_append_the_session_once(tmp_path: Path) -> None:
    journal_path = tmp_path / "session.journal.json"
    history_path = tmp_path / "history.jsonl"
    child = subprocess.Popen(
        [sys.executable, "-c", JOURNAL_USER, str(journal_path)], stdout=subprocess.PIPE, text=True, env=ENV
    )
    assert child.stdout is not None and child.stdout.readline() == "ready\n"
    child.kill()
    child.wait()
    recover = (
        "import sys; from pathlib import Path; from coach.history import HistoryStore; "
        "from coach.journal import recover_journal; "
        "sys.stdin.readline(); recover_journal(HistoryStore(Path(sys.argv[1])), Path(sys.argv[2]))"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", recover, str(history_path), str(journal_path)],
            stdin=subprocess.PIPE,
            text=True,
            env=ENV,
        )
        for _ in range(4)
    ]
    time.sleep(0.5)
    for proc in procs:
        go(proc)  # type: ignore[arg-type]
    assert all(proc.wait(timeout=60) == 0 for proc in procs)
    result = HistoryStore(history_path).read()
    assert len(result.records) == 1 and result.problems == [] and not journal_path.exists()


def coach() -> list[str]:
    found = shutil.which("coach", path=str(Path(sys.executable).parent)) or shutil.which("coach")
    return [found] if found else [sys.executable, "-m", "coach"]


def test_a_coach_run_killed_with_sigkill_is_recorded_by_the_next_command(tmp_path: Path) -> None:
    env = {**ENV, "COACH_HOME": str(tmp_path)}
    journal_path = tmp_path / "session.journal.json"
    run = subprocess.Popen(
        [*coach(), "run", "box-breathing", "--plain", "--pre", "6", "--mute"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while not journal_path.exists() and time.monotonic() < deadline and run.poll() is None:
            time.sleep(0.05)
        assert journal_path.exists(), (
            run.stderr.read() if run.poll() is not None and run.stderr else "no journal"
        )
        record_id = read_journal(journal_path).record_id
        run.send_signal(signal.SIGKILL)
        run.wait()
    finally:
        run.kill()
        run.wait()
    assert journal_path.exists()  # SIGKILL leaves no chance to clean up
    shown = subprocess.run(
        [*coach(), "history", "--json"], capture_output=True, text=True, env=env, timeout=60
    )
    assert shown.returncode == 0, shown.stderr
    (stored,) = json.loads(shown.stdout)
    assert stored["id"] == record_id and stored["routine"] == "box-breathing"
    assert stored["completed"] is False and stored["pre"] == 6 and stored["post"] is None
    assert "recorded an interrupted session" in shown.stderr
    assert not journal_path.exists()
    again = subprocess.run([*coach(), "stats", "--json"], capture_output=True, text=True, env=env, timeout=60)
    assert json.loads(again.stdout)["all_time"]["sessions"] == 1 and "interrupted" not in again.stderr


INDEX_READER = textwrap.dedent(
    """
    import sys
    from datetime import date
    from pathlib import Path
    from coach.index import open_index

    path, rounds = Path(sys.argv[1]), int(sys.argv[2])
    print("ready", flush=True)
    sys.stdin.readline()
    counts = []
    for _ in range(rounds):
        with open_index(path) as index:
            assert index.note is None, index.note
            assert index.problems() == [], index.problems()
            stats = index.stats(date(2026, 11, 26))
            assert stats.all_time.sessions == index.count()
            counts.append(index.count())
    assert counts == sorted(counts), counts  # the index never goes backwards
    print(counts[-1], flush=True)
    """
)


def test_two_appenders_and_readers_building_the_index_at_once_agree_with_the_file(tmp_path: Path) -> None:
    """Two processes append 150 sessions each while two others bring the index up to date
    again and again (each sync races the others for SQLite's lock): nothing is counted twice
    or lost, and the index ends equal to a full parse of the file."""
    from datetime import date

    from coach.commands.history import select
    from coach.stats import compute, to_json

    path = tmp_path / "history.jsonl"
    writers = [start_appender(path, f"w{n}", 150) for n in range(2)]
    readers = []
    for _ in range(2):
        reader = subprocess.Popen(
            [sys.executable, "-c", INDEX_READER, str(path), "40"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV,
        )  # fmt: skip
        assert reader.stdout is not None and reader.stdout.readline() == "ready\n"
        readers.append(reader)
    for child in [*writers, *readers]:
        go(child)
    for child in writers:
        assert child.wait(timeout=120) == 0
    for reader in readers:
        out, err = reader.communicate(timeout=120)
        assert reader.returncode == 0 and err == "", err
        assert 0 <= int(out) <= 300
    full = HistoryStore(path).read()
    assert len(full.records) == 300 and full.problems == []
    with open_index(path) as index:
        assert index.count() == 300 and index.problems() == []
        order = select(full.records, since=None, routine=None)
        assert [r.id for r in index.records()] == [full.records[i].id for i in order]
        today = date(2026, 11, 26)
        assert to_json(index.stats(today)) == to_json(compute(full.records, today))


def _open_fresh_index(path: Path, barrier: Any, results: Any) -> None:
    barrier.wait(timeout=30)
    with open_index(path) as index:
        results.put(index.note or "on disk")


def test_processes_opening_a_new_index_at_once_all_use_it_on_disk(tmp_path: Path) -> None:
    """Four processes open a history whose index does not exist yet, released together by a
    barrier: each must get the on-disk index, never the in-memory fallback. SQLite answers
    "database is locked" without waiting when two connections switch a new file to WAL at
    once; that lost about 1 trial in 3 before `_use_wal` retried, so 20 trials catch it."""
    context = multiprocessing.get_context("fork")  # forked children start together
    for trial in range(20):
        path = tmp_path / f"t{trial}" / "history.jsonl"
        path.parent.mkdir()
        path.write_text("")
        path.chmod(0o600)
        barrier, results = context.Barrier(4), context.Queue()
        children = [
            context.Process(target=_open_fresh_index, args=(path, barrier, results)) for _ in range(4)
        ]
        for child in children:
            child.start()
        notes = [results.get(timeout=60) for _ in children]
        for child in children:
            child.join(timeout=60)
        assert notes == ["on disk"] * 4 and [c.exitcode for c in children] == [0] * 4, (trial, notes)
