"""Plan versions (issue 13): a changed plan re-imported under its id is a new version from the
day of import; weeks already over keep the targets they had; nothing of a version is lost."""

from __future__ import annotations

import copy
import json
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.adherence import adherence, due_on
from coach.errors import CoachError
from coach.library import ValidationCache
from coach.plan_store import import_plan, list_plans, load_plan, remove_plan
from coach.plan_version_files import list_version_facts, versions_path
from coach.plan_versions import plan_changes, version_on
from tests.helpers.plans import BASE, PARIS, recorded_on, text_of

PLAN = "kim-2026"  # Thu 26 Nov 2026 to Wed 16 Dec 2026


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=PARIS)


def plan_with(neck_per_week: int, breathing_days: list[str] | None = None, **changes: Any) -> dict[str, Any]:
    obj = copy.deepcopy(BASE)
    obj["items"][0]["per_week"] = neck_per_week
    if breathing_days is not None:
        obj["items"][1]["days"] = breathing_days
    obj.update(changes)
    return obj


def put(folder: Path, tmp_path: Path, obj: dict[str, Any], when: date, name: str = "plan.json") -> Any:
    source = tmp_path / name
    source.write_bytes(text_of(obj))
    return import_plan(source, folder, now=at(when))


def test_a_done_week_stays_done_after_a_re_import_with_a_higher_target(tmp_path: Path) -> None:
    """The issue's scenario: 4 a week, every week done; 5 a week from Mon 7 Dec."""
    folder = tmp_path / "plans"
    put(folder, tmp_path, plan_with(4), date(2026, 11, 20))
    n, k = "neck-and-shoulders", "kim-breathing"
    days = [date(2026, 11, 26), date(2026, 11, 28)]  # the first, part week asks for 2
    days += [date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 4)]
    records = [recorded_on(d, 12, n) for d in days]
    records += [recorded_on(d, 20, k) for d in (date(2026, 11, 26), date(2026, 11, 30), date(2026, 12, 3))]
    before = adherence(load_plan(folder, PLAN).plan, records, date(2026, 12, 7))
    assert [w.share for w in before.weeks[:2]] == [1.0, 1.0] and before.share == 1.0

    result = put(folder, tmp_path, plan_with(5), date(2026, 12, 7), "v2.json")
    assert not result.unchanged and [v.number for v in result.versions] == [1, 2]
    assert [c.description for c in result.changes] == ["from Mon 7 Dec: neck-and-shoulders 4 → 5 a week"]
    stored = load_plan(folder, PLAN)
    after = adherence(stored.plan, records, date(2026, 12, 7), stored.all_versions)
    w1, w2 = after.weeks[:2]
    assert (w2.items[0].target, w2.items[0].credited, w2.share) == (4, 4, 1.0)  # the old target
    assert (w1.share, after.share) == (1.0, 1.0)
    assert after.weeks[2].items[0].target == 5 and after.weeks[2].versions == (2,)
    # Without its versions the same history reads as the issue saw it: the past rewritten.
    rewritten = adherence(stored.plan, records, date(2026, 12, 7))
    assert rewritten.weeks[1].share is not None and rewritten.weeks[1].share < 1.0


def test_a_week_split_by_a_change_takes_each_version_for_its_own_days(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    put(folder, tmp_path, plan_with(4, ["mon", "thu"]), date(2026, 11, 20))
    put(folder, tmp_path, plan_with(5, ["mon", "wed", "fri"]), date(2026, 12, 10), "v2.json")  # a Thursday
    stored = load_plan(folder, PLAN)
    a = adherence(stored.plan, [], date(2026, 12, 20), stored.all_versions)
    week = a.week_of(date(2026, 12, 10))
    assert week is not None and week.split and week.versions == (1, 2)
    neck, breathing = week.items
    assert neck.target == 5  # round(4 x 3/7 + 5 x 4/7) = round(4.57)
    assert breathing.target == 2  # Mon (version 1); Thu is no longer asked, Fri is (version 2)
    # On the day itself, `due` lists the new version's items with the split week's target.
    thu = {d.routine: d for d in due_on(stored.plan, date(2026, 12, 10), [], stored.all_versions)}
    assert set(thu) == {"neck-and-shoulders"} and thu["neck-and-shoulders"].target_this_week == 5
    wed = {d.routine: d for d in due_on(stored.plan, date(2026, 12, 9), [], stored.all_versions)}
    assert set(wed) == {"neck-and-shoulders"}  # Wednesday was not a breathing day in version 1


def test_the_same_content_is_no_new_version(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    put(folder, tmp_path, BASE, date(2026, 11, 20))
    files = [folder / f"{PLAN}.json", versions_path(folder, PLAN)]
    stamps = [p.stat().st_mtime_ns for p in files]
    contents = [p.read_bytes() for p in files]
    # Other spacing and key order: the same canonical JSON.
    same = tmp_path / "same.json"
    same.write_text(json.dumps(BASE, sort_keys=True, separators=(",", ":")), "utf-8")
    again = import_plan(same, folder, now=at(date(2026, 12, 1)))
    assert again.unchanged and again.replaced is None and again.changes == []
    assert [v.number for v in again.versions] == [1]
    assert [p.stat().st_mtime_ns for p in files] == stamps and [p.read_bytes() for p in files] == contents


def test_every_version_is_kept_listed_and_removed_together(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    v2 = plan_with(5, note="Little and often.")
    v2["items"].append({"routine": "feet-ball", "days": ["sat"]})
    v3 = copy.deepcopy(v2)
    v3["items"] = [i for i in v3["items"] if i["routine"] != "kim-breathing"]
    v3["ends"] = "2026-12-23"
    put(folder, tmp_path, BASE, date(2026, 11, 20))
    put(folder, tmp_path, v2, date(2026, 11, 24), "v2.json")
    put(folder, tmp_path, v3, date(2026, 12, 2), "v3.json")
    stored = load_plan(folder, PLAN)
    assert [(v.number, v.effective) for v in stored.versions] == [
        (1, date(2026, 11, 20)), (2, date(2026, 11, 24)), (3, date(2026, 12, 2))
    ]  # fmt: skip
    assert [v.plan.items[0].per_week for v in stored.versions] == [5, 5, 5]
    assert [len(v.plan.items) for v in stored.versions] == [2, 3, 2]
    assert stored.versions[0].imported_at.startswith("2026-11-20T09:00:00")
    # The earlier files, byte for byte.
    recorded = json.loads(versions_path(folder, PLAN).read_text("ascii"))["versions"]
    assert [e["text"].encode() for e in recorded] == [text_of(BASE), text_of(v2), text_of(v3)]
    assert [c.description for c in stored.changes] == [
        "from Tue 24 Nov: feet-ball added (Sat)",
        "from Tue 24 Nov: the plan's note changed",
        "from Wed 2 Dec: plan dates 2026-11-26 to 2026-12-16 → 2026-11-26 to 2026-12-23",
        "from Wed 2 Dec: kim-breathing removed (was Mon, Thu)",
    ]
    (listed,), problems = list_plans(folder)
    assert problems == [] and len(listed.versions) == 3 and listed.plan.ends == date(2026, 12, 23)
    # The version in force: version 1 before the second's day, then each from its own day.
    assert [version_on(stored.versions, d).number for d in
            (date(2026, 1, 1), date(2026, 11, 23), date(2026, 11, 24), date(2026, 12, 1), date(2026, 12, 2))
            ] == [1, 1, 2, 2, 3]  # fmt: skip
    remove_plan(folder, PLAN)
    assert not (folder / f"{PLAN}.json").exists() and not versions_path(folder, PLAN).exists()


def test_two_versions_on_one_day_the_later_governs(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    put(folder, tmp_path, plan_with(3), date(2026, 11, 20))
    put(folder, tmp_path, plan_with(4), date(2026, 11, 20), "b.json")
    stored = load_plan(folder, PLAN)
    assert len(stored.versions) == 2 and version_on(stored.versions, date(2026, 11, 26)).number == 2


def test_a_store_from_before_versions_reads_as_one_version_and_is_kept(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir(mode=0o700)
    legacy = folder / f"{PLAN}.json"
    legacy.write_bytes(text_of(plan_with(4)))
    stamp = at(date(2026, 11, 21)).timestamp()
    os.utime(legacy, (stamp, stamp))
    (only,), problems = list_plans(folder)
    assert problems == [] and [(v.number, v.effective) for v in only.versions] == [(1, date(2026, 11, 21))]
    result = put(folder, tmp_path, plan_with(5), date(2026, 12, 7))
    assert [v.number for v in result.versions] == [1, 2] and result.replaced is not None
    recorded = json.loads(versions_path(folder, PLAN).read_text("ascii"))["versions"]
    assert recorded[0]["text"].encode() == text_of(plan_with(4))  # the old file, migrated whole
    assert [e["effective"] for e in recorded] == ["2026-11-21", "2026-12-07"]
    assert legacy.read_bytes() == text_of(plan_with(5))


def test_a_current_file_changed_since_its_import_is_a_version_from_that_day(tmp_path: Path) -> None:
    """A hand edit, or an import killed between writing the plan and its list of versions."""
    folder = tmp_path / "plans"
    put(folder, tmp_path, plan_with(4), date(2026, 11, 20))
    current = folder / f"{PLAN}.json"
    current.write_bytes(text_of(plan_with(6)))
    stamp = at(date(2026, 12, 3)).timestamp()
    os.utime(current, (stamp, stamp))
    stored = load_plan(folder, PLAN)
    assert [(v.number, v.effective, v.plan.items[0].per_week) for v in stored.versions] == [
        (1, date(2026, 11, 20), 4), (2, date(2026, 12, 3), 6)
    ]  # fmt: skip
    # The next import records it, then adds itself: nothing is lost.
    put(folder, tmp_path, plan_with(7), date(2026, 12, 8))
    assert [v.plan.items[0].per_week for v in load_plan(folder, PLAN).versions] == [4, 6, 7]


def test_a_damaged_list_of_versions_is_reported_and_never_written_over(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    put(folder, tmp_path, plan_with(4), date(2026, 11, 20))
    listed = versions_path(folder, PLAN)
    listed.write_text('{"format": 1, "plan": "kim-2026", "versions": "no"}')
    plans, problems = list_plans(folder)
    assert [len(s.versions) for s in plans] == [1]  # the current file still counts
    assert problems == [
        f"{listed}: the list of the plan's versions is damaged (not the shape Coach writes); "
        "only the current version is used"
    ]
    with pytest.raises(CoachError, match=r"damaged .*; the plan was not stored"):
        put(folder, tmp_path, plan_with(5), date(2026, 12, 7))
    assert listed.read_text() == '{"format": 1, "plan": "kim-2026", "versions": "no"}'
    assert (folder / f"{PLAN}.json").read_bytes() == text_of(plan_with(4))


def test_versions_as_plain_facts_match_the_models(tmp_path: Path) -> None:
    """`coach due` reads every version through the validation cache, without the models."""
    folder = tmp_path / "plans"
    put(folder, tmp_path, plan_with(4, ["mon", "thu"]), date(2026, 11, 20))
    put(folder, tmp_path, plan_with(5, ["mon", "wed", "fri"]), date(2026, 12, 10), "v2.json")
    cache = ValidationCache.open(None)
    (entry,), problems = list_version_facts(folder, cache)
    facts = entry.versions
    assert (entry.client, entry.therapist, entry.plan.id) == ("Kim", "Jo Park", PLAN)
    assert problems == [] and [(v.number, v.effective) for v in facts] == [
        (1, date(2026, 11, 20)), (2, date(2026, 12, 10))
    ]  # fmt: skip
    assert [c.description for c in plan_changes(facts)] == [
        "from Thu 10 Dec: neck-and-shoulders 4 → 5 a week",
        "from Thu 10 Dec: kim-breathing on Mon, Thu → Mon, Wed, Fri",
    ]
    stored = load_plan(folder, PLAN)
    for day in (date(2026, 12, 7), date(2026, 12, 9), date(2026, 12, 11)):
        plain = [(d.routine, d.target_this_week) for d in due_on(facts[-1].plan, day, [], facts)]
        model = [(d.routine, d.target_this_week) for d in due_on(stored.plan, day, [], stored.all_versions)]
        assert plain == model and plain


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=3),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(
    damage=st.binary(max_size=200)
    | JSONISH.map(lambda v: json.dumps({"format": 1, "plan": PLAN, "versions": v}).encode())
)
def test_any_bytes_in_the_list_of_versions_are_one_line_and_never_lost(
    tmp_path: Path, damage: bytes
) -> None:
    folder = tmp_path / "plans"
    if not (folder / f"{PLAN}.json").exists():
        put(folder, tmp_path, plan_with(4), date(2026, 11, 20))
    listed = versions_path(folder, PLAN)
    listed.write_bytes(damage)
    plans, problems = list_plans(folder)  # never raises
    assert [s.plan.id for s in plans] == [PLAN]
    assert len(problems) <= 1 and all(p.startswith(str(listed)) for p in problems)
    (entry,), plain = list_version_facts(folder, ValidationCache.open(None))
    assert len(plain) == len(problems) and entry.plan.id == PLAN
    if problems:
        with pytest.raises(CoachError):
            put(folder, tmp_path, plan_with(5), date(2026, 12, 7))
        assert listed.read_bytes() == damage  # kept as it was, for a person to look at


def test_a_link_in_place_of_the_versions_folder_is_never_written_through(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    put(folder, tmp_path, plan_with(4), date(2026, 11, 20))
    elsewhere = tmp_path / "elsewhere"
    (folder / "versions").rename(elsewhere)
    (folder / "versions").symlink_to(elsewhere)
    with pytest.raises(CoachError, match="the plan was not stored"):
        put(folder, tmp_path, plan_with(5), date(2026, 12, 7))
    assert (folder / f"{PLAN}.json").read_bytes() == text_of(plan_with(4))
    plans, problems = list_plans(folder)  # reading still works, as for a linked plans folder
    assert [len(s.versions) for s in plans] == [1] and problems == []
    assert [p.name for p in elsewhere.iterdir()] == [f"{PLAN}.json"]  # nothing written there


def test_a_report_keeps_the_weeks_of_an_item_a_change_removed(tmp_path: Path) -> None:
    from coach.report import build_report, render

    folder = tmp_path / "plans"
    put(folder, tmp_path, plan_with(4), date(2026, 11, 20))
    v2 = plan_with(4)
    v2["items"] = v2["items"][:1]  # kim-breathing removed from Mon 7 Dec
    put(folder, tmp_path, v2, date(2026, 12, 7), "v2.json")
    stored = load_plan(folder, PLAN)
    records = [recorded_on(day, 20, "kim-breathing") for day in (date(2026, 11, 30), date(2026, 12, 3))]
    report = build_report(stored.plan, records, date(2026, 12, 10), {}, stored.all_versions)
    assert [(item.routine, total.credited) for item, total in report.item_totals] == [
        ("neck-and-shoulders", 0), ("kim-breathing", 2)
    ]  # fmt: skip
    assert [w.items[1].target for w in report.adherence.weeks] == [1, 2, 0, 0]  # none after the change
    for fmt in ("md", "html", "csv", "json"):
        assert "kim-breathing" in render(report, fmt)
    md = render(report, "md")
    assert "| Mon 30 Nov | Mon 30 Nov – Sun 6 Dec | 0/4 | 2/2 | 33 % | over |" in md
