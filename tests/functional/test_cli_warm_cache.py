"""`coach show` and `coach due` served from the validation cache: warm, they load neither
pydantic nor Textual, print what they printed cold, and re-check a file edited by hand."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from tests.helpers.command import ROUTINES, RunCoach
from tests.helpers.plans import BASE, OWN_ROUTINE

HEAVY = ("pydantic", "pydantic_core", "textual")


def _heavy_imports(run_coach: RunCoach, *args: str) -> tuple[str, list[str]]:
    """(stdout, the heavy top-level packages imported) of one run under -X importtime."""
    result = run_coach(*args, env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert result.returncode == 0, (args, result.stderr[-500:])
    rows = [r.split("|")[-1].strip() for r in result.stderr.splitlines() if "import time" in r]
    assert rows, "importtime output missing"
    return result.stdout, sorted({m.split(".")[0] for m in rows} & set(HEAVY))


def _import_plan(run_coach: RunCoach, tmp_path: Path, plan: dict[str, object]) -> None:
    source = tmp_path / "plan.json"
    source.write_text(json.dumps(plan), "utf-8")
    done = run_coach("plan", "import", str(source))
    assert done.returncode == 0, done.stderr


def test_warm_show_prints_the_same_and_loads_no_pydantic(run_coach: RunCoach) -> None:
    ids = sorted(json.loads(p.read_text("utf-8"))["id"] for p in ROUTINES.glob("*.json")
                 if not p.name.endswith(".schema.json"))  # fmt: skip
    assert len(ids) >= 13
    cold = {i: run_coach("show", i) for i in ids}  # fills the cache, validating with the models
    for routine_id in ids:
        assert cold[routine_id].returncode == 0, cold[routine_id].stderr
        assert "Steps:" in cold[routine_id].stdout
        warm, heavy = _heavy_imports(run_coach, "show", routine_id)
        assert heavy == [], (routine_id, heavy)
        assert warm == cold[routine_id].stdout  # byte for byte, from the cached detail
    # The detail carries the breathing pattern, its cycles, sides, pressure and gentler text.
    box = cold["box-breathing"].stdout
    assert "[breathing, box, " in box and " cycles]" in box


def test_warm_due_loads_no_pydantic_and_a_plan_routine_shows(
    run_coach: RunCoach, tmp_path: Path
) -> None:
    _import_plan(run_coach, tmp_path, BASE)
    expected = (
        "Due on Thu 3 Dec 2026:\n"
        "  to do  Neck and shoulder release (neck-and-shoulders, about 6 min): 0 of 5 this week so far."
        " [plan kim-2026]\n"
        "  to do  Kim's evening breaths (kim-2026/kim-breathing, about 1 min): due that day"
        " (0 of 2 this week so far). Note: Before bed. [plan kim-2026]\n"
    )
    if date.today() <= date(2026, 12, 3):  # a day still ahead also says how to start one
        expected += "Start one with: coach run ROUTINE --plan PLAN\n"
    first = run_coach("due", "--date", "2026-12-03")
    assert first.stdout == expected, first.stderr
    warm, heavy = _heavy_imports(run_coach, "due", "--date", "2026-12-03")
    assert (warm, heavy) == (expected, [])
    # "today" (outside the plan) takes the same plain path.
    assert _heavy_imports(run_coach, "due")[1] == []
    run_coach("show", "kim-2026/kim-breathing")  # the plan's own routine: PLAN/ID
    shown, heavy = _heavy_imports(run_coach, "show", "kim-2026/kim-breathing")
    assert heavy == [] and shown.startswith("Kim's evening breaths  (kim-2026/kim-breathing, about 1 min)\n")
    assert "   1. Slow breaths  [breathing, coherent, 6 cycles]  1 min\n" in shown


def test_a_stored_plan_edited_by_hand_is_checked_again(
    run_coach: RunCoach, coach_home: Path, tmp_path: Path
) -> None:
    _import_plan(run_coach, tmp_path, BASE)
    assert "Note: Before bed." in run_coach("due", "--date", "2026-12-03").stdout
    stored = coach_home / "plans" / "kim-2026.json"
    edited = json.loads(stored.read_text("utf-8"))
    edited["items"][1]["note"] = "After tea."
    stored.write_text(json.dumps(edited), "utf-8")
    again = run_coach("due", "--date", "2026-12-03")
    assert "Note: After tea." in again.stdout and "Before bed." not in again.stdout

    edited["items"][0]["per_week"] = 99  # over the limit: the plan is no longer valid
    stored.write_text(json.dumps(edited), "utf-8")
    broken = run_coach("due", "--date", "2026-12-03")
    assert broken.returncode == 0  # the other plans (none here) would still be shown
    assert "Traceback" not in broken.stderr
    lines = broken.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"coach: {stored}:")
    assert lines[0].endswith("(stored plan skipped)") and "per_week" in lines[0]
    assert "kim-2026" not in broken.stdout


def test_a_user_routine_edited_by_hand_is_checked_again(
    run_coach: RunCoach, coach_home: Path
) -> None:
    folder = coach_home / "routines"
    folder.mkdir(parents=True)
    mine = folder / "mine.json"
    routine = {**OWN_ROUTINE, "id": "my-breaths", "title": "My breaths"}
    mine.write_text(json.dumps(routine), "utf-8")
    assert run_coach("show", "my-breaths").stdout.startswith("My breaths  (my-breaths, about 1 min)\n")
    mine.write_text(json.dumps({**routine, "title": "Renamed breaths"}), "utf-8")
    assert run_coach("show", "my-breaths").stdout.startswith("Renamed breaths  (my-breaths, about 1 min)\n")

    steps = [{**routine["steps"][0], "cycles": 0}]  # not valid: at least one cycle
    mine.write_text(json.dumps({**routine, "steps": steps}), "utf-8")
    by_id = run_coach("show", "my-breaths")
    assert by_id.returncode != 0 and by_id.stdout == "" and "Traceback" not in by_id.stderr
    # As before this cache: an invalid user routine is not listed, so its id is unknown.
    assert by_id.stderr == (
        "coach: no routine with id 'my-breaths' (see `coach list`, or give a path to a .json file)\n"
    )
    by_path = run_coach("show", str(mine))
    assert by_path.returncode != 0 and by_path.stdout == "" and "Traceback" not in by_path.stderr
    lines = by_path.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{mine}:1:") and "steps[0].cycles" in lines[0]
