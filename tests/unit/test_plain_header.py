"""The plain runner's first line: the length as every screen rounds it, then exactly."""

from __future__ import annotations

import pytest

from coach.plain_words import header_line, length_spoken


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (283, "about 5 minutes (4 minutes 43 seconds)"),  # box breathing as written
        (193, "about 3 minutes (3 minutes 13 seconds)"),  # the desk break: "about 3 min" in lists
        (210, "about 4 minutes (3 minutes 30 seconds)"),  # halves up, as coach.text.length_minutes
        (120, "2 minutes"),  # a whole number of minutes: said once
        (60, "1 minute"),
        (45, "45 seconds"),  # under a minute: "about 1 minute" would round it up
        (3, "3 seconds"),
    ],
)
def test_length_read_aloud(seconds: float, words: str) -> None:
    assert length_spoken(seconds) == words


def test_header_line() -> None:
    assert (
        header_line("Box breathing", 4, 283)
        == "Box breathing: 4 steps, about 5 minutes (4 minutes 43 seconds)."
    )
    assert header_line("Tiny routine", 1, 3) == "Tiny routine: 1 step, 3 seconds."
