"""`coach remind` (the installed command, no terminal: as the systemd service runs it) wakes
when a session in another process lets the session lock go, instead of looking again a
minute later (DESIGN.md, Reminders: "wakes only when something is due")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.helpers.command import coach_command

# A session of another window: a live process that holds the session lock until told.
HOLDER = """
import sys
from datetime import datetime
from coach import paths
from coach.journal import SessionLock, lock_path_for

lock = SessionLock.acquire(lock_path_for(paths.journal_file()), title="Box breathing",
                           started=datetime.now().astimezone())
print("held", flush=True)
sys.stdin.readline()
lock.release()  # as the app does at a session's end: the process lives on
print("released", flush=True)
sys.stdin.readline()
"""


def wait_for(test: Callable[[], bool], what: str, timeout: float) -> None:
    """Poll `test` until it holds (a generous `timeout`: a loaded machine is slow)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if test():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} did not happen within {timeout:g} s")


def state(home: Path) -> str | None:
    try:
        return json.loads((home / "cache" / "remind.json").read_text())["state"]
    except (OSError, ValueError, KeyError):
        return None


def test_remind_wakes_when_the_session_lock_is_let_go(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "DBUS_SESSION_BUS_ADDRESS")}
    env["COACH_HOME"] = str(tmp_path)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True, env=env)  # fmt: skip
    out = tmp_path / "remind.out"
    reminder = None
    try:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline() == "held\n"
        with out.open("w") as sink:
            reminder = subprocess.Popen(
                [*coach_command(), "remind", "--every", "5s", "--routine", "desk-micro-break"],
                stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.PIPE, text=True, env=env,
            )  # fmt: skip
        # The break falls due while the session runs: silent, state "session".
        wait_for(lambda: state(tmp_path) == "session", "the reminder seeing the session", 60)
        assert "Time for a break" not in out.read_text()
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline() == "released\n"
        # The fallback re-check would come a minute after the first; the watcher wakes it now.
        wait_for(lambda: "is not in the history: no break logged." in out.read_text(), "the reaction", 30)
        assert state(tmp_path) == "session_over"
        assert "Time for a break" not in out.read_text()
    finally:
        if reminder is not None:
            reminder.terminate()
            _, err = reminder.communicate(timeout=30)
            assert reminder.returncode == 0, err
            assert "Traceback" not in err
        holder.kill()
        holder.communicate(timeout=30)
    assert out.read_text().rstrip().endswith("Reminders stopped.")
