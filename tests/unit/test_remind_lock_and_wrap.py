"""`coach remind`'s one-at-a-time lock, the prompt's wrapping, and the usual break as the
break a reminder starts (routine, length, command line). No terminal, no subprocess."""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path

import pytest

from coach.commands.remind import Options, Pick, break_command, hold_lock, lock_file, pick_routine, wrap
from coach.errors import CoachError
from coach.usual import Usual, save_usual

PROMPT = (
    "Time for a break (10:02): 4-7-8 breathing, gentle (breathing-4-7-8-gentle, about 10 min) "
    "— your usual break"
)


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("COACH_HOME", str(tmp_path))
    return tmp_path


def options(routine: str | None = None) -> Options:
    return Options(every=3000.0, every_text="50m", routine=routine, quiet=None, plain=False)


def test_a_second_reminder_is_refused_naming_the_first(home: Path) -> None:
    first = hold_lock("50m")
    try:
        assert json.loads(lock_file().read_text()) == {"pid": os.getpid(), "every": "50m"}
        with pytest.raises(CoachError) as refused:
            hold_lock("5s")
        assert refused.value.message == f"a reminder is already running (pid {os.getpid()}, every 50m)"
        assert "\n" not in refused.value.message
    finally:
        os.close(first)
    # The holder is gone (the kernel lets go of a dead process's lock the same way).
    second = hold_lock("5s")
    try:
        assert json.loads(lock_file().read_text())["every"] == "5s"
        assert not os.get_inheritable(second)  # the break's session does not hold it
    finally:
        os.close(second)


@pytest.mark.parametrize("columns", [40, 60, 80, 100, 200])
def test_prompt_wraps_at_word_boundaries_within_the_terminal(columns: int) -> None:
    lines = wrap(PROMPT, columns)
    assert max(len(line) for line in lines) <= min(columns, 80) - 2
    assert " ".join(line.strip() for line in lines).split() == PROMPT.split()  # no word cut
    assert all(line.startswith("  ") for line in lines[1:])


def test_short_lines_and_key_hints_are_left_alone() -> None:
    hints = "  Enter  start   p  postpone 10 min   s  skip   q  stop reminders"
    assert wrap(hints, 80) == [hints]


def test_the_usual_break_gives_the_routine_and_the_length_last_chosen(home: Path) -> None:
    save_usual(Usual().with_last("box-breathing", 10.0), home / "usual.json")
    pick = pick_routine(options(), date(2026, 11, 26))
    assert (pick.routine, pick.why, pick.usual, pick.minutes, pick.seconds) == (
        "box-breathing", "last", True, 10.0, 600.0,
    )  # fmt: skip
    # Started as `coach run --last`: the length (or "as written") is the one chosen then.
    assert break_command(pick, plain=True)[1:] == ["-m", "coach", "run", "--last", "--plain"]


def test_the_usual_break_as_written_keeps_its_own_length(home: Path) -> None:
    (home / "settings.json").write_text(json.dumps({"default_minutes": 2}))
    save_usual(Usual().with_last("box-breathing", None), home / "usual.json")
    pick = pick_routine(options(), date(2026, 11, 26))
    assert pick.usual and pick.minutes is None and pick.seconds == 283  # 4 min 43 s as written


def test_a_given_routine_runs_at_the_settings_default_length(home: Path) -> None:
    (home / "settings.json").write_text(json.dumps({"default_minutes": 2}))
    save_usual(Usual().with_last("box-breathing", 10.0), home / "usual.json")
    pick = pick_routine(options("jaw-release"), date(2026, 11, 26))
    assert (pick.routine, pick.why, pick.usual, pick.seconds) == ("jaw-release", "given", False, 120.0)
    assert break_command(pick, plain=False) == [sys.executable, "-m", "coach", "run", "jaw-release"]


def test_nothing_remembered_gives_the_default_desk_break(home: Path) -> None:
    pick = pick_routine(options(), date(2026, 11, 26))
    assert pick == Pick("desk-micro-break", "default", seconds=pick.seconds) and pick.seconds
