"""The words of `coach status` and of the reminder, as people read them: the README's
example is what the code prints; the reminder tells of an ended app in a person's words;
a chosen length is said as the session will really have it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import coach.commands.remind as remind_command
from coach.commands.remind import Options, Runner
from coach.commands.status import status_line

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_status_example_is_what_coach_status_prints() -> None:
    readme = ROOT.joinpath("README.md").read_text("utf-8")
    shown = readme.split("$ coach status\n", 1)[1].split("\n", 1)[0]
    # The time in the example, read back as the local time the reminder wrote.
    at = shown.split(" · ")[0].rsplit(" ", 1)[1]
    hour, minute = (int(part) for part in at.split(":"))
    next_due = datetime.now().astimezone().replace(hour=hour, minute=minute, second=0, microsecond=0)
    facts = {"next_break": next_due.isoformat(), "reminder": "waiting", "plan_items_due": 0,
             "plan_items_done": 0, "streak_days": 1, "breaks_today": None}  # fmt: skip
    assert status_line(facts) == shown


def test_a_break_backed_out_of_says_no_session_was_recorded_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COACH_HOME", str(tmp_path))
    for name in ("TMUX", "DBUS_SESSION_BUS_ADDRESS"):
        monkeypatch.delenv(name, raising=False)
    base = datetime(2026, 11, 26, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    monkeypatch.setattr(remind_command, "_now", lambda: base)
    monkeypatch.setattr(remind_command, "_run_child", lambda cmd: 0)  # Esc on the rating: exit 0
    options = Options(every=3000, every_text="50m", routine="desk-micro-break", quiet=None, plain=True)
    runner = Runner(options, clock=lambda: 0.0)
    runner.interactive = False
    try:
        runner.take_break()
    finally:
        runner.watch.close()
    out = capsys.readouterr().out
    assert "No session was recorded. Next break at 10:50." in out
    assert "status" not in out
    assert not (tmp_path / "breaks.jsonl").exists()


def test_a_chosen_length_is_said_as_the_session_will_have_it(coach_home: Path) -> None:
    from coach.library import Library
    from coach.scaling import scale_routine, scaled_seconds

    library = Library.default()
    routine = library.load(library.find("breathing-4-7-8"))
    assert scaled_seconds(routine, None) == routine.total_seconds
    asked = scaled_seconds(routine, 10)
    assert asked == scale_routine(routine, 600).total_seconds and asked < 5 * 60  # its 4 breaths
    # The reminder's break says the same length as home's `r` (one source).
    assert remind_command._break_seconds("breathing-4-7-8", 10) == asked
    assert remind_command._break_seconds("breathing-4-7-8", None) == routine.total_seconds


def test_a_break_ended_early_is_counted_in_the_status_line() -> None:
    facts: dict[str, object] = dict.fromkeys(
        ("next_break", "reminder", "plan_items_due", "plan_items_done", "streak_days")
    )
    facts["breaks_today"] = {"taken": 1, "stopped": 1, "skipped": 0, "postponed": 0}
    assert status_line(facts) == "breaks 1 taken, 1 stopped, 0 skipped"
    facts["breaks_today"] = {"taken": 0, "stopped": 1, "skipped": 0, "postponed": 0}
    assert status_line(facts) == "breaks 0 taken, 1 stopped, 0 skipped"
