"""The stress rating, before and after a session (DESIGN, Stress rating).

A digit chooses (0-9, and t for 10), as do the arrows; Enter confirms; s skips. Before a
session whose cautions were acknowledged earlier, one line says so and `c` shows them
again. After the session it shows the rating before ("Before: 6"), and an optional
one-line note goes with it. After a stopped session there is no rating after: the screen
then asks only for the note (`rate=False`; "Stopped: tingling in right hand" is what the
therapist must see), Enter keeps it, Esc leaves it out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from coach.text import visible
from coach.tui.keys import RATING_KEYS, bindings
from coach.tui.widgets.rating_scale import RatingScale
from coach.tui.widgets.text_field import TextField

QUESTION = "How stressed or tense do you feel right now?"
NOTE_QUESTION = "Anything to note about why it stopped? (optional)"
NOTE_LIMIT = 500


@dataclass(frozen=True)
class RatingAnswer:
    value: int | None  # None: skipped
    note: str = ""


class RatingScreen(Screen[RatingAnswer | None]):
    """Dismisses a RatingAnswer, or None when the person goes back (before a session only)."""

    DEFAULT_CSS = """
    /* --- rating --- */

.rating-page {
        align: center middle;
        padding: 0 2;
    }
    .rating-page > * {
        max-width: 60;
    }
    .rating-heading, .rating-question {
        margin-bottom: 1;
    }
    #scale {
        margin-bottom: 1;
    }
    #note {
        margin-bottom: 1;
    }
    #rating-hint {
        color: $text-muted;
    }
    #rating-cautions, #rating-before {
        margin-bottom: 1;
    }
    """

    BINDINGS = bindings(RATING_KEYS)

    def __init__(
        self,
        *,
        after: bool,
        routine_title: str = "",
        before: int | None = None,
        cautions: Sequence[str] = (),
        stop_if: Sequence[str] = (),
        rate: bool = True,
    ) -> None:
        """`before`: the rating given before the session (after it; None: skipped).
        `rate=False` (after a stopped session): no rating, only the note.
        `cautions`, `stop_if`: the routine's, already acknowledged: one line, `c` reads them."""
        super().__init__()
        self.after = after
        self.routine_title = routine_title
        self.before = before
        self.cautions = tuple(cautions)
        self.stop_if = tuple(stop_if)
        self.rate = rate or not after

    def compose(self) -> ComposeResult:
        heading = "After the session" if self.after else "Before you start"
        if not self.rate:
            heading = "Stopped"
        with Vertical(classes="rating-page"):
            yield Static(
                Content.assemble(
                    (heading, "bold $accent"), ("  " + visible(self.routine_title), "$text-muted")
                ),
                classes="rating-heading",
            )
            if self.after and self.rate:
                before = "skipped" if self.before is None else str(self.before)
                yield Static(Content.assemble(("Before: ", "$text-muted"), (before, "bold")),
                             id="rating-before")
            elif self.cautions or self.stop_if:
                count = len(self.cautions) + len(self.stop_if)
                yield Static(Content.assemble(
                    ("⚠ ", "$text-warning"),
                    f"This routine has {count} caution{'' if count == 1 else 's'} you have read: ",
                    ("c", "bold"), " to read them again",
                ), id="rating-cautions")  # fmt: skip
            if self.rate:
                yield Static(Content.styled(QUESTION, "bold"), classes="rating-question")
                yield RatingScale(id="scale")
            else:
                yield Static(Content.styled(NOTE_QUESTION, "bold"), classes="rating-question")
            if self.after:
                yield TextField(placeholder="A note for your history (optional)", id="note",
                                max_length=NOTE_LIMIT)  # fmt: skip
            yield Static(self._hint(), id="rating-hint")
        yield Footer()

    def _hint(self) -> Content:
        if not self.rate:
            return Content.assemble(("Enter", "bold"), " keep the note  ", ("Esc", "bold"), " leave it out")
        keys = [("0-9", "choose"), ("t", "10"), ("←/→", "move"), ("Enter", "confirm"), ("s", "skip")]
        if self.after:
            keys[2:3] = [("Tab", "note")]
        parts: list[tuple[str, str] | str] = []
        for key, word in keys:
            parts += [(key, "bold"), f" {word}  "]
        return Content.assemble(*parts)

    def on_mount(self) -> None:
        if self.rate:
            self.query_one(RatingScale).focus()
        else:
            self.query_one("#note", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cautions":
            return not self.after and bool(self.cautions or self.stop_if)
        if not self.rate and action in ("choose", "move", "skip"):
            return False  # only the note: Enter keeps it, Esc leaves it out
        return True

    def action_cautions(self) -> None:
        """The routine's cautions again; either answer comes back here."""
        from coach.tui.screens.cautions import CautionsScreen

        self.app.push_screen(CautionsScreen(self.routine_title, self.cautions, self.stop_if))

    @property
    def value(self) -> int | None:
        if not self.rate:
            return None
        return self.query_one(RatingScale).value

    def _note(self) -> str:
        if not self.after:
            return ""
        # A pasted escape sequence or bidi control is kept as its visible stand-in: the
        # history then never holds a character an import would refuse.
        return visible(" ".join(self.query_one("#note", Input).value.split()))

    def action_choose(self, number: int) -> None:
        self.query_one(RatingScale).value = number

    def action_move(self, delta: int) -> None:
        self.query_one(RatingScale).move(delta)

    def action_confirm(self) -> None:
        if not self.rate:
            self.dismiss(RatingAnswer(None, self._note()))
            return
        if self.value is None:
            self.query_one("#rating-hint", Static).update(
                Content.styled("Choose a number first (0-9, t for 10), or press s to skip.", "$text-warning")
            )
            return
        self.dismiss(RatingAnswer(self.value, self._note()))

    def action_skip(self) -> None:
        self.dismiss(RatingAnswer(None, self._note()))

    def action_back(self) -> None:
        if not self.rate:
            self.dismiss(RatingAnswer(None, ""))  # Esc: no note
        elif self.after:
            # Nothing to go back to once the session is over: Escape leaves the rating out.
            self.action_skip()
        else:
            self.dismiss(None)

    @on(Input.Submitted, "#note")
    def _note_submitted(self) -> None:
        self.action_confirm()
