"""After time away (SIGSTOP/SIGCONT, a closed lid) the app says what the plain runner says
(coach.text.time_away_text), with Space's hint where the line has room. Pilot, fake clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.tui import Env, advance, into_player, text_of


@pytest.mark.parametrize("columns", [80, 120])
async def test_the_app_says_how_long_it_was_stopped_until_it_goes_on(tmp_path: Path, columns: int) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=(columns, 24)) as pilot:
        app = pilot.app
        await into_player(pilot)
        await advance(pilot, env, 5)
        env.clock.advance(12)  # no redraw for 12 s: the process was stopped
        app.screen.redraw()
        await pilot.pause()
        said = "Paused: Coach was stopped for 12 seconds; that time is not counted. Press Space to go on."
        assert text_of(app, "#state-line") == said
        # At 80 columns it takes two lines; at 120, one. The title is not covered.
        assert app.screen.query_one("#state-line").size.height == (2 if columns == 80 else 1)
        await pilot.press("space")  # going on: the words go with the pause
        await advance(pilot, env, 4)
        assert "Paused" not in text_of(app, "#state-line")
        await pilot.press("space")  # a pause of the person's own is only a pause
        await pilot.pause()
        assert text_of(app, "#state-line") == "Paused. Press Space to go on."
