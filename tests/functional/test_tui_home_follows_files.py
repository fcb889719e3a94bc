"""Home follows what other windows write while it stays open (a desk worker with
`coach remind` in another pane): a session recorded, the last routine changed, a routine
added to or edited in the user's folder. Home looks every HISTORY_CHECK seconds
(coach.tui.stamps), shortened here; every wait polls for its condition.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from coach.tui.app import CoachApp
from coach.tui.screens import home
from tests.helpers.tui import FEET, Env, history_line, loaded, text_of, until


@pytest.fixture(autouse=True)
def _look_often(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(home, "HISTORY_CHECK", 0.05)


def replace_with(path: Path, text: str, staging: Path) -> None:
    """Write `path` in one step, as a program that saves atomically does (a temporary file
    in `staging`, outside the folder home looks at, then a rename): each look sees the old
    file or the new one, so one change makes exactly one reading, and no half-written file
    is ever read."""
    staging.mkdir(exist_ok=True)
    temporary = staging / path.name
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def listed(app: CoachApp) -> list[str]:
    return [info.id for info in app.screen.query_one("#routines").infos]


async def looked(pilot: Any) -> None:
    """Home's first look at the files (its baseline) is done: what the test writes now is
    a change it must notice."""
    await loaded(pilot)
    await until(pilot, lambda: getattr(pilot.app.screen, "_stamps", None) is not None, "home's first look")


async def test_a_session_recorded_elsewhere_updates_the_last_line_streak_and_r(tmp_path: Path) -> None:
    env = Env(tmp_path)
    (tmp_path / "usual.json").write_text(json.dumps({"last": {"routine": "neck-release", "minutes": None}}))
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await looked(pilot)
        await until(pilot, lambda: "r again: Neck and shoulder release" in text_of(app, "#status"))
        assert text_of(app, "#status").startswith("No sessions yet.")
        # `coach remind` in another pane: Feet with a ball, recorded, and remembered for `r`.
        with env.history_path.open("a", encoding="utf-8") as file:
            file.write(history_line(26, "feet-ball", "Feet with a ball", 6, 2))
        replace_with(tmp_path / "usual.json", json.dumps({"last": {"routine": "feet-ball", "minutes": None}}),
                     tmp_path / "staging")  # fmt: skip
        want = "Last: Feet with a ball · today · 6 → 2   Streak: 1 day   r again"
        await until(pilot, lambda: text_of(app, "#status") == want, "home's line")
        # A second session (another routine) while home stays open: the line follows again.
        with env.history_path.open("a", encoding="utf-8") as file:
            file.write(history_line(26, "slow-breaths", "Slow breaths", 5, 4).replace("T09:00", "T15:00"))
        await until(pilot, lambda: text_of(app, "#status").startswith("Last: Slow breaths · today"), "again")
        assert "r again: Feet with a ball" in text_of(app, "#status")


async def test_a_routine_added_to_the_users_folder_is_listed_and_an_edit_shows(tmp_path: Path) -> None:
    env = Env(tmp_path, routines=(FEET,))
    folder = tmp_path / "user"  # the Env's user routines folder, empty at the start
    folder.mkdir()
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await looked(pilot)
        assert listed(app) == ["feet-ball"]
        mine = {"format": 1, "id": "my-jaw", "title": "My jaw release",
                "steps": [{"type": "rest", "title": "Let the jaw hang", "seconds": 30}]}  # fmt: skip
        replace_with(folder / "my-jaw.json", json.dumps(mine), tmp_path / "staging")
        await until(pilot, lambda: "my-jaw" in listed(app), "the new routine")
        # An edit saved under the same name shows too.
        mine["title"] = "My jaw, softer"
        replace_with(folder / "my-jaw.json", json.dumps(mine, indent=2), tmp_path / "staging")
        titles = lambda: [i.title for i in app.screen.query_one("#routines").infos]  # noqa: E731
        await until(pilot, lambda: "My jaw, softer" in titles(), "the edited title")
