"""The usual break in the app (issue 15): `r` starts the last routine at its length; the
caution screen only before a routine's first session and when its cautions change (else a
line on the rating screen and `c`); the concerns survive a restart; a length chosen scales
the session and the record keeps what was planned; the post-rating shows the pre-rating;
the search filters once typing pauses and loses nothing; plans imported while the app runs
appear; Ctrl+C asks, like q."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from coach.start import StartRequest
from coach.tui.app import CoachApp
from coach.tui.screens import home
from tests.helpers.tui import NECK, UNTIL_SECONDS, Env, advance, loaded, on_screen, text_of, until


def listed(app: CoachApp) -> list[str]:
    return [info.id for info in app.screen.query_one("#routines").infos]


def remember(env: Env, **usual: object) -> None:
    (env.root / "usual.json").write_text(json.dumps(usual), encoding="utf-8")


def usual_of(env: Env) -> dict[str, object]:
    return json.loads((env.root / "usual.json").read_text(encoding="utf-8"))


async def highlight(pilot, routine_id: str) -> None:  # type: ignore[no-untyped-def]
    routines = pilot.app.screen.query_one("#routines")
    routines.highlighted = [info.id for info in routines.infos].index(routine_id)
    await pilot.pause()


async def test_r_starts_the_last_routine_at_the_length_chosen_then(tmp_path: Path) -> None:
    env = Env(tmp_path)
    remember(env, last={"routine": "slow-breaths", "minutes": 2})
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await loaded(pilot)
        await until(pilot, lambda: "r again: Slow breaths (about 2 min)" in text_of(app, "#status"))
        await pilot.press("r")
        await on_screen(pilot, "RatingScreen")  # no cautions: straight to the one question
        await pilot.press("5", "enter")
        await on_screen(pilot, "PlayerScreen")
        planned = app.practice.session.planned_seconds
        assert app.practice.routine_id == "slow-breaths"
    assert abs(planned - 120) <= 12, planned  # 58 s as written, scaled to about 2 min


async def test_r_with_nothing_started_yet_says_so(tmp_path: Path) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await loaded(pilot)
        await pilot.press("r")
        told = lambda: any("No routine started yet" in str(n.message) for n in app._notifications)  # noqa: E731
        await until(pilot, told)
        assert type(app.screen).__name__ == "HomeScreen" and not app.in_session


async def test_cautions_first_session_then_a_line_then_again_when_they_change(tmp_path: Path) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=(80, 24)) as pilot:  # first session: the caution screen
        await loaded(pilot)
        await highlight(pilot, "neck-release")
        await pilot.press("enter")
        await on_screen(pilot, "CautionsScreen")
        await pilot.press("enter")  # acknowledged
        await on_screen(pilot, "RatingScreen")
        assert not pilot.app.screen.query("#rating-cautions")  # just read: no line
        await pilot.press("escape")
        await on_screen(pilot, "HomeScreen")
        await pilot.press("enter")  # unchanged, same run: one line, and c reads them
        await on_screen(pilot, "RatingScreen")
        assert "2 cautions you have read: c to read them again" in text_of(pilot.app, "#rating-cautions")
        await pilot.press("c")
        await on_screen(pilot, "CautionsScreen")
        assert "Never press on the front" in text_of(pilot.app, "#cautions-text")
        await pilot.press("escape")
        await on_screen(pilot, "RatingScreen")
    async with env.app().run_test(size=(80, 24)) as pilot:  # unchanged after a restart
        await loaded(pilot)
        await highlight(pilot, "neck-release")
        await pilot.press("enter")
        await on_screen(pilot, "RatingScreen")
        assert pilot.app.screen.query("#rating-cautions")
    changed = {**NECK, "stop_if": ["Pain spreads into the arm."]}
    (env.builtin / "neck-release.json").write_text(json.dumps(changed), encoding="utf-8")
    async with env.app().run_test(size=(80, 24)) as pilot:  # changed: the screen again
        await loaded(pilot)
        await highlight(pilot, "neck-release")
        await pilot.press("enter")
        await on_screen(pilot, "CautionsScreen")
        shown = text_of(pilot.app, "#cautions-text")
    assert "Stop and get help if:" in shown and "Pain spreads into the arm." in shown


async def test_a_session_is_remembered_and_the_post_rating_shows_the_pre_rating(tmp_path: Path) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await loaded(pilot)
        await highlight(pilot, "slow-breaths")
        await pilot.press("enter")
        await on_screen(pilot, "RatingScreen")
        await pilot.press("7", "enter")
        await on_screen(pilot, "PlayerScreen")
        await pilot.press("s")
        await advance(pilot, env, 1)
        await pilot.press("s")  # both steps skipped: the session is over
        await on_screen(pilot, "RatingScreen")
        assert text_of(app, "#rating-before") == "Before: 7"
        await pilot.press("3", "enter")
        await on_screen(pilot, "SummaryScreen")
        await pilot.press("enter")
        await on_screen(pilot, "HomeScreen")
        await until(pilot, lambda: text_of(app, "#status").endswith("   r again"))
    assert usual_of(env)["last"] == {"routine": "slow-breaths", "minutes": None}


async def test_the_concerns_survive_a_restart(tmp_path: Path) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("t", "space")  # Neck
        saved = env.root / "usual.json"
        await until(pilot, lambda: saved.exists() and usual_of(env)["concerns"] == ["neck"])
    async with env.app().run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        picker = pilot.app.screen.query_one("#intake")
        await until(pilot, lambda: picker.chosen == {"neck"})
        assert listed(pilot.app)[0] == "neck-release"  # the best fit for it first


async def test_a_length_chosen_scales_the_session_and_the_record_keeps_it(tmp_path: Path) -> None:
    env = Env(tmp_path)
    info = env.library().find("slow-breaths")
    app = CoachApp(env.services, start=StartRequest(info, pre=4, post=3, minutes=2, exit_after=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "PlayerScreen")
        for _ in range(14):
            await advance(pilot, env, 10)
        await on_screen(pilot, "SummaryScreen")
    [record] = env.records()
    assert record["routine"] == "slow-breaths" and record["completed"] is True
    assert abs(record["planned_seconds"] - 120) <= 12  # as written it is 58 s
    assert usual_of(env)["last"] == {"routine": "slow-breaths", "minutes": 2}


async def test_l_offers_lengths_for_the_selected_routine(tmp_path: Path) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await loaded(pilot)
        await highlight(pilot, "slow-breaths")
        await pilot.press("l")
        await on_screen(pilot, "ChoiceScreen")
        await pilot.press("down", "down", "down", "enter")  # as written, 2, 3, 5: about 5 min
        await on_screen(pilot, "RatingScreen")
        await pilot.press("s")
        await on_screen(pilot, "PlayerScreen")
        planned = app.practice.session.planned_seconds
    assert abs(planned - 300) <= 30, planned


async def test_search_typed_fast_after_deletes_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys arrive as the terminal driver posts them: a burst, nothing awaited in between
    (Pilot's `press` waits after each key, which hides the race). Before the search box
    handled its editing keys itself, this gave "zzzzs": the letters overtook Backspace."""
    from textual import events

    monkeypatch.setattr(home, "SEARCH_PAUSE", 0.6)  # a slow machine's burst still comes first
    env = Env(tmp_path)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await loaded(pilot)
        screen = app.screen
        rebuilt: list[int] = []
        real = screen._refresh_list

        def counted(**kwargs: bool) -> None:
            rebuilt.append(1)
            real(**kwargs)

        screen._refresh_list = counted  # type: ignore[method-assign]
        await pilot.press("slash")
        burst = [*"zzzzzzzz", "backspace", "backspace", "backspace", "backspace", *"slow"]
        for key in burst:
            app.post_message(events.Key(key, "\x7f" if key == "backspace" else key))
        await pilot.pause()
        assert screen.search.value == "zzzzslow"  # every key kept, in the order typed
        assert rebuilt == []  # nothing rebuilt while typing
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace", "backspace",
                          "backspace", "backspace")  # fmt: skip
        # Once, after the pause (polled: a loaded machine may run the timer late).
        await until(pilot, lambda: len(rebuilt) >= 1, "the rebuild after the pause")
        assert screen.search.value == "" and len(rebuilt) == 1
        await pilot.press(*"slow")
        await until(pilot, lambda: listed(app) == ["slow-breaths"], "the search")


async def test_a_plan_imported_while_the_app_runs_is_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coach.library import Library
    from coach.plan_store import import_plan
    from tests.helpers.plans import BASE
    from tests.helpers.plans import text_of as plan_text

    monkeypatch.setattr(home, "PLANS_CHECK", 0.1)
    env = Env(tmp_path)
    folder = tmp_path / "plans"
    folder.mkdir()
    env.services.library = lambda: Library(builtin_dir=env.builtin, user_dir=tmp_path / "user",
                                           plans_dir=folder, cache_path=tmp_path / "cache.json")  # fmt: skip
    env.services.plans_dir = folder
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await loaded(pilot)
        assert "kim-2026/kim-breathing" not in listed(app)
        source = tmp_path / "plan.json"
        source.write_bytes(plan_text(BASE))
        import_plan(source, folder)  # as `coach plan import` in another window
        await until(pilot, lambda: "kim-2026/kim-breathing" in listed(app), "the plan's routine")


async def test_ctrl_c_asks_to_quit_on_home_and_to_end_the_session_in_the_player(tmp_path: Path) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await loaded(pilot)
        await pilot.press("ctrl+c")
        await on_screen(pilot, "ConfirmScreen")
        assert "Quit Coach?" in text_of(app, "#confirm-question")
        await pilot.press("n")
        await on_screen(pilot, "HomeScreen")
        await highlight(pilot, "slow-breaths")
        await pilot.press("enter")
        await on_screen(pilot, "RatingScreen")
        await pilot.press("5", "enter")
        await on_screen(pilot, "PlayerScreen")
        await pilot.press("ctrl+c")
        await on_screen(pilot, "ConfirmScreen")
        assert "End this session now?" in text_of(app, "#confirm-question")
        assert app.practice.state == "paused"  # the clock stops while it asks
        await pilot.press("y")
        await on_screen(pilot, "RatingScreen")  # the note after a stop: Esc leaves it out
        await pilot.press("escape")
        await on_screen(pilot, "SummaryScreen")
    [record] = env.records()
    assert record["completed"] is False and record["ran_to_end"] is False


async def test_coach_run_as_a_reminder_starts_it_lands_on_the_one_question(tmp_path: Path) -> None:
    """`coach remind` runs `coach run ROUTINE` on Enter: once the cautions were read, the
    pre-rating is the only screen before the session."""
    from coach.usual import cautions_hash

    env = Env(tmp_path)
    remember(env, cautions_seen={"neck-release": cautions_hash(NECK["cautions"], [])})
    app = env.app(start="neck-release")
    seen: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        deadline = time.monotonic() + UNTIL_SECONDS  # each screen on the way is noted
        while time.monotonic() < deadline:
            name = type(app.screen).__name__
            if not seen or seen[-1] != name:
                seen.append(name)
            if name == "RatingScreen":
                break
            await pilot.pause(0.02)
        await pilot.press("5", "enter")
        await on_screen(pilot, "PlayerScreen")
    assert "CautionsScreen" not in seen and seen[-1] == "RatingScreen"
