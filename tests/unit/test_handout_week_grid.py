"""The handout's tick-box week grid (coach.report.week_grid, issue 13): a table per week of
the plan, a row per item with its target that week, boxes on the days it may be done."""

from __future__ import annotations

import html
import re
from datetime import date

from coach.report.handout import HandoutItem, HandoutRoutine, plan_handout
from coach.report.week_grid import GridRow, plan_weeks, week_grid_html, week_target
from coach.text import visible
from tests.helpers.report_plans import PLAN, parse
from tests.unit.test_report_handout import EXTERNAL, HOSTILE_TEXTS, long_plan_handout, tags

# Thu 3 Dec 2026 to Tue 22 Dec 2026: a part week, two whole weeks, a part week.
STARTS, ENDS = date(2026, 12, 3), date(2026, 12, 22)
ROWS = [GridRow("Neck release", per_week=5), GridRow("Slow breaths", days=("mon", "thu"))]


def tables(page: str) -> list[str]:
    return re.findall(r'<table class="grid">.*?</table>', page)


def rows_of(table: str) -> list[list[str]]:
    """Each body row's cells, as class:text ("day:<box>", "day off:–", "target:3")."""
    out = []
    for row in re.findall(r"<tr>(.*?)</tr>", table)[1:]:
        cells = re.findall(r'<td(?: class="([^"]*)")?>(.*?)</td>', row)
        out.append([f"{cls}:{'box' if 'tick' in text else text}" for cls, text in cells])
    return out


def test_weeks_run_monday_to_sunday_over_the_whole_plan() -> None:
    weeks = plan_weeks(STARTS, ENDS)
    assert [monday for monday, _ in weeks] == [date(2026, 11, 30), date(2026, 12, 7), date(2026, 12, 14),
                                               date(2026, 12, 21)]  # fmt: skip
    assert [len(days) for _, days in weeks] == [4, 7, 7, 2]
    assert plan_weeks(date(2027, 1, 4), date(2027, 4, 25))[-1][0] == date(2027, 4, 19)  # 16 weeks
    assert len(plan_weeks(date(2027, 1, 4), date(2027, 4, 25))) == 16


def test_targets_are_pro_rated_in_part_weeks_as_the_report_counts_them() -> None:
    weeks = plan_weeks(STARTS, ENDS)
    # 5 a week: 5 × 4/7 = 2.9 → 3; whole weeks 5; 5 × 2/7 = 1.4 → 1 (coach.adherence, half up).
    assert [week_target(ROWS[0], days) for _, days in weeks] == [3, 5, 5, 1]
    # Mon and Thu: Thu only in the first week; Mon only in the last (Tue 22 is its end).
    assert [week_target(ROWS[1], days) for _, days in weeks] == [1, 2, 2, 1]
    assert week_target(GridRow("no schedule given"), weeks[1][1]) is None


def test_each_week_is_a_table_with_boxes_on_plan_days_and_dashes_outside() -> None:
    page = "".join(week_grid_html(STARTS, ENDS, ROWS))
    found = tables(page)
    assert len(found) == 4
    assert "Week 1 of 4: Mon 30 Nov – Sun 6 Dec 2026" in page
    assert "Week 4 of 4: Mon 21 Dec – Sun 27 Dec 2026" in page
    first, _, _, last = (rows_of(t) for t in found)
    off, box, free = "day off:–", "day:box", "day free:"
    # First week: Mon–Wed before the plan starts.
    assert first[0] == [":Neck release", "target:3", off, off, off, box, box, box, box]
    assert first[1] == [":Slow breaths", "target:1", off, off, off, box, free, free, free]
    # Last week: Mon and Tue only.
    assert last[0] == [":Neck release", "target:1", box, box, off, off, off, off, off]
    assert last[1] == [":Slow breaths", "target:1", box, free, off, off, off, off, off]
    # The day headers carry the dates, to tick the right one.
    assert '<th class="day">Thu<small>3</small></th>' in found[0]


def test_a_week_whose_target_rounds_to_none_has_no_boxes() -> None:
    """2 a week in a last week of one day is 2 × 1/7 → 0 (as the report counts it): a box
    there would ask for a session the report does not expect (a re-check found one)."""
    page = "".join(week_grid_html(STARTS, date(2026, 12, 21), [GridRow("Jaw", per_week=2)]))
    (last,) = rows_of(tables(page)[-1])
    assert last == [":Jaw", "target:0", "day free:", "day off:–", "day off:–", "day off:–", "day off:–",
                    "day off:–", "day off:–"]  # fmt: skip


def test_a_plan_without_items_has_no_grid() -> None:
    assert week_grid_html(STARTS, ENDS, []) == []
    assert "Tick off your sessions" not in plan_handout(parse(PLAN), [])


def test_the_long_plans_handout_has_the_grid_after_the_schedule_and_before_the_routines() -> None:
    page = long_plan_handout()
    assert page.index("</table>", page.index("<h2>Your schedule</h2>")) < page.index("Tick off your sessions")
    assert page.index("Tick off your sessions") < page.index('<section class="routine">')
    found = tables(page)
    assert len(found) == 16
    for table in found:
        assert len(rows_of(table)) == 7
    # Neck and shoulders, 4 a week: every day a box; the own routine on Mon and Thu only.
    week = rows_of(found[0])
    assert week[0][:3] == [":Neck and shoulder release", "target:4", "day:box"]
    assert week[6][1:] == ["target:2", "day:box", "day free:", "day free:", "day:box", "day free:",
                           "day free:", "day free:"]  # fmt: skip
    assert ".week { break-inside: avoid;" in page  # a week's table never splits across pages


def test_hostile_titles_in_the_grid_are_text() -> None:
    text = " ".join(HOSTILE_TEXTS)
    page = "".join(week_grid_html(STARTS, ENDS, [GridRow(text, per_week=2)]))
    assert html.escape(visible(text), quote=True) in page
    assert EXTERNAL.findall(page.replace(html.escape(visible(text), quote=True), "")) == []
    assert set(tags(page)) <= {"h2", "p", "b", "div", "h3", "table", "colgroup", "col", "tr", "th", "td",
                               "small", "span"}  # fmt: skip
    # Through the handout too: a routine title from a plan's own routine.
    routine = HandoutRoutine("x", {"title": text, "steps": []})
    handout = plan_handout(parse(PLAN), [HandoutItem(routine, "2 times a week", "", 2)])
    assert "<script>" not in handout and handout.count(html.escape(visible(text), quote=True)) >= 5
