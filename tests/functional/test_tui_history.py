"""What a long-time user found on the History screen, each checked where it could break:
numbers in "what helped" are never cut (the title is), keys pressed while a page loads
all count, the screen and home's "Last:" line follow a history another window writes or
clears, the weekly counts are one dated bar a week, and the table's times read in order
whatever offset each record carries (the detail view keeps the record's own)."""

from __future__ import annotations

import itertools
import json
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from rich.cells import cell_len

from tests.helpers.tui import HISTORY, Env, history_line, on_screen, open_history, text_of, until


def sessions(count: int) -> str:
    """`count` sessions one an hour, the newest 2026-11-26 09:00+01:00, newest last; session
    k (0 = the oldest) has the id "s{k:05d}"."""
    zone = timezone(timedelta(hours=1))
    end = datetime(2026, 11, 26, 9, 0, tzinfo=zone)
    lines = []
    for k in range(count):
        began = end - timedelta(hours=count - 1 - k)
        lines.append(json.dumps({
            "format": 1, "id": f"s{k:05d}", "routine": "neck-release", "routine_title": "Neck",
            "routine_hash": "sha256:0", "plan": None, "started_at": began.isoformat(),
            "ended_at": (began + timedelta(minutes=3)).isoformat(), "planned_seconds": 180,
            "active_seconds": 180.0, "completed": True, "steps_done": 3, "steps_total": 3,
            "pre": 6, "post": 3, "pauses": 0, "skips": 0, "gentler": 0, "note": "",
        }) + "\n")  # fmt: skip
    return "".join(lines)


def line_of(widget: Any, y: int) -> str:
    """The text of line `y` of a widget as drawn (a DataTable's header is line 0)."""
    return widget.render_line(y).text


# --- 1. numbers are never cut; the title is ---------------------------------------------------


def test_fit_gives_figures_their_full_width_and_the_title_the_rest() -> None:
    from coach.tui.widgets.helped_table import PADDING, TITLE_MIN, Figure, fit

    figures = (Figure("Completed", "Done", drop=1), Figure("Minutes", "Min", drop=2),
               Figure("Median change", "Median"), Figure("Rated", "Rated"))  # fmt: skip
    rows = [["14,118 of 14,200", "42,354.0", "−2.5", "14,118"]]
    columns, title = fit(78, figures, rows)
    assert [(label, cells) for _, label, cells in columns] == [
        ("Completed", 16), ("Minutes", 8), ("Median change", 13), ("Rated", 6)]  # fmt: skip
    assert title + sum(cells for _, _, cells in columns) + 2 * PADDING * 5 == 78
    # Narrower: the short labels, then Minutes is left out whole, then Completed.
    assert [label for _, label, _ in fit(64, figures, rows)[0]] == ["Done", "Min", "Median", "Rated"]
    assert [label for _, label, _ in fit(50, figures, rows)[0]] == ["Done", "Median", "Rated"]
    columns, title = fit(36, figures, rows)
    assert [label for _, label, _ in columns] == ["Median", "Rated"] and title >= TITLE_MIN
    # Every figure shown is as wide as its widest value, at any width.
    for width in range(20, 140):
        columns, title = fit(width, figures, rows)
        assert all(cells >= cell_len(rows[0][i]) for i, _, cells in columns)


async def test_what_helped_at_80x24_shows_whole_numbers_and_cuts_long_titles(
    tmp_path: Any, monkeypatch: Any
) -> None:
    """The user's history: 14,118 rated sessions of a routine with a long title (the
    Rated column showed "Rat" and "141")."""
    import coach.history_view as hv
    from coach.stats import RoutineStats

    long = "Neck and shoulder release for long video calls at the desk"
    big = RoutineStats("neck", long, 14_200, 14_118, 42_354.0, 14_118, -2.5)
    small = RoutineStats("feet", "Feet", 12, 9, 27.0, 7, -1.0)
    real = hv.history_summary

    def summary(*args: Any, **kwargs: Any) -> Any:
        found = real(*args, **kwargs)
        return replace(found, stats=replace(found.stats, routines=[big, small], helped=[big, small]))

    monkeypatch.setattr(hv, "history_summary", summary)
    env = Env(tmp_path, history=HISTORY)
    async with env.app().run_test(size=(80, 24)) as pilot:
        await open_history(pilot)
        await pilot.press("3")
        screen = pilot.app.screen
        await until(pilot, lambda: bool(screen.query("#history-routines")), "the view")
        routines, helped = screen.query_one("#history-routines"), screen.query_one("#history-helped")
        await until(pilot, lambda: routines.row_count == 2 and routines.size.height == 3, "its rows")
        await pilot.pause(0.1)
        for table in (routines, helped):
            header, first = line_of(table, 0), line_of(table, 1)
            assert cell_len(first.rstrip()) <= table.size.width
            assert first.rstrip().endswith("14,118") and "Rated" in header  # whole, never "141"
            assert "Neck and shoulder" in first and "…" in first and long not in first
        assert "14,118 of 14,200" in line_of(routines, 1) and "42,354.0" in line_of(routines, 1)
        assert "−2.5" in line_of(helped, 1)
        # Narrower, the figures keep their width: short labels, then a column left out whole.
        await pilot.resize_terminal(50, 24)
        await until(pilot, lambda: routines.size.width < 50 and routines.laid_out_for == routines.size.width)
        await pilot.pause(0.1)
        header, first = line_of(routines, 0), line_of(routines, 1)
        assert "Minutes" not in header and "Min" not in header and "Median" in header
        assert first.rstrip().endswith("14,118") and "14,118 of 14,200" in first


# --- 2. keys pressed while a page loads all count ----------------------------------------------


class Gate:
    """A table's fetch that waits, while `closed`, until `open()`; records each offset."""

    def __init__(self, fetch: Any) -> None:
        self.fetch = fetch
        self.offsets: list[int] = []
        self.gate = threading.Event()
        self.gate.set()

    def close(self) -> None:
        self.gate.clear()
        self.offsets.clear()

    def open(self) -> None:
        self.gate.set()

    def __call__(self, offset: int, limit: int) -> Any:
        self.offsets.append(offset)
        self.gate.wait(10)
        return self.fetch(offset, limit)


async def test_page_downs_and_downs_in_a_burst_during_a_load_all_count(tmp_path: Any) -> None:
    from coach.tui.widgets.session_table import PAGE

    total = 500
    env = Env(tmp_path, history=sessions(total))
    async with env.app().run_test(size=(80, 24)) as pilot:
        table = await open_history(pilot)
        gate = Gate(table.fetch)
        table.fetch = gate
        rows = table._page_rows()
        gate.close()  # every page read from now on waits until the keys are in
        await pilot.press(*["pagedown"] * 20)
        want = 20 * rows
        assert table.position == want  # the target, at once
        assert f"session {want + 1:,} of {total}" in text_of(pilot.app, "#history-position")
        gate.open()
        await until(pilot, lambda: table.target is None, "the page of the target")
        assert table.position == want and table.records[table.cursor_row].id == f"s{total - 1 - want:05d}"
        # One read for the page under way, then one for the target's: not one per key.
        assert gate.offsets == [PAGE, (want // PAGE) * PAGE]

        await pilot.press("home")
        await until(pilot, lambda: table.target is None and table.first == 0)
        gate.close()
        await pilot.press(*["down"] * 120)  # the 100th leaves the page held: 20 more while it loads
        assert table.position == 120
        gate.open()
        await until(pilot, lambda: table.target is None, "the next page")
        assert (table.first, table.cursor_row) == (PAGE, 120 - PAGE)
        assert table.records[table.cursor_row].id == f"s{total - 1 - 120:05d}"

        # Back within the page held while a page is on its way: the cursor moves at once
        # and the late page is dropped.
        gate.close()
        await pilot.press(*["pagedown"] * 5)  # the 5th leaves the page held (100-199)
        assert table.target == 120 + 5 * rows and table.loading_page
        await pilot.press("pageup")
        assert table.target is None and table.position == 120 + 4 * rows and table.first == PAGE
        gate.open()
        await pilot.pause(0.2)
        assert table.first == PAGE and table.position == 120 + 4 * rows
        # Enter during a load opens the session the cursor goes to, once it is there.
        gate.close()
        await pilot.press("end", "enter")
        assert type(pilot.app.screen).__name__ == "HistoryScreen"
        gate.open()
        await on_screen(pilot, "SessionDetailScreen")
        await until(pilot, lambda: "Practised" in text_of(pilot.app, "#detail-fields"))
        assert "2026-11-05 14:00" in text_of(pilot.app, "#detail-fields")  # s00000: the oldest


# --- 3. the screen and home follow the history file ---------------------------------------------


async def test_history_and_home_follow_sessions_written_and_a_clear_from_another_window(
    tmp_path: Any, monkeypatch: Any
) -> None:
    import coach.tui.screens.history as history_screen
    from coach.history import HistoryStore

    monkeypatch.setattr(history_screen, "HISTORY_CHECK", 0.05)
    env = Env(tmp_path, history=HISTORY)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        table = await open_history(pilot)
        assert "8 sessions" in text_of(app, "#history-head")
        with env.history_path.open("a", encoding="utf-8") as file:  # another window's session
            file.write(history_line(26, "feet-ball", "Feet with a ball", 6, 2).replace("T09:00", "T18:00"))
        await until(pilot, lambda: "9 sessions" in text_of(app, "#history-head"), "the new figures")
        await until(pilot, lambda: table.total == 9 and str(table.get_row_at(0)[1]) == "Feet with a ball")
        # the position line follows the table's Loaded message, a cycle later
        await until(pilot, lambda: "session 1 of 9" in text_of(app, "#history-position"), "the position")
        await pilot.press("escape")
        await on_screen(pilot, "HomeScreen")  # home reads its line again when shown
        await until(pilot, lambda: "Last: Feet with a ball · today · 6 → 2" in text_of(app, "#status"))
        HistoryStore(env.history_path).clear()  # `coach history clear` in another window
        await pilot.press("h")
        await on_screen(pilot, "HistoryScreen")
        await until(pilot, lambda: "no sessions yet" in text_of(app, "#history-head"), "the cleared figures")
        table = app.screen.query_one("#history-table")
        await until(pilot, lambda: table.total == 0 and table.row_count == 0)
        await until(pilot, lambda: "No sessions yet" in text_of(app, "#history-position"), "the position")
        await pilot.press("escape")
        await on_screen(pilot, "HomeScreen")
        await until(pilot, lambda: "No sessions yet" in text_of(app, "#status"), "home's line")


async def test_history_reads_again_when_shown_after_the_detail_view(tmp_path: Any, monkeypatch: Any) -> None:
    """Without waiting for the timer (HISTORY_CHECK): on resume."""
    from coach.tui.screens import history as history_screen

    # The timer never comes during the test, so only the resume can read the page again;
    # the waits below are then bounded by time, not by a count a loaded machine may outrun.
    monkeypatch.setattr(history_screen, "HISTORY_CHECK", 3600.0)
    env = Env(tmp_path, history=HISTORY)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        table = await open_history(pilot)
        await pilot.press("enter")
        await on_screen(pilot, "SessionDetailScreen")
        with env.history_path.open("a", encoding="utf-8") as file:
            file.write(history_line(26, "feet-ball", "Feet with a ball", 6, 2).replace("T09:00", "T18:00"))
        await pilot.press("escape")
        await on_screen(pilot, "HistoryScreen")
        await until(pilot, lambda: table.total == 9, "the page read again")
        await until(pilot, lambda: "9 sessions" in text_of(app, "#history-head"), "the heading")


# --- 4. the weekly counts: one dated bar a week -------------------------------------------------


def weekly(weeks: int) -> str:
    """Sessions in each of the last `weeks` weeks up to 26 Nov 2026: week w (0 the oldest)
    has w % 5 + 1 rated ones, and week 3 none at all."""
    zone = timezone(timedelta(hours=1))
    monday = datetime(2026, 11, 23, 9, 0, tzinfo=zone) - timedelta(weeks=weeks - 1)
    lines = []
    for w in range(weeks):
        for k in range(0 if w == 3 else w % 5 + 1):
            began = monday + timedelta(weeks=w, days=k % 3, hours=k)
            lines.append(json.dumps({
                "format": 1, "id": f"w{w}-{k}", "routine": "neck-release", "routine_title": "Neck",
                "routine_hash": "sha256:0", "plan": None, "started_at": began.isoformat(),
                "ended_at": (began + timedelta(minutes=3)).isoformat(), "planned_seconds": 180,
                "active_seconds": 180.0, "completed": True, "steps_done": 3, "steps_total": 3,
                "pre": 4 + k % 4, "post": 2, "pauses": 0, "skips": 0, "gentler": 0, "note": "",
            }) + "\n")  # fmt: skip
    return "".join(lines)


async def test_weekly_counts_are_one_bar_a_week_with_gaps_and_dates(tmp_path: Any) -> None:
    env = Env(tmp_path, history=weekly(26))
    async with env.app().run_test(size=(80, 24)) as pilot:
        await open_history(pilot)
        await pilot.press("2")
        screen = pilot.app.screen
        await until(
            pilot, lambda: bool(screen.query("#trend-count")) and bool(screen.query_one("#trend-count").weeks)
        )
        await pilot.pause(0.1)
        count = screen.query_one("#trend-count")
        median = screen.query_one("#trend-median")
        lines = str(count.render()).splitlines()
        bottom = next(i for i, line in enumerate(lines) if "└" in line)
        base = lines[bottom - 1]  # the row of 0: every week with a rating has a bar there
        inside = base[base.index("┤") + 1 : base.rindex("│")]
        bars = [i for i, c in enumerate(inside) if c != " "]
        assert len(bars) == 25  # 26 weeks, one without a rating: no bar
        assert all(b - a >= 2 for a, b in itertools.pairwise(bars))  # a gap between weeks
        assert "23 Nov" in lines[bottom + 1]  # dated like the chart above
        # The bars stand under the weeks of the chart above: the same date ticks.
        median_lines = str(median.render()).splitlines()
        median_bottom = next(i for i, line in enumerate(median_lines) if "└" in line)
        assert lines[bottom] == median_lines[median_bottom]
        assert lines[bottom + 1] == median_lines[median_bottom + 1]


# --- 6. times in one zone, so that the order reads right ------------------------------------


async def test_times_are_shown_in_the_local_zone_and_the_detail_keeps_the_records_own(tmp_path: Any) -> None:
    # Newest first by instant: 06:30Z (written at -05:00), then 06:00Z (written at +01:00).
    west = json.loads(history_line(26, "feet-ball", "Feet with a ball", 6, 2))
    west.update(id="west", started_at="2026-11-26T01:30:00-05:00", ended_at="2026-11-26T01:33:00-05:00")
    east = json.loads(history_line(26, "slow-breaths", "Slow breaths", 5, 2))
    east.update(id="east", started_at="2026-11-26T07:00:00+01:00", ended_at="2026-11-26T07:03:00+01:00")
    late = json.loads(history_line(24, "neck-release", "Neck and shoulder release", 6, 3))
    late.update(id="late", started_at="2026-11-25T23:30:00-05:00", ended_at="2026-11-25T23:33:00-05:00")
    env = Env(tmp_path, history="".join(json.dumps(r) + "\n" for r in (late, east, west)))
    async with env.app().run_test(size=(100, 30)) as pilot:  # wide: the Date column has the time
        table = await open_history(pilot)
        dates = [table.get_row_at(i)[0] for i in range(3)]
        assert dates == ["2026-11-26 07:30", "2026-11-26 07:00", "2026-11-26 05:30"]  # at +01:00
        await pilot.press("enter")
        await on_screen(pilot, "SessionDetailScreen")
        await until(pilot, lambda: "Practised" in text_of(pilot.app, "#detail-fields"))
        fields = text_of(pilot.app, "#detail-fields")
        assert "2026-11-26 01:30 to 01:33" in fields and "UTC-05:00" in fields  # as written


def test_local_start_uses_this_machines_zone_by_default(monkeypatch: Any) -> None:
    import time

    from coach.tui.widgets.session_table import local_start

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        assert local_start("2026-11-26T07:00:00+01:00") == "2026-11-26 01:00"  # EST, UTC-5
        assert local_start("2026-07-01T07:00:00+01:00") == "2026-07-01 02:00"  # summer: UTC-4
    finally:
        monkeypatch.undo()
        time.tzset()
    utc = UTC
    assert local_start("2026-11-26T00:30:00+01:00", utc) == "2026-11-25 23:30"
    assert local_start("not a time at all", utc) == "not a time at al"
