"""Symbolic links in place of Coach's own folders, through the installed `coach`: a link
as `cache` or `plans` below COACH_HOME is never written through and its target's mode is
never changed; writing commands refuse in one line naming it, reading commands keep
working. A COACH_HOME that is itself a link is used as it is, its mode left alone."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from tests.helpers.command import coach_command
from tests.helpers.plans import EXAMPLE

PLAN_ID = "sam-neck-2026-12"


def coach(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*coach_command(), *args], capture_output=True, text=True, stdin=subprocess.DEVNULL,
        env={**os.environ, "COACH_HOME": str(home)}, timeout=60,
    )  # fmt: skip


@pytest.fixture
def target(tmp_path: Path) -> Path:
    """A folder of the person's, 0755, with one file of theirs in it."""
    folder = tmp_path / "target"
    folder.mkdir()
    folder.chmod(0o755)
    (folder / "theirs.txt").write_text("mine")
    return folder


def untouched(target: Path) -> bool:
    names = [p.name for p in target.iterdir()]
    return stat.S_IMODE(target.stat().st_mode) == 0o755 and names == ["theirs.txt"]


def refusal(home: Path, name: str) -> str:
    return f"{home / name}: is a symbolic link; Coach does not write through links in its own folders"


def test_a_linked_cache_is_never_written_and_reading_commands_work(tmp_path: Path, target: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "cache").symlink_to(target)
    for args in (("list",), ("show", "neck-and-shoulders"), ("validate", str(EXAMPLE))):
        result = coach(home, *args)
        assert result.returncode == 0 and "Traceback" not in result.stderr, (args, result.stderr)
        assert untouched(target), args


def test_a_linked_plans_folder_is_refused_in_one_line_and_never_changed(tmp_path: Path, target: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "plans").symlink_to(target)
    result = coach(home, "plan", "import", str(EXAMPLE))
    assert result.returncode == 1
    assert result.stderr.startswith(f"coach: {refusal(home, 'plans')}") and result.stderr.count("\n") == 1
    assert untouched(target)
    for args in (("plan", "list"), ("due",), ("list",)):  # reading needs no write
        done = coach(home, *args)
        assert done.returncode == 0 and "Traceback" not in done.stderr, (args, done.stderr)
    assert untouched(target)


def test_a_stored_plan_is_not_removed_through_a_linked_plans_folder(tmp_path: Path, target: Path) -> None:
    real = tmp_path / "real-home"
    assert coach(real, "plan", "import", str(EXAMPLE)).returncode == 0
    home = tmp_path / "home"
    home.mkdir()
    stored = real / "plans" / f"{PLAN_ID}.json"
    (target / stored.name).write_bytes(stored.read_bytes())
    (home / "plans").symlink_to(target)
    result = coach(home, "plan", "remove", PLAN_ID)
    assert result.returncode == 1 and refusal(home, "plans") in result.stderr, result.stderr
    assert (target / stored.name).exists()


def test_a_coach_home_given_as_a_link_is_used_as_it_is(tmp_path: Path, target: Path) -> None:
    home = tmp_path / "home-link"
    home.symlink_to(target)
    assert coach(home, "plan", "import", str(EXAMPLE)).returncode == 0
    assert coach(home, "list").returncode == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o755  # the person's folder keeps its mode
    assert (target / "plans" / f"{PLAN_ID}.json").exists()
    assert stat.S_IMODE((target / "plans").stat().st_mode) == 0o700  # Coach's own folder inside
