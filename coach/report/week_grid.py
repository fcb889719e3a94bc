"""The handout's tick-box grid: one printable table per week of a plan, to tick by hand.

Each table is one week (Monday to Sunday, as adherence counts weeks): a row per plan item
with the routine's title, what the plan asks for that week (the target: `coach.adherence.
prescribed`, so a week the plan starts or ends part-way asks for the same pro-rated number
the report expects), and seven day cells. A day of the plan gets an empty box; a `days`
item gets boxes on its own weekdays only; a day outside the plan gets a dash. One week per
table keeps the boxes large enough to tick (about 12 mm a day on A4 portrait) and lets a
table never split across pages (`break-inside: avoid`).

A plan with stored versions (re-imported with changes) gets each week's targets from the
version in force that week, as the report counts them (`coach.adherence.adherence`: a week
split by a change takes each version for its own days): a week already over keeps the
targets it had, and an item not prescribed in a week shows "–" and no boxes.

Every text is escaped (`coach.text.html_text`); the grid holds no script and no link.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from coach.adherence import adherence, monday_of, prescribed
from coach.plan_versions import PlanVersion, version_on
from coach.text import html_text, short_day

# Printed as part of the handout's one <style> (coach.report.handout).
GRID_CSS = """
.week { break-inside: avoid; margin: .2em 0 .9em; }
.week h3 { margin: .5em 0 .2em; }
table.grid { font-size: 9.5pt; margin: 0; }
table.grid th, table.grid td { padding: .2em .3em; vertical-align: middle; }
table.grid th.day, table.grid td.day { text-align: center; padding: .2em 0; }
table.grid th.day small { display: block; font-weight: normal; color: #444; font-size: 8pt; }
table.grid td.target { text-align: center; font-weight: 600; }
table.grid td.off { color: #888; background: #f4f4f4; }
table.grid td.free { background: #fafafa; }
span.tick { display: inline-block; width: 5mm; height: 5mm; border: 1.5px solid #333; border-radius: 1px;
            vertical-align: middle; }
"""

_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_BOX = '<span class="tick"></span>'


@dataclass(frozen=True)
class GridRow:
    """One item of the plan: the routine's title, and how often the plan asks for it
    (`per_week` sessions a week, or on `days`: weekday codes "mon" … "sun"; exactly one of
    the two, as a plan item has them). `routine` is the item's routine as the plan names
    it: with the plan's versions, each day's schedule is that day's version's item."""

    title: str
    per_week: int | None = None
    days: tuple[str, ...] | None = None
    routine: str | None = None


def plan_weeks(starts: date, ends: date) -> list[tuple[date, list[date]]]:
    """(Monday, the plan's days of that week) for every week from `starts` to `ends`, both
    included; weeks run Monday to Sunday (`coach.adherence.monday_of`). Empty when `ends`
    is before `starts`."""
    weeks = []
    monday = monday_of(starts)
    while monday <= ends:
        days = [d for n in range(7) if starts <= (d := monday + timedelta(days=n)) <= ends]
        weeks.append((monday, days))
        monday += timedelta(days=7)
    return weeks


def week_target(row: GridRow, days: Sequence[date]) -> int | None:
    """Sessions the item asks for on `days` (the plan's days of one week), as the adherence
    report counts them (`coach.adherence.prescribed`); None for a row with no schedule."""
    if not days or (row.per_week is None and row.days is None):
        return None
    return prescribed(row, days[0], days[-1])  # type: ignore[arg-type]  # it reads days and per_week


_NOT_ASKED = '<td class="day free"></td>'  # a plan day on which the item is not asked for


def _cell(row: GridRow, day: date, in_plan: bool) -> str:
    if not in_plan:
        return '<td class="day off">–</td>'
    if row.days is not None and _DAY_CODES[day.weekday()] not in row.days:
        return '<td class="day free"></td>'
    return f'<td class="day">{_BOX}</td>'


class _Versions:
    """A plan's stored versions read day by day for the grid: the plan's days (each by the
    version in force on it, `coach.plan_versions.version_on`), the item a day's version
    has, and each week's targets as the report counts them (`coach.adherence.adherence`)."""

    def __init__(self, versions: Sequence[PlanVersion[Any]]) -> None:
        self.versions = versions
        self._items = {v.number: {i.routine: i for i in v.plan.items} for v in versions}
        plan = versions[-1].plan
        found = adherence(plan, (), plan.starts, versions)  # no sessions: the targets only
        self._targets = {(w.monday, i.routine): i.target for w in found.weeks for i in w.items}

    def in_plan(self, day: date) -> bool:
        return bool(version_on(self.versions, day).plan.is_active(day))

    def weeks(self) -> list[tuple[date, list[date]]]:
        """(Monday, the plan's days of that week) of every week with a plan day."""
        first = min(v.plan.starts for v in self.versions)
        last = max(v.plan.ends for v in self.versions)
        out = []
        monday = monday_of(first)
        while monday <= last:
            days = [d for n in range(7) if self.in_plan(d := monday + timedelta(days=n))]
            if days:
                out.append((monday, days))
            monday += timedelta(days=7)
        return out

    def row_on(self, row: GridRow, day: date) -> GridRow | None:
        """`row` with the schedule the version in force on `day` gives its item; None when
        that version does not have the item."""
        item = self._items[version_on(self.versions, day).number].get(row.routine or "")
        if item is None:
            return None
        return GridRow(row.title, item.per_week, None if item.days is None else tuple(item.days), row.routine)

    def target(self, row: GridRow, monday: date, days: Sequence[date]) -> int | None:
        """The week's target; None when no day of the week's versions has the item."""
        if all(self.row_on(row, day) is None for day in days):
            return None
        return self._targets.get((monday, row.routine or ""), 0)


def week_table(
    number: int,
    total: int,
    monday: date,
    days: Sequence[date],
    rows: Sequence[GridRow],
    versions: _Versions | None = None,
) -> str:
    """Week `number` of `total` as a heading and a table: a row per item with its target and
    seven day cells (a box on each day the item may be done, a dash outside the plan or on a
    day its version does not ask for the item)."""
    sunday = monday + timedelta(days=6)
    heading = f"Week {number} of {total}: {short_day(monday)} – {short_day(sunday)} {sunday.year}"
    in_plan = set(days)
    out = [
        '<div class="week">',
        f"<h3>{html_text(heading)}</h3>",
        '<table class="grid">',
        '<colgroup><col style="width:38%"><col style="width:9%">'
        + '<col style="width:7.57%">' * 7
        + "</colgroup>",
        "<tr><th>Routine</th><th>Target</th>"
        + "".join(
            f'<th class="day">{name}<small>{(monday + timedelta(days=n)).day}</small></th>'
            for n, name in enumerate(_DAY_NAMES)
        )
        + "</tr>",
    ]
    for row in rows:
        target = week_target(row, days) if versions is None else versions.target(row, monday, days)
        shown = "–" if target is None else str(target)
        cells = []
        for n in range(7):
            day = monday + timedelta(days=n)
            on = row if versions is None or day not in in_plan else versions.row_on(row, day)
            in_force = day in in_plan and on is not None
            if in_force and target == 0:  # 2 a week pro-rated to a 1-day week: asks for none
                cells.append(_NOT_ASKED)
            else:
                cells.append(_cell(on or row, day, in_force))
        out.append(f'<tr><td>{html_text(row.title)}</td><td class="target">{shown}</td>{"".join(cells)}</tr>')
    out += ["</table>", "</div>"]
    return "".join(out)


def week_grid_html(
    starts: date, ends: date, rows: Sequence[GridRow], versions: Sequence[PlanVersion[Any]] | None = None
) -> list[str]:
    """The grid section of the handout: a heading, how to use it, and one table per week of
    the plan (`starts` to `ends`, both included); [] for a plan without items. With the
    plan's stored `versions` (oldest first; the rows name their `routine`), the weeks and
    each week's targets and boxes follow the version in force on each day."""
    if not rows:
        return []
    schedule = _Versions(versions) if versions else None
    weeks = plan_weeks(starts, ends) if schedule is None else schedule.weeks()
    out = [
        "<h2>Tick off your sessions</h2>",
        '<p class="how">One table per week. Tick a box each time you finish a routine. '
        "<b>Target</b> is how many sessions the plan asks for that week (fewer in a week the plan "
        "starts or ends part-way through). A routine set for certain days has boxes on those days; "
        "done on another day of the same week, it still counts. A dash is a day outside the plan, "
        "or one the plan did not ask for that routine. Coach keeps count too: this sheet is for you.</p>",
    ]
    out += [
        week_table(n, len(weeks), monday, days, rows, schedule) for n, (monday, days) in enumerate(weeks, 1)
    ]
    return out
