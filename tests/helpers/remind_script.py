"""A scripted `read_key` for driving `coach remind`'s Runner.loop
in unit tests with a fake clock (tests/unit/test_remind_session_*.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest


class Script:
    """`read_key` for Runner.loop: each call runs the next action (which moves the fake
    clock and may write the history) and returns None as a timeout does; the call after
    the last action stops the loop (Ctrl+C). Records the timeouts asked for."""

    def __init__(self, actions: list[Callable[[], None]]) -> None:
        self.actions = list(actions)
        self.timeouts: list[float | None] = []

    def __call__(self, timeout: float | None) -> str | None:
        self.timeouts.append(timeout)
        if not self.actions:
            raise KeyboardInterrupt
        self.actions.pop(0)()
        return None


def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """COACH_HOME in `tmp_path`, outside tmux and without a session bus (no tmux message,
    no desktop notification)."""
    monkeypatch.setenv("COACH_HOME", str(tmp_path))
    for name in ("TMUX", "DBUS_SESSION_BUS_ADDRESS"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def logged(home: Path) -> list[dict[str, object]]:
    """The break log's events (`breaks.jsonl` in `home`), [] when there is none."""
    path = home / "breaks.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []
