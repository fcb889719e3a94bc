"""Summary: before → after and what the change means, time spent, streak."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from coach.tui.text import count, days, spent


@dataclass(frozen=True)
class SummaryView:
    title: str
    pre: int | None
    post: int | None
    meaning: str  # the words stats gives the change: "a clear drop", "about the same", …
    active_seconds: float
    steps_done: int
    steps_total: int
    streak: int | None
    recorded: bool  # False for a preview (--speed) or when saving failed
    note: str = ""
    preview: bool = False


def _rating(value: int | None) -> str:
    return "–" if value is None else str(value)


def summary_text(view: SummaryView) -> Content:
    parts: list[Content | str | tuple[str, str]] = [
        ("Well done", "bold $accent"),
        "\n",
        (view.title, "$text-muted"),
        "\n\n",
        ("Stress  ", "$text-muted"),
        (f"{_rating(view.pre)} → {_rating(view.post)}", "bold"),
    ]
    if view.meaning:
        style = "bold $text-success" if "drop" in view.meaning else ""
        parts += ["\n        ", (view.meaning, style)]
    parts += [
        "\n",
        ("Time    ", "$text-muted"),
        spent(view.active_seconds),
        (f"   {view.steps_done} of {count(view.steps_total, 'step')}", "$text-muted"),
    ]
    if view.streak is not None:
        parts += ["\n", ("Streak  ", "$text-muted"), (days(view.streak), "bold")]
    if view.note:
        parts += ["\n", ("Note    ", "$text-muted"), view.note]
    if view.preview:
        parts += ["\n\n", ("A preview: nothing was recorded.", "$text-warning")]
    elif not view.recorded:
        parts += ["\n\n", ("This session could not be saved; it will be recovered on the next start.",
                             "$text-warning")]  # fmt: skip
    parts += ["\n\n", ("Enter", "bold"), " done   ", ("h", "bold"), " history"]
    return Content.assemble(*parts)


class SummaryScreen(Screen[None]):
    DEFAULT_CSS = """
    /* --- summary --- */

#summary {
        align: center middle;
        padding: 1 2;
    }
    #summary > Static {
        max-width: 70;
    }
    """

    BINDINGS = [
        Binding("enter,escape", "done", "Done"),
        Binding("h", "history", "History"),
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.ask_quit", "Quit"),
    ]

    def __init__(self, view: SummaryView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        with Vertical(id="summary"):
            yield Static(summary_text(self.view), id="summary-text")
        yield Footer()

    def action_done(self) -> None:
        self.dismiss(None)

    def action_history(self) -> None:
        from coach.tui.screens.history import HistoryScreen

        self.dismiss(None)
        self.app.push_screen(HistoryScreen())
