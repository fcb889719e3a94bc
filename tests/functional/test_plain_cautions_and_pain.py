"""`coach run --plain`, the installed command: the cautions in full only when new or changed
(the app's rule, through the same file), the stop-if lines every time; and the plan's pain
question after a session stopped from a pipe. About 3 seconds."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.command import RunCoach

STOP_IF = "Tingling runs down the arm."


def routine(cautions: list[str]) -> dict[str, Any]:
    return {"format": 1, "id": "careful", "title": "Careful", "cautions": cautions, "stop_if": [STOP_IF],
            "steps": [{"type": "rest", "title": "Rest", "seconds": 5}]}  # fmt: skip


def test_cautions_in_full_only_when_new_or_changed(
    run_coach: RunCoach, coach_home: Path, tmp_path: Path
) -> None:
    coach_home.mkdir(mode=0o700)  # no lead-in (real seconds even in a preview): three runs stay short
    (coach_home / "settings.json").write_text(json.dumps({"first_run_seen": True, "lead_in": False}))
    path = tmp_path / "careful routine.json"
    path.write_text(json.dumps(routine(["Go gently.", "Never on the front of the neck."])))

    def run() -> list[str]:
        result = run_coach("run", str(path), "--plain", "--mute", "--speed", "20")
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines()

    first = run()
    assert "Caution: Go gently." in first and "Caution: Never on the front of the neck." in first
    assert f"Stop if: {STOP_IF}" in first
    second = run()
    assert not [line for line in second if line.startswith("Caution:")]
    assert f"This routine has 2 cautions you have read; coach show '{path}' prints them again." in second
    assert f"Stop if: {STOP_IF}" in second  # the red flags every time
    usual = json.loads((coach_home / "usual.json").read_text())
    assert list(usual["cautions_seen"]) == ["careful"]  # the file the app reads
    path.write_text(json.dumps(routine(["Go gently.", "Skip any bruise."])))  # the therapist changed them
    third = run()
    assert "Caution: Skip any bruise." in third and "you have read" not in "\n".join(third)


@pytest.mark.usefixtures("midday")  # "today" in the test and in `coach` is one day
def test_pain_is_asked_after_q_from_a_pipe(run_coach: RunCoach, tmp_path: Path) -> None:
    today = date.today()
    starts, ends = today - timedelta(days=3), today + timedelta(days=10)
    plan = {"format": 1, "id": "sam-neck", "client": "Sam", "therapist": {"name": "Jo"},
            "starts": starts.isoformat(), "ends": ends.isoformat(),
            "pain": {"area": "neck"}, "routines": [routine([])],
            "items": [{"routine": "careful", "per_week": 3}]}  # fmt: skip
    plan_path = tmp_path / "plan.json"
    plan_path.write_text(json.dumps(plan))
    assert run_coach("plan", "import", str(plan_path)).returncode == 0
    result = run_coach("run", "sam-neck/careful", "--plain", "--mute", "--pre", "6", "--pain-pre", "5",
                       input="q\n8\nit hurt\n")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Pain in your neck right now, 0 = no pain, 10 = worst pain imaginable" in result.stdout
    (record,) = json.loads(run_coach("history", "--json").stdout)
    assert (record["completed"], record["ran_to_end"]) == (False, False)
    assert (record["pain_pre"], record["pain_post"], record["note"]) == (5, 8, "it hurt")
    assert "Pain from 5 to 8." in result.stdout.splitlines()[-1]
