"""Any plan file gives a plan or located problems, never a crash; any valid plan can be
scheduled, measured and reported."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.adherence import adherence, due_on
from coach.plan import parse_plan
from coach.records import new_record
from coach.report import build_report, to_csv, to_html, to_markdown
from coach.validation import InvalidDocument
from tests.helpers.plans import BASE, text_of

BUILTINS = frozenset({"neck-and-shoulders", "box-breathing"})
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.sampled_from(["2026-12-01", "9999-12-31", "0001-01-01", "mon", "kim-breathing"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
PATHS: list[tuple[Any, ...]] = [
    ("format",),
    ("id",),
    ("client",),
    ("therapist",),
    ("therapist", "name"),
    ("starts",),
    ("ends",),
    ("note",),
    ("routines",),
    ("routines", 0, "id"),
    ("routines", 0, "steps"),
    ("items",),
    ("items", 0),
    ("items", 0, "routine"),
    ("items", 0, "per_week"),
    ("items", 1, "days"),
    ("items", 1, "days", 0),
    ("items", 1, "note"),
    ("x-anything",),
    ("unknown",),
]


def put(obj: Any, path: tuple[Any, ...], value: Any) -> None:
    for part in path[:-1]:
        obj = obj[part]
    obj[path[-1]] = value


def exercise(plan: Any) -> None:
    day = plan.starts
    record = new_record(
        routine=plan.items[0].routine,
        routine_title="x",
        routine_hash="sha256:0",
        started_at=f"{day.isoformat()}T12:00:00+01:00",
        ended_at=f"{day.isoformat()}T12:05:00+01:00",
        planned_seconds=300,
        active_seconds=300.0,
        completed=True,
        steps_done=1,
        steps_total=1,
        pre=5,
        post=3,
        plan=plan.id,
    )
    for today in (plan.starts - timedelta(days=1), plan.starts, plan.ends, plan.ends + timedelta(days=1)):
        adherence(plan, [record], today)
        due_on(plan, today, [(record.routine, day)])
        report = build_report(plan, [record], today)
        to_markdown(report), to_html(report), to_csv(report)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATHS), json_values), min_size=1, max_size=3))
def test_mutated_plans_never_crash(changes: list[tuple[tuple[Any, ...], Any]]) -> None:
    obj = copy.deepcopy(BASE)
    for path, value in changes:
        try:
            put(obj, path, value)
        except (KeyError, IndexError, TypeError):
            continue
    try:
        plan = parse_plan(text_of(obj), "fuzz.json", builtin_ids=BUILTINS)
    except InvalidDocument as exc:
        assert exc.problems and all(str(p).startswith("fuzz.json:") for p in exc.problems)
        return
    exercise(plan)


@settings(max_examples=100, deadline=None)
@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2198, 12, 31)),
    st.integers(0, 365),
    st.sampled_from([{"per_week": 1}, {"per_week": 21}, {"days": ["sun"]}, {"days": ["mon", "sat"]}]),
)
def test_any_valid_period_can_be_measured(starts: date, length: int, how: dict[str, Any]) -> None:
    obj = {
        **copy.deepcopy(BASE),
        "starts": starts.isoformat(),
        "ends": (starts + timedelta(days=length)).isoformat(),
        "items": [{"routine": "neck-and-shoulders", **how}],
    }
    plan = parse_plan(json.dumps(obj).encode(), "p.json", builtin_ids=BUILTINS)
    a = adherence(plan, [], plan.ends + timedelta(days=1))
    # Pro-rating keeps the total close to the plan's own rate.
    per_week = how.get("per_week")
    if per_week is not None:
        exact = per_week * plan.length_days / 7
        assert abs(a.target - exact) <= len(a.weeks) / 2 + 1e-9
    exercise(plan)
