"""The first-run note's words: what Coach is, who should ask first, how hard to press, when to
stop a step and when to get medical help. Plain data, no Textual: the app's first-run screen
(coach/tui/screens/first_run.py) and the plain runner (coach/plain.py) both show all of it,
so a screen-reader or SSH user reads the same safety content as anyone else.

Sources: ../shared/research/domain.md §3.1 (who should ask first: Mayo Clinic, NCCIH), §3.2
(red flags: NHS neck and back pages, UCLH DVT, NHS headache list), §2.3 (breath holds), and
../shared/research/content-review.md §5.1 (stop-the-step kept apart from get-help; heart pain
in the jaw, neck, back or left arm; after-care; a clinician's advice comes first).
"""

from __future__ import annotations

TITLE = "Before you start"

INTRO = (
    "Coach guides self-care; it is not medical advice and does not replace a doctor or "
    "therapist. A clinician's advice for you comes first."
)

# The pressure scale, in the same words as every routine's caution (DESIGN, Routine format).
PRESSURE = (
    "Pressure: light, medium and firm are steps on a comfort scale; even firm is never more "
    "than strong but easy to breathe through."
)

HOW = (
    PRESSURE + " Never press on the front or sides of the neck, or on a wound, bruise or "
    "recent injury. Breathe sitting or lying down."
)

ASK_FIRST_HEADING = "Ask a doctor first if you:"
ASK_FIRST: tuple[str, ...] = (
    "take blood thinners, have a bleeding disorder or have had a blood clot (DVT)",
    "are pregnant, or have cancer, severe osteoporosis, a recent operation or fracture, or "
    "numb feet from diabetes",
    "have heart or lung disease, epilepsy or panic attacks: breathe without holds",
)

STOP_STEP_HEADING = "Stop the step, then go lighter or move on, if:"
STOP_STEP: tuple[str, ...] = ("it feels sharp, burning or electric, or breathing makes you dizzy or tingly",)

GET_HELP_HEADING = "Get medical help if you notice:"
GET_HELP: tuple[str, ...] = (
    # The emergency first: on a small screen the rest may need scrolling.
    "chest pain or pressure, sudden breathlessness, or pain in the jaw, neck, back or left "
    "arm with sweating or sickness: call your local emergency number",
    "numbness, tingling or weakness that is new or does not pass",
    "dizziness, fainting, double vision, or trouble speaking or swallowing",
    "a sudden, very severe headache, or a stiff neck with a fever",
    "a swollen, warm, red calf (do not massage it), or numbness around the groin",
)

# (heading, items) in the order both shells show them.
# Stop-the-step and get-help come first: they are what a person must not miss.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (STOP_STEP_HEADING, STOP_STEP),
    (GET_HELP_HEADING, GET_HELP),
    (ASK_FIRST_HEADING, ASK_FIRST),
)


def plain_lines() -> list[str]:
    """The whole note as lines of plain text (the plain runner's first-run note)."""
    lines = [INTRO, HOW]
    for heading, items in SECTIONS:
        lines.append(heading)
        lines.extend(f"- {item}" for item in items)
    return lines
