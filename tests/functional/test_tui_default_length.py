"""The default length (a setting, DESIGN: The app, settings): a routine started without a
length chosen is scaled to about that many minutes (`coach.scaling`); a length chosen (`l`,
as written included) wins, and a plan's session runs as written (the therapist's dosage)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.functional.test_tui_plans import PLAN, plan_env
from tests.helpers.tui import Env, loaded, on_screen, until

SLOW_WRITTEN = 58  # seconds: slow-breaths (tests/helpers/tui.py) as written


async def _highlight(pilot, routine_id: str) -> None:  # type: ignore[no-untyped-def]
    routines = pilot.app.screen.query_one("#routines")
    routines.highlighted = [info.id for info in routines.infos].index(routine_id)
    await pilot.pause()


async def _planned_after(pilot, *keys: str) -> float:  # type: ignore[no-untyped-def]
    """Press `keys` on home, rate, and the planned seconds of the session that starts."""
    app = pilot.app
    await pilot.press(*keys)
    await until(pilot, lambda: type(app.screen).__name__ in ("CautionsScreen", "RatingScreen"))
    if type(app.screen).__name__ == "CautionsScreen":
        await pilot.press("enter")
    await on_screen(pilot, "RatingScreen")
    await pilot.press("s")
    await on_screen(pilot, "PlayerScreen")
    return float(app.practice.session.planned_seconds)


async def test_enter_scales_to_the_default_length_and_remembers_it(tmp_path: Path) -> None:
    env = Env(tmp_path, settings={"default_minutes": 2})
    async with env.app().run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await _highlight(pilot, "slow-breaths")
        planned = await _planned_after(pilot, "enter")
    assert abs(planned - 120) <= 12, planned  # about 2 min, not the 58 s written
    last = json.loads((env.root / "usual.json").read_text(encoding="utf-8"))["last"]
    assert last == {"routine": "slow-breaths", "minutes": 2}  # `r` runs it at that length again


async def test_without_a_default_length_enter_runs_as_written(tmp_path: Path) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await _highlight(pilot, "slow-breaths")
        planned = await _planned_after(pilot, "enter")
    assert planned == pytest.approx(SLOW_WRITTEN)


async def test_as_written_chosen_with_l_wins_over_the_default(tmp_path: Path) -> None:
    env = Env(tmp_path, settings={"default_minutes": 10})
    async with env.app().run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await _highlight(pilot, "slow-breaths")
        await pilot.press("l")
        await on_screen(pilot, "ChoiceScreen")
        planned = await _planned_after(pilot, "enter")  # the first choice: as written
    assert planned == pytest.approx(SLOW_WRITTEN)


async def test_a_plans_session_runs_as_written_despite_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = plan_env(tmp_path, monkeypatch, plans=(PLAN,), history="")
    settings = json.loads(env.settings_path.read_text())
    env.settings_path.write_text(json.dumps({**settings, "default_minutes": 10}))
    written = env.library().load(env.library().find("neck-release")).total_seconds
    async with env.app().run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await _highlight(pilot, "neck-release")  # in PLAN: the session counts towards it
        planned = await _planned_after(pilot, "enter")
        assert pilot.app.practice.plan == PLAN["id"]
    assert planned == pytest.approx(written)
