"""The app says truthfully how a session ended: skipping through a whole routine is "partly
done", not "Well done", and does not extend the streak; the history line says so too."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.tui import Env, advance, history_line, into_player, on_screen, text_of, until

# Completed sessions yesterday and the day before: a 2-day streak that today could extend.
HISTORY = "".join(
    [
        history_line(24, "neck-release", "Neck and shoulder release", 6, 3),
        history_line(25, "slow-breaths", "Slow breaths", 5, 2),
    ]
)


async def test_skipping_through_a_routine_is_partly_done_and_earns_no_streak(tmp_path: Path) -> None:
    env = Env(tmp_path, history=HISTORY)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await into_player(pilot, pre="6")  # Slow breaths: box breathing 48 s, then rest 10 s
        await advance(pilot, env, 2)
        await pilot.press("s")
        await advance(pilot, env, 2)
        await pilot.press("s")
        await on_screen(pilot, "RatingScreen")
        await pilot.press("4", "enter")
        await on_screen(pilot, "SummaryScreen")
        summary = text_of(app, "#summary-text")
        assert "Well done" not in summary
        assert summary.startswith("Partly done")
        assert (
            "Partly done: 0 of 2 steps, 4 s of 58 s practised. It does not count towards your streak."
            in summary
        )
        assert "6 → 4" in summary and "down 2 points: a noticeable drop" in summary
        assert "Streak  2 days" in summary  # would be 3 had it counted
        await pilot.press("h")
        await on_screen(pilot, "HistoryScreen")
        table = app.screen.query_one("#history-table")
        await until(pilot, lambda: table.row_count == 3, "the history rows")
        assert [str(cell) for cell in table.get_row_at(0)][3] == "partly done"  # Done, at 80 columns
        assert "streak 2 days" in text_of(app, "#history-head")
    record = env.records()[-1]
    assert (record["completed"], record["ran_to_end"]) == (False, True)
    assert record["steps_done"] == 0 and record["active_seconds"] == 4.0


async def test_a_routine_played_through_is_completed_and_extends_the_streak(tmp_path: Path) -> None:
    env = Env(tmp_path, history=HISTORY)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await into_player(pilot, pre="5")
        for _ in range(59):  # a second at a time: a longer silent gap would count as time away
            await advance(pilot, env, 1)
        await on_screen(pilot, "RatingScreen")
        await pilot.press("5", "enter")
        await on_screen(pilot, "SummaryScreen")
        summary = text_of(app, "#summary-text")
        assert summary.startswith("Well done")
        assert "Completed: 2 of 2 steps, 58 s of 58 s practised." in summary
        assert "does not count" not in summary
        assert "no change: about the same" in summary and "Streak  3 days" in summary
    record = env.records()[-1]
    assert (record["completed"], record["ran_to_end"]) == (True, True)


async def test_quitting_from_home_shows_the_summary_saying_stopped_and_not_counted(tmp_path: Path) -> None:
    env = Env(tmp_path, history=HISTORY)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await into_player(pilot, pre="6")
        await advance(pilot, env, 12)
        await pilot.press("q")
        await on_screen(pilot, "ConfirmScreen")
        assert "saved in your history as stopped" in text_of(app, "#confirm-detail")
        await pilot.press("enter")
        await on_screen(pilot, "RatingScreen")  # the note after a stop (issue 14): none
        await pilot.press("escape")
        await on_screen(pilot, "SummaryScreen")
        summary = text_of(app, "#summary-text")
        assert summary.startswith("Stopped\nSlow breaths")
        assert (
            "Stopped: 0 of 2 steps, 12 s of 58 s practised. It does not count towards your streak." in summary
        )
        assert "6 → –" in summary and "skipped" not in summary and "Well done" not in summary
        assert "Streak  2 days" in summary
        await pilot.press("enter")
        await on_screen(pilot, "HomeScreen")
    record = env.records()[-1]
    assert (record["completed"], record["ran_to_end"]) == (False, False)


async def test_quitting_a_coach_run_session_shows_the_summary_then_exits(tmp_path: Path) -> None:
    env = Env(tmp_path)
    app = env.app(start="slow-breaths", pre=6, post=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "PlayerScreen")
        await advance(pilot, env, 3)
        await pilot.press("q")
        await on_screen(pilot, "ConfirmScreen")
        await pilot.press("enter")
        await on_screen(pilot, "RatingScreen")  # the note after a stop (issue 14): none
        await pilot.press("escape")
        await on_screen(pilot, "SummaryScreen")
        summary = text_of(app, "#summary-text")
        assert "Stopped: 0 of 2 steps, 3 s of 58 s practised. It does not count" in summary
        assert "6 → –" in summary  # --post is for a session that ends, not a stopped one
        assert app.return_code is None  # still open: the summary waits for the person
        await pilot.press("enter")
        await until(pilot, lambda: app.return_code is not None, "the app to exit")
    assert app.return_code == 0
    record = env.records()[-1]
    assert (record["completed"], record["post"]) == (False, None)


async def test_h_on_a_coach_run_summary_opens_the_history_and_exits_after_it(tmp_path: Path) -> None:
    # `coach run` leaves the app after the summary; `h` must open History first, not race
    # the exit (it used to end in NoMatches '#history-table' as the app closed under it).
    env = Env(tmp_path, history=HISTORY)
    app = env.app(start="slow-breaths", pre=6, post=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "PlayerScreen")
        await advance(pilot, env, 60)
        await on_screen(pilot, "SummaryScreen")
        await pilot.press("h")
        await on_screen(pilot, "HistoryScreen")
        await until(pilot, lambda: app.screen.query_one("#history-table").row_count == 3)
        assert app.return_code is None  # History stays until the person leaves it
        await pilot.press("escape")
        await until(pilot, lambda: app.return_code is not None, "the app to exit")
    assert app.return_code == 0


@pytest.mark.parametrize(("pre", "post", "heading"), [(2, 5, "Completed"), (5, 6, "Completed"),
                                                      (5, 5, "Well done"), (6, 2, "Well done")])  # fmt: skip
async def test_a_completed_session_whose_stress_rose_is_not_cheered(
    tmp_path: Path, pre: int, post: int, heading: str
) -> None:
    env = Env(tmp_path)
    app = env.app(start="slow-breaths", pre=pre, post=post)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "PlayerScreen")
        for _ in range(59):
            await advance(pilot, env, 1)
        await on_screen(pilot, "SummaryScreen")
        summary = text_of(app, "#summary-text")
        assert summary.startswith(f"{heading}\nSlow breaths"), summary
        assert "Completed: 2 of 2 steps" in summary
        assert ("Well done" in summary) == (heading == "Well done")
