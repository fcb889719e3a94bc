"""The routine format of issue 14 (reps, a breathing step's gentler pattern, stop_if, the
eyes and whole-body areas) and the schema help of issue 13 item 7 (a discriminator on the
step type, a description on every field, no null defaults)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from coach.library import parse_routine, routine_detail
from coach.routine import routine_json_schema
from coach.validation import InvalidDocument


def doc(*steps: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"format": 1, "id": "ab", "title": "T", **fields, "steps": list(steps)}


REPS = {"type": "massage", "title": "Hold the spot", "instruction": "Press and hold.", "area": "shoulders",
        "side": "each", "pressure": "firm", "reps": {"count": 3, "hold": 8, "release": 4}}  # fmt: skip
GENTLE_BOX = {"type": "breathing", "title": "Box", "pattern": "box", "cycles": 4,
              "gentler": {"pattern": "extended-exhale", "text": "Leave out the holds."}}  # fmt: skip


def parse(document: dict[str, Any]) -> Any:
    return parse_routine(json.dumps(document, indent=1).encode(), "f.json")


def problems(document: dict[str, Any]) -> list[str]:
    with pytest.raises(InvalidDocument) as caught:
        parse(document)
    return [str(p) for p in caught.value.problems]


def test_the_new_fields_read_and_time_as_the_design_says() -> None:
    stretch = {"type": "stretch", "title": "S", "instruction": "i", "area": "eyes",
               "reps": {"count": 5, "hold": 5, "release": 5}}  # fmt: skip
    routine = parse(doc(REPS, GENTLE_BOX, stretch, areas=["eyes", "whole-body"],
                        stop_if=["Tingling spreads into the arm."]))  # fmt: skip
    reps, box, stretch = routine.steps
    assert reps.pass_seconds == 36.0 and reps.total_seconds == 72.0  # per side for "each"
    assert reps.reps.words == "3 × hold 8 s, release 4 s"
    assert stretch.pass_seconds == 50.0
    assert box.gentler.phases == (("inhale", 4), ("exhale", 6)) and box.pass_seconds == 64.0
    assert routine.stop_if == ["Tingling spreads into the arm."]
    assert routine.total_seconds == 72 + 64 + 50


def test_show_detail_carries_reps_stop_if_and_the_breathing_gentler() -> None:
    detail = routine_detail(parse(doc(REPS, GENTLE_BOX, stop_if=["Numbness."])))
    assert detail["stop_if"] == ["Numbness."]
    assert detail["steps"][0]["reps"] == "3 × hold 8 s, release 4 s"
    assert detail["steps"][1]["gentler"] == "Leave out the holds."
    assert detail["steps"][1]["gentler_pattern"] == "extended-exhale: inhale 4 s, exhale 6 s"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"seconds": 30}, "steps[0]: give 'seconds' or 'reps', not both"),
        ({"reps": None}, "steps[0].reps: expected an object, got null"),
        ({"reps": {"count": 31, "hold": 8, "release": 4}}, "steps[0].reps.count: must be at most 30, got 31"),
        ({"reps": {"count": 3, "hold": 0, "release": 4}}, "steps[0].reps.hold: must be at least 1, got 0"),
        ({"reps": {"count": 3, "hold": 8}}, "steps[0].reps: missing required field 'release'"),
        ({"reps": {"count": 3, "hold": 8, "relase": 4}},
         "steps[0].reps.relase: unknown field 'relase' (did you mean 'release'?)"),
        ({"reps": {"count": 1, "hold": 1, "release": 2}},
         "steps[0]: these reps last 3 s (count × (hold + release)); a step lasts 5-1800 s"),
        ({"reps": {"count": 30, "hold": 120, "release": 120}},
         "steps[0]: these reps last 7200 s (count × (hold + release)); a step lasts 5-1800 s"),
    ],
)
def test_reps_errors_are_located_and_one_line(change: dict[str, Any], expected: str) -> None:
    step = {**REPS, **change}
    found = problems(doc(step))
    assert len(found) == 1 and found[0].split(": ", 1)[1] == expected
    assert "\n" not in found[0] and found[0].startswith("f.json:")


def test_a_step_with_neither_seconds_nor_reps_is_refused() -> None:
    step = {k: v for k, v in REPS.items() if k != "reps"}
    found = [p.split(": ", 1)[1] for p in problems(doc(step))]
    assert found == ["steps[0]: give 'seconds' or 'reps'"]


@pytest.mark.parametrize(
    ("gentler", "expected"),
    [
        ("Slower.", "steps[0].gentler: expected an object, got text"),
        ({"pattern": "boxx", "text": "t"}, "steps[0].gentler.pattern: unknown breathing pattern \"boxx\""),
        ({"pattern": "box"}, "steps[0].gentler: missing required field 'text'"),
        ({"pattern": {"phases": [{"breath": "hold", "seconds": 4}]}, "text": "t"},
         "steps[0].gentler.pattern: a pattern needs at least one inhale"),
    ],
)
def test_breathing_gentler_errors_are_located(gentler: Any, expected: str) -> None:
    found = problems(doc({**GENTLE_BOX, "gentler": gentler}))
    assert len(found) == 1 and found[0].split(": ", 1)[1].startswith(expected)


def test_stop_if_is_plain_text_like_cautions() -> None:
    assert [p.split(": ", 1)[1] for p in problems(doc(GENTLE_BOX, stop_if=["ok", "bell\u0007"]))] == [
        "stop_if[1]: a control character U+0007 at position 5 (text is shown literally; use plain "
        "sentences without tabs, line breaks or invisible characters)"]


# --- the published schema -----------------------------------------------------------------


def test_the_schema_accepts_the_new_fields_and_refuses_what_coach_refuses() -> None:
    validator = Draft202012Validator(routine_json_schema())
    good = doc(REPS, GENTLE_BOX, areas=["eyes", "whole-body"], stop_if=["Numbness."])
    assert validator.is_valid(good)
    for bad in (doc({**REPS, "seconds": 30}), doc({k: v for k, v in REPS.items() if k != "reps"}),
                doc({**GENTLE_BOX, "gentler": "Slower."}), doc(GENTLE_BOX, stop_if=["a\u0007"])):  # fmt: skip
        assert not validator.is_valid(bad)
        with pytest.raises(InvalidDocument):
            parse(bad)


@pytest.mark.parametrize(
    ("step", "named"),
    [
        ({**REPS, "pressur": "firm"}, "'pressur'"),
        ({**REPS, "area": "nek"}, "'nek' is not one of"),
        ({**REPS, "reps": {"count": 3, "hold": "8", "release": 4}}, "'8' is not of type 'integer'"),
        ({**GENTLE_BOX, "cycles": 0}, "0 is less than the minimum of 1"),
        ({"type": "rest", "title": "R", "seconds": 10, "instruction": 5}, "instruction"),  # at the field
        ({"type": "massag", "title": "M"}, "'massag' is not one of ['massage', 'stretch', 'breathing', "),
    ],
)
def test_the_schema_names_the_wrong_field_of_a_step(step: dict[str, Any], named: str) -> None:
    """With the discriminator (an if/then per step type) a validator checks a step against its
    own type only: each error stands at the wrong field (or names it) instead of the whole step
    being "not valid under any of the given schemas" (what a bare oneOf of the four said)."""
    errors = list(Draft202012Validator(routine_json_schema()).iter_errors(doc(step)))
    assert errors
    for error in errors:
        assert list(error.absolute_path)[:2] == ["steps", 0]
        at_the_step = list(error.absolute_path) == ["steps", 0]
        assert not (at_the_step and "under any of the given schemas" in error.message)
    best = best_match(errors)
    assert named in best.message or named in best.absolute_path


def test_the_step_discriminator_maps_each_type_to_its_schema() -> None:
    items = routine_json_schema()["properties"]["steps"]["items"]
    assert items["discriminator"] == {"propertyName": "type", "mapping": {
        "massage": "#/$defs/MassageStep", "stretch": "#/$defs/StretchStep",
        "breathing": "#/$defs/BreathingStep", "rest": "#/$defs/RestStep"}}  # fmt: skip
    assert "oneOf" not in items and "anyOf" not in items


def _properties(node: Any, path: str = "$") -> list[tuple[str, dict[str, Any]]]:
    found = []
    if isinstance(node, dict):
        for name, prop in node.get("properties", {}).items():
            found.append((f"{path}.{name}", prop))
        for key, value in node.items():
            if key not in ("if", "contains"):  # conditions, not fields
                found += _properties(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _properties(value, f"{path}[{index}]")
    return found


def test_every_field_has_a_description_and_no_default_is_null() -> None:
    schema = routine_json_schema()
    fields = [(where, prop) for where, prop in _properties(schema) if ".properties." not in where
              or not where.endswith("steps.items.properties.type")]  # fmt: skip
    assert len(fields) > 30
    missing = [where for where, prop in fields
               if "description" not in prop and not where.endswith(".items.type")]  # fmt: skip
    assert missing == []
    nulls = [where for where, prop in fields if "default" in prop and prop["default"] is None]
    assert nulls == []


def test_show_prints_reps_stop_if_and_the_breathing_gentler(
    coach_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from coach.cli import main

    path = tmp_path / "guided.json"
    path.write_text(json.dumps(doc(REPS, GENTLE_BOX, stop_if=["Tingling spreads into the arm."])))
    assert main(["show", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Stop if:\n  - Tingling spreads into the arm." in out
    assert "[massage, each side, firm pressure, 3 × hold 8 s, release 4 s]  36 s per side" in out
    assert "Gentler: extended-exhale: inhale 4 s, exhale 6 s. Leave out the holds." in out
