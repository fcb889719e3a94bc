"""Snapshot tests: SVGs of each screen at 80x24 with a fake clock, fixed routines, a fixed
history and a fixed "today" (tests/__snapshots__/). Update with `pytest --snapshot-update`
and look at the SVGs before committing them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.helpers.tui import HISTORY, SIZE, Env, advance, into_player, loaded, on_screen, until


def check(snap_compare: Any, app: Any, run_before: Any, size: tuple[int, int] = SIZE) -> None:
    assert snap_compare(app, run_before=run_before, terminal_size=size)


async def home_ready(pilot: Any) -> None:
    await loaded(pilot)
    app = pilot.app
    await until(pilot, lambda: "Box breathing  48 s" in str(app.screen.query_one("#detail-text").render()),
                "the steps of the selected routine")  # fmt: skip


def test_home(snap_compare: Any, tmp_path: Path) -> None:
    env = Env(tmp_path, history=HISTORY)
    check(snap_compare, env.app(), home_ready)


def test_home_narrow(snap_compare: Any, tmp_path: Path) -> None:
    env = Env(tmp_path, history=HISTORY)
    check(snap_compare, env.app(), home_ready, size=(40, 12))


def test_first_run(snap_compare: Any, tmp_path: Path) -> None:
    env = Env(tmp_path, first_run_seen=False)

    async def run_before(pilot: Any) -> None:
        await home_ready(pilot)
        await pilot.press("enter")
        await on_screen(pilot, "FirstRunScreen")

    check(snap_compare, env.app(), run_before)


def test_cautions(snap_compare: Any, tmp_path: Path) -> None:
    env = Env(tmp_path)

    async def run_before(pilot: Any) -> None:
        await home_ready(pilot)
        await pilot.press("down", "down", "enter")
        await on_screen(pilot, "CautionsScreen")

    check(snap_compare, env.app(), run_before)


def test_pre_rating(snap_compare: Any, tmp_path: Path) -> None:
    env = Env(tmp_path)

    async def run_before(pilot: Any) -> None:
        await home_ready(pilot)
        await pilot.press("enter")
        await on_screen(pilot, "RatingScreen")
        await pilot.press("7")

    check(snap_compare, env.app(), run_before)


def test_player_massage_step(snap_compare: Any, tmp_path: Path) -> None:
    env = Env(tmp_path)

    async def run_before(pilot: Any) -> None:
        await home_ready(pilot)
        await pilot.press("down", "down", "enter")
        await on_screen(pilot, "CautionsScreen")
        await pilot.press("enter")
        await on_screen(pilot, "RatingScreen")
        await pilot.press("7", "enter")
        await on_screen(pilot, "PlayerScreen")
        await advance(pilot, env, 12.4)

    check(snap_compare, env.app(), run_before)


def test_player_mid_inhale(snap_compare: Any, tmp_path: Path) -> None:
    env = Env(tmp_path)

    async def run_before(pilot: Any) -> None:
        await into_player(pilot)  # box breathing: inhale 4 s
        await advance(pilot, env, 16 + 2.5)  # second breath, 2.5 s into breathing in

    check(snap_compare, env.app(), run_before)


def test_player_reduced_motion(snap_compare: Any, tmp_path: Path) -> None:
    env = Env(tmp_path, settings={"reduced_motion": True})

    async def run_before(pilot: Any) -> None:
        await into_player(pilot)
        await advance(pilot, env, 16 + 2.5)

    check(snap_compare, env.app(), run_before)


def test_player_paused(snap_compare: Any, tmp_path: Path) -> None:
    env = Env(tmp_path)

    async def run_before(pilot: Any) -> None:
        await into_player(pilot)
        await advance(pilot, env, 21)  # holding
        await pilot.press("space")
        await advance(pilot, env, 30)

    check(snap_compare, env.app(), run_before)


def test_player_at_40x12(snap_compare: Any, tmp_path: Path) -> None:
    env = Env(tmp_path)

    async def run_before(pilot: Any) -> None:
        await into_player(pilot)
        await advance(pilot, env, 6)
        await pilot.resize_terminal(40, 12)
        await advance(pilot, env, 0.1)

    check(snap_compare, env.app(), run_before)


def test_player_reps_step(snap_compare: Any, tmp_path: Path) -> None:
    from tests.helpers.player_routines import GUIDED

    env = Env(tmp_path, routines=(GUIDED,))

    async def run_before(pilot: Any) -> None:
        await into_player(pilot)  # hold the tender spot: 3 reps of hold 8 s, release 4 s
        await advance(pilot, env, 12 + 3.5)  # rep 2, holding

    check(snap_compare, env.app(), run_before)


def test_player_gentler_beside_the_hand_position(snap_compare: Any, tmp_path: Path) -> None:
    env = Env(tmp_path)

    async def run_before(pilot: Any) -> None:
        await home_ready(pilot)
        await pilot.press("down", "down", "enter")
        await on_screen(pilot, "CautionsScreen")
        await pilot.press("enter")
        await on_screen(pilot, "RatingScreen")
        await pilot.press("7", "enter")
        await on_screen(pilot, "PlayerScreen")
        await advance(pilot, env, 4)
        await pilot.press("g")
        await advance(pilot, env, 0.1)

    check(snap_compare, env.app(), run_before, size=(100, 12))


def test_player_too_much(snap_compare: Any, tmp_path: Path) -> None:
    from tests.helpers.player_routines import GUIDED

    env = Env(tmp_path, routines=(GUIDED,))

    async def run_before(pilot: Any) -> None:
        await into_player(pilot)
        await advance(pilot, env, 5)
        await pilot.press("t")
        await on_screen(pilot, "TooMuchScreen")

    check(snap_compare, env.app(), run_before)


def test_player_pacer_at_100x12(snap_compare: Any, tmp_path: Path) -> None:
    env = Env(tmp_path)

    async def run_before(pilot: Any) -> None:
        await into_player(pilot)  # box breathing
        await advance(pilot, env, 16 + 2.5)

    check(snap_compare, env.app(), run_before, size=(100, 12))


def test_post_rating(snap_compare: Any, tmp_path: Path) -> None:
    env = Env(tmp_path)

    async def run_before(pilot: Any) -> None:
        await into_player(pilot)
        await advance(pilot, env, 60)
        await on_screen(pilot, "RatingScreen")
        await pilot.press("3")

    check(snap_compare, env.app(), run_before)


def test_summary(snap_compare: Any, tmp_path: Path) -> None:
    env = Env(tmp_path, history=HISTORY)

    async def run_before(pilot: Any) -> None:
        await into_player(pilot)
        await advance(pilot, env, 60)
        await on_screen(pilot, "RatingScreen")
        await pilot.press("3", "tab", *"calmer", "enter")
        await on_screen(pilot, "SummaryScreen")

    check(snap_compare, env.app(), run_before)


def test_history(snap_compare: Any, tmp_path: Path) -> None:
    env = Env(tmp_path, history=HISTORY + "not a record\n")

    async def run_before(pilot: Any) -> None:
        await home_ready(pilot)
        await pilot.press("h")
        await on_screen(pilot, "HistoryScreen")
        await until(pilot, lambda: pilot.app.screen.query_one("#history-table").row_count == 8)
        await pilot.pause()

    check(snap_compare, env.app(), run_before)


def test_help(snap_compare: Any, tmp_path: Path) -> None:
    env = Env(tmp_path)

    async def run_before(pilot: Any) -> None:
        await home_ready(pilot)
        await pilot.press("question_mark")
        await on_screen(pilot, "HelpScreen")

    check(snap_compare, env.app(), run_before)


def test_settings(snap_compare: Any, tmp_path: Path) -> None:
    env = Env(tmp_path, settings={"lead_in": True, "default_minutes": 5})  # the lead-in's default: on

    async def run_before(pilot: Any) -> None:
        await home_ready(pilot)
        await pilot.press("s")
        await on_screen(pilot, "SettingsScreen")

    check(snap_compare, env.app(), run_before)
