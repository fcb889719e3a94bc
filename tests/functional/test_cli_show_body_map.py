"""`coach show` draws one body map per distinct area and side of the massage and stretch
steps, side by side across the terminal's width, each captioned with its steps; nothing
for breathing and rest."""

from __future__ import annotations

import json
from pathlib import Path

from coach.bodymap import render
from tests.helpers.command import RunCoach

HEADER = "Body map (# marks the area; R and L are the person's right and left):"


def _routine(tmp_path: Path, steps: list[dict[str, object]]) -> Path:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"format": 1, "id": "mine", "title": "Mine", "steps": steps}), "utf-8")
    return path


def _massage(area: str, side: str) -> dict[str, object]:
    return {"type": "massage", "title": f"Knead the {area}", "instruction": "Slowly.", "seconds": 30,
            "area": area, "side": side, "pressure": "light"}  # fmt: skip


def _maps(stdout: str) -> list[str]:
    lines = stdout.splitlines()
    start = lines.index(HEADER)
    assert lines[start + 1] == ""
    return lines[start + 2 :]


def test_one_map_per_area_and_side_with_the_steps_beneath(run_coach: RunCoach, tmp_path: Path) -> None:
    path = _routine(tmp_path, [
        _massage("neck", "each"),
        _massage("jaw", "left"),
        {"type": "breathing", "title": "Breathe", "pattern": "coherent", "cycles": 2},
        _massage("neck", "both"),  # each and both: the same figure, both sides marked
        {"type": "rest", "title": "Rest", "seconds": 10},
    ])  # fmt: skip
    shown = run_coach("show", str(path), env={"COLUMNS": "80"})
    assert shown.returncode == 0, shown.stderr
    neck, jaw = render("neck").lines, render("jaw", "left").lines
    figures = [(a + "   " + b).rstrip() for a, b in zip(neck, jaw, strict=True)]
    column = 16 + 3  # a figure's width and the gap
    captions = [f"{'steps 1, 4':<{column}}step 2", f"{'neck':<{column}}jaw",
                f"{'back view':<{column}}left side, front"]  # fmt: skip
    assert _maps(shown.stdout) == figures + captions
    assert "##" in figures[3] and all(line.isascii() for line in figures)

    narrow = run_coach("show", str(path), env={"COLUMNS": "30"})  # one figure a row
    assert _maps(narrow.stdout) == [
        *(line.rstrip() for line in neck), "steps 1, 4", "neck", "back view", "",
        *(line.rstrip() for line in jaw), "step 2", "jaw", "left side, front",
    ]  # fmt: skip


def test_no_map_without_massage_or_stretch_steps(run_coach: RunCoach) -> None:
    shown = run_coach("show", "box-breathing")
    assert shown.returncode == 0, shown.stderr
    assert "Body map" not in shown.stdout and shown.stdout.rstrip().splitlines()[-1].startswith("Total: ")
