"""`coach run ROUTINE --plan ID`: the plan must exist, and a routine outside it is flagged."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.command import ROUTINES, RunCoach

EXAMPLE = ROUTINES / "examples" / "desk-neck-plan.json"


def test_a_routine_outside_the_plan_is_flagged_but_recorded(run_coach: RunCoach, tmp_path: Path) -> None:
    assert run_coach("plan", "import", str(EXAMPLE)).returncode == 0
    plan_id = json.loads(EXAMPLE.read_text())["id"]
    short = tmp_path / "short.json"
    short.write_text(json.dumps({"format": 1, "id": "short-rest", "title": "Short rest",
                                 "steps": [{"type": "rest", "title": "Rest", "seconds": 5}]}))  # fmt: skip
    result = run_coach("run", str(short), "--plain", "--plan", plan_id, "--pre", "4", "--post", "3")
    assert result.returncode == 0, result.stderr
    assert f"coach: 'short-rest' is not one of plan '{plan_id}''s items (" in result.stderr
    (record,) = json.loads(run_coach("history", "--json").stdout)
    assert record["plan"] == plan_id and record["routine"] == "short-rest"


def test_an_unknown_plan_stops_before_the_session(run_coach: RunCoach) -> None:
    result = run_coach("run", "box-breathing", "--plain", "--plan", "no-such-plan", "--pre", "4")
    assert result.returncode == 2
    assert "no plan with id 'no-such-plan'" in result.stderr
    assert json.loads(run_coach("history", "--json").stdout) == []


def test_the_app_launch_checks_the_plan_too(coach_home: Path) -> None:
    import argparse

    import pytest

    from coach.errors import UsageError
    from coach.tui.launch import run_app

    args = argparse.Namespace(routine="box-breathing", pre=None, post=None, plan="no-such-plan",
                              mute=True, speed=None)  # fmt: skip
    with pytest.raises(UsageError, match="no plan with id 'no-such-plan'"):
        run_app(args)
