"""No built-in routine's safety text talks about equipment the routine does not use (issue 16).

A caution copied from a ball routine ("firm pressure and ball work can bruise") into a
routine done with the hands tells the reader to worry about something they will not do,
and says nothing about what they will do. So every routine's `cautions`, `stop_if` and
`gentler` texts may name a ball, a roller or a massage tool only if the routine's
`equipment` or its steps (title, instruction, technique) use one. A gentler text may still
offer a softer version of equipment the routine uses ("a softer ball").

The files are read with plain `json`, as in test_builtin_content.py, so the check does not
depend on the models.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROUTINES_DIR = Path(__file__).resolve().parents[2] / "routines"

# Each kind of equipment and the words that name it. "Ball of the foot" or "of the thumb"
# is anatomy, not equipment; `\b` keeps "eyeballs" out.
EQUIPMENT: dict[str, re.Pattern[str]] = {
    "ball": re.compile(r"\bballs?\b(?! of (the|your) (foot|feet|thumb|thumbs|hand|hands))", re.IGNORECASE),
    "roller": re.compile(r"\b(foam[- ]?)?rollers?\b|\bfoam[- ]?roll", re.IGNORECASE),
    "tool": re.compile(r"\btools?\b|\bmassage (stick|gun|cane)s?\b|\btheracane\b", re.IGNORECASE),
}


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


ROUTINES = [
    pytest.param(load(p), id=p.stem)
    for p in sorted(ROUTINES_DIR.glob("*.json"))
    if not p.name.endswith(".schema.json")
]


def strings(value: Any) -> Iterator[str]:
    """Every string inside `value` (a breathing step's `gentler` is an object)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def safety_texts(routine: dict[str, Any]) -> list[str]:
    """The cautions, the stop-if red flags and every step's gentler version."""
    gentler = [text for step in routine["steps"] for text in strings(step.get("gentler"))]
    return [*routine.get("cautions", []), *routine.get("stop_if", []), *gentler]


def use_texts(routine: dict[str, Any]) -> list[str]:
    """What says the routine uses a thing: its equipment list and what its steps tell you to do."""
    steps = [
        text
        for step in routine["steps"]
        for text in (step.get("title", ""), step.get("instruction", ""), step.get("technique", ""))
        if isinstance(text, str)
    ]
    return [*routine.get("equipment", []), *steps]


def unused_equipment_mentions(routine: dict[str, Any]) -> list[tuple[str, str]]:
    """(kind, text) for each safety text that names equipment the routine does not use."""
    used = {kind for kind, words in EQUIPMENT.items() if any(words.search(t) for t in use_texts(routine))}
    return [
        (kind, text)
        for text in safety_texts(routine)
        for kind, words in EQUIPMENT.items()
        if kind not in used and words.search(text)
    ]


def test_the_old_copied_caution_is_caught() -> None:
    # The text issue 16 is about, in a routine done with the hands only.
    routine = {
        "equipment": [],
        "cautions": [
            "If you take blood-thinning medicine or have a bleeding disorder, ask your doctor "
            "first and keep to light pressure: firm pressure and ball work can bruise."
        ],
        "stop_if": ["Foam-roller work will not help."],
        "steps": [
            {
                "title": "Thumb web",
                "instruction": "Pinch the web with the other thumb.",
                "gentler": "Use a tool.",
            }
        ],
    }
    assert [kind for kind, _ in unused_equipment_mentions(routine)] == ["ball", "roller", "tool"]


def test_equipment_the_routine_uses_may_be_named() -> None:
    routine = {
        "equipment": ["tennis ball"],
        "cautions": ["Firm pressure and ball work can bruise."],
        "stop_if": ["Sharp pain in the ball of the foot: see a clinician."],
        "steps": [{"title": "Roll", "instruction": "Roll the foot.", "gentler": "Use a softer ball."}],
    }
    assert unused_equipment_mentions(routine) == []


@pytest.mark.parametrize(
    "text",
    [
        "Never press on the eyeballs.",
        "Roll from the heel to the ball of the foot.",
        "Circles over the ball of the thumb.",
    ],
)
def test_anatomy_is_not_equipment(text: str) -> None:
    routine = {"equipment": [], "cautions": [text], "stop_if": [], "steps": []}
    assert unused_equipment_mentions(routine) == []


def test_every_routine_is_checked() -> None:
    # Guards the test below against silently checking nothing.
    assert len(ROUTINES) >= 29


@pytest.mark.parametrize("routine", ROUTINES)
def test_safety_text_names_only_equipment_the_routine_uses(routine: dict[str, Any]) -> None:
    assert unused_equipment_mentions(routine) == []
