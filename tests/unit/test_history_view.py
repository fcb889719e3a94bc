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


def test_the_history_screen_api_pages_details_trend_calendar_and_helped(tmp_path: Path) -> None:
    from datetime import timedelta

    from coach.history_view import history_summary, plan_records, session_detail, session_page

    path = tmp_path / "history.jsonl"
    rows = []
    for day in (2, 3, 4, 24, 25, 26):  # a gap of weeks between the 4th and the 24th
        record = json.loads(line(day, f"Day {day}"))
        rows.append(json.dumps({**record, "note": f"the whole note of day {day} " * 30,
                                "plan": "plan-a" if day == 3 else None}) + "\n")  # fmt: skip
    path.write_text("".join(rows) + "not json\n")

    summary = history_summary(path, TODAY, weeks=5)
    assert summary.error is None and summary.sessions == 6 and summary.stats is not None
    assert [number for number, _ in summary.problems] == [7]
    assert [w.week_start for w in summary.weeks] == [
        date(2026, 10, 26) + timedelta(weeks=n) for n in range(5)
    ]
    # Mondays 26 Oct … 23 Nov: the 2nd-4th are in the second week, the 24th-26th in the last.
    assert [(w.rated, w.median_pre) for w in summary.weeks] == [
        (0, None), (3, 6.0), (0, None), (0, None), (3, 6.0)
    ]  # fmt: skip
    assert [d.day.day for d in summary.days] == [2, 3, 4, 24, 25, 26]
    assert summary.days[0].sessions == 1 and summary.days[0].completed == 1 and summary.days[0].minutes == 5
    assert [(r.routine, r.rated, r.median_change) for r in summary.stats.helped] == [("neck", 6, -3.0)]

    page = session_page(path, offset=1, limit=2)
    assert page.error is None and page.total == 6
    assert [r.routine_title for r in page.records] == ["Day 25", "Day 24"]  # newest first
    assert session_page(path, offset=0, limit=10, since=date(2026, 11, 25)).total == 2
    whole = session_detail(path, "r3")
    assert whole is not None and whole.note == "the whole note of day 3 " * 30
    assert session_detail(path, "nope") is None
    assert [r.id for r in plan_records(path, ["plan-a"])] == ["r3"]


def test_the_screen_api_reports_an_unreadable_history_as_an_error(tmp_path: Path) -> None:
    from coach.history_view import history_summary, session_detail, session_page

    folder = tmp_path / "history.jsonl"
    folder.mkdir()
    assert history_summary(folder, TODAY).error is not None
    assert session_page(folder).error is not None and session_page(folder).records == []
    assert session_detail(folder, "r1") is None
