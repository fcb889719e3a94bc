"""The plan commands as a person runs them: the installed `coach`, in a private COACH_HOME."""

from __future__ import annotations

import copy
import json
import stat
from pathlib import Path

import pytest

from coach.history import HistoryStore
from coach.plan import plan_json_schema
from tests.helpers.command import RunCoach
from tests.helpers.plans import BASE, EXAMPLE, session, text_of


def write(tmp_path: Path, obj: dict[str, object], name: str = "plan.json") -> Path:
    path = tmp_path / name
    path.write_bytes(text_of(obj))
    return path


def test_validate_schema_and_new(run_coach: RunCoach, tmp_path: Path) -> None:
    ok = run_coach("validate", str(EXAMPLE))
    assert ok.returncode == 0 and ok.stdout == f"{EXAMPLE}: ok (plan)\n"
    bad = copy.deepcopy(BASE)
    bad["items"][1]["days"] = ["mon", "funday"]
    result = run_coach("validate", str(write(tmp_path, bad)))
    assert result.returncode == 1
    assert (
        f"{tmp_path / 'plan.json'}:35:9: items[1].days[1]: expected 'mon', 'tue', 'wed', 'thu', "
        "'fri', 'sat' or 'sun', got \"funday\""
    ) in result.stderr
    schema = run_coach("schema", "plan")
    assert schema.returncode == 0 and json.loads(schema.stdout) == plan_json_schema()
    new = run_coach("new", "plan", "lee-back", cwd=tmp_path)
    assert new.returncode == 0, new.stderr
    assert (tmp_path / "plan.schema.json").exists()
    assert run_coach("validate", str(tmp_path / "lee-back.json")).returncode == 0


def test_import_list_report_remove(run_coach: RunCoach, coach_home: Path, tmp_path: Path) -> None:
    first = run_coach("plan", "import", str(EXAMPLE))
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith(
        "Imported plan 'sam-neck-2026-12' for Sam R. from Jo Park: Wed 2 Dec 2026 to Tue 22 Dec 2026, "
        "3 items, 1 routine of its own (sam-neck-2026-12/sam-desk-posture)."
    )
    stored = coach_home / "plans" / "sam-neck-2026-12.json"
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(stored.parent.stat().st_mode) == 0o700
    again = run_coach("plan", "import", str(EXAMPLE))
    assert "already imported with this same content (version 1); nothing changed" in again.stdout
    assert stored.read_bytes() == EXAMPLE.read_bytes()

    newer = json.loads(EXAMPLE.read_text("utf-8"))
    newer["ends"] = "2026-12-29"
    replaced = run_coach("plan", "import", str(write(tmp_path, newer)))
    assert replaced.returncode == 0
    assert replaced.stdout.startswith("Stored version 2 of plan 'sam-neck-2026-12' for Sam R.")
    assert "Earlier weeks keep the targets they had; every earlier version is kept." in replaced.stdout
    assert ": plan dates 2026-12-02 to 2026-12-22 → 2026-12-02 to 2026-12-29\n" in replaced.stdout

    # The plan's own routine is offered, labelled with the plan.
    listed = json.loads(run_coach("list", "--json").stdout)
    own = [r for r in listed if r["id"] == "sam-neck-2026-12/sam-desk-posture"]  # PLAN/ID
    assert own and own[0]["source"] == "plan:sam-neck-2026-12"

    HistoryStore(coach_home / "history.jsonl").append(
        session("sam-desk-posture", plan="sam-neck-2026-12", pre=6, post=3, note="Easier today.")
    )
    plans = run_coach("plan", "list")
    assert plans.returncode == 0 and plans.stdout.startswith("sam-neck-2026-12  ")
    assert "Sam R. (from Jo Park), 3 items, 2 versions, last changed " in plans.stdout

    out = tmp_path / "report.html"
    made = run_coach("plan", "report", "sam-neck-2026-12", "--format", "html", "-o", str(out))
    assert made.returncode == 0 and made.stdout == f"Wrote {out} (html).\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "Easier today." in out.read_text("utf-8")
    md = run_coach("plan", "report", "sam-neck-2026-12")
    assert md.stdout.startswith("# Home plan report: sam-neck-2026-12\n")
    assert "Desk posture reset for Sam" in md.stdout
    assert run_coach("plan", "report", "sam-neck-2026-12", "--format", "csv").stdout.startswith(
        "section,field,value\nplan,plan,sam-neck-2026-12\n"
    )

    removed = run_coach("plan", "remove", "sam-neck-2026-12")
    assert removed.returncode == 0
    assert removed.stdout == (
        "Removed plan 'sam-neck-2026-12' (Sam R., Wed 2 Dec 2026 to Tue 29 Dec 2026). "
        "Its sessions stay in your history.\n"
    )
    assert not stored.exists()
    assert (coach_home / "history.jsonl").read_text().count("\n") == 1
    assert run_coach("plan", "list").stdout.startswith("No plans imported.")


def test_errors_are_one_line_and_never_a_traceback(run_coach: RunCoach, tmp_path: Path) -> None:
    bad = copy.deepcopy(BASE)
    bad["ends"] = "2026-11-01"
    cases = [
        (
            ("plan", "import", str(write(tmp_path, bad))),
            1,
            f"{tmp_path / 'plan.json'}:10:11: ends: the plan ends (2026-11-01) before it starts "
            "(2026-11-26)\n",
        ),
        (
            ("plan", "import", str(tmp_path / "missing.json")),
            2,
            f"coach: {tmp_path / 'missing.json'}: no such file\n",
        ),
        (("plan", "import", str(tmp_path)), 2, f"coach: {tmp_path}: is a folder, not a plan file\n"),
        (("plan", "remove", "nobody"), 2, "coach: no plan with id 'nobody'; no plan is imported yet\n"),
        (("plan", "report", "nobody"), 2, "coach: no plan with id 'nobody'; no plan is imported yet\n"),
    ]
    for args, code, stderr in cases:
        result = run_coach(*args)
        assert result.returncode == code, (args, result.stderr)
        assert result.stderr.endswith(stderr), (args, result.stderr)
        assert "Traceback" not in result.stderr
    usage = run_coach("plan", "report", "x", "--format", "pdf")
    assert usage.returncode == 2 and "invalid choice: 'pdf'" in usage.stderr
    folder = tmp_path / "folder"
    folder.mkdir()
    run_coach("plan", "import", str(EXAMPLE))
    target = run_coach("plan", "report", "sam-neck-2026-12", "-o", str(folder))
    assert target.returncode == 2 and target.stderr == f"coach: {folder}: is a folder; give a file name\n"


def test_report_json_on_stdout_escapes_what_acts_or_hides(run_coach: RunCoach, coach_home: Path) -> None:
    """`plan report --format json` to a terminal: C1 controls, bidi overrides and line
    separators from a note are \\u escapes (the same JSON value), never raw."""
    assert run_coach("plan", "import", str(EXAMPLE)).returncode == 0
    hostile = "csi\u009b2J bidi\u202eflip line\u2028sep del\x7f"
    HistoryStore(coach_home / "history.jsonl").append(
        session("sam-desk-posture", plan="sam-neck-2026-12", pre=6, post=3, note=hostile)
    )
    shown = run_coach("plan", "report", "sam-neck-2026-12", "--format", "json")
    assert shown.returncode == 0, shown.stderr
    assert not any(ch in shown.stdout for ch in "\u009b\u202e\u2028\x7f")
    assert "\\u009b" in shown.stdout and "\\u202e" in shown.stdout and "\\u2028" in shown.stdout
    assert hostile in [s["note"] for s in json.loads(shown.stdout)["sessions"]]
    md = run_coach("plan", "report", "sam-neck-2026-12").stdout
    assert "| 6 | 3 | −3 (a large drop) |" in md  # the change's words in the sessions table


def test_report_format_follows_o_and_json_follows_its_schema(
    run_coach: RunCoach, coach_home: Path, tmp_path: Path
) -> None:
    import jsonschema

    from coach.report.schema import REPORT_SCHEMA

    assert run_coach("plan", "import", str(EXAMPLE)).returncode == 0
    HistoryStore(coach_home / "history.jsonl").append(
        session("sam-desk-posture", plan="sam-neck-2026-12", pre=6, post=3, note="tingling in my hand")
    )
    made = run_coach("plan", "report", "sam-neck-2026-12", "-o", str(tmp_path / "r.json"))
    assert made.returncode == 0 and made.stdout == f"Wrote {tmp_path / 'r.json'} (json).\n", made.stderr
    data = json.loads((tmp_path / "r.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(data)
    assert data["attention"][0]["flags"][0]["kind"] == "note names a warning sign"
    assert stat.S_IMODE((tmp_path / "r.json").stat().st_mode) == 0o600
    html_made = run_coach("plan", "report", "sam-neck-2026-12", "-o", str(tmp_path / "r.html"))
    assert html_made.returncode == 0 and (tmp_path / "r.html").read_text().startswith("<!DOCTYPE html>")
    unknown = run_coach("plan", "report", "sam-neck-2026-12", "-o", str(tmp_path / "r.pdf"))
    assert unknown.returncode == 2 and not (tmp_path / "r.pdf").exists()
    assert unknown.stderr == (
        f"coach: {tmp_path / 'r.pdf'}: cannot tell the format from '.pdf'; name the file .md, .markdown, "
        ".txt, .html, .htm, .csv, .json, or add --format md|html|csv|json\n"
    )
    told = run_coach("plan", "report", "sam-neck-2026-12", "--format", "md", "-o", str(tmp_path / "r.pdf"))
    assert told.returncode == 0 and (tmp_path / "r.pdf").read_text().startswith("# Home plan report")


def test_handout_and_show_html(run_coach: RunCoach, tmp_path: Path) -> None:
    assert run_coach("plan", "import", str(EXAMPLE)).returncode == 0
    out = tmp_path / "handout.html"
    made = run_coach("plan", "handout", "sam-neck-2026-12", "-o", str(out))
    assert made.returncode == 0, made.stderr
    assert made.stdout == f"Wrote {out} (the handout for Sam R.; open it in a browser to print).\n"
    page = out.read_text("utf-8")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert page.startswith("<!DOCTYPE html>") and "<h2>Your schedule</h2>" in page
    assert "(sam-neck-2026-12/sam-desk-posture)" in page  # the plan's own routine, as the client types it
    assert "coach run neck-and-shoulders --plan sam-neck-2026-12" in page
    assert "<script" not in page and "http" not in page.split("</style>")[1]
    again = run_coach("plan", "handout", "sam-neck-2026-12", "-o", str(out))
    assert (
        again.returncode == 2 and again.stderr == f"coach: {out}: already exists; add --force to replace it\n"
    )
    wrong = run_coach("plan", "handout", "sam-neck-2026-12", "-o", str(tmp_path / "h.md"))
    assert wrong.returncode == 2 and wrong.stderr.count("\n") == 1 and "'.md'" in wrong.stderr
    shown = run_coach("plan", "handout", "sam-neck-2026-12")
    assert shown.returncode == 0 and shown.stdout == page  # the same page on stdout
    one = tmp_path / "neck.html"
    show = run_coach("show", "neck-and-shoulders", "--html", "-o", str(one))
    assert show.returncode == 0 and show.stdout == f"Wrote {one} (open it in a browser to print).\n"
    assert "<h1>Neck and shoulder release</h1>" in one.read_text("utf-8")
    assert '<figure class="body-map">' in one.read_text("utf-8")
    bare = run_coach("show", "neck-and-shoulders", "-o", str(tmp_path / "x.html"))
    assert bare.returncode == 2 and bare.stderr == "coach: -o FILE writes the printable handout: add --html\n"
    own = run_coach("show", "sam-neck-2026-12/sam-desk-posture", "--html")
    assert own.returncode == 0 and own.stdout.startswith("<!DOCTYPE html>")


# --- issue 13: the report's shape is findable; `due` on other days -----------------------------


def test_schema_report_prints_the_documented_shape_and_the_readme_names_it(run_coach: RunCoach) -> None:
    from coach.report.schema import REPORT_SCHEMA
    from tests.helpers.command import ROOT

    shown = run_coach("schema", "report")
    assert shown.returncode == 0, shown.stderr
    published = json.loads((ROOT / "docs" / "report.schema.json").read_text("utf-8"))
    assert json.loads(shown.stdout) == REPORT_SCHEMA == published
    readme = (ROOT / "README.md").read_text("utf-8")
    table = readme.split("## Commands")[1].split("\n## ")[0]
    assert "`coach schema routine\\|plan\\|report`" in table
    assert "`plan handout ID -o FILE.html`" in table and "`--html -o FILE.html`" in table
    plans_section = readme.split("## Plans: home routines from a therapist")[1].split("\n## ")[0]
    assert "`coach schema report`" in plans_section


def _running(days_before: int, days_after: int, plan_id: str = "kim-2026") -> dict[str, object]:
    """BASE's plan moved to run around today (whatever the date the tests run on)."""
    from datetime import date, timedelta

    today = date.today()
    return {**BASE, "id": plan_id, "starts": (today - timedelta(days=days_before)).isoformat(),
            "ends": (today + timedelta(days=days_after)).isoformat(),
            "items": [{"routine": "neck-and-shoulders", "per_week": 5}]}  # fmt: skip


@pytest.mark.usefixtures("midday")  # "today" in the test and in `coach` is one day
def test_due_on_a_past_day_offers_no_start_and_a_date_outside_the_calendar_is_said(
    run_coach: RunCoach, tmp_path: Path
) -> None:
    from datetime import date, timedelta

    assert run_coach("plan", "import", str(write(tmp_path, _running(10, 10)))).returncode == 0
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    past = run_coach("due", "--date", yesterday)
    assert past.returncode == 0 and past.stdout.startswith("Due on "), past.stderr
    assert "Start one with" not in past.stdout
    today = run_coach("due")
    assert today.stdout.startswith("Due today, ")
    assert "Start one with: coach run ROUTINE --plan PLAN" in today.stdout
    bad = run_coach("due", "--date", "2026-02-30")
    assert bad.returncode == 2 and "'2026-02-30' is not a date in the calendar" in bad.stderr
    odd = run_coach("due", "--date", "20261201")  # Python reads it; `--date` says YYYY-MM-DD
    assert odd.returncode == 2 and "'20261201' is not a date as YYYY-MM-DD" in odd.stderr


@pytest.mark.usefixtures("midday")  # "today" in the test and in `coach` is one day
def test_due_with_only_an_upcoming_plan_says_when_it_starts(run_coach: RunCoach, tmp_path: Path) -> None:
    from datetime import date, timedelta

    from coach.text import day_text

    assert run_coach("plan", "import", str(write(tmp_path, _running(-3, 20)))).returncode == 0
    starts = date.today() + timedelta(days=3)
    shown = run_coach("due")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == (f"Nothing due today, {day_text(date.today())}; plan 'kim-2026' starts on "
                            f"{day_text(starts)}.\n")  # fmt: skip
