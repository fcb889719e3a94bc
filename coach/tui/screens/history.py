"""History: the sessions (newest first), a chart of ratings over time, each routine's figures."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static


class HistoryScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.ask_quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="history"):
            yield Static(Content.styled("History", "bold $accent"), classes="page-title")
            yield Static("Loading…", id="history-status", markup=False)
        yield Footer()

    def action_back(self) -> None:
        self.dismiss(None)
