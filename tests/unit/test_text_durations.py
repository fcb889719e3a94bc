"""The one place for durations and plurals (coach.text): a countdown clock, exact words,
rounded words. The outputs are what the screens and `coach list`/`coach show` print."""

from __future__ import annotations

import pytest

from coach.text import days, duration_clock, duration_rounded, duration_words, plural


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (0, "0:00"), (-3, "0:00"), (0.01, "0:01"), (59.2, "1:00"), (60, "1:00"),
        (185, "3:05"), (3 + 1e-12, "0:03"), (3599.5, "1:00:00"), (3723, "1:02:03"),
    ],
)  # fmt: skip
def test_the_clock_rounds_up_and_reaches_zero_only_at_the_end(seconds: float, shown: str) -> None:
    assert duration_clock(seconds) == shown


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0, "0 s"), (44.6, "45 s"), (59.4, "59 s"), (59.6, "1 min"), (240, "4 min"), (296, "4 min 56 s"),
     (3725, "62 min 5 s")],
)  # fmt: skip
def test_words_are_exact_to_the_second(seconds: float, shown: str) -> None:
    assert duration_words(seconds) == shown


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(45, "45 s"), (59.4, "59 s"), (60, "1 min"), (89, "1 min"), (91, "2 min"), (185, "3 min"),
     (720, "12 min")],
)  # fmt: skip
def test_rounded_words_are_to_the_minute_from_one_minute(seconds: float, shown: str) -> None:
    assert duration_rounded(seconds) == shown


def test_plurals() -> None:
    assert [plural(n, "step") for n in (0, 1, 2)] == ["0 steps", "1 step", "2 steps"]
    assert (days(1), days(3)) == ("1 day", "3 days")
