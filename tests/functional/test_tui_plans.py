"""The app's plan views: today's items on the home screen, the plans screen, starting an item."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from coach.library import Library
from coach.plan_version_files import record_import
from coach.tui.app import CoachApp
from coach.tui.screens.plans import PlanItems, PlansScreen
from coach.tui.widgets.due_today import DueToday
from tests.helpers.tui import SIZE, Env, history_line, loaded, on_screen, until

PLAN_ID = "kim-2026-11"
OWN = {
    "format": 1,
    "id": "kim-stretch",
    "title": "Kim's desk stretch",
    "steps": [{"type": "stretch", "title": "Chin tucks", "instruction": "Slide the chin back.", "seconds": 40,
               "area": "neck"}],
}  # fmt: skip
PLAN = {
    "format": 1,
    "id": PLAN_ID,
    "client": "Kim",
    "therapist": {"name": "Jo Park", "contact": "jo@example.com"},
    "starts": "2026-11-23",
    "ends": "2026-12-13",
    "note": "Little and often.",
    "routines": [OWN],
    "items": [
        {"routine": "neck-release", "per_week": 5, "note": "After lunch, at your desk."},
        {"routine": "slow-breaths", "days": ["mon", "thu"], "note": "Before bed."},
        {"routine": "kim-stretch", "days": ["tue", "sat"], "note": "Mid-morning."},
    ],
}
# PLAN's first version: neck-release 3 a week, no stretch (PLAN is version 2, from Tue 24 Nov).
OLDER = {**PLAN, "items": [{**PLAN["items"][0], "per_week": 3}, PLAN["items"][1]]}
ENDED = {**PLAN, "id": "kim-2026-10", "starts": "2026-10-01", "ends": "2026-10-21", "routines": [],
         "note": None, "items": [{"routine": "feet-ball", "per_week": 2}]}  # fmt: skip


def plan_line(day: int, routine: str, title: str, pre: int, post: int, *, completed: bool = True) -> str:
    obj = json.loads(history_line(day, routine, title, pre, post, completed=completed))
    obj["plan"], obj["id"] = PLAN_ID, f"plan-{day}-{routine}"
    return json.dumps(obj) + "\n"


HISTORY = "".join([
    plan_line(23, "neck-release", "Neck and shoulder release", 7, 4),
    plan_line(23, "slow-breaths", "Slow breaths", 6, 4),
    plan_line(24, "kim-stretch", "Kim's desk stretch", 5, 4),
    plan_line(25, "neck-release", "Neck and shoulder release", 6, 3),
    plan_line(26, "neck-release", "Neck and shoulder release", 6, 4, completed=False),
])  # fmt: skip


def plan_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, plans: tuple[dict[str, Any], ...] = (PLAN,),
             history: str = HISTORY) -> Env:  # fmt: skip
    """The app's test world (today Thu 26 Nov 2026) with stored plans and their sessions."""
    monkeypatch.setenv("COACH_HOME", str(tmp_path / "home"))
    env = Env(tmp_path, history=history)
    folder = tmp_path / "plans"
    folder.mkdir()
    for plan in plans:
        (folder / f"{plan['id']}.json").write_text(json.dumps(plan, indent=1), encoding="utf-8")

    def library() -> Library:
        return Library(builtin_dir=env.builtin, user_dir=tmp_path / "user", plans_dir=folder,
                       cache_path=tmp_path / "cache.json")  # fmt: skip

    env.services.library = library
    env.services.plans_dir = folder  # type: ignore[attr-defined]
    return env


def store_versions(folder: Path, first: dict[str, Any], second: dict[str, Any], day: date) -> None:
    """A plan stored as `coach plan import` stores it: `first` imported on Fri 20 Nov
    (version 1), then `second` on `day` (version 2, in force from then)."""
    for plan, when in ((first, date(2026, 11, 20)), (second, day)):
        data = json.dumps(plan, indent=1).encode()
        record_import(folder, plan["id"], data, when, f"{when.isoformat()}T10:00:00+01:00")


def lines_of(widget: Any) -> list[str]:
    return str(widget.render()).splitlines()


async def due_loaded(pilot: Any) -> DueToday:
    await loaded(pilot)
    widget = pilot.app.screen.query_one(DueToday)
    await until(pilot, lambda: widget.data is not None, "the plans")
    # Let the home screen's delayed detail loader (0.25 s) finish: it races with teardown.
    await pilot.pause(0.3)
    return widget


async def test_home_shows_todays_items_with_notes_and_the_week(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = plan_env(tmp_path, monkeypatch)
    async with env.app().run_test(size=SIZE) as pilot:
        widget = await due_loaded(pilot)
        assert widget.display
        lines = lines_of(widget)
        # This week so far: neck 2 (Mon, Wed; Thursday's was stopped early), breaths 1, stretch 1.
        assert lines[0] == f"Today's plan · {PLAN_ID} · this week 4 of 9   p: plans"
        assert (
            lines[1] == "○ Neck and shoulder release (2 min) · 2 of 5 this week  After lunch, at your desk."
        )
        assert lines[2] == "○ Slow breaths (1 min) · 1 of 2 this week  Before bed."
        assert len(lines) == 3  # Thursday: the stretch (Tue, Sat) is not due


async def test_home_hides_the_widget_without_a_running_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = plan_env(tmp_path, monkeypatch, plans=(ENDED,))
    async with env.app().run_test(size=SIZE) as pilot:
        widget = await due_loaded(pilot)
        assert not widget.display


async def test_plans_screen_lists_plans_and_starts_an_item(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = plan_env(tmp_path, monkeypatch, plans=(PLAN, ENDED))
    app = env.app()
    started: list[tuple[Any, Any]] = []
    monkeypatch.setattr(
        CoachApp, "start_session", lambda self, info, request=None: started.append((info, request))
    )
    async with app.run_test(size=SIZE) as pilot:
        await due_loaded(pilot)
        await pilot.press("p")
        await on_screen(pilot, "PlansScreen")
        screen = app.screen
        assert isinstance(screen, PlansScreen)
        await until(pilot, lambda: screen.data is not None, "the plans screen's data")
        await pilot.pause()
        items = screen.query_one(PlanItems)
        ids = [items.get_option_at_index(n).id for n in range(items.option_count)]
        assert ids == [
            f"plan:{PLAN_ID}",
            f"item:{PLAN_ID}:neck-release",
            f"item:{PLAN_ID}:slow-breaths",
            f"item:{PLAN_ID}:{PLAN_ID}/kim-stretch",  # the plan's own routine: PLAN/ID
            None,
            "plan:kim-2026-10",
            "item:kim-2026-10:feet-ball",
        ]
        heading = str(items.get_option_at_index(0).prompt)
        assert f"{PLAN_ID} · for Kim from Jo Park" in heading
        assert "Mon 23 Nov – Sun 13 Dec · running · adherence 100 % (4 of 4 so far)" in heading
        # The first item due today and not done is highlighted, with its note and the plan's.
        assert items.current is not None and items.current[1].routine == "neck-release"
        detail = str(screen.query_one("#plan-detail").render())
        assert detail == "Note: After lunch, at your desk.\nFrom Jo Park: Little and often."
        await pilot.press("down")
        assert items.current is not None and items.current[1].routine == "slow-breaths"
        await pilot.press("enter")
        await pilot.pause()
        assert len(started) == 1
        info, request = started[0]
        assert info.id == "slow-breaths"
        assert request is not None and request.plan == PLAN_ID and request.exit_after is False
        # An ended plan's item starts a plain session, and says it will not count.
        await pilot.press("down", "down")
        assert items.current is not None and items.current[1].routine == "feet-ball"
        assert "This plan ended on Wed 21 Oct" in str(screen.query_one("#plan-detail").render())
        await pilot.press("enter")
        await pilot.pause()
        assert started[1][0].id == "feet-ball" and started[1][1] is None
        await pilot.press("escape")
        await on_screen(pilot, "HomeScreen")


async def test_plans_screen_without_plans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = plan_env(tmp_path, monkeypatch, plans=())
    async with env.app().run_test(size=SIZE) as pilot:
        await due_loaded(pilot)
        await pilot.press("p")
        await on_screen(pilot, "PlansScreen")
        screen = pilot.app.screen
        await until(pilot, lambda: screen.data is not None)
        await pilot.pause()
        assert str(screen.query_one("#plans-status").render()).startswith("No plan yet.")
        assert not screen.query_one(PlanItems).display


async def test_a_session_started_from_the_plan_counts_towards_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole way: plans screen, Enter, the session, back on the plans screen with progress."""
    env = plan_env(tmp_path, monkeypatch)
    app = env.app()
    async with app.run_test(size=SIZE) as pilot:
        await due_loaded(pilot)
        await pilot.press("p")
        await on_screen(pilot, "PlansScreen")
        await until(pilot, lambda: app.screen.data is not None)
        await pilot.press("enter")  # neck-release: cautions, rating, player
        await on_screen(pilot, "CautionsScreen")
        await pilot.press("enter")
        await on_screen(pilot, "RatingScreen")
        await pilot.press("7", "enter")
        await on_screen(pilot, "PlayerScreen")
        app.screen.practice.session.away_after = None  # a jump to the end, not time away
        env.clock.advance(10_000)
        await until(pilot, lambda: type(app.screen).__name__ == "RatingScreen", "the rating after")
        await pilot.press("3", "enter")
        await on_screen(pilot, "SummaryScreen")
        await pilot.press("enter")
        await on_screen(pilot, "PlansScreen")
        record = env.records()[-1]
        assert record["routine"] == "neck-release" and record["plan"] == PLAN_ID
        items = app.screen.query_one(PlanItems)
        await until(pilot, lambda: items.entries[f"item:{PLAN_ID}:neck-release"][1].done_this_week == 3)


def _wait_for_plans(screen_name: str):  # type: ignore[no-untyped-def]
    async def run_before(pilot: Any) -> None:
        await due_loaded(pilot)
        if screen_name == "PlansScreen":
            await pilot.press("p")
            await on_screen(pilot, "PlansScreen")
            await until(pilot, lambda: pilot.app.screen.data is not None)
        await pilot.pause()

    return run_before


def test_snapshot_home_with_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, snap_compare: Any) -> None:
    env = plan_env(tmp_path, monkeypatch)
    assert snap_compare(env.app(), terminal_size=SIZE, run_before=_wait_for_plans("HomeScreen"))


def test_snapshot_plans_screen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, snap_compare: Any) -> None:
    """The plans screen with a plan changed on Tue 24 Nov (its versions and what changed)."""
    env = plan_env(tmp_path, monkeypatch, plans=(ENDED,))
    store_versions(env.services.plans_dir, OLDER, PLAN, date(2026, 11, 24))
    assert snap_compare(env.app(), terminal_size=SIZE, run_before=_wait_for_plans("PlansScreen"))


async def test_small_terminal_does_not_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = plan_env(tmp_path, monkeypatch, plans=(PLAN, ENDED))
    async with env.app().run_test(size=(40, 12)) as pilot:
        await due_loaded(pilot)
        await pilot.press("p")
        await on_screen(pilot, "PlansScreen")
        await until(pilot, lambda: pilot.app.screen.data is not None)
        await pilot.press("down", "down", "down")
        await pilot.resize_terminal(30, 8)
        await pilot.pause()
        await pilot.press("escape")
        await on_screen(pilot, "HomeScreen")


def test_without_plans_home_reads_nothing_and_loads_no_plan_models(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Most people have no plan: the home screen must not pay for pydantic or a second read
    of the history on their behalf."""
    import sys
    from types import SimpleNamespace

    from coach.tui.screens.plans import read_plans
    from coach.tui.widgets.due_today import due_content

    monkeypatch.setitem(sys.modules, "coach.plan", None)  # importing it would fail
    monkeypatch.setitem(sys.modules, "coach.history", None)
    (tmp_path / "plans").mkdir()
    services = SimpleNamespace(plans_dir=tmp_path / "plans", today=None, history_path=None)
    data = read_plans(SimpleNamespace(services=services, catalog=[]))
    assert data.views == [] and data.error is None
    assert due_content(data) is None
