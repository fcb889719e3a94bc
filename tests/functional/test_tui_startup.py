"""Home's start: `coach` pauses Python's garbage collector until the first frame is out
(coach.tui.launch.open_home), and the app turns it back on then, or when it ends early; the
first frame holds the routine list with the focus in it."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def collector_restored() -> Iterator[None]:
    """Whatever a test does, the collector runs again after it."""
    try:
        yield
    finally:
        gc.enable()


@pytest.mark.usefixtures("collector_restored")
async def test_the_collector_runs_again_once_home_has_painted(tmp_path: Path, monkeypatch: Any) -> None:
    from coach.tui.app import CoachApp
    from coach.tui.screens.home import HomeScreen
    from tests.helpers.tui import Env, loaded

    env = Env(tmp_path)
    async with env.app().run_test(size=(100, 30)) as pilot:  # a first start: writes the cache
        await loaded(pilot)
    seen: list[tuple[bool, int, str | None]] = []
    build = HomeScreen._build

    def spy(self: HomeScreen) -> None:  # runs once the first frame is out
        focused = self.app.focused
        seen.append((gc.isenabled(), self.routine_list.option_count, focused.id if focused else None))
        build(self)

    monkeypatch.setattr(HomeScreen, "_build", spy)
    gc.disable()  # as open_home does
    app = CoachApp(env.services, collector_paused=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert gc.isenabled()
        await pilot.press("down")  # the list answers keys
        assert app.screen.routine_list.highlighted == 1
    # Paused through the first frame, which held the whole list, with the focus in it.
    assert seen == [(False, 3, "routines")]


@pytest.mark.usefixtures("collector_restored")
async def test_an_app_that_did_not_pause_it_leaves_the_collector_alone(tmp_path: Path) -> None:
    from tests.helpers.tui import Env, loaded

    env = Env(tmp_path)
    gc.disable()  # someone else's choice (a test, a profiler): not the app's to undo
    async with env.app().run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert not gc.isenabled()


@pytest.mark.usefixtures("collector_restored")
def test_open_home_turns_the_collector_back_on_when_the_app_fails(monkeypatch: Any) -> None:
    from coach.tui import launch
    from coach.tui.app import CoachApp

    def fail(self: CoachApp) -> None:
        assert not gc.isenabled()  # paused for the start
        raise RuntimeError("the terminal went away")

    monkeypatch.setenv("COACH_FORCE_APP", "1")
    monkeypatch.setattr(CoachApp, "__init__", lambda self, **_: None)
    monkeypatch.setattr(CoachApp, "run", fail)
    with pytest.raises(RuntimeError):
        launch.open_home()
    assert gc.isenabled()
