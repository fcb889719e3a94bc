"""Pilot tests of every screen besides the session itself: home (intake, search, filters,
status), history, settings, help, the command palette, reduced motion and the keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach.tui.screens.player import PlayerScreen
from coach.tui.widgets.pacer import Pacer
from tests.helpers.tui import HISTORY, Env, advance, into_player, loaded, on_screen, text_of, until


def listed(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [info.id for info in app.screen.query_one("#routines").infos]


async def test_home_paints_before_the_routines_load(tmp_path: Path) -> None:
    import threading

    env = Env(tmp_path)
    gate = threading.Event()
    real = env.services.library

    def slow_library():  # type: ignore[no-untyped-def]
        gate.wait(10)
        return real()

    env.services.library = slow_library
    app = env.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "HomeScreen")
        assert "What bothers you today?" in text_of(app, "#intake-label")
        assert "Loading routines" in text_of(app, "#detail-text")
        assert app.catalog is None
        gate.set()
        await loaded(pilot)
        assert listed(app) == ["slow-breaths", "feet-ball", "neck-release"]


async def test_intake_orders_by_fit_without_hiding(tmp_path: Path) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await loaded(pilot)
        await pilot.press("t")  # focus "what bothers you today?"
        assert app.focused.id == "intake"
        for _ in range(8):  # Neck → … → Feet
            await pilot.press("right")
        await pilot.press("space")
        assert app.screen.query_one("#intake").chosen == {"feet"}
        assert listed(app)[0] == "feet-ball"
        assert len(listed(app)) == 3  # nothing hidden
        # The best fit is selected, and the detail beside the list follows it.
        assert app.screen.routine_list.current.id == "feet-ball"
        # The detail follows after the home screen's 0.25 s wait and a read (polled: on a
        # loaded machine a fixed pause can end before the loader does).
        await until(pilot, lambda: text_of(app, "#detail-text").startswith("Feet with a ball"), "the detail")
        await pilot.press("right", "enter")  # and "Just stressed"
        assert listed(app)[:2] in (["feet-ball", "slow-breaths"], ["slow-breaths", "feet-ball"])
        await pilot.press("backspace")  # clear
        assert listed(app) == ["slow-breaths", "feet-ball", "neck-release"]


async def test_search_filters_and_enter_goes_back_to_the_list(tmp_path: Path) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await loaded(pilot)
        await pilot.press("slash")
        assert app.focused.id == "search"
        await pilot.press(*"shoulder")  # letters of screen keys (s, h, …) go to the search box
        # The list follows once typing pauses (SEARCH_PAUSE): polled, not a fixed pause.
        await until(pilot, lambda: listed(app) == ["neck-release"], "the search")
        assert type(app.screen).__name__ == "HomeScreen"
        await pilot.press("enter")
        assert app.focused.id == "routines"
        await pilot.press("escape")  # clears the search
        await until(pilot, lambda: listed(app) == ["slow-breaths", "feet-ball", "neck-release"], "all")
        await pilot.press("slash", *"zzz")
        await until(pilot, lambda: listed(app) == [], "no match")
        assert "No routine matches" in text_of(app, "#detail-text")


@pytest.mark.parametrize(
    ("select", "value", "expected"),
    [
        ("area", "feet", ["feet-ball"]),
        ("kind", "breathing", ["slow-breaths", "neck-release"]),
        ("kind", "stretch", ["feet-ball"]),
        ("length", "short", ["slow-breaths", "feet-ball", "neck-release"]),
        ("length", "long", []),
    ],
)
async def test_filters(tmp_path: Path, select: str, value: str, expected: list[str]) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await loaded(pilot)
        app.screen.query_one("#filter-bar").set_value(select, value)
        await pilot.pause()
        assert listed(app) == expected


async def test_filter_bar_by_keys(tmp_path: Path) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await loaded(pilot)
        await pilot.press("slash", "tab")
        assert app.focused.id == "filter-bar"
        await pilot.press("right")  # Kind
        await pilot.press("enter")
        await on_screen(pilot, "ChoiceScreen")
        await pilot.press("down", "down", "down", "enter")  # any, massage, stretch, breathing
        await on_screen(pilot, "HomeScreen")
        assert app.screen.query_one("#filter-bar").values["kind"] == "breathing"
        assert listed(app) == ["slow-breaths", "neck-release"]
        assert "Kind: breathing" in str(app.screen.query_one("#filter-bar").render())
        await pilot.press("down")  # steps to the next kind in place
        assert app.screen.query_one("#filter-bar").values["kind"] == "rest"
        await pilot.press("enter")
        await on_screen(pilot, "ChoiceScreen")
        await pilot.press("escape")  # cancel: unchanged
        await on_screen(pilot, "HomeScreen")
        assert app.screen.query_one("#filter-bar").values["kind"] == "rest"
        await pilot.press("backspace")
        assert app.screen.query_one("#filter-bar").values["kind"] is None
        assert listed(app) == ["slow-breaths", "feet-ball", "neck-release"]


async def test_detail_shows_steps_and_cautions_of_the_selected_routine(tmp_path: Path) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=(100, 40)) as pilot:
        app = pilot.app
        await loaded(pilot)
        await pilot.press("down", "down")
        await until(pilot, lambda: "Knead the upper trapezius" in text_of(app, "#detail-text"), "steps")
        detail = text_of(app, "#detail-text")
        assert "Neck and shoulder release" in detail and "1 min 30 s" not in detail
        assert "Cautions" in detail and "Never press on the front or sides of the neck." in detail
        assert "1 min, each side" in detail  # 2 x 30 s
        await pilot.press("up")
        await until(pilot, lambda: "You need: a tennis ball" in text_of(app, "#detail-text"), "feet")


async def test_home_status_shows_last_session_and_streak(tmp_path: Path) -> None:
    env = Env(tmp_path, history=HISTORY)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await loaded(pilot)
        status = text_of(app, "#status")
        assert "Last: Neck and shoulder release · today · 7 → 3" in status
        assert "Streak: 3 days" in status  # the 23rd was not completed: 24, 25, 26


async def test_a_recovered_session_is_mentioned_once(tmp_path: Path) -> None:
    import subprocess
    import sys

    from coach.journal import Journal

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    env = Env(tmp_path)
    journal = Journal(env.services.journal_path, pid=proc.pid)  # a process that is gone
    journal.begin({
        "routine": "slow-breaths", "routine_title": "Slow breaths", "routine_hash": "sha256:0",
        "plan": None, "started_at": "2026-11-26T08:00:00+01:00", "planned_seconds": 58,
        "active_seconds": 20.0, "steps_done": 0, "steps_total": 2, "pre": 6, "pauses": 0,
        "skips": 0, "gentler": 0,
    })  # fmt: skip
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await loaded(pilot)
        assert "An interrupted session was saved as stopped: Slow breaths" in text_of(app, "#notice")
        await pilot.press("enter")  # starting a session clears it
        await on_screen(pilot, "RatingScreen")
        await pilot.press("escape")
        await on_screen(pilot, "HomeScreen")
        assert text_of(app, "#notice") == ""
    [record] = env.records()
    assert record["completed"] is False and record["pre"] == 6
    # The next start finds nothing to recover.
    async with env.app().run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert text_of(pilot.app, "#notice") == ""


async def test_history_screen_shows_table_chart_routines_and_unreadable_lines(tmp_path: Path) -> None:
    from textual.widgets import DataTable

    env = Env(tmp_path, history=HISTORY + "not json\n" + HISTORY.splitlines()[0][:40] + "\n")
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await loaded(pilot)
        await pilot.press("h")
        await on_screen(pilot, "HistoryScreen")
        await until(pilot, lambda: app.screen.query_one("#history-table", DataTable).row_count == 8)
        table = app.screen.query_one("#history-table", DataTable)
        first = table.get_row_at(0)
        # At 80 columns the cells are compact to keep Done and Note on screen (the time of
        # day is in the detail view); the change says what it means.
        assert first[0] == "2026-11-26" and str(first[1]).startswith("Neck and shoul")
        assert first[2] == "7→3 large drop"
        assert [table.get_row_at(i)[2] for i in (4, 6)] == ["5→3 drop", "6→5 same"]
        assert "8 sessions" in text_of(app, "#history-head")
        assert "streak 3 days" in text_of(app, "#history-head")  # completed days only
        assert first[3] == "completed" and table.get_row_at(3)[3] == "stopped"
        assert table.get_row_at(3)[2] == "7→–"
        await pilot.press("2")  # the trend view
        await until(pilot, lambda: bool(app.screen.query("#trend-median")) and app.screen.query_one(
            "#trend-median").weeks != [])  # fmt: skip
        weeks = app.screen.query_one("#trend-median").weeks  # the weeks from the first rating
        assert weeks[-1].week_start.isoformat() == "2026-11-23" and weeks[-1].rated > 0
        await pilot.press("3")  # what helped, and every routine's figures
        await until(pilot, lambda: bool(app.screen.query("#history-routines")))
        routines = app.screen.query_one("#history-routines", DataTable)
        await until(pilot, lambda: routines.row_count == 3)
        assert [str(routines.get_row_at(i)[0]) for i in range(routines.row_count)] == [
            "Neck and shoulder release", "Slow breaths", "Feet with a ball"]  # fmt: skip
        assert [str(c) for c in routines.get_row_at(0)[1:]] == ["4 of 4", "12.0", "−3.5", "4"]  # -3 -4 -3 -4
        problems = text_of(app, "#history-problems")
        assert "2 lines of the history could not be read" in problems and "line 9, 10" in problems
        await pilot.press("escape")
        await on_screen(pilot, "HomeScreen")


async def test_history_with_no_sessions(tmp_path: Path) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await loaded(pilot)
        await pilot.press("h")
        await on_screen(pilot, "HistoryScreen")
        await until(pilot, lambda: "no sessions yet" in text_of(app, "#history-head"))
        await pilot.press("2")  # the trend view
        await until(pilot, lambda: bool(app.screen.query("#trend-note")))
        await until(pilot, lambda: "No ratings yet" in text_of(app, "#trend-note"))


async def test_settings_change_and_are_saved(tmp_path: Path) -> None:
    from textual.widgets import Select

    env = Env(tmp_path)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await loaded(pilot)
        await pilot.press("s")
        await on_screen(pilot, "SettingsScreen")
        assert app.focused.id == "sound"
        await pilot.press("enter")  # the switch: sound off
        assert app.muted is True
        await pilot.press("tab")
        assert app.focused.id == "volume"
        await pilot.press("left", "left")
        assert app.settings.volume == 50
        await pilot.press("tab", "tab", "space")  # past the voice choice: reduced motion on
        assert app.settings.reduced_motion is True
        await pilot.press("tab")
        assert app.focused.id == "lead-in"
        assert app.settings.lead_in is False  # Env turns it off for the tests' timing
        await pilot.press("space")  # the 3-2-1 count: on
        assert app.settings.lead_in is True
        await pilot.press("tab")
        assert app.focused.id == "default-length"
        await pilot.press("enter")  # the Select opens: as written, about 2, 3, 5 min
        await pilot.press("down", "down", "down", "enter")
        await until(pilot, lambda: app.settings.default_minutes == 5, "the default length")
        app.screen.query_one("#theme", Select).value = "nord"
        await pilot.pause()
        assert app.theme == "nord"
        await pilot.press("escape")
        await on_screen(pilot, "HomeScreen")
    saved = json.loads(env.settings_path.read_text())
    assert saved == {"sound": False, "volume": 50, "voice": "off", "reduced_motion": True, "theme": "nord",
                     "first_run_seen": True, "lead_in": True, "default_minutes": 5}  # fmt: skip
    # A new app starts with them, and the settings screen shows them.
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        assert app.theme == "nord" and app.muted and app.reduced_motion
        assert app.settings.lead_in is True and app.settings.default_minutes == 5
        await loaded(pilot)
        await pilot.press("s")
        await on_screen(pilot, "SettingsScreen")
        assert app.screen.query_one("#lead-in").value is True
        assert app.screen.query_one("#default-length", Select).value == "5"
        # Back to as written: saved as null.
        app.screen.query_one("#default-length", Select).value = "as-written"
        await pilot.pause()
    assert json.loads(env.settings_path.read_text())["default_minutes"] is None


async def test_settings_that_cannot_be_saved_are_told_not_raised(tmp_path: Path) -> None:
    env = Env(tmp_path)
    env.services.settings_path = tmp_path / "missing" / "file-not-dir"
    (tmp_path / "missing").write_text("a file where a folder should be")
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await loaded(pilot)
        app.change_settings(volume=10)
        await pilot.pause()
        assert app.settings.volume == 10
        assert any("Settings not saved" in str(n.message) for n in app._notifications)


async def test_broken_settings_file_gives_defaults(tmp_path: Path) -> None:
    env = Env(tmp_path)
    env.settings_path.write_text("{not json")
    async with env.app().run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert pilot.app.settings.first_run_seen is False
        assert pilot.app.theme == "textual-dark"


async def test_a_broken_settings_file_is_told_once_and_never_written_over(tmp_path: Path) -> None:
    env = Env(tmp_path)
    text = '{"sound": false, "volume": 20, "theme": "nord",}'
    env.settings_path.write_text(text)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await loaded(pilot)
        told = [str(n.message) for n in app._notifications if "settings" in str(n.message)]
        assert len(told) == 1 and told[0].startswith(f"{env.settings_path}:1:")
        assert told[0].endswith("using the defaults for what cannot be used and leaving the file as it is")
        app.change_settings(volume=10, first_run_seen=True)
        await pilot.pause()
        assert app.settings.volume == 10  # for this run
        # The settings screen does not promise a save it will not make.
        await pilot.press("s")
        await on_screen(pilot, "SettingsScreen")
        where = text_of(app, "#settings-where")
        assert "could not be read and is kept as it is" in where and "Saved at once" not in where
    assert env.settings_path.read_text() == text  # the person's file, as it was


async def test_help_lists_every_key_and_closes(tmp_path: Path) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await loaded(pilot)
        await pilot.press("question_mark")
        await on_screen(pilot, "HelpScreen")
        text = text_of(app, "#help-text")
        for word in ("pause / resume", "skip to the next step", "30 seconds more", "gentler",
                     "sound on / off", "choose 10", "command palette", "history", "settings"):  # fmt: skip
            assert word in text
        await pilot.press("escape")
        await on_screen(pilot, "HomeScreen")


async def test_every_screen_binding_is_in_the_help(tmp_path: Path) -> None:
    """Keys shown in a footer are documented in the help table."""
    from coach.tui.keys import KEYS
    from coach.tui.screens.cautions import CautionsScreen
    from coach.tui.screens.first_run import FirstRunScreen
    from coach.tui.screens.home import HomeScreen
    from coach.tui.screens.rating import RatingScreen
    from coach.tui.screens.summary import SummaryScreen

    documented = {key.lower() for _, keys in KEYS for key, _ in keys}
    names = {"enter": "enter", "escape": "esc", "slash": "/", "question_mark": "?", "space": "space",
             "plus": "+ or =", "equals_sign": "+ or ="}  # fmt: skip
    for screen in (HomeScreen, FirstRunScreen, CautionsScreen, RatingScreen, PlayerScreen, SummaryScreen):
        for binding in screen.BINDINGS:
            if not binding.show:
                continue
            for key in binding.key.split(","):
                assert names.get(key, key) in documented, (screen.__name__, key)


async def test_command_palette_offers_the_main_actions(tmp_path: Path) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await loaded(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for title in ("Start", "History", "Plans", "Settings", "Help", "Theme", "Mute", "Quit"):
            assert title in titles
        await pilot.press("ctrl+p")
        await until(pilot, lambda: type(app.screen).__name__ == "CommandPalette")
        await pilot.press(*"history")
        # The palette searches in the background: Enter picks its one match once it is listed.
        from textual.command import CommandList

        await until(pilot, lambda: app.screen.query_one(CommandList).option_count >= 1, "the match")
        await pilot.press("enter")
        await on_screen(pilot, "HistoryScreen")


async def test_q_asks_before_quitting(tmp_path: Path) -> None:
    env = Env(tmp_path)
    app = env.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("q")
        await on_screen(pilot, "ConfirmScreen")
        await pilot.press("escape")
        await on_screen(pilot, "HomeScreen")
        assert app.is_running
        await pilot.press("q", "y")
        await until(pilot, lambda: not app.is_running, "the app to exit")


async def test_rating_keys(tmp_path: Path) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await loaded(pilot)
        await pilot.press("enter")
        await on_screen(pilot, "RatingScreen")
        scale = app.screen.query_one("#scale")
        await pilot.press("enter")  # nothing chosen yet: a hint, not a dismissal
        assert type(app.screen).__name__ == "RatingScreen"
        assert "Choose a number first" in text_of(app, "#rating-hint")
        await pilot.press("right")
        assert scale.value == 5
        await pilot.press("right", "right")
        assert scale.value == 7
        await pilot.press("t")
        assert scale.value == 10
        await pilot.press("right")
        assert scale.value == 10
        await pilot.press("0", "left")
        assert scale.value == 0
        await pilot.press("4", "enter")
        await on_screen(pilot, "PlayerScreen")
        assert app.screen.practice.pre == 4


async def test_reduced_motion_setting_shows_the_pacer_as_words_and_a_still_bar(tmp_path: Path) -> None:
    env = Env(tmp_path, settings={"reduced_motion": True})
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await into_player(pilot)  # box breathing
        pacer = app.screen.query_one(Pacer)
        assert pacer.reduced and pacer.display
        await advance(pilot, env, 1.3)
        first = str(pacer.render())
        assert "Breathe in  3 s" in first
        assert "in 4" in first and "hold 4" in first and "out 4" in first
        assert "█" not in first  # no filling bar
        await advance(pilot, env, 0.5)
        assert str(pacer.render()) == first  # nothing moves within a second
        await advance(pilot, env, 3)
        assert "Hold  4 s" in str(pacer.render())


async def test_textual_animations_none_means_reduced_motion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import textual.constants

    # TEXTUAL_ANIMATIONS=none in the environment sets this constant when Textual is imported.
    monkeypatch.setattr(textual.constants, "TEXTUAL_ANIMATIONS", "none")
    env = Env(tmp_path)
    app = env.app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.settings.reduced_motion is False
        await into_player(pilot)
        assert app.screen.query_one(Pacer).reduced


async def test_pacer_fills_on_inhale_and_empties_on_exhale(tmp_path: Path) -> None:
    from coach.tui.widgets.breath_shape import BreathShape

    env = Env(tmp_path)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await into_player(pilot)  # box 4-4-4-4
        pacer = app.screen.query_one(Pacer)
        shape = app.screen.query_one(BreathShape)  # the breathing shape replaced the moving bar

        def filled() -> float:
            return shape.level

        await advance(pilot, env, 1)
        quarter = filled()
        await advance(pilot, env, 2)
        assert filled() > quarter > 0  # growing while breathing in
        await advance(pilot, env, 2)
        full = filled()
        assert "Hold" in str(pacer.render()) and full == 1
        await advance(pilot, env, 4 + 2)
        assert "Breathe out" in str(pacer.render()) and filled() < full  # shrinking
        await advance(pilot, env, 2 + 1)
        assert "Hold, empty" in str(pacer.render()) and filled() == 0


async def test_player_keys_do_nothing_bad_after_the_end(tmp_path: Path) -> None:
    env = Env(tmp_path)
    async with env.app(start="slow-breaths", pre=3).run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "PlayerScreen")
        await advance(pilot, env, 100)
        await on_screen(pilot, "RatingScreen")
        await pilot.press("space", "b", "plus", "g", "m")
        assert type(pilot.app.screen).__name__ == "RatingScreen"


def test_docs_keys_match_the_help_table() -> None:
    from coach.tui.keys import markdown

    docs = Path(__file__).resolve().parents[2] / "docs" / "keys.md"
    assert docs.read_text(encoding="utf-8") == markdown(), "regenerate docs/keys.md from coach.tui.keys"


async def test_an_unreadable_history_is_told_not_raised(tmp_path: Path) -> None:
    env = Env(tmp_path)
    env.history_path.mkdir()  # a folder where the file should be
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await loaded(pilot)
        assert listed(app) == ["slow-breaths", "feet-ball", "neck-release"]
        assert "history" in text_of(app, "#status").lower()
        await pilot.press("h")
        await on_screen(pilot, "HistoryScreen")
        await until(pilot, lambda: text_of(app, "#history-problems") != "")
        assert app.is_running
