"""A therapist's plan for the tests: the worked example, a plan as a dict, and history records
stamped on chosen dates (time-machine sets the clock the records are stamped with)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

from coach.library import builtin_routine_ids
from coach.plan import Plan, parse_plan
from coach.records import SessionRecord, new_record, timestamp
from tests.helpers.command import ROOT

EXAMPLE = ROOT / "routines" / "examples" / "desk-neck-plan.json"
SCHEMA = ROOT / "routines" / "plan.schema.json"

OWN_ROUTINE: dict[str, Any] = {
    "format": 1,
    "id": "kim-breathing",
    "title": "Kim's evening breaths",
    "steps": [{"type": "breathing", "title": "Slow breaths", "pattern": "coherent", "cycles": 6}],
}
BASE: dict[str, Any] = {
    "format": 1,
    "id": "kim-2026",
    "client": "Kim",
    "therapist": {"name": "Jo Park", "contact": "jo@example.com"},
    "starts": "2026-11-26",
    "ends": "2026-12-16",
    "routines": [OWN_ROUTINE],
    "items": [
        {"routine": "neck-and-shoulders", "per_week": 5},
        {"routine": "kim-breathing", "days": ["mon", "thu"], "note": "Before bed."},
    ],
}


def text_of(obj: dict[str, Any]) -> bytes:
    return json.dumps(obj, indent=2, ensure_ascii=False).encode()


PLAN_ID = "kim-2026"  # Thu 26 Nov 2026 to Wed 16 Dec 2026
# A named zone, so time-machine also moves the local time zone: records carry +01:00.
PARIS = ZoneInfo("Europe/Paris")


def the_plan() -> Plan:
    return parse_plan(text_of(BASE), "plan.json", builtin_routine_ids())


def session(
    routine: str,
    when: datetime | None = None,
    *,
    plan: str | None = PLAN_ID,
    completed: bool = True,
    pre: int | None = None,
    post: int | None = None,
    note: str = "",
    gentler: int = 0,
    seconds: float = 300.0,
) -> SessionRecord:
    """A history record stamped with `when`, or with the (travelled) clock's now."""
    started = timestamp(when)
    ended = timestamp((when or datetime.now().astimezone()) + timedelta(seconds=seconds))
    return new_record(
        routine=routine,
        routine_title=routine.replace("-", " ").capitalize(),
        routine_hash="sha256:0",
        started_at=started,
        ended_at=ended,
        planned_seconds=int(seconds),
        active_seconds=seconds,
        completed=completed,
        steps_done=5 if completed else 2,
        steps_total=5,
        pre=pre,
        post=post,
        plan=plan,
        note=note,
        gentler=gentler,
    )


def recorded_on(day: date, hour: int, routine: str, **kwargs: object) -> SessionRecord:
    """Record a session as the program would at that moment: clock travelled there."""
    with time_machine.travel(datetime(day.year, day.month, day.day, hour, 5, tzinfo=PARIS), tick=False):
        return session(routine, **kwargs)  # type: ignore[arg-type]
