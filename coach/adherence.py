"""Plans against the history: what a plan asks for on a day, what was done, and adherence.

The one place for "what is due and what was done". Pure functions of plans, history records
and an injected `today`; no files are read here (the caller lists the plans and reads the
history). Used by `coach due`, `coach plan list`, the report, and the app's plan views.

The rules:

- Versions (`coach.plan_versions`): each day is governed by the version in force on it
  (version 1 until the next one's day, then each from its own day). Whether a day is in
  the plan, and what each item asks for on it, come from that day's version; so a week
  already over keeps the targets it had, and a week split by a change takes each version
  for its own days (see `prescribed_on`).
- Weeks run Monday to Sunday. A plan's first and last weeks count only the plan's own days,
  so a plan that starts on a Thursday asks for a pro-rated share of its first week.
- A `days` item prescribes one session on each of its weekdays that falls inside the plan;
  a `per_week` item prescribes `per_week × days in the plan that week / 7`, rounded to the
  nearest whole session (half up). In a week split by a change, the `per_week` part is the
  sum over the week's plan days of that day's version's `per_week / 7`, rounded once (so a
  whole week with 4 then 5 a week from Thursday asks for round(4×3/7 + 5×4/7) = 5).
- Only completed sessions that carry the plan's id count, on the local date they started,
  and only up to the end of `today`: a view "as of" a past day never sees later sessions.
  A session counts for its week, not only for its exact day: done on Tuesday instead of
  Monday is still done. Sessions beyond a week's prescription are shown but earn no credit
  (they cannot make up for another week or another item).
- As of `today`: a week that is over expects its whole prescription; the current week
  expects what was due up to yesterday (today is not over), and never less than what was
  already done, up to its prescription; later weeks expect nothing yet.
- The figures add up: an item's cell in a week is `credited` of `expected` (credited =
  min(done, expected)); a week's `credited` and `expected` are the sums of its cells, the
  plan's are the sums of its weeks (and of its item totals), and every percentage is
  `credited / expected` of the same row. `done` (extra sessions included) and `target`
  (the whole week's prescription) are shown beside, never mixed into the percentage.
- On a day, a `days` item is due on its weekdays and a `per_week` item on every day of the
  plan; a `days` item is done for the day once done that day, a `per_week` item once its
  week's prescription is met.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from coach.plan_versions import PlanVersion, version_on

if TYPE_CHECKING:
    from coach.library import ItemFacts, PlanFacts, RoutineInfo
    from coach.plan import Plan, PlanItem


def monday_of(day: date) -> date:
    """The Monday of `day`'s week (weeks run Monday to Sunday)."""
    return day - timedelta(days=day.weekday())


def weekday_code(day: date) -> str:
    """ "mon" … "sun": how a plan's `days` name `day`'s weekday."""
    from coach.vocabulary import WEEKDAYS  # plain data: `coach due` loads no plan models

    return WEEKDAYS[day.weekday()]


def scheduled_on(item: PlanItem | ItemFacts, day: date) -> bool:
    """A `days` item is due on its weekdays; a `per_week` item may be done any day."""
    return item.days is None or weekday_code(day) in item.days


def _done_for_today(by_days: bool, done_today: int, done_this_week: int, target_this_week: int) -> bool:
    """Today's part is done: a `days` item done today, a `per_week` item's week complete."""
    if by_days:
        return done_today >= 1
    return done_this_week >= target_this_week


class SessionLike(Protocol):
    """What adherence reads from a history record (coach.records.SessionRecord fits)."""

    routine: str
    plan: str | None
    started_at: str
    completed: bool


def prescribed(item: PlanItem | ItemFacts, first: date, last: date) -> int:
    """Sessions `item` asks for from `first` to `last` (inclusive; within one week)."""
    if last < first:
        return 0
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return _round_week(*_demand(item, days))


def _demand(item: PlanItem | ItemFacts, days: Iterable[date]) -> tuple[int, int]:
    """(sessions on named weekdays, sum of `per_week` over the days) that `item` asks on `days`."""
    if item.days is not None:
        return sum(1 for day in days if weekday_code(day) in item.days), 0
    assert item.per_week is not None
    return 0, sum(item.per_week for _ in days)


def _round_week(by_days: int, per_week_days: int) -> int:
    """`by_days` plus `per_week_days / 7` rounded half up (in whole numbers: no float can
    round a half the wrong way; and no integer over 7 is exactly a half)."""
    return by_days + (2 * per_week_days + 7) // 14


class _Schedule:
    """A plan's versions read day by day: which version governs a day, whether the plan
    runs on it, and what an item asks for on a set of days (`prescribed_on`)."""

    def __init__(self, versions: Sequence[PlanVersion[Any]]) -> None:
        self.versions = versions
        self._items: dict[int, dict[str, Any]] = {
            v.number: {i.routine: i for i in v.plan.items} for v in versions
        }

    def plan_on(self, day: date) -> Any | None:
        """The version's plan in force on `day`, or None when that version does not run then."""
        plan = version_on(self.versions, day).plan
        return plan if plan.is_active(day) else None

    def number_on(self, day: date) -> int:
        return version_on(self.versions, day).number

    def prescribed_on(self, routine: str, days: Iterable[date]) -> int:
        """Sessions the item `routine` asks for on `days` (plan days of one week), each day
        by its own version's item (`days` items count their weekdays; `per_week` items
        add `per_week / 7` a day, rounded once for the whole set)."""
        by_days = per_week_days = 0
        for day in days:
            item = self._items[self.number_on(day)].get(routine)
            if item is not None:
                a, b = _demand(item, (day,))
                by_days, per_week_days = by_days + a, per_week_days + b
        return _round_week(by_days, per_week_days)

    def routines(self) -> list[str]:
        """Every item's routine: the current version's in its order, then those only
        earlier versions had (the newest first)."""
        out: list[str] = []
        for version in reversed(self.versions):
            out.extend(i.routine for i in version.plan.items if i.routine not in out)
        return out

    def span(self) -> tuple[date, date]:
        return min(v.plan.starts for v in self.versions), max(v.plan.ends for v in self.versions)

    def weeks(self) -> list[tuple[date, list[date]]]:
        """(monday, the plan days of that week) of every week with at least one plan day."""
        lo, hi = self.span()
        out = []
        monday = monday_of(lo)
        while monday <= hi:
            days = [d for n in range(7) if self.plan_on(d := monday + timedelta(days=n)) is not None]
            if days:
                out.append((monday, days))
            monday += timedelta(days=7)
        return out


def _versions_of(
    plan: Plan | PlanFacts, versions: Sequence[PlanVersion[Any]] | None
) -> Sequence[PlanVersion[Any]]:
    """`versions`, or `plan` alone as version 1."""
    if versions:
        return versions
    return (PlanVersion(1, plan.starts, "", plan),)


def session_day(started_at: str) -> date | None:
    """The calendar day a session counts for: the date of `started_at` in its own UTC
    offset, or None if the text is not a time (history reading reports those lines; here
    they are just skipped)."""
    try:
        return datetime.fromisoformat(started_at).date()
    except (TypeError, ValueError):
        return None


def plan_sessions(plan_id: str, records: Iterable[SessionLike]) -> list[SessionLike]:
    """The records that carry this plan's id, oldest first."""
    chosen = [r for r in records if r.plan == plan_id]
    chosen.sort(key=lambda r: (session_day(r.started_at) or date.min, r.started_at))
    return chosen


def own_routine_ids(
    plan: Plan | PlanFacts, versions: Sequence[PlanVersion[Any]] | None = None
) -> frozenset[str]:
    """The ids of the plan's own routines, in any of its versions (a `Plan`'s `routines`, a
    `PlanFacts`'s `own_routines`)."""
    out: set[str] = set()
    for p in [plan, *(v.plan for v in versions or ())]:
        own = getattr(p, "own_routines", None)
        out.update(own if own is not None else (r.id for r in getattr(p, "routines", ())))
    return frozenset(out)


def item_key(plan_id: str, routine: str, own: Container[str]) -> str:
    """The item a record of `routine` (the record's routine id) counts for, matched exactly:
    `PLAN/ID` counts for the item ID only when ID is one of the plan's own routines
    (`own`); a bare id counts for the item that names it (a built-in, or a user's routine
    in its place). Any other id, another plan's `OTHER/ID` included, is returned as it is
    and matches no item (items are bare ids).

    Records from before plans had namespaces may name a plan's own routine by its bare id;
    they carry the plan's id (they were started from the plan), so they still count."""
    prefix, slash, inner = routine.partition("/")
    if slash and prefix == plan_id and inner in own:
        return inner
    return routine


def completed_dates(
    plan_id: str, records: Iterable[SessionLike], own: Container[str] = frozenset()
) -> list[tuple[str, date]]:
    """(item routine, local date) of the plan's completed sessions: what counts for
    adherence. `own`: the ids of the plan's own routines (`own_routine_ids`); the routine
    is the item the record counts for (`item_key`)."""
    out = []
    for record in records:
        if record.plan == plan_id and record.completed:
            day = session_day(record.started_at)
            if day is not None:
                out.append((item_key(plan_id, record.routine, own), day))
    return out


def runs_on(plan: Plan | PlanFacts, day: date, versions: Sequence[PlanVersion[Any]] | None = None) -> bool:
    """`day` is one of the plan's days, by the version in force on it (`adherence`'s rules):
    a session on it counts towards the plan's figures."""
    return _Schedule(_versions_of(plan, versions)).plan_on(day) is not None


@dataclass(frozen=True)
class ItemWeek:
    """One item's cell in one week. The cell a report shows is `credited` of `expected`
    (these add up to the week's figures); `done` and `target` are told beside."""

    routine: str
    target: int  # the week's prescription within the plan's dates (0: not an item that week)
    expected: int  # what is due by `today` (see the module's rules)
    done: int  # completed sessions that week up to `today`, extra ones included

    @property
    def credited(self) -> int:
        """Done, up to what is expected: extra sessions earn nothing."""
        return min(self.done, self.expected)

    @property
    def cell_text(self) -> str:
        """The cell of a weekly table: "credited/expected" ("3/4"), or "–" while nothing is
        due. A week's cells add up to its `credited` and `expected`, so to its percentage."""
        return "–" if self.expected == 0 else f"{self.credited}/{self.expected}"


@dataclass(frozen=True)
class WeekAdherence:
    monday: date
    first: date  # the plan's first day in this week
    last: date  # the plan's last day in this week
    state: str  # "past", "current" or "future" relative to today
    items: tuple[ItemWeek, ...]  # one per item of any version (`PlanAdherence.routines` order)
    versions: tuple[int, ...] = (1,)  # the version numbers in force on the week's plan days

    @property
    def split(self) -> bool:
        """A change of version fell inside this week (each version counts for its days)."""
        return len(self.versions) > 1

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


def plan_weeks(plan: Plan | PlanFacts) -> list[tuple[date, date, date]]:
    """(monday, first plan day, last plan day) of every week the plan touches."""
    out = []
    monday = monday_of(plan.starts)
    while monday <= plan.ends:
        out.append((monday, max(monday, plan.starts), min(monday + timedelta(days=6), plan.ends)))
        monday += timedelta(days=7)
    return out


def adherence(
    plan: Plan | PlanFacts,
    records: Iterable[SessionLike],
    today: date,
    versions: Sequence[PlanVersion[Any]] | None = None,
) -> PlanAdherence:
    """The plan's adherence per week and per item, as of the end of `today`.

    `versions` (oldest first, the last being `plan`) makes each day count by the version in
    force on it (the module's rules); without them `plan` is the only version. Sessions after
    `today` are not seen. Items are every routine any version had (the current version's
    first, in its order); a week where an item was not asked for has target 0."""
    schedule = _Schedule(_versions_of(plan, versions))
    done: dict[tuple[date, str], int] = {}
    for routine_id, day in completed_dates(plan.id, records, own_routine_ids(plan, versions)):
        if day <= today and schedule.plan_on(day) is not None:
            key = (monday_of(day), routine_id)
            done[key] = done.get(key, 0) + 1
    routines = schedule.routines()
    weeks = []
    for monday, days in schedule.weeks():
        first, last = days[0], days[-1]
        state = "past" if last < today else ("future" if first > today else "current")
        before_today = [d for d in days if d < today]
        items = []
        for routine in routines:
            target = schedule.prescribed_on(routine, days)
            count = done.get((monday, routine), 0)
            if state == "past":
                expected = target
            elif state == "future":
                expected = 0
            else:
                expected = min(target, max(schedule.prescribed_on(routine, before_today), count))
            items.append(ItemWeek(routine, target, expected, count))
        numbers = tuple(sorted({schedule.number_on(d) for d in days}))
        weeks.append(WeekAdherence(monday, first, last, state, tuple(items), numbers))
    totals = []
    for index, routine in enumerate(routines):
        rows = [w.items[index] for w in weeks]
        totals.append(
            ItemTotal(
                routine=routine,
                target=sum(r.target for r in rows),
                expected=sum(r.expected for r in rows),
                done=sum(r.done for r in rows),
                credited=sum(r.credited for r in rows),
            )
        )
    return PlanAdherence(plan.id, today, tuple(weeks), tuple(totals))


# --- what is due on a day -------------------------------------------------------------------


@dataclass(frozen=True)
class DueItem:
    """One item a plan asks for on a day, and how its week goes (a line of `coach due`)."""

    plan_id: str
    item: PlanItem | ItemFacts
    done_today: int
    done_this_week: int
    target_this_week: int  # the week's prescription, pro-rated to the plan's dates

    @property
    def routine(self) -> str:
        return self.item.routine

    @property
    def is_done(self) -> bool:
        """Today's part is done: a `days` item done today, or a `per_week` week complete."""
        return _done_for_today(self.item.days is not None, self.done_today, self.done_this_week,
                               self.target_this_week)  # fmt: skip


def due_on(
    plan: Plan | PlanFacts,
    day: date,
    sessions: Iterable[tuple[str, date]] = (),
    versions: Sequence[PlanVersion[Any]] | None = None,
) -> list[DueItem]:
    """What `plan` asks for on `day`, as it stood at the end of `day`: the items of the
    version in force that day (its `days` items for that weekday and its `per_week` items),
    each with the completed sessions of that day and of its week up to `day` (Monday to
    Sunday, plan days only; a later session of the same week is not seen). The week's
    target takes each day of the week by its own version (`adherence`'s rules). Empty when
    the plan is not running on `day`. `plan` is the model or the plain
    `coach.library.PlanFacts` of a stored plan (`coach due`); `versions` as `adherence`.

    `sessions` are (routine id, local date) of this plan's completed sessions, as
    `completed_dates` gives them.
    """
    schedule = _Schedule(_versions_of(plan, versions))
    governing = schedule.plan_on(day)
    if governing is None:
        return []
    monday = monday_of(day)
    week_days = [d for n in range(7) if schedule.plan_on(d := monday + timedelta(days=n)) is not None]
    counted = set(week_days)
    done_week: dict[str, int] = {}
    done_today: dict[str, int] = {}
    for routine_id, when in sessions:
        if when in counted and when <= day:
            done_week[routine_id] = done_week.get(routine_id, 0) + 1
            if when == day:
                done_today[routine_id] = done_today.get(routine_id, 0) + 1
    out = []
    for item in governing.items:
        if not scheduled_on(item, day):
            continue
        out.append(
            DueItem(
                plan_id=plan.id,
                item=item,
                done_today=done_today.get(item.routine, 0),
                done_this_week=done_week.get(item.routine, 0),
                target_this_week=schedule.prescribed_on(item.routine, week_days),
            )
        )
    return out


# --- the app's plan views -------------------------------------------------------------------


@dataclass(frozen=True)
class ItemView:
    """One plan item as the app shows it: its routine, schedule, and this week's figures."""

    plan_id: str
    routine: str
    title: str
    seconds: float | None  # None: the routine is not in the library (cannot be started)
    schedule: str  # "5 times a week", "Mon, Wed, Fri"
    by_days: bool  # named weekdays (else a number of sessions a week)
    note: str  # the therapist's note for the client
    due_today: bool  # the plan asks for it today (and the plan is running)
    done_today: int
    done_this_week: int
    target_this_week: int

    @property
    def available(self) -> bool:
        return self.seconds is not None

    @property
    def is_done(self) -> bool:
        """Today's part is done: a `days` item done today, a `per_week` item's week complete."""
        return _done_for_today(self.by_days, self.done_today, self.done_this_week, self.target_this_week)

    @property
    def week_text(self) -> str:
        return f"{self.done_this_week} of {self.target_this_week} this week"


@dataclass(frozen=True)
class PlanView:
    """One plan as the app shows it on `today`: status, adherence, this week, its items."""

    plan: Plan
    status: str  # upcoming / active / ended, on `today`
    adherence: PlanAdherence
    week: WeekAdherence | None  # this week's row, while the plan runs
    items: tuple[ItemView, ...]
    versions: tuple[PlanVersion[Any], ...] = ()  # every stored version, oldest first (the app shows them)

    @property
    def share_text(self) -> str:
        share = self.adherence.share
        if share is None:
            return "nothing due yet"
        return f"{share * 100:.0f} % ({self.adherence.credited} of {self.adherence.expected} so far)"

    @property
    def week_text(self) -> str:
        if self.week is None:
            return ""
        return f"this week {self.week.done} of {self.week.target}"


@dataclass
class PlansData:
    """What the app's plan views show on `today`: the views, the problems met reading the
    stored plans (one line each), or the one error that stopped the reading."""

    today: date
    views: list[PlanView] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    error: str | None = None


def plan_views(
    plans: Iterable[Plan],
    records: Iterable[SessionLike],
    today: date,
    infos: Mapping[str, RoutineInfo],
    versions: Mapping[str, Sequence[PlanVersion[Any]]] | None = None,
) -> list[PlanView]:
    """Every plan (running ones first, then upcoming, then ended; by start date, then id)
    with its items as of `today`. `infos` maps routine ids to the library's routines (for
    titles and lengths); an item whose routine is missing shows its id and no length.
    `versions` maps plan ids to their versions (`adherence`); a plan missing there is its
    only version."""
    records = list(records)
    known = versions or {}
    views = [_view(plan, records, today, infos, known.get(plan.id)) for plan in plans]
    order = {"active": 0, "upcoming": 1, "ended": 2}
    views.sort(key=lambda v: (order[v.status], v.plan.starts, v.plan.id))
    return views


def _view(
    plan: Plan,
    records: list[SessionLike],
    today: date,
    infos: Mapping[str, RoutineInfo],
    versions: Sequence[PlanVersion[Any]] | None = None,
) -> PlanView:
    a = adherence(plan, records, today, versions)
    week = a.week_of(today)
    sessions = completed_dates(plan.id, records, own_routine_ids(plan, versions))
    due = {d.routine: d for d in due_on(plan, today, sessions, versions)}
    rows = {row.routine: row for row in week.items} if week is not None else {}
    items = []
    for item in plan.items:
        # PLAN/ID for the plan's own (as coach.library.item_routine_id; not imported: the
        # app's widgets use this module and must not reach the library).
        own = f"{plan.id}/{item.routine}"
        listed = own if own in infos else item.routine
        info = infos.get(listed)
        row = rows.get(item.routine)
        today_item = due.get(item.routine)
        items.append(
            ItemView(
                plan_id=plan.id,
                routine=listed,
                title=info.title if info is not None else item.routine,
                seconds=info.seconds if info is not None else None,
                schedule=item.schedule_text,
                by_days=item.days is not None,
                note=item.note or "",
                due_today=today_item is not None,
                done_today=today_item.done_today if today_item is not None else 0,
                done_this_week=row.done if row is not None else 0,
                target_this_week=row.target if row is not None else 0,
            )
        )
    return PlanView(plan, plan.status(today), a, week, tuple(items), tuple(_versions_of(plan, versions)))


def due_today(views: Iterable[PlanView]) -> list[ItemView]:
    """The items the running plans ask for today, in plan order."""
    return [item for view in views if view.status == "active" for item in view.items if item.due_today]
