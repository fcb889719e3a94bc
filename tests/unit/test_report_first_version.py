"""Version 1 of a plan is in force from the plan's start, however late it was imported.

A therapist tester's finding: a plan imported after its start listed version 1 as
"effective" on its import day, though it governed the weeks from the start.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from coach.plan_versions import PlanVersion
from coach.report import build_report, to_csv, to_json, to_markdown
from tests.helpers.report_plans import CHANGED, PLAN, START, TODAY, history, parse, plan_v2_dict

LATE = START + timedelta(days=9)  # imported on the second week's Wednesday


def _report():  # type: ignore[no-untyped-def]
    versions = (
        PlanVersion(1, LATE, f"{LATE}T10:00:00+01:00", parse(PLAN)),
        PlanVersion(2, CHANGED, f"{CHANGED}T09:30:00+01:00", parse(plan_v2_dict())),
    )
    return build_report(versions[-1].plan, history(), TODAY, None, versions)


def test_version_1_is_in_force_from_the_plans_start_in_every_format() -> None:
    r = _report()
    assert r.in_force_from(r.versions[0]) == START and r.in_force_from(r.versions[1]) == CHANGED
    md_text = to_markdown(r)
    assert (
        "Version 1, in force from Mon 4 Jan 2027 (the plan's start; first imported on Wed 13 Jan 2027)"
        in md_text
    )
    rows = [row for row in csv.reader(io.StringIO(to_csv(r))) if row and row[0] == "version"]
    assert [row[1:3] for row in rows] == [["1", START.isoformat()], ["2", CHANGED.isoformat()]]
    data = json.loads(to_json(r))
    assert [v["effective"] for v in data["versions"]] == [START.isoformat(), CHANGED.isoformat()]
    assert data["versions"][0]["imported_at"].startswith(LATE.isoformat())  # the import day stays


def test_the_figures_do_not_depend_on_version_1s_import_day() -> None:
    """Adherence already counts version 1 from the start: only the words changed."""
    late = _report()
    on_time = build_report(
        late.plan,
        history(),
        TODAY,
        None,
        (PlanVersion(1, START, "", late.versions[0].plan), late.versions[1]),
    )
    assert late.adherence == on_time.adherence
    assert late.adherence.weeks[0].versions == (1,) and late.adherence.weeks[0].expected > 0
