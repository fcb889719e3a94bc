"""A plan's report as figures: the plan, adherence as of a day, and its sessions.

`build_report` is pure (plan, records and an injected `today`); the renderers beside this
module (markdown, html, csv, json) only lay the figures out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from coach.adherence import PlanAdherence, adherence, plan_sessions
from coach.rating import Outcome, classify, is_responder, outcome

if TYPE_CHECKING:
    from coach.adherence import SessionLike
    from coach.plan import Plan


@dataclass(frozen=True)
class SessionRow:
    started: datetime  # aware, in the session's own offset
    routine: str
    title: str
    minutes: float
    completed: bool
    outcome: Outcome  # "completed", "partly done" (ran to the end, < 80 % practised), "stopped"
    pre: int | None
    post: int | None
    note: str
    gentler: int

    @property
    def change(self) -> int | None:
        if self.pre is None or self.post is None:
            return None
        return self.post - self.pre

    @property
    def responder(self) -> bool:
        """A noticeable or large drop (coach.rating)."""
        return is_responder(self.pre, self.post)

    @property
    def meaning(self) -> str:
        """The change's class in words ("a noticeable drop"), or "" without both ratings."""
        found = classify(self.pre, self.post)
        return "" if found is None else found.value


@dataclass(frozen=True)
class PlanReport:
    plan: Plan
    today: date
    adherence: PlanAdherence
    sessions: tuple[SessionRow, ...]
    titles: dict[str, str]

    def title_of(self, routine_id: str) -> str:
        return self.titles.get(routine_id, routine_id)

    @property
    def rated(self) -> list[SessionRow]:
        """Sessions with both ratings: the ones a change can be computed for."""
        return [s for s in self.sessions if s.change is not None]

    @property
    def rated_completed(self) -> list[SessionRow]:
        """Completed sessions with both ratings: the base of every change figure (a partly
        done or stopped session is not counted, as in `coach stats`)."""
        return [s for s in self.sessions if s.completed and s.change is not None]

    @property
    def change_spread(self) -> tuple[float, float, float] | None:
        """(first quartile, median, third quartile) of the change over rated completed
        sessions, in points (coach.stats.quartiles: the inclusive method); None if none."""
        from coach.stats import quartiles

        histogram = [0] * 21
        for s in self.rated_completed:
            assert s.change is not None
            histogram[s.change + 10] += 1
        return quartiles(histogram)

    @property
    def median_change(self) -> float | None:
        spread = self.change_spread
        return None if spread is None else spread[1]

    @property
    def responders(self) -> int:
        """Rated completed sessions with a noticeable or large drop."""
        return sum(1 for s in self.rated_completed if s.responder)

    @property
    def responder_rate(self) -> float | None:
        rated = len(self.rated_completed)
        return self.responders / rated if rated else None

    @property
    def notes(self) -> list[SessionRow]:
        return [s for s in self.sessions if s.note.strip()]


def _row(record: SessionLike) -> SessionRow | None:
    try:
        started = datetime.fromisoformat(record.started_at)
    except (TypeError, ValueError):
        return None
    return SessionRow(
        started=started,
        routine=record.routine,
        title=getattr(record, "routine_title", "") or record.routine,
        minutes=float(getattr(record, "active_seconds", 0.0)) / 60,
        completed=bool(record.completed),
        outcome=outcome(record),
        pre=getattr(record, "pre", None),
        post=getattr(record, "post", None),
        note=getattr(record, "note", "") or "",
        gentler=int(getattr(record, "gentler", 0) or 0),
    )


def build_report(
    plan: Plan, records: Iterable[SessionLike], today: date, titles: dict[str, str] | None = None
) -> PlanReport:
    """Every session that carries the plan's id (whatever its date), and adherence as of
    `today`. `titles` maps routine ids to titles; the plan's own routines are added."""
    records = list(records)
    names = dict(titles or {})
    names.update({r.id: r.title for r in plan.routines})
    rows = [row for r in plan_sessions(plan.id, records) if (row := _row(r)) is not None]
    rows.sort(key=lambda s: s.started)
    return PlanReport(plan, today, adherence(plan, records, today), tuple(rows), names)
