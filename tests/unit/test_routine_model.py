"""The routine models: every field, every bound, sides, presets and breathing rounding."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pydantic import ValidationError

from coach.breathing import PRESETS
from coach.routine import Routine

MASSAGE = {"type": "massage", "title": "Knead", "instruction": "Knead slowly.", "seconds": 45,
           "area": "shoulders", "side": "each", "pressure": "firm", "technique": "kneading",
           "gentler": "Lighter circles."}  # fmt: skip
STRETCH = {"type": "stretch", "title": "Stretch", "instruction": "Tilt the ear.", "seconds": 30,
           "area": "neck", "side": "left", "technique": "static", "gentler": "Smaller range."}  # fmt: skip
BREATH = {"type": "breathing", "title": "Breathe", "pattern": "coherent", "cycles": 6}
REST = {"type": "rest", "title": "Rest", "seconds": 20}


def routine(**changes: Any) -> dict[str, Any]:
    base = {
        "$schema": "./routine.schema.json", "format": 1, "id": "neck-and-shoulders",
        "title": "Neck", "summary": "Five minutes.", "areas": ["neck", "shoulders"],
        "tags": ["desk"], "equipment": ["tennis ball"], "cautions": ["Never the front of the neck."],
        "author": {"name": "Jo", "role": "therapist", "contact": "jo@example.com"},
        "steps": [copy.deepcopy(s) for s in (MASSAGE, STRETCH, BREATH, REST)],
    }  # fmt: skip
    base.update(changes)
    return base


def with_step(step_changes: dict[str, Any], index: int = 0) -> dict[str, Any]:
    data = routine()
    data["steps"][index].update(step_changes)
    return data


def test_every_field_is_read() -> None:
    r = Routine.model_validate(routine())
    assert (r.id, r.title, r.summary) == ("neck-and-shoulders", "Neck", "Five minutes.")
    assert r.areas == ["neck", "shoulders"] and r.tags == ["desk"]
    assert r.equipment == ["tennis ball"] and r.cautions == ["Never the front of the neck."]
    assert r.author is not None and (r.author.name, r.author.role) == ("Jo", "therapist")
    massage, stretch, breath, rest = r.steps
    assert (massage.pressure, massage.technique, massage.gentler) == ("firm", "kneading", "Lighter circles.")
    assert (stretch.side, stretch.area, stretch.gentler) == ("left", "neck", "Smaller range.")
    assert breath.phases == (("inhale", 5), ("exhale", 5))
    assert rest.instruction is None
    assert r.kinds == ["massage", "stretch", "breathing", "rest"]


def test_side_each_runs_left_then_right_and_doubles_the_time() -> None:
    r = Routine.model_validate(routine())
    assert r.steps[0].sides == ("left", "right")
    assert r.steps[0].total_seconds == 90
    assert r.steps[1].sides == ("left",)
    # 45×2 + 30 + 6 cycles of 10 s + 20
    assert r.total_seconds == 90 + 30 + 60 + 20


@pytest.mark.parametrize("side", ["left", "right", "both"])
def test_single_pass_sides(side: str) -> None:
    r = Routine.model_validate(with_step({"side": side}))
    assert r.steps[0].sides == (side,) and r.steps[0].total_seconds == 45


@pytest.mark.parametrize(("name", "phases"), list(PRESETS.items()))
def test_presets(name: str, phases: tuple[tuple[str, float], ...]) -> None:
    r = Routine.model_validate(with_step({"pattern": name}, index=2))
    step = r.steps[2]
    assert step.phases == phases
    assert step.pass_seconds == pytest.approx(6 * sum(s for _, s in phases))


def test_preset_timings_match_the_design() -> None:
    assert [s for _, s in PRESETS["box"]] == [4, 4, 4, 4]
    assert [s for _, s in PRESETS["4-7-8"]] == [4, 7, 8]
    assert PRESETS["cyclic-sigh"] == (("inhale", 2), ("top-up", 1), ("exhale", 6))
    assert PRESETS["resonance"] == (("inhale", 5.5), ("exhale", 5.5))
    assert PRESETS["extended-exhale"] == (("inhale", 4), ("exhale", 6))


@pytest.mark.parametrize(("seconds", "pattern", "cycles"), [
    (60, "box", 4),          # 60 / 16 = 3.75 → 4
    (56, "box", 4),          # 3.5 rounds to even: 4
    (40, "box", 2),          # 2.5 → 2 (banker's rounding, still whole cycles)
    (5, "box", 1),           # at least one cycle
    (300, "cyclic-sigh", 33),  # 300 / 9 = 33.3 → 33
    (60, "coherent", 6),
])  # fmt: skip
def test_seconds_round_to_whole_cycles(seconds: int, pattern: str, cycles: int) -> None:
    step = {"type": "breathing", "title": "B", "pattern": pattern, "seconds": seconds}
    r = Routine.model_validate(routine(steps=[step]))
    assert r.steps[0].resolved_cycles == cycles
    assert r.total_seconds == pytest.approx(cycles * r.steps[0].cycle_seconds)


def test_custom_pattern() -> None:
    pattern = {"phases": [{"breath": "inhale", "seconds": 3.5}, {"breath": "hold", "seconds": 0.5},
                          {"breath": "exhale", "seconds": 6}]}  # fmt: skip
    r = Routine.model_validate(with_step({"pattern": pattern, "cycles": 2}, index=2))
    assert r.steps[2].phases == (("inhale", 3.5), ("hold", 0.5), ("exhale", 6))
    assert r.steps[2].pass_seconds == 20


BOUNDS = [
    ({"seconds": 5}, True), ({"seconds": 4}, False), ({"seconds": 1800}, True),
    ({"seconds": 1801}, False),
]  # fmt: skip


@pytest.mark.parametrize(("change", "ok"), BOUNDS)
@pytest.mark.parametrize("index", [0, 1, 3])
def test_timed_step_bounds(change: dict[str, Any], ok: bool, index: int) -> None:
    data = with_step(change, index=index)
    data["steps"][0]["side"] = "both"  # keep the total under two hours
    if ok:
        Routine.model_validate(data)
    else:
        with pytest.raises(ValidationError):
            Routine.model_validate(data)


@pytest.mark.parametrize(("seconds", "ok"), [(0.5, True), (0.4, False), (30, True), (30.5, False)])
def test_phase_bounds(seconds: float, ok: bool) -> None:
    pattern = {"phases": [{"breath": "inhale", "seconds": seconds}, {"breath": "exhale", "seconds": 4}]}
    data = with_step({"pattern": pattern, "cycles": 1}, index=2)
    if ok:
        Routine.model_validate(data)
    else:
        with pytest.raises(ValidationError):
            Routine.model_validate(data)


def test_step_count_bounds() -> None:
    Routine.model_validate(routine(steps=[REST] * 200))
    for steps in ([], [REST] * 201):
        with pytest.raises(ValidationError):
            Routine.model_validate(routine(steps=steps))


def test_two_hour_limit() -> None:
    long = {"type": "rest", "title": "R", "seconds": 1800}
    Routine.model_validate(routine(steps=[long] * 4))
    with pytest.raises(ValidationError, match="the limit is 120 minutes"):
        Routine.model_validate(routine(steps=[long] * 4 + [REST]))


@pytest.mark.parametrize("bad_id", ["a", "-ab", "Ab", "a b", "a_b", "a" * 65, "ünï"])
def test_id_must_be_a_slug(bad_id: str) -> None:
    with pytest.raises(ValidationError):
        Routine.model_validate(routine(id=bad_id))


@pytest.mark.parametrize("good_id", ["ab", "4-7-8", "a" * 64, "neck-2"])
def test_good_ids(good_id: str) -> None:
    assert Routine.model_validate(routine(id=good_id)).id == good_id


@pytest.mark.parametrize("text", ["tab\there", "new\nline", "bell\x07", "del\x7f", "c1\x85",
                                  "bidi\u202eoverride"])  # fmt: skip
@pytest.mark.parametrize("field", ["title", "summary"])
def test_control_characters_are_refused(text: str, field: str) -> None:
    with pytest.raises(ValidationError, match=r"a control character|a bidirectional control"):
        Routine.model_validate(routine(**{field: text}))


def test_markup_is_just_text() -> None:
    r = Routine.model_validate(routine(title="[bold red]x[/]"))
    assert r.title == "[bold red]x[/]"


def test_unknown_keys_refused_everywhere_but_extensions_allowed() -> None:
    for place in ("top", "step", "author"):
        data = routine()
        target = {"top": data, "step": data["steps"][0], "author": data["author"]}[place]
        target["x-mine"] = {"anything": [1, 2]}
        Routine.model_validate(data)
        target["colour"] = "red"
        with pytest.raises(ValidationError, match="colour"):
            Routine.model_validate(data)


def test_massage_pressure_defaults_and_stretch_has_none() -> None:
    step = dict(MASSAGE)
    del step["pressure"]
    assert Routine.model_validate(routine(steps=[step])).steps[0].pressure == "medium"
    with pytest.raises(ValidationError):
        Routine.model_validate(with_step({"pressure": "light"}, index=1))


def test_instruction_required_for_massage_and_stretch_only() -> None:
    for index in (0, 1):
        data = routine()
        del data["steps"][index]["instruction"]
        with pytest.raises(ValidationError, match="instruction"):
            Routine.model_validate(data)
    Routine.model_validate(routine(steps=[BREATH, REST]))


def test_breathing_null_cycles_is_not_absent() -> None:
    with pytest.raises(ValidationError):
        Routine.model_validate(with_step({"cycles": None, "seconds": 60}, index=2))


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\u061c", "\u200e", "\u200f", "\u200b", "\ufeff",
                                  "\u00ad", "\u2066", "\U000e0041"])  # fmt: skip
def test_text_refuses_what_history_imports_refuse(char: str) -> None:
    """One rule (coach.text.hidden_character) for routine and plan text and for imports."""
    from coach.text import describe_hidden, hidden_character

    assert hidden_character("a" + char) == char
    with pytest.raises(ValidationError) as caught:
        Routine.model_validate(routine(title="a" + char))
    assert f"{describe_hidden(char)} at position 2" in str(caught.value)


def test_text_keeps_the_joiners_that_only_shape_what_is_next_to_them() -> None:
    from coach.text import hidden_character

    for text in ("👩\u200d⚕️ care", "می\u200cخواهم"):  # ZWJ emoji, ZWNJ in Persian
        assert hidden_character(text) is None
        assert Routine.model_validate(routine(title=text)).title == text


def test_the_schema_pattern_is_the_same_rule_for_every_code_point() -> None:
    import re

    from coach.routine import PLAIN_TEXT_PATTERN
    from coach.text import hidden_character

    pattern = re.compile(PLAIN_TEXT_PATTERN)
    differ = [
        hex(code) for code in range(0x110000)
        if (pattern.search(f"a{chr(code)}") is None) != (hidden_character(f"a{chr(code)}") is not None)
    ]  # fmt: skip
    assert differ == []
