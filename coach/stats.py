"""What the history says: pure functions of the records and today's date.

Dates are the local dates of `started_at`: the date written in the record, in the offset
it was recorded with (a session at 00:30 on a DST night belongs to that day). Days are
counted as calendar dates, so streaks do not care about 23- or 25-hour days.

Changes are post − pre: negative means calmer. A clear drop is post lower than pre by
2 points or more, or by at least 30 % of pre (DESIGN, Stress rating).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from coach.records import SessionRecord

_date = date.fromisoformat


@dataclass(frozen=True)
class Period:
    sessions: int = 0
    minutes: float = 0.0


@dataclass(frozen=True)
class RoutineStats:
    routine: str
    title: str  # the title of its latest session
    sessions: int
    minutes: float
    rated: int  # sessions with both ratings
    mean_change: float | None


@dataclass(frozen=True)
class WeekStress:
    week_start: date  # the Monday
    mean_pre: float
    rated: int  # sessions of the week with a pre-rating


@dataclass(frozen=True)
class Stats:
    today: date
    all_time: Period
    last_30_days: Period
    last_7_days: Period
    completed: int
    current_streak: int
    longest_streak: int
    rated: int  # sessions with both ratings
    mean_change: float | None
    median_change: float | None
    clear_drops: int
    routines: list[RoutineStats] = field(default_factory=list)
    weekly_pre: list[WeekStress] = field(default_factory=list)

    @property
    def clear_drop_share(self) -> float | None:
        return self.clear_drops / self.rated if self.rated else None


# --- the small pure pieces ----------------------------------------------------------------


def local_date(started_at: str) -> date:
    """The local date of a timestamp: its own date, in the offset it was written with
    (a record's times always start with YYYY-MM-DD: see records.py)."""
    return _date(started_at[:10])


def change(pre: int | None, post: int | None) -> int | None:
    """post − pre, or None unless both ratings exist."""
    if pre is None or post is None:
        return None
    return post - pre


def streaks(days: Iterable[date], today: date) -> tuple[int, int]:
    """(current, longest) runs of consecutive days with a session.

    The current streak ends today, or yesterday if today has no session yet (the day is
    not over); otherwise it is 0. Days after today (a clock that was wrong, another time
    zone) count for the longest streak only.
    """
    ordinals = sorted({d.toordinal() for d in days})
    longest = run = 0
    previous = None
    for ordinal in ordinals:
        run = run + 1 if previous is not None and ordinal == previous + 1 else 1
        longest = max(longest, run)
        previous = ordinal
    present = set(ordinals)
    start = today.toordinal()
    if start not in present:
        start -= 1
    current = 0
    while start - current in present:
        current += 1
    return current, longest


def median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


# --- everything at once -------------------------------------------------------------------


def compute(records: Iterable[SessionRecord], today: date) -> Stats:
    """All the figures in one pass over the records.

    The pass only adds into per-day and per-routine tallies (a record's day is the first
    10 characters of started_at, which records.py guarantees is its local date); dates,
    windows and weeks are worked out once per day afterwards. Changes are whole numbers
    from −10 to 10, so a 21-slot histogram gives the mean and the median.
    """
    days: dict[str, list[Any]] = {}  # "YYYY-MM-DD" -> [sessions, seconds, pre sum, pre count]
    routines: dict[str, list[Any]] = {}  # id -> [title, sessions, seconds, rated, change sum]
    histogram = [0] * 21  # change + 10 -> sessions
    completed = clear = 0
    for record in records:
        key = record.started_at[:10]
        day = days.get(key)
        if day is None:
            day = days[key] = [0, 0.0, 0, 0]
        active = record.active_seconds
        day[0] += 1
        day[1] += active
        if record.completed:
            completed += 1
        entry = routines.get(record.routine)
        if entry is None:
            entry = routines[record.routine] = [record.routine_title, 0, 0.0, 0, 0]
        else:
            entry[0] = record.routine_title  # the latest title (files are mostly in order)
        entry[1] += 1
        entry[2] += active
        pre = record.pre
        if pre is not None:
            day[2] += pre
            day[3] += 1
            post = record.post
            if post is not None:
                delta = post - pre
                histogram[delta + 10] += 1
                entry[3] += 1
                entry[4] += delta
                if delta < 0 and (delta <= -2 or -10 * delta >= 3 * pre):
                    clear += 1
    return _summarise(days, routines, histogram, completed, clear, today)


def _summarise(
    days: dict[str, list[Any]],
    routines: dict[str, list[Any]],
    histogram: list[int],
    completed: int,
    clear: int,
    today: date,
) -> Stats:
    first_7 = today - timedelta(days=6)
    first_30 = today - timedelta(days=29)
    total = total_7 = total_30 = 0
    seconds = seconds_7 = seconds_30 = 0.0
    weeks: dict[date, list[int]] = {}  # Monday -> [pre sum, count]
    dates = []
    for key, (count, secs, pre_sum, pre_count) in days.items():
        day = local_date(key)
        dates.append(day)
        total += count
        seconds += secs
        if first_30 <= day <= today:
            total_30 += count
            seconds_30 += secs
            if day >= first_7:
                total_7 += count
                seconds_7 += secs
        if pre_count:
            week = weeks.setdefault(week_start(day), [0, 0])
            week[0] += pre_sum
            week[1] += pre_count
    current, longest = streaks(dates, today)
    rated = sum(histogram)
    change_sum = sum((index - 10) * n for index, n in enumerate(histogram))
    per_routine = [
        RoutineStats(
            routine=routine,
            title=title,
            sessions=count,
            minutes=secs / 60,
            rated=rated_count,
            mean_change=sum_change / rated_count if rated_count else None,
        )
        for routine, (title, count, secs, rated_count, sum_change) in routines.items()
    ]
    per_routine.sort(key=lambda r: (-r.sessions, r.routine))
    return Stats(
        today=today,
        all_time=Period(total, seconds / 60),
        last_30_days=Period(total_30, seconds_30 / 60),
        last_7_days=Period(total_7, seconds_7 / 60),
        completed=completed,
        current_streak=current,
        longest_streak=longest,
        rated=rated,
        mean_change=change_sum / rated if rated else None,
        median_change=_histogram_median(histogram),
        clear_drops=clear,
        routines=per_routine,
        weekly_pre=[
            WeekStress(week_start=monday, mean_pre=pre_sum / count, rated=count)
            for monday, (pre_sum, count) in sorted(weeks.items())
        ],
    )


def _histogram_median(histogram: list[int]) -> float | None:
    """The median change from counts per change (index = change + 10)."""
    n = sum(histogram)
    if n == 0:
        return None

    def nth(k: int) -> int:  # the k-th smallest change, 0-based
        for index, count in enumerate(histogram):
            if k < count:
                return index - 10
            k -= count
        raise AssertionError("k out of range")

    if n % 2:
        return float(nth(n // 2))
    return (nth(n // 2 - 1) + nth(n // 2)) / 2


def to_json(stats: Stats) -> dict[str, Any]:
    """The figures for scripts (`coach stats --json`); numbers rounded to 2 decimals."""

    def num(value: float | None) -> float | None:
        return None if value is None else round(value, 2)

    def period(p: Period) -> dict[str, Any]:
        return {"sessions": p.sessions, "minutes": num(p.minutes)}

    return {
        "today": stats.today.isoformat(),
        "all_time": period(stats.all_time),
        "last_30_days": period(stats.last_30_days),
        "last_7_days": period(stats.last_7_days),
        "completed": stats.completed,
        "streak": {"current": stats.current_streak, "longest": stats.longest_streak},
        "change": {
            "rated_sessions": stats.rated,
            "mean": num(stats.mean_change),
            "median": num(stats.median_change),
            "clear_drops": stats.clear_drops,
            "clear_drop_share": num(stats.clear_drop_share),
        },
        "routines": [
            {
                "routine": r.routine,
                "title": r.title,
                "sessions": r.sessions,
                "minutes": num(r.minutes),
                "rated_sessions": r.rated,
                "mean_change": num(r.mean_change),
            }
            for r in stats.routines
        ],
        "weekly_pre": [
            {
                "week": "{}-W{:02d}".format(*w.week_start.isocalendar()[:2]),
                "starts": w.week_start.isoformat(),
                "mean_pre": num(w.mean_pre),
                "rated_sessions": w.rated,
            }
            for w in stats.weekly_pre
        ],
    }
