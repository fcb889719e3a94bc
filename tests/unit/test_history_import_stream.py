"""`coach history import` streams every format (issue 12): a JSON array element by element
and CSV row by row, a block of the file at a time, never the whole file; bad elements keep
their line numbers across blocks; a syntax error found late still imports nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import IO, Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import coach.history as history
from coach.errors import CoachError
from coach.history import HistoryStore, write_csv, write_json_array
from coach.records import SessionRecord, new_record


def make(n: int, **changes: Any) -> SessionRecord:
    values: dict[str, Any] = {
        "routine": "neck-and-shoulders",
        "routine_title": "Nacken und Schultern – lösen",
        "routine_hash": "sha256:" + "0" * 64,
        "started_at": f"2026-11-{1 + n % 28:02d}T09:{n % 60:02d}:00+01:00",
        "ended_at": f"2026-11-{1 + n % 28:02d}T10:{n % 60:02d}:00+01:00",
        "planned_seconds": 300,
        "active_seconds": 290.5,
        "completed": True,
        "steps_done": 6,
        "steps_total": 6,
        "pre": n % 11,
        "post": (n * 3) % 11,
        "note": "=1+1 🙂" if n % 7 == 0 else "",
        "id": f"id{n:06d}",
    }
    values.update(changes)
    return new_record(**values)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Blocks of 600 bytes (a record is ~500), and the size of every read of the import file."""
    sizes: list[int] = []
    opener = history._open_import

    class Recorded:
        def __init__(self, raw: IO[bytes]) -> None:
            self.raw = raw

        def read(self, size: int = -1) -> bytes:
            data = self.raw.read(size)
            sizes.append(size if size >= 0 else len(data) + 1_000_000)
            return data

        def __getattr__(self, name: str) -> Any:
            return getattr(self.raw, name)

    monkeypatch.setattr(history, "_BLOCK", 600)
    monkeypatch.setattr(history, "_open_import", lambda path: Recorded(opener(path)))
    return sizes


@pytest.mark.parametrize("form", ["json", "csv"])
def test_an_export_is_imported_a_block_at_a_time(form: str, tmp_path: Path, reads: list[int]) -> None:
    records = [make(i) for i in range(40)]
    out = io.StringIO(newline="")
    (write_json_array if form == "json" else write_csv)(records, out)
    source = tmp_path / f"export.{form}"
    source.write_text(out.getvalue(), newline="")
    store = HistoryStore(tmp_path / "home" / "history.jsonl")
    result = store.import_file(source)
    assert (result.added, result.problems) == (40, [])
    assert store.read().records == records
    assert max(reads) <= 600 and len(reads) > 10  # never the whole file at once


def test_bad_elements_of_a_streamed_array_keep_their_lines(tmp_path: Path, reads: list[int]) -> None:
    good = [make(i).to_json() for i in range(12)]
    items = [json.dumps(o, indent=1) for o in good]  # elements over many lines and blocks
    items.insert(4, json.dumps({**good[0], "id": "bad", "pre": 11}, indent=1))
    items.insert(9, "12")
    text = "[\n" + ",\n".join(items) + "\n]\n"
    starts = [text.count("\n", 0, text.index(item)) + 1 for item in (items[4], items[9])]
    source = tmp_path / "export.json"
    source.write_text(text)
    result = HistoryStore(tmp_path / "home" / "history.jsonl").import_file(source)
    assert result.added == 12 and [line for line, _ in result.problems] == starts
    assert history.parse_import_text(text)[1] == result.problems  # the same from text whole


@pytest.mark.parametrize(
    ("tail", "where"),
    [("\n]\nmore", "text after the closing ]"), (",\n{\"id\": }\n]", "not a JSON array of records"),
     ("\n", "the array is not closed")],
)  # fmt: skip
def test_a_syntax_error_late_in_an_array_imports_nothing(
    tail: str, where: str, tmp_path: Path, reads: list[int]
) -> None:
    text = "[\n" + ",\n".join(make(i).to_line().rstrip("\n") for i in range(30)) + tail
    source = tmp_path / "export.json"
    source.write_text(text)
    store = HistoryStore(tmp_path / "home" / "history.jsonl")
    store.append(make(99))
    before = store.path.read_bytes()
    with pytest.raises(CoachError) as caught:
        store.import_file(source)
    assert where in caught.value.message and caught.value.message.startswith(f"{source}:")
    assert int(caught.value.message.split(":")[1]) >= 31  # found at the end, after 30 records
    assert store.path.read_bytes() == before
    with pytest.raises(CoachError) as whole:
        history.parse_import_text(text, str(source))
    assert whole.value.message == caught.value.message  # located as when read whole


def test_a_byte_that_is_not_utf8_late_in_a_csv_names_its_line(tmp_path: Path, reads: list[int]) -> None:
    out = io.StringIO(newline="")
    write_csv([make(i) for i in range(20)], out)
    data = out.getvalue().encode()
    cut = data.index(b"id000015")
    source = tmp_path / "export.csv"
    source.write_bytes(data[:cut] + b"\xff" + data[cut:])
    store = HistoryStore(tmp_path / "home" / "history.jsonl")
    with pytest.raises(CoachError, match=rf"^{source}:17: not UTF-8 text$"):
        store.import_file(source)
    assert not store.path.exists() or store.path.read_bytes() == b""


_ELEMENTS = st.one_of(
    st.integers(0, 30).map(lambda n: make(n).to_line().rstrip("\n")),
    st.sampled_from(["12", "1.5e3", '"ü text"', "null", "[1, 2]", '{"id": "x"}', "-0"]),
)


@settings(max_examples=60, deadline=None)
@given(
    elements=st.lists(_ELEMENTS, max_size=6),
    spaces=st.lists(st.sampled_from(["", " ", "\n", "\r\n  "]), min_size=14, max_size=14),
    block=st.integers(1, 90),
    tail=st.sampled_from(["", "\n", " x", ",", "]"]),
)
@example(elements=["12", "12"], spaces=[""] * 14, block=1, tail="")  # a number cut by a block
@example(elements=["1.5e3"], spaces=[""] * 14, block=1, tail="")  # "1." read as 1: found by hypothesis
def test_a_streamed_array_reads_as_the_whole_text_does(
    elements: list[str], spaces: list[str], block: int, tail: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    text = spaces[0] + "[" + ",".join(f"{spaces[i % 13 + 1]}{e}" for i, e in enumerate(elements))
    text += spaces[-1] + "]" + tail
    folder = tmp_path_factory.mktemp("array")
    source = folder / "export.json"
    source.write_text(text)
    try:
        expected: Any = history.parse_import_text(text, str(source))
    except CoachError as exc:
        expected = exc.message
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(history, "_BLOCK", block)
        try:
            with history._ImportSource(source) as stream:
                records = [r for batch in stream.batches() for r in batch]
                got: Any = (records, stream.problems)
        except CoachError as exc:
            got = exc.message
    assert got == expected
