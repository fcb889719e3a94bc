"""Malformed routine files: each gives exactly this message at exactly this place."""

from __future__ import annotations

import json
import time

import pytest

from coach.library import parse_routine
from coach.validation import InvalidDocument
from tests.helpers.broken_routines import CASES, HEAD, TAIL


@pytest.mark.parametrize(("data", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_malformed_file_is_reported_exactly(data: bytes, expected: list[str]) -> None:
    with pytest.raises(InvalidDocument) as caught:
        parse_routine(data, "f.json")
    assert [str(p) for p in caught.value.problems] == expected


def test_at_least_fifteen_cases() -> None:
    assert len(CASES) >= 15


def test_extension_keys_and_schema_are_accepted() -> None:
    data = (b'{"$schema": "./routine.schema.json", "x-note": {"any": 1}, "format": 1, "id": "ab", '
            b'"title": "T", "steps": [{"type": "rest", "title": "R", "seconds": 10, "x-why": 1}]}')
    routine = parse_routine(data, "f.json")
    assert routine.id == "ab"
    assert routine.total_seconds == 10


# Syntax errors name the likely cause and point at the culprit (a trailing comma at the comma).
GOOD = '{"format": 1, "id": "ab", "title": "T", "steps": [{"type": "rest", "title": "R", "seconds": 10}]}'
SYNTAX: list[tuple[str, str, str]] = [
    ("trailing comma in an object", GOOD[:-1] + ",}",
     "1:97: $: invalid JSON: trailing comma: remove the ',' after the last item"),
    ("trailing comma in a list", GOOD.replace("10}]", "10},]"),
     "1:96: $: invalid JSON: trailing comma: remove the ',' after the last item"),
    ("single quotes", GOOD.replace('"title": "T"', "'title': 'T'"),
     '1:27: $: invalid JSON: single quotes: JSON needs double quotes (") around keys and text'),
    ("curly quotes around a key", GOOD.replace('"title": "T"', "“title”: “T”"),
     '1:27: $: invalid JSON: curly quote “, probably pasted from a word processor: use straight double '
     'quotes (")'),
    ("a curly quote closing text", GOOD.replace('"T"', '"T”'),
     '1:38: $: invalid JSON: curly quote ”, probably pasted from a word processor: use straight double '
     'quotes (")'),
    ("a // comment", '{"format": 1, // first\n "id": "ab"}',
     '1:15: $: invalid JSON: a // comment: JSON has no comments (keep a note in an "x-note" key instead)'),
    ("a /* */ comment", '{/* mine */ "format": 1}',
     '1:2: $: invalid JSON: a /* comment */: JSON has no comments (keep a note in an "x-note" key '
     "instead)"),
    ("an unquoted key", '{format: 1}',
     '1:2: $: invalid JSON: unquoted key: put it in double quotes ("format")'),
    ("a missing comma", '{"format": 1\n "id": "ab"}', "2:2: $: invalid JSON: a comma is missing before this"),
    ("a quote inside text", '{"title": "the "good" one"}',
     '1:16: $: invalid JSON: this \'"\' ends the text early; write \\" for a double quote inside text'),
    ("a line break inside text", '{"title": "two\nlines"}',
     "1:15: $: invalid JSON: a line break inside text: close the text with '\"' before the line ends, "
     "or write \\n"),
    ("a Windows path", '{"x-file": "C:\\Users"}',
     "1:15: $: invalid JSON: invalid escape \\U in text: write \\\\ for a backslash (or / in a path)"),
    ("Python's True", '{"x-a": True}', "1:9: $: invalid JSON: write true in lower case"),
    ("Python's None", '{"x-a": None}', "1:9: $: invalid JSON: write null, not None"),
    ("unquoted text", '{"title": Neck}',
     '1:11: $: invalid JSON: unquoted text: put it in double quotes ("Neck")'),
    ("the end comes early", '{"format": 1, "steps": [',
     "1:25: $: invalid JSON: the text ends before the JSON is complete (a closing '}' or ']' is missing)"),
    ("a second object", GOOD + "\n{}",
     "2:1: $: invalid JSON: more text after the end of the document (it must be a single value)"),
    ("a leading zero", '{"format": 01}',
     "1:12: $: invalid JSON: a number cannot start with 0 (write 8, not 08)"),
    ("a non-breaking space", '{"format":\u00a01}',
     "1:11: $: invalid JSON: a special space U+00A0: only plain spaces, tabs and line breaks may separate "
     "JSON values"),
    # What Python's parser accepts or crashes on, but no JSON means.
    ("a number too long to convert", '{"format": ' + "1" * 4301 + "}",
     "1:12: $: number too long: 4301 digits (at most 4300)"),
    ("a number too large for a float", '{"format": 1, "x-a": [2, 1e400]}',
     "1:26: $: number too large: 1e400 is beyond what a number can hold"),
    ("NaN", '{"format": NaN}', "1:12: $: NaN is not a JSON number; write a number"),
    ("-Infinity", '{"x-a": -Infinity}', "1:9: $: -Infinity is not a JSON number; write a number"),
    ("a lone surrogate", '{"x-ok": "\\ud83d\\ude00 \\\\ud800", "title": "a\\udc00"}',
     "1:45: title: the escape \\udc00 is half of a character (a lone surrogate) and not text; remove it"),
    ("nesting too deep", '{"x-a": ' + "[" * 5000 + "]" * 5000 + "}",
     "1:108: $: nested more than 100 levels deep"),
    ("nesting just too deep for the limit", '{"x-a": ' + "[" * 100 + "]" * 100 + "}",
     "1:108: $: nested more than 100 levels deep"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in SYNTAX], ids=[c[0] for c in SYNTAX])
def test_syntax_errors_name_the_cause(text: str, expected: str) -> None:
    with pytest.raises(InvalidDocument) as caught:
        parse_routine(text.encode(), "f.json")
    assert [str(p) for p in caught.value.problems] == [f"f.json:{expected}"]


def test_a_byte_order_mark_is_accepted_and_utf16_is_named() -> None:
    assert parse_routine(b"\xef\xbb\xbf" + GOOD.encode(), "f.json").id == "ab"
    with pytest.raises(InvalidDocument) as caught:
        parse_routine(GOOD.encode("utf-16"), "f.json")
    assert caught.value.message == "f.json:1:1: $: the file is UTF-16 text, not UTF-8; save it as UTF-8"


def test_nesting_at_the_limit_is_fine() -> None:
    data = GOOD[:-1] + ', "x-deep": ' + "[" * 99 + "]" * 99 + "}"
    assert parse_routine(data.encode(), "f.json").id == "ab"


# Every message is a whole sentence: none ends on a word that needs more after it (two of
# Python's, "unterminated string starting at" and "invalid control character at", did).
_DANGLING = (" at", " of", " the", " a", " an", " to", " in", " from", " with", " and", " or", ":", ",")


def _all_messages() -> list[str]:
    texts = [c[1] for c in CASES] + [c[1].encode() for c in SYNTAX] + [
        b'{"title": "open', b'{"title": "x\x01"}', b'{"a": "\\u12"}', b'{"a" 1}', b'{"a" = 1}',
        b"[1 2]", b'{"a": 1}}', b'{"a": 1},', b"{,}", b'{"a": +1}', b'{"a": .5}', b'{"a": 0x1}',
        b'["a": 1]', b"\x00", b"{\x07}", b'{"a": tr}', b"   ", b"\xff\xfe", b'{"a": "\t"}',
    ]  # fmt: skip
    messages = []
    for data in texts:
        try:
            parse_routine(data, "f.json")
        except InvalidDocument as exc:
            messages += [p.message for p in exc.problems]
    return messages


def test_every_message_ends_as_a_sentence() -> None:
    messages = _all_messages()
    assert len(messages) >= 60
    cut = [m for m in messages if m.rstrip().lower().endswith(_DANGLING) or not m.strip()]
    assert cut == []
    assert all("\n" not in m for m in messages)


def _many_unknown_fields(count: int) -> bytes:
    """GOOD with `count` unknown fields and its title misspelt, indented (a line a field)."""
    doc = json.loads(GOOD)
    for i in range(count):
        doc[f"unknwn{i}"] = i
    doc["tilte"] = "typo"
    del doc["title"]
    return json.dumps(doc, indent=1).encode()


def _fastest_failure(data: bytes, tries: int = 3) -> float:
    """The least CPU time (seconds of this process, not of the wall clock: other processes
    on a busy machine do not count) of `tries` runs of parse_routine refusing `data`."""
    times = []
    for _ in range(tries):
        started = time.process_time()
        with pytest.raises(InvalidDocument):
            parse_routine(data, "f.json")
        times.append(time.process_time() - started)
    return min(times)


def test_at_most_twenty_problems_then_how_many_more() -> None:
    with pytest.raises(InvalidDocument) as caught:
        parse_routine(_many_unknown_fields(10_000), "f.json")
    lines = caught.value.message.splitlines()
    assert len(lines) == 21 and len(caught.value.problems) == 20
    assert lines[-1] == "f.json: and 9981 more problems (fix these first)"
    assert lines[0] == "f.json:11:2: unknwn0: unknown field 'unknwn0'"
    # The missing title is explained by the typo, shown where the typo is, not reported twice.
    assert not any("missing required field 'title'" in line for line in lines)


def test_many_problems_cost_time_in_proportion() -> None:
    """Ten times the unknown fields take about ten times as long (measured 11-13x), never
    the hundred times of work that grows with the square of the problems. A ratio of CPU
    times, each the least of three: neither a slower machine nor a loaded one changes it,
    so no number of seconds is assumed."""
    small, big = _many_unknown_fields(1_000), _many_unknown_fields(10_000)
    _fastest_failure(small, tries=1)  # the first parse also builds the models: not timed
    ratio = _fastest_failure(big) / _fastest_failure(small)
    assert ratio < 30, f"10x the problems took {ratio:.0f}x the time"


def test_the_typo_of_a_missing_field_is_still_one_problem() -> None:
    data = (HEAD + '{"type": "rest", "title": "R", "secnods": 10, "colour": 1}' + TAIL).encode()
    with pytest.raises(InvalidDocument) as caught:
        parse_routine(data, "f.json")
    assert [str(p) for p in caught.value.problems] == [
        "f.json:2:43: steps[0].secnods: unknown field 'secnods' (did you mean 'seconds'?)",
        "f.json:2:58: steps[0].colour: unknown field 'colour'",
    ]
    assert caught.value.more == 0
