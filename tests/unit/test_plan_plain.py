"""`coach.plan_plain`: the plain plan a warm `plan report` / `plan handout` reads gives
byte for byte the output of the model it was made from."""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from typing import Any

import pytest

from coach.plan import Plan
from coach.plan_plain import PlainPlan, plain_plan_from_json, plain_plan_json, plain_plan_ok
from coach.plan_versions import PlanVersion, plan_changes
from coach.report import build_report, render
from coach.report.handout import plan_handout
from tests.helpers.report_plans import BUILT_IN, CHANGED, PLAN, TODAY, history, parse, plan_v2_dict, versions


def _plain(plan: Plan) -> PlainPlan:
    info = json.loads(json.dumps(plain_plan_json(plan)))  # as read back from the cache file
    assert plain_plan_ok(info)
    return plain_plan_from_json(info)


def _v3() -> dict[str, Any]:
    """Every other kind of change: own routine, pain, note, client, therapist, days."""
    v3 = copy.deepcopy(plan_v2_dict())
    v3["routines"][0]["title"] = "Upper back on the ball"
    del v3["pain"]
    v3["note"] = None
    v3["client"] = "Alex B."
    v3["therapist"] = {"name": "Dr. Lee", "contact": "clinic, 555-0100"}
    v3["items"][1]["days"] = ["fri", "mon"]
    v3["x-source"] = "clinic export"
    return v3


def _model_versions() -> tuple[PlanVersion[Plan], ...]:
    v3 = PlanVersion(3, CHANGED + timedelta(weeks=2), "", parse(_v3()))
    return (*versions(), v3)


def test_plan_changes_are_the_same() -> None:
    model = _model_versions()
    plain = tuple(PlanVersion(v.number, v.effective, v.imported_at, _plain(v.plan)) for v in model)
    assert plan_changes(plain) == plan_changes(model)
    kinds = {c.kind for c in plan_changes(model)}
    assert {"own routine", "pain", "note", "client", "therapist", "days", "per_week"} <= kinds


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "json"])
def test_every_report_format_is_byte_identical(fmt: str) -> None:
    model = _model_versions()
    plain = tuple(PlanVersion(v.number, v.effective, v.imported_at, _plain(v.plan)) for v in model)
    titles = {r: r.replace("-", " ").capitalize() for r in BUILT_IN}
    today = TODAY + timedelta(weeks=3)
    expected = render(build_report(model[-1].plan, history(), today, titles, model), fmt)
    got = render(build_report(plain[-1].plan, history(), today, titles, plain), fmt)
    assert got == expected


def test_the_handout_and_the_plan_facts_are_the_same() -> None:
    for obj in (PLAN, _v3()):
        model = parse(obj)
        plain = _plain(model)
        assert plan_handout(plain, []) == plan_handout(model, [])
        assert [i.schedule_text for i in plain.items] == [i.schedule_text for i in model.items]
        assert (plain.length_days, plain.status(TODAY), plain.is_active(TODAY)) == (
            model.length_days, model.status(TODAY), model.is_active(TODAY))


def test_a_cache_entry_of_the_wrong_shape_is_not_trusted() -> None:
    good = json.loads(json.dumps(plain_plan_json(parse(PLAN))))
    assert plain_plan_ok(good)
    bad: list[dict[str, Any]] = [copy.deepcopy(good) for _ in range(6)]
    bad[0]["starts"] = "2027-02-30"
    bad[1]["items"] = []
    bad[2]["items"][0]["days"] = ["mon"]  # per_week and days both
    bad[3]["therapist"] = {"name": 3, "contact": None}
    bad[4]["routines"] = [{"id": "x"}]
    del bad[5]["note"]
    assert not any(plain_plan_ok(b) for b in bad)
