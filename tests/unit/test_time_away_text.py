"""The one sentence for time away, said by the plain runner and the app alike."""

from __future__ import annotations

from coach.text import time_away_text


def test_the_words_for_time_away() -> None:
    end = "; that time is not counted."
    assert time_away_text(5.2) == "Paused: Coach was stopped for 5 seconds" + end
    assert time_away_text(0.3) == "Paused: Coach was stopped for 1 second" + end
    assert time_away_text(90) == "Paused: Coach was stopped for 1 minute 30 seconds" + end
