"""A yes/no question over the current screen (quitting, ending a session)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from coach.text import visible_lines
from coach.tui.keys import CONFIRM_KEYS, bindings


class ConfirmScreen(ModalScreen[bool]):
    """Enter or y answers yes; n or Escape answers no."""

    DEFAULT_CSS = """
    ConfirmScreen {
        align: center middle;
    }
    #confirm-box {
        width: auto;
        max-width: 60;
        height: auto;
        border: thick $accent;
        background: $surface;
        padding: 1 2;
    }
    #confirm-box > Static {
        width: auto;
        max-width: 56;
    }
    #confirm-detail {
        margin-top: 1;
    }
    #confirm-keys {
        margin-top: 1;
    }
    """

    BINDINGS = bindings(CONFIRM_KEYS)

    def __init__(self, question: str, detail: str = "", yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            # The question may quote a title or a path: shown, never obeyed.
            yield Static(Content.styled(visible_lines(self.question), "bold"), id="confirm-question")
            if self.detail:
                yield Static(Content.styled(visible_lines(self.detail), "$text-muted"), id="confirm-detail")
            yield Static(
                Content.assemble(("Enter/y", "bold"), f" {self.yes}    ", ("Esc/n", "bold"), f" {self.no}"),
                id="confirm-keys",
            )

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
