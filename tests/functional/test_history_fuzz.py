"""Fuzzing the history line parser and the import formats: they only ever raise the
project's own errors (RecordError for a line, CoachError for a file), and the fast path
for canonical lines agrees with json.loads on every generated record."""

from __future__ import annotations

import csv
import io
import json
import string
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.errors import CoachError
from coach.history import parse_import_text, write_csv
from coach.records import (
    FIELDS,
    RecordError,
    SessionRecord,
    _parse_any,
    new_record,
    parse_block,
    parse_block_texts,
)
from coach.text import visible
from tests.helpers.records import parse_line

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

text = st.text(st.characters(codec="utf-8"), max_size=40)
# What a session writes and an import accepts: no control, bidi or hidden character
# (coach.text.visible shows each one as a visible stand-in).
record_text = text.map(visible)
times = st.builds(
    lambda y, mo, d, h, mi, s, sign, oh: (
        f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}{sign}{oh:02d}:00"
    ),
    st.integers(1970, 2100),
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(0, 23),
    st.integers(0, 59),
    st.integers(0, 59),
    st.sampled_from("+-"),
    st.integers(0, 14),
)
ratings = st.none() | st.integers(0, 10)
counts = st.integers(0, 10**12)

records = st.builds(
    new_record,
    routine=record_text.filter(bool),
    routine_title=record_text,
    routine_hash=record_text,
    plan=st.none() | record_text.filter(bool),
    started_at=times,
    ended_at=times,
    planned_seconds=counts,
    active_seconds=st.floats(0, 1e9, allow_nan=False) | st.integers(0, 10**6),
    completed=st.booleans(),
    steps_done=counts,
    steps_total=counts,
    pre=ratings,
    post=ratings,
    note=record_text,
    pauses=counts,
    skips=counts,
    gentler=counts,
    id=st.none() | record_text.filter(bool),
)

slugs = st.from_regex(r"[0-9a-z][0-9a-z-]{0,20}", fullmatch=True)


@st.composite
def importable(draw: st.DrawFn) -> SessionRecord:
    """A record an import accepts (coach.records.check_import): ids and hashes as Coach writes
    them, ended_at after started_at, no more practised than elapsed, completed only at 80 %
    of the plan, no more steps done than there are, and unknown fields
    (nested values included) that the CSV export must keep."""
    from datetime import datetime, timedelta

    started = datetime.fromisoformat(draw(times))
    elapsed = draw(st.integers(0, 8 * 3600))
    planned = draw(st.integers(0, 7200))
    active = draw(st.floats(0, elapsed + 0.99, allow_nan=False) | st.integers(0, elapsed))
    steps_total = draw(counts)
    # completed only with 80 % practised, and no more steps done than there are: as a
    # session writes it (check_import refuses the rest).
    completed = draw(st.booleans()) and active >= 0.8 * planned - 0.5
    record = draw(st.builds(
        new_record,
        routine=slugs | st.builds(lambda a, b: f"{a}/{b}", slugs, slugs),
        routine_title=record_text, routine_hash=st.from_regex(r"sha256:[0-9a-f]{64}", fullmatch=True),
        plan=st.none() | slugs, started_at=st.just(started.isoformat()),
        ended_at=st.just((started + timedelta(seconds=elapsed)).isoformat()),
        planned_seconds=st.just(planned), active_seconds=st.just(active), completed=st.just(completed),
        steps_done=st.integers(0, steps_total), steps_total=st.just(steps_total), pre=ratings, post=ratings,
        note=record_text, pauses=counts, skips=counts, gentler=counts, id=st.none() | slugs,
        # "Too much" presses as a session writes them: a step that exists, a moment practised.
        discomfort=st.lists(st.fixed_dictionaries({
            "step": st.integers(1, max(1, steps_total)), "title": record_text,
            "at": st.floats(0, active).map(lambda at: round(at, 1)).filter(lambda at: at <= active + 0.1),
            "choice": st.sampled_from([None, "gentler", "lighter", "skip", "end"]),
        }), max_size=2 if steps_total else 0),
    ))  # fmt: skip
    unknown = draw(st.dictionaries(
        st.sampled_from(["x-pain", "x-area", "x-list", "future"]),
        st.recursive(st.none() | st.booleans() | st.integers(-(10**6), 10**6) | record_text,
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(slugs, inner, max_size=3),
                     max_leaves=6),
        max_size=3,
    ))  # fmt: skip
    if not unknown:
        return record
    from coach.records import record_from_json

    return record_from_json({**record.to_json(), **unknown})


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=12,
)


@FUZZ
@given(records)
def test_generated_records_round_trip_and_both_parsers_agree(record: SessionRecord) -> None:
    line = record.to_line()
    assert line == json.dumps(record.to_json(), separators=(", ", ": ")) + "\n"
    assert parse_line(line) == record
    assert _parse_any(line) == record
    kept: list[SessionRecord] = []
    assert parse_block(line, 1, kept, [], {}) == 2 and kept == [record]
    rows: list[tuple[str, str, str]] = []
    assert parse_block_texts(line, 1, rows, [], {}) == 2
    assert rows == [(record.started_at, record.routine, line[:-1])]


@FUZZ
@given(st.binary(max_size=300) | st.text(max_size=300))
def test_any_line_parses_or_raises_record_error(line: bytes | str) -> None:
    try:
        parse_line(line)
    except RecordError:
        pass


@FUZZ
@given(records, st.sampled_from(FIELDS), json_values)
def test_a_record_with_one_field_replaced_is_checked_the_same_both_ways(
    record: SessionRecord, name: str, value: Any
) -> None:
    obj = {**record.to_json(), name: value}
    line = json.dumps(obj, separators=(", ", ": "))
    try:
        expected: SessionRecord | str = _parse_any(line)
    except RecordError as exc:
        expected = str(exc)
    try:
        got: SessionRecord | str = parse_line(line)
    except RecordError as exc:
        got = str(exc)
    assert got == expected
    problems: list[tuple[int, str]] = []
    kept: list[SessionRecord] = []
    parse_block(line + "\n", 1, kept, problems, {})
    assert (kept == [expected]) if isinstance(expected, SessionRecord) else (problems == [(1, expected)])
    text_problems: list[tuple[int, str]] = []
    rows: list[tuple[str, str, str]] = []
    parse_block_texts(line + "\n", 1, rows, text_problems, {})
    assert text_problems == problems
    assert [json.loads(text) for _, _, text in rows] == [r.to_json() for r in kept]


@FUZZ
@given(
    st.lists(
        st.text(st.characters(exclude_characters="\n"), max_size=80)
        | records.map(lambda r: r.to_line()[:-1]),
        max_size=8,
    )
)
def test_a_block_of_any_lines_reports_bad_ones_by_number_and_keeps_the_rest(lines: list[str]) -> None:
    kept: list[SessionRecord] = []
    problems: list[tuple[int, str]] = []
    block = "".join(line + "\n" for line in lines)
    end = parse_block(block, 1, kept, problems, {})
    assert end == len(lines) + 1
    assert len(kept) + len(problems) == sum(1 for line in lines if line.strip())
    assert all(1 <= n <= len(lines) and lines[n - 1].strip() for n, _ in problems)
    rows: list[tuple[str, str, str]] = []
    text_problems: list[tuple[int, str]] = []
    assert parse_block_texts(block, 1, rows, text_problems, {}) == end
    assert text_problems == problems and [json.loads(t) for _, _, t in rows] == [r.to_json() for r in kept]


def _import(text_: str) -> None:
    try:
        parse_import_text(text_)
    except CoachError:
        pass


@FUZZ
@given(st.text(max_size=400))
def test_any_import_text_gives_records_or_coach_error(data: str) -> None:
    _import(data)


@FUZZ
@given(
    st.lists(json_values | records.map(SessionRecord.to_json), max_size=5),
    st.sampled_from(["array", "lines"]),
)
def test_json_imports_of_any_values_give_records_or_coach_error(values: list[Any], form: str) -> None:
    if form == "array":
        data = json.dumps(values, indent=1)
    else:
        data = "\n".join(json.dumps(v) for v in values)
        data = "{" + data if not data.startswith("{") else data
    _import(data)


@FUZZ
@given(
    st.lists(importable(), max_size=4, unique_by=lambda r: r.id),
    st.lists(st.lists(text, max_size=22), max_size=4),
)
def test_csv_imports_round_trip_and_random_rows_are_reported(
    good: list[SessionRecord], rows: list[list[str]]
) -> None:
    out = io.StringIO()
    write_csv(good, out)
    parsed, problems = parse_import_text(out.getvalue())
    assert parsed == good and problems == []
    # Exactly: the unknown fields too, in their order (the `extra` column).
    assert [r.to_line() for r in parsed] == [r.to_line() for r in good]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(rows)
    try:
        parsed, problems = parse_import_text(out.getvalue())
    except CoachError:
        return
    assert parsed[: len(good)] == good


def test_deep_nesting_and_huge_numbers_in_an_import_are_coach_errors_or_problems() -> None:
    for data in (
        "[" + "[" * 50_000,
        "[" + "1" * 5000 + "]",
        '{"a": ' + "[" * 50_000 + "\n",
        string.printable,
    ):
        _import(data)
