"""The chest-and-upper-back routine's cautions speak of what it does (issue 16): it uses a
doorway, a chair and the flat fingers, never a ball, so its cautions never mention one, and
the screening a therapist gives for bleeding and weak bones (Mayo Clinic, NCCIH, as
shared/research/domain.md §3.1 cites them) is worded for its one massage step."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

PATH = Path(__file__).resolve().parents[2] / "routines" / "chest-and-upper-back.json"


@pytest.fixture(scope="module")
def routine() -> dict[str, Any]:
    return json.loads(PATH.read_text(encoding="utf-8"))


def test_the_routine_uses_no_ball(routine: dict[str, Any]) -> None:
    # The premise of the wording below: if a ball step is ever added, the cautions change too.
    texts = [*routine["equipment"], *(s.get("instruction", "") for s in routine["steps"])]
    assert not any("ball" in text.lower() for text in texts)


def test_no_caution_mentions_a_ball(routine: dict[str, Any]) -> None:
    for text in (*routine["cautions"], *routine["stop_if"]):
        assert "ball" not in text.lower(), text


def test_the_bleeding_caution_screens_and_lightens_the_chest_massage(routine: dict[str, Any]) -> None:
    (caution,) = [c for c in routine["cautions"] if "blood-thinning" in c]
    lowered = caution.lower()
    assert "bleeding disorder" in lowered and "doctor" in lowered
    # The one massage step, and the pressure to keep to there (no forceful pressure: NCCIH).
    assert "chest massage" in lowered and "light pressure" in lowered
    assert "bruise" in lowered


def test_the_osteoporosis_caution_names_the_chest_massage(routine: dict[str, Any]) -> None:
    (caution,) = [c for c in routine["cautions"] if "osteoporosis" in c]
    lowered = caution.lower()
    assert "doctor" in lowered and "chest massage" in lowered and "light pressure" in lowered


def test_the_screening_keeps_its_source(routine: dict[str, Any]) -> None:
    sources = " ".join(routine["x-sources"])
    assert "Mayo Clinic" in sources and "NCCIH" in sources
