"""Writes that cost what the new lines cost: crash recovery, imports and `clear` ask the
index (brought up to date under the writer's lock) instead of parsing the history whole;
imports of JSON Lines are read and written in blocks."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import coach.history as history
from coach.errors import CoachError
from coach.history import HistoryStore
from coach.index import INDEX_NAME, open_index, writer_index
from tests.unit.test_index import assert_agrees, lines, rec


@pytest.fixture
def store(tmp_path: Path) -> HistoryStore:
    return HistoryStore(tmp_path / "history.jsonl")


@pytest.fixture
def no_whole_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """A write that parses the history whole fails the test."""

    def refuse(*_args: object) -> None:
        raise AssertionError("a write parsed the whole history")

    monkeypatch.setattr(history, "_read_fd", refuse)
    monkeypatch.setattr(history, "read_stream", refuse)


def test_crash_recovery_asks_the_index_and_appends_once(
    store: HistoryStore, monkeypatch: pytest.MonkeyPatch, no_whole_read: None
) -> None:
    store.path.write_text(lines([rec(i) for i in range(50)]))
    assert store.append_if_absent(rec(7)) is False  # already there (the index is built)
    assert store.append_if_absent(rec(50)) is True
    assert store.append_if_absent(rec(50)) is False  # its own append is seen at once
    assert store.path.read_text().count('"id": "id00050"') == 1
    monkeypatch.undo()  # the check reads the file whole
    assert_agrees(store.path)


def test_the_writer_indexes_only_the_new_lines(store: HistoryStore, monkeypatch: pytest.MonkeyPatch) -> None:
    store.path.write_text(lines([rec(i) for i in range(50)]))
    with open_index(store.path) as index:
        assert index.count() == 50
    store.append(rec(50))
    parsed: list[int] = []
    original = history.BlockReader.parse

    def counting(self: history.BlockReader, data: bytes, line_no: int) -> int:
        parsed.append(data.count(b"\n"))
        return original(self, data, line_no)

    monkeypatch.setattr(history.BlockReader, "parse", counting)
    assert store.append_if_absent(rec(51)) is True
    assert parsed == [1]  # the one line appended since the index was synced, not 51


def test_an_import_skips_ids_there_and_repeated_across_blocks(
    store: HistoryStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_whole_read: None
) -> None:
    monkeypatch.setattr(history, "_BLOCK", 700)  # a few lines per block
    monkeypatch.setattr(history, "_IMPORT_BATCH", 3)
    store.path.write_text(lines([rec(i) for i in range(10)]))
    source = [rec(i) for i in range(5, 25)] + [rec(12), rec(24), rec(3)]  # repeats, far apart
    (tmp_path / "in.jsonl").write_text(lines(source)[:-1])  # the last line without newline
    result = store.import_file(tmp_path / "in.jsonl")
    assert (result.added, result.skipped, result.problems) == (15, 8, [])
    ids = [json.loads(line)["id"] for line in store.path.read_text().splitlines()]
    assert ids == [f"id{i:05d}" for i in range(25)]
    again = store.import_file(tmp_path / "in.jsonl")
    assert (again.added, again.skipped) == (0, len(source))
    monkeypatch.undo()  # the check reads the file whole
    assert_agrees(store.path)


def test_an_import_reports_bad_lines_with_their_numbers_across_blocks(
    store: HistoryStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history, "_BLOCK", 500)
    text = lines([rec(i) for i in range(6)]).splitlines(keepends=True)
    text[3] = '{"format": 1, "id": "bad"}\n'
    (tmp_path / "in.jsonl").write_text("\ufeff" + "".join(text))  # a byte-order mark too
    result = store.import_file(tmp_path / "in.jsonl")
    assert result.added == 5 and [line for line, _ in result.problems] == [4]


def test_a_file_found_not_utf8_part_way_imports_nothing(
    store: HistoryStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history, "_BLOCK", 600)
    monkeypatch.setattr(history, "_IMPORT_BATCH", 2)
    store.path.write_text(lines([rec(i) for i in range(3)]))
    before = store.path.read_bytes()
    data = lines([rec(i) for i in range(10, 30)]).encode() + b'{"note": "\xff"}\n'
    (tmp_path / "in.jsonl").write_bytes(data)
    with pytest.raises(CoachError, match=r"in\.jsonl:21: not UTF-8 text"):
        store.import_file(tmp_path / "in.jsonl")
    assert store.path.read_bytes() == before  # the batches written before it were cut back
    assert_agrees(store.path)


def test_an_import_with_nothing_valid_creates_no_history(store: HistoryStore, tmp_path: Path) -> None:
    (tmp_path / "in.jsonl").write_text('{"format": 1}\n')
    result = store.import_file(tmp_path / "in.jsonl")
    assert result.added == 0 and len(result.problems) == 1 and not store.path.exists()


def test_a_full_disk_in_the_middle_of_a_streamed_import_cuts_back(
    store: HistoryStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history, "_BLOCK", 600)
    monkeypatch.setattr(history, "_IMPORT_BATCH", 2)
    store.path.write_text(lines([rec(i) for i in range(3)]))
    before = store.path.read_bytes()
    (tmp_path / "in.jsonl").write_text(lines([rec(i) for i in range(10, 40)]))
    real_write, writes = os.write, []

    def failing(fd: int, data: bytes) -> int:
        writes.append(fd)
        if len(writes) == 3:
            raise OSError(28, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(history.os, "write", failing)
    with pytest.raises(history.HistoryWriteError, match="none of the new sessions was imported"):
        store.import_file(tmp_path / "in.jsonl")
    monkeypatch.setattr(history.os, "write", real_write)
    assert store.path.read_bytes() == before
    assert_agrees(store.path)


def test_clear_counts_from_the_index_and_leaves_it_empty(store: HistoryStore, no_whole_read: None) -> None:
    store.path.write_text(lines([rec(i) for i in range(40)]) + "not json\n")
    assert store.clear() == 40
    assert store.path.read_bytes() == b""
    with open_index(store.path) as index:
        assert index.count() == 0 and index.problems() == []


def test_an_unusable_index_falls_back_to_one_in_memory(store: HistoryStore, tmp_path: Path) -> None:
    store.path.write_text(lines([rec(i) for i in range(20)]))
    (tmp_path / "cache").write_text("a file where the cache folder belongs")
    assert store.append_if_absent(rec(3)) is False
    assert store.append_if_absent(rec(20)) is True
    (tmp_path / "in.jsonl").write_text(lines([rec(i) for i in range(15, 30)]))
    result = store.import_file(tmp_path / "in.jsonl")
    assert (result.added, result.skipped) == (9, 6)
    assert store.clear() == 30
    assert not (tmp_path / "cache" / INDEX_NAME).exists()


def test_the_writer_index_reads_through_the_held_fd_without_relocking(store: HistoryStore) -> None:
    store.path.write_text(lines([rec(i) for i in range(5)]))
    with store._locked() as fd, writer_index(store.path, fd) as index:  # held exclusively: no deadlock
        assert index.present(["id00001", "id00009"]) == {"id00001"} and index.count() == 5
