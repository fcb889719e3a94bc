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
from datetime import date, datetime, timedelta
from typing import Any

from coach.records import SessionRecord

_fromiso = datetime.fromisoformat
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
    """The local date of a timestamp: its own date, in the offset it was written with."""
    if len(started_at) >= 10 and started_at[4] == "-" and started_at[7] == "-":
        return _date(started_at[:10])
    return _fromiso(started_at).date()


def change(pre: int | None, post: int | None) -> int | None:
    """post − pre, or None unless both ratings exist."""
    if pre is None or post is None:
        return None
    return post - pre


def is_clear_drop(pre: int, post: int) -> bool:
    """Lower by ≥ 2 points, or by ≥ 30 % of pre (integers: 10·drop ≥ 3·pre)."""
    drop = pre - post
    return drop > 0 and (drop >= 2 or 10 * drop >= 3 * pre)


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
    """All the figures in one pass over the records (100,000 in well under a second)."""
    first_7 = today - timedelta(days=6)
    first_30 = today - timedelta(days=29)
    dates: dict[str, date] = {}  # a day's prefix of started_at -> its date (days repeat)
    days: set[date] = set()
    total = total_7 = total_30 = 0
    seconds = seconds_7 = seconds_30 = 0.0
    completed = 0
    changes: list[int] = []
    clear = 0
    routines: dict[str, list[Any]] = {}  # id -> [title, sessions, seconds, rated, change sum]
    weeks: dict[date, list[int]] = {}  # Monday -> [pre sum, count]
    for record in records:
        started = record.started_at
        day = dates.get(started[:10])
        if day is None:
            day = local_date(started)
            if started[4:5] == "-" and started[7:8] == "-":  # local_date used the prefix
                dates[started[:10]] = day
        days.add(day)
        active = record.active_seconds
        total += 1
        seconds += active
        if first_30 <= day <= today:
            total_30 += 1
            seconds_30 += active
            if day >= first_7:
                total_7 += 1
                seconds_7 += active
        if record.completed:
            completed += 1
        entry = routines.get(record.routine)
        if entry is None:
            entry = routines[record.routine] = [record.routine_title, 0, 0.0, 0, 0]
        entry[0] = record.routine_title
        entry[1] += 1
        entry[2] += active
        pre = record.pre
        if pre is not None:
            monday = day - timedelta(days=day.weekday())
            week = weeks.get(monday)
            if week is None:
                weeks[monday] = [pre, 1]
            else:
                week[0] += pre
                week[1] += 1
            post = record.post
            if post is not None:
                delta = post - pre
                changes.append(delta)
                entry[3] += 1
                entry[4] += delta
                if delta < 0 and (delta <= -2 or -10 * delta >= 3 * pre):
                    clear += 1
    current, longest = streaks(days, today)
    per_routine = [
        RoutineStats(
            routine=routine,
            title=title,
            sessions=count,
            minutes=secs / 60,
            rated=rated,
            mean_change=change_sum / rated if rated else None,
        )
        for routine, (title, count, secs, rated, change_sum) in routines.items()
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
        rated=len(changes),
        mean_change=sum(changes) / len(changes) if changes else None,
        median_change=median(changes),  # type: ignore[arg-type]
        clear_drops=clear,
        routines=per_routine,
        weekly_pre=[
            WeekStress(week_start=monday, mean_pre=pre_sum / count, rated=count)
            for monday, (pre_sum, count) in sorted(weeks.items())
        ],
    )


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
