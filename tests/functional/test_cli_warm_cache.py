"""`coach show` and `coach due` served from the validation cache: warm, they load neither
pydantic nor Textual, print what they printed cold, and re-check a file edited by hand."""

from __future__ import annotations

import json
import os
import subprocess
import sys
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
    assert "[breathing, box: inhale 4 s, hold 4 s, exhale 4 s, hold-out 4 s, " in box and " cycles]" in box


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
    assert "   1. Slow breaths  [breathing, coherent: inhale 5 s, exhale 5 s, 6 cycles]  1 min\n" in shown


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


# Runs coach.cli.main as `coach` does, then lists sys.modules (-X importtime does not see
# modules loaded by importlib.import_module, as the command modules are).
_LIST_MODULES = (
    "import sys\nfrom coach.cli import main\nstatus = main(sys.argv[1:])\n"
    "print('MODULES', *sorted(m for m in sys.modules if m.startswith('coach')), file=sys.stderr)\n"
    "raise SystemExit(status)\n"
)


def _coach_modules(coach_home: Path, *args: str) -> set[str]:
    """The coach.* modules that one run of `coach ARGS` has imported by its end."""
    env = {**os.environ, "COACH_HOME": str(coach_home)}
    result = subprocess.run([sys.executable, "-c", _LIST_MODULES, *args], capture_output=True,
                            text=True, env=env, timeout=60, check=False)  # fmt: skip
    assert result.returncode == 0, (args, result.stderr[-500:])
    return set(result.stderr.rpartition("MODULES ")[2].split())


# The record parser and the history store: loaded only where lines are parsed or written.
PARSER = {"coach.records", "coach.history", "coach.journal"}


def test_a_command_imports_only_its_own_command_module_and_no_parser_when_warm(
    run_coach: RunCoach, coach_home: Path, tmp_path: Path
) -> None:
    _import_plan(run_coach, tmp_path, BASE)
    line = {
        "format": 1, "id": "0" * 32, "routine": "jaw-release", "routine_title": "Jaw release",
        "routine_hash": "sha256:" + "0" * 64, "plan": None, "started_at": "2026-12-01T09:00:00+00:00",
        "ended_at": "2026-12-01T09:05:00+00:00", "planned_seconds": 290, "active_seconds": 290.0,
        "completed": True, "ran_to_end": True, "steps_done": 5, "steps_total": 5, "pre": 6,
        "post": 3, "note": "", "pauses": 0, "skips": 0, "gentler": 0, "discomfort": [],
    }  # fmt: skip
    source = tmp_path / "old.jsonl"
    source.write_text(json.dumps(line) + "\n", "utf-8")
    assert run_coach("history", "import", str(source)).returncode == 0
    for args in (("due", "--date", "2026-12-03"), ("status",)):
        run_coach(*args)  # fills the caches and brings the index up to date
    due = _coach_modules(coach_home, "due", "--date", "2026-12-03")
    assert {m for m in due if m.startswith("coach.commands.")} == {
        "coach.commands.plans", "coach.commands.output"
    }
    assert due & PARSER == set(), due & PARSER  # the index is up to date: nothing to parse
    status = _coach_modules(coach_home, "status")
    assert {m for m in status if m.startswith("coach.commands.")} == {"coach.commands.status"}
    assert status & PARSER == set()
    helped = _coach_modules(coach_home, "--help")
    assert {m for m in helped if m.startswith("coach.commands")} == set()
    # The streak itself, from the index without the parser, is what the status line shows.
    from coach.commands.status import CACHE_NAME

    (coach_home / "cache" / CACHE_NAME).unlink()
    assert _coach_modules(coach_home, "status") & PARSER == set()
    assert (coach_home / "cache" / CACHE_NAME).exists()  # it was computed again


def test_warm_plan_report_and_handout_print_the_same_and_load_no_pydantic(
    run_coach: RunCoach, coach_home: Path, tmp_path: Path
) -> None:
    _import_plan(run_coach, tmp_path, BASE)
    commands = [("plan", "report", "kim-2026", "--format", f) for f in ("md", "html", "csv", "json")]
    commands.append(("plan", "handout", "kim-2026"))
    cold = {args: run_coach(*args) for args in commands}  # validates with the models, fills the cache
    for args in commands:
        assert cold[args].returncode == 0 and cold[args].stderr == "", (args, cold[args].stderr)
        warm, heavy = _heavy_imports(run_coach, *args)
        assert (heavy, warm == cold[args].stdout) == ([], True), args
        loaded = _coach_modules(coach_home, *args)
        assert not loaded & {"coach.plan", "coach.routine", "coach.plan_store"}, args
    assert "kim-2026" in cold[commands[0]].stdout and "<html" in cold[commands[-1]].stdout
