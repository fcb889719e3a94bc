"""The key tables (coach.tui.keys): each key declared once feeds the bindings, the footer,
the help screen and docs/keys.md, and the tables agree with each other."""

from __future__ import annotations

from pathlib import Path

from coach.tui import keys
from coach.tui.keys import SECTIONS, Key, Note
from tests.helpers.tui import Env, loaded, on_screen

TABLES = {name: value for name, value in vars(keys).items() if name.endswith("_KEYS")}


def test_every_table_binds_each_key_once() -> None:
    """Two rows of one table on the same key: one of them would never run."""
    for name, table in TABLES.items():
        seen: dict[str, str] = {}
        for row in table:
            for key in row.keys.split(","):
                assert key not in seen, f"{name}: {key} is bound to {seen[key]} and {row.action}"
                seen[key] = row.action


def test_every_described_key_is_in_the_help_and_every_listed_key_is_bound() -> None:
    listed = [row for _, rows in SECTIONS for row in rows]
    shown = {(row.shown_as, row.help) for row in listed}
    bound = [row for table in TABLES.values() for row in table]
    for row in bound:
        if row.help:
            assert (row.shown_as, row.help) in shown, f"{row.keys} ({row.action}): help the help never shows"
    for row in listed:
        assert isinstance(row, Note) or row in bound, f"the help lists {row.shown_as}, which no table binds"


def test_a_key_row_is_a_textual_binding() -> None:
    row = Key("plus,equals_sign", "extend", "30 s more", "30 seconds more", label="+ or =",
              footer=False, key_display="+", priority=True)  # fmt: skip
    binding = row.binding()
    assert (binding.key, binding.action, binding.description) == ("plus,equals_sign", "extend", "30 s more")
    assert (binding.show, binding.key_display, binding.priority) == (False, "+", True)
    assert row.shown_as == "+ or ="
    assert Key("s", "skip", "Skip").shown_as == "s"


def test_the_screens_bind_their_tables() -> None:
    from coach.tui.app import CoachApp
    from coach.tui.screens.home import HomeScreen
    from coach.tui.screens.player import PlayerScreen

    assert CoachApp.BINDINGS == keys.bindings(keys.APP_KEYS)
    assert HomeScreen.BINDINGS == keys.bindings(keys.HOME_KEYS)
    assert PlayerScreen.BINDINGS == keys.bindings(keys.PLAYER_KEYS)
    # The footer's word for a key is the table's word.
    # Space's second binding, Resume, is the footer's word while paused (check_action).
    assert [b.description for b in PlayerScreen.BINDINGS] == [
        "Pause", "Resume", "Skip", "Back", "30 s", "Gentler", "Original", "Too much", "Mute", "Unmute",
        "Quit", "Help",
    ]  # fmt: skip
    assert [b.key for b in PlayerScreen.BINDINGS[:2]] == ["space", "space"]


async def test_the_first_run_note_names_its_keys_as_the_help_does(tmp_path: Path) -> None:
    env = Env(tmp_path, first_run_seen=False)
    async with env.app().run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("enter")
        await on_screen(pilot, "FirstRunScreen")
        line = str(pilot.app.screen.query_one(".notice-keys").render())
        assert line == "Enter I understand, continue   Esc back"
        assert ("Enter", "I understand, continue") in dict(keys.KEYS)["Notes (first run, cautions)"]
