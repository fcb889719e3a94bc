"""Fixtures shared by tests/unit and tests/functional: an isolated data folder and the command."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.helpers.command import RunCoach, coach_command


@pytest.fixture
def coach_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """COACH_HOME pointed at an empty folder, for this process and its children."""
    home = tmp_path / "coach-home"
    monkeypatch.setenv("COACH_HOME", str(home))
    return home


@pytest.fixture
def run_coach(coach_home: Path) -> RunCoach:
    """Run the installed `coach` with these arguments in COACH_HOME, capturing its text output."""
    def run(*args: str, input: str | None = None, cwd: Path | None = None,
            env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, "COACH_HOME": str(coach_home), **(env or {})}
        return subprocess.run(
            [*coach_command(), *args], input=input if input is not None else "",
            capture_output=True, text=True, cwd=cwd, env=full_env, timeout=timeout,
        )  # fmt: skip

    return run
