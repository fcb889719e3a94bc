"""The one JSON reader: whatever the bytes, a value or one located JSONProblem.

Every reader of Coach's files goes through it (routines, plans, settings, the validation
cache, the crash journal, history lines and imports), so each gets the same hostile inputs
here: numbers too long to convert, nesting too deep, bad UTF-8, UTF-16, lone surrogates,
NaN and Infinity, numbers too large for a float.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.errors import CoachError
from coach.jsonsource import MAX_DEPTH, JSONProblem, decode_at, parse_json

# (name, bytes, "LINE:COL: reason"): what Python's json crashes on or lets through.
HOSTILE: list[tuple[str, bytes, str]] = [
    ("4301 digits", b'{"a": ' + b"1" * 4301 + b"}", "1:7: number too long: 4301 digits (at most 4300)"),
    ("-5000 digits", b'[1,\n -' + b"2" * 5000 + b"]", "2:2: number too long: 5000 digits (at most 4300)"),
    ("nesting 100,000 deep", b"[" * 100_000 + b"]" * 100_000,
     f"1:{MAX_DEPTH + 1}: nested more than 100 levels deep"),
    ("objects 101 deep", b'{"a":' * 101 + b"1" + b"}" * 101, "1:501: nested more than 100 levels deep"),
    ("bad UTF-8", b'{"a": "caf\xe9"}',
     "1:11: not UTF-8 text: byte 0xe9 is not part of a UTF-8 character here (save the file as UTF-8)"),
    ("an encoded surrogate", b'{"a": "\xed\xa0\x80"}',
     "1:8: not UTF-8 text: byte 0xed is not part of a UTF-8 character here (save the file as UTF-8)"),
    ("UTF-16", '{"a": 1}'.encode("utf-16"), "1:1: the file is UTF-16 text, not UTF-8; save it as UTF-8"),
    ("a lone surrogate", b'{"a": "x\\ud800"}',
     "1:9: the escape \\ud800 is half of a character (a lone surrogate) and not text; remove it"),
    ("a lone low surrogate in a key", b'{"\\udc00": 1}',
     "1:3: the escape \\udc00 is half of a character (a lone surrogate) and not text; remove it"),
    ("NaN", b'{"a": NaN}', "1:7: NaN is not a JSON number; write a number"),
    ("Infinity", b"[Infinity]", "1:2: Infinity is not a JSON number; write a number"),
    ("1e400", b"[1.5, -1e400]", "1:7: number too large: -1e400 is beyond what a number can hold"),
    ("a BOM at the end", '{"a": 1}\ufeff'.encode(),
     "1:9: invalid JSON: a byte-order mark (U+FEFF) here: remove it"),
    ("empty", b"", "1:1: invalid JSON: the file is empty; expected a JSON value such as {...}"),
]  # fmt: skip


@pytest.mark.parametrize(("data", "expected"), [c[1:] for c in HOSTILE], ids=[c[0] for c in HOSTILE])
def test_hostile_input_is_one_located_problem(data: bytes, expected: str) -> None:
    with pytest.raises(JSONProblem) as caught:
        parse_json(data, "f.json")
    assert str(caught.value) == f"f.json:{expected}"
    assert isinstance(caught.value, CoachError) and caught.value.exit_code == 1


def test_what_is_fine_stays_fine() -> None:
    assert parse_json(b"\xef\xbb\xbf" + b'{"a": [1, 2.5, "\\ud83d\\ude00 \\\\ud800"]}', "f") == {
        "a": [1, 2.5, "\U0001f600 \\ud800"]
    }
    assert parse_json(b'{"a": ' + b"9" * 4300 + b"}", "f")["a"] == int("9" * 4300)
    assert parse_json(b"[" * MAX_DEPTH + b"]" * MAX_DEPTH, "f") is not None
    assert parse_json(b'{"a": "x\\ud800"}', "f", allow_surrogates=True) == {"a": "x\ud800"}


def test_decode_at_reads_one_value_of_a_longer_text() -> None:
    text = '[{"a": 1},\n {"b": NaN}]'
    value, end = decode_at(text, 1, "h.json")
    assert value == {"a": 1} and text[end] == ","
    with pytest.raises(JSONProblem) as caught:
        decode_at(text, end + 1, "h.json")
    assert str(caught.value) == "h.json:2:8: NaN is not a JSON number; write a number"


def _same_as_python(text: str) -> Any:
    """json.loads' value when it is one parse_json must accept too, else None."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return value


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=60).map(str.encode)
       | st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                  max_size=3),
                      max_leaves=10).map(lambda v: json.dumps(v).encode()))  # fmt: skip
def test_any_bytes_give_a_value_or_one_located_problem(data: bytes) -> None:
    try:
        value = parse_json(data, "fuzz.json")
    except JSONProblem as exc:
        assert exc.line >= 1 and exc.col >= 1 and "\n" not in exc.message
        assert exc.message.startswith("fuzz.json:") and exc.reason
        return
    # What it accepts is what Python's json reads, with nothing JSON does not mean.
    assert value == _same_as_python(data.decode("utf-8").removeprefix("\ufeff"))

    def finite(v: Any) -> bool:
        if isinstance(v, float):
            return math.isfinite(v)
        if isinstance(v, list):
            return all(finite(x) for x in v)
        if isinstance(v, dict):
            return all(finite(x) for x in v.values())
        return True

    assert finite(value)


# --- every reader, the same hostile inputs ----------------------------------------------------


@pytest.mark.parametrize("data", [c[1] for c in HOSTILE], ids=[c[0] for c in HOSTILE])
def test_every_reader_survives_the_hostile_inputs(tmp_path: Path, data: bytes) -> None:
    from coach.history import parse_import_text
    from coach.journal import read_journal
    from coach.library import Library, ValidationCache
    from coach.records import RecordError, parse_line
    from coach.settings import Settings, load_settings
    from tests.conftest import ROUTINES

    settings_path = tmp_path / "settings.json"
    settings_path.write_bytes(data)
    assert load_settings(settings_path) == Settings()

    cache_path = tmp_path / "cache.json"
    cache_path.write_bytes(data)
    assert ValidationCache.open(cache_path).entries == {}

    journal_path = tmp_path / "session.journal.json"
    journal_path.write_bytes(data)
    with pytest.raises(ValueError, match=r"^(not JSON at line \d+, column \d+: .+|not a session journal)$"):
        read_journal(journal_path)

    line = data.split(b"\n")[0]
    with pytest.raises(RecordError):
        parse_line(line)

    text = data.decode("utf-8", errors="replace")
    try:
        parse_import_text("[" + text + "]", "import.json")
    except CoachError as exc:
        assert exc.message.startswith("import.json:") and "\n" not in exc.message

    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "stored.json").write_bytes(data)
    library = Library(builtin_dir=ROUTINES, user_dir=None, plans_dir=plans, cache_path=None)
    assert len(library.infos()) >= 13
    assert library.problems == [f"{plans / 'stored.json'}: cannot read this stored plan; skipped"]
