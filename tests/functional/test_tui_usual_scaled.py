"""`r` on home starts the usual break at the length remembered for it; when the routine can
no longer reach that length (it changed since: its dose steps now keep their length), the
app says so on start in the very words `coach run --last` prints (one function:
`coach.scaling.scaling_note`), and says nothing for a length it can reach (issue 15)."""

from __future__ import annotations

import json
from pathlib import Path

from coach.paths import builtin_routines_dir
from coach.scaling import scaling_note
from tests.helpers.tui import Env, loaded, on_screen, until


def four_7_8() -> dict[str, object]:
    return json.loads((builtin_routines_dir() / "breathing-4-7-8.json").read_text(encoding="utf-8"))


def notices(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(n.message) for n in app._notifications]


async def start_usual(env: Env, minutes: float) -> list[str]:
    """`r` with the usual break remembered as 4-7-8 at `minutes`; the notices up to the
    rating before the session."""
    (env.root / "usual.json").write_text(
        json.dumps({"last": {"routine": "breathing-4-7-8", "minutes": minutes}}), encoding="utf-8"
    )
    async with env.app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await loaded(pilot)
        await pilot.press("r")
        await until(pilot, lambda: type(app.screen).__name__ in ("CautionsScreen", "RatingScreen"), "a start")
        if type(app.screen).__name__ == "CautionsScreen":
            await pilot.press("enter")  # its first session: the cautions, acknowledged
        await on_screen(pilot, "RatingScreen")
        return notices(app)


async def test_r_says_when_the_remembered_length_cannot_be_reached(tmp_path: Path) -> None:
    routine_json = four_7_8()
    env = Env(tmp_path, routines=(routine_json,))
    told = await start_usual(env, 10)  # chosen when 4-7-8 still stretched its breaths
    expected = scaling_note(env.library().load(env.library().find("breathing-4-7-8")), 600)
    assert expected == ("4-7-8 breathing can be stretched to about 4 min at most: "
                        "its 4 breaths (4-7-8 breaths) are the dose.")  # fmt: skip
    assert told.count(expected) == 1, told  # `coach run --last` prints "coach: " + this line


async def test_r_at_a_reachable_length_says_nothing_of_it(tmp_path: Path) -> None:
    env = Env(tmp_path, routines=(four_7_8(),))
    told = await start_usual(env, 3)
    assert not [n for n in told if "the dose" in n or "at most" in n], told
