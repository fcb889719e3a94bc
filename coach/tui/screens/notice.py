"""A page to read and acknowledge (first run, cautions): Enter continues, Escape goes back."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from coach.tui.keys import BACK, NOTICE_CONTINUE, NOTICE_KEYS, bindings


class NoticeScreen(Screen[bool]):
    """Dismisses True when the person continues, False when they go back."""

    DEFAULT_CSS = """
    NoticeScreen .notice-page {
        align: center middle;
        padding: 0 1;
    }
    NoticeScreen .notice-body {
        max-width: 78;
        height: auto;
        max-height: 1fr;
        border: round $warning 60%;
        padding: 0 1;
    }
    NoticeScreen .notice-keys {
        max-width: 78;
        height: 1;
        content-align: center middle;
    }
    """

    BINDINGS = bindings(NOTICE_KEYS)

    text_id = "notice-text"

    def text(self) -> Content:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(classes="notice-page"):
            with VerticalScroll(classes="notice-body"):
                yield Static(self.text(), id=self.text_id)
            yield Static(
                Content.assemble(
                    (NOTICE_CONTINUE.shown_as, "bold"),
                    f" {NOTICE_CONTINUE.help}   ",
                    (BACK.shown_as, "bold"),
                    f" {BACK.help}",
                ),
                classes="notice-keys",
            )
        yield Footer()

    def action_continue(self) -> None:
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)
