"""Which plan a session counts towards, asked when several active plans include its routine
(DESIGN.md, Plans; `coach.start.attribute` finds them, `coach.tui.flow.which_plan` asks).

Each plan is shown as a person knows it, by client and therapist, with its id beneath;
"None of them" comes last and is highlighted first: a session counted towards the wrong
plan misleads the therapist's adherence report more than a session counted towards none,
and the dialog says what "none" means (the session is still saved in the history).
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from coach.plan_candidates import PlanCandidate
from coach.text import visible
from coach.tui.keys import CHOICE_KEYS, bindings

NONE_WORDS = "None of them"
# What choosing none means, said in the dialog (DESIGN.md, Plans: --no-plan keeps a
# session out of every plan; the history keeps it all the same).
NONE_MEANS = (
    "None of them: the session is saved in your history but counts towards no plan. "
    "Better than counting it for the wrong plan."
)


def candidate_prompt(candidate: PlanCandidate) -> Content:
    """Two lines: "Kim · from Jo Park" (what a person recognises), then "  plan kim-2026-11"
    (what `--plan` takes). Text from the plan file is made safe (`coach.text.visible`)."""
    who = candidate.client or "(no client named)"
    first: list[str | tuple[str, str]] = [(visible(who), "bold")]
    if candidate.therapist:
        first.append(visible(f" · from {candidate.therapist}"))
    return Content.assemble(*first, "\n", (visible(f"  plan {candidate.id}"), "dim"))


class PlanChoiceScreen(ModalScreen[tuple[str | None] | None]):
    """Dismisses (plan id,) for a plan, (None,) for "None of them" (the default: Enter alone
    picks it), or None when cancelled (Escape: back, no session)."""

    DEFAULT_CSS = """
    PlanChoiceScreen {
        align: center middle;
    }
    #plan-choice-box {
        width: 64;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $accent;
        background: $surface;
        padding: 0 1;
    }
    #plan-choice-list {
        height: auto;
        max-height: 12;
        border: none;
        padding: 0;
        margin: 1 0;
    }
    #plan-choice-none, #plan-choice-keys {
        color: $text-muted;
    }
    #plan-choice-keys {
        margin-top: 1;
    }
    """

    BINDINGS = bindings(CHOICE_KEYS)

    def __init__(self, routine_title: str, candidates: Sequence[PlanCandidate]) -> None:
        super().__init__()
        self.routine_title = routine_title
        self.candidates = list(candidates)

    def compose(self) -> ComposeResult:
        count = len(self.candidates)
        with Vertical(id="plan-choice-box"):
            yield Static(
                Content.styled("Count this session towards which plan?", "bold"), id="plan-choice-title"
            )
            yield Static(
                Content(visible(f"{self.routine_title} is in {count} of your running plans.")),
                id="plan-choice-why",
            )
            options = [Option(candidate_prompt(c)) for c in self.candidates]
            options.append(Option(Content.styled(NONE_WORDS, "bold")))
            yield OptionList(*options, id="plan-choice-list")
            yield Static(Content(NONE_MEANS), id="plan-choice-none")
            yield Static(
                Content.assemble(("Enter", "bold"), " picks   ", ("Esc", "bold"), " goes back"),
                id="plan-choice-keys",
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = len(self.candidates)  # "None of them"
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = event.option_index
        self.dismiss((self.candidates[index].id if index < len(self.candidates) else None,))

    def action_cancel(self) -> None:
        self.dismiss(None)
