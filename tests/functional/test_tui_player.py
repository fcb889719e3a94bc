"""The player keeps what matters and uses its space (issue 14): the pacer line survives a
small terminal, the body map and the breathing shape fill the stage, `g` is offered only
where a step has a gentler version and keeps the hand position, `t` pauses and its choice
reaches the history line, the lead-in counts 3-2-1, and notices stay on the status line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coach.tui.screens.player import PlayerScreen
from coach.tui.widgets.body_map import BodyMap
from coach.tui.widgets.breath_shape import BreathShape, disc_rows, fullness
from coach.tui.widgets.pacer import Pacer
from tests.helpers.player_routines import GUIDED
from tests.helpers.tui import BREATH, NECK, Env, advance, into_player, on_screen, text_of, until


def snap(app: Any) -> Any:
    screen = app.screen
    assert isinstance(screen, PlayerScreen)
    return screen.practice.snapshot(screen.clock())


def footer_words(app: Any) -> list[str]:
    from textual.widgets._footer import FooterKey

    return [key.description for key in app.screen.query(FooterKey)]


def screen_lines(app: Any) -> list[str]:
    """The screen as a person sees it, row by row."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def into_guided(pilot: Any, env: Env) -> None:
    """Start the guided routine (the first in the list: shortest first) with a rating of 7."""
    await into_player(pilot)
    assert snap(pilot.app).title == "Hold the tender spot"


async def test_at_100x12_the_pacer_line_stays_and_the_big_clock_goes_first(tmp_path: Path) -> None:
    env = Env(tmp_path, routines=(BREATH,))
    async with env.app().run_test(size=(100, 30)) as pilot:
        app = pilot.app
        await into_player(pilot)  # box breathing
        await advance(pilot, env, 16 + 2.5)
        for size in ((100, 12), (100, 14), (60, 15), (40, 12)):
            await pilot.resize_terminal(*size)
            await advance(pilot, env, 0.1)
            await pilot.pause()
            lines = screen_lines(app)
            assert any("Breathe in  2 s    breath 2 of 3" in line for line in lines), (size, lines)
            assert app.screen.query_one(Pacer).region.bottom <= size[1] - 1  # above the footer
        # At 40 x 12 the big clock has gone (the step bar still shows the seconds).
        assert not app.screen.query_one("#countdown").display
        assert any(line.rstrip().endswith("0:30") for line in screen_lines(app))  # the step bar
        await pilot.resize_terminal(100, 30)
        await advance(pilot, env, 0.1)
        assert app.screen.query_one("#countdown").display
        assert app.screen.query_one(BreathShape).display


def test_the_shape_is_a_disc_that_grows_with_the_breath() -> None:
    def filled(level: float) -> int:
        return sum((top == 2) + (bottom == 2) for row in disc_rows(40, 14, level) for top, bottom in row)

    sizes = [filled(level) for level in (0.0, 0.25, 0.5, 0.75, 1.0)]
    assert sizes == sorted(sizes) and sizes[0] > 0 and len(set(sizes)) == 5
    rows = disc_rows(40, 14, 1.0)
    # Full: as wide (in cells) as tall (in half-cells) and left-right symmetric.
    middle = rows[7]
    assert [cell[0] for cell in middle] == [cell[0] for cell in reversed(middle)]
    assert sum(top == 2 for top, _ in middle) >= 26
    assert fullness("inhale", 0.5, False) == 0.5 and fullness("inhale", 1, True) == 0.8
    assert fullness("hold", 0.3, False) == 1 and fullness("exhale", 0.25, False) == 0.75
    assert fullness("hold-out", 0.5, False) == 0


async def test_the_body_map_stands_beside_a_massage_step_when_there_is_room(tmp_path: Path) -> None:
    env = Env(tmp_path, routines=(NECK,))
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await into_player(pilot)
        body = app.screen.query_one(BodyMap)
        assert body.display and body.figure is not None and body.figure.area == "shoulders"
        assert "left" in body.tooltip
        await advance(pilot, env, 30.5)  # the right side now
        assert "right" in body.tooltip
        instruction = app.screen.query_one("#instruction")
        assert instruction.region.x >= body.region.right  # beside it
        await pilot.resize_terminal(100, 12)  # no room for a 12-row figure
        await advance(pilot, env, 0.1)
        assert not body.display
        await advance(pilot, env, 30)  # breathing: no map
        await pilot.resize_terminal(80, 24)
        await advance(pilot, env, 0.1)
        assert not body.display and app.screen.query_one(BreathShape).display


async def test_a_reps_step_shows_which_rep_and_hold_or_release(tmp_path: Path) -> None:
    env = Env(tmp_path, routines=(GUIDED,))
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await into_guided(pilot, env)
        pacer = app.screen.query_one(Pacer)
        await advance(pilot, env, 2.5)
        assert str(pacer.render()) == "Hold  6 s    rep 1 of 3"
        await advance(pilot, env, 6)
        assert str(pacer.render()) == "Release  4 s    rep 1 of 3"
        await advance(pilot, env, 4)
        assert str(pacer.render()) == "Hold  8 s    rep 2 of 3"
        assert app.screen.query_one(BodyMap).display
        assert "firm pressure" in text_of(app, "#step-meta")


async def test_g_is_offered_only_where_the_step_has_a_gentler_version(tmp_path: Path) -> None:
    env = Env(tmp_path, routines=(BREATH,))
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await into_player(pilot)  # box breathing without a gentler version
        assert "Gentler" not in footer_words(app) and "Original" not in footer_words(app)
        await pilot.press("g")
        assert not snap(app).showing_gentler
    env = Env(tmp_path / "guided", routines=(GUIDED,))
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await into_guided(pilot, env)
        assert "Gentler" in footer_words(app)
        await pilot.press("s")  # the breathing step: its gentler version leaves out the holds
        await advance(pilot, env, 0.1)
        assert "Gentler" in footer_words(app)
        await advance(pilot, env, 4.5)
        assert snap(app).phase.breath == "hold"
        await pilot.press("g")
        await advance(pilot, env, 0.1)
        assert snap(app).showing_gentler and snap(app).phase.breath == "inhale"
        assert "Leave out the holds." in text_of(app, "#gentler")
        assert "Original" in footer_words(app)
        pacer = app.screen.query_one(Pacer)
        assert [breath for breath, _ in pacer.phases] == ["inhale", "exhale"]
        await pilot.press("s")  # the rest step: nothing gentler
        await advance(pilot, env, 0.1)
        assert "Gentler" not in footer_words(app) and "Original" not in footer_words(app)
        assert not pacer.display


async def test_too_much_pauses_offers_what_applies_and_reaches_the_record(tmp_path: Path) -> None:
    from coach.tui.dialogs.too_much import TooMuchScreen

    env = Env(tmp_path, routines=(GUIDED,))
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await into_guided(pilot, env)
        await advance(pilot, env, 5)
        await pilot.press("t")
        await on_screen(pilot, "TooMuchScreen")
        dialog = app.screen
        assert isinstance(dialog, TooMuchScreen)
        assert dialog.choices == ("gentler", "lighter", "skip", "end")
        words = str(dialog.query_one("#too-much-choices").render())
        assert "Lighter pressure: medium instead of firm" in words
        assert "Press with the flat of the hand instead." in words
        player = app.screen_stack[-2]
        assert player.practice.snapshot(player.clock()).state == "paused"
        env.clock.advance(20)  # the clock stops while the dialog is open
        assert player.practice.snapshot(player.clock()).active_seconds == 5
        # The red flags are one key away: the routine's own, then the general ones.
        assert not dialog.query_one("#too-much-flags").display
        await pilot.press("r")
        flags = str(dialog.query_one("#too-much-flags").render())
        assert dialog.query_one("#too-much-flags").display
        assert "Pain spreads into the arm or hand." in flags and "Get medical help" in flags
        assert not dialog.query_one("#too-much-choices").display
        await pilot.press("r")  # back to the choices
        assert dialog.query_one("#too-much-choices").display
        await pilot.press("l")
        await on_screen(pilot, "PlayerScreen")
        assert snap(app).state == "running" and snap(app).pressure == "medium"
        assert "medium pressure (lighter, as you chose)" in text_of(app, "#step-meta")
        await advance(pilot, env, 2)
        # Again, on the breathing step: no pressure there, and Esc goes on as before.
        await pilot.press("s")
        await pilot.press("t")
        await on_screen(pilot, "TooMuchScreen")
        assert app.screen.choices == ("gentler", "skip", "end")
        await pilot.press("l")  # not offered here: nothing happens
        assert type(app.screen).__name__ == "TooMuchScreen"
        await pilot.press("escape")
        await on_screen(pilot, "PlayerScreen")
        assert snap(app).state == "running"
        await pilot.press("t")
        await on_screen(pilot, "TooMuchScreen")
        await pilot.press("e")  # end: saved as stopped
        # Why it stopped, for the therapist: the note, without a stress rating (issue 14).
        await on_screen(pilot, "RatingScreen")
        assert not app.screen.query("RatingScale")
        await pilot.press(*"Stopped: tingling in right hand", "enter")
        await on_screen(pilot, "SummaryScreen")
        assert "Stopped: tingling in right hand" in text_of(app, "#summary-text")
    [record] = env.records()
    assert record["completed"] is False and record["post"] is None
    assert record["note"] == "Stopped: tingling in right hand"
    assert [(d["step"], d["title"], d["choice"]) for d in record["discomfort"]] == [
        (1, "Hold the tender spot", "lighter"),
        (2, "Box breathing", None),
        (2, "Box breathing", "end"),
    ]
    assert record["discomfort"][0]["at"] == 5.0


async def test_the_lead_in_counts_before_the_first_step_and_after_a_resume(tmp_path: Path) -> None:
    env = Env(tmp_path, routines=(BREATH,), settings={"lead_in": True})
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await into_player(pilot)
        assert snap(app).leading_in
        assert text_of(app, "#state-line") == "Get ready: 3"
        await advance(pilot, env, 1.5)
        assert text_of(app, "#state-line") == "Get ready: 2"
        assert snap(app).active_seconds == 0
        await advance(pilot, env, 1.5)
        assert text_of(app, "#state-line") == "" and not snap(app).leading_in
        await advance(pilot, env, 5)
        await pilot.press("space", "space")  # pause, resume: the count again
        assert text_of(app, "#state-line") == "Get ready: 3"
        await advance(pilot, env, 3.1)
        assert abs(snap(app).active_seconds - 5.1) < 1e-6


async def test_notices_stay_on_the_status_line_and_the_footer_says_the_state(tmp_path: Path) -> None:
    env = Env(tmp_path, routines=(BREATH,))
    async with env.app().run_test(size=(40, 12)) as pilot:
        app = pilot.app
        await into_player(pilot)
        await pilot.press("m")
        await pilot.pause()
        assert "Sound off." in text_of(app, "#state-line")
        assert not app._notifications  # no toast over the countdown
        # At 40 columns the footer keeps pause, too much, quit and help; m still acts.
        assert app.muted and footer_words(app) == ["Pause", "Too much", "Quit", "Help"]
        await pilot.press("space")
        await pilot.pause()
        assert footer_words(app)[0] == "Resume"
        assert text_of(app, "#state-line").startswith("Paused.")
        await advance(pilot, env, 5)  # the notice goes; the pause stays
        assert text_of(app, "#state-line") == "Paused. Press Space to go on."
        await pilot.press("m")
        await pilot.pause()
        assert not app.muted and "Sound on." in text_of(app, "#state-line")


async def test_the_footer_fits_80_columns_with_its_longest_words(tmp_path: Path) -> None:
    env = Env(tmp_path, routines=(GUIDED,))
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await into_guided(pilot, env)
        await pilot.press("g", "m", "space")
        await pilot.pause()
        words = footer_words(app)
        assert words == ["Resume", "Skip", "Back", "30 s", "Original", "Too much", "Unmute", "Quit", "Help"]
        assert "? Help" in screen_lines(app)[-1]


async def test_reduced_motion_keeps_the_still_bar_instead_of_the_shape(tmp_path: Path) -> None:
    env = Env(tmp_path, routines=(BREATH,), settings={"reduced_motion": True})
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await into_player(pilot)
        await advance(pilot, env, 1.5)
        assert not app.screen.query_one(BreathShape).display
        pacer = app.screen.query_one(Pacer)
        assert pacer.reduced and "in 4" in str(pacer.render())


async def test_the_too_much_dialog_shows_routine_text_literally(tmp_path: Path) -> None:
    # Control characters are refused in routines (validation); markup is plain text.
    hostile = {**GUIDED, "stop_if": ["[b]Numb[/b] fingers, $warning"]}
    hostile["steps"] = [{**GUIDED["steps"][0], "title": "[i]Spot[/i]", "gentler": "[link=x]flat[/link]"}]
    env = Env(tmp_path, routines=(hostile,))
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await into_player(pilot)
        await pilot.press("t")
        await on_screen(pilot, "TooMuchScreen")
        assert "Too much? [i]Spot[/i] is paused." in str(app.screen.query_one("#too-much-title").render())
        assert "[link=x]flat[/link]" in str(app.screen.query_one("#too-much-choices").render())
        flags = str(app.screen.query_one("#too-much-flags").render())
        assert "[b]Numb[/b] fingers, $warning" in flags


async def test_the_apps_own_toasts_go_top_left_away_from_the_countdown(tmp_path: Path) -> None:
    from textual.widgets._toast import Toast

    env = Env(tmp_path, routines=(BREATH,))
    async with env.app().run_test(size=(40, 12), notifications=True) as pilot:
        app = pilot.app
        await into_player(pilot)
        app.notify("A journal problem: the disk is full, the session goes on.", severity="warning")
        await until(pilot, lambda: len(app.screen.query(Toast)) == 1, "the toast")
        await pilot.pause()
        toast = app.screen.query_one(Toast)
        assert toast.region.y <= 1 and toast.region.x <= 1
        assert toast.region.width <= 20 and toast.region.height <= 5  # not most of the screen
        assert app.screen.query_one(Pacer).region.y >= toast.region.bottom  # the pacer line shows


async def test_on_a_small_stage_the_gentler_text_comes_first_then_the_hand_position(tmp_path: Path) -> None:
    env = Env(tmp_path, routines=(NECK,))
    async with env.app().run_test(size=(40, 12)) as pilot:
        app = pilot.app
        await into_player(pilot)
        await pilot.press("g")
        await advance(pilot, env, 0.3)
        gentler, instruction = app.screen.query_one("#gentler"), app.screen.query_one("#instruction")
        assert gentler.region.y < instruction.region.y  # the version chosen is the one in view
        assert gentler.region.bottom <= app.screen.query_one("#stage").region.bottom
        await pilot.resize_terminal(100, 12)
        await advance(pilot, env, 0.3)
        assert gentler.region.y == instruction.region.y and gentler.region.x > instruction.region.x  # beside
        await pilot.press("g")
        await advance(pilot, env, 0.3)
        assert not gentler.display and instruction.display


async def test_the_red_flags_start_with_the_emergency_and_scroll_from_the_keyboard(tmp_path: Path) -> None:
    from textual.containers import VerticalScroll

    env = Env(tmp_path, routines=(GUIDED,))
    async with env.app().run_test(size=(100, 12)) as pilot:
        app = pilot.app
        await into_guided(pilot, env)
        await pilot.press("t")
        await on_screen(pilot, "TooMuchScreen")
        await pilot.press("r")
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        assert "call your local emergency number" in text  # in view without scrolling
        scroll = app.screen.query_one("#too-much-scroll", VerticalScroll)
        assert scroll.max_scroll_y > 0 and "red calf" not in text  # the rest is below
        await pilot.press("end")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y
        assert "red calf" in "\n".join(screen_lines(app))
        await pilot.press("home", "pagedown")
        await pilot.pause()
        assert 0 < scroll.scroll_y
        await pilot.press("up")
        await pilot.pause()
        before = scroll.scroll_y
        await pilot.press("down")
        await pilot.pause()
        assert scroll.scroll_y == before + 1
        await pilot.press("r", "s")  # the choices' keys still act: skip this step
        await on_screen(pilot, "PlayerScreen")
        assert snap(app).title == "Box breathing"


async def test_lighter_pressure_is_offered_from_the_pressure_on_screen(tmp_path: Path) -> None:
    from tests.helpers.tui import NECK

    env = Env(tmp_path, routines=(GUIDED, NECK))
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await into_guided(pilot, env)
        await pilot.press("g")  # gentler: firm shows as medium
        await advance(pilot, env, 1)
        assert "medium pressure (gentler)" in text_of(app, "#step-meta")
        await pilot.press("t")
        await on_screen(pilot, "TooMuchScreen")
        choices = str(app.screen.query_one("#too-much-choices").render())
        assert "Lighter pressure: light instead of medium" in choices
        await pilot.press("l")
        await on_screen(pilot, "PlayerScreen")
        assert "light pressure (gentler)" in text_of(app, "#step-meta")
        await pilot.press("t")  # nothing lighter than light on screen: not offered
        await on_screen(pilot, "TooMuchScreen")
        assert app.screen.choices == ("skip", "end")
        assert "Lighter" not in str(app.screen.query_one("#too-much-choices").render())


async def test_the_gentler_text_beside_the_hand_position_stands_apart(tmp_path: Path) -> None:
    env = Env(tmp_path, routines=(NECK,))
    async with env.app().run_test(size=(100, 30)) as pilot:
        app = pilot.app
        await into_player(pilot)
        await pilot.press("g")
        await advance(pilot, env, 0.3)
        gentler, instruction = app.screen.query_one("#gentler"), app.screen.query_one("#instruction")
        assert gentler.region.y == instruction.region.y  # beside
        lines = screen_lines(app)
        rows = range(instruction.region.y, instruction.region.bottom)
        right = max(len(lines[row][: gentler.region.x].rstrip()) for row in rows)
        assert gentler.region.x - right >= 2  # a clear gap, not one space
        assert gentler.region.x - instruction.content_region.right >= 3  # whatever the wrapping
        heading = lines[gentler.region.y][gentler.region.x : gentler.region.right].rstrip()
        assert heading == "Gentler, light pressure:"  # a row of its own
        assert "Use flat fingers" in lines[gentler.region.y + 1]


async def test_quit_and_help_stay_in_the_footer_on_a_narrow_terminal(tmp_path: Path) -> None:
    env = Env(tmp_path, routines=(GUIDED,))
    async with env.app().run_test(size=(100, 30)) as pilot:
        app = pilot.app
        await into_guided(pilot, env)
        for size, words in (
            ((60, 15), ["Pause", "Skip", "Gentler", "Too much", "Quit", "Help"]),
            ((40, 12), ["Pause", "Too much", "Quit", "Help"]),
            ((80, 24), ["Pause", "Skip", "Back", "30 s", "Gentler", "Too much", "Mute", "Quit", "Help"]),
        ):
            await pilot.resize_terminal(*size)
            await advance(pilot, env, 0.1)
            await pilot.pause()
            assert footer_words(app) == words, size
            footer = screen_lines(app)[-1]
            assert "q Quit" in footer and "? Help" in footer, (size, footer)
        await pilot.resize_terminal(60, 15)
        await advance(pilot, env, 0.1)
        await pilot.press("g", "space")  # keys out of the footer still act; the words follow the state
        await advance(pilot, env, 0.1)
        await pilot.pause()
        assert snap(app).showing_gentler and footer_words(app)[:3] == ["Resume", "Skip", "Original"]
        assert "? Help" in screen_lines(app)[-1]


async def test_the_player_is_on_screen_before_its_first_cue_plays(tmp_path: Path) -> None:
    """Opening a sound device may take a second: the first cue waits for the first frame,
    so that the screen under the player (home, under `coach run`) is not left in view."""
    env = Env(tmp_path, routines=(BREATH,))
    laid_out: list[bool] = []
    play = env.player.play

    def playing(cue: str) -> None:
        screen = env.player_app.screen
        if isinstance(screen, PlayerScreen):
            laid_out.append(screen.query_one("#step-title").region.width > 0)
        play(cue)

    env.player.play = playing  # type: ignore[method-assign]
    app = env.app(start="slow-breaths", pre=4)
    env.player_app = app  # type: ignore[attr-defined]
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "PlayerScreen")
        await until(pilot, lambda: bool(laid_out), "the first cue")
        assert laid_out[0] and env.player.played[0] == "bell"
