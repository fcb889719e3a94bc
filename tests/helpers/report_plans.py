"""A long plan for report and handout tests: 16 weeks, 7 items, two versions, a pain rating,
and a history with every kind of session the report flags (stopped, partly done, "too
much", pain that rose, a note that answers the therapist's note). Deterministic: no clock."""

from __future__ import annotations

import copy
from datetime import date, datetime, timedelta
from typing import Any

from coach.library import builtin_routine_ids
from coach.plan import Plan, parse_plan
from coach.plan_versions import PlanVersion
from coach.records import SessionRecord, new_record
from coach.report import PlanReport, build_report
from tests.helpers.plans import text_of

LONG_ID = "alex-rehab-spring-programme-2027"
START = date(2027, 1, 4)  # a Monday
END = START + timedelta(weeks=16, days=-1)
TODAY = START + timedelta(weeks=11, days=2)  # mid-plan: past, current and future weeks
CHANGED = START + timedelta(weeks=5, days=2)  # version 2 from a Wednesday

OWN: dict[str, Any] = {
    "format": 1,
    "id": "alex-upper-back-ball-against-the-wall",
    "title": "Upper back on the ball, against the wall, slowly and with long pauses",
    "summary": "The spot between the shoulder blades, with a soft ball.",
    "areas": ["upper-back"],
    "cautions": ["Keep the ball off the spine itself."],
    "stop_if": ["Tingling or numbness runs into the arm or hand."],
    "steps": [
        {"type": "massage", "title": "Roll the left side", "instruction": "Lean into the ball, roll slowly.",
         "seconds": 40, "area": "upper-back", "side": "left", "pressure": "light",
         "gentler": "Stand further from the wall."},
        {"type": "massage", "title": "Hold the tender spot", "instruction": "Lean in, hold, then ease off.",
         "reps": {"count": 3, "hold": 8, "release": 4}, "area": "upper-back", "side": "each",
         "pressure": "firm"},
        {"type": "breathing", "title": "Long exhales", "pattern": "extended-exhale", "cycles": 5},
        {"type": "rest", "title": "Notice the difference", "seconds": 20},
    ],
}  # fmt: skip

BUILT_IN = [
    "neck-and-shoulders",
    "progressive-muscle-relaxation",
    "shoulder-blades-ball",
    "thumbs-wrists-hands",
    "coherent-breathing",
    "chest-and-upper-back",
]

PLAN: dict[str, Any] = {
    "format": 1,
    "id": LONG_ID,
    "client": "Alex Q. Longname-Withdoublebarrel",
    "therapist": {"name": "Jo Park", "contact": "jo.park@physio-clinic-with-a-long-domain.example"},
    "starts": START.isoformat(),
    "ends": END.isoformat(),
    "note": "Little and often. Stop and tell me if you feel tingling or numbness in the arm or hand.",
    "pain": {"area": "neck"},
    "routines": [OWN],
    "items": [
        {"routine": BUILT_IN[0], "per_week": 4, "note": "After lunch, at the desk."},
        {"routine": BUILT_IN[1], "days": ["mon", "wed", "fri"], "note": "Before bed."},
        {"routine": BUILT_IN[2], "per_week": 2},
        {"routine": BUILT_IN[3], "per_week": 3, "note": "Between long typing sessions."},
        {"routine": BUILT_IN[4], "days": ["tue", "thu", "sat", "sun"]},
        {"routine": BUILT_IN[5], "per_week": 1},
        {"routine": OWN["id"], "days": ["mon", "thu"], "note": "Softer ball at first."},
    ],
}


def plan_v2_dict() -> dict[str, Any]:
    """The re-imported plan: neck-and-shoulders 4 → 5 a week, chest-and-upper-back removed."""
    v2 = copy.deepcopy(PLAN)
    v2["items"][0]["per_week"] = 5
    v2["items"] = [i for i in v2["items"] if i["routine"] != BUILT_IN[5]]
    return v2


def parse(obj: dict[str, Any]) -> Plan:
    return parse_plan(text_of(obj), "plan.json", builtin_routine_ids())


def versions() -> tuple[PlanVersion[Plan], ...]:
    return (
        PlanVersion(1, START - timedelta(days=3), f"{START - timedelta(days=3)}T10:00:00+01:00", parse(PLAN)),
        PlanVersion(2, CHANGED, f"{CHANGED}T09:30:00+01:00", parse(plan_v2_dict())),
    )


def _record(day: date, routine: str, n: int, **kw: Any) -> SessionRecord:
    started = datetime(day.year, day.month, day.day, 8 + n % 12, 5).astimezone()
    seconds = kw.pop("seconds", 300.0)
    completed = kw.pop("completed", True)
    return new_record(
        routine=routine,
        routine_title=OWN["title"] if "/" in routine else routine.replace("-", " ").capitalize(),
        routine_hash="sha256:0",
        started_at=started.isoformat(timespec="seconds"),
        ended_at=(started + timedelta(seconds=seconds)).isoformat(timespec="seconds"),
        planned_seconds=300,
        active_seconds=seconds,
        completed=completed,
        steps_done=kw.pop("steps_done", 6 if completed else 2),
        steps_total=6,
        plan=LONG_ID,
        **kw,
    )


def history() -> list[SessionRecord]:
    """About 3 sessions a week up to TODAY, rated, with a few of every flagged kind."""
    out = []
    n = 0
    day = START
    while day <= TODAY:
        routine = ([*BUILT_IN, f"{LONG_ID}/{OWN['id']}"])[n % 7]
        kw: dict[str, Any] = {"pre": 6 - n % 4, "post": 3 - n % 3, "pain_area": "neck", "pain_pre": 3,
                              "pain_post": 2}  # fmt: skip
        if n == 4:
            press = {"step": 2, "title": "Hold the tender spot", "at": 62.5, "choice": "end"}
            kw.update(note="Stopped: tingling in right hand", completed=False, seconds=90.0)
            kw.update(discomfort=[press])
        if n == 9:
            kw.update(pain_pre=2, pain_post=5, note="Neck sore afterwards.")
        if n == 13:
            kw.update(completed=False, ran_to_end=True, seconds=200.0)
        if n == 17:
            kw.update(discomfort=[{"step": 1, "title": "Knead", "at": 20, "choice": "gentler"}])
        out.append(_record(day, routine, n, **kw))
        n += 1
        day += timedelta(days=2 if n % 3 else 3)
    return out


def long_report(today: date = TODAY) -> PlanReport:
    """The report of the 16-week, 7-item plan with its two versions, as of `today`."""
    vs = versions()
    titles = {r: r.replace("-", " ").capitalize() for r in BUILT_IN}
    return build_report(vs[-1].plan, history(), today, titles, vs)
