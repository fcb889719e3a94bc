"""`r` on home starts the usual break at the length remembered for it; when the routine can
no longer reach that length (it changed since: its dose steps now keep their length), the
app says so on the player's notice line (never a toast over the step title) in the very
words `coach run --last --plain` prints (one function: `coach.scaling.scaling_note`), and
says nothing for a length it can reach (issue 15). Home's "r again" names the length `r`
really gives (`coach.scaling.scaled_seconds`), not the one asked for then."""

from __future__ import annotations

import json
from pathlib import Path

from coach.paths import builtin_routines_dir
from coach.scaling import scaling_note
from tests.helpers.tui import Env, loaded, on_screen, text_of, until


def four_7_8() -> dict[str, object]:
    return json.loads((builtin_routines_dir() / "breathing-4-7-8.json").read_text(encoding="utf-8"))


def notices(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(n.message) for n in app._notifications]


async def start_usual(env: Env, minutes: float) -> tuple[str, list[str], str, int]:
    """`r` with the usual break remembered as 4-7-8 at `minutes`: home's status line before
    it, the toasts up to the player, and the player's notice line (its text and height)."""
    (env.root / "usual.json").write_text(
        json.dumps({"last": {"routine": "breathing-4-7-8", "minutes": minutes}}), encoding="utf-8"
    )
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await loaded(pilot)
        await until(pilot, lambda: "r again" in text_of(app, "#status"), "the again hint")
        await until(pilot, lambda: "(about" in text_of(app, "#status"), "the again hint's length")
        home = text_of(app, "#status")
        await pilot.press("r")
        await until(pilot, lambda: type(app.screen).__name__ in ("CautionsScreen", "RatingScreen"), "a start")
        if type(app.screen).__name__ == "CautionsScreen":
            await pilot.press("enter")  # its first session: the cautions, acknowledged
        await on_screen(pilot, "RatingScreen")
        await pilot.press("5", "enter")
        await on_screen(pilot, "PlayerScreen")
        line = app.screen.query_one("#state-line")
        return home, notices(app), text_of(app, "#state-line"), line.size.height


async def test_r_says_when_the_remembered_length_cannot_be_reached(tmp_path: Path) -> None:
    routine_json = four_7_8()
    env = Env(tmp_path, routines=(routine_json,))
    home, toasts, said, rows = await start_usual(env, 10)  # chosen when 4-7-8 still stretched its breaths
    expected = scaling_note(env.library().load(env.library().find("breathing-4-7-8")), 600)
    assert expected == ("4-7-8 breathing can be stretched to about 4 min at most: "
                        "its 4 breaths (4-7-8 breaths) are the dose.")  # fmt: skip
    # Home promises the length `r` really gives, not the one asked for then.
    assert home.endswith("r again: 4-7-8 breathing (about 4 min)"), home
    # Said once, on the player's notice line (two lines at 80 columns), not in a toast over
    # the step title; `coach run --last --plain` prints "coach: " + this line.
    assert expected in said and rows == 2
    assert not [t for t in toasts if "the dose" in t], toasts


async def test_r_at_a_reachable_length_says_nothing_of_it(tmp_path: Path) -> None:
    env = Env(tmp_path, routines=(four_7_8(),))
    home, toasts, said, _rows = await start_usual(env, 3)
    assert home.endswith("r again: 4-7-8 breathing (about 3 min)"), home
    assert not [n for n in [*toasts, said] if "the dose" in n or "at most" in n], toasts


async def test_the_sound_notice_waits_until_the_length_note_has_had_its_time(tmp_path: Path) -> None:
    """Where sound is unavailable its notice comes with the first cue; the one notice line
    must not lose "can be stretched to about 4 min" to it (a re-check found it did)."""
    from coach.tui.screens.player import SCALING_NOTICE_SECONDS
    from tests.helpers.tui import advance

    env = Env(tmp_path, routines=(four_7_8(),))
    env.player.notice = "Sound unavailable (no device); using the terminal bell."
    (env.root / "usual.json").write_text(
        json.dumps({"last": {"routine": "breathing-4-7-8", "minutes": 10}}), encoding="utf-8"
    )
    async with env.app().run_test(size=(100, 30)) as pilot:
        app = pilot.app
        await loaded(pilot)
        await until(pilot, lambda: "(about" in text_of(app, "#status"), "the again hint's length")
        await pilot.press("r")
        await until(pilot, lambda: type(app.screen).__name__ in ("CautionsScreen", "RatingScreen"), "a start")
        if type(app.screen).__name__ == "CautionsScreen":
            await pilot.press("enter")
        await on_screen(pilot, "RatingScreen")
        await pilot.press("5", "enter")
        await on_screen(pilot, "PlayerScreen")
        await advance(pilot, env, 4)  # past the count-in: cues play, the sound notice comes
        await until(pilot, lambda: "the dose" in text_of(app, "#state-line"), "the length note")
        assert env.player.notice is None  # taken: it waits in line, it is not lost
        await advance(pilot, env, SCALING_NOTICE_SECONDS)
        await until(pilot, lambda: "Sound unavailable" in text_of(app, "#state-line"), "the sound notice")
        assert "the dose" not in text_of(app, "#state-line")
