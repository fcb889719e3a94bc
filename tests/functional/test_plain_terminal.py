"""`coach run --plain` on a real terminal (a pty that is the process's controlling terminal):
single keys without Enter, and the terminal given back as it was after q, Ctrl+C and Ctrl+Z.
The installed command in a subprocess; about 15 seconds in all."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import shutil
import subprocess
import termios
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.command import coach_command

ROUTINE = {  # a firm massage with a gentler version, then a rest: 40 s if nothing is pressed
    "format": 1, "id": "keys", "title": "Keys routine",
    "steps": [
        {"type": "massage", "title": "Press the shoulder", "instruction": "Press and hold.", "seconds": 20,
         "area": "shoulders", "side": "both", "pressure": "firm", "gentler": "Use a softer ball."},
        {"type": "rest", "title": "Rest", "seconds": 20},
    ],
}  # fmt: skip


# Prints "icanonecho=WORD" for a terminal in its usual mode ("-icanon-echo=WORD" in cbreak).
MODE = "stty -a | grep -oE -- '(-)?(icanon|echo) ' | tr -d ' \\n'; echo ={}"


def history(home: Path) -> list[dict[str, Any]]:
    path = home / "history.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


class Terminal:
    """A pty; `start` runs coach with the pty as stdin and controlling terminal (so Ctrl+C
    typed on it is a SIGINT), its stdout a pipe read line by line."""

    def __init__(self, home: Path, routine: Path) -> None:
        self.home, self.routine = home, routine
        self.controller, self.terminal = pty.openpty()
        self.proc: subprocess.Popen[str] | None = None
        self.seen: list[str] = []

    def mode(self) -> list[Any]:
        return termios.tcgetattr(self.terminal)

    def start(self, *args: str) -> None:
        def controlling_terminal() -> None:
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        env = {**os.environ, "COACH_HOME": str(self.home)}
        self.proc = subprocess.Popen([*coach_command(), "run", str(self.routine), "--plain", "--mute", *args],
                                     stdin=self.terminal, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, env=env, preexec_fn=controlling_terminal)  # fmt: skip

    def type(self, keys: bytes) -> None:
        os.write(self.controller, keys)

    def wait_for(self, text: str, timeout: float = 60) -> str:
        """The first line holding `text`, read as it comes: the timeout only bounds a failure."""
        assert self.proc is not None and self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.seen.append(line.rstrip("\n"))
            if text in line:
                return line
        raise AssertionError(f"no line with {text!r}; saw {self.seen}")

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()
        os.close(self.controller)
        os.close(self.terminal)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    home = tmp_path / "home"
    home.mkdir()
    # No first-run note and no lead-in: the lines come sooner (the lead-in has its own tests).
    (home / "settings.json").write_text(json.dumps({"first_run_seen": True, "lead_in": False}))
    routine = tmp_path / "keys.json"
    routine.write_text(json.dumps(ROUTINE))
    term = Terminal(home, routine)
    try:
        yield term
    finally:
        term.close()


def cbreak(mode: list[Any]) -> bool:
    return not mode[3] & (termios.ICANON | termios.ECHO)


def test_single_keys_drive_the_session_and_q_gives_the_terminal_back(terminal: Terminal) -> None:
    before = terminal.mode()
    terminal.start("--pre", "6", "--post", "2")
    terminal.wait_for("Keys: Space pause or go on")
    terminal.wait_for("Step 1 of 2: Press the shoulder")
    assert cbreak(terminal.mode())  # keys without Enter, nothing echoed
    terminal.type(b" ")
    terminal.wait_for("Paused. Space or Enter to go on.")
    terminal.type(b" ")
    terminal.wait_for("Going on.")
    terminal.type(b"t")
    terminal.wait_for("Press 1 to 4 to choose, r for when to stop, or Space to go on as before.")
    terminal.type(b"2")
    terminal.wait_for("Lighter pressure: medium from now on in this step.")
    terminal.type(b"s")
    terminal.wait_for("Step 2 of 2: Rest")
    terminal.type(b"q")
    terminal.wait_for("End the session now?")
    terminal.type(b"q")
    # At the note's prompt (no line feed to wait for): the terminal's own mode again, with echo.
    deadline = time.monotonic() + 60
    while terminal.mode() != before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert terminal.mode() == before
    terminal.type(b"too firm at first\n")
    assert terminal.proc is not None
    out, err = terminal.proc.communicate(timeout=60)
    assert terminal.proc.returncode == 0, err
    # (the typed note is echoed by the terminal, not written to stdout)
    assert out.splitlines()[0].startswith("Anything to note? (Enter to skip) Summary: Stopped, 0 of 2 steps")
    assert terminal.mode() == before  # given back as it was
    (record,) = history(terminal.home)
    assert record["pauses"] == 1 and record["skips"] == 1 and record["completed"] is False
    assert record["note"] == "too firm at first" and record["post"] is None
    assert [entry["choice"] for entry in record["discomfort"]] == ["lighter"]
    assert "Traceback" not in err


def test_ctrl_c_ends_the_session_and_gives_the_terminal_back(terminal: Terminal) -> None:
    before = terminal.mode()
    terminal.start("--pre", "6")
    terminal.wait_for("Step 1 of 2")
    assert cbreak(terminal.mode())
    time.sleep(0.5)
    terminal.type(b"\x03")  # Ctrl+C, typed: the terminal sends SIGINT
    assert terminal.proc is not None
    out, err = terminal.proc.communicate(timeout=60)
    assert terminal.proc.returncode == 130, err
    lines = [*terminal.seen, *out.splitlines()]
    assert lines[-1].startswith("Summary: Stopped, 0 of 2 steps") and lines[-2] != ""  # no "^C" echoed
    assert terminal.mode() == before
    (record,) = history(terminal.home)
    assert record["completed"] is False and record["pre"] == 6 and record["note"] == ""


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_ctrl_z_gives_the_terminal_to_the_shell_and_fg_takes_it_again(tmp_path: Path) -> None:
    """In a shell with job control (bash in tmux): Ctrl+Z stops coach with the terminal as the
    shell had it; after `fg` single keys work again and the time away paused the session."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "settings.json").write_text(json.dumps({"first_run_seen": True, "lead_in": False}))
    routine = tmp_path / "keys.json"
    routine.write_text(json.dumps(ROUTINE))
    socket = f"coach-plain-{uuid.uuid4().hex}"  # a server of its own, never reused

    def tmux(*args: str) -> str:
        done = subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True, timeout=60)
        return done.stdout

    def screen_has(text: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = tmux("capture-pane", "-p", "-t", "0")
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} not on the screen:\n{screen}")

    command = " ".join(f"'{part}'" for part in [*coach_command(), "run", str(routine), "--plain", "--mute",
                                                  "--pre", "5", "--post", "4"])  # fmt: skip
    tmux("new-session", "-d", "-x", "100", "-y", "30", "env -i PATH=/usr/bin:/bin TERM=xterm bash --norc -i")
    try:
        tmux("send-keys", "-t", "0", f"PS1='$ '; export COACH_HOME='{home}'; {command}", "Enter")
        screen_has("Step 1 of 2")
        tmux("send-keys", "-t", "0", "C-z")
        screen_has("Stopped")
        tmux("send-keys", "-t", "0", MODE.format("STOPPED"), "Enter")
        assert "\nicanonecho=STOPPED" in screen_has("o=STOPPED")  # the shell's mode, not cbreak
        time.sleep(2.5)
        tmux("send-keys", "-t", "0", "fg", "Enter")
        screen_has("Press Enter to go on.")  # the time away paused it
        tmux("send-keys", "-t", "0", "Enter")
        screen_has("Going on.")
        tmux("send-keys", "-t", "0", "q")  # a single key, no Enter: cbreak again after `fg`
        screen_has("End the session now?")
        tmux("send-keys", "-t", "0", "q")
        screen_has("Anything to note?")
        tmux("send-keys", "-t", "0", "Enter")
        screen_has("Summary: Stopped")
        tmux("send-keys", "-t", "0", MODE.format("END"), "Enter")
        assert "\nicanonecho=END" in screen_has("o=END")
    finally:
        tmux("kill-server")
    (record,) = history(home)
    assert record["pauses"] == 1 and record["completed"] is False
