"""A preset breathing pattern is printed with its counts, in the words a custom pattern
gets (a therapist tester's finding: "breathing: box, 4 breaths" told a client on paper
nothing about how long to breathe in)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach.breathing import PRESETS, pattern_words
from coach.library import read_routine_file, routine_detail
from coach.report.handout import HandoutRoutine, routine_handout
from tests.helpers.command import ROOT


def test_one_wording_for_presets_and_custom_patterns() -> None:
    assert pattern_words(PRESETS["box"], "box") == "box: inhale 4 s, hold 4 s, exhale 4 s, hold-out 4 s"
    assert pattern_words(PRESETS["resonance"], "resonance") == "resonance: inhale 5.5 s, exhale 5.5 s"
    assert pattern_words((("inhale", 4), ("exhale", 6))) == "inhale 4 s, exhale 6 s"


def test_the_handout_and_the_detail_give_a_presets_counts_and_its_gentler_ones() -> None:
    detail = routine_detail(read_routine_file(ROOT / "routines" / "box-breathing.json"))
    box = next(s for s in detail["steps"] if (s["pattern_name"] or "").startswith("box"))
    assert box["pattern_name"] == "box: inhale 4 s, hold 4 s, exhale 4 s, hold-out 4 s"
    assert box["gentler_pattern"] == "extended-exhale: inhale 4 s, exhale 6 s"
    page = routine_handout(HandoutRoutine("box-breathing", detail))
    assert (
        f"breathing · box: inhale 4 s, hold 4 s, exhale 4 s, hold-out 4 s · {box['cycles']} breaths" in page
    )
    assert "<em>If it is too much:</em> extended-exhale: inhale 4 s, exhale 6 s. " in page


@pytest.mark.usefixtures("coach_home")
def test_show_prints_a_presets_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from coach.cli import main

    doc = {"format": 1, "id": "four-seven-eight", "title": "4-7-8",
           "steps": [{"type": "breathing", "title": "Breathe", "pattern": "4-7-8", "cycles": 4}]}  # fmt: skip
    path = tmp_path / "r.json"
    path.write_text(json.dumps(doc), "utf-8")
    assert main(["show", str(path)]) == 0
    assert "[breathing, 4-7-8: inhale 4 s, hold 7 s, exhale 8 s, 4 cycles]" in capsys.readouterr().out
