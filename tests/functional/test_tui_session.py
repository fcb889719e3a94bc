"""A whole session through the app with a fake clock: the screens in order, every player key,
and the history line it writes."""

from __future__ import annotations

from pathlib import Path

from coach.tui.screens.player import PlayerScreen
from tests.helpers.tui import Env, advance, into_player, loaded, on_screen, text_of, until


def snap(app):  # type: ignore[no-untyped-def]
    screen = app.screen
    assert isinstance(screen, PlayerScreen)
    return screen.practice.snapshot(screen.clock())


async def test_whole_session_home_to_summary_writes_the_record(tmp_path: Path) -> None:
    env = Env(tmp_path)
    app = env.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        # The neck routine: third in the list (shortest first), it has cautions.
        await pilot.press("down", "down")
        assert app.screen.query_one("#routines").current.id == "neck-release"
        await pilot.press("enter")
        await on_screen(pilot, "CautionsScreen")
        assert "Never press on the front or sides of the neck." in text_of(app, "#cautions-text")
        await pilot.press("enter")
        await on_screen(pilot, "RatingScreen")
        await pilot.press("8", "enter")
        await on_screen(pilot, "PlayerScreen")
        assert snap(app).step_number == 1 and snap(app).side == "left"
        assert "Knead the upper trapezius" in text_of(app, "#step-title")
        assert "LEFT side" in text_of(app, "#step-side")
        await advance(pilot, env, 30.5)
        assert snap(app).side == "right"
        assert "switch" in env.player.played
        await advance(pilot, env, 30)
        assert snap(app).step_type == "breathing"
        await advance(pilot, env, 20 + 10)
        await on_screen(pilot, "RatingScreen")
        assert "finish" in env.player.played
        await pilot.press("3")
        await pilot.press("tab")
        await pilot.press(*"felt looser")
        await pilot.press("enter")
        await on_screen(pilot, "SummaryScreen")
        summary = text_of(app, "#summary-text")
        assert "8 → 3" in summary and "down 5 points: a large drop" in summary
        assert "Completed: 3 of 3 steps, 1 min 30 s of 1 min 30 s practised." in summary
        assert "1 min 30 s" in summary
        await pilot.press("enter")
        await on_screen(pilot, "HomeScreen")
        await until(pilot, lambda: "Neck and shoulder release" in text_of(app, "#status"))
    [record] = env.records()
    assert record["routine"] == "neck-release" and record["completed"] is True
    assert (record["pre"], record["post"], record["note"]) == (8, 3, "felt looser")
    assert record["steps_done"] == 3 and record["steps_total"] == 3
    assert record["active_seconds"] == 90.0
    assert record["started_at"] == "2026-11-26T09:12:00+01:00"
    assert not (tmp_path / "session.journal.json").exists()


async def test_pause_freezes_the_countdown_and_resume_goes_on(tmp_path: Path) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await into_player(pilot)
        await advance(pilot, env, 5)
        before = snap(app).step_seconds_left
        assert footer_words(app)[0] == "Pause"
        await pilot.press("space")
        assert snap(app).state == "paused"
        assert "Paused" in text_of(app, "#state-line")
        await pilot.pause()
        assert footer_words(app)[0] == "Resume"  # the word for what Space does now (DESIGN)
        await advance(pilot, env, 60)
        assert snap(app).step_seconds_left == before
        await pilot.press("space")
        await advance(pilot, env, 2)
        assert snap(app).state == "running"
        assert snap(app).step_seconds_left == before - 2
        assert text_of(app, "#state-line") == ""
        assert footer_words(app)[0] == "Pause"


def footer_words(app) -> list[str]:  # type: ignore[no-untyped-def]
    """The footer's words, left to right, as it shows them now."""
    from textual.widgets._footer import FooterKey

    return [key.description for key in app.screen.query(FooterKey)]


async def test_help_during_a_session_stops_the_clock_until_it_closes(tmp_path: Path) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await into_player(pilot)
        await advance(pilot, env, 5)
        before = snap(app).step_seconds_left
        await pilot.press("question_mark")
        assert type(app.screen).__name__ == "HelpScreen"
        await advance(pilot, env, 30)
        player = app.screen_stack[-2]
        under_help = player.practice.snapshot(player.clock())
        assert under_help.state == "paused" and under_help.step_seconds_left == before
        await pilot.press("escape")
        await advance(pilot, env, 2)
        assert snap(app).state == "running" and snap(app).step_seconds_left == before - 2
        # Reading the help is no pause the person made: none is counted (issue 14).
        assert player.practice.session.pauses == 0
        # Paused by hand first: closing help leaves it paused.
        await pilot.press("space", "question_mark", "escape")
        await advance(pilot, env, 5)
        assert snap(app).state == "paused" and player.practice.session.pauses == 1


async def test_skip_back_and_extend_change_the_countdown_as_the_engine_says(tmp_path: Path) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await into_player(pilot)  # Slow breaths: box 3 cycles (48 s), then rest 10 s
        await advance(pilot, env, 10)
        assert snap(app).step_seconds_left == 38
        await pilot.press("plus")
        # A breathing step grows by whole cycles covering 30 s: two box cycles of 16 s.
        assert snap(app).step_seconds_left == 38 + 32
        await pilot.press("equals_sign")
        assert snap(app).step_seconds_left == 38 + 64
        await pilot.press("s")
        assert snap(app).step_number == 2 and snap(app).step_seconds_left == 10
        await advance(pilot, env, 5)
        await pilot.press("b")  # more than 3 s in: restart this step
        assert snap(app).step_number == 2 and snap(app).step_seconds_left == 10
        await pilot.press("b")  # at its start: the step before
        assert snap(app).step_number == 1
        assert "0:48" in str(app.screen.query_one("#countdown").value)


async def test_gentler_shows_the_gentler_text(tmp_path: Path) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await loaded(pilot)
        await pilot.press("down", "down", "enter")
        await on_screen(pilot, "CautionsScreen")
        await pilot.press("enter")
        await on_screen(pilot, "RatingScreen")
        await pilot.press("s")  # skip the rating
        await on_screen(pilot, "PlayerScreen")
        assert "Gentler" in footer_words(app) and "medium pressure" in text_of(app, "#step-meta")
        await pilot.press("g")
        assert snap(app).showing_gentler
        # The hand position stays; the gentler text comes beside or below it, with its pressure.
        assert "Hook the fingers" in text_of(app, "#instruction")
        assert "Gentler, light pressure: Use flat fingers" in text_of(app, "#gentler")
        assert "light pressure (gentler)" in text_of(app, "#step-meta")
        assert "Original" in footer_words(app) and "Gentler" not in footer_words(app)
        await pilot.press("g")
        assert not snap(app).showing_gentler
        assert "Hook the fingers" in text_of(app, "#instruction")
        assert not app.screen.query_one("#gentler").display


async def test_mute_silences_the_cues(tmp_path: Path) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await into_player(pilot)
        assert env.player.played  # the first step's bell
        await pilot.press("m")
        assert app.muted and env.player.muted
        assert "sound off" in text_of(app, "#step-meta")
        count = len(env.player.played)
        await advance(pilot, env, 20)
        assert len(env.player.played) == count
        await pilot.press("m")
        assert not env.player.muted


async def test_quit_asks_then_records_an_incomplete_session(tmp_path: Path) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await into_player(pilot, pre="6")
        await advance(pilot, env, 12)
        await pilot.press("q")
        await on_screen(pilot, "ConfirmScreen")
        # The clock stops while the question is open.
        env.clock.advance(100)
        await pilot.press("n")
        await on_screen(pilot, "PlayerScreen")
        assert snap(app).state == "running"
        assert abs(snap(app).active_seconds - 12) < 1e-6
        await pilot.press("q")
        await on_screen(pilot, "ConfirmScreen")
        await pilot.press("enter")
        # A note after a stop (no stress rating): why it stopped, for the therapist.
        await on_screen(pilot, "RatingScreen")
        assert "Stopped" in text_of(app, ".rating-heading") and not app.screen.query("RatingScale")
        await pilot.press(*"felt dizzy", "enter")
        await on_screen(pilot, "SummaryScreen")  # "Stopped: …"
        await pilot.press("enter")
        await on_screen(pilot, "HomeScreen")
    [record] = env.records()
    assert record["completed"] is False and record["pre"] == 6 and record["post"] is None
    assert record["active_seconds"] == 12.0 and record["note"] == "felt dizzy"
    # The quit question stopped the clock, but the person never paused (issue 14).
    assert record["pauses"] == 0


async def test_escape_before_the_player_goes_back_home_and_records_nothing(tmp_path: Path) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("enter")
        await on_screen(pilot, "RatingScreen")
        await pilot.press("escape")
        await on_screen(pilot, "HomeScreen")
        await pilot.press("down", "down", "enter")
        await on_screen(pilot, "CautionsScreen")
        await pilot.press("escape")
        await on_screen(pilot, "HomeScreen")
    assert env.records() == []


async def test_exit_mid_session_records_it_as_not_completed(tmp_path: Path) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=(80, 24)) as pilot:
        await into_player(pilot, pre="5")
        await advance(pilot, env, 7)
        await pilot.press("ctrl+q")
    [record] = env.records()
    assert record["completed"] is False and record["active_seconds"] == 7.0


async def test_markup_in_routine_text_is_shown_literally(tmp_path: Path) -> None:
    from tests.helpers.tui import MARKUP

    env = Env(tmp_path, routines=(MARKUP,))
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await loaded(pilot)
        detail = text_of(app, "#detail-text")
        assert "[bold red]x[/]" in detail and "Text with [brackets] shown as typed." in detail
        option = app.screen.query_one("#routines").get_option_at_index(0)
        assert "[bold red]x[/]" in str(option.prompt)
        await pilot.press("enter")
        await on_screen(pilot, "RatingScreen")
        assert "[bold red]x[/]" in text_of(app, ".rating-heading")
        await pilot.press("s")
        await on_screen(pilot, "PlayerScreen")
        assert "[i]Press[/i] here" in text_of(app, "#step-title")
        assert "Say [b]hello[/b] and $accent without markup." in text_of(app, "#instruction")
        await pilot.press("g")
        assert "[link=x]soft[/link]" in text_of(app, "#gentler")
        assert "Rest [dim]now[/dim]" in text_of(app, "#next")


async def test_resize_to_40x12_mid_session_does_not_crash(tmp_path: Path) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await into_player(pilot)
        await advance(pilot, env, 3)
        await pilot.resize_terminal(40, 12)
        await advance(pilot, env, 2)
        await pilot.resize_terminal(20, 6)
        await advance(pilot, env, 2)
        await pilot.resize_terminal(80, 24)
        await advance(pilot, env, 2)
        assert snap(app).state == "running"
        assert abs(snap(app).active_seconds - 9) < 1e-6
        await pilot.press("space")
        assert snap(app).state == "paused"


async def test_first_run_note_is_shown_once_before_the_first_session(tmp_path: Path) -> None:
    env = Env(tmp_path, first_run_seen=False)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await loaded(pilot)
        await pilot.press("enter")
        await on_screen(pilot, "FirstRunScreen")
        assert "not medical advice" in text_of(app, "#first-run-text")
        await pilot.press("escape")  # back: not yet acknowledged
        await on_screen(pilot, "HomeScreen")
        assert app.settings.first_run_seen is False
        await pilot.press("enter")
        await on_screen(pilot, "FirstRunScreen")
        await pilot.press("enter")
        await on_screen(pilot, "RatingScreen")
        assert app.settings.first_run_seen is True
        await pilot.press("escape")
        await on_screen(pilot, "HomeScreen")
        await pilot.press("enter")
        await on_screen(pilot, "RatingScreen")  # not again
    assert '"first_run_seen": true' in env.settings_path.read_text()


async def test_run_routine_shows_the_first_run_note_too_and_skips_the_given_pre(tmp_path: Path) -> None:
    env = Env(tmp_path, first_run_seen=False)
    app = env.app(start="slow-breaths", pre=4, post=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "FirstRunScreen")
        await pilot.press("enter")
        await on_screen(pilot, "PlayerScreen")  # no cautions, and --pre given: no rating
        await advance(pilot, env, 60)
        await on_screen(pilot, "SummaryScreen")  # --post given: no rating after
        await pilot.press("enter")
        await until(pilot, lambda: not app.is_running, "the app to exit")
    [record] = env.records()
    assert (record["pre"], record["post"], record["completed"]) == (4, 2, True)


async def test_preview_speed_records_nothing(tmp_path: Path) -> None:
    env = Env(tmp_path)
    app = env.app(start="slow-breaths", pre=4, speed=10)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "PlayerScreen")
        assert "preview, not recorded" in text_of(app, "#step-meta")
        await advance(pilot, env, 6)  # 60 s of routine at 10x
        await on_screen(pilot, "RatingScreen")
        await pilot.press("s")
        await on_screen(pilot, "SummaryScreen")
        assert "nothing was recorded" in text_of(app, "#summary-text")
    assert env.records() == []
    assert not (tmp_path / "session.journal.json").exists()


async def test_escape_in_the_player_asks_like_q(tmp_path: Path) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await into_player(pilot)
        await pilot.press("escape")
        await on_screen(pilot, "ConfirmScreen")
        await pilot.press("escape")  # "Go on"
        await on_screen(pilot, "PlayerScreen")
        assert snap(app).state == "running"
        await pilot.press("escape")
        await on_screen(pilot, "ConfirmScreen")
        await pilot.press("y")
        await on_screen(pilot, "RatingScreen")  # the note only: Esc leaves it out
        await pilot.press("escape")
        await on_screen(pilot, "SummaryScreen")
        assert text_of(app, "#summary-text").startswith("Stopped")
    assert env.records()[0]["completed"] is False


async def test_h_on_the_summary_opens_the_history(tmp_path: Path) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await into_player(pilot, pre="5")
        await advance(pilot, env, 60)
        await on_screen(pilot, "RatingScreen")
        await pilot.press("s")
        await on_screen(pilot, "SummaryScreen")
        assert "5 → –" in text_of(app, "#summary-text")
        assert "no change to show" in text_of(app, "#summary-text")
        await pilot.press("h")
        await on_screen(pilot, "HistoryScreen")
        await until(pilot, lambda: app.screen.query_one("#history-table").row_count == 1)
        await pilot.press("escape")
        await on_screen(pilot, "HomeScreen")


async def test_the_sound_fallback_notice_is_shown_once_and_kept_for_settings(tmp_path: Path) -> None:
    env = Env(tmp_path)
    env.player.notice = "Sound unavailable (no audio device); using the terminal bell."
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await into_player(pilot)
        await advance(pilot, env, 1)
        # On the player's status line, never a toast over the countdown.
        assert "Sound unavailable (no audio device)" in text_of(app, "#state-line")
        assert not any("Sound unavailable" in str(n.message) for n in app._notifications)
        await advance(pilot, env, 30)  # more cues: the notice is not repeated, and it has gone
        assert "Sound unavailable" not in text_of(app, "#state-line")
        assert app.sound_notice == "Sound unavailable (no audio device); using the terminal bell."


async def test_run_routine_builds_home_only_if_the_person_goes_back(tmp_path: Path) -> None:
    env = Env(tmp_path)
    app = env.app(start="slow-breaths")
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "RatingScreen")
        home = app.screen_stack[0]
        assert home.built is False and app.catalog is None  # nothing loaded for the home
        await pilot.press("escape")
        await on_screen(pilot, "HomeScreen")
        await loaded(pilot)
        assert [info.id for info in home.query_one("#routines").infos] == [
            "slow-breaths", "feet-ball", "neck-release"]  # fmt: skip


async def test_run_routine_first_saves_a_crashed_session(tmp_path: Path) -> None:
    import subprocess
    import sys

    from coach.journal import Journal

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    env = Env(tmp_path)
    Journal(env.services.journal_path, pid=proc.pid).begin({
        "routine": "feet-ball", "routine_title": "Feet with a ball", "routine_hash": "sha256:0",
        "plan": None, "started_at": "2026-11-26T08:00:00+01:00", "planned_seconds": 90,
        "active_seconds": 20.0, "steps_done": 0, "steps_total": 2, "pre": 6, "pauses": 0,
        "skips": 0, "gentler": 0,
    })  # fmt: skip
    app = env.app(start="slow-breaths", pre=4, post=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "PlayerScreen")
        assert any("Feet with a ball was saved" in str(n.message) for n in app._notifications)
        await advance(pilot, env, 60)
        await on_screen(pilot, "SummaryScreen")
    first, second = env.records()
    assert (first["routine"], first["completed"]) == ("feet-ball", False)
    assert (second["routine"], second["completed"]) == ("slow-breaths", True)
