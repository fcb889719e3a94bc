"""First run: Coach is self-care, not medical advice, and the signs that mean stop and get help.

Shown once, before the first session however it is started; the app remembers it in the
settings file. Words from ../shared/research/domain.md §3.2.
"""

from __future__ import annotations

from textual.content import Content

from coach.tui.screens.notice import NoticeScreen

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


class FirstRunScreen(NoticeScreen):
    text_id = "first-run-text"

    def text(self) -> Content:
        return TEXT
