"""docs/keys.md names exactly the keys that act in the "too much" dialog (issue 14): its own
BINDINGS (the choices, `r`, Esc) and the vertical scroll keys of its scroll, which has the
focus (Textual's VerticalScroll binds them)."""

from __future__ import annotations

from pathlib import Path

from textual.containers import VerticalScroll

from coach.tui.dialogs.too_much import TooMuchScreen
from tests.helpers.tui import Env, advance, into_player, on_screen

DOCS = Path(__file__).resolve().parents[2] / "docs" / "keys.md"
SECTION = "## Too much (t in a session)"
# The names docs/keys.md gives keys, as Textual names them.
KEY_NAMES = {"↑": "up", "↓": "down", "PgUp": "pageup", "PgDn": "pagedown", "Home": "home",
             "End": "end", "Esc": "escape"}  # fmt: skip
# What a VerticalScroll's keys do that a person can see (left and right have nothing to move).
VERTICAL = {"scroll_up", "scroll_down", "page_up", "page_down", "scroll_home", "scroll_end"}


def documented_keys() -> set[str]:
    """The Textual key names of the Too much table in docs/keys.md."""
    lines = DOCS.read_text(encoding="utf-8").split(SECTION, 1)[1].split("\n## ", 1)[0].splitlines()
    names: set[str] = set()
    for line in lines:
        if not line.startswith("| `"):
            continue
        label = line.split("`")[1]
        for part in label.replace(", ", "/").split("/"):
            names.add(KEY_NAMES.get(part, part))
    return names


async def test_the_docs_name_the_dialogs_keys_and_its_scroll_keys(tmp_path: Path) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=(100, 12)) as pilot:
        app = pilot.app
        await into_player(pilot)  # the first routine: massage with a gentler version
        await advance(pilot, env, 1)
        await pilot.press("t")
        await on_screen(pilot, "TooMuchScreen")
        dialog = app.screen
        assert isinstance(dialog, TooMuchScreen)
        scroll = dialog.query_one("#too-much-scroll", VerticalScroll)
        assert app.focused is scroll  # so its keys act
        own = {key for binding in TooMuchScreen.BINDINGS for key in binding.key.split(",")}
        scrolling = {key for key, active in dialog.active_bindings.items()
                     if active.node is scroll and active.binding.action in VERTICAL}  # fmt: skip
    assert scrolling == {"up", "down", "pageup", "pagedown", "home", "end"}
    assert documented_keys() == own | scrolling
