"""First run: Coach is self-care, not medical advice, and the signs that mean stop and get help.

Shown once, before the first session however it is started; the app remembers it in the
settings file. The words live in coach/safety_note.py, shared with the plain runner.
"""

from __future__ import annotations

from textual.content import Content

from coach import safety_note as note
from coach.tui.screens.notice import NoticeScreen


def _section(heading: str, items: tuple[str, ...], style: str) -> list[str | tuple[str, str]]:
    """A heading and its bullets; the three kinds of advice stay visibly apart."""
    parts: list[str | tuple[str, str]] = ["\n\n", (heading, f"bold {style}")]
    for item in items:
        parts += ["\n", ("• ", style), item]
    return parts


TEXT = Content.assemble(
    (note.TITLE, "bold $accent"),
    "\n\n",
    note.INTRO,
    "\n\n",
    note.HOW,
    *_section(note.STOP_STEP_HEADING, note.STOP_STEP, "$text-warning"),
    *_section(note.GET_HELP_HEADING, note.GET_HELP, "$text-error"),
    *_section(note.ASK_FIRST_HEADING, note.ASK_FIRST, "$text-accent"),
)


class FirstRunScreen(NoticeScreen):
    text_id = "first-run-text"

    def text(self) -> Content:
        return TEXT
