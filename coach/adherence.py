"""Adherence to a plan: sessions done against sessions prescribed, per week and per item.

Pure functions of a plan, the sessions and an injected `today`. The rules:

- Weeks run Monday to Sunday. A plan's first and last weeks count only the plan's own days,
  so a plan that starts on a Thursday asks for a pro-rated share of its first week.
- A `days` item prescribes one session on each of its weekdays that falls inside the plan;
  a `per_week` item prescribes `per_week × days in the plan that week / 7`, rounded to the
  nearest whole session (half up).
- Only completed sessions that carry the plan's id count, on the local date they started.
  A session counts for its week, not only for its exact day: done on Tuesday instead of
  Monday is still done. Sessions beyond a week's prescription are shown but earn no credit
  (they cannot make up for another week or another item).
- As of `today`: a week that is over expects its whole prescription; the current week
  expects what was due up to yesterday (today is not over), and never less than what was
  already done, up to its prescription; later weeks expect nothing yet.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from coach.plan import Plan, PlanItem


class SessionLike(Protocol):
    """What adherence reads from a history record (coach.records.SessionRecord fits)."""

    routine: str
    plan: str | None
    started_at: str
    completed: bool


def prescribed(item: PlanItem, first: date, last: date) -> int:
    """Sessions `item` asks for from `first` to `last` (inclusive; within one week)."""
    if last < first:
        return 0
    days = (last - first).days + 1
    if item.days is not None:
        from coach.plan import weekday_code

        return sum(1 for n in range(days) if weekday_code(first + timedelta(days=n)) in item.days)
    assert item.per_week is not None
    return math.floor(item.per_week * days / 7 + 0.5)


def local_date(started_at: str) -> date | None:
    """The calendar date where the session happened (its own UTC offset), or None if the
    text is not a time (history reading reports those lines; here they are just skipped)."""
    try:
        return datetime.fromisoformat(started_at).date()
    except (TypeError, ValueError):
        return None


def plan_sessions(plan_id: str, records: Iterable[SessionLike]) -> list[SessionLike]:
    """The records that carry this plan's id, oldest first."""
    chosen = [r for r in records if r.plan == plan_id]
    chosen.sort(key=lambda r: (local_date(r.started_at) or date.min, r.started_at))
    return chosen


def completed_dates(plan_id: str, records: Iterable[SessionLike]) -> list[tuple[str, date]]:
    """(routine, local date) of the plan's completed sessions: what counts for adherence."""
    out = []
    for record in records:
        if record.plan == plan_id and record.completed:
            day = local_date(record.started_at)
            if day is not None:
                out.append((record.routine, day))
    return out


@dataclass(frozen=True)
class ItemWeek:
    routine: str
    target: int  # the week's prescription within the plan's dates
    expected: int  # what is due by `today` (see the module's rules)
    done: int  # completed sessions that week, extra ones included

    @property
    def credited(self) -> int:
        """Done, up to what is expected: extra sessions earn nothing, nor do sessions dated
        after `today` (a report made "as of" an earlier day)."""
        return min(self.done, self.expected)


@dataclass(frozen=True)
class WeekAdherence:
    monday: date
    first: date  # the plan's first day in this week
    last: date  # the plan's last day in this week
    state: str  # "past", "current" or "future" relative to today
    items: tuple[ItemWeek, ...]

    @property
    def partial(self) -> bool:
        """The plan covers only part of this week (its first or last week)."""
        return (self.last - self.first).days < 6

    @property
    def target(self) -> int:
        return sum(i.target for i in self.items)

    @property
    def expected(self) -> int:
        return sum(i.expected for i in self.items)

    @property
    def done(self) -> int:
        return sum(i.done for i in self.items)

    @property
    def credited(self) -> int:
        return sum(i.credited for i in self.items)

    @property
    def share(self) -> float | None:
        return _share(self.credited, self.expected)


@dataclass(frozen=True)
class ItemTotal:
    routine: str
    target: int
    expected: int
    done: int
    credited: int

    @property
    def share(self) -> float | None:
        return _share(self.credited, self.expected)


@dataclass(frozen=True)
class PlanAdherence:
    plan_id: str
    today: date
    weeks: tuple[WeekAdherence, ...]
    items: tuple[ItemTotal, ...]

    @property
    def target(self) -> int:
        return sum(w.target for w in self.weeks)

    @property
    def expected(self) -> int:
        return sum(w.expected for w in self.weeks)

    @property
    def done(self) -> int:
        return sum(w.done for w in self.weeks)

    @property
    def credited(self) -> int:
        return sum(w.credited for w in self.weeks)

    @property
    def share(self) -> float | None:
        """Credited over expected so far; None while nothing was expected yet."""
        return _share(self.credited, self.expected)

    def week_of(self, day: date) -> WeekAdherence | None:
        for week in self.weeks:
            if week.first <= day <= week.last:
                return week
        return None


def _share(credited: int, expected: int) -> float | None:
    if expected <= 0:
        return None
    return min(1.0, credited / expected)


def plan_weeks(plan: Plan) -> list[tuple[date, date, date]]:
    """(monday, first plan day, last plan day) of every week the plan touches."""
    from coach.plan import monday_of

    out = []
    monday = monday_of(plan.starts)
    while monday <= plan.ends:
        out.append((monday, max(monday, plan.starts), min(monday + timedelta(days=6), plan.ends)))
        monday += timedelta(days=7)
    return out


def adherence(plan: Plan, records: Iterable[SessionLike], today: date) -> PlanAdherence:
    """The plan's adherence per week and per item, as of `today` (included)."""
    done: dict[tuple[date, str], int] = {}
    for routine_id, day in completed_dates(plan.id, records):
        if plan.is_active(day):
            key = (day - timedelta(days=day.weekday()), routine_id)
            done[key] = done.get(key, 0) + 1
    weeks = []
    for monday, first, last in plan_weeks(plan):
        state = "past" if last < today else ("future" if first > today else "current")
        items = []
        for item in plan.items:
            target = prescribed(item, first, last)
            count = done.get((monday, item.routine), 0)
            if state == "past":
                expected = target
            elif state == "future":
                expected = 0
            else:
                expected = min(target, max(prescribed(item, first, today - timedelta(days=1)), count))
            items.append(ItemWeek(item.routine, target, expected, count))
        weeks.append(WeekAdherence(monday, first, last, state, tuple(items)))
    totals = []
    for index, item in enumerate(plan.items):
        rows = [w.items[index] for w in weeks]
        totals.append(
            ItemTotal(
                routine=item.routine,
                target=sum(r.target for r in rows),
                expected=sum(r.expected for r in rows),
                done=sum(r.done for r in rows),
                credited=sum(r.credited for r in rows),
            )
        )
    return PlanAdherence(plan.id, today, tuple(weeks), tuple(totals))


