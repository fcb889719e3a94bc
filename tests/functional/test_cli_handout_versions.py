"""`coach plan handout` after a changed re-import: the week grid gives each week the targets
of the version in force then, as `coach plan report` does (a therapist tester's repro)."""

from __future__ import annotations

import copy
import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.helpers.command import RunCoach
from tests.helpers.plans import BASE

NEW = "box-breathing"


def _plan(today: date, per_week: int, new_item: bool) -> dict[str, object]:
    """BASE from the Monday two weeks before `today`, five weeks long."""
    obj = copy.deepcopy(BASE)
    starts = today - timedelta(days=today.weekday() + 14)
    obj["starts"], obj["ends"] = starts.isoformat(), (starts + timedelta(days=34)).isoformat()
    obj["items"][0]["per_week"] = per_week
    if new_item:
        obj["items"].append({"routine": NEW, "per_week": 2})
    return obj


def _import(run_coach: RunCoach, path: Path, obj: dict[str, object]) -> None:
    path.write_text(json.dumps(obj), "utf-8")
    done = run_coach("plan", "import", str(path))
    assert done.returncode == 0, done.stderr


@pytest.mark.usefixtures("midday")  # "today" in the test and in `coach` is one day
def test_the_handouts_past_weeks_keep_their_targets_as_the_report_says(
    run_coach: RunCoach, tmp_path: Path
) -> None:
    today = date.today()
    _import(run_coach, tmp_path / "v1.json", _plan(today, 4, False))
    _import(run_coach, tmp_path / "v2.json", _plan(today, 5, True))
    made = run_coach("plan", "handout", "kim-2026", "-o", str(tmp_path / "h.html"))
    assert made.returncode == 0, made.stderr
    weeks = re.findall(r'<table class="grid">.*?</table>', (tmp_path / "h.html").read_text("utf-8"))
    shown = run_coach("plan", "report", "kim-2026", "--format", "json")
    assert shown.returncode == 0, shown.stderr
    report = json.loads(shown.stdout)["weeks"]
    assert len(weeks) == len(report) == 5
    for table, week in zip(weeks, report, strict=True):
        targets = {i["routine"]: i["prescribed"] for i in week["items"]}
        neck = re.search(r'<td>Neck and shoulder release</td><td class="target">([^<]*)</td>', table)
        assert neck is not None and neck.group(1) == str(targets["neck-and-shoulders"]), week["week_of"]
    first = weeks[0]  # two weeks ago: version 1 alone, 4 a week, no box breathing
    assert re.search(r'<td>Neck and shoulder release</td><td class="target">4</td>', first)
    row = re.search(r'<td>Box breathing</td><td class="target">([^<]*)</td>(.*?)</tr>', first)
    assert row is not None and row.group(1) == "–" and 'class="tick"' not in row.group(2)
