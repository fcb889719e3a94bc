"""Stats against hand-computed fixtures: periods, streaks (month ends, DST), changes,
clear drops, routines and the weekly pre-session stress."""

from __future__ import annotations

from datetime import date, datetime
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from coach.change import is_clear_drop
from coach.records import SessionRecord, new_record
from coach.stats import compute, local_date, median, streaks, to_json

BERLIN = ZoneInfo("Europe/Berlin")
TODAY = date(2026, 11, 26)  # a Thursday
_ids = count()


def at(local: str, fold: int = 0) -> str:
    """A Berlin wall-clock time with the offset it had then (fold=1: the second 02:30)."""
    moment = datetime.fromisoformat(local).replace(tzinfo=BERLIN, fold=fold)
    return moment.isoformat()


def rec(started_at: str, pre: int | None = 5, post: int | None = 5, **changes: Any) -> SessionRecord:
    values: dict[str, Any] = {
        "routine": "neck",
        "routine_title": "Neck",
        "routine_hash": "sha256:0",
        "started_at": started_at,
        "ended_at": started_at,
        "planned_seconds": 300,
        "active_seconds": 60.0,
        "completed": True,
        "steps_done": 3,
        "steps_total": 3,
        "pre": pre,
        "post": post,
        "id": f"r{next(_ids)}",
    }
    values.update(changes)
    return new_record(**values)


def test_the_offsets_in_the_fixture_are_real_berlin_offsets() -> None:
    assert at("2026-03-29T00:30") == "2026-03-29T00:30:00+01:00"  # before the spring change
    assert at("2026-03-29T03:30") == "2026-03-29T03:30:00+02:00"
    assert at("2026-10-25T02:30") == "2026-10-25T02:30:00+02:00"  # the first 02:30
    assert at("2026-10-25T02:30", fold=1) == "2026-10-25T02:30:00+01:00"  # the second


def test_a_days_sessions_belong_to_the_local_date_not_the_utc_one() -> None:
    # 00:30 in Berlin on 29 March is 23:30 UTC on the 28th: still the 29th for the person.
    assert local_date(at("2026-03-29T00:30")) == date(2026, 3, 29)
    assert local_date("2026-11-26T23:59:59-08:00") == date(2026, 11, 26)


def test_streaks_run_across_month_ends_and_both_dst_changes() -> None:
    records = [
        # February into March (not a leap year): 3 days
        rec(at("2026-02-27T08:00")),
        rec(at("2026-02-28T21:00")),
        rec(at("2026-03-01T07:00")),
        # the spring DST night, the end of March and 1 April: 5 days (28, 29, 30, 31, 1)
        rec(at("2026-03-28T23:30")),
        rec(at("2026-03-29T00:30")),  # 23:30 UTC on the 28th
        rec(at("2026-03-29T03:30")),
        rec(at("2026-03-30T00:15")),
        rec(at("2026-03-31T23:59")),
        rec(at("2026-04-01T00:01")),
        # the autumn DST night (a 25-hour day): 24, 25 (twice 02:30), 26: 3 days
        rec(at("2026-10-24T23:00")),
        rec(at("2026-10-25T02:30")),
        rec(at("2026-10-25T02:30", fold=1)),
        rec(at("2026-10-26T00:30")),
        # now: the 23rd, 24th and 25th; nothing yet today
        rec(at("2026-11-23T12:00")),
        rec(at("2026-11-24T12:00")),
        rec(at("2026-11-25T22:00")),
    ]
    stats = compute(records, TODAY)
    assert (stats.current_streak, stats.longest_streak) == (3, 5)
    # UTC dates would split differently: make sure the fixture tells them apart
    utc_days = {datetime.fromisoformat(r.started_at).astimezone(ZoneInfo("UTC")).date() for r in records}
    assert streaks(utc_days, TODAY) != (3, 5)


@pytest.mark.parametrize(
    ("days", "today", "expected"),
    [
        ([], TODAY, (0, 0)),
        ([TODAY], TODAY, (1, 1)),
        ([date(2026, 11, 25)], TODAY, (1, 1)),  # yesterday keeps it alive: today is not over
        ([date(2026, 11, 24)], TODAY, (0, 1)),
        ([date(2026, 11, 24), date(2026, 11, 25), TODAY], TODAY, (3, 3)),
        ([date(2026, 11, 20), date(2026, 11, 21), TODAY], TODAY, (1, 2)),
        ([TODAY, date(2026, 11, 27), date(2026, 11, 28)], TODAY, (1, 3)),  # the future: longest only
        ([date(2024, 2, 28), date(2024, 2, 29), date(2024, 3, 1)], TODAY, (0, 3)),  # leap day
        ([date(2026, 12, 31), date(2027, 1, 1)], date(2027, 1, 1), (2, 2)),  # new year
    ],
)
def test_streak_cases(days: list[date], today: date, expected: tuple[int, int]) -> None:
    assert streaks(days, today) == expected


@pytest.mark.parametrize(
    ("pre", "post", "clear"),
    [
        (7, 3, True),  # 4 points
        (7, 5, True),  # 2 points
        (10, 9, False),  # 1 point, 10 %
        (4, 3, False),  # 1 point, 25 %
        (3, 2, True),  # 1 point, 33 %
        (10, 7, True),  # 3 points
        (2, 1, True),  # 50 %
        (1, 0, True),
        (0, 0, False),
        (5, 6, False),  # worse
        (3, 3, False),
    ],
)
def test_clear_drop_is_two_points_or_thirty_percent(pre: int, post: int, clear: bool) -> None:
    assert is_clear_drop(pre, post) is clear
    assert (compute([rec("2026-11-26T09:00:00+01:00", pre, post)], TODAY).clear_drops == 1) is clear


def test_changes_skip_sessions_without_both_ratings() -> None:
    pairs = [(7, 3), (3, 2), (4, 3), (10, 9), (2, 1), (5, 6), (0, 0), (None, 4), (6, None), (None, None)]
    records = [rec(f"2026-11-{10 + i:02d}T09:00:00+01:00", pre, post) for i, (pre, post) in enumerate(pairs)]
    stats = compute(records, TODAY)
    # changes: -4, -1, -1, -1, -1, +1, 0 -> sum -7 over 7; sorted, the 4th is -1
    assert stats.rated == 7
    assert stats.mean_change == pytest.approx(-1.0)
    assert stats.median_change == -1.0
    assert stats.clear_drops == 3  # 7->3, 3->2, 2->1
    assert stats.clear_drop_share == pytest.approx(3 / 7)


def test_median_of_an_even_count_is_the_mean_of_the_middle_two() -> None:
    records = [rec("2026-11-20T09:00:00+01:00", pre, post) for pre, post in [(5, 2), (5, 4), (1, 3), (0, 4)]]
    assert compute(records, TODAY).median_change == 0.5  # -3, -1, 2, 4
    assert median([-3, -1, 2, 4]) == 0.5 and median([]) is None and median([2]) == 2.0


def test_no_rated_session_gives_no_change_figures() -> None:
    stats = compute([rec("2026-11-20T09:00:00+01:00", None, 3)], TODAY)
    assert (stats.rated, stats.mean_change, stats.median_change, stats.clear_drop_share) == (
        0,
        None,
        None,
        None,
    )


def test_sessions_and_minutes_in_each_period_with_inclusive_edges() -> None:
    records = [
        rec("2026-11-26T08:00:00+01:00", active_seconds=600.0),  # today
        rec("2026-11-20T23:59:00+01:00", active_seconds=120.0),  # first day of the last 7
        rec("2026-11-19T10:00:00+01:00", active_seconds=300.0),  # 8 days ago: in 30 only
        rec("2026-10-28T10:00:00+01:00", active_seconds=90.0),  # first day of the last 30
        rec("2026-10-27T10:00:00+01:00", active_seconds=30.0),  # before: all time only
        rec("2026-11-27T10:00:00+01:00", active_seconds=60.0, completed=False),  # the future
    ]
    stats = compute(records, TODAY)
    assert (stats.all_time.sessions, stats.all_time.minutes) == (6, pytest.approx(1200 / 60))
    assert (stats.last_30_days.sessions, stats.last_30_days.minutes) == (4, pytest.approx(1110 / 60))
    assert (stats.last_7_days.sessions, stats.last_7_days.minutes) == (2, pytest.approx(720 / 60))
    assert stats.completed == 5


def test_each_routine_has_its_count_minutes_and_mean_change() -> None:
    records = [
        rec("2026-11-20T09:00:00+01:00", 8, 4, routine="neck", routine_title="Neck (old)"),
        rec("2026-11-21T09:00:00+01:00", 6, 5, routine="neck", routine_title="Neck"),
        rec("2026-11-22T09:00:00+01:00", 6, None, routine="neck", routine_title="Neck"),
        rec("2026-11-22T10:00:00+01:00", None, None, routine="box", routine_title="Box", active_seconds=30.0),
        rec("2026-11-23T10:00:00+01:00", 4, 4, routine="jaw", routine_title="Jaw"),
    ]
    by_id = {r.routine: r for r in compute(records, TODAY).routines}
    assert [r.routine for r in compute(records, TODAY).routines] == ["neck", "box", "jaw"]
    neck = by_id["neck"]
    assert (neck.title, neck.sessions, neck.rated, neck.mean_change) == ("Neck", 3, 2, pytest.approx(-2.5))
    assert neck.minutes == pytest.approx(3.0)
    assert (by_id["box"].sessions, by_id["box"].rated, by_id["box"].mean_change) == (1, 0, None)
    assert by_id["jaw"].mean_change == 0.0


def test_weekly_mean_of_pre_ratings_by_iso_week_including_a_year_end() -> None:
    records = [
        rec("2026-11-16T09:00:00+01:00", 8, None),  # Monday, week of the 16th
        rec("2026-11-22T23:30:00+01:00", 4, 2),  # Sunday, same week
        rec("2026-11-23T00:30:00+01:00", 3, 3),  # Monday: the next week
        rec("2026-11-24T09:00:00+01:00", None, 2),  # no pre: not in the mean
        rec("2026-12-31T09:00:00+01:00", 9, 5),  # Thursday of ISO week 2026-W53
        rec("2027-01-01T09:00:00+01:00", 6, 5),  # Friday: the same week
    ]
    stats = compute(records, TODAY)
    weeks = [(w.week_start, w.mean_pre, w.rated) for w in stats.weekly_pre]
    assert weeks == [
        (date(2026, 11, 16), 6.0, 2),
        (date(2026, 11, 23), 3.0, 1),
        (date(2026, 12, 28), 7.5, 2),
    ]
    assert [w["week"] for w in to_json(stats)["weekly_pre"]] == ["2026-W47", "2026-W48", "2026-W53"]


def test_to_json_has_every_figure_rounded() -> None:
    records = [
        rec("2026-11-26T09:00:00+01:00", 7, 3),
        rec("2026-11-25T09:00:00+01:00", 6, 5, active_seconds=100.0),
    ]
    out = to_json(compute(records, TODAY))
    assert out["today"] == "2026-11-26"
    assert out["all_time"] == {"sessions": 2, "minutes": 2.67}
    assert out["streak"] == {"current": 2, "longest": 2}
    assert out["change"] == {
        "rated_sessions": 2,
        "mean": -2.5,
        "median": -2.5,
        "clear_drops": 1,
        "clear_drop_share": 0.5,
    }
    assert out["routines"] == [
        {
            "routine": "neck",
            "title": "Neck",
            "sessions": 2,
            "minutes": 2.67,
            "rated_sessions": 2,
            "mean_change": -2.5,
        }
    ]


def test_an_empty_history_has_zero_figures() -> None:
    stats = compute([], TODAY)
    assert (stats.all_time.sessions, stats.current_streak, stats.longest_streak, stats.rated) == (0, 0, 0, 0)
    assert stats.routines == [] and stats.weekly_pre == [] and to_json(stats)["change"]["mean"] is None
