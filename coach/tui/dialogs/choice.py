"""A short list to pick one value from (a home screen filter): Enter picks, Escape cancels."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from coach.text import visible
from coach.tui.keys import CHOICE_KEYS, bindings


class ChoiceScreen(ModalScreen[tuple[str | None] | None]):
    """Dismisses (value,) for a choice (value may be None: "any"), or None when cancelled."""

    DEFAULT_CSS = """
    ChoiceScreen {
        align: center middle;
    }
    #choice-box {
        width: 34;
        height: auto;
        max-height: 90%;
        border: thick $accent;
        background: $surface;
        padding: 0 1;
    }
    #choice-list {
        height: auto;
        max-height: 18;
        border: none;
        padding: 0;
    }
    """

    BINDINGS = bindings(CHOICE_KEYS)

    def __init__(self, title: str, choices: Sequence[tuple[str | None, str]], current: str | None) -> None:
        super().__init__()
        self.choice_title = title
        self.choices = list(choices)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-box"):
            yield Static(Content.styled(visible(self.choice_title), "bold"), id="choice-title")
            yield OptionList(
                *[Option(Content(visible(words))) for _, words in self.choices], id="choice-list"
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        values = [value for value, _ in self.choices]
        options.highlighted = values.index(self.current) if self.current in values else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss((self.choices[event.option_index][0],))

    def action_cancel(self) -> None:
        self.dismiss(None)
