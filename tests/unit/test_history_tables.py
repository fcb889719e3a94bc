"""The text tables of `coach history` and `coach stats` count terminal cells, not
characters (issue 12): wide titles stay aligned and inside 80 columns, cuts end with "…",
a long history's figures fit their columns, and the routine table says what it counts."""

from __future__ import annotations

import io
from datetime import date

from coach.commands.history import cells, fit, format_stats, table_lines
from coach.records import new_record
from coach.stats import Tallies, new_day, new_routine, summarise

TODAY = date(2026, 11, 26)
WIDE = "肩と首のリリース、デスクでの長い一日の後に"  # 21 wide characters: 42 cells


def test_cells_count_wide_characters_twice_and_combining_marks_not_at_all() -> None:
    assert cells("abc") == 3 and cells("肩と首") == 6 and cells("e\u0301") == 1 and cells("🙂") == 2
    assert (
        fit("肩と首のリ", 7) == "肩と首…"
        and fit("肩と首のリ", 8) == "肩と首… "
        and cells(fit(WIDE, 17)) == 17
    )
    assert fit("abc", 5) == "abc  " and fit("abcdef", 5, "~") == "abcd~"


def test_the_history_table_keeps_its_columns_with_wide_titles() -> None:
    records = [
        new_record(
            routine="r",
            routine_title=title,
            routine_hash="sha256:0",
            started_at="2026-11-20T09:00:00+01:00",
            ended_at="2026-11-20T09:05:00+01:00",
            planned_seconds=300,
            active_seconds=291.0,
            completed=True,
            steps_done=3,
            steps_total=3,
            pre=7,
            post=3,
        )
        for title in (WIDE, "Box breathing", "Nacken 🙂 und Schultern lösen")
    ]
    out = io.StringIO()
    lines = [line.rstrip("\n") for line in table_lines(records, out)]
    assert all(cells(line) <= 80 for line in lines)
    # The time column ("4:51") ends at the same cell on every row.
    ends = {cells(line[: line.index("4:51") + 4]) for line in lines[1:]}
    assert len(ends) == 1 and "肩と首のリリース…" in lines[1]
    # A terminal without the characters shows "?", one cell each: still aligned.
    ascii_out = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    shown = [line.encode("ascii", "replace").decode() for line in table_lines(records, ascii_out)]
    assert len({line.index("4:51") for line in shown[1:]}) == 1 and "~" in shown[1]


def _big_tallies() -> Tallies:
    """A 1M-session history in tallies: ten years of days, five routines of 200,000."""
    tallies = Tallies()
    for n in range(3650):
        day = date.fromordinal(TODAY.toordinal() - n).isoformat()
        tally = new_day()
        tally[0], tally[1], tally[2] = 274, 274 * 300_000_000, 230
        tally[4 + 5] = 200
        tallies.days[day] = tally
    for i, title in enumerate(["Hands and forearms after typing", WIDE, "Box breathing", "Jaw", "Neck"]):
        entry = new_routine(title)
        entry[1], entry[2], entry[3] = 200_000, 170_610, 170_610 * 300_000_000
        entry[5 + 10 - 1] = 140_000
        tallies.routines[f"r{i}"] = entry
    return tallies


def test_stats_fit_80_columns_at_a_million_sessions_and_say_what_the_table_counts() -> None:
    text = format_stats(summarise(_big_tallies(), TODAY))
    lines = text.splitlines()
    assert all(cells(line) <= 80 for line in lines), max(lines, key=cells)
    assert lines[0].startswith("Sessions     1000100 in all") and "in the last 30 days" in lines[1]
    assert "~" not in text
    header = next(i for i, line in enumerate(lines) if line.startswith("Routine"))
    assert "completed sessions only" in lines[header - 1]
    rows = lines[header : header + 6]
    done = {cells(row[: row.index("Completed") + 9]) if i == 0 else cells(row[: row.index(" of 200000") + 10])
            for i, row in enumerate(rows)}  # fmt: skip
    assert len(done) == 1  # "170610 of 200000" right-aligned under its heading
    assert any("肩と首" in row and "…" in row for row in rows)
