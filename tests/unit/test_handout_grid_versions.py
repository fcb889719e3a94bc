"""The handout's week grid after a plan changed: each week's targets come from the version
in force that week, as the report counts them (a therapist tester's finding: week 1 showed
the new 5 a week and a routine added later, where the report said 4)."""

from __future__ import annotations

import copy
import re
from datetime import timedelta

from coach.adherence import adherence
from coach.plan_versions import PlanVersion
from coach.report.handout import HandoutItem, HandoutRoutine, plan_handout
from coach.report.week_grid import GridRow, week_grid_html
from tests.helpers.report_plans import CHANGED, PLAN, START, parse, plan_v2_dict
from tests.unit.test_handout_week_grid import rows_of, tables

NEW = "box-breathing"  # added by version 2, from CHANGED (the sixth week's Wednesday)


def _versions():  # type: ignore[no-untyped-def]
    v2 = copy.deepcopy(plan_v2_dict())
    v2["items"].append({"routine": NEW, "per_week": 2})
    return (
        PlanVersion(1, START - timedelta(days=3), "", parse(PLAN)),
        PlanVersion(2, CHANGED, "", parse(v2)),
    )


def _grid() -> list[list[list[str]]]:
    versions = _versions()
    plan = versions[-1].plan
    rows = [
        GridRow(i.routine, i.per_week, None if i.days is None else tuple(i.days), i.routine)
        for i in plan.items
    ]
    return [rows_of(t) for t in tables("".join(week_grid_html(plan.starts, plan.ends, rows, versions)))]


def test_each_weeks_targets_are_the_reports() -> None:
    versions = _versions()
    plan = versions[-1].plan
    grid = _grid()
    report = adherence(plan, (), plan.starts, versions)
    assert len(grid) == len(report.weeks) == 16
    for week, table in zip(report.weeks, grid, strict=True):
        targets = {i.routine: i.target for i in week.items}
        for row in table:
            routine, shown = row[0][1:], row[1].removeprefix("target:")
            assert shown == ("–" if routine == NEW and week.monday < CHANGED - timedelta(days=2) else
                             str(targets[routine])), (week.monday, routine)  # fmt: skip


def test_a_week_before_the_change_keeps_its_targets_and_the_new_item_has_no_boxes() -> None:
    grid = _grid()
    neck = 0  # neck-and-shoulders: 4 a week, then 5 from the sixth week's Wednesday
    new = len(grid[0]) - 1
    box, off = "day:box", "day off:–"
    assert grid[0][neck][1] == "target:4" and grid[0][neck][2:] == [box] * 7
    assert grid[0][new][1:] == ["target:–", *[off] * 7]  # not prescribed yet: no boxes
    # The week of the change: Mon and Tue by version 1, Wed to Sun by version 2.
    assert grid[5][neck][1] == "target:5"  # round(4 × 2/7 + 5 × 5/7) = 5, as the report
    assert grid[5][new][1:] == ["target:1", off, off, *[box] * 5]  # round(2 × 5/7) = 1
    assert grid[6][neck][1] == "target:5" and grid[6][new][1:] == ["target:2", *[box] * 7]


def test_the_handout_passes_its_versions_to_the_grid() -> None:
    versions = _versions()
    plan = versions[-1].plan
    items = [
        HandoutItem(HandoutRoutine(i.routine, {"title": i.routine, "steps": []}), "", "", i.per_week,
                    None if i.days is None else tuple(i.days), i.routine)
        for i in plan.items
    ]  # fmt: skip
    page = plan_handout(plan, items, versions)
    first = rows_of(tables(page)[0])
    assert first[0][:2] == [":neck-and-shoulders", "target:4"] and first[-1][:2] == [f":{NEW}", "target:–"]
    assert re.search(r"A dash is a day outside the plan, or one the plan did not ask for that routine", page)
