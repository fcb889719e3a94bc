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
    "eyes",
    "whole-body",
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


# Each preset's phases as DESIGN defines them (the files are read without the models).
PRESET_PHASES: dict[str, list[tuple[str, float]]] = {
    "box": [("inhale", 4), ("hold", 4), ("exhale", 4), ("hold-out", 4)],
    "4-7-8": [("inhale", 4), ("hold", 7), ("exhale", 8)],
    "coherent": [("inhale", 5), ("exhale", 5)],
    "resonance": [("inhale", 5.5), ("exhale", 5.5)],
    "extended-exhale": [("inhale", 4), ("exhale", 6)],
    "cyclic-sigh": [("inhale", 2), ("top-up", 1), ("exhale", 6)],
}


def phases(pattern: str | dict[str, Any]) -> list[dict[str, Any]]:
    if isinstance(pattern, dict):
        return pattern["phases"]
    return [{"breath": b, "seconds": s} for b, s in PRESET_PHASES[pattern]]


def cycle_seconds(pattern: str | dict[str, Any]) -> float:
    if isinstance(pattern, dict):
        return sum(p["seconds"] for p in pattern["phases"])
    return PRESET_CYCLE[pattern]


def step_seconds(step: dict[str, Any]) -> float:
    if step["type"] == "breathing":
        cycle = cycle_seconds(step["pattern"])
        cycles = step.get("cycles") or max(1, round(step["seconds"] / cycle))
        return cycles * cycle
    if "reps" in step:
        reps = step["reps"]
        per_side = reps["count"] * (reps["hold"] + reps["release"])
    else:
        per_side = step["seconds"]
    return per_side * (2 if step.get("side") == "each" else 1)


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
    unused = areas - step_areas - {"breath", "whole-body"}
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
            assert ("seconds" in step) != ("reps" in step), step["title"]
            assert 5 <= step_seconds(step) <= 1800 * (2 if step.get("side") == "each" else 1)
            if "reps" in step:
                reps = step["reps"]
                assert 1 <= reps["count"] <= 30 and 1 <= reps["hold"] <= 120 and 1 <= reps["release"] <= 120
                # Counted holds are cued, so the words must say what each cue means.
                assert "hold cue" in step["instruction"] and "release cue" in step["instruction"]
            # No side on a midline or whole-body step (review X5.3): then no side word is shown.
            assert step.get("side", "none") in {"left", "right", "both", "each", "none"}
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
    # From a one-minute reset (three sighs; a 20-20-20 eye break) to a ten-minute wind-down.
    minutes = total_seconds(routine) / 60
    assert 1 <= minutes <= 10, f"{minutes:.1f} min"


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
    assert {"box", "4-7-8"} <= patterns
    assert patterns & {"coherent", "resonance"}
    # Cyclic sighing runs at the research pace, so its phases are spelled out (see below).
    assert any(s["type"] == "breathing" and is_sigh(s["pattern"]) for _, r in ROUTINES for s in r["steps"])


def is_sigh(pattern: str | dict[str, Any]) -> bool:
    return any(p["breath"] == "top-up" for p in phases(pattern))


def test_cyclic_sighing_is_the_five_minute_dose() -> None:
    # Balban et al. 2023: five minutes a day.
    doses = [
        step_seconds(s)
        for _, r in ROUTINES
        for s in r["steps"]
        if s["type"] == "breathing" and is_sigh(s["pattern"])
    ]
    assert any(math.isclose(d, 300, abs_tol=10) for d in doses), doses


def test_478_keeps_to_four_cycles_while_learning_and_eight_at_most() -> None:
    # Weil: four breaths for the first month, never more than eight.
    by_id = {r["id"]: r for _, r in ROUTINES}
    cycles = {
        rid: [s["cycles"] for s in r["steps"] if s["type"] == "breathing" and s["pattern"] == "4-7-8"]
        for rid, r in by_id.items()
    }
    assert cycles["breathing-4-7-8"] and all(c <= 4 for c in cycles["breathing-4-7-8"])
    assert all(c <= 8 for counts in cycles.values() for c in counts)
    for rid, counts in cycles.items():
        if any(c > 4 for c in counts):
            assert "month" in cautions_text(by_id[rid]) or "month" in by_id[rid]["summary"], rid


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


# --- issue 16: a therapist-grade library -------------------------------------------------


def stop_text(routine: dict[str, Any]) -> str:
    return " ".join(routine.get("stop_if", [])).lower()


def all_steps_text(routine: dict[str, Any]) -> list[str]:
    return [s.get("instruction", "") for s in routine["steps"]]


@pytest.mark.parametrize(("path", "routine"), ROUTINES, ids=IDS)
def test_red_flags_are_kept_apart_from_technique(path: Path, routine: dict[str, Any]) -> None:
    # Cautions are the technique rules; stop_if holds the red flags (content review X2).
    assert routine["stop_if"] and all(flag.strip() for flag in routine["stop_if"])
    for caution in routine["cautions"]:
        lowered = caution.lower()
        assert "emergency" not in lowered, f"a red flag among the cautions: {caution}"
        assert "urgent" not in lowered, f"a red flag among the cautions: {caution}"


@pytest.mark.parametrize(("path", "routine"), ROUTINES, ids=IDS)
def test_sources_are_named(path: Path, routine: dict[str, Any]) -> None:
    sources = routine.get("x-sources", [])
    assert sources and all(s.strip() for s in sources)


def firm_or_ball(routine: dict[str, Any]) -> bool:
    firm = any(s.get("pressure") == "firm" for s in routine["steps"])
    ball = any("ball" in e.lower() for e in routine["equipment"]) or any(
        "ball" in s.get("instruction", "").lower() and s["type"] == "massage" for s in routine["steps"]
    )
    return firm or ball


@pytest.mark.parametrize(("path", "routine"), subset(firm_or_ball))
def test_firm_or_ball_work_has_the_bleeding_caution(path: Path, routine: dict[str, Any]) -> None:
    # Mayo Clinic, NCCIH: bleeding disorders and blood thinners rule out forceful pressure.
    text = cautions_text(routine)
    assert "blood-thinning" in text and "bleeding disorder" in text


# Areas where pain can be the heart's (Norton Healthcare, Beaumont Health): the jaw, the neck,
# between the shoulder blades, the chest, the (left) arm and shoulder.
HEART_AREAS = {"upper-back", "jaw", "neck", "chest", "arms", "shoulders"}


def works_heart_area(routine: dict[str, Any]) -> bool:
    return any(s.get("area") in HEART_AREAS for s in routine["steps"] if s["type"] in {"massage", "stretch"})


@pytest.mark.parametrize(("path", "routine"), subset(works_heart_area))
def test_heart_pain_is_a_red_flag(path: Path, routine: dict[str, Any]) -> None:
    text = stop_text(routine)
    assert "heart" in text and "emergency" in text and "breathless" in text


# Words that send pressure to the front or sides of the neck or the hollow above the
# collarbone. Reviewed by hand against ABMP (Werner) endangerment sites and domain.md §3.1:
# a sentence naming one of these places must be a prohibition ("never", "not", "away from").
NECK_DANGER = re.compile(
    r"front of (the|your) neck|sides? of (the|your) neck|throat|windpipe|adam's apple"
    r"|above (the|your) collarbone|hollow|carotid|pulse|under (the|your) jaw"
    r"|below (the|your) ear|behind (the|your) ear|angle of the jaw.*down"
)
NEGATION = re.compile(r"\b(never|not|no|away from|out of|stop before|stay at the back)\b")


def neck_step_texts() -> list[Any]:
    return [
        pytest.param(text, id=f"{r['id']}:{s['title']}")
        for _, r in ROUTINES
        for s in r["steps"]
        if s.get("area") in {"neck", "shoulders"}
        for text in (s.get("instruction", ""), s.get("gentler", ""))
        if isinstance(text, str) and text
    ]


def test_neck_word_list_catches_what_it_should() -> None:
    bad = "Press your fingertips into the hollow above the collarbone and along the side of the neck."
    good = "Press down or back, never forward into the hollow above the collarbone."
    assert any(NECK_DANGER.search(s) and not NEGATION.search(s) for s in sentences(bad))
    assert not any(NECK_DANGER.search(s) and not NEGATION.search(s) for s in sentences(good))


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.:;])\s+", text.lower()) if s]


@pytest.mark.parametrize("text", neck_step_texts())
def test_neck_steps_never_send_pressure_to_the_front_or_sides(text: str) -> None:
    for sentence in sentences(text):
        if NECK_DANGER.search(sentence):
            assert NEGATION.search(sentence), sentence


def test_every_home_concern_leads_to_two_routines() -> None:
    from types import SimpleNamespace

    from coach.intake import CONCERNS, fit

    listed = [
        SimpleNamespace(
            id=r["id"], title=r["title"], summary=r["summary"], seconds=total_seconds(r),
            areas=r["areas"], kinds=sorted({s["type"] for s in r["steps"]}), tags=r["tags"],
        )
        for _, r in ROUTINES
    ]  # fmt: skip
    for concern in CONCERNS:
        hits = [r.id for r in listed if fit(r, [concern.key]) > 0]
        assert len(hits) >= 2, f"{concern.label}: {hits}"


# Research ranges (domain.md §2.1-2.3): slow breathing without holds sits in the adult
# resonance range, 4.5-6.5 breaths a minute (Shaffer & Meehan 2020; NHS 5/5 and coherent 6;
# cyclic sighing's default 3+1 in, 8 out is 5); the exhale is never shorter than the inhale.
# Box keeps equal sides of 3-5 s (Balban: equal phases; 4 s by convention; levels 3/4/5).
# 4-7-8 keeps Weil's ratio. Cyclic sighing's exhale is about twice the two inhales (Spiegel).
SLOW_RANGE = (4.5, 6.5)


def pace_problems(pattern: str | dict[str, Any]) -> list[str]:
    ph = [(p["breath"], p["seconds"]) for p in phases(pattern)]
    breaths = [b for b, _ in ph]
    total = sum(s for _, s in ph)
    inhale = sum(s for b, s in ph if b in {"inhale", "top-up"})
    exhale = sum(s for b, s in ph if b == "exhale")
    problems = []
    if breaths == ["exhale"]:
        return [] if ph[0][1] <= 10 else ["a single emptying breath longer than 10 s"]
    if exhale < inhale and "top-up" not in breaths:
        problems.append("exhale shorter than inhale")
    holds = [s for b, s in ph if b in HOLDS]
    if not holds:
        rate = 60 / total
        if not SLOW_RANGE[0] <= rate <= SLOW_RANGE[1]:
            problems.append(f"{rate:.2f} breaths a minute, outside {SLOW_RANGE}")
        if "top-up" in breaths and not 1.5 <= exhale / inhale <= 2.5:
            problems.append(f"sigh exhale {exhale} s is not about twice the inhales {inhale} s")
    elif breaths == ["inhale", "hold", "exhale", "hold-out"]:
        sides = {s for _, s in ph}
        if len(sides) != 1 or not 3 <= sides.pop() <= 5:
            problems.append("box sides must be equal, 3-5 s")
    elif breaths == ["inhale", "hold", "exhale"]:
        if [s / ph[0][1] * 4 for _, s in ph] != [4, 7, 8]:
            problems.append("4-7-8 must keep the 4:7:8 ratio")
    else:
        problems.append(f"an unreviewed pattern with holds: {breaths}")
    return problems


def breathing_patterns() -> list[Any]:
    found = []
    for _, r in ROUTINES:
        for s in r["steps"]:
            if s["type"] != "breathing":
                continue
            found.append(pytest.param(s["pattern"], id=f"{r['id']}:{s['title']}"))
            if isinstance(s.get("gentler"), dict):
                found.append(pytest.param(s["gentler"]["pattern"], id=f"{r['id']}:{s['title']}:gentler"))
    return found


@pytest.mark.parametrize("pattern", breathing_patterns())
def test_breathing_pace_is_within_research_ranges(pattern: str | dict[str, Any]) -> None:
    assert not pace_problems(pattern)


def test_pace_check_rejects_the_old_sigh_pace() -> None:
    # The preset's 2+1 in, 6 out is 6.7 a minute: faster than the research default.
    assert pace_problems("cyclic-sigh")
    assert pace_problems({"phases": [{"breath": "inhale", "seconds": 6}, {"breath": "exhale", "seconds": 2}]})


def test_breathing_gentler_versions_have_no_holds() -> None:
    gentler = [s["gentler"] for _, r in ROUTINES for s in r["steps"] if isinstance(s.get("gentler"), dict)]
    assert gentler
    for g in gentler:
        assert not any(p["breath"] in HOLDS for p in phases(g["pattern"])), g
        assert g["text"].strip()


@pytest.mark.parametrize(("path", "routine"), subset(breath_holds))
def test_holds_can_be_left_out_in_the_app(path: Path, routine: dict[str, Any]) -> None:
    # "Optional" holds need a way to drop them: every step with holds has a no-hold gentler.
    for s in routine["steps"]:
        if s["type"] == "breathing" and any(p["breath"] in HOLDS for p in phases(s["pattern"])):
            assert isinstance(s.get("gentler"), dict), s["title"]


NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10}  # fmt: skip


@pytest.mark.parametrize(("path", "routine"), ROUTINES, ids=IDS)
def test_a_title_that_names_a_length_tells_the_truth(path: Path, routine: dict[str, Any]) -> None:
    words = "|".join(NUMBER_WORDS)
    match = re.search(rf"\b(\d+|{words})[- ]minutes?\b", routine["title"].lower())
    if match:
        minutes = NUMBER_WORDS.get(match.group(1)) or int(match.group(1))
        assert abs(total_seconds(routine) - 60 * minutes) <= 5, total_seconds(routine)


def test_new_regions_are_covered() -> None:
    covered = {area for _, r in ROUTINES for area in r["areas"]}
    assert {"hips", "legs", "chest", "eyes", "whole-body", "upper-back"} <= covered


def works_calves(routine: dict[str, Any]) -> bool:
    return any(
        s.get("area") == "legs" and (s["type"] == "massage" or "calf" in s.get("technique", ""))
        for s in routine["steps"]
    )


@pytest.mark.parametrize(("path", "routine"), subset(works_calves))
def test_calf_work_carries_the_clot_and_vein_rules(path: Path, routine: dict[str, Any]) -> None:
    # UCLH DVT page; domain.md §3.1: never behind the knee or over varicose veins.
    assert "clot" in stop_text(routine)
    text = cautions_text(routine)
    assert "behind the knee" in text and "varicose" in text


@pytest.mark.parametrize(
    ("path", "routine"), subset(lambda r: {"floor", "wall", "eyes-closed", "lying"} & set(r["tags"]))
)
def test_routines_away_from_the_screen_say_what_the_cues_mean(path: Path, routine: dict[str, Any]) -> None:
    text = cautions_text(routine)
    assert "cue" in text or "bell" in text or "tone" in text


def has_massage(routine: dict[str, Any]) -> bool:
    return any(s["type"] == "massage" for s in routine["steps"])


@pytest.mark.parametrize(("path", "routine"), subset(has_massage))
def test_pressure_is_explained_in_the_same_words_everywhere(path: Path, routine: dict[str, Any]) -> None:
    # DESIGN: light, medium and firm on a comfort scale, never past "strong but easy to breathe
    # through"; the first-run note uses the very same sentence.
    from coach.safety_note import PRESSURE

    assert any(c.startswith(PRESSURE) for c in routine["cautions"])
    for text in strings(routine):
        assert "out of 10" not in text, "a 0-10 pressure number collides with the stress rating"


# --- issue 15: lengths and counts that stay true ------------------------------------------------

# A length, not a frequency: "every 20 minutes" names no length.
MINUTES_NAMED = re.compile(rf"(?<!every )\b(\d+|{'|'.join(NUMBER_WORDS)})[- ]minutes?\b")


@pytest.mark.parametrize(("path", "routine"), ROUTINES, ids=IDS)
def test_minutes_named_in_title_or_summary_are_the_length(path: Path, routine: dict[str, Any]) -> None:
    # "Five minutes of ..." must be what the list shows ("about 5 min", coach.text).
    from coach.text import length_minutes

    for text in (routine["title"], routine.get("summary") or ""):
        for match in MINUTES_NAMED.finditer(text.lower()):
            named = NUMBER_WORDS.get(match.group(1)) or int(match.group(1))
            assert named == length_minutes(total_seconds(routine)), (text, total_seconds(routine))


def test_the_minutes_check_catches_a_wrong_summary() -> None:
    # The tester's find: cyclic sighing at 5:35 ("about 6 min") said "Five minutes".
    from coach.text import length_minutes

    assert MINUTES_NAMED.search("five minutes of double in-breaths")
    assert length_minutes(335) != 5


NUMBER_IN_TITLE = re.compile(
    rf"\b({'|'.join(NUMBER_WORDS)}|twenty|thirty)\b|\d", re.IGNORECASE)  # fmt: skip


@pytest.mark.parametrize(("path", "routine"), ROUTINES, ids=IDS)
def test_a_step_title_with_a_number_is_not_scaled(path: Path, routine: dict[str, Any]) -> None:
    # "Eight 4-7-8 breaths, 5 breaths" at 2 min: a number in a title is a dose, kept as written.
    for step in routine["steps"]:
        if NUMBER_IN_TITLE.search(step["title"].lower().replace("figure-four", "")):  # a name
            assert step.get("scalable") is False, step["title"]


def test_prescribed_doses_are_not_scaled() -> None:
    # Weil's four (and at most eight) 4-7-8 breaths, Spiegel's three sighs, the 20 seconds of
    # 20-20-20 (content-review.md): the count or length is the prescription.
    by_id = {r["id"]: r for _, r in ROUTINES}
    for rid, r in by_id.items():
        for step in r["steps"]:
            if step["type"] == "breathing" and step["pattern"] == "4-7-8":
                assert step.get("scalable") is False, rid
    sighs = next(s for s in by_id["three-sigh-reset"]["steps"] if s["type"] == "breathing")
    assert sighs.get("scalable") is False and sighs["cycles"] == 3
    opening = next(s for s in by_id["jaw-release"]["steps"] if s["title"] == "Gentle opening")
    assert opening.get("scalable") is False  # TMD leaflets: a few slow openings, not thirty
    for rid in ("eye-strain-break", "eyes-and-face"):
        look = by_id[rid]["steps"][0]
        assert look["seconds"] == 20 and look.get("scalable") is False, rid


@pytest.mark.parametrize(("path", "routine"), ROUTINES, ids=IDS)
def test_both_sides_only_for_massage(path: Path, routine: dict[str, Any]) -> None:
    # Review X5.3: "Chin tucks, both sides" is confusing; a midline or whole-body step has
    # no side, and "both" stays only for massage of paired muscles (both hands at once).
    for step in routine["steps"]:
        if step.get("side") == "both":
            assert step["type"] == "massage", step["title"]


PROGRESSION = re.compile(r"\b(deeper|another day|more pressure|further|harder|feels easy)\b", re.IGNORECASE)


@pytest.mark.parametrize(("path", "routine"), ROUTINES, ids=IDS)
def test_gentler_never_makes_a_step_harder(path: Path, routine: dict[str, Any]) -> None:
    # A progression belongs in the instruction or nowhere: `g` must only ever ease off.
    for step in routine["steps"]:
        gentler = step.get("gentler")
        text = gentler if isinstance(gentler, str) else (gentler or {}).get("text", "")
        assert not PROGRESSION.search(text), (step["title"], text)


def test_the_progression_check_catches_the_old_neck_text() -> None:
    old = ("Drop your chin only half as far. If it feels easy on another day, you may rest "
           "the weight of your hands on the back of your head; never pull.")
    assert PROGRESSION.search(old)


@pytest.mark.parametrize(("path", "routine"), ROUTINES, ids=IDS)
def test_a_medium_step_does_not_ask_for_firm_pressure(path: Path, routine: dict[str, Any]) -> None:
    # shoulder-blades-ball said "firm but comfortable" on a step labelled medium.
    for step in routine["steps"]:
        if step["type"] == "massage" and step.get("pressure", "medium") != "firm":
            # "firm under your fingers" (a clenched muscle) asks for no pressure.
            assert not re.search(r"\bfirm(er)?\b(?! under)", step["instruction"].lower()), step["title"]


@pytest.mark.parametrize(("path", "routine"), ROUTINES, ids=IDS)
def test_red_flags_without_massage_name_no_massage(path: Path, routine: dict[str, Any]) -> None:
    # neck-mobility (movements only) said "see a doctor before self-massage".
    if not any(s["type"] == "massage" for s in routine["steps"]):
        assert "self-massage" not in stop_text(routine), routine["id"]
