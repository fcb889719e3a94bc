"""A plan's session in the app runs as the therapist wrote it, even with a length chosen
(`l` on home): a shortened session would count as a full one (issue 13). A notice says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.tui.screens.home import LENGTH_CHOICES
from tests.functional.test_tui_default_length import _highlight, _planned_after
from tests.functional.test_tui_plans import PLAN, plan_env
from tests.helpers.tui import loaded, on_screen


async def test_a_length_chosen_for_a_plans_session_is_not_used_and_a_notice_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = plan_env(tmp_path, monkeypatch, plans=(PLAN,), history="")
    written = env.library().load(env.library().find("neck-release")).total_seconds
    assert abs(written - LENGTH_CHOICES[0] * 60) >= 30  # 90 s written, about 2 min chosen
    async with env.app().run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await _highlight(pilot, "neck-release")  # in PLAN: the session counts towards it
        await pilot.press("l")
        await on_screen(pilot, "ChoiceScreen")
        planned = await _planned_after(pilot, "down", "enter")  # the second choice: about N min
        app = pilot.app
        assert app.practice.plan == PLAN["id"]
        told = [str(n.message) for n in app._notifications]
    assert planned == pytest.approx(written)
    notice = f"This session counts towards plan '{PLAN['id']}', so it runs as the therapist wrote it"
    assert f"{notice}, not shortened." in told
