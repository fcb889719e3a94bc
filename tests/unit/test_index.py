"""The history index (coach.index) agrees with a full parse of the file whatever happened
to the file: appends, imports, a torn line, `clear`, a file replaced, a line edited,
duplicate ids; it can be deleted or corrupted; an unusable cache folder still works."""

from __future__ import annotations

import io
import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from coach.commands.history import select
from coach.history import HistoryStore
from coach.index import INDEX_NAME, TerminalProgress, default_index_path, open_index
from coach.records import SessionRecord, new_record
from coach.stats import compute, to_json

TODAY = date(2026, 11, 26)


def rec(i: int, day: int = 20, **changes: Any) -> SessionRecord:
    values: dict[str, Any] = {
        "routine": ("neck", "box", "jaw")[i % 3],
        "routine_title": f"Title {i % 3}",
        "routine_hash": "sha256:" + "0" * 64,
        "started_at": f"2026-11-{day:02d}T09:{i % 60:02d}:00+01:00",
        "ended_at": f"2026-11-{day:02d}T10:{i % 60:02d}:00+01:00",
        "planned_seconds": 300,
        "active_seconds": 290.5 + i / 7,
        "completed": i % 4 != 0,
        "steps_done": 3,
        "steps_total": 3,
        "pre": None if i % 5 == 0 else i % 11,
        "post": (i * 3) % 11,
        "plan": "plan-a" if i % 6 == 0 else None,
        "note": f"note {i}",
        "id": f"id{i:05d}",
    }
    values.update(changes)
    return new_record(**values)


def lines(records: list[SessionRecord]) -> str:
    return "".join(r.to_line() for r in records)


def assert_agrees(history: Path) -> None:
    """Every answer of the index equals the same answer worked out from a full parse."""
    full = HistoryStore(history).read()
    texts = HistoryStore(history).read_texts()
    order = select(full.records, since=None, routine=None)
    with open_index(history) as index:
        assert index.note is None
        assert index.problems() == full.problems
        assert index.count() == len(full.records)
        assert [r.id for r in index.records()] == [full.records[i].id for i in order]
        assert list(index.records()) == [full.records[i] for i in order]
        assert list(index.texts()) == [texts.rows[i][2] for i in order]
        assert to_json(index.stats(TODAY)) == to_json(compute(full.records, TODAY))
        newest = list(index.records(newest_first=True))
        assert [r.id for r in newest] == [full.records[i].id for i in order][::-1]
        neck = [full.records[i].id for i in select(full.records, since=date(2026, 11, 21), routine="neck")]
        assert [r.id for r in index.records(since=date(2026, 11, 21), routine="neck")] == neck
        assert index.count(since=date(2026, 11, 21), routine="neck") == len(neck)
        plan = [r for r in full.records if r.plan == "plan-a"]
        assert index.plan_records(["plan-a"]) == plan


@pytest.fixture
def history(tmp_path: Path) -> Path:
    return tmp_path / "history.jsonl"


def test_the_index_lives_in_a_cache_folder_beside_a_history_and_is_private(history: Path) -> None:
    history.write_text(lines([rec(1), rec(2)]))
    assert default_index_path(history) == history.parent / "cache" / INDEX_NAME
    assert_agrees(history)
    index = default_index_path(history)
    assert index.stat().st_mode & 0o777 == 0o600
    assert index.parent.stat().st_mode & 0o777 == 0o700


def test_appends_are_indexed_incrementally_and_agree(history: Path) -> None:
    store = HistoryStore(history)
    assert_agrees(history)  # no file yet
    for i in range(5):
        store.append(rec(i, day=20 + i % 4))
        assert_agrees(history)
    with open_index(history) as index:
        covered = index.conn.execute("SELECT covered FROM meta").fetchone()[0]
    assert covered == history.stat().st_size


def test_an_append_adds_rows_without_a_rebuild(history: Path) -> None:
    store = HistoryStore(history)
    store.append(rec(1))
    assert_agrees(history)
    with open_index(history) as index:  # a row the parse could never give: kept if no rebuild
        index.conn.execute("INSERT INTO problems VALUES (999, 'marker')")
        index.conn.execute("COMMIT")  # queries run in one read transaction: end it
    store.append(rec(2))
    with open_index(history) as index:
        assert (999, "marker") in index.problems() and index.count() == 2


def test_imports_agree(history: Path, tmp_path: Path) -> None:
    store = HistoryStore(history)
    store.append(rec(0))
    assert_agrees(history)
    source = tmp_path / "backup.jsonl"
    source.write_text(lines([rec(i, day=21 + i % 5) for i in range(1, 200)]))
    assert store.import_file(source).added == 199
    assert_agrees(history)


def test_bad_lines_are_stored_and_reported_on_every_warm_run(history: Path) -> None:
    history.write_bytes(rec(1).to_line().encode() + b"garbage\n\xff\xfe\n" + rec(2).to_line().encode())
    for _ in range(3):
        assert_agrees(history)
        with open_index(history) as index:
            assert [line for line, _ in index.problems()] == [2, 3]


def test_duplicate_ids_across_syncs_count_once_and_are_reported(history: Path) -> None:
    history.write_text(lines([rec(1), rec(2)]))
    assert_agrees(history)
    with history.open("a") as out:
        out.write(lines([rec(3), rec(1, day=22), rec(3, day=23)]))
    assert_agrees(history)
    with open_index(history) as index:
        assert index.problems() == [
            (4, "the same id as line 1; skipped"),
            (5, "the same id as line 3; skipped"),
        ]


def test_a_torn_last_line_is_reported_then_completed_by_the_next_append(history: Path) -> None:
    history.write_text(lines([rec(1), rec(2)]))
    assert_agrees(history)
    with history.open("a") as out:
        out.write(rec(3).to_line()[:40])  # a writer killed mid-line
    assert_agrees(history)
    with open_index(history) as index:
        (problem,) = index.problems()
        assert problem[0] == 3 and problem[1].startswith("incomplete last line")
    HistoryStore(history).append(rec(4))  # starts on a new line: the fragment stays line 3
    assert_agrees(history)
    with open_index(history) as index:
        assert [r.id for r in index.records()] == ["id00001", "id00002", "id00004"]


def test_a_whole_record_without_its_newline_is_used_and_the_next_append_joins(history: Path) -> None:
    history.write_text(lines([rec(1)]) + rec(2).to_line().rstrip("\n"))
    assert_agrees(history)
    with open_index(history) as index:
        assert index.count() == 2 and index.problems() == []
    HistoryStore(history).append(rec(3))
    assert_agrees(history)
    with history.open("a") as out:  # a hand-edit that runs on: line 4 is now not a record
        out.write(rec(5).to_line().rstrip("\n"))
    assert_agrees(history)
    with history.open("a") as out:
        out.write("trailing words\n")
    assert_agrees(history)


def test_clear_and_a_new_history_agree(history: Path, tmp_path: Path) -> None:
    store = HistoryStore(history)
    history.write_text(lines([rec(i) for i in range(10)]))
    assert_agrees(history)
    assert store.clear() == 10
    assert_agrees(history)
    store.append(rec(42, day=25))
    assert_agrees(history)
    history.unlink()
    assert_agrees(history)


def test_a_file_replaced_by_another_rebuilds(history: Path, tmp_path: Path) -> None:
    history.write_text(lines([rec(i) for i in range(10)]))
    assert_agrees(history)
    other = tmp_path / "other.jsonl"
    other.write_text(lines([rec(i + 100, day=24) for i in range(12)]))  # longer: looks like appends
    os.replace(other, history)
    assert_agrees(history)
    same_size = tmp_path / "same.jsonl"
    same_size.write_text(history.read_text().replace("id00100", "id00999"))
    os.replace(same_size, history)
    assert_agrees(history)


def test_a_line_edited_in_place_rebuilds(history: Path) -> None:
    history.write_text(lines([rec(i) for i in range(30)]))
    assert_agrees(history)
    text = history.read_text()
    with history.open("r+") as out:  # the same size, the same inode: a rating changed
        out.write(text.replace('"pre": 1,', '"pre": 9,', 1))
    assert_agrees(history)
    with history.open("r+") as out:  # an edit, then an append: the checksum tells
        out.seek(0)
        out.write(history.read_text().replace('"note": "note 2"', '"note": "note X"', 1))
        out.seek(0, os.SEEK_END)
        out.write(rec(77).to_line())
    assert_agrees(history)
    with open_index(history) as index:
        assert index.session("id00002").note == "note X"  # type: ignore[union-attr]


def test_an_edit_far_into_a_large_file_that_then_grew_is_seen(history: Path) -> None:
    records = [rec(i, day=1 + i % 28) for i in range(2000)]  # about 1 MB: sampled checksum
    history.write_text(lines(records))
    assert_agrees(history)
    text = history.read_text()
    position = len(text) - 70_000  # inside the last 64 KiB before the covered end
    at = text.index('"note": "note', position)
    edited = text[:at] + text[at:].replace('"note": "note', '"note": "NOTE', 1)
    history.write_text(edited + rec(5000).to_line())
    assert_agrees(history)


def test_deleting_or_corrupting_the_index_loses_nothing(history: Path) -> None:
    history.write_text(lines([rec(i) for i in range(20)]) + "garbage\n")
    assert_agrees(history)
    index = default_index_path(history)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{index}{suffix}").unlink(missing_ok=True)
    assert_agrees(history)
    index.write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        Path(f"{index}{suffix}").unlink(missing_ok=True)
    assert_agrees(history)  # removed and built again: no note


def test_an_unusable_cache_folder_falls_back_to_the_file(history: Path, tmp_path: Path) -> None:
    history.write_text(lines([rec(i) for i in range(20)]) + "garbage\n")
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    full = HistoryStore(history).read()
    with open_index(history, blocked / INDEX_NAME) as index:
        assert index.note is not None and "cannot be used" in index.note and "\n" not in index.note
        assert index.count() == 20 and index.problems() == full.problems
        assert to_json(index.stats(TODAY)) == to_json(compute(full.records, TODAY))
    assert blocked.read_text() == ""


def test_an_index_of_another_version_is_rebuilt(history: Path) -> None:
    history.write_text(lines([rec(1), rec(2)]))
    assert_agrees(history)
    with open_index(history) as index:
        index.conn.execute("UPDATE meta SET version = 0")
        index.conn.execute("COMMIT")
    with open_index(history) as index:
        assert index.conn.execute("SELECT version FROM meta").fetchone()[0] != 0
    assert_agrees(history)


def test_pages_and_one_session_whole(history: Path) -> None:
    records = [rec(i, day=1 + i % 28, note=f"a long note {i} " * 20) for i in range(120)]
    history.write_text(lines(records))
    ordered = sorted(records, key=lambda r: (r.started(), records.index(r)), reverse=True)
    with open_index(history) as index:
        page = list(index.records(newest_first=True, offset=50, limit=25))
        assert page == ordered[50:75]
        assert index.last() == ordered[0]
        whole = index.session("id00007")
        assert whole is not None and whole.note == records[7].note
        assert index.session("nope") is None


def test_a_rebuild_reports_progress_and_the_terminal_line_shows_after_a_second(history: Path) -> None:
    history.write_text(lines([rec(i) for i in range(50)]))
    seen: list[tuple[int, int]] = []
    with open_index(history, progress=lambda done, total: seen.append((done, total))):
        pass
    size = history.stat().st_size
    assert seen and seen[-1] == (size, size)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    now = [0.0]
    screen = Terminal()
    shown = TerminalProgress(screen, clock=lambda: now[0])
    shown(10, 100)
    assert screen.getvalue() == ""  # under a second: nothing
    now[0] = 1.5
    shown(42, 100)
    assert "indexing the history… 42 %" in screen.getvalue()
    shown(100, 100)
    assert screen.getvalue().endswith("\r\x1b[K")  # the line is cleared at the end
    quiet = io.StringIO()
    TerminalProgress(quiet, clock=lambda: 5.0)(1, 2)
    assert quiet.getvalue() == ""  # not a terminal


def test_json_texts_are_the_stored_lines(history: Path) -> None:
    odd = json.dumps({**rec(3).to_json(), "pain_area": "neck", "future": [1, 2]})
    history.write_text(rec(1).to_line() + odd + "\n")
    with open_index(history) as index:
        texts = list(index.texts())
    assert json.loads(texts[1])["future"] == [1, 2] and texts[0] == rec(1).to_line().rstrip("\n")
    assert_agrees(history)


def test_reading_back_holds_no_lock_so_appends_never_wait_and_a_clear_is_told(history: Path) -> None:
    import threading

    from coach.errors import CoachError

    history.write_text(lines([rec(1), rec(2)]))
    with open_index(history) as index:
        rows = index.records()
        first = next(rows)
        appended = threading.Event()
        threading.Thread(
            target=lambda: (HistoryStore(history).append(rec(3)), appended.set()), daemon=True
        ).start()
        assert appended.wait(60)  # a pager showing the table never holds up a session's save
        assert [first.id, *(r.id for r in rows)] == ["id00001", "id00002"]  # the snapshot read
    assert_agrees(history)
    with open_index(history) as index:
        HistoryStore(history).clear()
        with pytest.raises(CoachError, match="changed while it was read"):
            list(index.records())


# --- issue 12: what a long-time user's test of the history found -----------------------------


def test_a_line_longer_than_a_block_is_read_whole_and_imported_once(history: Path, tmp_path: Path) -> None:
    """A 2.5 MB line (a long hand-written note) used to be dropped by the index with a
    false "not JSON" error, and every re-import appended it again."""
    long = rec(7, note="x" * 2_500_000)
    backup = tmp_path / "backup.jsonl"
    backup.write_text(lines([rec(1), long, rec(2)]))
    store = HistoryStore(history)
    assert store.import_file(backup).added == 3
    assert_agrees(history)
    with open_index(history) as index:
        assert index.problems() == [] and index.count() == 3
        assert index.session("id00007").note == long.note  # type: ignore[union-attr]
    again = store.import_file(backup)
    assert (again.added, again.skipped) == (0, 3)
    history.write_text(lines([rec(1)]) + long.to_line().rstrip("\n"))  # the long line last, open
    assert_agrees(history)
    with open_index(history) as index:
        assert index.count() == 2 and index.problems() == []


def test_a_line_over_the_limit_is_reported_skipped_and_refused_by_an_import(
    history: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import coach.history
    import coach.index

    # Exact only while a block is shorter than the limit (as 1 and 4 MiB are than 16 MiB).
    assert max(coach.index._BLOCK, coach.history._BLOCK) < coach.index.MAX_LINE_BYTES
    monkeypatch.setattr(coach.index, "MAX_LINE_BYTES", 1 << 20)
    monkeypatch.setattr(coach.history, "MAX_LINE_BYTES", 1 << 20)
    monkeypatch.setattr(coach.index, "_BLOCK", 1 << 18)
    monkeypatch.setattr(coach.history, "_BLOCK", 1 << 18)
    huge = rec(7, note="y" * 3_000_000).to_line()
    history.write_text(lines([rec(1)]) + huge + lines([rec(2)]))
    assert_agrees(history)
    with open_index(history) as index:
        assert [r.id for r in index.records()] == ["id00001", "id00002"]
        ((line, reason),) = index.problems()
        assert line == 2 and reason.startswith("longer than") and "not JSON" not in reason
    history.write_text(lines([rec(1)]) + huge.rstrip("\n"))  # a runaway last line
    assert_agrees(history)
    with open_index(history) as index:
        ((line, reason),) = index.problems()
        assert line == 2 and reason.startswith("incomplete last line") and "longer than" in reason
    backup = tmp_path / "backup.jsonl"
    backup.write_text(lines([rec(3)]) + huge + lines([rec(4)]))
    target = HistoryStore(tmp_path / "other" / "history.jsonl")
    result = target.import_file(backup)
    assert result.added == 2 and [line for line, _ in result.problems] == [2]
    assert result.problems[0][1].startswith("longer than")


def _unsampled_post(text: str) -> int:
    """The offset of a `"post": N` digit that no sample of the index's checksum covers."""
    from coach import index as ix

    covered = len(text.encode())
    step = (covered - 2 * ix._EDGE) // (ix._SAMPLES + 1)
    sampled = [(0, ix._EDGE), (covered - ix._EDGE, covered)] + [
        (ix._EDGE + n * step, ix._EDGE + n * step + ix._SAMPLE) for n in range(1, ix._SAMPLES + 1)
    ]
    at = 0
    while True:
        at = text.index('"post": ', at + 1)
        digit = at + len('"post": ')
        if text[digit].isdigit() and text[digit + 1] == "," and not any(a <= digit < b for a, b in sampled):
            return digit


def test_an_edit_in_place_then_a_session_is_seen(history: Path) -> None:
    """Issue 12: line 211's "post" edited (same length), then `coach run --plain` appended:
    the index covered the new size, the sampled checksum missed the edit, and the figures
    stayed wrong for good."""
    history.write_text(lines([rec(i, day=1 + i % 28) for i in range(2000)]))  # ~1 MB: sampled
    assert_agrees(history)
    text = history.read_text()
    digit = _unsampled_post(text)
    new = str((int(text[digit]) + 5) % 10)
    with history.open("r+b") as out:
        out.seek(digit)
        out.write(new.encode())
    info = history.stat()
    os.utime(history, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))  # an editor, later
    HistoryStore(history).append(rec(5000, day=25))
    assert_agrees(history)


def test_an_unusable_cache_folder_builds_the_memory_index_once_per_process(
    history: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import coach.index

    history.write_text(lines([rec(i) for i in range(50)]))
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    parsed: list[int] = []
    real = coach.index._index_block

    def counting(conn: Any, reader: Any, block: bytes, at: int, first: int) -> int:
        parsed.append(block.count(b"\n"))
        return real(conn, reader, block, at, first)

    monkeypatch.setattr(coach.index, "_index_block", counting)
    full = HistoryStore(history).read()
    for _ in range(3):  # pages of the History screen, one after another
        with open_index(history, blocked / INDEX_NAME) as index:
            assert index.note is not None and index.count() == 50
            order = select(full.records, since=None, routine=None)
            assert list(index.records()) == [full.records[i] for i in order]
    assert sum(parsed) == 50  # parsed once, not three times
    HistoryStore(history).append(rec(60))
    with open_index(history, blocked / INDEX_NAME) as index:
        assert index.count() == 51
    assert sum(parsed) == 51  # only the new line
    text = history.read_text()
    history.write_text(text.replace('"note": "note 3"', '"note": "note Z"'))  # edited: rebuilt
    with open_index(history, blocked / INDEX_NAME) as index:
        assert index.session("id00003").note == "note Z"  # type: ignore[union-attr]
        assert to_json(index.stats(TODAY)) == to_json(compute(HistoryStore(history).read().records, TODAY))
    with open_index(history, blocked / INDEX_NAME) as outer:  # two at once: both answer
        with open_index(history, blocked / INDEX_NAME) as inner:
            assert outer.count() == inner.count() == 51


def test_the_unusable_index_is_named_once(history: Path, tmp_path: Path) -> None:
    history.write_text(lines([rec(1)]))
    folder = tmp_path / "cache"
    (folder / INDEX_NAME).mkdir(parents=True)
    with open_index(history) as index:
        assert index.note is not None and index.note.count(INDEX_NAME) == 1
