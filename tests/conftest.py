"""Fixtures shared by tests/unit and tests/functional: an isolated data folder and the command."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.helpers.command import RunCoach, coach_command

# Every property test, whatever its own settings leave out: no per-example deadline and no
# "too slow" health check. Both measure wall-clock time, so a loaded CI machine (2 cores,
# `pytest -n auto`) could fail a test that found nothing wrong. Loaded here, before the
# test modules build their own `settings(...)` on top of it.
settings.register_profile("coach", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("coach")


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


@pytest.fixture
def midday() -> Iterator[str]:
    """This process and its children in a fixed time zone where it is now 12:xx, on today's
    UTC date: a test that puts sessions at "today" and "yesterday" and asks a `coach`
    subprocess about them cannot straddle midnight, whenever CI runs it. Yields the TZ."""
    hours = 12 - datetime.now(UTC).hour  # -11 to +12: local time is UTC plus this
    zone = f"<{hours:+03d}>{-hours}"  # POSIX TZ: the offset counts hours west of UTC
    before = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        yield zone
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()
