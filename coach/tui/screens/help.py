"""Help: every key, by screen."""

from __future__ import annotations

import textwrap

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from coach.tui.keys import HELP_SCREEN_KEYS, KEYS, bindings

DESCRIPTION_WIDTH = 58


def help_text() -> Content:
    parts: list[Content | str | tuple[str, str]] = [("Keys", "bold $accent")]
    for section, keys in KEYS:
        parts += ["\n\n", (section, "bold")]
        for key, what in keys:
            # Wrapped with a hanging indent, so the keys stand in their own column.
            lines = textwrap.wrap(what, DESCRIPTION_WIDTH) or [""]
            parts += ["\n", (f"  {key:<8}", "bold $text-accent"), ("\n" + " " * 10).join(lines)]
    parts += ["\n\n", ("Coach is self-care, not medical advice.", "$text-muted")]
    return Content.assemble(*parts)


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    #help-box {
        width: 80%;
        max-width: 78;
        height: 90%;
        border: thick $accent;
        background: $surface;
        padding: 0 1;
    }
    """

    BINDINGS = bindings(HELP_SCREEN_KEYS)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(help_text(), id="help-text")

    def action_close(self) -> None:
        self.dismiss(None)
