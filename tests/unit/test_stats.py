"""Stats against hand-computed fixtures: periods, streaks (month ends, DST), what counts
(completed sessions only), the median change and its interquartile range, the responder
rate, routines, what helped most and the weekly pre-session stress."""

from __future__ import annotations

import random
import statistics
from datetime import date, datetime
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from coach.rating import REFERENCE_NOTE, is_responder
from coach.records import SessionRecord, new_record, record_from_json
from coach.stats import compute, local_date, median, quartiles, streaks, to_json

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
    ("pre", "post", "responder"),
    [
        (7, 3, True),  # 4 points, 57 %: a large drop
        (7, 5, False),  # 2 points but 29 %: a small change
        (10, 7, True),  # 3 points, exactly 30 %
        (3, 2, False),  # 33 % but 1 point: about the same
        (1, 0, False),  # from pre ≤ 1 no drop is noticeable
        (2, 0, True),  # 2 points, 100 %
        (5, 7, False),  # a rise
        (0, 0, False),
    ],
)
def test_a_responder_needs_two_points_and_thirty_percent(pre: int, post: int, responder: bool) -> None:
    assert is_responder(pre, post) is responder
    stats = compute([rec("2026-11-26T09:00:00+01:00", pre, post)], TODAY)
    assert (stats.responders == 1) is responder and stats.rated == 1


def test_change_figures_skip_sessions_without_both_ratings() -> None:
    pairs = [(7, 3), (3, 2), (4, 3), (10, 9), (2, 1), (5, 6), (0, 0), (None, 4), (6, None), (None, None)]
    records = [rec(f"2026-11-{10 + i:02d}T09:00:00+01:00", pre, post) for i, (pre, post) in enumerate(pairs)]
    stats = compute(records, TODAY)
    # changes: -4, -1, -1, -1, -1, +1, 0; sorted -4 -1 -1 -1 -1 0 1: the 4th is -1
    assert stats.rated == 7
    assert stats.median_change == -1.0
    assert stats.responders == 1  # only 7 -> 3; 3 -> 2 and 2 -> 1 are 1 point
    assert stats.responder_rate == pytest.approx(1 / 7)


def test_median_and_interquartile_range_of_a_known_set() -> None:
    # changes -5 -3 -2 -2 -1 0 0 1 3 (n = 9): positions (n-1)/4 = 2, 4, 6 -> -2, -1, 0
    pairs = [(9, 4), (8, 5), (6, 4), (5, 3), (5, 4), (4, 4), (3, 3), (2, 3), (1, 4)]
    records = [rec(f"2026-11-{10 + i:02d}T09:00:00+01:00", pre, post) for i, (pre, post) in enumerate(pairs)]
    spread = compute(records, TODAY).change
    assert spread is not None
    assert (spread.rated, spread.q1, spread.median, spread.q3, spread.iqr) == (9, -2.0, -1.0, 0.0, 2.0)
    # Between order statistics the inclusive method interpolates: -3 -1 2 4 (n = 4)
    # positions 0.75, 1.5, 2.25 -> -3 + 0.75·2 = -1.5, (−1 + 2)/2 = 0.5, 2 + 0.25·2 = 2.5
    four = [rec("2026-11-20T09:00:00+01:00", pre, post) for pre, post in [(5, 2), (5, 4), (1, 3), (0, 4)]]
    found = quartiles_of(four)
    assert found == (-1.5, 0.5, 2.5)
    changes = [-3, -1, 2, 4]
    assert found == tuple(statistics.quantiles(changes, n=4, method="inclusive"))
    assert quartiles([0] * 21) is None


def quartiles_of(records: list[SessionRecord]) -> tuple[float, float, float]:
    spread = compute(records, TODAY).change
    assert spread is not None
    return (spread.q1, spread.median, spread.q3)


def test_quartiles_agree_with_the_statistics_module_on_random_sets() -> None:
    rng = random.Random(9)
    for _ in range(200):
        changes = [rng.randint(-10, 10) for _ in range(rng.randint(2, 30))]
        histogram = [0] * 21
        for c in changes:
            histogram[c + 10] += 1
        q1, _, q3 = statistics.quantiles(changes, n=4, method="inclusive")
        found = quartiles(histogram)
        assert found is not None
        assert found == pytest.approx((q1, statistics.median(changes), q3)), changes


def test_median_of_an_even_count_is_the_mean_of_the_middle_two() -> None:
    records = [rec("2026-11-20T09:00:00+01:00", pre, post) for pre, post in [(5, 2), (5, 4), (1, 3), (0, 4)]]
    assert compute(records, TODAY).median_change == 0.5  # -3, -1, 2, 4
    assert median([-3, -1, 2, 4]) == 0.5 and median([]) is None and median([2]) == 2.0


def test_no_rated_session_gives_no_change_figures() -> None:
    stats = compute([rec("2026-11-20T09:00:00+01:00", None, 3)], TODAY)
    assert (stats.rated, stats.change, stats.median_change, stats.responder_rate) == (0, None, None, None)


def partly(record: SessionRecord) -> SessionRecord:
    """The same session, but partly done: it reached its end with too little practised."""
    return record_from_json({**record.to_json(), "completed": False, "ran_to_end": True})


def stopped(record: SessionRecord) -> SessionRecord:
    return record_from_json({**record.to_json(), "completed": False, "ran_to_end": False})


def test_partly_done_and_stopped_sessions_do_not_extend_a_streak() -> None:
    days = ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26"]
    whole = [rec(f"{d}T09:00:00+01:00") for d in days]
    assert (compute(whole, TODAY).current_streak, compute(whole, TODAY).longest_streak) == (4, 4)
    # The 24th partly done, the 26th stopped: only the 25th is left of the current run.
    mixed = [whole[0], partly(whole[1]), whole[2], stopped(whole[3])]
    stats = compute(mixed, TODAY)
    assert (stats.current_streak, stats.longest_streak) == (1, 1)
    assert (stats.completed, stats.partly_done, stats.stopped) == (2, 1, 1)
    # They are still sessions, with their minutes.
    assert stats.all_time.sessions == 4 and stats.all_time.minutes == pytest.approx(4.0)
    # A stopped session beside a completed one on the same day does not break that day.
    assert compute([*whole, stopped(rec("2026-11-26T10:00:00+01:00"))], TODAY).current_streak == 4


def test_partly_done_and_stopped_sessions_count_in_no_change_figure() -> None:
    big = [rec(f"2026-11-1{i}T09:00:00+01:00", 8, 2, routine="box", routine_title="Box") for i in range(3)]
    small = [rec(f"2026-11-{14 + i:02d}T09:00:00+01:00", 6, 5) for i in range(3)]
    # Three sessions that would each be a large drop, but partly done or stopped.
    not_done = [partly(rec(f"2026-11-2{i}T09:00:00+01:00", 9, 1)) for i in range(2)]
    not_done.append(stopped(rec("2026-11-22T09:00:00+01:00", 9, 1)))
    stats = compute([*big, *small, *not_done], TODAY)
    assert (stats.rated, stats.responders) == (6, 3)
    assert stats.responder_rate == pytest.approx(0.5)
    assert stats.median_change == pytest.approx(-3.5)  # -6 -6 -6 -1 -1 -1
    by_id = {r.routine: r for r in stats.routines}
    assert (by_id["neck"].sessions, by_id["neck"].completed, by_id["neck"].rated) == (6, 3, 3)
    assert by_id["neck"].median_change == -1.0  # the partly done -8s are not in it
    # What helped: both have 3 rated completed sessions; box first (calmer).
    helped = [(r.routine, r.rated, r.median_change) for r in stats.helped]
    assert helped == [("box", 3, -6.0), ("neck", 3, -1.0)]
    # Counted as completed, the same sessions would change every figure.
    redone = [
        record_from_json({**r.to_json(), "completed": True, "ran_to_end": True}) for r in not_done
    ]
    again = compute([*big, *small, *redone], TODAY)
    assert (again.rated, again.responders, again.helped[0].routine) == (9, 6, "box")
    assert {r.routine: r.median_change for r in again.helped}["neck"] == -4.5  # -8 -8 -8 -1 -1 -1


def test_what_helped_needs_three_rated_completed_sessions() -> None:
    two = [rec(f"2026-11-1{i}T09:00:00+01:00", 9, 0, routine="jaw", routine_title="Jaw") for i in range(2)]
    three = [rec(f"2026-11-2{i}T09:00:00+01:00", 5, 4) for i in range(3)]
    unrated = [rec(f"2026-11-1{i}T10:00:00+01:00", None, 0, routine="jaw") for i in range(3)]
    stats = compute([*two, *three, *unrated], TODAY)
    assert [r.routine for r in stats.helped] == ["neck"]
    assert {r.routine: r.rated for r in stats.routines} == {"jaw": 2, "neck": 3}


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


def test_each_routine_has_its_counts_minutes_and_median_change() -> None:
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
    assert (neck.title, neck.sessions, neck.completed, neck.rated) == ("Neck", 3, 3, 2)
    assert neck.median_change == -2.5
    assert neck.minutes == pytest.approx(3.0)
    assert (by_id["box"].sessions, by_id["box"].rated, by_id["box"].median_change) == (1, 0, None)
    assert by_id["jaw"].median_change == 0.0
    assert compute(records, TODAY).helped == []  # no routine has 3 rated completed sessions


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
    assert "weekly_pre" not in to_json(stats)  # one weekly series in --json: weekly_trend


def test_the_json_weekly_trend_is_every_week_with_medians_and_gaps() -> None:
    from coach.stats import Tallies, weekly_trend

    records = [
        rec("2026-11-02T09:00:00+01:00", 7, 3),
        rec("2026-11-03T09:00:00+01:00", 4, 3),
        rec("2026-11-04T09:00:00+01:00", 2, 3),
        rec("2026-11-17T09:00:00+01:00", 6, 3),
    ]
    tallies = Tallies()
    tallies.add(records)
    out = to_json(compute(records, TODAY), weekly_trend(tallies, date(2026, 11, 2), TODAY))
    assert out["weekly_trend"] == [
        {"starts": "2026-11-02", "rated_sessions": 3, "median_pre": 4.0, "mean_pre": 4.33},
        {"starts": "2026-11-09", "rated_sessions": 0, "median_pre": None, "mean_pre": None},
        {"starts": "2026-11-16", "rated_sessions": 1, "median_pre": 6.0, "mean_pre": 6.0},
        {"starts": "2026-11-23", "rated_sessions": 0, "median_pre": None, "mean_pre": None},
    ]


def test_to_json_has_every_figure_rounded() -> None:
    records = [
        rec("2026-11-26T09:00:00+01:00", 7, 3),
        rec("2026-11-25T09:00:00+01:00", 6, 5, active_seconds=100.0),
    ]
    out = to_json(compute(records, TODAY))
    assert out["today"] == "2026-11-26"
    assert out["all_time"] == {"sessions": 2, "minutes": 2.67}
    assert out["streak"] == {"current": 2, "longest": 2}
    assert (out["completed"], out["partly_done"], out["stopped"]) == (2, 0, 0)
    assert out["change"] == {
        "rated_completed_sessions": 2,
        "median": -2.5,
        "q1": -3.25,
        "q3": -1.75,
        "iqr": 1.5,
        "responders": 1,
        "responder_rate": 0.5,
        "thresholds": REFERENCE_NOTE,
    }
    assert out["routines"] == [
        {
            "routine": "neck",
            "title": "Neck",
            "sessions": 2,
            "completed": 2,
            "minutes": 2.67,
            "rated_completed_sessions": 2,
            "median_change": -2.5,
        }
    ]
    assert out["helped_most"] == []


def test_an_empty_history_has_zero_figures() -> None:
    stats = compute([], TODAY)
    assert (stats.all_time.sessions, stats.current_streak, stats.longest_streak, stats.rated) == (0, 0, 0, 0)
    assert stats.routines == [] and stats.weekly_pre == [] and to_json(stats)["change"]["median"] is None
    assert to_json(stats)["change"]["responder_rate"] is None and stats.helped == []
