"""The history store: whole lines, private files, reads that never write, imports, clear."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

import pytest

import coach.history as history
from coach.errors import CoachError
from coach.history import HistoryStore, write_csv, write_json_array
from coach.records import FIELDS, STATE_FIELDS, RecordError, SessionRecord, new_record, record_from_json
from tests.helpers.processes import dead_pid


def make(n: int, day: int = 1, **changes: object) -> SessionRecord:
    values: dict[str, object] = {
        "routine": "neck-and-shoulders",
        "routine_title": "Neck and shoulder release",
        "routine_hash": "sha256:" + "0" * 64,
        "started_at": f"2026-11-{day:02d}T09:{n % 60:02d}:00+01:00",
        "ended_at": f"2026-11-{day:02d}T10:{n % 60:02d}:00+01:00",
        "planned_seconds": 300,
        "active_seconds": 290.5 + n,
        "completed": True,
        "steps_done": 6,
        "steps_total": 6,
        "pre": n % 11,
        "post": (n * 3) % 11,
        "id": f"id{n:06d}",
    }
    values.update(changes)
    return new_record(**values)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> HistoryStore:
    return HistoryStore(tmp_path / "data" / "history.jsonl")


def append_all(store: HistoryStore, records: list[SessionRecord]) -> None:
    for record in records:
        store.append(record)


def snapshot(path: Path) -> tuple[bytes, int, int]:
    info = path.stat()
    return path.read_bytes(), info.st_mtime_ns, info.st_ino


def test_append_writes_one_line_per_record_and_reads_back_in_order(store: HistoryStore) -> None:
    records = [make(i) for i in range(5)]
    for record in records:
        store.append(record)
    lines = store.path.read_text().splitlines()
    assert len(lines) == 5 and all(
        json.loads(line)["id"] == r.id for line, r in zip(lines, records, strict=True)
    )
    result = store.read()
    assert result.records == records and result.problems == []


@pytest.mark.parametrize("mask", [0o000, 0o022, 0o277])
def test_folder_is_0700_and_file_0600_whatever_the_umask(tmp_path: Path, mask: int) -> None:
    old = os.umask(mask)
    try:
        store = HistoryStore(tmp_path / "home" / "history.jsonl")
        store.append(make(1))
    finally:
        os.umask(old)
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600


def test_a_file_made_readable_by_others_is_made_private_on_the_next_append(store: HistoryStore) -> None:
    store.append(make(1))
    store.path.chmod(0o644)
    store.append(make(2))
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600


def test_reading_a_missing_history_creates_nothing(store: HistoryStore) -> None:
    result = store.read()
    assert result.records == [] and result.problems == []
    assert not store.path.parent.exists()


GARBAGE = [
    b"not json at all",
    b'{"format": 1, "id": "half a line',
    b"[1, 2, 3]",
    b'{"format": 1}',
    b"\xff\xfe\x00 not utf-8",
    b"[" * 10_000,
]


def test_garbage_lines_are_reported_by_number_and_the_rest_is_kept(store: HistoryStore) -> None:
    good = [make(i) for i in range(4)]
    wrong_type = {**make(9).to_json(), "pre": "seven"}
    lines = [
        good[0].to_line().encode(),
        *(g + b"\n" for g in GARBAGE),  # lines 2-7
        b"\n",  # line 8: blank, not a problem
        good[1].to_line().encode(),  # line 9
        json.dumps(wrong_type).encode() + b"\n",  # line 10
        good[2].to_line().encode(),  # line 11
        good[0].to_line().encode(),  # line 12: the same id again
        good[3].to_line().encode(),  # line 13
    ]
    store.path.parent.mkdir(parents=True)
    store.path.write_bytes(b"".join(lines))
    result = store.read()
    assert result.records == good
    assert [n for n, _ in result.problems] == [2, 3, 4, 5, 6, 7, 10, 12]
    reasons = dict(result.problems)
    assert "not UTF-8" in reasons[6] and "pre" in reasons[10] and "line 1" in reasons[12]


def test_reading_never_modifies_the_file(store: HistoryStore) -> None:
    store.append(make(1))
    with store.path.open("ab") as f:
        f.write(b"garbage\n" + make(2).to_line().encode() + b'{"torn": ')
    before = snapshot(store.path)
    for _ in range(3):
        store.read()
        store.read_texts()
    assert snapshot(store.path) == before


def test_a_torn_last_line_is_reported_and_the_next_append_starts_a_new_line(store: HistoryStore) -> None:
    store.append(make(1))
    torn = make(2).to_line()[:57]
    with store.path.open("a") as f:
        f.write(torn)
    result = store.read()
    assert result.records == [make(1)]
    assert result.problems[0][0] == 2 and "incomplete last line" in result.problems[0][1]
    store.append(make(3))
    result = store.read()
    assert result.records == [make(1), make(3)]
    assert [n for n, _ in result.problems] == [2]
    assert store.path.read_text().splitlines()[1] == torn


def test_a_whole_last_line_without_its_newline_is_still_read(store: HistoryStore) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_text(make(1).to_line() + make(2).to_line().rstrip("\n"))
    assert store.read().records == [make(1), make(2)]


def test_an_invalid_record_is_refused_and_nothing_is_written(store: HistoryStore) -> None:
    store.append(make(1))
    before = snapshot(store.path)
    bad = SessionRecord(**{**make(2).to_json(), "pre": 12})  # the plain constructor does not check
    with pytest.raises(RecordError, match="pre"):
        store.append(bad)
    assert snapshot(store.path) == before


def test_records_of_newer_formats_are_kept_with_their_extra_fields(store: HistoryStore) -> None:
    newer = record_from_json({**make(1).to_json(), "format": 2, "mood": "sunny"})
    store.append(newer)
    (read,) = store.read().records
    assert read.format == 2 and dict(read.extra) == {"mood": "sunny"}


def test_reads_across_block_boundaries_keep_line_numbers(
    store: HistoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history, "_BLOCK", 700)  # a line is about 400 bytes: blocks split lines
    records = [make(i) for i in range(30)]
    append_all(store, records[:10])
    with store.path.open("a") as f:
        f.write("garbage\n")  # line 11
    append_all(store, records[10:])
    with store.path.open("ab") as f:
        f.write(b"\xff\n")  # line 32
    result = store.read()
    assert result.records == records
    assert [n for n, _ in result.problems] == [11, 32]
    stored = store.read_texts()
    assert [json.loads(text) for _, _, text in stored.rows] == [r.to_json() for r in records]
    assert stored.problems == result.problems


def test_json_lines_imports_across_blocks_keep_line_numbers(
    store: HistoryStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history, "_BLOCK", 500)
    records = [make(i) for i in range(12)]
    lines = [r.to_line() for r in records]
    lines.insert(5, "garbage\n")  # line 6
    source = tmp_path / "in.jsonl"
    source.write_text("".join(lines) + "{torn")  # line 14, no newline
    result = store.import_file(source)
    assert result.added == 12 and [n for n, _ in result.problems] == [6, 14]
    assert store.read().records == records


def test_clear_empties_the_file_and_appends_work_after(store: HistoryStore) -> None:
    assert store.clear() == 0
    append_all(store, [make(i) for i in range(3)])
    assert store.clear() == 3
    assert store.path.read_bytes() == b"" and store.read().records == []
    store.append(make(7))
    assert store.read().records == [make(7)]


# --- import -------------------------------------------------------------------------------


def exported(records: list[SessionRecord], form: str) -> str:
    out = io.StringIO()
    if form == "csv":
        write_csv(records, out)
    elif form == "json":
        write_json_array(records, out)
    else:
        out.write("".join(r.to_line() for r in records))
    return out.getvalue()


@pytest.mark.parametrize("form", ["jsonl", "json", "csv"])
def test_import_of_each_format_adds_new_records_and_skips_known_ids(
    store: HistoryStore, tmp_path: Path, form: str
) -> None:
    # (a newline in a note is a control character that imports refuse: see records.check_import_text)
    records = [make(i, note=f'note {i}, with "quotes", commas; and spaces') for i in range(6)]
    append_all(store, records[:2])
    source = tmp_path / f"backup.{form}"
    source.write_text(exported(records, form), encoding="utf-8")
    result = store.import_file(source)
    assert (result.added, result.skipped, result.problems) == (4, 2, [])
    assert store.read().records == records
    again = store.import_file(source)
    assert (again.added, again.skipped) == (0, 6)
    assert store.read().records == records


@pytest.mark.parametrize("form", ["jsonl", "json", "csv"])
def test_import_reports_bad_records_by_line_and_writes_nothing_for_them(
    store: HistoryStore, tmp_path: Path, form: str
) -> None:
    good, bad = make(1), make(2, pre=None)
    text = exported([good, bad, make(3)], form)
    if form == "csv":
        rows = list(csv.reader(io.StringIO(text, newline="")))
        rows[2][FIELDS.index("pre")] = "eleven"  # `bad`, on line 3
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        text = out.getvalue()
        bad_line = 3
    elif form == "json":
        text = text.replace('"pre": null', '"pre": "eleven"')
        bad_line = 3
    else:
        text = text.replace('"pre": null', '"pre": "eleven"')
        bad_line = 2
    source = tmp_path / "import.txt"
    source.write_text(text)
    result = store.import_file(source)
    assert result.added == 2 and result.skipped == 0
    assert [n for n, _ in result.problems] == [bad_line] and "pre" in result.problems[0][1]
    assert [r.id for r in store.read().records] == [good.id, make(3).id]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe garbage", "not UTF-8"),
        (b'[{"format": 1},\n  oops]', ":2:"),
        (b"[", "not closed"),
        (b'[{"a": 1}] trailing', "after the closing"),
        (b"date,routine,minutes\n2026-01-01,x,5\n", "missing columns"),
    ],
)
def test_an_unreadable_import_file_is_an_error_and_nothing_is_written(
    store: HistoryStore, tmp_path: Path, content: bytes, message: str
) -> None:
    store.append(make(1))
    before = snapshot(store.path)
    source = tmp_path / "bad"
    source.write_bytes(content)
    with pytest.raises(CoachError, match=message):
        store.import_file(source)
    assert snapshot(store.path) == before


def test_importing_a_missing_file_is_a_usage_error(store: HistoryStore, tmp_path: Path) -> None:
    with pytest.raises(CoachError) as info:
        store.import_file(tmp_path / "nope.jsonl")
    assert info.value.exit_code == 2 and not store.path.exists()


def test_an_empty_json_array_and_an_empty_file_import_nothing(store: HistoryStore, tmp_path: Path) -> None:
    for content in ("[]", " [ ]\n", "", "\n\n"):
        source = tmp_path / "empty"
        source.write_text(content)
        result = store.import_file(source)
        assert (result.added, result.skipped, result.problems) == (0, 0, [])
    assert not store.path.exists()


def test_duplicate_ids_inside_an_import_are_skipped(store: HistoryStore, tmp_path: Path) -> None:
    source = tmp_path / "dups.jsonl"
    source.write_text(make(1).to_line() * 3 + make(2).to_line())
    result = store.import_file(source)
    assert (result.added, result.skipped) == (2, 2)


def test_a_utf8_bom_from_a_spreadsheet_is_accepted(store: HistoryStore, tmp_path: Path) -> None:
    source = tmp_path / "excel.csv"
    source.write_bytes("\ufeff".encode() + exported([make(1)], "csv").encode())
    assert store.import_file(source).added == 1


def test_every_write_but_clear_only_appends(store: HistoryStore, tmp_path: Path) -> None:
    from coach.journal import Journal, recover_journal

    store.append(make(1))
    seen = store.path.read_bytes()

    def grew_from_the_old_bytes() -> None:
        nonlocal seen
        now = store.path.read_bytes()
        assert now.startswith(seen) and len(now) > len(seen)
        seen = now

    append_all(store, [make(2), make(3)])
    grew_from_the_old_bytes()
    source = tmp_path / "in.jsonl"
    source.write_text(make(1).to_line() + make(4).to_line())
    store.import_file(source)
    grew_from_the_old_bytes()
    journal_path = tmp_path / "journal.json"
    dead = os.fork()
    if dead == 0:  # a child that leaves a journal and dies at once
        Journal(journal_path).begin({name: make(5).to_json()[name] for name in STATE_FIELDS})
        os._exit(0)
    os.waitpid(dead, 0)
    assert recover_journal(store, journal_path) is not None
    grew_from_the_old_bytes()


# --- faults: a write that fails part-way is cut back ----------------------------------------


def fail_after(monkeypatch: pytest.MonkeyPatch, budget: int) -> None:
    """os.write writes `budget` more bytes in all, then fails as a full disk does (a short
    write first, then ENOSPC)."""
    real_write = os.write
    left = [budget]

    def write(fd: int, data: bytes) -> int:
        if left[0] <= 0:
            raise OSError(28, "No space left on device")
        done = real_write(fd, bytes(memoryview(data)[: left[0]]))
        left[0] -= done
        return done

    monkeypatch.setattr(history.os, "write", write)


def test_an_append_that_fails_part_way_is_cut_back_to_the_last_whole_line(
    store: HistoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    append_all(store, [make(i) for i in range(3)])
    before = store.path.read_bytes()
    fail_after(monkeypatch, 100)  # a record's line is ~500 bytes: torn in the middle
    with pytest.raises(history.HistoryWriteError) as caught:
        store.append(make(3))
    assert str(caught.value) == (
        f"{store.path}: the session was not saved (No space left on device); the history is as it was"
    )
    assert "\n" not in str(caught.value)
    assert store.path.read_bytes() == before
    monkeypatch.undo()
    store.append(make(4))  # the next append starts on a whole line
    result = store.read()
    assert result.problems == [] and [r.id for r in result.records][-1] == make(4).id


def test_an_import_that_fails_part_way_imports_nothing(
    store: HistoryStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.append(make(0))
    before = store.path.read_bytes()
    source = tmp_path / "backup.jsonl"
    source.write_text("".join(make(i).to_line() for i in range(1, 201)))
    fail_after(monkeypatch, 89 * 500)  # the import stopped after 89 of 200 records
    with pytest.raises(CoachError) as caught:
        store.import_file(source)
    assert str(caught.value) == (
        f"{store.path}: none of the 200 new sessions was imported (No space left on device); "
        "the history is as it was"
    )
    assert store.path.read_bytes() == before
    monkeypatch.undo()
    assert store.import_file(source).added == 200
    assert len(store.read().records) == 201 and store.read().problems == []


def test_a_failed_fsync_is_cut_back_too(store: HistoryStore, monkeypatch: pytest.MonkeyPatch) -> None:
    store.append(make(0))
    before = store.path.read_bytes()

    def fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(history.os, "fsync", fsync)
    with pytest.raises(history.HistoryWriteError, match="Input/output error"):
        store.append(make(1))
    monkeypatch.undo()
    assert store.path.read_bytes() == before


@pytest.mark.parametrize("kind", ["fifo", "folder", "link"])
def test_a_history_that_is_not_a_regular_file_is_named_and_left_alone(tmp_path: Path, kind: str) -> None:
    import signal

    store = HistoryStore(tmp_path / "history.jsonl")
    target = tmp_path / "target.jsonl"
    target.write_text(make(0).to_line())
    target.chmod(0o644)
    if kind == "fifo":
        os.mkfifo(store.path)
    elif kind == "folder":
        store.path.mkdir()
    else:
        store.path.symlink_to(target)
    what = {"fifo": "a FIFO (named pipe)", "folder": "a folder", "link": "a symbolic link"}[kind]
    signal.alarm(5)  # a blocking open of the FIFO would hang here: fail instead
    try:
        for action in (store.read, store.read_texts, lambda: store.append(make(1)), store.clear):
            with pytest.raises(CoachError) as caught:
                action()
            assert str(caught.value).startswith(f"{store.path}: is {what}")
    finally:
        signal.alarm(0)
    assert target.read_text() == make(0).to_line() and stat.S_IMODE(target.stat().st_mode) == 0o644


@pytest.mark.skipif(os.geteuid() != 0, reason="chown to another user needs root")
def test_another_users_history_is_read_but_not_written(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.jsonl")
    store.append(make(0))
    os.chown(store.path, 65534, 65534)
    store.path.chmod(0o666)
    before = store.path.read_bytes()
    assert [r.id for r in store.read().records] == [make(0).id]
    message = f"{store.path}: is owned by another user (uid 65534); Coach will not write to it"
    source = tmp_path / "in.jsonl"
    source.write_text(make(1).to_line())
    for action in (lambda: store.append(make(1)), lambda: store.import_file(source), store.clear):
        with pytest.raises(CoachError) as caught:
            action()
        assert str(caught.value) == message
    assert store.path.read_bytes() == before and stat.S_IMODE(store.path.stat().st_mode) == 0o666


def test_an_append_removes_stale_temporaries_of_dead_processes(store: HistoryStore) -> None:
    dead = dead_pid()  # the process has ended: its files are stale
    store.path.parent.mkdir(parents=True)
    stale = store.path.parent / f".settings-{dead}.tmp"
    stale.write_text("{")
    live = store.path.parent / f".settings.json.{os.getppid()}.tmp"
    live.write_text("{")
    store.append(make(0))
    assert not stale.exists() and live.exists()
