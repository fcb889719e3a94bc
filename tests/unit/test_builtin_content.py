"""Content checks on the built-in routines: the care a therapist's handout needs.

These read the files with plain `json`, independent of the models, so that a careless
routine is caught even where the schema would accept it (a firm step with no gentler
version, a neck routine without the carotid warning, a breathing routine without the
dizziness copy).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest

ROUTINES_DIR = Path(__file__).resolve().parents[2] / "routines"

AREAS = {
    "head",
    "face",
    "jaw",
    "neck",
    "shoulders",
    "upper-back",
    "lower-back",
    "chest",
    "arms",
    "forearms-hands",
    "hips",
    "legs",
    "feet",
    "breath",
}
# Seconds per cycle of each preset, as DESIGN defines them.
PRESET_CYCLE = {
    "box": 16.0,
    "4-7-8": 19.0,
    "coherent": 10.0,
    "resonance": 11.0,
    "extended-exhale": 10.0,
    "cyclic-sigh": 9.0,
}
HOLDS = {"hold", "hold-out"}
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def routine_files() -> list[Path]:
    return sorted(p for p in ROUTINES_DIR.glob("*.json") if not p.name.endswith(".schema.json"))


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


ROUTINES: list[tuple[Path, dict[str, Any]]] = [(p, load(p)) for p in routine_files()]
IDS = [p.stem for p, _ in ROUTINES]


def cautions_text(routine: dict[str, Any]) -> str:
    return " ".join(routine.get("cautions", [])).lower()


def has_breathing(routine: dict[str, Any]) -> bool:
    return "breath" in routine["areas"] or any(s["type"] == "breathing" for s in routine["steps"])


def phases(pattern: str | dict[str, Any]) -> list[dict[str, Any]]:
    if isinstance(pattern, dict):
        return pattern["phases"]
    if pattern == "box":
        return [{"breath": b, "seconds": 4} for b in ("inhale", "hold", "exhale", "hold-out")]
    if pattern == "4-7-8":
        return [
            {"breath": "inhale", "seconds": 4},
            {"breath": "hold", "seconds": 7},
            {"breath": "exhale", "seconds": 8},
        ]
    return []  # the other presets have no holds


def cycle_seconds(pattern: str | dict[str, Any]) -> float:
    if isinstance(pattern, dict):
        return sum(p["seconds"] for p in pattern["phases"])
    return PRESET_CYCLE[pattern]


def step_seconds(step: dict[str, Any]) -> float:
    if step["type"] == "breathing":
        cycle = cycle_seconds(step["pattern"])
        cycles = step.get("cycles") or max(1, round(step["seconds"] / cycle))
        return cycles * cycle
    return step["seconds"] * (2 if step.get("side") == "each" else 1)


def total_seconds(routine: dict[str, Any]) -> float:
    return sum(step_seconds(s) for s in routine["steps"])


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in strings(k) + strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def test_enough_routines() -> None:
    assert len(ROUTINES) >= 13, IDS


@pytest.mark.parametrize(("path", "routine"), ROUTINES, ids=IDS)
def test_header(path: Path, routine: dict[str, Any]) -> None:
    assert routine["$schema"] == "./routine.schema.json"
    assert routine["format"] == 1
    assert routine["id"] == path.stem
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]{1,63}", routine["id"])
    assert routine["title"].strip()
    # One sentence: ends with a full stop and has no sentence break inside.
    assert routine["summary"].endswith(".")
    assert ". " not in routine["summary"]
    assert routine["author"]["name"] and routine["author"]["role"]
    assert isinstance(routine["equipment"], list)


@pytest.mark.parametrize(("path", "routine"), ROUTINES, ids=IDS)
def test_text_is_plain(path: Path, routine: dict[str, Any]) -> None:
    for text in strings(routine):
        assert not CONTROL.search(text), text
        assert text == text.strip(), text
        assert not re.search(r"\[/?[a-z ]+\]", text), f"looks like markup: {text}"


@pytest.mark.parametrize(("path", "routine"), ROUTINES, ids=IDS)
def test_areas_match_steps(path: Path, routine: dict[str, Any]) -> None:
    areas = set(routine["areas"])
    assert areas and areas <= AREAS
    step_areas = {s["area"] for s in routine["steps"] if "area" in s}
    assert step_areas <= AREAS
    assert step_areas <= areas, "a step works an area the routine does not list"
    unused = areas - step_areas - {"breath"}
    assert not unused, f"listed but never worked: {unused}"
    if "breath" in areas:
        assert any(s["type"] == "breathing" for s in routine["steps"])


@pytest.mark.parametrize(("path", "routine"), ROUTINES, ids=IDS)
def test_steps_are_complete(path: Path, routine: dict[str, Any]) -> None:
    for step in routine["steps"]:
        assert step["title"].strip()
        kind = step["type"]
        assert kind in {"massage", "stretch", "breathing", "rest"}
        if kind != "rest":
            assert step["instruction"].strip(), step["title"]
        if kind in {"massage", "stretch"}:
            assert 5 <= step["seconds"] <= 1800
            assert step["side"] in {"left", "right", "both", "each"}
            assert step["technique"].strip()
        if kind == "massage":
            assert step["pressure"] in {"light", "medium", "firm"}
        if kind == "stretch":
            assert "pressure" not in step
        if kind == "breathing":
            assert ("cycles" in step) != ("seconds" in step), step["title"]
            pattern = step["pattern"]
            assert isinstance(pattern, dict) or pattern in PRESET_CYCLE
        if kind == "rest":
            assert 5 <= step["seconds"] <= 1800


@pytest.mark.parametrize(("path", "routine"), ROUTINES, ids=IDS)
def test_realistic_length(path: Path, routine: dict[str, Any]) -> None:
    minutes = total_seconds(routine) / 60
    assert 2 <= minutes <= 10, f"{minutes:.1f} min"


@pytest.mark.parametrize(("path", "routine"), ROUTINES, ids=IDS)
def test_firmer_massage_has_gentler(path: Path, routine: dict[str, Any]) -> None:
    for step in routine["steps"]:
        if step["type"] == "massage" and step["pressure"] in {"medium", "firm"}:
            assert step.get("gentler", "").strip(), step["title"]


@pytest.mark.parametrize(("path", "routine"), ROUTINES, ids=IDS)
def test_has_cautions(path: Path, routine: dict[str, Any]) -> None:
    assert routine["cautions"]
    assert all(c.strip() for c in routine["cautions"])


@pytest.mark.parametrize(("path", "routine"), ROUTINES, ids=IDS)
def test_massage_caps_pressure_or_warns(path: Path, routine: dict[str, Any]) -> None:
    # Any routine with firm work must tell the person when to stop or how hard is enough.
    if any(s.get("pressure") == "firm" for s in routine["steps"]):
        text = cautions_text(routine)
        assert "6 out of 10" in text or "stop" in text


def touches_neck(routine: dict[str, Any]) -> bool:
    return "neck" in routine["areas"] or any(s.get("area") == "neck" for s in routine["steps"])


def breath_holds(routine: dict[str, Any]) -> bool:
    return any(
        p["breath"] in HOLDS
        for s in routine["steps"]
        if s["type"] == "breathing"
        for p in phases(s["pattern"])
    )


def subset(keep: Any) -> list[Any]:
    """The routines `keep` selects, as pytest params named by id."""
    return [pytest.param(p, r, id=p.stem) for p, r in ROUTINES if keep(r)]


def test_subsets_are_not_empty() -> None:
    # Guards the filtered tests below against silently checking nothing.
    assert subset(touches_neck) and subset(has_breathing) and subset(breath_holds)


@pytest.mark.parametrize(("path", "routine"), subset(touches_neck))
def test_neck_routines_warn_about_front_and_sides(path: Path, routine: dict[str, Any]) -> None:
    assert any(
        re.search(r"front (or|and) sides? of the neck", c.lower()) and "never" in c.lower()
        for c in routine["cautions"]
    ), "a neck routine must say never to press on the front or sides of the neck"


@pytest.mark.parametrize(("path", "routine"), subset(has_breathing))
def test_breathing_safety_copy(path: Path, routine: dict[str, Any]) -> None:
    text = cautions_text(routine)
    assert "dizz" in text
    if "breath" in routine["areas"]:
        assert "sitting" in text or "sit " in text
    if routine["areas"] == ["breath"]:
        assert "driving" in text and "water" in text


@pytest.mark.parametrize(("path", "routine"), subset(breath_holds))
def test_breath_holds_are_optional_for_those_at_risk(path: Path, routine: dict[str, Any]) -> None:
    text = cautions_text(routine)
    for condition in ("pregnan", "heart", "lung", "epilepsy", "panic"):
        assert condition in text
    assert "optional" in text or "leave" in text


def test_required_areas_are_covered() -> None:
    covered = {area for _, r in ROUTINES for area in r["areas"]}
    needed = {"neck", "head", "jaw", "forearms-hands", "lower-back", "feet", "face", "breath"}
    assert needed <= covered, needed - covered


def ball_routine_for(area: str) -> bool:
    return any(area in r["areas"] and any("ball" in e.lower() for e in r["equipment"]) for _, r in ROUTINES)


def test_ball_routines_for_upper_and_lower_back() -> None:
    assert ball_routine_for("upper-back") or ball_routine_for("shoulders")
    assert ball_routine_for("lower-back")


def test_required_breathing_patterns() -> None:
    patterns = {
        s["pattern"]
        for _, r in ROUTINES
        for s in r["steps"]
        if s["type"] == "breathing" and isinstance(s["pattern"], str)
    }
    assert {"cyclic-sigh", "box", "4-7-8"} <= patterns
    assert patterns & {"coherent", "resonance"}


def test_cyclic_sighing_is_the_five_minute_dose() -> None:
    # Balban et al. 2023: five minutes a day.
    doses = [
        step_seconds(s)
        for _, r in ROUTINES
        for s in r["steps"]
        if s["type"] == "breathing" and s["pattern"] == "cyclic-sigh"
    ]
    assert any(math.isclose(d, 300, abs_tol=10) for d in doses), doses


def test_478_keeps_to_four_cycles_while_learning() -> None:
    cycles = [
        s["cycles"]
        for _, r in ROUTINES
        for s in r["steps"]
        if s["type"] == "breathing" and s["pattern"] == "4-7-8"
    ]
    assert cycles and all(c <= 4 for c in cycles)


def test_ids_are_unique() -> None:
    ids = [r["id"] for _, r in ROUTINES]
    assert len(ids) == len(set(ids))


def test_validates_against_published_schema() -> None:
    import jsonschema  # a dev dependency

    schema_path = ROUTINES_DIR / "routine.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for path, routine in ROUTINES:
        errors = [e.message for e in validator.iter_errors(routine)]
        assert not errors, f"{path.name}: {errors}"
