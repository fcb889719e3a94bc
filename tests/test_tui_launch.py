"""Starting the app from the command line: errors a person can fix come before the screen,
as one line with the right exit code; the app never starts without a terminal."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from conftest import RunCoach

from coach.errors import UsageError
from coach.tui import launch


def test_coach_without_a_terminal_says_so(run_coach: RunCoach) -> None:
    result = run_coach()
    assert result.returncode == 2
    assert result.stderr.startswith("coach: the app needs a terminal")
    assert "--plain" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_run_an_unknown_routine_fails_before_the_screen(run_coach: RunCoach) -> None:
    result = run_coach("run", "no-such-routine")
    assert result.returncode == 2
    assert "no routine with id 'no-such-routine'" in result.stderr
    assert "Traceback" not in result.stderr


def test_run_a_broken_file_fails_with_its_location(run_coach: RunCoach, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": 1, "id": "x-y", "title": "T", "steps": []}')
    result = run_coach("run", str(broken))
    assert result.returncode == 1
    assert f"{broken}:" in result.stderr and "Traceback" not in result.stderr


def test_run_app_checks_its_arguments(coach_home: Path) -> None:
    def args(**values: object) -> argparse.Namespace:
        base = {"routine": "box-breathing", "pre": None, "post": None, "plan": None, "mute": False,
                "speed": None}  # fmt: skip
        return argparse.Namespace(**{**base, **values})

    with pytest.raises(UsageError, match="--pre must be a whole number from 0 to 10"):
        launch.run_app(args(pre=11))
    with pytest.raises(UsageError, match="--post"):
        launch.run_app(args(post=-1))
    with pytest.raises(UsageError, match="--speed must be more than 0"):
        launch.run_app(args(speed=0))
    with pytest.raises(UsageError, match="needs a terminal"):
        launch.run_app(args())  # pytest's stdin is not a terminal


def test_importing_the_app_does_not_load_pydantic_or_the_history() -> None:
    import subprocess
    import sys

    code = (
        "import sys; import coach.tui.app, coach.tui.launch, coach.commands.app; "
        "print(sorted(m for m in ('pydantic', 'coach.routine', 'coach.history', 'coach.stats', "
        "'coach.session', 'coach.audio') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
