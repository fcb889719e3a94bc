"""Time away in the app (issue 9), through Pilot with a fake clock: Ctrl+Z suspends, and the
player comes back paused; a stall of the whole app is a pause too."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.tui.app import CoachApp
from coach.tui.screens.player import PlayerScreen
from tests.helpers.tui import Env, advance, into_player, on_screen, text_of


def snap(app):  # type: ignore[no-untyped-def]
    screen = app.screen
    assert isinstance(screen, PlayerScreen)
    return screen.practice.snapshot(screen.clock())


def test_ctrl_z_is_bound_to_suspend() -> None:
    bound = {binding.key: binding.action for binding in CoachApp.BINDINGS}  # type: ignore[union-attr]
    assert bound.get("ctrl+z") == "suspend_process"
    assert callable(getattr(CoachApp, "action_suspend_process", None))


async def test_ctrl_z_reaches_the_suspend_action(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    env = Env(tmp_path)
    calls: list[str] = []
    monkeypatch.setattr(CoachApp, "action_suspend_process", lambda self: calls.append("suspend"))
    async with env.app().run_test(size=(80, 24)) as pilot:
        await into_player(pilot)
        await pilot.press("ctrl+z")
        await pilot.pause()
    assert calls == ["suspend"]


async def test_the_player_pauses_when_the_app_is_suspended_and_comes_back_paused(tmp_path: Path) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await into_player(pilot)
        await advance(pilot, env, 5)
        assert snap(app).state == "running"
        app.app_suspend_signal.publish(app)  # what Ctrl+Z does before SIGTSTP
        await pilot.pause()
        assert snap(app).state == "paused"
        env.clock.advance(40)  # stopped for 40 s
        app.app_resume_signal.publish(app)  # after `fg`
        await advance(pilot, env, 1)
        assert snap(app).state == "paused"
        assert snap(app).active_seconds == 5.0
        assert "Paused" in text_of(app, "#state-line")


async def test_a_stalled_app_comes_back_paused_without_counting_the_stall(tmp_path: Path) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await into_player(pilot)
        await advance(pilot, env, 5)
        env.clock.advance(12)  # no redraw for 12 s: a stopped process, a closed lid
        app.screen.redraw()
        await pilot.pause()
        assert snap(app).state == "paused" and snap(app).active_seconds == 5.0
        assert "Paused" in text_of(app, "#state-line")
        await pilot.press("space")  # the person goes on
        await advance(pilot, env, 3)
        assert snap(app).state == "running" and snap(app).active_seconds == 8.0


@pytest.mark.parametrize(("key", "dialog", "close"), [("q", "ConfirmScreen", "n"),
                                                      ("question_mark", "HelpScreen", "escape")])  # fmt: skip
async def test_ctrl_z_suspends_over_a_dialog_and_the_session_comes_back_paused_under_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str, dialog: str, close: str
) -> None:
    """A dialog hides the app's bindings: Ctrl+Z there did nothing, and the `fg` + Enter
    typed next answered "End it". It suspends from any screen, and the dialog stays up."""
    env = Env(tmp_path)
    calls: list[str] = []

    def suspend(app: CoachApp) -> None:  # what Ctrl+Z, SIGTSTP and `fg` do, minus the stop
        calls.append(type(app.screen).__name__)
        app.app_suspend_signal.publish(app)
        env.clock.advance(30)
        app.app_resume_signal.publish(app)

    monkeypatch.setattr(CoachApp, "action_suspend_process", suspend)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await into_player(pilot)
        player = app.screen
        await advance(pilot, env, 5)
        await pilot.press(key)
        await on_screen(pilot, dialog)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert calls == [dialog]
        assert type(app.screen).__name__ == dialog  # still asking
        assert isinstance(player, PlayerScreen)
        assert player.practice.snapshot(env.clock()).state == "paused"
        assert player.practice.snapshot(env.clock()).active_seconds == 5.0
        await pilot.press(close)  # "Go on" / close the help: still paused after time away
        await on_screen(pilot, "PlayerScreen")
        assert player.practice.snapshot(env.clock()).state == "paused"
        assert "Paused" in text_of(app, "#state-line")
