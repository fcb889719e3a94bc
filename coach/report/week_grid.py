"""The handout's tick-box grid: one printable table per week of a plan, to tick by hand.

Each table is one week (Monday to Sunday, as adherence counts weeks): a row per plan item
with the routine's title, what the plan asks for that week (the target: `coach.adherence.
prescribed`, so a week the plan starts or ends part-way asks for the same pro-rated number
the report expects), and seven day cells. A day of the plan gets an empty box; a `days`
item gets boxes on its own weekdays only; a day outside the plan gets a dash. One week per
table keeps the boxes large enough to tick (about 12 mm a day on A4 portrait) and lets a
table never split across pages (`break-inside: avoid`).

Every text is escaped (`coach.text.html_text`); the grid holds no script and no link.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from coach.adherence import monday_of, prescribed
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
    the two, as a plan item has them)."""

    title: str
    per_week: int | None = None
    days: tuple[str, ...] | None = None


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


def _cell(row: GridRow, day: date, in_plan: bool) -> str:
    if not in_plan:
        return '<td class="day off">–</td>'
    if row.days is not None and _DAY_CODES[day.weekday()] not in row.days:
        return '<td class="day free"></td>'
    return f'<td class="day">{_BOX}</td>'


def week_table(number: int, total: int, monday: date, days: Sequence[date], rows: Sequence[GridRow]) -> str:
    """Week `number` of `total` as a heading and a table: a row per item with its target and
    seven day cells (a box on each day the item may be done, a dash outside the plan)."""
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
        target = week_target(row, days)
        shown = "–" if target is None else str(target)
        cells = "".join(
            _cell(row, monday + timedelta(days=n), monday + timedelta(days=n) in in_plan) for n in range(7)
        )
        out.append(f'<tr><td>{html_text(row.title)}</td><td class="target">{shown}</td>{cells}</tr>')
    out += ["</table>", "</div>"]
    return "".join(out)


def week_grid_html(starts: date, ends: date, rows: Sequence[GridRow]) -> list[str]:
    """The grid section of the handout: a heading, how to use it, and one table per week of
    the plan (`starts` to `ends`, both included); [] for a plan without items."""
    if not rows:
        return []
    weeks = plan_weeks(starts, ends)
    out = [
        "<h2>Tick off your sessions</h2>",
        '<p class="how">One table per week. Tick a box each time you finish a routine. '
        "<b>Target</b> is how many sessions the plan asks for that week (fewer in a week the plan "
        "starts or ends part-way through). A routine set for certain days has boxes on those days; "
        "done on another day of the same week, it still counts. A dash is a day outside the plan. "
        "Coach keeps count too: this sheet is for you.</p>",
    ]
    out += [week_table(n, len(weeks), monday, days, rows) for n, (monday, days) in enumerate(weeks, 1)]
    return out
