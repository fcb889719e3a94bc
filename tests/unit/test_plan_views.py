"""What the app's plan views are built from: items due today and each plan's figures."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from coach.adherence import PlanView, SessionLike, due_today, plan_views
from coach.library import Library, RoutineInfo
from coach.plan_store import list_plans
from tests.helpers.plans import BASE, recorded_on

ROOT = Path(__file__).resolve().parents[2]


def setup(tmp_path: Path) -> tuple[Path, dict[str, RoutineInfo]]:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "kim-2026.json").write_text(json.dumps(BASE))
    later = {**BASE, "id": "kim-2027", "starts": "2027-01-04", "ends": "2027-01-24"}
    (folder / "kim-2027.json").write_text(json.dumps(later))
    (folder / "broken.json").write_text("[]")
    library = Library(builtin_dir=ROOT / "routines", plans_dir=folder, cache_path=tmp_path / "cache.json")
    return folder, {i.id: i for i in library.infos()}


def stored_views(
    folder: Path, records: list[SessionLike], today: date, infos: dict[str, RoutineInfo]
) -> tuple[list[PlanView], list[str]]:
    """The views of the plans stored in `folder`, and the problems met reading them."""
    stored, problems = list_plans(folder)
    return plan_views([entry.plan for entry in stored], records, today, infos), problems


def test_views_order_items_and_done_marks(tmp_path: Path) -> None:
    folder, infos = setup(tmp_path)
    records = [recorded_on(date(2026, 11, 30), 12, "neck-and-shoulders"),
               recorded_on(date(2026, 12, 3), 9, "kim-breathing")]  # fmt: skip
    views, problems = stored_views(folder, records, date(2026, 12, 3), infos)  # Thursday
    assert [v.plan.id for v in views] == ["kim-2026", "kim-2027"]
    assert [v.status for v in views] == ["active", "upcoming"]
    assert len(problems) == 1 and "broken.json" in problems[0]
    neck, breaths = views[0].items
    assert (neck.title, neck.by_days, neck.week_text, neck.due_today, neck.is_done) == (
        "Neck and shoulder release", False, "1 of 5 this week", True, False)  # fmt: skip
    assert (breaths.title, breaths.by_days, breaths.done_today, breaths.is_done) == (
        "Kim's evening breaths", True, 1, True)  # fmt: skip
    assert breaths.note == "Before bed." and breaths.available
    assert views[0].week_text == "this week 2 of 7"
    assert views[0].share_text == "29 % (2 of 7 so far)"  # the first week (4 due) had none
    assert views[1].share_text == "nothing due yet" and views[1].week is None
    # The plan's own routine is listed in its namespace (kim-2027 has one of the same id).
    assert [i.routine for i in due_today(views)] == ["neck-and-shoulders", "kim-2026/kim-breathing"]
    # Friday: the Monday/Thursday item is not due.
    friday, _ = stored_views(folder, records, date(2026, 12, 4), infos)
    assert [i.routine for i in due_today(friday)] == ["neck-and-shoulders"]


def test_an_unknown_routine_cannot_be_started(tmp_path: Path) -> None:
    folder, infos = setup(tmp_path)
    infos.pop("kim-2026/kim-breathing")
    views, _ = stored_views(folder, [], date(2026, 12, 3), infos)
    breaths = views[0].items[1]
    assert breaths.title == "kim-breathing" and not breaths.available
