"""The history as the app's screens read it (coach.history_view): newest first with the
streak, an unreadable file told as an error, and the words for a session's day and ratings."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from coach.history_view import home_facts, ratings, read_history, streak, when
from coach.records import new_record

TODAY = date(2026, 11, 26)


def line(day: int, title: str) -> str:
    record = new_record(
        routine="neck", routine_title=title, routine_hash="sha256:0",
        started_at=f"2026-11-{day:02d}T09:00:00+01:00", ended_at=f"2026-11-{day:02d}T09:05:00+01:00",
        planned_seconds=300, active_seconds=300.0, completed=True, steps_done=3, steps_total=3,
        pre=6, post=3, id=f"r{day}",
    )  # fmt: skip
    return json.dumps(record.to_json()) + "\n"


def test_records_come_newest_first_with_the_streak(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    path.write_text(line(24, "Older") + line(26, "Newest") + line(25, "Middle") + "not json\n")
    view = read_history(path, TODAY)
    assert [r.routine_title for r in view.records] == ["Newest", "Middle", "Older"]
    assert view.stats is not None and view.stats.current_streak == 3
    assert [number for number, _ in view.problems] == [4] and view.error is None
    facts = home_facts(path, TODAY)
    assert facts.last is not None and facts.last.routine_title == "Newest"
    assert (facts.streak, facts.unreadable, facts.error) == (3, 1, None)
    assert streak(path, TODAY) == 3


def test_a_history_that_cannot_be_read_is_an_error_not_an_exception(tmp_path: Path) -> None:
    folder = tmp_path / "history.jsonl"
    folder.mkdir()  # a folder where the file should be
    view = read_history(folder, TODAY)
    assert view.records == [] and view.stats is None
    assert view.error is not None and str(folder) in view.error
    assert streak(folder, TODAY) is None
    assert home_facts(folder, TODAY).error == view.error


def test_words_for_a_day_and_for_ratings() -> None:
    assert [when(date(2026, 11, d), TODAY) for d in (26, 25, 20, 19)] == [
        "today", "yesterday", "6 days ago", "2026-11-19"
    ]  # fmt: skip
    assert ratings(6, 3) == "6 → 3"
    assert ratings(None, 4) == "– → 4"
