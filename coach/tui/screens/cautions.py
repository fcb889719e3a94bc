"""Cautions: what the routine's author asks you to know, acknowledged before it starts."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static


def cautions_text(title: str, cautions: Sequence[str]) -> Content:
    # Routine text is literal: Content.assemble never reads markup in its strings.
    parts: list[Content | str | tuple[str, str]] = [
        ("Cautions for ", "bold $text-warning"),
        (title, "bold"),
        "\n",
    ]
    for caution in cautions:
        parts += ["\n", ("• ", "$text-warning"), caution]
    parts += ["\n\n", ("If any of these apply to you, choose another routine.", "$text-muted")]
    return Content.assemble(*parts)


class CautionsScreen(Screen[bool]):
    """Dismisses True once acknowledged, False to go back."""

    BINDINGS = [
        Binding("enter", "continue", "I understand"),
        Binding("escape", "back", "Back"),
        Binding("question_mark", "app.help", "Help"),
    ]

    def __init__(self, title: str, cautions: Sequence[str]) -> None:
        super().__init__()
        self.routine_title = title
        self.cautions = tuple(cautions)

    def compose(self) -> ComposeResult:
        with Vertical(classes="notice-page"):
            with VerticalScroll(classes="notice-body"):
                yield Static(cautions_text(self.routine_title, self.cautions), id="cautions-text")
            yield Static(
                Content.assemble(("Enter", "bold"), " I understand, continue   ", ("Esc", "bold"), " back"),
                classes="notice-keys",
            )
        yield Footer()

    def action_continue(self) -> None:
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)
