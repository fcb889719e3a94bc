"""Plan versions through the installed `coach`: a changed re-import is a new version from
today, `plan list` says so, and a warm `coach due` counts each day by the version in force
on it without loading pydantic."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.helpers.command import RunCoach
from tests.helpers.plans import BASE

HEAVY = ("pydantic", "pydantic_core", "textual")


def _plan(per_week: int, today: date) -> dict[str, object]:
    """BASE around `today`: from the Monday two weeks before to five weeks later."""
    obj = copy.deepcopy(BASE)
    starts = today - timedelta(days=today.weekday() + 14)
    obj["starts"], obj["ends"] = starts.isoformat(), (starts + timedelta(days=34)).isoformat()
    obj["items"][0]["per_week"] = per_week
    return obj


def _import(run_coach: RunCoach, tmp_path: Path, obj: dict[str, object], name: str) -> str:
    source = tmp_path / name
    source.write_text(json.dumps(obj, indent=2), "utf-8")
    done = run_coach("plan", "import", str(source))
    assert done.returncode == 0, done.stderr
    return done.stdout


def _run(run_coach: RunCoach, *args: str, warm: bool) -> str:
    """stdout of `coach ARGS`; when `warm`, checks that it loaded neither pydantic nor Textual."""
    env = {"PYTHONPROFILEIMPORTTIME": "1"} if warm else None
    result = run_coach(*args, env=env)
    assert result.returncode == 0, result.stderr[-500:]
    if warm:
        rows = [r.split("|")[-1].strip() for r in result.stderr.splitlines() if "import time" in r]
        assert rows and not {m.split(".")[0] for m in rows} & set(HEAVY), f"a warm {args} loaded pydantic"
    return result.stdout


def _neck_line(run_coach: RunCoach, day: date, *, warm: bool) -> str:
    out = _run(run_coach, "due", "--date", day.isoformat(), warm=warm)
    return next(line for line in out.splitlines() if "(neck-and-shoulders, " in line)


@pytest.mark.usefixtures("midday")  # "today" in the test and in `coach` is one day
def test_a_re_import_is_a_version_from_today_and_due_counts_by_version(
    run_coach: RunCoach, tmp_path: Path
) -> None:
    today = date.today()
    _import(run_coach, tmp_path, _plan(3, today), "v1.json")
    same = _import(run_coach, tmp_path, _plan(3, today), "same.json")
    assert "already imported with this same content (version 1); nothing changed." in same
    changed = _import(run_coach, tmp_path, _plan(6, today), "v2.json")
    assert changed.startswith("Stored version 2 of plan 'kim-2026' for Kim from Jo Park:")
    assert f"  from {today:%a} {today.day} {today:%b}: neck-and-shoulders 3 → 6 a week\n" in changed

    versions = f"2 items, 2 versions, last changed {today:%a} {today.day} {today:%b %Y}, adherence"
    assert versions in _run(run_coach, "plan", "list", warm=False)
    assert versions in _run(run_coach, "plan", "list", warm=True)

    last_week = today - timedelta(days=today.weekday() + 5)  # a Wednesday before the change
    next_week = today - timedelta(days=today.weekday()) + timedelta(days=9)  # a Wednesday after it
    for warm in (False, True):  # cold fills the cache; warm reads it without the models
        assert "0 of 3 this week so far." in _neck_line(run_coach, last_week, warm=warm)
        assert "0 of 6 this week so far." in _neck_line(run_coach, next_week, warm=warm)
