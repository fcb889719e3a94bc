"""The app asks which plan a session counts towards when several active plans include its
routine (coach.start.attribute decides; coach.tui.flow.which_plan asks)."""

from __future__ import annotations

import pytest

from tests.functional.test_tui_plans import PLAN, plan_env
from tests.helpers.tui import SIZE, on_screen, until

# Both running on the tests' today (Thu 26 Nov 2026), both with neck-release as an item.
OTHER = {**PLAN, "id": "sam-2026-11", "routines": [], "pain": {"area": "neck"},
         "items": [{"routine": "neck-release", "per_week": 3}]}  # fmt: skip


async def run_neck_release(tmp_path, monkeypatch, keys: tuple[str, ...]):  # type: ignore[no-untyped-def]
    env = plan_env(tmp_path, monkeypatch, plans=(PLAN, OTHER), history="")
    app = env.app(start="neck-release", pre=5, post=3)
    async with app.run_test(size=SIZE) as pilot:
        await on_screen(pilot, "CautionsScreen")
        await pilot.press("enter")
        await on_screen(pilot, "ChoiceScreen")
        await pilot.press(*keys)
        # The plan that asks about pain asks before and after (coach.tui.screens.pain_rating): skipped.
        await until(pilot, lambda: type(app.screen).__name__ in ("PlayerScreen", "PainRatingScreen"))
        if type(app.screen).__name__ == "PainRatingScreen":
            await pilot.press("s")
        await on_screen(pilot, "PlayerScreen")
        app.screen.practice.session.away_after = None  # a jump to the end, not time away
        env.clock.advance(10_000)
        ends = ("SummaryScreen", "PainRatingScreen")
        await until(pilot, lambda: type(app.screen).__name__ in ends, tries=400)
        if type(app.screen).__name__ == "PainRatingScreen":
            await pilot.press("s")
        await on_screen(pilot, "SummaryScreen")
    return env.records()


# The plans are listed by id, then "None of them", which is highlighted first: Enter alone
# counts the session towards none, as the plain runner does.
@pytest.mark.parametrize(("keys", "plan", "pain_area"), [
    (("enter",), None, None),
    (("up", "enter"), "sam-2026-11", "neck"),  # the plan that asks for pain: its area is kept
    (("up", "up", "enter"), "kim-2026-11", None),
])  # fmt: skip
async def test_the_app_asks_which_plan_and_counts_the_choice(
    tmp_path, monkeypatch, keys: tuple[str, ...], plan: str | None, pain_area: str | None
) -> None:  # type: ignore[no-untyped-def]
    (record,) = await run_neck_release(tmp_path, monkeypatch, keys)
    assert (record["routine"], record["plan"], record["pain_area"]) == ("neck-release", plan, pain_area)
