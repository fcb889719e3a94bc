"""`SessionLock.acquire` looks again briefly before it refuses a session: a watcher
(`coach.session_watch`) holds the lock shared for an instant as a session ends."""

from __future__ import annotations

import fcntl
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import coach.journal as journal
from coach.journal import SessionLock, SessionRunning

BEGAN = datetime(2026, 11, 26, 9, 12, tzinfo=UTC)


def _hold_shared(path: Path) -> int:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_SH)
    return fd


def test_a_watcher_letting_go_during_the_retry_does_not_refuse_the_session(
    tmp_path: Path, monkeypatch: Any
) -> None:
    path = tmp_path / "session.lock"
    watcher = _hold_shared(path)
    waits: list[float] = []

    def watcher_lets_go(seconds: float) -> None:  # the retry's pause: the watcher's instant ends
        waits.append(seconds)
        fcntl.flock(watcher, fcntl.LOCK_UN)

    monkeypatch.setattr(journal.time, "sleep", watcher_lets_go)
    try:
        lock = SessionLock.acquire(path, title="Box breathing", started=BEGAN)
    finally:
        os.close(watcher)
    assert lock.held and waits == [journal._LOCK_RETRY_SECONDS]
    lock.release()


def test_a_lock_held_throughout_is_refused_after_the_short_retries(tmp_path: Path, monkeypatch: Any) -> None:
    path = tmp_path / "session.lock"
    holder = _hold_shared(path)
    waits: list[float] = []
    monkeypatch.setattr(journal.time, "sleep", waits.append)
    monkeypatch.setattr(journal, "_refusal", lambda path: "A session is already running.")  # its own wait
    try:
        with pytest.raises(SessionRunning):
            SessionLock.acquire(path, title="Box breathing", started=BEGAN)
    finally:
        os.close(holder)
    assert waits == [journal._LOCK_RETRY_SECONDS] * journal._LOCK_RETRIES
    assert sum(waits) <= 0.25  # still "at once" (DESIGN.md, Starting a session)
