"""`coach stats` (text), `coach stats --json` and the app's history screen show the same
change figures, worked out once by coach.stats: completed sessions only. The History screen
at any size: paging, the detail view, Esc during a load, the trend with its gaps and counts,
snapshots of its views at 80x24; and home's first frame holding the routine list."""

from __future__ import annotations

from datetime import date
from typing import Any

from coach.commands.history import format_stats
from coach.history_view import HistorySummary
from coach.records import SessionRecord, new_record, record_from_json
from coach.stats import compute, to_json
from coach.tui.screens.history import headline
from tests.helpers.tui import open_history

TODAY = date(2026, 11, 26)


def rec(
    i: int, pre: int | None, post: int | None, outcome: str = "completed", **changes: Any
) -> SessionRecord:
    values: dict[str, Any] = {
        "routine": "neck",
        "routine_title": "Neck",
        "routine_hash": "sha256:0",
        "started_at": f"2026-11-{10 + i:02d}T09:00:00+01:00",
        "ended_at": f"2026-11-{10 + i:02d}T09:05:00+01:00",
        "planned_seconds": 300,
        "active_seconds": 290.0,
        "completed": True,
        "steps_done": 3,
        "steps_total": 3,
        "pre": pre,
        "post": post,
        "id": f"r{i}",
    }
    values.update(changes)
    record = new_record(**values)
    if outcome == "completed":
        return record
    return record_from_json(
        {**record.to_json(), "completed": False, "ran_to_end": outcome == "partly done"}
    )


def history() -> list[SessionRecord]:
    # Completed and rated: changes -5 -3 -2 -1 0 +2 (q1 -2.75, median -1.5, q3 -0.25); two
    # responders (8 -> 3 and 7 -> 4). The partly done and stopped ones would be responders.
    return [
        rec(0, 8, 3),
        rec(1, 7, 4),
        rec(2, 7, 5),
        rec(3, 5, 4, routine="box", routine_title="Box"),
        rec(4, 4, 4),
        rec(5, 3, 5),
        rec(6, 9, 0, "partly done"),
        rec(7, 9, 0, "stopped"),
        rec(8, None, 2),
    ]


def test_text_json_and_screen_give_the_same_change_figures() -> None:
    stats = compute(history(), TODAY)
    figures = to_json(stats)
    change = figures["change"]
    assert (change["median"], change["q1"], change["q3"], change["iqr"]) == (-1.5, -2.75, -0.25, 2.5)
    assert (change["rated_completed_sessions"], change["responders"], change["responder_rate"]) == (
        6,
        2,
        0.33,
    )
    assert (figures["completed"], figures["partly_done"], figures["stopped"]) == (7, 1, 1)

    text = format_stats(stats)
    assert "Completed    7 of 9 · 1 partly done · 1 stopped" in text
    assert "Change       median −1.5 points · interquartile range −2.75 to −0.25" in text
    assert "over 6 completed sessions rated before and after" in text
    assert "Responders   33% had a noticeable or large drop (2 of 6)" in text
    assert all(len(line) <= 80 for line in text.splitlines())

    screen = headline(HistorySummary(TODAY, sessions=len(history()), stats=stats)).plain
    assert "6 rated completed · median −1.5, IQR −2.75 to −0.25 · noticeable drop 2 (33%)" in screen
    assert all(len(line) <= 80 for line in screen.splitlines())


def test_what_helped_most_is_listed_with_its_counts() -> None:
    stats = compute(history(), TODAY)
    # neck: 5 rated completed (-5 -3 -2 0 +2: median -2); box has 1, so it is not ranked.
    assert [
        (r["routine"], r["rated_completed_sessions"], r["median_change"])
        for r in to_json(stats)["helped_most"]
    ] == [("neck", 5, -2.0)]
    text = format_stats(stats)
    assert "What helped most" in text and " 1. Neck" in text and "−2  (5 sessions)" in text
    table = {
        line.split()[0]: line.split()[1:] for line in text.splitlines() if line.startswith(("Neck ", "Box "))
    }
    # Completed of all, minutes of the completed ones, median change, rated completed.
    assert table["Neck"] == ["6", "of", "8", "29", "−2", "5"]
    assert table["Box"] == ["1", "of", "1", "5", "−1", "1"]


# --- the History screen at any size: paging, the detail view, Esc during a load ------------


def many_sessions(count: int, *, note_every: int = 0) -> str:
    """`count` sessions, one an hour ending 2026-11-26 09:00, newest last in the file;
    session k (0 = the oldest) has the note "note k" when `note_every` divides k."""
    import json
    from datetime import datetime, timedelta, timezone

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
            "pre": k % 11, "post": max(0, k % 11 - 2), "pauses": 0, "skips": 0, "gentler": 0,
            "note": f"note {k}" if note_every and k % note_every == 0 else "",
        }) + "\n")  # fmt: skip
    return "".join(lines)


async def test_the_table_pages_through_every_session_holding_one_page(tmp_path: Any) -> None:
    from coach.tui.widgets.session_table import PAGE
    from tests.helpers.tui import Env, text_of, until

    env = Env(tmp_path, history=many_sessions(250))
    async with env.app().run_test(size=(80, 24)) as pilot:
        table = await open_history(pilot)
        assert (table.total, table.row_count, table.first) == (250, PAGE, 0)
        assert table.records[0].id == "s00249"  # newest first
        assert "session 1 of 250" in text_of(pilot.app, "#history-position")
        await pilot.press("end")  # the oldest: the last page only (50 rows)
        await until(pilot, lambda: table.first == 200 and table.position == 249, "the last page")
        assert table.row_count == 50 and table.records[table.cursor_row].id == "s00000"
        assert "session 250 of 250" in text_of(pilot.app, "#history-position")
        await pilot.press("pageup")  # a screenful up, within the page held
        await until(pilot, lambda: table.position == 249 - table._page_rows(), "a screen up")
        assert table.first == 200
        await pilot.press("home")
        await until(pilot, lambda: table.first == 0 and table.position == 0, "the first page")
        for _ in range(PAGE):  # ↓ past the last row held fetches the next page
            await pilot.press("down")
        await until(pilot, lambda: table.first == 100 and table.cursor_row == 0, "the next page")
        assert table.records[0].id == f"s{249 - PAGE:05d}"
        await pilot.press("up")
        await until(pilot, lambda: table.first == 0 and table.cursor_row == PAGE - 1, "back a page")
        await pilot.press("pagedown")  # a screenful down, across the page's edge
        await until(pilot, lambda: table.first == 100, "a screen down")
        assert table.position == PAGE - 1 + table._page_rows()
        # A page that arrives after a newer one was asked for is dropped.
        from coach.history_view import SessionPage

        table.show_page(SessionPage(0, 250, []), table.requested - 1)
        assert table.first == 100 and table.row_count == PAGE


async def test_enter_shows_one_session_whole_with_its_note_discomfort_and_pain(tmp_path: Any) -> None:
    import json

    from tests.helpers.tui import Env, on_screen, until

    history = many_sessions(3).splitlines()
    newest = json.loads(history[-1])
    long_note = "Tight on the left side after the call; " * 6 + "THE END"
    pressed = [{"step": 2, "title": "Press the trap", "at": 75.0, "choice": "gentler"}]
    newest.update(note=long_note, pain_area="neck", pain_pre=6, pain_post=3, discomfort=pressed)
    history[-1] = json.dumps(newest)
    env = Env(tmp_path, history="\n".join(history) + "\n")
    async with env.app().run_test(size=(80, 24)) as pilot:
        table = await open_history(pilot)
        cell = str(table.get_row_at(0)[-1])
        assert cell.endswith("…") and "THE END" not in cell  # cut in the table
        await pilot.press("enter")
        await on_screen(pilot, "SessionDetailScreen")
        screen = pilot.app.screen
        await until(pilot, lambda: "Practised" in str(screen.query_one("#detail-fields").render()))
        fields = str(screen.query_one("#detail-fields").render())
        assert "2026-11-26 09:00 to 09:03" in fields and "2 → 0" in fields
        assert "neck: 6 → 3" in fields and "step 2 Press the trap · at 1 min 15 s · gentler" in fields
        assert str(screen.query_one("#detail-note").render()) == long_note  # whole
        await pilot.press("escape")
        await on_screen(pilot, "HistoryScreen")
        assert pilot.app.screen.query_one("#history-table").row_count == 3


async def test_esc_leaves_the_history_at_once_while_it_is_still_being_read(
    tmp_path: Any, monkeypatch: Any
) -> None:
    """A first build of a large history takes seconds: the screen must not wait for it."""
    import threading

    import coach.history_view as hv
    from tests.helpers.tui import HISTORY, Env, loaded, on_screen, until

    release = threading.Event()
    started = threading.Event()
    real_page, real_summary = hv.session_page, hv.history_summary

    def slow_page(*args: Any, **kwargs: Any) -> Any:
        started.set()
        release.wait(10)
        return real_page(*args, **kwargs)

    def slow_summary(*args: Any, **kwargs: Any) -> Any:
        release.wait(10)
        return real_summary(*args, **kwargs)

    env = Env(tmp_path, history=HISTORY)
    async with env.app().run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        monkeypatch.setattr(hv, "session_page", slow_page)
        monkeypatch.setattr(hv, "history_summary", slow_summary)
        await pilot.press("h")
        await on_screen(pilot, "HistoryScreen")
        await until(pilot, started.is_set, "the page being read")
        assert pilot.app.screen.query_one("#history-table").row_count == 0  # still reading
        await pilot.press("escape")
        await on_screen(pilot, "HomeScreen")  # while both readers still wait
        assert not release.is_set()
        release.set()
        await pilot.pause(0.2)  # the late pages arrive for a screen that is gone: no error
        assert type(pilot.app.screen).__name__ == "HomeScreen"


def test_stats_text_shows_every_week_of_the_period_with_gaps_and_counts() -> None:
    from coach.stats import Tallies, summarise, weekly_trend

    tallies = Tallies()
    tallies.add(history())  # 10-18 Nov 2026: the weeks of 9 and 16 Nov
    stats = summarise(tallies, TODAY)
    weeks = weekly_trend(tallies, date(2026, 10, 26), TODAY)
    text = format_stats(stats, None, weeks)
    trend = text.split("Stress before sessions, weekly median")[1].splitlines()[1:]
    assert [line.split()[:2] for line in trend] == [
        ["26", "Oct"], ["2", "Nov"], ["9", "Nov"], ["16", "Nov"], ["23", "Nov"]]  # fmt: skip
    assert trend[0].endswith("no ratings") and trend[1].endswith("no ratings")  # gaps shown
    # Every pre-rating of the week counts, whatever the outcome: 8 7 7 5 4 3 (median 6), 9 9.
    assert trend[2].split()[-2:] == ["6", "n=6"] and trend[3].split()[-2:] == ["9", "n=2"]
    assert all(len(line) <= 80 for line in text.splitlines())
    # With the practice days, a calendar follows: 10-18 Nov marked, by shape.
    from coach.stats import practice_days

    text = format_stats(stats, None, weeks, practice_days(tallies))
    calendar = text.split("Practice days, the last 26 weeks")[1].splitlines()[1:]
    # Mondays 9, 16 and 23 Nov: none, a partly done session only, none.
    assert calendar[1].startswith("Mon") and calendar[1].endswith("· ○ ·")
    assert calendar[2].endswith("● ○ ·")  # Tuesdays 10 Nov: completed; 17 Nov: stopped; 24 Nov: none
    assert "9 of 179 days with a session, 7 with a completed one" in text  # 16 and 17 Nov did not count
    assert all(len(line) <= 80 for line in text.splitlines())


# --- snapshots of the History screen's views at 80x24 (look at the SVGs) --------------------


def _history_snapshot(snap_compare: Any, tmp_path: Any, keys: list[str], ready: str) -> None:
    import json

    from tests.helpers.tui import HISTORY, Env, until

    detailed = json.loads(many_sessions(1))
    detailed.update(
        id="detailed", started_at="2026-11-26T10:00:00+01:00", ended_at="2026-11-26T10:06:00+01:00",
        note="Left side tight after the long call.\nBetter after the second press; " * 3,
        pain_area="neck", pain_pre=5, pain_post=2, routine_title="Neck and shoulder release",
        discomfort=[{"step": 2, "title": "Press the trap", "at": 75.0, "choice": "gentler"}],
    )  # fmt: skip
    others = many_sessions(40, note_every=4).replace("s000", "m000")
    history = HISTORY + others + json.dumps(detailed) + "\n"
    env = Env(tmp_path, history=history)

    async def run_before(pilot: Any) -> None:
        await open_history(pilot)
        await until(pilot, lambda: "sessions" in str(pilot.app.screen.query_one("#history-head").render()))
        for key in keys:
            await pilot.press(key)
        if keys and keys[0].isdigit():  # a view, built when first shown
            view = ("sessions", "trend", "helped", "calendar")[int(keys[0]) - 1]
            await until(pilot, lambda: pilot.app.screen.query_one("#history-views").current == view)
        if ready:  # a Static's id and a word it shows once read
            selector, word = ready.split()
            await until(pilot, lambda: word in str(pilot.app.screen.query_one(f"#{selector}").render()))
        await pilot.pause(0.1)

    assert snap_compare(env.app(), run_before=run_before, terminal_size=(80, 24))


def test_snapshot_history_sessions(snap_compare: Any, tmp_path: Any) -> None:
    _history_snapshot(snap_compare, tmp_path, [], "")


def test_snapshot_history_trend(snap_compare: Any, tmp_path: Any) -> None:
    _history_snapshot(snap_compare, tmp_path, ["2"], "")


def test_snapshot_history_what_helped(snap_compare: Any, tmp_path: Any) -> None:
    _history_snapshot(snap_compare, tmp_path, ["3"], "")


def test_snapshot_history_calendar(snap_compare: Any, tmp_path: Any) -> None:
    _history_snapshot(snap_compare, tmp_path, ["4"], "")


def test_snapshot_session_detail(snap_compare: Any, tmp_path: Any) -> None:
    _history_snapshot(snap_compare, tmp_path, ["enter"], "detail-fields Practised")


# --- home: the routine list is in the first frame, whatever the history's size --------------


async def test_home_lists_the_routines_in_its_first_frame_from_the_cache(
    tmp_path: Any, monkeypatch: Any
) -> None:
    from coach.tui.screens.home import HomeScreen
    from tests.helpers.tui import HISTORY, Env, loaded

    env = Env(tmp_path, history=HISTORY)
    async with env.app().run_test(size=(100, 30)) as pilot:  # a first start: writes the cache
        await loaded(pilot)
    seen: list[tuple[int, bool]] = []
    build = HomeScreen._build

    def spy(self: HomeScreen) -> None:  # runs after the first frame is out
        seen.append((self.routine_list.option_count, self.coach.facts is not None))
        build(self)

    monkeypatch.setattr(HomeScreen, "_build", spy)
    async with env.app().run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert pilot.app.screen.routine_list.option_count == 3
    # The list was filled before the first paint; the history line came later.
    assert seen == [(3, False)]
