"""The app asks which plan a session counts towards when several active plans include its
routine (coach.start.attribute decides; coach.tui.flow.which_plan asks with
coach.tui.dialogs.plan_choice): each plan by client and therapist, with its id; "None of
them" last, highlighted first, and the dialog says what it means."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from coach.plan_candidates import PlanCandidate, plan_candidates
from coach.tui.dialogs.plan_choice import NONE_MEANS, PlanChoiceScreen
from tests.functional.test_tui_plans import PLAN, PLAN_ID, plan_env
from tests.helpers.tui import SIZE, text_of, until

# Both running on the tests' today (Thu 26 Nov 2026), both with neck-release as an item;
# another client and therapist than PLAN's (Kim, from Jo Park).
OTHER = {**PLAN, "id": "sam-2026-11", "client": "Sam R.", "therapist": {"name": "Ana Lopez", "contact": None},
         "routines": [], "pain": {"area": "neck"},
         "items": [{"routine": "neck-release", "per_week": 3}]}  # fmt: skip
TRIES = 3000  # up to a minute of pilot pauses: screens change in workers, on a busy machine


async def wait_for_screen(pilot: Any, name: str) -> None:
    await until(pilot, lambda: type(pilot.app.screen).__name__ == name, f"the {name}", tries=TRIES)
    await pilot.pause()


async def run_neck_release(tmp_path, monkeypatch, keys: tuple[str, ...]):  # type: ignore[no-untyped-def]
    env = plan_env(tmp_path, monkeypatch, plans=(PLAN, OTHER), history="")
    app = env.app(start="neck-release", pre=5, post=3)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, "CautionsScreen")
        await pilot.press("enter")
        await wait_for_screen(pilot, "PlanChoiceScreen")
        await pilot.press(*keys)
        # The plan that asks about pain asks before and after (coach.tui.screens.pain_rating): skipped.
        await until(
            pilot, lambda: type(app.screen).__name__ in ("PlayerScreen", "PainRatingScreen"), tries=TRIES
        )
        if type(app.screen).__name__ == "PainRatingScreen":
            await pilot.press("s")
        await wait_for_screen(pilot, "PlayerScreen")
        app.screen.practice.session.away_after = None  # a jump to the end, not time away
        env.clock.advance(10_000)
        ends = ("SummaryScreen", "PainRatingScreen")
        await until(pilot, lambda: type(app.screen).__name__ in ends, tries=TRIES)
        if type(app.screen).__name__ == "PainRatingScreen":
            await pilot.press("s")
        await wait_for_screen(pilot, "SummaryScreen")
    return env.records()


# The plans are listed by id order (kim-…, sam-…), then "None of them", which is highlighted
# first: Enter alone counts the session towards none, as the plain runner does.
@pytest.mark.parametrize(("keys", "plan", "pain_area"), [
    (("enter",), None, None),
    (("up", "enter"), "sam-2026-11", "neck"),  # the plan that asks for pain: its area is kept
    (("up", "up", "enter"), "kim-2026-11", None),
])  # fmt: skip
async def test_the_app_asks_which_plan_and_counts_the_choice(
    tmp_path, monkeypatch, keys: tuple[str, ...], plan: str | None, pain_area: str | None
) -> None:  # type: ignore[no-untyped-def]
    (record,) = await run_neck_release(tmp_path, monkeypatch, keys)
    assert (record["routine"], record["plan"], record["pain_area"]) == ("neck-release", plan, pain_area)


async def test_each_plan_shows_its_client_therapist_and_id_and_none_is_explained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = plan_env(tmp_path, monkeypatch, plans=(PLAN, OTHER), history="")
    app = env.app(start="neck-release")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, "CautionsScreen")
        await pilot.press("enter")
        await wait_for_screen(pilot, "PlanChoiceScreen")
        options = app.screen.query_one("#plan-choice-list")
        labels = [str(o.prompt) for o in options.options]
        assert labels == [
            f"Kim · from Jo Park\n  plan {PLAN_ID}",
            "Sam R. · from Ana Lopez\n  plan sam-2026-11",
            "None of them",
        ]
        assert options.highlighted == 2  # "None of them" unless the person picks a plan
        assert text_of(app, "#plan-choice-none") == NONE_MEANS
        assert "saved in your history but counts towards no plan" in NONE_MEANS
        assert text_of(app, "#plan-choice-why") == "Neck and shoulder release is in 2 of your running plans."
        await pilot.press("escape")  # back: no session, no record
        await wait_for_screen(pilot, "HomeScreen")
    assert env.records() == []


class DialogApp(App[None]):
    """The dialog alone, over an empty screen, keeping what it dismissed with."""

    def __init__(self, candidates: list[PlanCandidate]) -> None:
        super().__init__()
        self.candidates = candidates
        self.answers: list[tuple[str | None] | None] = []

    def compose(self) -> ComposeResult:
        yield Static("")

    def on_mount(self) -> None:
        self.push_screen(
            PlanChoiceScreen("Neck [b]release[/b]", self.candidates), callback=self.answers.append
        )


async def test_text_from_the_plan_file_is_shown_literally_and_made_safe() -> None:
    hostile = PlanCandidate("kim-2026", "[bold red]Kim\x1b[31m", "Jo \u202eParK")
    app = DialogApp([hostile, PlanCandidate("bob-2026")])
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, PlanChoiceScreen), tries=TRIES)
        labels = [str(o.prompt) for o in app.screen.query_one("#plan-choice-list").options]
        # Markup stays text; the escape and the bidi override are shown, never acted on.
        assert labels[0] == "[bold red]Kim␛[31m · from Jo <U+202E>ParK\n  plan kim-2026"
        assert labels[1] == "(no client named)\n  plan bob-2026"  # a plan file that could not be read again
        assert "Neck [b]release[/b] is in 2" in text_of(app, "#plan-choice-why")
        await pilot.press("up", "up", "enter")
        await until(pilot, lambda: bool(app.answers), tries=TRIES)
    assert app.answers == [("kim-2026",)]


async def test_enter_alone_answers_none_and_escape_cancels() -> None:
    for keys, expected in ((("enter",), (None,)), (("escape",), None)):
        app = DialogApp([PlanCandidate("kim-2026", "Kim", "Jo"), PlanCandidate("sam-2026", "Sam", "Jo")])
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: isinstance(app.screen, PlanChoiceScreen), tries=TRIES)  # noqa: B023
            await pilot.press(*keys)
            await until(pilot, lambda: bool(app.answers), tries=TRIES)  # noqa: B023
        assert app.answers == [expected]


def test_plan_candidates_read_client_and_therapist_and_survive_a_changed_file(tmp_path: Path) -> None:
    (tmp_path / "kim.json").write_text(json.dumps({"client": "Kim", "therapist": {"name": "Jo Park"}}))
    (tmp_path / "odd.json").write_text(json.dumps({"client": 7, "therapist": "Jo"}))  # edited since
    (tmp_path / "bad.json").write_text("{not json")
    found = plan_candidates(tmp_path, ["kim", "odd", "bad", "gone"])
    assert found == [
        PlanCandidate("kim", "Kim", "Jo Park"),
        PlanCandidate("odd"),
        PlanCandidate("bad"),
        PlanCandidate("gone"),  # removed since: the question is still asked, by id
    ]


def test_snapshot_plan_choice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, snap_compare: Any) -> None:
    """The question at 80×24: two plans by client and therapist, "None of them" highlighted."""
    env = plan_env(tmp_path, monkeypatch, plans=(PLAN, OTHER), history="")

    async def run_before(pilot: Any) -> None:
        await wait_for_screen(pilot, "CautionsScreen")
        await pilot.press("enter")
        await wait_for_screen(pilot, "PlanChoiceScreen")
        await pilot.pause()

    assert snap_compare(env.app(start="neck-release"), terminal_size=SIZE, run_before=run_before)
