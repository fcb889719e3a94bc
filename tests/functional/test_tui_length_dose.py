"""The app's length choice (`l` on home) offers only lengths the routine can honestly reach
(issue 15): 4-7-8's four breaths are the dose, so it offers "as written", 2 and 3 minutes,
never 10 (which used to give 19 breaths)."""

from __future__ import annotations

import json
from pathlib import Path

from coach.paths import builtin_routines_dir
from tests.helpers.tui import Env, loaded, on_screen


async def test_l_offers_only_lengths_the_dose_allows(tmp_path: Path) -> None:
    four_7_8 = json.loads((builtin_routines_dir() / "breathing-4-7-8.json").read_text(encoding="utf-8"))
    env = Env(tmp_path, routines=(four_7_8,))
    async with env.app().run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("l")
        await on_screen(pilot, "ChoiceScreen")
        choices = pilot.app.screen.choices
    assert [value for value, _ in choices] == [None, "2", "3"], choices
    assert choices[0][1] == "As written (about 2 min)"
