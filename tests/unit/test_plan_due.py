"""What is due on each weekday: the pure schedule, and `coach due` with the clock travelled."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from coach.adherence import due_on
from coach.cli import main
from coach.history import HistoryStore
from coach.library import builtin_routine_ids
from coach.plan import parse_plan
from tests.helpers.plans import BASE, PARIS, recorded_on, text_of

WEEK = [date(2026, 11, 30) + timedelta(days=n) for n in range(7)]  # Mon 30 Nov .. Sun 6 Dec


def week_plan() -> dict[str, object]:
    obj = copy.deepcopy(BASE)
    obj["items"] = [
        {"routine": "neck-and-shoulders", "per_week": 3, "note": "After lunch."},
        {"routine": "kim-breathing", "days": ["mon", "wed", "fri"], "note": "Before bed."},
        {"routine": "feet-ball", "days": ["sat"]},
    ]
    return obj


EXPECTED = {
    "mon": ["neck-and-shoulders", "kim-breathing"],
    "tue": ["neck-and-shoulders"],
    "wed": ["neck-and-shoulders", "kim-breathing"],
    "thu": ["neck-and-shoulders"],
    "fri": ["neck-and-shoulders", "kim-breathing"],
    "sat": ["neck-and-shoulders", "feet-ball"],
    "sun": ["neck-and-shoulders"],
}


@pytest.mark.parametrize("day", WEEK, ids=[f"{d:%a}" for d in WEEK])
def test_due_on_each_weekday(day: date) -> None:
    plan = parse_plan(text_of(week_plan()), "p.json", builtin_routine_ids())
    due = due_on(plan, day)
    assert [d.routine for d in due] == EXPECTED[f"{day:%a}".lower()]
    assert all(not d.is_done and d.done_this_week == 0 for d in due)


def test_nothing_due_outside_the_plan() -> None:
    plan = parse_plan(text_of(week_plan()), "p.json", builtin_routine_ids())
    assert due_on(plan, date(2026, 11, 25)) == []
    assert due_on(plan, date(2026, 12, 17)) == []
    assert [d.routine for d in due_on(plan, date(2026, 12, 16))] == ["neck-and-shoulders", "kim-breathing"]


def test_due_counts_today_and_this_week() -> None:
    plan = parse_plan(text_of(week_plan()), "p.json", builtin_routine_ids())
    sessions = [
        ("neck-and-shoulders", date(2026, 11, 29)),  # last week
        ("neck-and-shoulders", date(2026, 11, 30)),
        ("neck-and-shoulders", date(2026, 12, 2)),
        ("kim-breathing", date(2026, 12, 2)),
    ]
    wed = {d.routine: d for d in due_on(plan, date(2026, 12, 2), sessions)}
    assert (wed["neck-and-shoulders"].done_this_week, wed["neck-and-shoulders"].target_this_week) == (2, 3)
    assert not wed["neck-and-shoulders"].is_done
    assert wed["kim-breathing"].done_today == 1 and wed["kim-breathing"].is_done
    sessions.append(("neck-and-shoulders", date(2026, 12, 3)))
    fri = {d.routine: d for d in due_on(plan, date(2026, 12, 4), sessions)}
    assert fri["neck-and-shoulders"].is_done  # 3 of 3: the week's part is done
    assert not fri["kim-breathing"].is_done  # Friday's own session is still to do
    # The first, part week (Thu-Sun) asks for 3 x 4/7 -> 2.
    thu = due_on(plan, date(2026, 11, 26), sessions)
    assert thu[0].target_this_week == 2


@pytest.fixture
def imported(coach_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    source = tmp_path / "plan.json"
    source.write_bytes(text_of(week_plan()))
    with time_machine.travel(datetime(2026, 11, 20, 9, tzinfo=PARIS), tick=False):
        assert main(["plan", "import", str(source)]) == 0
    capsys.readouterr()
    return coach_home


@pytest.mark.parametrize("day", WEEK, ids=[f"{d:%a}" for d in WEEK])
def test_coach_due_on_each_weekday(imported: Path, day: date, capsys: pytest.CaptureFixture[str]) -> None:
    with time_machine.travel(datetime(day.year, day.month, day.day, 10, tzinfo=PARIS), tick=False):
        assert main(["due"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"Due today, {day:%a} {day.day} {day:%b %Y}:"
    items = [line for line in out[1:] if line.startswith("  ")]
    due = EXPECTED[f"{day:%a}".lower()]
    assert len(items) == len(due)
    for line, routine in zip(items, due, strict=True):
        listed = f"kim-2026/{routine}" if routine == "kim-breathing" else routine  # the plan's own: PLAN/ID
        assert f"({listed}, " in line and line.endswith("[plan kim-2026]")
        assert line.startswith("  to do  ")
    if "kim-breathing" in due:
        assert any("due today (0 of 3 this week so far). Note: Before bed." in line for line in items)
    assert out[-1] == "Start one with: coach run ROUTINE --plan PLAN"


def test_coach_due_shows_progress_and_done(imported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = HistoryStore(imported / "history.jsonl")
    store.append(recorded_on(date(2026, 11, 30), 12, "neck-and-shoulders"))
    store.append(recorded_on(date(2026, 12, 2), 8, "kim-breathing"))
    store.append(recorded_on(date(2026, 12, 2), 9, "neck-and-shoulders", completed=False))
    with time_machine.travel(datetime(2026, 12, 2, 18, tzinfo=PARIS), tick=False):
        assert main(["due"]) == 0
    out = capsys.readouterr().out
    assert (
        "  to do  Neck and shoulder release (neck-and-shoulders, about 6 min): 1 of 3 this week so far. "
        "Note: After lunch. [plan kim-2026]"
    ) in out
    assert (
        "  done   Kim's evening breaths (kim-2026/kim-breathing, about 1 min): done today "
        "(1 of 3 this week). "
        "Note: Before bed. [plan kim-2026]"
    ) in out


def test_coach_due_without_plans_and_out_of_period(
    coach_home: Path, imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with time_machine.travel(datetime(2027, 1, 5, 10, tzinfo=PARIS), tick=False):
        assert main(["due"]) == 0
    assert capsys.readouterr().out == "Nothing due today, Tue 5 Jan 2027.\n"
    assert main(["due", "--date", "2026-12-05"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Due on Sat 5 Dec 2026:\n") and "feet-ball" in out and "due that day" in out
    assert main(["plan", "remove", "kim-2026"]) == 0
    capsys.readouterr()
    assert main(["due"]) == 0
    assert capsys.readouterr().out.startswith("Nothing due: no plan is imported.")


def test_coach_due_bad_date(coach_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["due", "--date", "5/12/2026"]) == 2
    assert "'5/12/2026' is not a date as YYYY-MM-DD" in capsys.readouterr().err


def test_stored_plan_json_is_the_file(imported: Path, tmp_path: Path) -> None:
    stored = imported / "plans" / "kim-2026.json"
    assert json.loads(stored.read_bytes()) == week_plan()


# `coach due --date D` sees the week as it stood at the end of D (issue 13): sessions later
# that week, or in the next week, are not counted; sessions of the week before are not either.
NECK_DONE = {"mon": 1, "tue": 1, "wed": 2, "thu": 2, "fri": 2, "sat": 3, "sun": 3}
AS_OF = {
    "mon": {"kim-2026/kim-breathing": "done that day (1 of 3 this week)."},
    "wed": {"kim-2026/kim-breathing": "due that day (1 of 3 this week so far)."},
    "fri": {"kim-2026/kim-breathing": "done that day (2 of 3 this week)."},
    "sat": {"feet-ball": "done that day (1 of 1 this week)."},
}


@pytest.mark.parametrize("day", WEEK, ids=[f"{d:%a}" for d in WEEK])
def test_due_on_a_past_day_counts_only_sessions_up_to_that_day(
    imported: Path, day: date, capsys: pytest.CaptureFixture[str]
) -> None:
    store = HistoryStore(imported / "history.jsonl")
    for when, routine in [
        (date(2026, 11, 29), "neck-and-shoulders"),  # the Sunday before: another week
        (date(2026, 11, 30), "neck-and-shoulders"),
        (date(2026, 11, 30), "kim-breathing"),
        (date(2026, 12, 2), "neck-and-shoulders"),
        (date(2026, 12, 4), "kim-breathing"),
        (date(2026, 12, 5), "neck-and-shoulders"),
        (date(2026, 12, 5), "feet-ball"),
        (date(2026, 12, 7), "neck-and-shoulders"),  # the Monday after: another week
    ]:
        store.append(recorded_on(when, 12, routine))
    code = f"{day:%a}".lower()
    # Asked a week later: what the clock says now must not matter.
    with time_machine.travel(datetime(2026, 12, 12, 10, tzinfo=PARIS), tick=False):
        assert main(["due", "--date", day.isoformat()]) == 0
    out = capsys.readouterr().out
    items = [line for line in out.splitlines() if line.startswith("  ")]
    lines = {line.split("(", 1)[1].split(",", 1)[0]: line for line in items}  # routine -> line
    neck = NECK_DONE[code]
    status = ("done for this week (3 of 3 this week)." if neck == 3
              else f"{neck} of 3 this week so far.")  # fmt: skip
    assert f"): {status} Note: After lunch." in lines["neck-and-shoulders"]
    assert lines["neck-and-shoulders"].startswith("  done " if neck == 3 else "  to do ")
    for routine, text in AS_OF.get(code, {}).items():
        assert f"({routine}, " in lines[routine] and f"): {text}" in lines[routine], out
    assert set(lines) == {"neck-and-shoulders", *AS_OF.get(code, {})}
