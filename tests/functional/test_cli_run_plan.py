"""`coach run ROUTINE --plan ID`: the plan must exist, and a routine outside it is flagged."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.command import ROUTINES, RunCoach

EXAMPLE = ROUTINES / "examples" / "desk-neck-plan.json"


def test_a_routine_outside_the_plan_is_flagged_but_recorded(run_coach: RunCoach, tmp_path: Path) -> None:
    assert run_coach("plan", "import", str(EXAMPLE)).returncode == 0
    plan_id = json.loads(EXAMPLE.read_text())["id"]
    short = tmp_path / "short.json"
    short.write_text(json.dumps({"format": 1, "id": "short-rest", "title": "Short rest",
                                 "steps": [{"type": "rest", "title": "Rest", "seconds": 5}]}))  # fmt: skip
    result = run_coach("run", str(short), "--plain", "--plan", plan_id, "--pre", "4", "--post", "3")
    assert result.returncode == 0, result.stderr
    assert f"coach: plan '{plan_id}' has no item for short-rest (its items: " in result.stderr
    (record,) = json.loads(run_coach("history", "--json").stdout)
    assert record["plan"] == plan_id and record["routine"] == "short-rest"


def test_an_unknown_plan_stops_before_the_session(run_coach: RunCoach) -> None:
    result = run_coach("run", "box-breathing", "--plain", "--plan", "no-such-plan", "--pre", "4")
    assert result.returncode == 2
    assert "no plan with id 'no-such-plan'" in result.stderr
    assert json.loads(run_coach("history", "--json").stdout) == []


def test_the_app_launch_checks_the_plan_too(coach_home: Path) -> None:
    import argparse

    import pytest

    from coach.errors import UsageError
    from coach.tui.launch import run_app

    args = argparse.Namespace(routine="box-breathing", pre=None, post=None, plan="no-such-plan",
                              mute=True, speed=None)  # fmt: skip
    with pytest.raises(UsageError, match="no plan with id 'no-such-plan'"):
        run_app(args)


# --- namespaces and attribution, as a client runs them ----------------------------------------


def _plan(plan_id: str, *items: str, own: str | None = None, title: str = "Own", **extra: object) -> dict:
    """A plan running today (whatever the date the tests run on), with a 5 s routine of its own."""
    from datetime import date, timedelta

    today = date.today()
    routines = [] if own is None else [_short(own, title)]
    names = [*items, *([own] if own else [])]
    starts, ends = today - timedelta(days=3), today + timedelta(days=10)
    return {"format": 1, "id": plan_id, "client": "Sam", "therapist": {"name": "Jo"},
            "starts": starts.isoformat(), "ends": ends.isoformat(), "routines": routines,
            "items": [{"routine": name, "per_week": 3} for name in names], **extra}  # fmt: skip


def _short(routine_id: str, title: str) -> dict:
    """A routine of one 5-second rest (the shortest a step may be): runs stay short."""
    steps = [{"type": "rest", "title": "R", "seconds": 5}]
    return {"format": 1, "id": routine_id, "title": title, "steps": steps}


def _import(run_coach: RunCoach, tmp_path: Path, plan: dict) -> None:
    path = tmp_path / f"{plan['id']}.json"
    path.write_text(json.dumps(plan))
    result = run_coach("plan", "import", str(path))
    assert result.returncode == 0, result.stderr


def _history(run_coach: RunCoach) -> list[dict]:
    return json.loads(run_coach("history", "--json").stdout)


def test_a_plans_own_routine_is_plan_id_everywhere_and_counts_towards_its_plan(
    run_coach: RunCoach, tmp_path: Path
) -> None:
    _import(run_coach, tmp_path, _plan("sam-phase-1", own="upper-back", title="Phase one"))
    phase_2 = _plan("sam-phase-2", own="upper-back", title="Phase two", pain={"area": "neck"})
    _import(run_coach, tmp_path, phase_2)
    listed = {i["id"]: i for i in json.loads(run_coach("list", "--json").stdout)}
    assert listed["sam-phase-1/upper-back"]["title"] == "Phase one"
    assert listed["sam-phase-2/upper-back"]["title"] == "Phase two"
    assert "upper-back" not in listed
    table = run_coach("list").stdout
    assert "sam-phase-1/upper-back" in table and "[plan:sam-phase-2]" in table
    shown = run_coach("show", "sam-phase-2/upper-back")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("Phase two  (sam-phase-2/upper-back, ")
    result = run_coach("run", "sam-phase-2/upper-back", "--plain", "--pre", "5", "--post", "3",
                       "--pain-pre", "6", "--pain-post", "4", timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "coach: This session counts towards plan 'sam-phase-2' (--no-plan keeps it out)." in result.stderr
    (record,) = _history(run_coach)
    assert (record["routine"], record["routine_title"], record["plan"]) == (
        "sam-phase-2/upper-back", "Phase two", "sam-phase-2")  # fmt: skip
    assert (record["pain_area"], record["pain_pre"], record["pain_post"]) == ("neck", 6, 4)
    # The plan counts it: its item names the inner id.
    due = run_coach("due")
    assert "sam-phase-2/upper-back" in due.stdout, due.stdout + due.stderr
    # A bare id with --plan looks in that plan first.
    again = run_coach("run", "upper-back", "--plain", "--plan", "sam-phase-1", "--pre", "5", "--post", "3")
    assert again.returncode == 0, again.stderr
    assert _history(run_coach)[-1]["routine"] in ("sam-phase-1/upper-back",)
    unknown = run_coach("show", "sam-phase-1/lower-back")
    assert unknown.returncode == 2 and "no routine 'lower-back' in plan 'sam-phase-1'" in unknown.stderr


def test_several_plans_count_none_until_plan_says_which_and_no_plan_opts_out(
    run_coach: RunCoach, tmp_path: Path, coach_home: Path
) -> None:
    # 5-second stand-ins for the two built-ins the plans name (a user's routine replaces a
    # built-in with its id, and counts for the items that name it): the runs stay short.
    for routine_id in ("box-breathing", "cyclic-sighing"):
        (coach_home / "routines").mkdir(parents=True, exist_ok=True)
        (coach_home / "routines" / f"{routine_id}.json").write_text(json.dumps(_short(routine_id, "Short")))
    _import(run_coach, tmp_path, _plan("kim-2026", "box-breathing"))
    _import(run_coach, tmp_path, _plan("sam-2026", "box-breathing", "cyclic-sighing"))
    both = run_coach("run", "box-breathing", "--plain", "--pre", "5", "--post", "3")
    assert both.returncode == 0, both.stderr
    # Named as the client knows them: by client and therapist (coach.plan_candidates).
    assert ("coach: 'box-breathing' is in 2 active plans (kim-2026 (Sam, from Jo); sam-2026 (Sam, from "
            "Jo)): this session counts towards none of them; run it with --plan ID to count it"
            ) in both.stderr  # fmt: skip
    # (Exactly one plan, and --plan: the test above; here --no-plan, for the one plan's routine.)
    out = run_coach("run", "cyclic-sighing", "--plain", "--no-plan", "--pre", "5", "--post", "3")
    assert out.returncode == 0 and "counts towards" not in out.stderr, out.stderr
    assert [(r["routine"], r["plan"]) for r in _history(run_coach)] == [
        ("box-breathing", None), ("cyclic-sighing", None)]  # fmt: skip
    both_given = run_coach("run", "box-breathing", "--plain", "--plan", "kim-2026", "--no-plan")
    assert both_given.returncode == 2 and "not allowed with argument" in both_given.stderr


def test_a_real_path_with_a_slash_still_runs(run_coach: RunCoach, tmp_path: Path) -> None:
    folder = tmp_path / "sam-neck"
    folder.mkdir()
    (folder / "upper-back").write_text(json.dumps(_short("from-a-file", "From a file")))
    for ref in ("sam-neck/upper-back", "./sam-neck/upper-back"):
        shown = run_coach("show", ref, cwd=tmp_path)
        assert shown.returncode == 0 and shown.stdout.startswith("From a file  (from-a-file, "), shown.stderr


# --- issue 13: exact attribution, plan sessions as written ------------------------------------


def test_a_users_routine_with_the_id_of_a_plans_own_counts_towards_no_plan(
    run_coach: RunCoach, tmp_path: Path, coach_home: Path
) -> None:
    """The tester's repro: plan sam-neck with its own upper-back and an item for it, and the
    user's own upper-back.json: a session of the user's routine is nobody's, and the
    report credits nothing; the plan's routine is sam-neck/upper-back."""
    _import(run_coach, tmp_path, _plan("sam-neck", own="upper-back", title="The plan's"))
    (coach_home / "routines").mkdir(parents=True, exist_ok=True)
    (coach_home / "routines" / "upper-back.json").write_text(json.dumps(_short("upper-back", "Mine")))
    mine = run_coach("run", "upper-back", "--plain", "--pre", "5", "--post", "3")
    assert mine.returncode == 0, mine.stderr
    assert "counts towards" not in mine.stderr, mine.stderr
    (record,) = _history(run_coach)
    assert (record["routine"], record["routine_title"], record["plan"]) == ("upper-back", "Mine", None)
    report = json.loads(run_coach("plan", "report", "sam-neck", "--format", "json").stdout)
    assert report["sessions"] == [] and report["adherence"]["completed_sessions"] == 0


def test_minutes_are_refused_for_a_plans_session_and_kept_outside_it(
    run_coach: RunCoach, tmp_path: Path
) -> None:
    _import(run_coach, tmp_path, _plan("sam-neck", own="upper-back"))
    refused = run_coach("run", "sam-neck/upper-back", "--plain", "--minutes", "1", "--pre", "5")
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.strip().splitlines() == [
        "coach: the routines of plan 'sam-neck' run as written, and this session counts towards it: "
        "leave out --minutes, or add --no-plan to practise a shorter version outside the plan"
    ]
    assert _history(run_coach) == []


def test_an_id_only_inside_plans_suggests_plan_id(run_coach: RunCoach, tmp_path: Path) -> None:
    _import(run_coach, tmp_path, _plan("sam-neck", own="upper-back"))
    _import(run_coach, tmp_path, _plan("sam-phase2", own="upper-back"))
    for command in ("run", "show"):
        result = run_coach(command, "upper-back", "--plain" if command == "run" else "--html")
        assert result.returncode == 2
        assert result.stderr.strip() == ("coach: no routine 'upper-back'; did you mean "
                                         "sam-neck/upper-back or sam-phase2/upper-back?")  # fmt: skip
