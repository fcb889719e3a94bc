"""coach.start across processes: the session lock held by another process (a helper Python that
takes the lock and waits), and what importing the start path loads in a fresh interpreter.

The checks and the recovery within one process are tests/unit/test_start.py."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coach.history import HistoryStore
from coach.journal import SessionRunning, lock_path_for, recover_journal
from tests.helpers.start import crashed_journal, open_in

HOLDER = """
import sys, time
from datetime import datetime
from pathlib import Path
from coach.journal import SessionLock
lock = SessionLock.acquire(Path(sys.argv[1]), title=sys.argv[2], started=datetime.now().astimezone())
print("held", flush=True)
sys.stdin.readline()
"""


class Holder:
    """Another process holding the session lock until it is closed."""

    def __init__(self, lock_path: Path, title: str = "Box breathing") -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(lock_path), title],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # fmt: skip
        assert self.proc.stdout is not None and self.proc.stdout.readline() == "held\n"

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "data"


def test_a_second_session_is_refused_at_once_with_a_sentence(folder: Path) -> None:
    holder = Holder(lock_path_for(folder / "session.journal.json"), "Box breathing")
    try:
        began = time.monotonic()
        with pytest.raises(SessionRunning) as caught:
            open_in(folder)
        assert time.monotonic() - began < 1.0  # never waits for the other session
    finally:
        holder.close()
    message = str(caught.value)
    assert message.startswith("A session is already running: Box breathing, started ")
    assert message.endswith(", in another window.") and caught.value.exit_code == 1
    # The holder died: the kernel let the lock go, so the next session starts.
    open_in(folder).release()


def test_a_preview_takes_no_lock_and_recovers_nothing(folder: Path) -> None:
    crashed_journal(folder / "session.journal.json")
    holder = Holder(lock_path_for(folder / "session.journal.json"))
    try:
        opened = open_in(folder, preview=True)
    finally:
        holder.close()
    assert opened.lock is None and opened.store is None and opened.recovered is None
    assert (folder / "session.journal.json").exists() and not (folder / "history.jsonl").exists()


def test_recovery_leaves_the_journal_of_a_session_holding_the_lock(folder: Path) -> None:
    journal = folder / "session.journal.json"
    crashed_journal(journal)  # its pid is dead, but the lock says a session runs
    holder = Holder(lock_path_for(journal))
    try:
        assert recover_journal(HistoryStore(folder / "history.jsonl"), journal) is None
        assert journal.exists() and not (folder / "history.jsonl").exists()
    finally:
        holder.close()
    assert recover_journal(HistoryStore(folder / "history.jsonl"), journal) is not None


def test_start_and_journal_do_not_import_textual() -> None:
    code = "import sys, coach.start, coach.journal; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True,
                            check=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})  # fmt: skip
    assert result.stdout.strip() == "False"
    assert "textual" not in result.stderr  # -X importtime lists every module imported
