"""The session record: every field round-trips, and bad values are refused with a reason."""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

import pytest

from coach.records import (
    FIELDS,
    OPTIONAL_FIELDS,
    STATE_FIELDS,
    RecordError,
    SessionRecord,
    _parse_any,
    from_csv_row,
    new_record,
    parse_block,
    record_from_json,
    record_from_state,
    to_csv_row,
)
from tests.helpers.records import parse_line


def sample(**changes: Any) -> SessionRecord:
    values: dict[str, Any] = {
        "routine": "neck-and-shoulders",
        "routine_title": "Neck and shoulder release",
        "routine_hash": "sha256:" + "ab" * 32,
        "plan": "sam-neck-2026-12",
        "started_at": "2026-11-26T09:12:03+01:00",
        "ended_at": "2026-11-26T09:17:10+01:00",
        "planned_seconds": 300,
        "active_seconds": 296.5,
        "completed": True,
        "steps_done": 6,
        "steps_total": 6,
        "pre": 7,
        "post": 3,
        "note": "Much better.",
        "pauses": 1,
        "skips": 0,
        "gentler": 1,
        "id": "3f2b" + "0" * 28,
    }
    values.update(changes)
    return new_record(**values)


DESIGN_LINE = (
    '{"format": 1, "id": "3f2b", "routine": "neck-and-shoulders", "routine_title": '
    '"Neck and shoulder release", "routine_hash": "sha256:abc", "plan": null, "started_at": '
    '"2026-11-26T09:12:03+01:00", "ended_at": "2026-11-26T09:17:10+01:00", "planned_seconds": 300, '
    '"active_seconds": 296.5, "completed": true, "ran_to_end": true, "steps_done": 6, "steps_total": 6, '
    '"pre": 7, "post": 3, "note": "", "pauses": 1, "skips": 0, "gentler": 1, "discomfort": [], '
    '"pain_area": null, "pain_pre": null, "pain_post": null}'
)


def test_the_design_example_reads_and_writes_back_byte_for_byte() -> None:
    record = parse_line(DESIGN_LINE + "\n")
    assert record.to_line() == DESIGN_LINE + "\n"
    assert list(record.to_json()) == list(FIELDS)
    assert record.plan is None and record.pre == 7 and record.post == 3


def test_a_line_without_the_pain_fields_reads_them_as_null_and_pain_is_checked() -> None:
    older = DESIGN_LINE.split(', "pain_area"')[0] + "}"
    record = parse_line(older + "\n")
    assert (record.pain_area, record.pain_pre, record.pain_post) == (None, None, None)
    assert record == parse_line(DESIGN_LINE)
    rated = parse_line(DESIGN_LINE.replace('"pain_area": null, "pain_pre": null, "pain_post": null',
                                           '"pain_area": "neck", "pain_pre": 6, "pain_post": 4'))  # fmt: skip
    assert (rated.pain_area, rated.pain_pre, rated.pain_post) == ("neck", 6, 4)
    assert parse_line(rated.to_line()) == rated
    with pytest.raises(RecordError, match="pain_post: expected a whole number 0-10 or null, got 11"):
        record_from_json({**rated.to_json(), "pain_post": 11})
    with pytest.raises(RecordError, match="pain_area: expected a body area"):
        record_from_json({**rated.to_json(), "pain_area": "Neck!"})


def test_every_field_round_trips_through_json_line_and_csv() -> None:
    for record in (
        sample(),
        sample(plan=None, pre=None, post=None, note="", completed=False, steps_done=2),
        sample(pre=0, post=10, note='quotes " and \\ and\nnewline, comma; tab\t and ünïcødé ✓'),
        sample(active_seconds=0.1 + 0.2, started_at="2026-03-29T03:00:00+02:00"),
    ):
        assert record_from_json(record.to_json()) == record
        assert parse_line(record.to_line()) == record
        assert parse_line(record.to_line().encode()) == record
        assert from_csv_row(dict(zip(FIELDS, to_csv_row(record), strict=True))) == record
        for name in FIELDS:  # equality is field by field: check each one really came back
            assert getattr(parse_line(record.to_line()), name) == getattr(record, name)


def test_to_line_is_json_dumps_with_the_design_spacing_and_ascii_only() -> None:
    record = sample(note='tab\t, quote ", emoji 🙂, control \x01', routine_title="Ünïcødé")
    line = record.to_line()
    assert line == json.dumps(record.to_json(), separators=(", ", ": ")) + "\n"
    assert line.isascii() and line.count("\n") == 1


def test_a_newer_format_keeps_its_extra_fields_but_they_are_not_compared() -> None:
    obj = {**sample().to_json(), "format": 2, "mood": "sunny", "tags": ["a"]}
    record = record_from_json(obj)
    assert record.format == 2 and dict(record.extra) == {"mood": "sunny", "tags": ["a"]}
    assert record.to_json() == obj
    assert parse_line(record.to_line()) == record
    assert record == dataclasses.replace(record, extra={})


def test_records_are_frozen_and_hashable() -> None:
    record = parse_line(DESIGN_LINE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.pre = 1  # type: ignore[misc]
    assert type(record) is SessionRecord
    assert {record, parse_line(DESIGN_LINE)} == {record}
    assert dataclasses.replace(record, post=5).post == 5


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"format": 0}, "format"),
        ({"format": True}, "format"),
        ({"id": ""}, "id: must not be empty"),
        ({"id": 5}, "id: expected a string"),
        ({"routine": None}, "routine"),
        ({"plan": ""}, "plan"),
        ({"started_at": "2026-11-26T09:12:03"}, "started_at"),  # no offset
        ({"started_at": "2026-02-30T09:12:03+01:00"}, "started_at: not a real time"),
        ({"ended_at": "yesterday"}, "ended_at"),
        ({"planned_seconds": -1}, "planned_seconds"),
        ({"planned_seconds": 1.5}, "planned_seconds"),
        ({"active_seconds": -0.5}, "active_seconds"),
        ({"active_seconds": float("inf")}, "active_seconds"),
        ({"active_seconds": float("nan")}, "active_seconds"),
        ({"active_seconds": "10"}, "active_seconds"),
        ({"completed": 1}, "completed"),
        ({"steps_done": True}, "steps_done"),
        ({"pre": 11}, "pre: expected a whole number 0-10"),
        ({"post": -1}, "post"),
        ({"post": 3.0}, "post"),
        ({"note": None}, "note"),
        ({"gentler": None}, "gentler"),
    ],
)
def test_bad_values_are_refused_with_the_field_named(change: dict[str, Any], reason: str) -> None:
    obj = {**sample().to_json(), **change}
    with pytest.raises(RecordError, match=reason.split(":")[0]) as info:
        record_from_json(obj)
    assert reason in str(info.value)
    with pytest.raises(RecordError):
        parse_line(json.dumps(obj))


@pytest.mark.parametrize("name", [name for name in FIELDS if name not in OPTIONAL_FIELDS])
def test_a_missing_field_is_refused(name: str) -> None:
    obj = sample().to_json()
    del obj[name]
    with pytest.raises(RecordError, match=name):
        record_from_json(obj)


@pytest.mark.parametrize(
    "line",
    [
        "",
        "garbage",
        "[1, 2]",
        "null",
        '{"format": 1',
        "[" * 100_000,
        '{"format": 1' + "0" * 5000 + "}",
        b"\xff\xfe{",
    ],
)
def test_lines_that_are_not_records_raise_only_record_error(line: str | bytes) -> None:
    with pytest.raises(RecordError):
        parse_line(line)


def test_the_fast_path_and_json_agree_on_a_canonical_line() -> None:
    line = sample().to_line()
    assert parse_line(line) == _parse_any(line)
    # spaces are optional in the fast path, as in JSON
    compact = json.dumps(sample().to_json(), separators=(",", ":"))
    assert parse_line(compact) == sample()


def test_new_record_gives_a_fresh_uuid4_hex_id() -> None:
    values = sample().to_json()
    del values["id"], values["format"]
    a, b = new_record(**values), new_record(**values)
    assert a.id != b.id and len(a.id) == 32 and int(a.id, 16) >= 0
    assert new_record(**values, id="given").id == "given"
    assert new_record(**{**values, "active_seconds": 60}).active_seconds == 60.0


def test_record_from_state_builds_the_unfinished_record_and_names_missing_state() -> None:
    state = {name: sample().to_json()[name] for name in STATE_FIELDS}
    record = record_from_state(state, id="abc", ended_at="2026-11-26T09:14:00+01:00", completed=False)
    assert record.completed is False and record.post is None and record.pre == 7
    assert record.id == "abc" and record.note == ""
    del state["pre"], state["steps_done"]
    with pytest.raises(RecordError, match="steps_done, pre"):
        record_from_state(state, id="abc", ended_at="2026-11-26T09:14:00+01:00", completed=False)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("pre", "seven"),
        ("completed", "yes"),
        ("active_seconds", "fast"),
        ("steps_done", "--5"),
        ("pre", "1e3"),
    ],
)
def test_bad_csv_cells_are_refused(column: str, value: str) -> None:
    row = dict(zip(FIELDS, to_csv_row(sample()), strict=True))
    row[column] = value
    with pytest.raises(RecordError, match=column):
        from_csv_row(row)


def test_records_pickle_copy_and_asdict_and_their_shared_empty_extra_is_read_only() -> None:
    import copy
    import pickle

    record = parse_line(DESIGN_LINE)
    for clone in (pickle.loads(pickle.dumps(record)), copy.deepcopy(record), copy.copy(record)):
        assert clone == record and type(clone) is SessionRecord and clone.extra == {}
    assert dataclasses.asdict(record)["pre"] == 7
    with pytest.raises(TypeError):
        record.extra["x"] = 1
    assert parse_line(DESIGN_LINE).extra == {}


# --- ran_to_end -------------------------------------------------------------------------

OLD_LINE = DESIGN_LINE.replace('"ran_to_end": true, ', "")


@pytest.mark.parametrize("completed", [True, False])
def test_a_line_of_an_older_coach_without_ran_to_end_takes_completed(completed: bool) -> None:
    line = OLD_LINE.replace('"completed": true', f'"completed": {str(completed).lower()}')
    for record in (parse_line(line), parse_line(line.encode()), record_from_json(json.loads(line))):
        assert record.ran_to_end is completed and record.completed is completed
        assert record.extra == {}  # the missing field is not taken for a newer one
    kept: list[SessionRecord] = []
    problems: list[tuple[int, str]] = []
    assert parse_block(line + "\n", 1, kept, problems, {}) == 2
    assert problems == [] and kept[0].ran_to_end is completed


def test_an_older_line_keeps_a_field_of_a_newer_format() -> None:
    record = parse_line(OLD_LINE[:-1] + ', "mood": "ok"}')
    assert record.extra == {"mood": "ok"} and record.ran_to_end is True


def test_partly_done_round_trips_and_completed_without_ran_to_end_is_refused() -> None:
    partly = parse_line(DESIGN_LINE.replace('"completed": true', '"completed": false'))
    assert (partly.completed, partly.ran_to_end) == (False, True)
    assert parse_line(partly.to_line()) == partly
    assert from_csv_row(dict(zip(FIELDS, to_csv_row(partly), strict=True))) == partly
    impossible = DESIGN_LINE.replace('"ran_to_end": true', '"ran_to_end": false')
    with pytest.raises(RecordError, match="ran_to_end"):
        parse_line(impossible)
    kept: list[SessionRecord] = []
    problems: list[tuple[int, str]] = []
    parse_block(impossible + "\n", 1, kept, problems, {})
    assert kept == [] and "ran_to_end" in problems[0][1]


def test_a_csv_row_of_an_older_coach_without_the_column_takes_completed() -> None:
    row = dict(zip(FIELDS, to_csv_row(sample(completed=False)), strict=True))
    del row["ran_to_end"]
    assert from_csv_row(row).ran_to_end is False


# --- an older line read truthfully (its `completed` meant "ran to its end") ----------------

# The example testers found: an older Coach saved a desk break skipped through in 4 s of
# 193 s, 0 of 4 steps, as completed.
SKIPPED_OLD_LINE = (
    '{"format": 1, "id": "3f2b", "routine": "desk-break", "routine_title": "Desk break", '
    '"routine_hash": "sha256:abc", "plan": null, "started_at": "2026-11-26T09:12:03+01:00", '
    '"ended_at": "2026-11-26T09:12:07+01:00", "planned_seconds": 193, "active_seconds": 4.0, '
    '"completed": true, "steps_done": 0, "steps_total": 4, "pre": 5, "post": 5, "note": "", '
    '"pauses": 0, "skips": 4, "gentler": 0}'
)


def test_an_older_skipped_through_line_reads_as_partly_done_on_every_path() -> None:
    from coach.rating import outcome

    as_csv = dict(zip(FIELDS, to_csv_row(record_from_json(json.loads(SKIPPED_OLD_LINE))), strict=True))
    del as_csv["ran_to_end"]  # an export of the older Coach had no such column
    as_csv["completed"] = "true"  # and said "true" for a session that ran to its end
    for record in (parse_line(SKIPPED_OLD_LINE), record_from_json(json.loads(SKIPPED_OLD_LINE)),
                   _parse_any(SKIPPED_OLD_LINE), from_csv_row(as_csv)):  # fmt: skip
        assert (record.completed, record.ran_to_end) == (False, True)
        assert outcome(record) == "partly done"


@pytest.mark.parametrize(("active", "completed"), [(154.4, True), (154.3, False), (193.0, True)])
def test_an_older_line_uses_the_engines_80_percent_rule(active: float, completed: bool) -> None:
    line = SKIPPED_OLD_LINE.replace('"active_seconds": 4.0', f'"active_seconds": {active}')
    line = line.replace("09:12:07", "09:15:30")
    assert parse_line(line).completed is completed  # 80 % of 193 s is 154.4 s
    stopped = line.replace('"completed": true', '"completed": false')
    assert (parse_line(stopped).completed, parse_line(stopped).ran_to_end) == (False, False)


def test_reading_an_older_line_never_changes_it() -> None:
    record = parse_line(SKIPPED_OLD_LINE)
    assert not record.completed
    # A read builds the record; the stored text (`--json` exports it) is the line as it was.
    rows: list[tuple[str, str, str]] = []
    from coach.records import parse_block_texts

    parse_block_texts(SKIPPED_OLD_LINE + "\n", 1, rows, [], {})
    assert rows[0][2] == SKIPPED_OLD_LINE


# --- imports refuse what a session could never write ------------------------------------

GOOD_IMPORT: dict[str, Any] = {
    "format": 1, "id": "0123456789abcdef0123456789abcdef", "routine": "neck-and-shoulders",
    "routine_title": "Neck", "routine_hash": "sha256:" + "ab" * 32, "plan": None,
    "started_at": "2026-11-26T09:00:00+01:00", "ended_at": "2026-11-26T09:05:00+01:00",
    "planned_seconds": 300, "active_seconds": 296.5, "completed": True, "ran_to_end": True,
    "steps_done": 3, "steps_total": 3, "pre": 7, "post": 3, "note": "", "pauses": 0, "skips": 0,
    "gentler": 0,
}  # fmt: skip


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"pain_area": "neck\x1b]0;pwned\x07"}, "pain_area: expected a body area (e.g. neck) or null"),
        ({"pain_pre": 11}, "pain_pre: expected a whole number 0-10 or null, got 11"),
        ({"discomfort": [{"step": 1, "title": "ok", "at": 1.0, "choice": None},
                         {"step": 1, "title": "x\x9b2J", "at": 2.0, "choice": "skip"}]},
         "discomfort[1].title has a control character U+009B"),
        ({"discomfort": [{"step": 9, "title": "ok", "at": 1.0, "choice": "end"}]},
         "discomfort[0].step: step 9 of only"),
        ({"discomfort": [{"step": 1, "title": "ok", "at": 1.0, "choice": "more"}]},
         "discomfort[0].choice: expected"),
        ({"future": {"k\u202e": 1}}, "future.k\u202e has a bidirectional control U+202E"),
        ({"id": '=HYPERLINK("http://evil","x")'}, "id: expected an id as Coach writes"),
        ({"routine": "=HYPERLINK(1)"}, "routine: expected a routine id (or PLAN/ID)"),
        ({"routine_hash": "=HYPERLINK(1)"}, "routine_hash: expected 'sha256:' and 64 hex digits"),
        ({"active_seconds": 1e308}, "active_seconds: 1e+308 is more than one session can hold"),
        ({"active_seconds": 900, "ended_at": "2026-11-26T09:00:10+01:00"},
         "active_seconds: 900 s practised, but the session lasted 10 s"),
        ({"ended_at": "2026-11-26T08:59:00+01:00", "active_seconds": 0}, "ended_at is before started_at"),
        ({"planned_seconds": 10**9}, "planned_seconds: 1000000000 is longer than a routine can be"),
        ({"active_seconds": 10}, "completed: true, but only 10 s of 300 s practised"),
        ({"active_seconds": 239.4}, "completed: true, but only 239.4 s of 300 s practised"),
        ({"steps_done": 9}, "steps_done: 9 of only 3 steps"),
    ],
)
def test_an_import_refuses_lines_no_session_writes(change: dict[str, Any], reason: str) -> None:
    from coach.history import parse_import_text

    bad = {**GOOD_IMPORT, "id": "1" * 32, **change}
    records, problems = parse_import_text(json.dumps(GOOD_IMPORT) + "\n" + json.dumps(bad) + "\n")
    assert [r.id for r in records] == [GOOD_IMPORT["id"]]
    assert len(problems) == 1 and problems[0][0] == 2 and problems[0][1].startswith(reason), problems
    # The same record in a JSON array is named by its line too.
    records, problems = parse_import_text("[\n" + json.dumps(GOOD_IMPORT) + ",\n" + json.dumps(bad) + "\n]")
    assert len(records) == 1 and problems[0][0] == 3 and problems[0][1].startswith(reason)


def test_an_import_takes_an_older_skipped_through_line_as_partly_done() -> None:
    # Before ran_to_end, completed meant "ran to its end": such a line is no lie, so it is
    # imported, and read by the 80 % rule (partly done), not refused.
    from coach.history import parse_import_text

    older = {k: v for k, v in GOOD_IMPORT.items() if k != "ran_to_end"}
    older.update(active_seconds=10, steps_done=0)
    records, problems = parse_import_text(json.dumps(older) + "\n")
    assert problems == []
    assert (records[0].completed, records[0].ran_to_end) == (False, True)


def test_an_import_takes_the_clock_slack_plan_routines_and_joiners() -> None:
    from coach.history import parse_import_text

    fine = [
        {**GOOD_IMPORT, "id": "a" * 32, "active_seconds": 300.9},  # whole-second times: < 1 s over
        {**GOOD_IMPORT, "id": "b" * 32, "routine": "sam-neck-2026-12/neck-release"},
        {**GOOD_IMPORT, "id": "c" * 32, "note": "👩\u200d⚕️ said so", "x-where": ["neck"]},
    ]
    records, problems = parse_import_text("".join(json.dumps(o) + "\n" for o in fine))
    assert problems == [] and len(records) == 3
    assert records[2].extra == {"x-where": ["neck"]}


def test_max_planned_seconds_is_the_routine_limit() -> None:
    from coach.records import MAX_PLANNED_SECONDS
    from coach.routine import MAX_TOTAL_SECONDS

    assert MAX_PLANNED_SECONDS == MAX_TOTAL_SECONDS


def test_a_tampered_journal_is_recovered_with_its_text_made_visible() -> None:
    state = {name: GOOD_IMPORT[name] for name in STATE_FIELDS}
    state["routine_title"] = "\x1b]0;pwned\x07Evil\u202e"
    record = record_from_state(state, id="j" * 32, ended_at=GOOD_IMPORT["ended_at"], completed=False)
    assert record.routine_title == "␛]0;pwned␇Evil<U+202E>"
    assert "\x1b" not in record.to_line() and "\\u001b" not in record.to_line()


# --- CSV keeps the fields Coach does not know ---------------------------------------------


def test_csv_export_and_import_keep_unknown_fields_exactly() -> None:
    import csv
    import io

    from coach.history import parse_import_text, write_csv

    extra = {"x-pre": 4, "x-area": "neck", "x-list": ["jaw", {"side": "left", "n": 2.5}],
             "x-post": None, "future": {"nested": [True, "é ✓"]}}  # fmt: skip
    with_extra = record_from_json({**GOOD_IMPORT, **extra})
    without = record_from_json({**GOOD_IMPORT, "id": "f" * 32})
    out = io.StringIO()
    write_csv([with_extra, without], out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0][-1] == "extra" and rows[0][:-1] == list(FIELDS)  # the known columns as before
    assert json.loads(rows[1][-1]) == extra and rows[2][-1] == ""
    records, problems = parse_import_text(out.getvalue())
    assert problems == []
    assert [r.to_line() for r in records] == [with_extra.to_line(), without.to_line()]
    assert records[0].extra == extra


@pytest.mark.parametrize(
    ("cell", "reason"),
    [("[1]", "extra: expected a JSON object of fields, got an array"),
     ('{"note": "x"}', "extra: holds 'note', which has a column of its own"),
     ("{oops", "extra: not JSON at column 2")],
)  # fmt: skip
def test_a_bad_extra_cell_is_refused(cell: str, reason: str) -> None:
    row = dict(zip(FIELDS, to_csv_row(record_from_json(GOOD_IMPORT)), strict=True))
    row["extra"] = cell
    with pytest.raises(RecordError) as caught:
        from_csv_row(row)
    assert str(caught.value).startswith(reason)


# --- discomfort ("too much" presses) ------------------------------------------------------

PRESSES = [{"step": 2, "title": "Knead the shoulder", "at": 41.3, "choice": "lighter"},
           {"step": 3, "title": "Notice", "at": 55.0, "choice": None}]  # fmt: skip


def test_a_line_without_discomfort_reads_it_as_an_empty_list() -> None:
    older = DESIGN_LINE.replace('"discomfort": [], ', "")
    record = parse_line(older + "\n")
    assert record.discomfort == () and record.to_json()["discomfort"] == []
    assert record == parse_line(DESIGN_LINE)  # the fast path and the general path agree


def test_discomfort_round_trips_through_json_line_and_csv() -> None:
    import io

    from coach.history import parse_import_text, write_csv

    record = record_from_json({**GOOD_IMPORT, "active_seconds": 296.5, "discomfort": PRESSES})
    assert record.discomfort == tuple(PRESSES) and record.extra == {}
    line = record.to_line()
    assert '"gentler": 0, "discomfort": [{"step": 2, "title": "Knead the shoulder"' in line
    assert parse_line(line) == record and parse_line(line).discomfort == tuple(PRESSES)
    out = io.StringIO()
    write_csv([record], out)
    assert '[{""step"":2,""title"":""Knead the shoulder""' in out.getvalue()
    records, problems = parse_import_text(out.getvalue())
    assert problems == [] and records == [record]


@pytest.mark.parametrize(
    ("discomfort", "reason"),
    [
        ("lots", "discomfort: expected a list, got the text 'lots'"),
        ([{"title": "T", "at": 1.0, "choice": None}],
         "discomfort[0].step: expected a step number ≥ 1, got nothing"),
        ([{"step": 1, "title": "T", "at": -1, "choice": None}],
         "discomfort[0].at: expected a number of seconds"),
        ([{"step": 1, "title": 3, "at": 1, "choice": None}], "discomfort[0].title: expected a string, got 3"),
    ],
)
def test_a_bad_discomfort_is_named(discomfort: Any, reason: str) -> None:
    with pytest.raises(RecordError, match=re.escape(reason)):
        record_from_json({**GOOD_IMPORT, "discomfort": discomfort})
