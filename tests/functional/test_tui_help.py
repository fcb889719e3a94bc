"""The help screen lays its two columns out for the width it has: no line is wider than the
box (so the terminal never wraps one to column 0), descriptions continue under their own
column, and a key name too long for its column stands on a line of its own."""

from __future__ import annotations

from typing import Any

import pytest
from rich.cells import cell_len

from coach.tui.keys import KEYS
from coach.tui.screens.help import KEY_COLUMN, help_lines
from tests.helpers.tui import Env, loaded, on_screen


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (40, 12)])
async def test_help_fits_its_box_with_long_key_names_on_their_own_line(
    tmp_path: Any, size: tuple[int, int]
) -> None:
    env = Env(tmp_path)
    async with env.app().run_test(size=size) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        await on_screen(pilot, "HelpScreen")
        await pilot.pause()
        widget = pilot.app.screen.query_one("#help-text")
        width = widget.size.width
        lines = str(widget.render()).splitlines()
        assert widget.size.height == len(lines)  # laid out as drawn: nothing wrapped again
        if width >= KEY_COLUMN + 16:
            assert all(cell_len(line) <= width for line in lines), [
                line for line in lines if cell_len(line) > width
            ]
        at = lines.index("  PgUp/PgDn, Home/End")
        assert lines[at + 1].startswith(" " * KEY_COLUMN + "history: a")
        # Every description line starts in the description column: a key's first line, or
        # a continuation indented to it (never at column 0).
        alone = {"  " + key for _, rows in KEYS for key, _ in rows if len("  " + key) + 1 > KEY_COLUMN}
        for line in lines:
            if line.startswith("  ") and line not in alone:  # a long key name stands alone
                assert line[KEY_COLUMN - 1] == " " and line[KEY_COLUMN] != " ", line


def test_help_lines_wrap_to_the_width_with_a_hanging_indent() -> None:
    for width in (50, 58, 74, 100):
        lines = [line.plain for line in help_lines(width)]
        assert all(cell_len(line) <= width for line in lines)
        assert "  Tab     to the filters: ←/→ area, kind, length; Enter lists the choices; ↑/↓ step; " \
               "Backspace any" not in lines or width >= 96  # fmt: skip
        tab = next(i for i, line in enumerate(lines) if line.startswith("  Tab     to the filters"))
        if width < 96:  # wrapped: the rest under the description column
            assert lines[tab + 1].startswith(" " * KEY_COLUMN) and lines[tab + 1].strip()
