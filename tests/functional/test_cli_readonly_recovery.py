"""Commands that only read still work while a crashed session waits for recovery and the
history cannot be written: the data is shown, one line on stderr says the interrupted
session could not be saved yet, and it is saved by the first command that can write."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coach.history import HistoryStore
from coach.journal import process_start
from coach.records import new_id, record_from_state
from tests.helpers.command import ROUTINES, RunCoach

STATE = {
    "routine": "box-breathing", "routine_title": "Box breathing", "routine_hash": "sha256:" + "1" * 64,
    "plan": None, "started_at": "2026-11-26T09:12:03+01:00", "planned_seconds": 240,
    "active_seconds": 95.5, "steps_done": 2, "steps_total": 5, "pre": 6, "pauses": 0, "skips": 0,
    "gentler": 0,
}  # fmt: skip
WARNING = "coach: an interrupted session could not be saved to the history yet ("


def crashed(home: Path) -> str:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    record_id = new_id()
    (home / "session.journal.json").write_text(json.dumps({
        "journal": 1, "pid": child.pid, "pid_start": process_start(child.pid), "boot_id": None,
        "record_id": record_id, "updated_at": "2026-11-26T09:14:00+01:00", "state": STATE,
    }))  # fmt: skip
    return record_id


def unwritable(path: Path) -> None:
    """The history can be read but not written: another user's file (as root, which may
    write any file, Coach refuses to), or a read-only file."""
    if os.geteuid() == 0:
        os.chown(path, 65534, 65534)
        path.chmod(0o644)
    else:
        path.chmod(0o400)


@pytest.fixture
def waiting(run_coach: RunCoach, coach_home: Path) -> tuple[str, str]:
    """A history with one session, a plan, and a crashed session that cannot be saved."""
    plan = ROUTINES / "examples" / "desk-neck-plan.json"
    assert run_coach("plan", "import", str(plan)).returncode == 0
    store = HistoryStore(coach_home / "history.jsonl")
    kept = record_from_state({**STATE, "routine_title": "Kept session"}, id=new_id(),
                             ended_at="2026-11-25T09:20:00+01:00", completed=True, post=2)  # fmt: skip
    store.append(kept)
    unwritable(store.path)
    return kept.id, crashed(coach_home)


@pytest.mark.parametrize(
    ("args", "shown"),
    [(["history", "--json"], "KEPT_ID"), (["history"], "Kept session"), (["history", "--csv"], "KEPT_ID"),
     (["stats"], ""), (["stats", "--json"], "{"), (["due", "--date", "2026-12-03"], "Due on")],
)  # fmt: skip
def test_a_reading_command_works_and_says_once_that_recovery_waits(
    run_coach: RunCoach, coach_home: Path, waiting: tuple[str, str], args: list[str], shown: str
) -> None:
    kept_id, crashed_id = waiting
    before = (coach_home / "history.jsonl").read_bytes()
    result = run_coach(*args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() and shown.replace("KEPT_ID", kept_id) in result.stdout
    assert crashed_id not in result.stdout
    lines = result.stderr.splitlines()
    assert [line for line in lines if line.startswith(WARNING)] == lines[:1] and len(lines) == 1, lines
    assert "Traceback" not in result.stderr
    assert (coach_home / "history.jsonl").read_bytes() == before  # nothing half-written
    assert (coach_home / "session.journal.json").exists()  # kept for the next try


def test_the_waiting_session_is_saved_once_the_history_can_be_written(
    run_coach: RunCoach, coach_home: Path, waiting: tuple[str, str]
) -> None:
    kept_id, crashed_id = waiting
    history = coach_home / "history.jsonl"
    if os.geteuid() == 0:
        os.chown(history, 0, 0)
    history.chmod(0o600)
    result = run_coach("history", "--json")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert sorted(r["id"] for r in records) == sorted([crashed_id, kept_id])
    (recovered,) = [r for r in records if r["id"] == crashed_id]
    assert recovered["completed"] is False and recovered["pre"] == 6 and recovered["post"] is None
    assert WARNING not in result.stderr and not (coach_home / "session.journal.json").exists()
