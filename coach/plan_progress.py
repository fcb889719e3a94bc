"""How each stored plan is going, and what it asks for today: the figures the app shows.

No Textual here: the app calls `plan_views` from a worker thread and only lays the result
out. Dates and records are arguments, so tests choose them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from coach.adherence import PlanAdherence, SessionLike, WeekAdherence, adherence, completed_dates
from coach.plan import Plan, due_on
from coach.plan_store import list_plans

if TYPE_CHECKING:
    from coach.library import RoutineInfo


@dataclass(frozen=True)
class ItemView:
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
        if self.by_days:
            return self.done_today >= 1
        return self.done_this_week >= self.target_this_week

    @property
    def week_text(self) -> str:
        return f"{self.done_this_week} of {self.target_this_week} this week"


@dataclass(frozen=True)
class PlanView:
    plan: Plan
    status: str  # upcoming / active / ended, on `today`
    adherence: PlanAdherence
    week: WeekAdherence | None  # this week's row, while the plan runs
    items: tuple[ItemView, ...]

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


def plan_views(
    folder: Path,
    records: Iterable[SessionLike],
    today: date,
    infos: Mapping[str, RoutineInfo],
) -> tuple[list[PlanView], list[str]]:
    """Every stored plan (running ones first, then upcoming, then ended) with its items, and
    the problems met reading the plans folder."""
    stored, problems = list_plans(folder)
    records = list(records)
    views = [_view(entry.plan, records, today, infos) for entry in stored]
    order = {"active": 0, "upcoming": 1, "ended": 2}
    views.sort(key=lambda v: (order[v.status], v.plan.starts, v.plan.id))
    return views, problems


def _view(plan: Plan, records: list[SessionLike], today: date, infos: Mapping[str, RoutineInfo]) -> PlanView:
    a = adherence(plan, records, today)
    week = a.week_of(today)
    due = {d.routine: d for d in due_on(plan, today, completed_dates(plan.id, records))}
    items = []
    for index, item in enumerate(plan.items):
        info = infos.get(item.routine)
        row = week.items[index] if week is not None else None
        today_item = due.get(item.routine)
        items.append(
            ItemView(
                plan_id=plan.id,
                routine=item.routine,
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
    return PlanView(plan, plan.status(today), a, week, tuple(items))


def due_today(views: Iterable[PlanView]) -> list[ItemView]:
    """The items the running plans ask for today, in plan order."""
    return [item for view in views if view.status == "active" for item in view.items if item.due_today]
