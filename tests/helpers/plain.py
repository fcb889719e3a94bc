"""The plain runner in-process: a fake clock whose time moves only when the runner waits, and
a scripted source of commands (timed keys or lines) on that clock."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from coach.history import HistoryStore
from coach.journal import Journal
from coach.plain import PlainOptions, PlainRunner, SignalGate
from coach.plain_input import KEYS_HELP, LINES_HELP
from coach.practice import Practice
from coach.routine import Routine


class FakeTime:
    """A monotonic clock and a sleep that advances it; a hook may fire at a given time."""

    def __init__(self, start: float = 100.0) -> None:
        self.start = start
        self.now = start
        self.sleeps: list[float] = []
        self.at: float | None = None
        self.hook: Callable[[], None] | None = None

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if self.at is not None and self.hook is not None and self.now + seconds >= self.at:
            self.now = self.at
            hook, self.hook = self.hook, None
            hook()
        self.now += seconds


class ScriptedCommands:
    """Commands at given times (seconds after the fake clock's start), as a terminal's keys
    (`keys=True`) or a pipe's lines. `read_line` takes the next item whatever its time
    (a question waits for the answer). The script's end is the end of a pipe's input; a
    terminal's keys never end."""

    def __init__(self, time: FakeTime, script: list[tuple[float, str]], *, keys: bool = False,
                 still_open: bool = False) -> None:  # fmt: skip
        self.time = time
        self.still_open = still_open  # a pipe whose end is only seen by the next read
        self.script = list(script)
        self.keys = keys
        self.help = KEYS_HELP if keys else LINES_HELP
        self.go_on = "Space or Enter" if keys else "p"
        self.in_keys_mode: list[bool] = []  # True while the session held the keys

    @property
    def ended(self) -> bool:
        return not self.script and not self.keys and not self.still_open  # a terminal stays

    def probe(self) -> None:
        pass

    def wait(self, seconds: float) -> str | None:
        if self.script and self.time.start + self.script[0][0] <= self.time.now + seconds:
            at, token = self.script.pop(0)
            due = self.time.start + at
            if due > self.time.now:
                self.time.sleep(due - self.time.now)
            return token
        if seconds > 0:
            self.time.sleep(seconds)
        return None

    def read_line(self) -> str:
        if not self.script:
            self.still_open = False
            raise EOFError
        return self.script.pop(0)[1]

    @contextmanager
    def keys_mode(self) -> Iterator[None]:
        self.in_keys_mode.append(True)
        try:
            yield
        finally:
            self.in_keys_mode.append(False)

    def suspend(self) -> None:
        pass

    def continued(self) -> None:
        pass

    def restore(self) -> None:
        pass


def plain_runner(
    routine: Routine,
    tmp_path: Path,
    *,
    options: PlainOptions | None = None,
    script: list[tuple[float, str]] | None = None,
    keys: bool = False,
    still_open: bool = False,
    lead_in: float = 0.0,
    record: bool = True,
    player: Any = None,
) -> tuple[PlainRunner, io.StringIO, FakeTime, HistoryStore]:
    """A runner on a fake clock, its commands from `script` (a pipe's lines, or a terminal's
    keys: then the ratings are given up front, 5 and 4), recording to tmp_path/history.jsonl
    unless `record` is False."""
    time = FakeTime()
    store = HistoryStore(tmp_path / "history.jsonl")
    options = options or PlainOptions(interactive=keys, pre=5 if keys else None, post=4 if keys else None)
    practice = Practice(
        routine,
        pre=options.pre,
        store=store if record else None,
        journal=Journal(tmp_path / "journal.json") if record else None,
        speed=options.speed,
        lead_in=lead_in,
        player=player,
    )
    out = io.StringIO()
    commands = ScriptedCommands(time, script or [], keys=keys, still_open=still_open)
    gate = SignalGate(sleep=time.sleep)
    runner = PlainRunner(practice, options, out=out, err=io.StringIO(), clock=time.clock, gate=gate,
                         commands=commands)  # fmt: skip
    return runner, out, time, store


def records(store: HistoryStore) -> list[dict[str, Any]]:
    if not store.path.exists():
        return []
    return [json.loads(line) for line in store.path.read_text().splitlines()]
