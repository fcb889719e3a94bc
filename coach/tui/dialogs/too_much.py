"""The "too much" dialog (the `t` key in the player): the session is paused, and the person
picks what to do instead: the gentler version, lighter pressure, skip this step, or end. Only the
choices that apply to the step are offered (the engine's `relief_choices`). When to stop
is one key away (`r`): the routine's own `stop_if` red flags and the general ones of the
first-run note (`coach.safety_note`), the emergency first: on a small terminal (100 x 12) it is
in view without scrolling, and ↑/↓, PageUp/PageDown and Home/End scroll to the rest.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from coach import safety_note
from coach.text import visible
from coach.tui.keys import TOO_MUCH_KEYS, bindings

# What each choice does, as the dialog says it (the pressure line is filled in).
CHOICE_WORDS = {
    "gentler": "Try the gentler version",
    "lighter": "Lighter pressure",
    "skip": "Skip this step",
    "end": "End the session (saved as stopped)",
}
CHOICE_KEYS = {"gentler": "g", "lighter": "l", "skip": "s", "end": "e"}


class TooMuchScreen(ModalScreen[str | None]):
    """Dismisses the choice (gentler, lighter, skip, end), or None to go on as before (Esc).

    choices: what the engine accepts now, in order; pressure: the step's pressure now and
    the lighter one ("medium", "light") for the lighter line, or None; gentler_text: the
    gentler version's words; stop_if: the routine's red flags."""

    DEFAULT_CSS = """
    TooMuchScreen {
        align: center middle;
    }
    #too-much-box {
        width: 64;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $warning;
        background: $surface;
        padding: 0 1;
    }
    #too-much-scroll {
        height: auto;
        max-height: 100%;
    }
    #too-much-scroll:focus {
        background-tint: 0%;
    }
    #too-much-title {
        text-style: bold;
    }
    #too-much-choices {
        margin-top: 1;
    }
    #too-much-flags {
        margin-top: 1;
        display: none;
    }
    TooMuchScreen.-flags #too-much-flags {
        display: block;
    }
    TooMuchScreen.-flags #too-much-choices {
        display: none;
    }
    """

    BINDINGS = bindings(TOO_MUCH_KEYS)

    def __init__(
        self,
        choices: Sequence[str],
        *,
        step_title: str = "",
        pressure: tuple[str, str] | None = None,
        gentler_text: str = "",
        stop_if: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.choices = tuple(choice for choice in choices if choice in CHOICE_WORDS)
        self.step_title = step_title
        self.pressure = pressure
        self.gentler_text = gentler_text
        self.stop_if = tuple(stop_if)

    def compose(self) -> ComposeResult:
        with Vertical(id="too-much-box"), VerticalScroll(id="too-much-scroll"):
            title = "Too much? The session is paused."
            if self.step_title:
                title = f"Too much? {visible(self.step_title)} is paused."
            yield Static(Content.styled(title, "bold"), id="too-much-title", markup=False)
            yield Static(self._choices_text(), id="too-much-choices", markup=False)
            yield Static(self._flags_text(), id="too-much-flags", markup=False)

    def _choices_text(self) -> Content:
        lines: list[Content] = []
        for choice in self.choices:
            words = CHOICE_WORDS[choice]
            if choice == "lighter" and self.pressure is not None:
                words = f"{words}: {self.pressure[1]} instead of {self.pressure[0]}"
            line = Content.assemble((f"{CHOICE_KEYS[choice]:<4}", "bold $text-accent"), words)
            if choice == "gentler" and self.gentler_text:
                line = Content.assemble(line, ("\n    " + visible(self.gentler_text), "$text-muted"))
            lines.append(line)
        lines.append(Content.assemble(("r   ", "bold $text-accent"), "When to stop: the red flags"))
        lines.append(Content.assemble(("Esc ", "bold $text-accent"), "Go on as before"))
        return Content("\n").join(lines)

    def _flags_text(self) -> Content:
        """The emergency first (in view without scrolling at 100 x 12), then the routine's
        own red flags, stopping the step, and the other reasons to get medical help."""
        emergency, *others = safety_note.GET_HELP
        parts: list[Content] = [
            Content.styled(safety_note.GET_HELP_HEADING, "bold $warning"),
            Content.styled(f"• {emergency}", "bold"),
        ]
        if self.stop_if:
            parts.append(Content.styled("Stop this routine if:", "bold $warning"))
            parts += [Content(f"• {visible(line)}") for line in self.stop_if]
        parts.append(Content.styled(safety_note.STOP_STEP_HEADING, "bold $warning"))
        parts += [Content(f"• {item}") for item in safety_note.STOP_STEP]
        parts.append(Content.styled("Get medical help, too, if you notice:", "bold $warning"))
        parts += [Content(f"• {item}") for item in others]
        parts.append(Content(""))
        parts.append(Content.assemble(("r", "bold $text-accent"), " back to the choices   ",
                                      ("↑/↓", "bold $text-accent"), " scroll   ",
                                      ("Esc", "bold $text-accent"), " go on as before"))  # fmt: skip
        return Content("\n").join(parts)

    def on_mount(self) -> None:
        # The keys reach the scroll (↑/↓, PageUp/PageDown, Home/End: Textual's own bindings
        # of a scrolling container); the choices' keys go on to the screen's bindings.
        self.query_one("#too-much-scroll").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only the choices the step has (the engine's list) act and show."""
        if action == "choose":
            return bool(parameters) and parameters[0] in self.choices
        return True

    @property
    def showing_flags(self) -> bool:
        """The red flags are on screen (`r`)."""
        return self.has_class("-flags")

    def action_choose(self, choice: str) -> None:
        if choice in self.choices:
            self.dismiss(choice)

    def action_red_flags(self) -> None:
        """Show the red flags instead of the choices, or the choices again."""
        self.toggle_class("-flags")
        self.query_one("#too-much-scroll").scroll_home(animate=False)

    def action_go_on(self) -> None:
        self.dismiss(None)
