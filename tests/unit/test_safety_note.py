"""The first-run note: both shells say all of it, and it keeps "stop this step" apart from
"get medical help" (content review §5.1)."""

from __future__ import annotations

from coach import safety_note


def every_sentence() -> list[str]:
    return [
        safety_note.INTRO,
        safety_note.HOW,
        *[part for heading, items in safety_note.SECTIONS for part in (heading, *items)],
    ]


def test_stopping_a_step_is_kept_apart_from_getting_help() -> None:
    headings = [heading for heading, _ in safety_note.SECTIONS]
    assert safety_note.STOP_STEP_HEADING in headings and safety_note.GET_HELP_HEADING in headings
    assert not set(safety_note.STOP_STEP) & set(safety_note.GET_HELP)
    # A sharp twinge means move the ball, not see a doctor; the emergency is under get-help.
    assert any("sharp" in item for item in safety_note.STOP_STEP)
    assert not any("sharp" in item for item in safety_note.GET_HELP)
    assert "emergency" in safety_note.GET_HELP[0]
    assert not any("emergency" in item for item in safety_note.STOP_STEP)


def test_pressure_is_defined_on_the_comfort_scale_and_never_as_strong_pressing() -> None:
    # DESIGN, Routine format: light, medium and firm, never past "strong but easy to breathe
    # through"; the old note's "Press strongly" invited over-pressure.
    assert "strong but easy to breathe through" in safety_note.PRESSURE
    assert all(word in safety_note.PRESSURE for word in ("light", "medium", "firm"))
    assert "press strongly" not in " ".join(every_sentence()).lower()


def test_those_who_should_ask_first_are_named() -> None:
    text = " ".join(safety_note.ASK_FIRST).lower()
    for who in (
        "blood thinners",
        "bleeding",
        "clot",
        "pregnant",
        "cancer",
        "osteoporosis",
        "diabetes",
        "epilepsy",
    ):
        assert who in text, who
