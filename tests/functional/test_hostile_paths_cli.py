"""File names that try to forge output lines, through the installed `coach`: a name with a
line break, a tab or a carriage return is printed in its one-line form (␊, ␉, ␍) by every
command that names a file, on stdout and on stderr, for a missing, a broken and a good file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.functional.test_faults_cli import TINY
from tests.functional.test_output_failures_cli import record
from tests.helpers.command import coach_command
from tests.helpers.plans import EXAMPLE

FORGED = "0 of 1 file(s) invalid"
NAMES = {
    "line break": f"x.json: ok (routine)\n{FORGED}\n.json",
    "tab": "a\tb.json",
    "carriage return": "c\rd.json",
}
BROKEN = b'{"format": 1, "id": 3}'


def coach(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*coach_command(), *args], capture_output=True, text=True, stdin=subprocess.DEVNULL,
        env={**os.environ, "COACH_HOME": str(home)}, timeout=60,
    )  # fmt: skip


def assert_one_line_names(result: subprocess.CompletedProcess[str], name: str) -> None:
    """Every line printed is whole: no raw line break, tab or carriage return from `name`,
    no forged line, and the name is shown with its stand-ins."""
    both = result.stdout + result.stderr
    assert "Traceback" not in both
    assert "\t" not in both and "\r" not in both, both
    assert FORGED not in both.splitlines(), both
    assert "x.json: ok (routine)" not in both.splitlines(), both
    shown = name.replace("\n", "␊").replace("\t", "␉").replace("\r", "␍")
    assert shown in both, both


@pytest.mark.parametrize("kind", NAMES)
@pytest.mark.parametrize("content", ["missing", "broken", "good"])
@pytest.mark.parametrize("command", ["validate", "show", "plan import", "history import"])
def test_a_file_name_cannot_forge_a_line(tmp_path: Path, kind: str, content: str, command: str) -> None:
    home = tmp_path / "home"
    folder = tmp_path / "forge"
    folder.mkdir()
    path = folder / NAMES[kind]
    if content == "broken":
        path.write_bytes(BROKEN)
    elif content == "good":
        if command == "plan import":
            shutil.copy(EXAMPLE, path)
        elif command == "history import":
            path.write_text(record(1) + "not json\n")  # one good line, one skipped and named
        else:
            path.write_text(json.dumps(TINY))
    result = coach(home, *command.split(), str(path))
    if content == "good" and command in ("show", "plan import"):
        assert result.returncode == 0, result.stderr
        return  # nothing names the file when all is well
    assert_one_line_names(result, NAMES[kind])


@pytest.mark.parametrize("kind", NAMES)
def test_output_file_names_are_shown_in_one_line(tmp_path: Path, kind: str) -> None:
    home = tmp_path / "home"
    assert coach(home, "plan", "import", str(EXAMPLE)).returncode == 0
    out = tmp_path / NAMES[kind]
    made = coach(home, "plan", "report", "sam-neck-2026-12", "-o", str(out), "--format", "md")
    assert made.returncode == 0, made.stderr
    assert_one_line_names(made, NAMES[kind])  # "Wrote …"
    again = coach(home, "plan", "report", "sam-neck-2026-12", "-o", str(out), "--format", "md")
    assert again.returncode == 2
    assert_one_line_names(again, NAMES[kind])  # "… already exists"
    new = coach(home, "new", "routine", "mine", "-o", str(out))
    assert new.returncode == 2
    assert_one_line_names(new, NAMES[kind])
