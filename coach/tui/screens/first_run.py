"""First run: Coach is self-care, not medical advice, and the signs that mean stop and get help.

Shown once, before the first session however it is started; the app remembers it in the
settings file. Words from ../shared/research/domain.md §3.2.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

RED_FLAGS: tuple[str, ...] = (
    "sharp, electric or burning pain; new numbness, tingling or weakness",
    "dizziness, fainting, double vision, trouble speaking or swallowing",
    "a sudden, very severe headache, or a stiff neck with a fever",
    "a swollen, warm, red or throbbing calf (do not massage it)",
    "numbness around the groin, or new bladder or bowel trouble",
    "chest pain or sudden breathlessness: call emergency services",
)

TEXT = Content.assemble(
    ("Before you start", "bold $accent"),
    "\n\n",
    "Coach guides self-care: self-massage, stretches and slow breathing. ",
    ("It is not medical advice", "bold"),
    " and does not replace a doctor or therapist.\n\n",
    "Press strongly but never sharply. Skip any area with a wound, bruise, infection "
    "or recent injury. Never press on the front or sides of the neck. Breathe sitting down.\n\n",
    ("Stop and get medical help if you notice:", "bold $text-warning"),
    *[part for flag in RED_FLAGS for part in ("\n", ("• ", "$text-warning"), flag)],
)


class FirstRunScreen(Screen[bool]):
    """Dismisses True when the person continues, False when they go back."""

    BINDINGS = [
        Binding("enter", "continue", "Continue"),
        Binding("escape", "back", "Back"),
        Binding("question_mark", "app.help", "Help"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="notice-page"):
            with VerticalScroll(classes="notice-body"):
                yield Static(TEXT, id="first-run-text")
            yield Static(
                Content.assemble(("Enter", "bold"), " I understand, continue   ", ("Esc", "bold"), " back"),
                classes="notice-keys",
            )
        yield Footer()

    def action_continue(self) -> None:
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)
