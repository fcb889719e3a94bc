"""Cautions: what the routine's author asks you to know (its cautions and when to stop),
acknowledged before its first session and whenever they change (`coach.usual`); after
that, the rating screen offers them again with one key."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content

from coach.text import visible
from coach.tui.keys import CAUTIONS_KEYS, bindings
from coach.tui.screens.notice import NoticeScreen


def cautions_text(title: str, cautions: Sequence[str], stop_if: Sequence[str] = ()) -> Content:
    # Routine text is literal: Content.assemble never reads markup in its strings.
    parts: list[Content | str | tuple[str, str]] = [
        ("Cautions for ", "bold $text-warning"),
        (visible(title), "bold"),
        "\n",
    ]
    for caution in cautions:
        parts += ["\n", ("• ", "$text-warning"), visible(caution)]
    if stop_if:
        parts += ["\n\n", ("Stop and get help if:", "bold $text-warning")]
        for line in stop_if:
            parts += ["\n", ("• ", "$text-warning"), visible(line)]
    parts += ["\n\n", ("If any of these apply to you, choose another routine.", "$text-muted")]
    return Content.assemble(*parts)


class CautionsScreen(NoticeScreen):
    """Dismisses True once acknowledged, False to go back."""

    BINDINGS = bindings(CAUTIONS_KEYS)
    text_id = "cautions-text"

    def __init__(self, title: str, cautions: Sequence[str], stop_if: Sequence[str] = ()) -> None:
        super().__init__()
        self.routine_title = title
        self.cautions = tuple(cautions)
        self.stop_if = tuple(stop_if)

    def text(self) -> Content:
        return cautions_text(self.routine_title, self.cautions, self.stop_if)
