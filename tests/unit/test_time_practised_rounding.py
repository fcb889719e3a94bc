"""One rounding rule for time practised (coach.text.whole_seconds): the summary's words,
`coach history`'s clock, the History screen and the plain runner's spoken line show the
same whole second for one session (a tester saw "1 min 58 s" and "1:59" for 118.5 s)."""

from __future__ import annotations

import io

import pytest

from coach.commands.history import table_lines
from coach.records import new_record
from coach.text import duration_clock, duration_clock_spent, duration_spoken, duration_words, whole_seconds


@pytest.mark.parametrize(
    ("seconds", "whole"),
    [(118.5, 119), (119.5, 120), (0.5, 1), (0.49, 0), (2.5, 3), (59.5, 60), (3599.5, 3600), (296.4, 296)],
)
def test_whole_seconds_takes_halves_up_not_to_the_even_neighbour(seconds: float, whole: int) -> None:
    assert whole_seconds(seconds) == whole


@pytest.mark.parametrize("seconds", [118.5, 119.5, 59.5, 0.5, 296.5, 3599.5, 61.25, 7.0])
def test_words_clock_and_speech_name_the_same_second(seconds: float) -> None:
    whole = whole_seconds(seconds)
    minutes, secs = divmod(whole, 60)
    clock = duration_clock_spent(seconds)
    assert clock == (f"{minutes}:{secs:02d}" if minutes < 60 else f"1:00:{secs:02d}")
    words = duration_words(seconds)
    assert words == (f"{whole} s" if whole < 60 else f"{minutes} min" + (f" {secs} s" if secs else ""))
    if seconds >= 60:  # (under a minute a fraction is spoken as it is: breathing phases)
        spoken = f"{minutes} minute{'s' if minutes != 1 else ''}" + (
            f" {secs} second{'s' if secs != 1 else ''}" if secs else ""
        )
        assert duration_spoken(seconds) == spoken


def test_the_summary_and_the_history_table_agree_on_118_5_seconds() -> None:
    record = new_record(
        routine="box-breathing", routine_title="Box breathing", routine_hash="sha256:" + "0" * 64,
        started_at="2026-11-26T09:12:03+01:00", ended_at="2026-11-26T09:14:03+01:00",
        planned_seconds=120, active_seconds=118.5, completed=True, steps_done=2, steps_total=2,
        pre=7, post=3,
    )  # fmt: skip
    row = list(table_lines([record], io.StringIO()))[1]
    assert "  1:59  " in row
    assert duration_words(record.active_seconds) == "1 min 59 s"
    assert duration_spoken(record.active_seconds) == "1 minute 59 seconds"


def test_a_countdown_still_rounds_up() -> None:
    """Time left is not time spent: 0:00 only when nothing is left."""
    assert (
        duration_clock(118.5) == "1:59" and duration_clock(118.1) == "1:59" and duration_clock(0.2) == "0:01"
    )
    assert duration_clock_spent(118.1) == "1:58" and duration_clock_spent(0.2) == "0:00"
