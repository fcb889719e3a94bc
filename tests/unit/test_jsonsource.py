"""The one JSON reader: whatever the bytes, a value or one located JSONProblem.

Every reader of Coach's files goes through it (routines, plans, settings, the validation
cache, the crash journal, history lines and imports), so each gets the same hostile inputs
here: numbers too long to convert, nesting too deep, bad UTF-8, UTF-16, lone surrogates,
NaN and Infinity, numbers too large for a float.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.errors import CoachError
from coach.jsonsource import MAX_DEPTH, JSONProblem, decode_at, parse_json
from tests.helpers.hostile import HOSTILE_JSON as HOSTILE


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


# --- every reader, the same hostile inputs ----------------------------------------------------


@pytest.mark.parametrize("data", [c[1] for c in HOSTILE], ids=[c[0] for c in HOSTILE])
def test_every_reader_survives_the_hostile_inputs(tmp_path: Path, data: bytes) -> None:
    from coach.history import parse_import_text
    from coach.journal import read_journal
    from coach.library import Library, ValidationCache
    from coach.records import RecordError
    from coach.settings import Settings, load_settings
    from tests.helpers.command import ROUTINES
    from tests.helpers.records import parse_line

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


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ('\ufeff{"a": 1}'.encode("utf-32"), "the file is UTF-32 text, not UTF-8; save it as UTF-8"),
        ('{"a": 1}'.encode("utf-32-be"), "the file is UTF-32 text"),  # no mark: told by its zeros
        ('{"a": 1}'.encode("utf-32-le"), "the file is UTF-32 text"),
        ('{"a": 1}'.encode("utf-16-le"), "the file is UTF-16 text"),
        (b'{"a": 1}'.decode().encode("utf-16"), "the file is UTF-16 text, not UTF-8; save it as UTF-8"),
        (b'{\n  # a note\n  "a": 1}', "invalid JSON: a # comment: JSON has no comments"),
        (b'{"a": 1 # a note\n}', "invalid JSON: a # comment: JSON has no comments"),
        (b'{"a": 1; "b": 2}', "invalid JSON: ';' is not a separator in JSON: write ','"),
    ],
)
def test_encodings_and_comments_are_named_for_what_they_are(data: bytes, reason: str) -> None:
    with pytest.raises(JSONProblem) as caught:
        parse_json(data, "f.json")
    assert caught.value.reason.startswith(reason), caught.value.reason
    assert "UTF-16" not in caught.value.reason or b"\x00\x00" not in data


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ('{"title": "a\\ud800"}', "title"),
        ('{"x-ok": "fine", "steps": [{"title": "ok"}, {"title": "b\\udc00"}]}', "steps[1].title"),
        ('{"steps": [{"bad\\ud800key": 1}]}', 'steps[0]["bad\\ud800key"]'),
    ],
)
def test_a_lone_surrogate_names_the_field_it_is_in(text: str, path: str) -> None:
    with pytest.raises(JSONProblem) as caught:
        parse_json(text.encode(), "f.json")
    assert "lone surrogate" in caught.value.reason and caught.value.path == path
