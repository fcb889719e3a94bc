"""Fixtures shared by every test file: an isolated data folder and the installed command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ROUTINES = ROOT / "routines"


@pytest.fixture
def coach_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """COACH_HOME pointed at an empty folder, for this process and its children."""
    home = tmp_path / "coach-home"
    monkeypatch.setenv("COACH_HOME", str(home))
    return home


def coach_command() -> list[str]:
    """The installed console script, as a person would run it."""
    found = shutil.which("coach", path=os.path.dirname(sys.executable)) or shutil.which("coach")
    return [found] if found else [sys.executable, "-m", "coach"]


RunCoach = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_coach(coach_home: Path) -> RunCoach:
    def run(*args: str, input: str | None = None, cwd: Path | None = None,
            env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, "COACH_HOME": str(coach_home), **(env or {})}
        return subprocess.run(
            [*coach_command(), *args], input=input if input is not None else "",
            capture_output=True, text=True, cwd=cwd, env=full_env, timeout=timeout,
        )  # fmt: skip

    return run
