"""Help: every key, by screen, in two columns: the key, and what it does wrapped with a
hanging indent to the width the box has (`help_lines`), so that no line is wrapped again
by the terminal. A key name longer than its column ("PgUp/PgDn, Home/End") stands on a
line of its own, its description on the lines below, indented like the others."""

from __future__ import annotations

import textwrap

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget

from coach.tui.keys import HELP_SCREEN_KEYS, KEYS, bindings

INDENT = 2  # before each key
KEY_COLUMN = 10  # cells from the line's start to the description: the indent, the key, a gap
NOT_ADVICE = "Coach is self-care, not medical advice."
DESCRIPTION_MIN = 16  # a narrower box still wraps the description to this (the terminal cuts it)


def help_lines(width: int) -> list[Content]:
    """The help as lines at most `width` cells wide (where the width allows
    KEY_COLUMN + DESCRIPTION_MIN): a title, each section's name, and each key with its
    description wrapped at word boundaries; continuation lines start at KEY_COLUMN."""
    width = max(width, KEY_COLUMN + DESCRIPTION_MIN)
    wrap_at = width - KEY_COLUMN
    hang = " " * KEY_COLUMN
    lines = [Content.styled("Keys", "bold $accent")]
    for section, keys in KEYS:
        lines += [Content(""), *(Content.styled(part, "bold") for part in textwrap.wrap(section, width))]
        for key, what in keys:
            described = textwrap.wrap(what, wrap_at) or [""]
            name = " " * INDENT + key
            if len(name) + 1 > KEY_COLUMN:  # no room beside it: the key on its own line
                lines.append(Content.styled(name, "bold $text-accent"))
            else:
                first = described.pop(0)
                lines.append(Content.assemble((f"{name:<{KEY_COLUMN}}", "bold $text-accent"), first))
            lines += [Content(hang + line) for line in described]
    lines.append(Content(""))
    lines += [Content.styled(part, "$text-muted") for part in textwrap.wrap(NOT_ADVICE, width)]
    return lines


def help_text(width: int = 78) -> Content:
    """The help as one text `width` cells wide (see `help_lines`)."""
    return Content("\n").join(help_lines(width))


class HelpText(Widget):
    """The help's text, laid out for the width the widget has."""

    DEFAULT_CSS = """
    HelpText { height: auto; }
    """

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return len(help_lines(width))

    def render(self) -> Content:
        return help_text(self.size.width or 78)


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
            yield HelpText(id="help-text")

    def action_close(self) -> None:
        self.dismiss(None)
