"""The pain rating a plan asks for, before and after each of its sessions (DESIGN, Stress
rating; issue 13 item 5).

A plan with `"pain": {"area": "neck"}` asks "Pain in your neck right now" on the 0-10
numeric rating scale, 0 = no pain, 10 = worst pain imaginable (the scale's usual anchors;
the question's words are `coach.start.pain_question`'s, which the plain runner asks too).
It comes after the stress rating, with the same keys: a digit (t for 10) or the arrows
choose, Enter confirms, s skips. Before the session Escape goes back home, as the stress
rating does; after it Escape skips. After the session it shows the rating before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from coach.text import visible
from coach.tui.keys import RATING_KEYS, bindings
from coach.tui.widgets.rating_scale import RatingScale

# The anchors of the 0-10 numeric pain rating scale, as DESIGN.md (Stress rating) words them.
PAIN_LOW = "0 = no pain"
PAIN_HIGH = "10 = worst pain imaginable"


def pain_question_words(area: str) -> str:
    """ "Pain in your neck right now": `coach.start.pain_question` without its anchors,
    which the scale shows under its ends. `area` is a vocabulary area ("upper-back")."""
    from coach.start import pain_question

    return pain_question(area).partition(", 0 =")[0]


@dataclass(frozen=True)
class PainAnswer:
    """The pain rating given (0-10), or None when skipped."""

    value: int | None


class PainRatingScreen(Screen[PainAnswer | None]):
    """Dismisses a PainAnswer, or None when the person goes back (before a session only)."""

    DEFAULT_CSS = """
    PainRatingScreen .rating-page {
        align: center middle;
        padding: 0 2;
    }
    PainRatingScreen .rating-page > * {
        max-width: 60;
    }
    PainRatingScreen .rating-heading, PainRatingScreen .rating-question, #pain-before {
        margin-bottom: 1;
    }
    #pain-scale {
        margin-bottom: 1;
    }
    #pain-hint {
        color: $text-muted;
    }
    """

    BINDINGS = bindings(RATING_KEYS)

    def __init__(self, area: str, *, after: bool, routine_title: str = "", before: int | None = None) -> None:
        """`area`: the body area the plan asks about. `after`: after the session (it then
        shows `before`, the pain rating given before it; None: skipped)."""
        super().__init__()
        self.area = area
        self.after = after
        self.routine_title = routine_title
        self.before = before

    def compose(self) -> ComposeResult:
        heading = "After the session" if self.after else "Before you start"
        with Vertical(classes="rating-page"):
            yield Static(
                Content.assemble(
                    (heading, "bold $accent"), ("  " + visible(self.routine_title), "$text-muted")
                ),
                classes="rating-heading",
            )
            if self.after:
                before = "skipped" if self.before is None else str(self.before)
                yield Static(
                    Content.assemble(("Pain before: ", "$text-muted"), (before, "bold")), id="pain-before"
                )
            question = visible(pain_question_words(self.area))
            yield Static(Content.styled(question, "bold"), classes="rating-question", id="pain-question")
            yield RatingScale(low=PAIN_LOW, high=PAIN_HIGH, id="pain-scale")
            yield Static(self._hint(), id="pain-hint")
        yield Footer()

    @staticmethod
    def _hint() -> Content:
        keys = [("0-9", "choose"), ("t", "10"), ("←/→", "move"), ("Enter", "confirm"), ("s", "skip")]
        parts: list[tuple[str, str] | str] = []
        for key, word in keys:
            parts += [(key, "bold"), f" {word}  "]
        return Content.assemble(*parts)

    def on_mount(self) -> None:
        self.query_one(RatingScale).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "cautions"  # the stress rating offers them; once is enough

    @property
    def value(self) -> int | None:
        return self.query_one(RatingScale).value

    def action_choose(self, number: int) -> None:
        self.query_one(RatingScale).value = number

    def action_move(self, delta: int) -> None:
        self.query_one(RatingScale).move(delta)

    def action_confirm(self) -> None:
        if self.value is None:
            self.query_one("#pain-hint", Static).update(
                Content.styled("Choose a number first (0-9, t for 10), or press s to skip.", "$text-warning")
            )
            return
        self.dismiss(PainAnswer(self.value))

    def action_skip(self) -> None:
        self.dismiss(PainAnswer(None))

    def action_cautions(self) -> None:
        """Not offered here (`check_action`): the stress rating before it offers them."""

    def action_back(self) -> None:
        if self.after:
            self.action_skip()  # nothing to go back to once the session is over
        else:
            self.dismiss(None)


async def ask_pain(
    app: App[Any],
    area: str | None,
    given: int | None,
    *,
    after: bool,
    routine_title: str,
    before: int | None = None,
) -> PainAnswer | None:
    """The session's pain rating, for the app's session flow (`coach.tui.flow`): nothing
    asked when the plan asks about no `area` (PainAnswer(None)) or the rating was `given`
    up front (`--pain-pre` / `--pain-post`, 0-10: PainAnswer(given)); else the screen, whose
    answer comes back. None when the person went back (Escape, before the session only).
    `before`: the pain rating before the session, shown after it."""
    if area is None:
        return PainAnswer(None)
    if given is not None:
        return PainAnswer(given)
    return await app.push_screen_wait(
        PainRatingScreen(area, after=after, routine_title=routine_title, before=before)
    )
