"""Sessions of plans in the app (issue 13 items 3 and 5): which plan a session counts towards
(asked when several active plans include the routine, not asked for one, that plan from the
plans screen), the pain rating a plan asks for before and after, and a plan's own routines
(`PLAN/ID`) and versions on the plans screen and the home's due list."""

from __future__ import annotations

import argparse
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from coach.plan_version_files import record_import
from coach.tui.screens.pain_rating import PainRatingScreen, pain_question_words
from coach.tui.screens.plans import PlanItems
from tests.functional.test_tui_plans import (
    OLDER,
    OWN,
    PLAN,
    PLAN_ID,
    due_loaded,
    lines_of,
    plan_env,
    store_versions,
)
from tests.helpers.tui import SIZE, Env, on_screen, text_of, until

# Running on the tests' today (Thu 26 Nov 2026). SAM asks for a neck pain rating and, like
# PLAN, has neck-release as an item; it has its own routine of PLAN's own id and title.
SAM_ID = "sam-2026-11"
SAM_OWN = {**OWN, "steps": [{**OWN["steps"][0], "title": "Sam's chin tucks"}]}
SAM = {**PLAN, "id": SAM_ID, "client": "Sam", "note": None, "pain": {"area": "neck"}, "routines": [SAM_OWN],
       "items": [{"routine": "neck-release", "per_week": 3},
                 {"routine": "kim-stretch", "days": ["thu"], "note": "Sam's version."}]}  # fmt: skip


async def _to_the_end(pilot: Any, env: Env) -> None:
    """From the player: jump the fake clock past the routine's end."""
    await on_screen(pilot, "PlayerScreen")
    pilot.app.screen.practice.session.away_after = None  # a jump to the end, not time away
    env.clock.advance(10_000)
    await until(pilot, lambda: type(pilot.app.screen).__name__ == "RatingScreen", tries=400)


async def test_several_plans_ask_and_the_chosen_plans_pain_rating_is_asked_before_and_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`coach run neck-release`, in both plans: the question, the stress and pain ratings
    before, the session, both after ("Pain before: 6"), the summary and the record."""
    env = plan_env(tmp_path, monkeypatch, plans=(PLAN, SAM), history="")
    app = env.app(start="neck-release")
    async with app.run_test(size=SIZE) as pilot:
        await on_screen(pilot, "CautionsScreen")
        await pilot.press("enter")
        await on_screen(pilot, "PlanChoiceScreen")
        labels = [str(o.prompt) for o in app.screen.query_one("#plan-choice-list").options]
        assert labels == [f"Kim · from Jo Park\n  plan {PLAN_ID}", f"Sam · from Jo Park\n  plan {SAM_ID}",
                          "None of them"]  # fmt: skip
        await pilot.press("up", "enter")  # SAM, the plan that asks about neck pain
        await on_screen(pilot, "RatingScreen")
        await pilot.press("7", "enter")
        await on_screen(pilot, "PainRatingScreen")
        assert text_of(app, "#pain-question") == "Pain in your neck right now"
        assert "0 = no pain" in text_of(app, "#pain-scale") and "10 = worst pain imaginable" in text_of(
            app, "#pain-scale"
        )
        await pilot.press("enter")  # nothing chosen yet: it says so and stays
        assert "Choose a number first" in text_of(app, "#pain-hint")
        await pilot.press("6", "enter")
        await _to_the_end(pilot, env)
        await pilot.press("3", "enter")
        await on_screen(pilot, "PainRatingScreen")
        assert text_of(app, "#pain-before") == "Pain before: 6"
        await pilot.press("2", "enter")
        await on_screen(pilot, "SummaryScreen")
        summary = text_of(app, "#summary-text")
        assert "Pain    6 → 2 (neck)" in summary and "down 4 points: a large drop" in summary
    (record,) = env.records()
    assert (record["routine"], record["plan"]) == ("neck-release", SAM_ID)
    assert (record["pre"], record["post"]) == (7, 3)
    assert (record["pain_area"], record["pain_pre"], record["pain_post"]) == ("neck", 6, 2)


async def test_pain_ratings_can_be_skipped_and_escape_before_goes_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Started from the plan that asks (no question which plan): Escape on the pain rating
    before leaves without a record; then `s` skips both, and the record says the area."""
    env = plan_env(tmp_path, monkeypatch, plans=(PLAN, SAM), history="")
    app = env.app()
    async with app.run_test(size=SIZE) as pilot:
        await due_loaded(pilot)
        await pilot.press("p")
        await on_screen(pilot, "PlansScreen")
        items = app.screen.query_one(PlanItems)
        await until(pilot, lambda: bool(items.entries), "the plans")
        items.highlighted = [o.id for o in items.options].index(f"item:{SAM_ID}:neck-release")
        await pilot.press("enter")
        await on_screen(pilot, "CautionsScreen")
        await pilot.press("enter")
        await on_screen(pilot, "RatingScreen")  # started from its plan: not asked which
        await pilot.press("5", "enter")
        await on_screen(pilot, "PainRatingScreen")
        await pilot.resize_terminal(40, 12)  # the smallest the app promises not to crash at
        await pilot.pause()
        await pilot.resize_terminal(*SIZE)
        await pilot.press("escape")
        await on_screen(pilot, "PlansScreen")
        assert env.records() == []
        await pilot.press("enter")  # again: the cautions were read, so straight to the rating
        await on_screen(pilot, "RatingScreen")
        await pilot.press("5", "enter")
        await on_screen(pilot, "PainRatingScreen")
        await pilot.press("s")
        await _to_the_end(pilot, env)
        await pilot.press("s")
        await on_screen(pilot, "PainRatingScreen")
        assert text_of(app, "#pain-before") == "Pain before: skipped"
        await pilot.press("escape")  # after the session Escape skips
        await on_screen(pilot, "SummaryScreen")
        assert "Pain    – → – (neck)" in text_of(app, "#summary-text")
    (record,) = env.records()
    assert (record["plan"], record["pain_area"], record["pain_pre"], record["pain_post"]) == (
        SAM_ID, "neck", None, None,
    )  # fmt: skip


async def test_one_plan_counts_without_asking_and_a_plan_without_pain_asks_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = plan_env(tmp_path, monkeypatch, plans=(PLAN,), history="")
    app = env.app(start="neck-release")
    notices: list[str] = []
    app.notify = lambda message, **_: notices.append(message)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await on_screen(pilot, "CautionsScreen")
        await pilot.press("enter")
        await on_screen(pilot, "RatingScreen")
        assert f"This session counts towards plan '{PLAN_ID}'." in notices
        await pilot.press("4", "enter")
        await _to_the_end(pilot, env)
        await pilot.press("2", "enter")
        await on_screen(pilot, "SummaryScreen")  # no pain screen: PLAN does not ask
        assert "Pain" not in text_of(app, "#summary-text")
    (record,) = env.records()
    assert (record["routine"], record["plan"], record["pain_area"], record["pain_pre"]) == (
        "neck-release", PLAN_ID, None, None,
    )  # fmt: skip


async def _stop_after_pain_before(pilot: Any, pain_before: str) -> None:
    """Through the cautions, a stress rating of 6 and the pain rating before, into the
    player; then q and "End it"."""
    await on_screen(pilot, "CautionsScreen")
    await pilot.press("enter")
    await on_screen(pilot, "RatingScreen")
    await pilot.press("6", "enter")
    await on_screen(pilot, "PainRatingScreen")
    await pilot.press(pain_before, "enter")
    await on_screen(pilot, "PlayerScreen")
    await pilot.press("q")
    await on_screen(pilot, "ConfirmScreen")
    await pilot.press("enter")


async def test_a_stopped_session_asks_the_pain_after_but_not_the_stress_rating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A session stopped because it hurt is what the therapist most needs to see."""
    env = plan_env(tmp_path, monkeypatch, plans=(SAM,), history="")
    app = env.app(start="neck-release")
    async with app.run_test(size=SIZE) as pilot:
        await _stop_after_pain_before(pilot, "4")
        await on_screen(pilot, "PainRatingScreen")  # no stress rating after: straight to pain
        assert app.screen.after is True and app.screen.before == 4
        await pilot.press("8", "enter")
        await on_screen(pilot, "RatingScreen")  # the note after a stop (issue 14): none
        await pilot.press("escape")
        await on_screen(pilot, "SummaryScreen")
        assert "Pain    4 → 8 (neck)" in text_of(app, "#summary-text")
    (record,) = env.records()
    assert record["completed"] is False and record["post"] is None
    assert (record["plan"], record["pain_area"], record["pain_pre"], record["pain_post"]) == (
        SAM_ID, "neck", 4, 8,
    )  # fmt: skip


async def test_the_pain_after_a_stop_can_be_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = plan_env(tmp_path, monkeypatch, plans=(SAM,), history="")
    app = env.app(start="neck-release")
    async with app.run_test(size=SIZE) as pilot:
        await _stop_after_pain_before(pilot, "t")  # t is 10
        await on_screen(pilot, "PainRatingScreen")
        await pilot.press("escape")  # after the session Escape skips
        await on_screen(pilot, "RatingScreen")  # the note after a stop (issue 14): none
        await pilot.press("escape")
        await on_screen(pilot, "SummaryScreen")
        assert "Pain    10 → – (neck)" in text_of(app, "#summary-text")
    (record,) = env.records()
    assert record["completed"] is False
    assert (record["plan"], record["pain_area"], record["pain_pre"], record["pain_post"]) == (
        SAM_ID, "neck", 10, None,
    )  # fmt: skip


async def test_a_stopped_session_of_a_plan_without_pain_asks_nothing_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = plan_env(tmp_path, monkeypatch, plans=(PLAN,), history="")
    app = env.app(start="neck-release")
    async with app.run_test(size=SIZE) as pilot:
        await on_screen(pilot, "CautionsScreen")
        await pilot.press("enter")
        await on_screen(pilot, "RatingScreen")
        await pilot.press("6", "enter")
        await on_screen(pilot, "PlayerScreen")
        await pilot.press("q")
        await on_screen(pilot, "ConfirmScreen")
        await pilot.press("enter")
        await on_screen(pilot, "RatingScreen")  # the note after a stop (issue 14): none
        await pilot.press("escape")
        await on_screen(pilot, "SummaryScreen")  # no rating after, no pain screen
    (record,) = env.records()
    assert (record["completed"], record["post"], record["pain_post"]) == (False, None, None)


async def test_a_plans_own_routine_starts_in_its_plan_never_another_plans_of_the_same_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two plans own a routine `kim-stretch` of one title: each item starts its plan's own,
    recorded as PLAN/ID and counted towards that plan; the rows say whose it is."""
    other = {**PLAN, "id": "lee-2026-11", "client": "Lee", "note": None,
             "items": [{"routine": "kim-stretch", "days": ["thu"]}]}  # fmt: skip
    env = plan_env(tmp_path, monkeypatch, plans=(PLAN, other), history="")
    app = env.app()
    async with app.run_test(size=SIZE) as pilot:
        home_lines = lines_of(await due_loaded(pilot))
        # Two plans run: every due item names its plan, a plan's own routine says so.
        # (Kim's is due on Tuesdays and Saturdays: today, Thursday, only lee's.)
        own = [line for line in home_lines if line.startswith("○ Kim's desk stretch")]
        assert len(own) == 1 and own[0].endswith("· lee-2026-11's own"), home_lines
        await pilot.press("p")
        await on_screen(pilot, "PlansScreen")
        items = app.screen.query_one(PlanItems)
        await until(pilot, lambda: bool(items.entries), "the plans")
        key = "item:lee-2026-11:lee-2026-11/kim-stretch"
        assert str(items.get_option(key).prompt).startswith("  ○ Kim's desk stretch · about 1 min · ")
        assert "neck-release" not in str(items.get_option(f"item:{PLAN_ID}:neck-release").prompt)  # titles
        items.highlighted = [o.id for o in items.options].index(key)
        await pilot.pause()
        assert text_of(app, "#plan-detail").startswith("Kim's desk stretch: this plan's own routine.")
        await pilot.press("enter")
        await on_screen(pilot, "RatingScreen")  # no cautions in the stretch
        await pilot.press("5", "enter")
        await _to_the_end(pilot, env)
        await pilot.press("4", "enter")
        await on_screen(pilot, "SummaryScreen")
        await pilot.press("enter")
        await on_screen(pilot, "PlansScreen")
        # Counted towards lee's item only.
        await until(pilot, lambda: items.entries[key][1].done_today == 1, "lee's progress")
        assert items.entries[f"item:{PLAN_ID}:{PLAN_ID}/kim-stretch"][1].done_this_week == 0
    (record,) = env.records()
    assert (record["routine"], record["plan"]) == ("lee-2026-11/kim-stretch", "lee-2026-11")


async def test_plans_screen_shows_versions_and_what_the_current_one_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = plan_env(tmp_path, monkeypatch, plans=(), history="")
    store_versions(env.services.plans_dir, OLDER, PLAN, date(2026, 11, 24))
    app = env.app()
    async with app.run_test(size=SIZE) as pilot:
        await due_loaded(pilot)
        await pilot.press("p")
        await on_screen(pilot, "PlansScreen")
        items = app.screen.query_one(PlanItems)
        await until(pilot, lambda: bool(items.entries), "the plans")
        await pilot.pause()
        heading = str(items.get_option(f"plan:{PLAN_ID}").prompt)
        assert heading.splitlines()[-1] == "2 versions, this one since Tue 24 Nov"
        detail = text_of(app, "#plan-detail")
        # Titles, not ids: "Neck and shoulder release", not neck-release.
        assert detail.splitlines()[-1] == (
            "Changed from Tue 24 Nov: Neck and shoulder release 3 → 5 a week; "
            "Kim's desk stretch added (Tue, Sat)."
        )


async def test_a_plan_never_changed_shows_no_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = plan_env(tmp_path, monkeypatch, plans=(PLAN,), history="")
    app = env.app()
    async with app.run_test(size=SIZE) as pilot:
        await due_loaded(pilot)
        await pilot.press("p")
        await on_screen(pilot, "PlansScreen")
        items = app.screen.query_one(PlanItems)
        await until(pilot, lambda: bool(items.entries), "the plans")
        await pilot.pause()
        assert "version" not in str(items.get_option(f"plan:{PLAN_ID}").prompt)
        assert "Changed" not in text_of(app, "#plan-detail")


def test_the_due_list_says_when_a_routine_is_the_plans_own() -> None:
    """One plan running names no plan beside its items, but marks its own routine; with
    several, each item names its plan."""
    from coach.adherence import ItemView
    from coach.tui.widgets.due_today import item_line

    def item(routine: str) -> ItemView:
        return ItemView(plan_id=PLAN_ID, routine=routine, title="Stretch", seconds=60, schedule="Thu",
                        by_days=True, note="", due_today=True, done_today=0, done_this_week=0,
                        target_this_week=1)  # fmt: skip

    own, builtin = item(f"{PLAN_ID}/kim-stretch"), item("kim-stretch")
    assert str(item_line(own)).endswith("0 of 1 this week · the plan's own")
    assert str(item_line(builtin)).endswith("0 of 1 this week")
    assert str(item_line(own, plan=PLAN_ID)).endswith(f"· {PLAN_ID}'s own")
    assert str(item_line(builtin, plan=PLAN_ID)).endswith(f"· {PLAN_ID}")


def test_the_pain_question_is_the_plain_runners_without_its_anchors() -> None:
    assert pain_question_words("neck") == "Pain in your neck right now"
    assert pain_question_words("upper-back") == "Pain in your upper back right now"


async def test_the_pain_screen_shows_hostile_area_text_literally() -> None:
    """An area is a vocabulary word in a valid plan, but the screen never trusts text."""
    from textual.app import App

    class One(App[None]):
        def on_mount(self) -> None:
            self.push_screen(PainRatingScreen("[b]x\x1b[31m", after=False, routine_title="[red]t"))

    async with One().run_test(size=SIZE) as pilot:
        await pilot.pause()
        question = text_of(pilot.app, "#pain-question")  # type: ignore[arg-type]
        assert "[b]x" in question and "\x1b" not in question


def test_coach_run_with_several_plans_leaves_the_question_to_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`coach run ROUTINE` in the app, with two active plans that include it: no "counts
    towards none of them" line on stderr (that is the plain runner's), and the app is handed
    the candidates to ask about."""
    import coach.tui.app
    from coach.tui.launch import run_app

    home = tmp_path / "home"
    monkeypatch.setenv("COACH_HOME", str(home))
    monkeypatch.setenv("COACH_FORCE_APP", "1")
    today = date.today()
    plans = home / "plans"
    plans.mkdir(parents=True)
    for plan_id in ("ann-2026", "bob-2026"):
        starts, ends = (today - timedelta(days=1)).isoformat(), (today + timedelta(days=20)).isoformat()
        plan = {"format": 1, "id": plan_id, "client": "A", "therapist": {"name": "Jo"}, "starts": starts,
                "ends": ends, "items": [{"routine": "box-breathing", "per_week": 3}]}  # fmt: skip
        record_import(plans, plan_id, json.dumps(plan).encode(), today, f"{today.isoformat()}T09:00:00+00:00")
    handed: list[Any] = []

    class FakeApp:
        return_code = 0

        def __init__(self, *, start: Any, mute: bool, voice: Any) -> None:
            handed.append(start)

        def run(self) -> None:
            pass

    monkeypatch.setattr(coach.tui.app, "CoachApp", FakeApp)
    args = argparse.Namespace(routine="box-breathing", pre=None, post=None, plan=None, no_plan=False,
                              pain_pre=None, pain_post=None, speed=None, minutes=None, mute=False,
                              voice=None)  # fmt: skip
    assert run_app(args) == 0
    err = capsys.readouterr().err
    assert "counts towards none" not in err, err
    (request,) = handed
    assert request.candidates == ("ann-2026", "bob-2026") and request.plan is None


def test_snapshot_pain_rating_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, snap_compare: Any
) -> None:
    """The pain rating after a session of the plan that asks, with the one before shown."""
    env = plan_env(tmp_path, monkeypatch, plans=(PLAN, SAM), history="")

    async def run_before(pilot: Any) -> None:
        await on_screen(pilot, "CautionsScreen")
        await pilot.press("enter")
        await on_screen(pilot, "PlanChoiceScreen")
        await pilot.press("up", "enter")
        await on_screen(pilot, "PainRatingScreen")
        await pilot.press("6", "enter")
        await _to_the_end(pilot, env)
        await pilot.press("s")
        await on_screen(pilot, "PainRatingScreen")
        await pilot.press("3")
        await pilot.pause()

    assert snap_compare(env.app(start="neck-release", pre=5), terminal_size=SIZE, run_before=run_before)
