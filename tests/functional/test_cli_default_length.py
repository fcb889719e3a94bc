"""`coach run` without --minutes takes the default length from the settings file (the app's
settings screen writes it); --minutes wins. A preview (--speed 100) says the length on its
first line and records nothing; the test reads that line and ends the run."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.helpers.command import coach_command


def first_line(coach_home: Path, *extra: str) -> str:
    """The first line `coach run box-breathing --plain` prints (its title, steps and length)."""
    env = {**os.environ, "COACH_HOME": str(coach_home)}
    command = [*coach_command(), "run", "box-breathing", "--plain", "--speed", "100", "--mute", *extra]
    with subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True, env=env) as process:  # fmt: skip
        assert process.stdout is not None
        line = process.stdout.readline().rstrip("\n")
        process.terminate()
    return line


def test_coach_run_uses_the_default_length_unless_minutes_are_given(coach_home: Path) -> None:
    coach_home.mkdir(parents=True, exist_ok=True)
    (coach_home / "settings.json").write_text(json.dumps({"default_minutes": 2}))
    assert first_line(coach_home) == "Box breathing: 4 steps, 2 minutes."
    assert first_line(coach_home, "--minutes", "1") == "Box breathing: 4 steps, 1 minute."
    (coach_home / "settings.json").write_text(json.dumps({"default_minutes": None}))
    # As written: the rounded length every screen gives, then the exact one (plain_words.header_line).
    assert first_line(coach_home) == "Box breathing: 4 steps, about 5 minutes (4 minutes 43 seconds)."
