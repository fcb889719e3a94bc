"""Output that cannot be written, through the installed `coach`: stdout on a full disk
(/dev/full), stdout closed (`>&-`), and a reader that leaves the pipe (`| head -1`). Every
command says one sentence on stderr and exits non-zero; a closed pipe ends it quietly with
141 (128 + SIGPIPE, as `cat` or `yes` would). Never a traceback, never "Exception ignored"."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from coach.records import new_record
from tests.helpers.command import coach_command
from tests.helpers.plans import EXAMPLE

PLAN_ID = "sam-neck-2026-12"

# Each command and what it prints on stdout when stdout works (every one prints something).
COMMANDS: dict[str, tuple[str, ...]] = {
    "history": ("history",),
    "history --csv": ("history", "--csv"),
    "history --json": ("history", "--json"),
    "list": ("list",),
    "show ID": ("show", "neck-and-shoulders"),
    "validate FILE": ("validate", str(EXAMPLE)),
    "schema routine": ("schema", "routine"),
    "stats": ("stats",),
    "due": ("due",),
    "plan list": ("plan", "list"),
    "plan report": ("plan", "report", PLAN_ID),
    "new routine X": ("new", "routine", "mine", "-o", "{home}/mine.json", "--force"),
    "--help": ("--help",),
}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A data folder with 2,000 sessions (more than a pipe holds when printed) and the
    example plan imported."""
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    (home / "history.jsonl").write_text("".join(record(n) for n in range(2000)))
    (home / "history.jsonl").chmod(0o600)
    done = run(home, ("plan", "import", str(EXAMPLE)), stdout=subprocess.PIPE)
    assert done.returncode == 0, done.stderr
    return home


def record(n: int) -> str:
    """One whole history line, as a session writes it."""
    return new_record(
        routine="neck-and-shoulders", routine_title="Neck", routine_hash="sha256:" + "0" * 64,
        started_at="2026-11-26T09:00:00+01:00", ended_at="2026-11-26T09:05:00+01:00",
        planned_seconds=300, active_seconds=300.0, completed=True, steps_done=6,
        steps_total=6, pre=7, post=3, id=f"imported-{n}", note="",
    ).to_line()  # fmt: skip


def run(home: Path, args: tuple[str, ...], **streams: object) -> subprocess.CompletedProcess[str]:
    args = tuple(a.replace("{home}", str(home)) for a in args)
    return subprocess.run(
        [*coach_command(), *args], text=True, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env={**os.environ, "COACH_HOME": str(home)}, timeout=60, **streams,  # type: ignore[call-overload]
    )  # fmt: skip


def assert_one_sentence(result: subprocess.CompletedProcess[str], reason: str) -> None:
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert result.stderr.endswith(f"coach: could not write the output: {reason}\n"), result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_prints_something_when_stdout_works(home: Path, name: str) -> None:
    done = run(home, COMMANDS[name], stdout=subprocess.PIPE)
    assert done.returncode == 0 and done.stdout.strip(), (done.returncode, done.stderr)


@pytest.mark.parametrize("name", COMMANDS)
def test_a_full_disk_on_stdout_is_one_sentence(home: Path, name: str) -> None:
    with open("/dev/full", "w") as full:
        result = run(home, COMMANDS[name], stdout=full)
    assert_one_sentence(result, "No space left on device")


@pytest.mark.parametrize("name", COMMANDS)
def test_a_closed_stdout_is_one_sentence(home: Path, name: str) -> None:
    result = subprocess.run(
        ["sh", "-c", 'exec "$@" >&-', "sh", *coach_command(),
         *(a.replace("{home}", str(home)) for a in COMMANDS[name])],
        text=True, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
        env={**os.environ, "COACH_HOME": str(home)}, timeout=60,
    )  # fmt: skip
    assert_one_sentence(result, "standard output is closed")


def test_a_closed_stdout_never_sends_output_into_coachs_files(home: Path) -> None:
    """With fd 1 closed, the history Coach opens could get fd 1: it must not receive a byte."""
    before = (home / "history.jsonl").read_bytes()
    result = subprocess.run(
        ["sh", "-c", 'exec "$@" >&-', "sh", *coach_command(), "history"],
        text=True, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env={**os.environ, "COACH_HOME": str(home)}, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1
    assert (home / "history.jsonl").read_bytes() == before


@pytest.mark.parametrize("name", ["history", "history --csv", "history --json"])
def test_a_reader_that_leaves_the_pipe_ends_it_quietly(home: Path, name: str) -> None:
    reader = subprocess.Popen(["head", "-c", "1"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    assert reader.stdin is not None
    result = run(home, COMMANDS[name], stdout=reader.stdin)
    reader.stdin.close()
    reader.wait(timeout=60)
    assert result.returncode == 141, (result.returncode, result.stderr)
    assert result.stderr == ""
