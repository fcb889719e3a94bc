"""A plan's report as figures: the plan, adherence as of a day, and its sessions.

`build_report` is pure (plan, records and an injected `today`); the renderers beside this
module (markdown, html, csv, json) only lay the figures out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from coach.adherence import ItemTotal, PlanAdherence, adherence, plan_sessions
from coach.rating import Outcome, classify, is_responder, outcome

if TYPE_CHECKING:
    from coach.adherence import SessionLike
    from coach.plan import Plan, PlanItem
    from coach.plan_plain import PlainItem, PlainPlan

    # The model, or its plain form read through the validation cache (coach.plan_plain).
    AnyPlan = Plan | PlainPlan
    AnyItem = PlanItem | PlainItem
    from coach.plan_versions import PlanChange, PlanVersion
    from coach.report.attention import Attention


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
    # "Too much" presses: {"step", "title", "at" (seconds into the session), "choice"
    # (gentler, lighter, skip, end or None)}, as the record keeps them (coach.records).
    discomfort: tuple[dict[str, Any], ...] = ()
    pain_area: str | None = None  # the area a plan's pain rating was about
    pain_pre: int | None = None  # pain before and after, 0 (none) to 10 (worst imaginable)
    pain_post: int | None = None
    steps_done: int | None = None
    steps_total: int | None = None
    planned_minutes: float | None = None

    @property
    def pain_change(self) -> int | None:
        """Pain after minus pain before, in points; None without both."""
        if self.pain_pre is None or self.pain_post is None:
            return None
        return self.pain_post - self.pain_pre

    @property
    def pain_rose(self) -> bool:
        """Pain rose noticeably: DESIGN's rule for a rise (coach.rating: Δ ≥ +2 and, from
        a pain above 0, Δ at least 30 % of the pain before). A rise of one point, or from
        8 to 10, is not flagged; False without both ratings (or with one out of 0-10)."""
        from coach.rating import Change

        try:
            return classify(self.pain_pre, self.pain_post) is Change.NOTICEABLE_RISE
        except ValueError:  # a rating outside 0-10 in a hand-edited history: not judged
            return False

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
    plan: AnyPlan
    today: date
    adherence: PlanAdherence
    sessions: tuple[SessionRow, ...]
    titles: dict[str, str]
    versions: tuple[PlanVersion[AnyPlan], ...] = ()  # every version, oldest first (may be empty)
    # The "stop if" lines of the routines the plan's items use (any version): what the
    # attention list watches notes for, beside the plan's note (coach.report.attention).
    stop_if: tuple[str, ...] = ()

    def title_of(self, routine_id: str) -> str:
        return self.titles.get(routine_id, routine_id)

    def in_force_from(self, version: PlanVersion[AnyPlan]) -> date:
        """The first day `version` governs: the plan's start for the first version (it
        governs every day before the next one, `coach.plan_versions.version_on`, however
        late it was imported), else the day it was imported (`effective`). What the
        report's version list, CSV and JSON say; adherence reads the same rule."""
        if self.versions and version is self.versions[0]:
            return version.plan.starts
        return version.effective

    @property
    def pain_area(self) -> str | None:
        """The area whose pain the plan asks about (any version), else the area of any
        session with a pain rating, else None: the report then shows no pain column."""
        for plan in [self.plan, *(v.plan for v in reversed(self.versions))]:
            pain = getattr(plan, "pain", None)
            if pain is not None:
                return str(pain.area)
        for s in self.sessions:
            if s.pain_pre is not None or s.pain_post is not None:
                return s.pain_area or "pain"
        return None

    @property
    def in_period(self) -> list[SessionRow]:
        """The sessions on the plan's days (each day by the version in force on it,
        `coach.adherence.runs_on`) up to the report's day: the ones its figures count from."""
        from coach.adherence import runs_on

        versions = self.versions or None
        days = {s.started.date() for s in self.sessions}
        counted = {d for d in days if d <= self.today and runs_on(self.plan, d, versions)}
        return [s for s in self.sessions if s.started.date() in counted]

    @property
    def changes(self) -> list[PlanChange]:
        """Every change between stored versions, oldest first (coach.plan_versions)."""
        from coach.plan_versions import plan_changes

        return plan_changes(self.versions) if len(self.versions) > 1 else []

    @property
    def pain_rated(self) -> list[SessionRow]:
        """Completed sessions with pain before and after."""
        return [s for s in self.sessions if s.completed and s.pain_change is not None]

    @property
    def pain_rose(self) -> list[SessionRow]:
        """Sessions (any outcome) whose pain rose noticeably (`SessionRow.pain_rose`)."""
        return [s for s in self.sessions if s.pain_rose]

    @property
    def pain_median(self) -> float | None:
        """Median pain change over `pain_rated`, in points; None if there is none."""
        from statistics import median

        found = [s.pain_change for s in self.pain_rated if s.pain_change is not None]
        return float(median(found)) if found else None

    @property
    def attention(self) -> list[Attention]:
        """The "for your attention" list (coach.report.attention), most important first."""
        from coach.report.attention import attention

        return attention(self)

    @property
    def item_totals(self) -> list[tuple[AnyItem, ItemTotal]]:
        """Each item of any version with its totals, in `adherence.items` order (the weekly
        cells' order too): the current version's item, else the latest earlier version's
        (an item a change removed still has its weeks)."""
        items: dict[str, AnyItem] = {}
        for version in self.versions:
            items.update({i.routine: i for i in version.plan.items})
        items.update({i.routine: i for i in self.plan.items})
        return [(items[total.routine], total) for total in self.adherence.items]

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
    planned = getattr(record, "planned_seconds", None)
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
        discomfort=tuple(getattr(record, "discomfort", ()) or ()),
        pain_area=getattr(record, "pain_area", None),
        pain_pre=getattr(record, "pain_pre", None),
        pain_post=getattr(record, "pain_post", None),
        steps_done=getattr(record, "steps_done", None),
        steps_total=getattr(record, "steps_total", None),
        planned_minutes=None if planned is None else float(planned) / 60,
    )


def build_report(
    plan: AnyPlan,
    records: Iterable[SessionLike],
    today: date,
    titles: dict[str, str] | None = None,
    versions: Sequence[PlanVersion[AnyPlan]] | None = None,
    stop_if: Iterable[str] = (),
) -> PlanReport:
    """Every session that carries the plan's id (whatever its date), and adherence as of
    `today`. `titles` maps routine ids to titles; the plan's own routines are added.
    `versions` (oldest first, `coach.plan_store.StoredPlan.all_versions`): each day counts
    by the version in force on it. `stop_if`: the "stop if" lines of the routines the items
    use (the plan's own routines' lines are read from the plan itself)."""
    records = list(records)
    names = dict(titles or {})
    names.update({r.id: r.title for r in plan.routines})
    rows = [row for r in plan_sessions(plan.id, records) if (row := _row(r)) is not None]
    rows.sort(key=lambda s: s.started)
    a = adherence(plan, records, today, versions)
    return PlanReport(plan, today, a, tuple(rows), names, tuple(versions or ()), tuple(stop_if))
