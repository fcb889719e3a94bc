"""The first-run note in both shells: the app's screen and the plain runner say all of it.

Functional, not unit: it imports the app's first-run screen (a unit test draws no screen and
imports no Textual)."""

from __future__ import annotations

from coach.plain import DISCLAIMER
from tests.unit.test_safety_note import every_sentence


def test_the_plain_runner_says_all_that_the_app_says() -> None:
    from coach.tui.screens.first_run import TEXT  # a Content value: no screen is drawn

    app_text = " ".join(TEXT.plain.split())
    plain_text = " ".join(DISCLAIMER.split())
    for sentence in every_sentence():
        words = " ".join(sentence.split())
        assert words in app_text, sentence
        assert words in plain_text, sentence
