"""The published JSON Schema: generated from the models, committed, and as strict as it can be."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from coach.routine import routine_json_schema
from coach.validation import InvalidDocument
from tests.helpers.broken_routines import CASES
from tests.helpers.command import ROUTINES

SCHEMA_FILE = ROUTINES / "routine.schema.json"
BUILTINS = sorted(p for p in ROUTINES.glob("*.json") if not p.name.endswith(".schema.json"))
# What JSON Schema cannot say: sums over steps, duplicate keys (gone once parsed), file size and
# encoding (it sees parsed data), and a document that is not JSON at all.
SCHEMA_BLIND = {"broken JSON", "empty file", "not UTF-8", "too big", "duplicate key",
                "routine over two hours", "breathing step longer than 30 minutes"}  # fmt: skip


def test_committed_schema_equals_the_models() -> None:
    committed = json.loads(SCHEMA_FILE.read_text("utf-8"))
    assert committed == routine_json_schema(), (
        "routines/routine.schema.json is stale: run `python -m coach.schemas`"
    )


def test_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(json.loads(SCHEMA_FILE.read_text("utf-8")))


@pytest.mark.parametrize("path", BUILTINS, ids=lambda p: p.stem)
def test_builtin_routine_validates_against_committed_schema(path: Path) -> None:
    validator = Draft202012Validator(json.loads(SCHEMA_FILE.read_text("utf-8")))
    errors = [e.message for e in validator.iter_errors(json.loads(path.read_text("utf-8")))]
    assert errors == []


@pytest.mark.parametrize(("name", "data"), [(c[0], c[1]) for c in CASES if c[0] not in SCHEMA_BLIND],
                         ids=[c[0] for c in CASES if c[0] not in SCHEMA_BLIND])  # fmt: skip
def test_schema_catches_what_validate_catches(name: str, data: bytes) -> None:
    validator = Draft202012Validator(routine_json_schema())
    assert not validator.is_valid(json.loads(data)), f"the schema accepts: {name}"


def test_schema_accepts_extensions_and_refuses_unknown_keys() -> None:
    validator = Draft202012Validator(routine_json_schema())
    doc = {"$schema": "x", "x-a": 1, "format": 1, "id": "ab", "title": "T",
           "steps": [{"type": "rest", "title": "R", "seconds": 10, "x-b": 2}]}  # fmt: skip
    assert validator.is_valid(doc)
    doc["steps"][0]["colour"] = "red"
    assert not validator.is_valid(doc)


def test_whole_numbers_with_a_zero_fraction_are_whole_for_both() -> None:
    """JSON Schema's "integer" is any number with a zero fraction; Coach reads 30.0 as 30."""
    from coach.library import parse_routine

    doc = {"format": 1.0, "id": "ab", "title": "T",
           "steps": [{"type": "rest", "title": "R", "seconds": 30.0},
                     {"type": "breathing", "title": "B", "pattern": "box", "cycles": 2.0}]}  # fmt: skip
    assert Draft202012Validator(routine_json_schema()).is_valid(doc)
    routine = parse_routine(json.dumps(doc).encode(), "f.json")
    assert routine.steps[0].seconds == 30 and type(routine.steps[0].seconds) is int
    assert routine.steps[1].cycles == 2 and type(routine.steps[1].cycles) is int


def test_plan_numbers_are_strict_for_both() -> None:
    from coach.plan import parse_plan, plan_json_schema

    validator = Draft202012Validator(plan_json_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)
    doc = {"format": 1, "id": "sam-neck", "client": "Sam", "therapist": {"name": "Jo"},
           "starts": "2026-12-01", "ends": "2026-12-21",
           "items": [{"routine": "box-breathing", "per_week": 4}]}  # fmt: skip
    assert validator.is_valid(doc)
    parse_plan(json.dumps(doc).encode(), "p.json", builtin_ids=frozenset({"box-breathing"}))
    for per_week in ("4", True, 4.5, None):
        doc["items"][0]["per_week"] = per_week
        assert not validator.is_valid(doc)
        with pytest.raises(InvalidDocument):
            parse_plan(json.dumps(doc).encode(), "p.json", builtin_ids=frozenset({"box-breathing"}))
