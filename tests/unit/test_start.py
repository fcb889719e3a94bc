"""coach.start, the one way into a session: the checks, the session lock, the recovery under
it, and the practice both shells get. No screen, no subprocess: the lock held by another
process is tests/functional/test_start_lock.py."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest

from coach import start
from coach.errors import CoachError, UsageError
from coach.history import HistoryStore
from coach.journal import (
    SessionLock,
    lock_path_for,
    read_journal,
)
from coach.library import Library
from coach.records import new_id, record_from_state
from tests.helpers.start import STARTED, crashed_journal, open_in, state

REST = {"format": 1, "id": "short-rest", "title": "Short rest",
        "steps": [{"type": "rest", "title": "Rest", "seconds": 5}]}  # fmt: skip


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "data"


# --- the checks -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [(0, "got 0"), (101, "got 101"), (float("nan"), "got nan"), (float("inf"), "got inf"), (-2, "got -2"),
     (0.5, "got 0.5"), ("fast", "got 'fast'"), (True, "got True")],
)  # fmt: skip
def test_a_speed_outside_1_to_100_is_one_line(value: object, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        start.check_speed(value)
    text = str(caught.value)
    assert text.startswith("--speed must be a number from 1 to 100, ") and text.endswith(message)
    assert "\n" not in text and caught.value.exit_code == 2


@pytest.mark.parametrize(("value", "expected"), [(None, 1.0), (1, 1.0), (2.5, 2.5), (100, 100.0)])
def test_speeds_from_1_to_100_are_taken(value: object, expected: float) -> None:
    assert start.check_speed(value) == expected


@pytest.mark.parametrize("value", [11, -1, 2.5, True, "7"])
def test_a_rating_that_is_not_a_whole_0_to_10_is_one_line(value: object) -> None:
    with pytest.raises(UsageError, match=r"^--pre must be a whole number from 0 to 10, got ") as caught:
        start.check_rating("pre", value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("value", [None, 0, 10])
def test_ratings_0_to_10_and_none_are_taken(value: int | None) -> None:
    assert start.check_rating("post", value) == value


def library_in(tmp_path: Path) -> Library:
    builtin = tmp_path / "builtin"
    builtin.mkdir(parents=True, exist_ok=True)
    (builtin / "short-rest.json").write_text(json.dumps(REST))
    return Library(builtin_dir=builtin, user_dir=tmp_path / "user", plans_dir=tmp_path / "plans",
                   cache_path=tmp_path / "cache.json")  # fmt: skip


def args(**values: Any) -> argparse.Namespace:
    return argparse.Namespace(**{"routine": "short-rest", "pre": None, "post": None, "plan": None,
                                 "no_plan": False, "speed": None, **values})  # fmt: skip


def test_an_unknown_plan_is_one_line_before_anything_else(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"^no plan with id 'no-such-plan'") as caught:
        start.request_from_args(args(plan="no-such-plan"), library_in(tmp_path), tmp_path / "plans")
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "plans").exists()


def test_the_request_carries_the_checked_values(tmp_path: Path) -> None:
    request, notes = start.request_from_args(args(pre=3, post=2, speed=4), library_in(tmp_path), tmp_path)
    assert (request.info.id, request.pre, request.post, request.speed, request.preview) == (
        "short-rest", 3, 2, 4.0, True)  # fmt: skip
    assert notes == []
    with pytest.raises(UsageError, match="--speed"):
        start.request_from_args(args(speed=0), library_in(tmp_path / "x"), tmp_path)


def test_an_unknown_plan_routine_ref_names_the_plan(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"no routine 'neck' in plan 'sam-neck'"):
        start.resolve_routine(library_in(tmp_path), "sam-neck/neck")


# --- the lock -------------------------------------------------------------------------------


def test_the_lock_is_held_until_release_and_the_file_is_private(folder: Path) -> None:
    opened = open_in(folder)
    lock_file = lock_path_for(folder / "session.journal.json")
    assert json.loads(lock_file.read_text())["routine_title"] == "Short rest"
    assert lock_file.stat().st_mode & 0o777 == 0o600
    assert SessionLock.try_acquire(lock_file) is None  # another open file: refused
    opened.release()
    opened.release()  # twice is fine
    assert lock_file.read_text() == ""  # no stale "who" for the next reader
    again = SessionLock.try_acquire(lock_file)
    assert again is not None
    again.release()


def test_a_link_in_place_of_the_lock_file_is_refused(folder: Path, tmp_path: Path) -> None:
    folder.mkdir(parents=True)
    target = tmp_path / "elsewhere"
    target.write_text("keep")
    lock_path_for(folder / "session.journal.json").symlink_to(target)
    with pytest.raises(CoachError, match="symbolic link"):
        open_in(folder)
    assert target.read_text() == "keep"


# --- recovery under the lock ----------------------------------------------------------------


def test_opening_recovers_a_crashed_session_under_the_lock(folder: Path) -> None:
    record_id = crashed_journal(folder / "session.journal.json", steps_done=0)
    opened = open_in(folder)
    try:
        assert opened.recovered is not None and opened.recovered.id == record_id
        assert opened.recovered.completed is False and opened.recovered.pre == 3
        assert not (folder / "session.journal.json").exists()
    finally:
        opened.release()
    (stored,) = HistoryStore(folder / "history.jsonl").read().records
    assert stored.id == record_id


def test_a_crashed_session_that_cannot_be_saved_stops_a_new_one(folder: Path) -> None:
    crashed_journal(folder / "session.journal.json")
    (folder / "history.jsonl").mkdir()  # the history cannot be written
    with pytest.raises(CoachError, match="an interrupted session could not be saved") as caught:
        open_in(folder)
    assert "\n" not in str(caught.value)
    assert (folder / "session.journal.json").exists()  # kept for the next try
    assert SessionLock.try_acquire(lock_path_for(folder / "session.journal.json")) is not None  # let go


def test_append_if_absent_is_idempotent(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.jsonl")
    record = record_from_state(state(), id=new_id(), ended_at="2026-11-26T09:14:00+01:00", completed=False)
    assert store.append_if_absent(record) is True
    assert store.append_if_absent(record) is False
    assert [r.id for r in store.read().records] == [record.id]


# --- the practice both shells get -----------------------------------------------------------


def run_out(practice: Any, now: float) -> float:
    """Poll the practice every half second from `now` until its routine is over (a lead-in
    of the engine's included); the time it ended."""
    while not practice.over and now < 120:
        now += 0.5
        practice.poll(now)
    assert practice.over
    return now


def test_the_practice_records_to_the_history_with_the_journal(folder: Path, tmp_path: Path) -> None:
    from coach.library import parse_routine

    routine = parse_routine(json.dumps(REST).encode(), "short-rest.json")
    opened = open_in(folder)
    practice = opened.practice(routine, pre=3, plan=None, player=None)
    practice.start(0.0)
    assert read_journal(folder / "session.journal.json").record_id == practice.journal.record_id  # type: ignore[union-attr]
    now = run_out(practice, 0.0)  # the 5 s rest (and any lead-in) to its end
    record = practice.record(now, post=2)
    opened.release()
    assert record is not None and record.completed is True and (record.pre, record.post) == (3, 2)
    assert [r.id for r in HistoryStore(folder / "history.jsonl").read().records] == [record.id]
    assert not (folder / "session.journal.json").exists()


def test_a_journal_that_cannot_be_written_is_told_once_and_the_session_is_saved(
    folder: Path, tmp_path: Path
) -> None:
    from coach.library import parse_routine

    routine = parse_routine(json.dumps(REST).encode(), "short-rest.json")
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the journal's folder should be")
    told: list[str] = []
    store = HistoryStore(folder / "history.jsonl")
    opened = start.OpenSession(preview=False, store=store, journal_path=blocked / "session.journal.json")
    practice = opened.practice(routine, pre=4, plan=None, player=None, on_problem=told.append)
    practice.start(0.0)  # the first write fails: told, and the session goes on
    for now in (1.0, 2.0, 3.0, 4.0):
        practice.pause(now)
        practice.resume(now)
        practice.poll(now)
    record = practice.record(run_out(practice, 4.0), post=1)
    assert len(told) == 1 and told[0].startswith("The session journal cannot be written (")
    assert "\n" not in told[0]
    assert record is not None and record.completed is True and record.pre == 4
    assert [r.id for r in store.read().records] == [record.id]




# --- a history that can never be written ----------------------------------------------------


@pytest.mark.parametrize("shape", ["folder", "symlink", "fifo", "file in the way"])
def test_a_session_whose_history_cannot_be_written_does_not_start(
    folder: Path, tmp_path: Path, shape: str
) -> None:
    import os

    folder.mkdir(parents=True)
    history = folder / "history.jsonl"
    if shape == "folder":
        history.mkdir()
    elif shape == "symlink":
        (tmp_path / "real.jsonl").write_text("")
        history.symlink_to(tmp_path / "real.jsonl")
    elif shape == "fifo":
        os.mkfifo(history)
    else:
        history = folder / "data" / "history.jsonl"
        (folder / "data").write_text("a file where the data folder belongs")
    with pytest.raises(CoachError, match="no session starts") as caught:
        start.open_session("Short rest", history_path=history, journal_path=folder / "session.journal.json",
                           started=STARTED, preview=False)  # fmt: skip
    named = history.parent if shape == "file in the way" else history
    assert "\n" not in str(caught.value) and str(named) in str(caught.value)
    assert SessionLock.try_acquire(lock_path_for(folder / "session.journal.json")) is not None  # let go


def test_a_read_only_history_or_folder_stops_a_session(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    folder.mkdir(parents=True)
    (folder / "history.jsonl").write_text("")
    real_access = os.access
    # As root access(2) allows every write; the check must ask it, and heed a "no".
    def no_writes(p: Any, mode: int, **kw: Any) -> bool:
        return not (mode & os.W_OK) and real_access(p, mode, **kw)

    monkeypatch.setattr(os, "access", no_writes)
    with pytest.raises(CoachError, match="read-only"):
        open_in(folder)
    (folder / "history.jsonl").unlink()
    with pytest.raises(CoachError, match="data folder is read-only"):
        open_in(folder)


def test_a_preview_checks_no_history(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "history.jsonl").mkdir()
    opened = open_in(folder, preview=True)
    assert opened.store is None and opened.lock is None


def test_a_missing_history_in_a_missing_folder_is_fine(tmp_path: Path) -> None:
    opened = open_in(tmp_path / "new" / "home")
    opened.release()
    assert opened.store is not None


# --- the one session clock ------------------------------------------------------------------


def test_the_session_clock_counts_a_suspended_machine_and_both_shells_use_it() -> None:
    import inspect
    import time

    from coach.plain import PlainRunner

    if hasattr(time, "CLOCK_BOOTTIME"):  # Linux: the clock that goes on during a suspend
        before = time.clock_gettime(time.CLOCK_BOOTTIME)
        now = start.session_clock()
        assert before <= now <= time.clock_gettime(time.CLOCK_BOOTTIME)
    assert inspect.signature(PlainRunner).parameters["clock"].default is start.session_clock


# --- which plan a session counts towards -----------------------------------------------------


def facts(plan_id: str, *routines: str, pain_area: str | None = None, starts: str = "2026-11-26",
          ends: str = "2026-12-16", own: tuple[str, ...] = ()) -> Any:  # fmt: skip
    from datetime import date

    from coach.library import ItemFacts, PlanFacts

    items = tuple(ItemFacts(routine, 3, None, None) for routine in routines)
    return PlanFacts(plan_id, date.fromisoformat(starts), date.fromisoformat(ends), items, pain_area, own)


def listed(routine_id: str, source: str = "built-in") -> Any:
    from coach.library import RoutineInfo

    return RoutineInfo(id=routine_id, title="T", summary="", seconds=60.0, areas=[], kinds=["rest"], tags=[],
                       equipment=[], cautions=[], steps=1, source=source)  # fmt: skip


DAY = __import__("datetime").date(2026, 12, 1)


def test_a_routine_in_exactly_one_active_plan_counts_towards_it_without_asking() -> None:
    plans = [facts("kim-2026", "box-breathing", pain_area="neck"), facts("sam-2026", "cyclic-sighing"),
             facts("old-plan", "box-breathing", ends="2026-11-30")]  # fmt: skip
    found = start.attribute(listed("box-breathing"), plans, DAY)
    assert (found.plan, found.chosen, found.candidates, found.pain_area) == ("kim-2026", "only", (), "neck")
    assert found.notice("box-breathing") == (
        "This session counts towards plan 'kim-2026' (--no-plan keeps it out).")  # fmt: skip
    # The day after the old plan ended, its items count for nothing; the day before, they did.
    before = start.attribute(listed("box-breathing"), plans, DAY.replace(day=30, month=11))
    assert before.plan is None and before.candidates == ("kim-2026", "old-plan")


def test_a_routine_in_several_active_plans_counts_towards_none_and_names_them() -> None:
    plans = [facts("sam-2026", "box-breathing"), facts("kim-2026", "box-breathing", pain_area="jaw")]
    found = start.attribute(listed("box-breathing"), plans, DAY)
    assert (found.plan, found.chosen, found.pain_area) == (None, "several", None)
    assert found.candidates == ("kim-2026", "sam-2026")
    assert found.notice("box-breathing") == (
        "'box-breathing' is in 2 active plans (kim-2026; sam-2026): this session counts towards none "
        "of them; run it with --plan ID to count it")  # fmt: skip
    # Named as a person knows them, where the shell found the names (coach.plan_candidates).
    names = {"kim-2026": "kim-2026 (Kim, from Jo Park)"}
    assert found.notice("box-breathing", names) == (
        "'box-breathing' is in 2 active plans (kim-2026 (Kim, from Jo Park); sam-2026): this session "
        "counts towards none of them; run it with --plan ID to count it")  # fmt: skip
    named = start.attribute(listed("box-breathing"), plans, DAY, plan="kim-2026")
    assert (named.plan, named.chosen, named.pain_area, named.notice("box-breathing")) == (
        "kim-2026", "named", "jaw", None)  # fmt: skip


def test_a_routine_in_no_active_plan_counts_towards_none() -> None:
    plans = [facts("kim-2026", "box-breathing")]
    found = start.attribute(listed("cyclic-sighing"), plans, DAY)
    assert (found.plan, found.chosen, found.notice("cyclic-sighing")) == (None, "none", None)
    assert start.attribute(listed("box-breathing"), [], DAY).plan is None
    # A routine run from a file merely shares an id with the item: nobody's item.
    assert start.attribute(listed("box-breathing", source="file"), plans, DAY).plan is None


def test_no_plan_keeps_the_session_out_of_every_plan() -> None:
    plans = [facts("kim-2026", "box-breathing", pain_area="neck")]
    found = start.attribute(listed("box-breathing"), plans, DAY, no_plan=True)
    assert (found.plan, found.chosen, found.pain_area, found.notice("box-breathing")) == (
        None, "opted-out", None, None)  # fmt: skip


def test_a_plans_own_routine_counts_towards_its_plan_only() -> None:
    plans = [facts("sam-phase-1", "upper-back", own=("upper-back",)),
             facts("sam-phase-2", "upper-back", own=("upper-back",))]  # fmt: skip
    own = listed("sam-phase-2/upper-back", source="plan:sam-phase-2")
    assert start.attribute(own, plans, DAY).plan == "sam-phase-2"
    # A user's routine of the same bare id is neither plan's own routine, and the items
    # name the plans' own: it counts towards no plan (issue 13).
    mine = start.attribute(listed("upper-back", source="user"), plans, DAY)
    assert (mine.plan, mine.chosen, mine.candidates) == (None, "none", ())
    # The same id as an item that names a built-in (the plan has no own routine of it):
    # the user's routine in its place is that item.
    in_place = start.attribute(listed("upper-back", source="user"), [facts("kim", "upper-back")], DAY)
    assert in_place.plan == "kim"


def test_a_users_routine_with_a_plans_own_id_is_not_the_plans(tmp_path: Path) -> None:
    """Issue 13's repro: plan sam-neck has its own "upper-back" and an item for it; the
    user's own upper-back.json counts towards no plan (the stored plan's facts say which
    ids are its own)."""
    from datetime import date

    own = {"format": 1, "id": "upper-back", "title": "Plan's", "steps": [REST["steps"][0]]}
    stored(tmp_path, "sam-neck", routines=[own], items=[{"routine": "upper-back", "per_week": 3}])
    (tmp_path / "user").mkdir()
    (tmp_path / "user" / "upper-back.json").write_text(json.dumps({**own, "title": "Mine"}))
    library, plans, on = library_in(tmp_path), tmp_path / "plans", date(2026, 12, 1)
    request, notes = start.request_from_args(args(routine="upper-back"), library, plans, today=on)
    assert (request.info.source, request.plan, notes) == ("user", None, [])
    theirs, notes = start.request_from_args(args(routine="sam-neck/upper-back"), library, plans, today=on)
    assert (theirs.info.title, theirs.plan) == ("Plan's", "sam-neck")
    assert notes == ["This session counts towards plan 'sam-neck' (--no-plan keeps it out)."]


def test_a_plans_session_runs_as_written_and_minutes_are_refused(tmp_path: Path) -> None:
    """Issue 13: a plan's session shortened with --minutes counted as a full one. Refused in
    one line naming --no-plan; with --no-plan the length is kept; the length --last
    remembered is left out, and said."""
    from datetime import date

    stored(tmp_path, "kim-2026")
    library, plans, on = library_in(tmp_path), tmp_path / "plans", date(2026, 12, 1)
    with pytest.raises(UsageError) as caught:
        start.request_from_args(args(minutes=2.0), library, plans, today=on)
    assert caught.value.message == (
        "the routines of plan 'kim-2026' run as written, and this session counts towards it: leave "
        "out --minutes, or add --no-plan to practise a shorter version outside the plan")  # fmt: skip
    with pytest.raises(UsageError, match="run as written"):
        start.request_from_args(args(minutes=2.0, plan="kim-2026"), library, plans, today=on)
    outside, _ = start.request_from_args(args(minutes=2.0, no_plan=True), library, plans, today=on)
    assert (outside.plan, outside.minutes) == (None, 2.0)
    remembered = args(minutes=2.0, minutes_remembered=True)
    last, notes = start.request_from_args(remembered, library, plans, today=on)
    assert (last.plan, last.minutes) == ("kim-2026", None)
    assert "so it runs as written (not at the length you chose last time)" in notes[-1]
    # A preview records nothing: it may be shortened.
    quick = args(minutes=2.0, plan="kim-2026", speed=10)
    preview, _ = start.request_from_args(quick, library, plans, today=on)
    assert preview.minutes == 2.0


def stored(tmp_path: Path, plan_id: str, **changes: Any) -> None:
    from tests.helpers.plans import BASE

    folder = tmp_path / "plans"
    folder.mkdir(parents=True, exist_ok=True)
    plan = {**BASE, "id": plan_id, "items": [{"routine": "short-rest", "per_week": 3}], **changes}
    (folder / f"{plan_id}.json").write_text(json.dumps(plan))


def test_the_request_carries_the_plan_and_the_pain_rating(tmp_path: Path) -> None:
    from datetime import date

    stored(tmp_path, "kim-2026", pain={"area": "neck"})
    library = library_in(tmp_path)
    plans, on = tmp_path / "plans", date(2026, 12, 1)
    request, notes = start.request_from_args(args(pain_pre=6, pain_post=4), library, plans, today=on)
    assert (request.plan, request.pain_area, request.pain_pre, request.pain_post) == (
        "kim-2026", "neck", 6, 4)  # fmt: skip
    assert notes == ["This session counts towards plan 'kim-2026' (--no-plan keeps it out)."]
    # After the plan's last day it is nobody's session, and pain given up front is not kept.
    request, notes = start.request_from_args(args(pain_pre=6), library, plans, today=date(2027, 1, 1))
    assert (request.plan, request.pain_area, request.pain_pre) == (None, None, None)
    assert notes == ["--pain-pre and --pain-post are for a plan that asks for a pain rating; this session's "
                     "plan does not, so they are not kept"]  # fmt: skip
    out, notes = start.request_from_args(args(no_plan=True), library, plans, today=on)
    assert (out.plan, out.no_plan, out.pain_area, notes) == (None, True, None, [])


def test_several_plans_leave_the_request_without_a_plan_for_the_shell_to_settle(tmp_path: Path) -> None:
    from datetime import date

    stored(tmp_path, "kim-2026")
    stored(tmp_path, "sam-2026", pain={"area": "jaw"})
    library = library_in(tmp_path)
    request, notes = start.request_from_args(args(), library, tmp_path / "plans", today=date(2026, 12, 1))
    assert (request.plan, request.candidates, request.pain_area) == (None, ("kim-2026", "sam-2026"), None)
    assert len(notes) == 1 and notes[0].startswith(
        "'short-rest' is in 2 active plans (kim-2026 (Kim, from Jo Park); sam-2026 (Kim, from Jo Park)): "
    ), notes
    # The app asks instead (coach.tui.flow.which_plan): no "counts towards none" note there.
    asked, notes = start.request_from_args(args(), library, tmp_path / "plans", today=date(2026, 12, 1),
                                           plan_asked=True)  # fmt: skip
    assert asked.candidates == ("kim-2026", "sam-2026") and notes == []
    named, notes = start.request_from_args(args(plan="sam-2026"), library, tmp_path / "plans",
                                           today=date(2026, 12, 1))  # fmt: skip
    assert (named.plan, named.candidates, named.pain_area, notes) == ("sam-2026", (), "jaw", [])
    # A preview records nothing: no plan, no notice.
    preview, notes = start.request_from_args(args(speed=10), library, tmp_path / "plans",
                                             today=date(2026, 12, 1))  # fmt: skip
    assert (preview.plan, preview.candidates, notes) == (None, (), [])


@pytest.mark.parametrize(("values", "message"), [
    ({"plan": "kim-2026", "no_plan": True}, "give --plan ID or --no-plan, not both"),
    ({"pain_pre": 11}, "--pain-pre must be a whole number from 0 to 10, got 11"),
    ({"pain_post": -1}, "--pain-post must be a whole number from 0 to 10, got -1"),
])  # fmt: skip
def test_bad_plan_and_pain_options_are_one_line(tmp_path: Path, values: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError, match=f"^{message}$"):
        start.request_from_args(args(**values), library_in(tmp_path), tmp_path / "plans")


@pytest.mark.parametrize(("area", "words"), [("neck", "neck"), ("upper-back", "upper back"),
                                             ("lower-back", "lower back"), ("whole-body", "body"),
                                             ("forearms-hands", "forearms and hands")])  # fmt: skip
def test_the_pain_question_names_the_area_and_the_anchors(area: str, words: str) -> None:
    assert start.pain_question(area) == (
        f"Pain in your {words} right now, 0 = no pain, 10 = worst pain imaginable")  # fmt: skip


def test_the_record_names_a_plans_own_routine_as_plan_id_with_the_pain_ratings(folder: Path) -> None:
    from coach.library import parse_routine

    routine = parse_routine(json.dumps(REST).encode(), "short-rest.json")
    opened = open_in(folder)
    practice = opened.practice(routine, pre=3, plan="sam-neck", player=None, routine_id="sam-neck/short-rest",
                               pain_area="neck", pain_pre=6)  # fmt: skip
    practice.start(0.0)
    journal = json.loads((folder / "session.journal.json").read_text())["state"]
    assert (journal["routine"], journal["pain_area"], journal["pain_pre"]) == (
        "sam-neck/short-rest", "neck", 6)  # fmt: skip
    record = practice.record(run_out(practice, 0.0), post=2, pain_post=3)
    opened.release()
    assert record is not None
    assert (record.routine, record.plan, record.pain_area, record.pain_pre, record.pain_post) == (
        "sam-neck/short-rest", "sam-neck", "neck", 6, 3)  # fmt: skip
    (line,) = (folder / "history.jsonl").read_text().splitlines()
    assert json.loads(line)["routine"] == "sam-neck/short-rest" and json.loads(line)["pain_post"] == 3


def test_a_crashed_session_keeps_its_pain_pre_rating(folder: Path) -> None:
    crashed_journal(folder / "session.journal.json", pain_area="neck", pain_pre=7,
                    routine="sam-neck/short-rest")  # fmt: skip
    opened = open_in(folder)
    opened.release()
    assert opened.recovered is not None
    assert (opened.recovered.routine, opened.recovered.pain_area, opened.recovered.pain_pre,
            opened.recovered.pain_post) == ("sam-neck/short-rest", "neck", 7, None)  # fmt: skip


def test_an_id_only_inside_plans_names_them_and_an_outside_routine_is_said_plainly(tmp_path: Path) -> None:
    """Issue 13: `coach run upper-back` where the id exists only inside plans suggests
    PLAN/ID; a routine that is none of --plan's items is said without a doubled quote."""
    from datetime import date

    own = {"format": 1, "id": "upper-back", "title": "Own", "steps": [REST["steps"][0]]}
    for plan_id in ("sam-neck", "sam-phase2"):
        stored(tmp_path, plan_id, routines=[own], items=[{"routine": "upper-back", "per_week": 3}])
    library, plans = library_in(tmp_path), tmp_path / "plans"
    with pytest.raises(UsageError) as caught:
        start.request_from_args(args(routine="upper-back"), library, plans, today=date(2026, 12, 1))
    assert caught.value.message == (
        "no routine 'upper-back'; did you mean sam-neck/upper-back or sam-phase2/upper-back?")  # fmt: skip
    _, notes = start.request_from_args(args(routine="sam-neck/upper-back", plan="sam-phase2"), library, plans,
                                       today=date(2026, 12, 1))  # fmt: skip
    assert notes[0] == ("plan 'sam-phase2' has no item for sam-neck/upper-back (its items: "
                        "sam-phase2/upper-back); the session is recorded with the plan but does not "
                        "count towards it")  # fmt: skip
