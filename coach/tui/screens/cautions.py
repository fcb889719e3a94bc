"""Cautions: what the routine's author asks you to know, acknowledged before it starts."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content

from coach.text import visible
from coach.tui.keys import CAUTIONS_KEYS, bindings
from coach.tui.screens.notice import NoticeScreen


def cautions_text(title: str, cautions: Sequence[str]) -> Content:
    # Routine text is literal: Content.assemble never reads markup in its strings.
    parts: list[Content | str | tuple[str, str]] = [
        ("Cautions for ", "bold $text-warning"),
        (visible(title), "bold"),
        "\n",
    ]
    for caution in cautions:
        parts += ["\n", ("• ", "$text-warning"), visible(caution)]
    parts += ["\n\n", ("If any of these apply to you, choose another routine.", "$text-muted")]
    return Content.assemble(*parts)


class CautionsScreen(NoticeScreen):
    """Dismisses True once acknowledged, False to go back."""

    BINDINGS = bindings(CAUTIONS_KEYS)
    text_id = "cautions-text"

    def __init__(self, title: str, cautions: Sequence[str]) -> None:
        super().__init__()
        self.routine_title = title
        self.cautions = tuple(cautions)

    def text(self) -> Content:
        return cautions_text(self.routine_title, self.cautions)
