"""Plan versions as data: which version is in force on a day, and what changed from one
version to the next. Pure functions of plans (the models or the plain
`coach.library.PlanFacts`); the files that keep the versions are `coach.plan_version_files`.

The rules (issue 13, DESIGN "Plans"):

- A plan re-imported with other content is a new version, in force from the local date of
  its import (`coach.plan_version_files.record_import`).
- Version 1 is in force on every day before the next version's day; version N > 1 from its
  `effective` day on. Of two versions on one day the later one wins (the earlier is kept,
  and listed, but governs no day).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, Protocol, TypeVar

# --- which version is in force on a day --------------------------------------------------------


class HasEffective(Protocol):
    """What `version_on` reads: a StoredVersion or a PlanVersion."""

    @property
    def number(self) -> int: ...

    @property
    def effective(self) -> date: ...


V = TypeVar("V", bound=HasEffective)
P = TypeVar("P")


def version_on(versions: Sequence[V], day: date) -> V:
    """The version in force on `day`: the latest-numbered one whose `effective` day is not
    after `day`, else the first (version 1 governs every day before the next one).
    `versions` is not empty, oldest first."""
    chosen = versions[0]
    for version in versions[1:]:
        if version.effective <= day:
            chosen = version
    return chosen


@dataclass(frozen=True)
class PlanVersion(Generic[P]):
    """A version with its plan read: a `coach.plan.Plan`, or the plain
    `coach.library.PlanFacts` on the paths that load no models (`coach due`)."""

    number: int
    effective: date
    imported_at: str
    plan: P


# --- what changed ----------------------------------------------------------------------------


class _ItemLike(Protocol):
    routine: str
    per_week: int | None
    note: str | None

    @property
    def days(self) -> Sequence[str] | None: ...


@dataclass(frozen=True)
class PlanChange:
    """One change a version made, for the report: `day` it is in force from, the version
    number, `kind` ("item added", "item removed", "per_week", "days", "schedule" (per_week
    ↔ days), "item note", "dates", "note", "client", "therapist", "own routine", "pain"),
    the item's `routine` (None for the plan's own fields), and the value `before` and
    `after` as plain text ("" where there is none). `description` is one plain English
    line; it is not yet safe for a terminal or a page: the caller escapes it."""

    day: date
    version: int
    kind: str
    routine: str | None
    before: str
    after: str

    @property
    def description(self) -> str:
        """ "from Tue 24 Nov: neck-and-shoulders 4 → 5 a week" and the like."""
        head = f"from {self.day:%a} {self.day.day} {self.day:%b}: "
        r = self.routine or ""
        body = {
            "item added": f"{r} added ({self.after})",
            "item removed": f"{r} removed (was {self.before})",
            "per_week": f"{r} {self.before} → {self.after} a week",
            "days": f"{r} on {self.before} → {self.after}",
            "schedule": f"{r} {self.before} → {self.after}",
            "item note": f"{r}: note changed",
            "dates": f"plan dates {self.before} → {self.after}",
            "note": "the plan's note changed",
            "client": f"client {self.before} → {self.after}",
            "therapist": f"therapist {self.before} → {self.after}",
            "own routine": f"the plan's own routine {r} {self.after}",
            "pain": f"pain rating {self.before or 'none'} → {self.after or 'none'}",
        }.get(self.kind, f"{self.kind} changed")
        return head + body


def _days_text(days: Sequence[str]) -> str:
    return ", ".join(d.capitalize() for d in days)


def schedule_of(item: _ItemLike) -> str:
    """ "4 a week" or "Mon, Wed, Fri": an item's schedule, short."""
    if item.days is not None:
        return _days_text(item.days)
    return f"{item.per_week} a week"


def _plain(value: Any) -> Any:
    """A comparable, printable form of a model or plain value."""
    dump = getattr(value, "model_dump", None)
    return dump(mode="json") if callable(dump) else value


def _own_routines(plan: Any) -> dict[str, Any]:
    return {r.id: _plain(r) for r in (getattr(plan, "routines", None) or [])}


def plan_changes(versions: Sequence[PlanVersion[Any]]) -> list[PlanChange]:
    """Every change from each version to the next, oldest first: items added and removed,
    per_week a → b, days, a switch between the two, item notes, the plan's dates, note,
    client, therapist, pain area and own routines. `versions` oldest first, each `plan` a
    Plan (every kind) or PlanFacts (items and dates only: the fields it has)."""
    out: list[PlanChange] = []
    for old_v, new_v in itertools.pairwise(versions):
        old, new = old_v.plan, new_v.plan

        def add(kind: str, routine: str | None, before: str, after: str, v: PlanVersion[Any] = new_v) -> None:
            out.append(PlanChange(v.effective, v.number, kind, routine, before, after))

        if (old.starts, old.ends) != (new.starts, new.ends):
            add("dates", None, f"{old.starts.isoformat()} to {old.ends.isoformat()}",
                f"{new.starts.isoformat()} to {new.ends.isoformat()}")  # fmt: skip
        before = {i.routine: i for i in old.items}
        after = {i.routine: i for i in new.items}
        for routine, item in before.items():
            if routine not in after:
                add("item removed", routine, schedule_of(item), "")
        for routine, item in after.items():
            was = before.get(routine)
            if was is None:
                add("item added", routine, "", schedule_of(item))
                continue
            if was.per_week is not None and item.per_week is not None:
                if was.per_week != item.per_week:
                    add("per_week", routine, str(was.per_week), str(item.per_week))
            elif was.days is not None and item.days is not None:
                if list(was.days) != list(item.days):
                    add("days", routine, _days_text(was.days), _days_text(item.days))
            else:
                add("schedule", routine, schedule_of(was), schedule_of(item))
            if (was.note or "") != (item.note or ""):
                add("item note", routine, was.note or "", item.note or "")
        for name in ("note", "client"):
            a, b = getattr(old, name, None), getattr(new, name, None)
            if (a or "") != (b or ""):
                add(name, None, a or "", b or "")
        therapist = [getattr(getattr(p, "therapist", None), "name", None) for p in (old, new)]
        if therapist[0] != therapist[1]:
            add("therapist", None, therapist[0] or "", therapist[1] or "")
        pain = [_plain(getattr(p, "pain", None)) for p in (old, new)]
        if pain[0] != pain[1]:
            add("pain", None, _pain_text(pain[0]), _pain_text(pain[1]))
        own_old, own_new = _own_routines(old), _own_routines(new)
        for rid in sorted(own_old.keys() | own_new.keys()):
            if rid not in own_new:
                add("own routine", rid, "", "removed")
            elif rid not in own_old:
                add("own routine", rid, "", "added")
            elif own_old[rid] != own_new[rid]:
                add("own routine", rid, "", "changed")
    return out


def _pain_text(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("area", ""))
    return "" if value is None else str(value)
