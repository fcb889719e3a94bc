"""What the history says: pure functions of the records and today's date.

Dates are the local dates of `started_at`: the date written in the record, in the offset
it was recorded with (a session at 00:30 on a DST night belongs to that day). Days are
counted as calendar dates, so streaks do not care about 23- or 25-hour days.

What counts: sessions and minutes count every session, since
the minutes were practised; streaks, the change figures and every per-routine figure count
completed sessions only (a partly done or stopped session is not "done").

Changes are post − pre: negative means calmer. The change figures are the median with its
interquartile range, and the responder rate: the share of rated completed sessions whose
change is a noticeable or large drop (coach.rating: reference thresholds from pain research,
not a clinical measure of stress). Medians and quartiles, not means: a 0-10 rating is
ordinal, and IMMPACT (Dworkin 2008) asks for responder rates rather than means alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import mul
from typing import TYPE_CHECKING, Any

from coach.rating import REFERENCE_NOTE, is_responder, ran_to_end

if TYPE_CHECKING:  # annotations only: the streak from the index loads no record parser
    from coach.records import SessionRecord

_date = date.fromisoformat

# "What helped most" ranks only routines with at least this many rated completed sessions:
# fewer say too little to rank (a product choice, not a statistical threshold).
HELPED_MIN_RATED = 3

_RATINGS = range(11)  # the 0-10 scale, for sums over a day's pre-rating counts

# is_responder for every (pre, post) pair, indexed pre * 11 + post: one list lookup a record.
_RESPONDER = [is_responder(pre, post) for pre in range(11) for post in range(11)]


@dataclass(frozen=True)
class Period:
    """Sessions and minutes practised in a span of days (every session counts)."""

    sessions: int = 0  # every session, whatever its outcome
    minutes: float = 0.0  # minutes practised in them


@dataclass(frozen=True)
class Spread:
    """The median change of some rated sessions and its interquartile range (points)."""

    rated: int  # sessions behind the figures
    median: float
    q1: float  # the first quartile (see `quartiles`)
    q3: float  # the third quartile

    @property
    def iqr(self) -> float:
        """The interquartile range q3 − q1, in rating points."""
        return self.q3 - self.q1


@dataclass(frozen=True)
class RoutineStats:
    """One routine's figures. Only `sessions` counts every session; the rest count its
    completed sessions (and `rated` those of them with both ratings)."""

    routine: str
    title: str  # the title of its latest session
    sessions: int  # all sessions, whatever their outcome
    completed: int
    minutes: float  # minutes practised in its completed sessions
    rated: int  # completed sessions with both ratings
    median_change: float | None  # over those, in points; None when there are none


@dataclass(frozen=True)
class WeekStress:
    """The mean pre-rating (0-10) of one calendar week's sessions that have one."""

    week_start: date  # the Monday
    mean_pre: float
    rated: int  # sessions of the week with a pre-rating


@dataclass(frozen=True)
class Stats:
    """Everything `coach stats` and the stats screen show, as of `today` (a local date)."""

    today: date
    all_time: Period
    last_30_days: Period
    last_7_days: Period
    completed: int
    partly_done: int  # reached the end with less than 80 % of the plan practised
    stopped: int  # ended early
    current_streak: int  # days with a completed session
    longest_streak: int
    change: Spread | None  # over rated completed sessions; None when there are none
    responders: int  # rated completed sessions with a noticeable or large drop
    routines: list[RoutineStats] = field(default_factory=list)  # most completed first
    helped: list[RoutineStats] = field(default_factory=list)  # what helped most, best first
    weekly_pre: list[WeekStress] = field(default_factory=list)

    @property
    def rated(self) -> int:
        """Completed sessions with both ratings: the base of the change figures."""
        return self.change.rated if self.change is not None else 0

    @property
    def median_change(self) -> float | None:
        """The median of post − pre over rated completed sessions, in points; None if none."""
        return self.change.median if self.change is not None else None

    @property
    def responder_rate(self) -> float | None:
        """responders / rated, 0-1; None when no completed session has both ratings."""
        return self.responders / self.rated if self.rated else None


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
    """The median (the mean of the middle two for an even count); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def quartiles(histogram: list[int]) -> tuple[float, float, float] | None:
    """(first quartile, median, third quartile) of the changes counted in `histogram`
    (index = change + 10, so −10…+10), or None if it is empty.

    The quartiles are the "inclusive" ones: linear interpolation between order statistics
    at position (n − 1)·p, p = ¼, ½, ¾ (Hyndman & Fan type 7; numpy's default,
    `statistics.quantiles(method="inclusive")`, Excel's QUARTILE.INC). The median is the
    ordinary one. The interquartile range is q3 − q1.
    """
    n = sum(histogram)
    if n == 0:
        return None

    def nth(k: int) -> int:  # the k-th smallest change, 0-based
        for index, count in enumerate(histogram):
            if k < count:
                return index - 10
            k -= count
        raise AssertionError("k out of range")

    def at(quarters: int) -> float:  # the value at position (n − 1)·quarters/4
        whole, part = divmod((n - 1) * quarters, 4)
        low = nth(whole)
        if part == 0:
            return float(low)
        return low + (nth(whole + 1) - low) * part / 4

    return at(1), at(2), at(3)


def spread(histogram: list[int]) -> Spread | None:
    """The median and quartiles of a change histogram (see `quartiles`), with its count."""
    found = quartiles(histogram)
    if found is None:
        return None
    q1, mid, q3 = found
    return Spread(rated=sum(histogram), median=mid, q1=q1, q3=q3)


def week_start(day: date) -> date:
    """The Monday of `day`'s week (weeks run Monday to Sunday, as ISO 8601 counts them)."""
    return day - timedelta(days=day.weekday())


# --- the tallies: what stats need from the records ------------------------------------------

# A day's tally (`Tallies.days[YYYY-MM-DD]`): [sessions, microseconds practised, completed,
# partly done, then the count of each pre-rating 0..10]. A routine's (`Tallies.routines[id]`):
# [title of its latest session, sessions, completed, microseconds practised in completed
# sessions, responders among rated completed ones, then the count of each change −10..+10
# of its rated completed sessions]. Lists, not objects: this is the hot loop of a rebuild.
# Time is summed in whole microseconds so that any order of adding (the index adds batch
# by batch) gives exactly the same totals.
DAY_SESSIONS, DAY_SECONDS, DAY_COMPLETED, DAY_PARTLY, DAY_PRE = 0, 1, 2, 3, 4
ROUTINE_TITLE, ROUTINE_SESSIONS, ROUTINE_COMPLETED, ROUTINE_SECONDS, ROUTINE_RESPONDERS = 0, 1, 2, 3, 4
ROUTINE_CHANGES = 5


def new_day() -> list[Any]:
    """An empty day tally (see DAY_*): 4 figures, then 11 pre-rating counts."""
    return [0, 0, 0, 0, *([0] * 11)]


def new_routine(title: str) -> list[Any]:
    """An empty routine tally (see ROUTINE_*): the title, 4 figures, 21 change counts."""
    return [title, 0, 0, 0, 0, *([0] * 21)]


@dataclass
class Tallies:
    """Per-day and per-routine sums of a history: everything `summarise` needs, so the
    figures cost grows with days and routines, not sessions. `add` takes records one by
    one; `coach.index` keeps the same tallies in SQLite and gives them back as one."""

    days: dict[str, list[Any]] = field(default_factory=dict)  # "YYYY-MM-DD" -> see DAY_*
    routines: dict[str, list[Any]] = field(default_factory=dict)  # routine id -> see ROUTINE_*

    def add(self, records: Iterable[SessionRecord]) -> None:
        """Count `records` in (any order; a routine's title is the last one added)."""
        days, routines = self.days, self.routines
        responder = _RESPONDER
        for record in records:
            key = record.started_at[:10]  # the local date (records.py guarantees the form)
            day = days.get(key)
            if day is None:
                day = days[key] = new_day()
            active = round(record.active_seconds * 1_000_000)
            day[0] += 1
            day[1] += active
            entry = routines.get(record.routine)
            if entry is None:
                entry = routines[record.routine] = new_routine(record.routine_title)
            else:
                entry[0] = record.routine_title
            entry[1] += 1
            pre = record.pre
            if pre is not None:
                day[4 + pre] += 1
            if record.completed:
                day[2] += 1
                entry[2] += 1
                entry[3] += active
                post = record.post
                if pre is not None and post is not None:
                    entry[5 + post - pre + 10] += 1
                    if responder[pre * 11 + post]:
                        entry[4] += 1
            elif ran_to_end(record):
                day[3] += 1


def compute(records: Iterable[SessionRecord], today: date) -> Stats:
    """All the figures in one pass over the records (see `Tallies` and `summarise`)."""
    tallies = Tallies()
    tallies.add(records)
    return summarise(tallies, today)


def _histogram_quantile(histogram: list[int], offset: int, fraction: float) -> float | None:
    """The quantile at `fraction` (½: the median) of the values counted in `histogram`
    (index = value + offset), interpolated as `quartiles` does (type 7); None if empty."""
    n = sum(histogram)
    if n == 0:
        return None

    def nth(k: int) -> int:  # the k-th smallest value, 0-based
        for index, count in enumerate(histogram):
            if k < count:
                return index - offset
            k -= count
        raise AssertionError("k out of range")

    position = (n - 1) * fraction
    whole = int(position)
    part = position - whole
    low = nth(whole)
    return float(low) if part == 0 else low + (nth(whole + 1) - low) * part


@dataclass(frozen=True)
class WeekTrend:
    """One calendar week (Monday to Sunday) of the pre-session stress trend. Empty weeks
    are present with `rated` 0 and no median or mean, so a chart can show them as gaps."""

    week_start: date  # the Monday
    rated: int  # sessions of the week with a pre-rating (any outcome)
    median_pre: float | None  # the median pre-rating (0-10) of those; None for an empty week
    mean_pre: float | None


@dataclass(frozen=True)
class PracticeDay:
    """One day with at least one session, for the practice calendar."""

    day: date  # the local date of the sessions' start
    sessions: int  # every session of the day
    completed: int  # completed ones (the days that count for a streak have at least one)
    minutes: float  # minutes practised that day


def weekly_trend(tallies: Tallies, first: date | None = None, last: date | None = None) -> list[WeekTrend]:
    """The weekly pre-session stress from the week of `first` to the week of `last`
    (default: the first and the last week with a pre-rating), every week present, oldest
    first. The median is that of the week's pre-ratings (ordinal 0-10 scale: medians, not
    means; the mean is given too). Cost grows with days, not sessions."""
    weeks: dict[date, list[int]] = {}
    for key, day in tallies.days.items():
        counts = day[DAY_PRE:]
        if any(counts):
            week = weeks.setdefault(week_start(local_date(key)), [0] * 11)
            for value, count in enumerate(counts):
                week[value] += count
    if first is None or last is None:
        if not weeks:
            return []
        first = first or min(weeks)
        last = last or max(weeks)
    out = []
    monday, end = week_start(first), week_start(last)
    while monday <= end:
        counts = weeks.get(monday)
        rated = sum(counts) if counts else 0
        if counts and rated:
            mean = sum(value * count for value, count in enumerate(counts)) / rated
            out.append(WeekTrend(monday, rated, _histogram_quantile(counts, 0, 0.5), mean))
        else:
            out.append(WeekTrend(monday, 0, None, None))
        monday += timedelta(days=7)
    return out


def practice_days(tallies: Tallies, first: date | None = None, last: date | None = None) -> list[PracticeDay]:
    """The days with sessions between `first` and `last` (inclusive; None: no bound),
    oldest first: what a practice calendar shows."""
    out = []
    for key in sorted(tallies.days):
        day = local_date(key)
        if (first is not None and day < first) or (last is not None and day > last):
            continue
        tally = tallies.days[key]
        out.append(PracticeDay(day, tally[DAY_SESSIONS], tally[DAY_COMPLETED], tally[DAY_SECONDS] / 60e6))
    return out


def summarise(tallies: Tallies, today: date) -> Stats:
    """The figures of `Stats` from a history's tallies, as of `today` (a local date)."""
    first_7 = today - timedelta(days=6)
    first_30 = today - timedelta(days=29)
    total = total_7 = total_30 = completed = partly = 0
    seconds = seconds_7 = seconds_30 = 0  # microseconds: exact whatever the order
    weeks: dict[date, list[int]] = {}  # Monday -> [pre sum, count]
    done_dates = []
    for key, tally in tallies.days.items():
        count, secs, done, part = tally[0], tally[1], tally[2], tally[3]  # secs: in µs
        day = local_date(key)
        if done:
            done_dates.append(day)
        total += count
        completed += done
        partly += part
        seconds += secs
        if first_30 <= day <= today:
            total_30 += count
            seconds_30 += secs
            if day >= first_7:
                total_7 += count
                seconds_7 += secs
        pre_counts = tally[DAY_PRE:]
        pre_count = sum(pre_counts)
        if pre_count:
            week = weeks.setdefault(day - timedelta(days=day.weekday()), [0, 0])  # its Monday
            week[0] += sum(map(mul, _RATINGS, pre_counts))
            week[1] += pre_count
    current, longest = streaks(done_dates, today)
    histogram = [0] * 21  # change + 10 -> rated completed sessions
    responders = 0
    per_routine = []
    for routine, entry in tallies.routines.items():
        changes = entry[ROUTINE_CHANGES:]
        responders += entry[ROUTINE_RESPONDERS]
        for index, n in enumerate(changes):
            histogram[index] += n
        found = quartiles(changes)
        per_routine.append(
            RoutineStats(
                routine=routine,
                title=entry[ROUTINE_TITLE],
                sessions=entry[ROUTINE_SESSIONS],
                completed=entry[ROUTINE_COMPLETED],
                minutes=entry[ROUTINE_SECONDS] / 60e6,
                rated=sum(changes),
                median_change=found[1] if found is not None else None,
            )
        )
    per_routine.sort(key=lambda r: (-r.completed, -r.sessions, r.routine))
    helped = [r for r in per_routine if r.rated >= HELPED_MIN_RATED]
    # Best first: the lowest median change (calmer), then the most evidence, then the id.
    helped.sort(key=lambda r: (r.median_change or 0.0, -r.rated, r.routine))
    return Stats(
        today=today,
        all_time=Period(total, seconds / 60e6),
        last_30_days=Period(total_30, seconds_30 / 60e6),
        last_7_days=Period(total_7, seconds_7 / 60e6),
        completed=completed,
        partly_done=partly,
        stopped=total - completed - partly,
        current_streak=current,
        longest_streak=longest,
        change=spread(histogram),
        responders=responders,
        routines=per_routine,
        helped=helped,
        weekly_pre=[
            WeekStress(week_start=monday, mean_pre=pre_sum / count, rated=count)
            for monday, (pre_sum, count) in sorted(weeks.items())
        ],
    )


def to_json(stats: Stats, weeks: Iterable[WeekTrend] = ()) -> dict[str, Any]:
    """The figures for scripts (`coach stats --json`); numbers rounded to 2 decimals.

    The same figures as the text of `coach stats` and the app's history screen: the change
    block is over rated completed sessions, `responder_rate` is 0-1. `minutes` of a
    routine counts its completed sessions (as every per-routine figure does; the
    sessions of all outcomes are in `all_time`). The weekly trend of pre-session stress
    is `weekly_trend`, one entry per week of `weeks` (`weekly_trend`: empty weeks present
    with `rated_sessions` 0 and null figures, so a chart shows gaps): its Monday
    (`starts`), `rated_sessions`, `median_pre` (the figure; a 0-10 rating is ordinal) and
    `mean_pre`. (`Stats.weekly_pre`, means of weeks with ratings only, is not given: two
    weekly series told scripts two different things; issue 12.)"""

    def num(value: float | None) -> float | None:
        return None if value is None else round(value, 2)

    def period(p: Period) -> dict[str, Any]:
        return {"sessions": p.sessions, "minutes": num(p.minutes)}

    spread_ = stats.change
    return {
        "today": stats.today.isoformat(),
        "all_time": period(stats.all_time),
        "last_30_days": period(stats.last_30_days),
        "last_7_days": period(stats.last_7_days),
        "completed": stats.completed,
        "partly_done": stats.partly_done,
        "stopped": stats.stopped,
        "streak": {"current": stats.current_streak, "longest": stats.longest_streak},
        "change": {
            "rated_completed_sessions": stats.rated,
            "median": num(stats.median_change),
            "q1": None if spread_ is None else num(spread_.q1),
            "q3": None if spread_ is None else num(spread_.q3),
            "iqr": None if spread_ is None else num(spread_.iqr),
            "responders": stats.responders,
            "responder_rate": num(stats.responder_rate),
            "thresholds": REFERENCE_NOTE,
        },
        "routines": [
            {
                "routine": r.routine,
                "title": r.title,
                "sessions": r.sessions,
                "completed": r.completed,
                "minutes": num(r.minutes),
                "rated_completed_sessions": r.rated,
                "median_change": num(r.median_change),
            }
            for r in stats.routines
        ],
        "helped_most": [
            {
                "routine": r.routine,
                "title": r.title,
                "rated_completed_sessions": r.rated,
                "median_change": num(r.median_change),
            }
            for r in stats.helped
        ],
        "weekly_trend": [
            {
                "starts": w.week_start.isoformat(),
                "rated_sessions": w.rated,
                "median_pre": w.median_pre,
                "mean_pre": num(w.mean_pre),
            }
            for w in weeks
        ],
    }
