"""The plan model: the worked example, the schema, and located errors for malformed plans."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from coach.library import builtin_routine_ids
from coach.plan import (
    Plan,
    parse_plan,
    plan_json_schema,
    read_plan_file,
    starter_plan,
)
from coach.validation import InvalidDocument
from tests.helpers.plans import BASE, EXAMPLE, OWN_ROUTINE, SCHEMA, text_of


def problems(mutate: Callable[[dict[str, Any]], None]) -> list[str]:
    obj = copy.deepcopy(BASE)
    mutate(obj)
    with pytest.raises(InvalidDocument) as caught:
        parse_plan(text_of(obj), "plan.json", builtin_routine_ids())
    return [str(p) for p in caught.value.problems]


def test_the_base_plan_is_valid() -> None:
    plan = parse_plan(text_of(BASE), "plan.json", builtin_routine_ids())
    assert plan.starts == date(2026, 11, 26) and plan.length_days == 21
    assert plan.items[1].days == ["mon", "thu"]
    assert plan.included("kim-breathing") is not None and plan.included("nope") is None


def test_the_worked_example_validates_and_uses_real_builtins() -> None:
    plan = read_plan_file(EXAMPLE, builtin_routine_ids())
    builtins = builtin_routine_ids()
    assert len(plan.routines) == 1
    own = {r.id for r in plan.routines}
    assert {i.routine for i in plan.items} <= builtins | own
    assert any(i.routine in builtins for i in plan.items)
    assert any(i.routine in own for i in plan.items)
    assert plan.length_days == 21


def set_(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda obj: obj.__setitem__(key, value)


def item(index: int, **changes: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(obj: dict[str, Any]) -> None:
        for key, value in changes.items():
            if value is ...:
                obj["items"][index].pop(key)
            else:
                obj["items"][index][key] = value

    return mutate


CASES: list[tuple[str, Callable[[dict[str, Any]], None], list[str]]] = [
    (
        "format",
        set_("format", 2),
        ["plan.json:2:13: format: unsupported format 2; this version of Coach reads format 1"],
    ),
    (
        "id",
        set_("id", "Kim 2026"),
        [
            "plan.json:3:9: id: must be a lower-case id of 2-64 letters a-z, digits and '-', starting "
            'with a letter or digit, got "Kim 2026"'
        ],
    ),
    ("missing client", lambda o: o.pop("client"), ["plan.json:1:1: $: missing required field 'client'"]),
    (
        "therapist typo",
        lambda o: o["therapist"].update(contakt=o["therapist"].pop("contact")),
        ["plan.json:7:5: therapist.contakt: unknown field 'contakt' (did you mean 'contact'?)"],
    ),
    (
        "therapist without name",
        lambda o: o["therapist"].pop("name"),
        ["plan.json:5:16: therapist: missing required field 'name'"],
    ),
    (
        "not a date",
        set_("starts", "26/11/2026"),
        ['plan.json:9:13: starts: expected a date as YYYY-MM-DD, got "26/11/2026"'],
    ),
    (
        "no such day",
        set_("ends", "2026-11-31"),
        ["plan.json:10:11: ends: 2026-11-31 is not a date in the calendar"],
    ),
    (
        "number as date",
        set_("starts", 20261126),
        ["plan.json:9:13: starts: expected a date as YYYY-MM-DD, got 20261126"],
    ),
    (
        "year out of range",
        set_("ends", "2300-01-01"),
        [
            "plan.json:10:11: ends: 2300-01-01 is out of range: a plan's dates are from 2000-01-01 "
            "to 2199-12-31"
        ],
    ),
    (
        "ends before starts",
        set_("ends", "2026-11-20"),
        ["plan.json:10:11: ends: the plan ends (2026-11-20) before it starts (2026-11-26)"],
    ),
    (
        "too long",
        set_("ends", "2027-11-27"),
        ["plan.json:10:11: ends: the plan lasts 367 days; the limit is 366 days"],
    ),
    ("no items", set_("items", []), ["plan.json:26:12: items: must have at least 1 item"]),
    (
        "both per_week and days",
        item(0, days=["mon"]),
        [
            "plan.json:27:5: items[0]: give exactly one of 'per_week' (sessions a week) or 'days' "
            '(e.g. ["mon", "thu"])'
        ],
    ),
    (
        "neither per_week nor days",
        item(0, per_week=...),
        [
            "plan.json:27:5: items[0]: give exactly one of 'per_week' (sessions a week) or 'days' "
            '(e.g. ["mon", "thu"])'
        ],
    ),
    ("per_week 0", item(0, per_week=0), ["plan.json:29:19: items[0].per_week: must be at least 1, got 0"]),
    ("per_week 22", item(0, per_week=22), ["plan.json:29:19: items[0].per_week: must be at most 21, got 22"]),
    (
        "per_week fraction",
        item(0, per_week=2.5),
        ["plan.json:29:19: items[0].per_week: expected a whole number, got 2.5"],
    ),
    (
        "bad weekday",
        item(1, days=["mon", "thursday"]),
        [
            "plan.json:35:9: items[1].days[1]: expected 'mon', 'tue', 'wed', 'thu', 'fri', 'sat' or "
            "'sun', got \"thursday\""
        ],
    ),
    (
        "repeated weekday",
        item(1, days=["mon", "thu", "mon"]),
        ["plan.json:33:15: items[1].days: 'mon' is listed twice"],
    ),
    ("days as text", item(1, days="mon"), ["plan.json:33:15: items[1].days: expected a list, got text"]),
    (
        "unknown routine",
        item(0, routine="neck-and-shoulder"),
        [
            "plan.json:28:18: items[0].routine: no routine 'neck-and-shoulder': not a built-in routine nor "
            "one of this plan's 'routines' (did you mean 'neck-and-shoulders'?)"
        ],
    ),
    (
        "routine twice",
        lambda o: o["items"].append({"routine": "kim-breathing", "per_week": 1}),
        [
            "plan.json:40:18: items[2].routine: routine 'kim-breathing' already has an item (items[1]); "
            "give each routine one item"
        ],
    ),
    (
        "included ids collide",
        lambda o: o["routines"].append(copy.deepcopy(OWN_ROUTINE)),
        [
            "plan.json:27:13: routines[1].id: routine id 'kim-breathing' is already used by routines[0]; "
            "give each routine its own id"
        ],
    ),
    (
        "included id is a built-in's",
        lambda o: o["routines"][0].update(id="box-breathing"),
        [
            "plan.json:14:13: routines[0].id: 'box-breathing' is the id of a built-in routine; give the "
            "plan's own routine another id",
            "plan.json:32:18: items[1].routine: no routine 'kim-breathing': not a built-in routine nor one "
            "of this plan's 'routines' (did you mean 'box-breathing'?)",
        ],
    ),
    (
        "bad included routine",
        lambda o: o["routines"][0]["steps"][0].update(cycles=0),
        ["plan.json:21:21: routines[0].steps[0].cycles: must be at least 1, got 0"],
    ),
    (
        "control character in a note",
        item(1, note="Before\tbed."),
        [
            "plan.json:37:15: items[1].note: a control character U+0009 at position 7 (text is "
            "shown literally; use plain sentences without tabs, line breaks or invisible characters)"
        ],
    ),
    ("unknown item key", item(0, times=3), ["plan.json:30:7: items[0].times: unknown field 'times'"]),
]


@pytest.mark.parametrize(("mutate", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_malformed_plans_have_located_messages(
    mutate: Callable[[dict[str, Any]], None], expected: list[str]
) -> None:
    assert problems(mutate) == expected


def test_x_keys_and_schema_are_accepted() -> None:
    obj = copy.deepcopy(BASE)
    obj["$schema"] = "./plan.schema.json"
    obj["x-clinic"] = {"room": 3}
    obj["items"][0]["x-why"] = "posture"
    parse_plan(text_of(obj), "plan.json", builtin_routine_ids())


def test_not_json_and_not_an_object() -> None:
    with pytest.raises(InvalidDocument) as caught:
        parse_plan(b'{"format": 1,}', "p.json", builtin_routine_ids())
    assert str(caught.value.problems[0]) == (
        "p.json:1:13: $: invalid JSON: trailing comma: remove the ',' after the last item")
    with pytest.raises(InvalidDocument) as caught:
        parse_plan(b"[]", "p.json", builtin_routine_ids())
    assert str(caught.value.problems[0]) == "p.json:1:1: $: expected a JSON object (the plan), got a list"


def test_references_are_checked_against_builtins_only(tmp_path: Path) -> None:
    """A user's own routine does not satisfy a plan: the plan must mean the same everywhere."""
    obj = copy.deepcopy(BASE)
    obj["items"][0]["routine"] = "my-own"
    with pytest.raises(InvalidDocument):
        parse_plan(text_of(obj), "p.json", builtin_ids=frozenset({"neck-and-shoulders"}))
    plan = parse_plan(text_of(obj), "p.json", builtin_ids=frozenset({"my-own"}))
    assert plan.items[0].routine == "my-own"
    # Stored plans skip the reference checks (they were checked at import).
    parse_plan(text_of(obj), "p.json", builtin_ids=frozenset(), check_references=False)


def test_builtin_ids_come_from_the_folder(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text('{"id": "alpha"}')
    (tmp_path / "plan.schema.json").write_text('{"id": "not-a-routine"}')
    (tmp_path / "broken.json").write_text("{")
    assert builtin_routine_ids(tmp_path) == frozenset({"alpha"})
    assert "neck-and-shoulders" in builtin_routine_ids()


def test_schedule_text() -> None:
    plan = Plan.model_validate(
        {
            **BASE,
            "items": [
                {"routine": "a-1", "per_week": 1},
                {"routine": "a-2", "per_week": 7},
                {"routine": "a-3", "per_week": 3},
                {"routine": "a-4", "days": ["fri", "mon"]},
                {"routine": "a-5", "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]},
            ],
        }
    )
    assert [i.schedule_text for i in plan.items] == [
        "once a week",
        "once a day",
        "3 times a week",
        "Mon, Fri",
        "every day",
    ]


def test_status() -> None:
    plan = parse_plan(text_of(BASE), "p.json", builtin_routine_ids())
    assert plan.status(date(2026, 11, 25)) == "upcoming"
    assert plan.status(date(2026, 11, 26)) == "active"
    assert plan.status(date(2026, 12, 16)) == "active"
    assert plan.status(date(2026, 12, 17)) == "ended"


def test_committed_schema_equals_the_generated_one() -> None:
    committed = json.loads(SCHEMA.read_text("utf-8"))
    assert committed == plan_json_schema(), "regenerate with: python -m coach.schemas"


def test_schema_accepts_the_example_and_refuses_both_frequencies() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = plan_json_schema()
    validator = jsonschema.Draft202012Validator(schema)
    validator.check_schema(schema)
    example = json.loads(EXAMPLE.read_text("utf-8"))
    assert list(validator.iter_errors(example)) == []
    example["items"][0]["days"] = ["mon"]
    assert list(validator.iter_errors(example))
    example["items"][0].pop("days")
    example["items"][0]["unknown"] = 1
    assert list(validator.iter_errors(example))


def test_starter_plan_is_valid() -> None:
    obj = starter_plan("my-client-plan", today=date(2026, 11, 26))
    plan = parse_plan(text_of(obj), "starter.json", builtin_routine_ids())
    assert plan.starts == date(2026, 11, 30)  # next Monday
    assert plan.ends == date(2026, 12, 20)
    assert obj["$schema"] == "./plan.schema.json"


# --- the pain rating a plan may ask for ------------------------------------------------------


def test_a_plan_may_ask_for_a_pain_rating_of_one_area() -> None:
    plan = parse_plan(text_of({**BASE, "pain": {"area": "neck"}}), "plan.json", builtin_routine_ids())
    assert plan.pain is not None and plan.pain.area == "neck"
    assert parse_plan(text_of(BASE), "plan.json", builtin_routine_ids()).pain is None


@pytest.mark.parametrize(
    ("pain", "expected"),
    [({"area": "elbow"}, r"pain\.area: expected 'head', .* got \"elbow\""),
     ({"where": "neck"}, "pain: missing required field 'area'"),
     ({"area": "neck", "side": "left"}, r"pain\.side: unknown field"),
     (None, "pain: expected an object, got null"),
     ("neck", "pain: expected an object")],
)  # fmt: skip
def test_a_bad_pain_rating_is_located(pain: Any, expected: str) -> None:
    found = problems(set_("pain", pain))
    import re

    assert re.match(rf"plan\.json:\d+:\d+: {expected}", found[0]), found


# --- the schema helps an editor: descriptions, no null defaults, errors that name the field ----


def _objects(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(where, the object's schema) of the plan and each model of its own ($defs)."""
    return [("plan", schema), *schema["$defs"].items()]


PLAN_DEFS = ("plan", "PlanItem", "Therapist", "PainRating")


def test_every_plan_field_has_a_description_and_no_null_default() -> None:
    schema = plan_json_schema()
    for where, obj in _objects(schema):
        if where not in PLAN_DEFS:
            continue  # the routine format's own models: tests/unit/test_schema.py
        for name, prop in obj["properties"].items():
            assert prop.get("description"), f"{where}.{name} has no description"
            assert prop.get("default", ...) is not None, f"{where}.{name} has a null default"
    assert "oneOf" not in schema["$defs"]["PlanItem"]  # a oneOf only says "not valid under any"


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [({"pain": {"area": "elbow"}}, "$.pain.area", "'elbow' is not one of"),
     ({"pain": {"where": "neck"}}, "$.pain", "'where'"),
     ({"items": [{"routine": "neck-and-shoulders"}]}, "$.items[0]", "'days' is a required property"),
     ({"items": [{"routine": "neck-and-shoulders", "per_week": 2, "days": ["mon"]}]}, "$.items[0]",
      "{'required': ['days']}"),
     ({"items": [{"routine": "neck-and-shoulders", "per_week": "2"}]}, "$.items[0].per_week",
      "'2' is not of type"),
     ({"therapist": {"name": "Jo", "fax": "1"}}, "$.therapist", "'fax'")],
)  # fmt: skip
def test_an_editor_like_validator_names_the_field(change: dict[str, Any], path: str, words: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(plan_json_schema())
    best = jsonschema.exceptions.best_match(validator.iter_errors({**BASE, **change}))
    assert best is not None, change
    assert best.json_path == path and words in best.message, (best.json_path, best.message)
