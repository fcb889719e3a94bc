"""A step on the midline (chin tucks, pelvic tilts) has no `side` (review X5.3, issue 15): the
model leaves it None, and `coach show` and the plain runner print no side word for it, while
an explicit "both" (massage of paired muscles) still says "both sides"."""

from __future__ import annotations

from coach.commands.routines import _side_text
from coach.library import routine_detail
from coach.plain_words import event_line
from coach.routine import Routine
from coach.session import Event

ROUTINE = Routine.model_validate({"format": 1, "id": "mid", "title": "Midline", "steps": [
    {"type": "stretch", "title": "Chin tucks", "instruction": "Glide the chin back.", "area": "neck",
     "seconds": 30},
    {"type": "massage", "title": "Temple circles", "instruction": "Small circles.", "area": "head",
     "side": "both", "seconds": 30}]})  # fmt: skip


def test_a_step_without_a_side_has_none_and_one_pass() -> None:
    midline, paired = ROUTINE.steps
    assert midline.side is None and midline.sides == (None,) and midline.total_seconds == 30
    assert paired.side == "both"
    assert [step["side"] for step in routine_detail(ROUTINE)["steps"]] == [None, "both"]


def test_show_prints_no_side_word_for_a_midline_step() -> None:
    assert _side_text(None) == ""
    assert _side_text("both") == "both sides"


def test_the_plain_runner_says_no_side_for_a_midline_step() -> None:
    midline = event_line(Event(kind="step_started", at=0.0, step_number=1, side=None, seconds=30.0), ROUTINE)
    both = Event(kind="step_started", at=30.0, step_number=2, side="both", seconds=30.0)
    paired = event_line(both, ROUTINE)
    assert midline is not None and "side" not in midline.split(".")[0]
    assert paired is not None and "both sides" in paired
