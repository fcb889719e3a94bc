"""End to end in a real terminal: the installed `coach` in tmux, read with capture-pane.

What a person sees: the first paint, the first-run note, a short routine that runs on real
time to its end, the ratings, the summary, the record in the history, and no stray output
(no traceback, no sound library messages) on the screen or after the app exits.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers.command import coach_command

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

SHORT = {
    "format": 1,
    "id": "e2e-short",
    "title": "E2E [b]short[/b]",
    "summary": "Two five-second steps.",
    "areas": ["shoulders"],
    "steps": [
        {"type": "massage", "title": "Squeeze the shoulder", "seconds": 5, "area": "shoulders",
         "instruction": "Squeeze gently."},
        {"type": "rest", "title": "Notice", "seconds": 5},
    ],
}  # fmt: skip


class Tmux:
    def __init__(self, home: Path, width: int = 100, height: int = 30) -> None:
        # A name never used before: id(self) comes back for the next test's object, whose
        # `new-session` could then reach the server the last test is still shutting down.
        self.socket = f"coach-e2e-{uuid.uuid4().hex}"
        self.home = home
        self.width, self.height = width, height

    def _tmux(self, *args: str) -> str:
        result = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True,
                                timeout=60)  # fmt: skip
        return result.stdout

    def start(self, *coach_args: str) -> None:
        command = " ".join(f"'{part}'" for part in [*coach_command(), *coach_args])
        env = f"COACH_HOME='{self.home}' HOME='{self.home}'"
        # When coach exits, the pane stays to show what was left on the terminal.
        self._tmux("new-session", "-d", "-x", str(self.width), "-y", str(self.height),
                   f"{env} {command}; echo EXIT=$?; sleep 30")  # fmt: skip

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", "0", *keys)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "0")

    def wait_for(self, text: str | Callable[[str], bool], timeout: float = 60) -> str:
        """The screen once `text` is on it (or `text(screen)` holds), polled: the timeout
        only bounds a failure, so it is generous for a loaded CI machine."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if (text(screen) if callable(text) else text in screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} did not appear; the screen was:\n{screen}")

    def close(self) -> None:
        self._tmux("kill-server")


@pytest.fixture
def tmux(tmp_path: Path):  # type: ignore[no-untyped-def]
    home = tmp_path / "home"
    home.mkdir()
    # No sound card here: ALSA's null device takes the cues, so nothing can complain.
    (home / ".asoundrc").write_text("pcm.!default { type null }\n")
    session = Tmux(home)
    yield session
    session.close()


def test_home_paints_and_q_quits(tmux: Tmux) -> None:
    tmux.start()
    screen = tmux.wait_for("What bothers you today?")
    assert "self-care, not medical advice" in screen
    tmux.wait_for("4-7-8 breathing")  # the routines arrive after the first paint
    tmux.keys("q")
    tmux.wait_for("Quit Coach?")
    tmux.keys("y")
    screen = tmux.wait_for("EXIT=0")
    assert "Traceback" not in screen


def test_a_short_routine_from_start_to_record(tmux: Tmux) -> None:
    routine = tmux.home / "short.json"
    routine.write_text(json.dumps(SHORT))
    tmux.start("run", str(routine))
    tmux.wait_for("Before you start")  # the first-run note (the home's title also says "not medical advice")
    tmux.keys("Enter")
    tmux.wait_for("How stressed or tense do you feel right now?")
    tmux.keys("6")
    tmux.keys("Enter")
    screen = tmux.wait_for("Squeeze the shoulder")
    assert "Step 1 of 2" in screen and "Squeeze gently." in screen
    assert "Next: Notice" in screen
    # The first step runs out on real time; the second begins by itself.
    screen = tmux.wait_for("Step 2 of 2")
    assert "Last step" in screen
    tmux.wait_for("After the session")
    tmux.keys("2")
    tmux.keys("Enter")
    screen = tmux.wait_for("Well done")
    assert "6 → 2" in screen and "a large drop" in screen
    assert "E2E [b]short[/b]" in screen  # routine text shown literally
    tmux.keys("Enter")
    screen = tmux.wait_for("EXIT=0")
    assert "Traceback" not in screen and "ALSA" not in screen
    [line] = (tmux.home / "history.jsonl").read_text().splitlines()
    record = json.loads(line)
    assert record["routine"] == "e2e-short" and record["completed"] is True
    assert (record["pre"], record["post"]) == (6, 2)
    assert 9.5 <= record["active_seconds"] <= 11
    assert json.loads((tmux.home / "settings.json").read_text())["first_run_seen"] is True


def test_quit_mid_session_records_it_and_resize_does_not_crash(tmux: Tmux) -> None:
    routine = tmux.home / "short.json"
    routine.write_text(json.dumps({**SHORT, "steps": [{**SHORT["steps"][0], "seconds": 60}]}))
    (tmux.home / "settings.json").write_text('{"first_run_seen": true}')
    tmux.start("run", str(routine), "--pre", "4")
    tmux.wait_for("Squeeze the shoulder")
    subprocess.run(["tmux", "-L", tmux.socket, "resize-window", "-t", "0", "-x", "40", "-y", "12"],
                   check=False, timeout=60)  # fmt: skip
    time.sleep(0.5)
    subprocess.run(["tmux", "-L", tmux.socket, "resize-window", "-t", "0", "-x", "80", "-y", "24"],
                   check=False, timeout=60)  # fmt: skip
    tmux.wait_for("Step 1 of 1")
    tmux.keys("q")
    tmux.wait_for("End this session now?")
    tmux.keys("Enter")
    tmux.wait_for("why it stopped")  # the note after a stop, left out
    tmux.keys("Escape")
    tmux.wait_for("Stopped: 0 of 1 step")  # the summary, then the shell
    tmux.keys("Enter")
    screen = tmux.wait_for("EXIT=0")
    assert "Traceback" not in screen
    [line] = (tmux.home / "history.jsonl").read_text().splitlines()
    record = json.loads(line)
    assert record["completed"] is False and record["pre"] == 4 and record["post"] is None


def _gone(pid: int, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return True
        if state == "Z":
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("how", ["closed terminal", "SIGTERM"])
def test_a_closed_terminal_or_sigterm_records_the_session_and_exits(tmux: Tmux, how: str) -> None:
    import signal

    routine = tmux.home / "short.json"
    routine.write_text(json.dumps({**SHORT, "steps": [{**SHORT["steps"][0], "seconds": 60}]}))
    # No lead-in: the 1.2 s below are all practice.
    (tmux.home / "settings.json").write_text('{"first_run_seen": true, "lead_in": false}')
    # exec: the pane's process is coach itself, so its pid is the pane's.
    command = " ".join(f"'{part}'" for part in [*coach_command(), "run", str(routine), "--pre", "3"])
    tmux._tmux("new-session", "-d", "-x", "80", "-y", "24",
               f"COACH_HOME='{tmux.home}' HOME='{tmux.home}' exec {command}")  # fmt: skip
    tmux.wait_for("Squeeze the shoulder")
    pid = int(tmux._tmux("display-message", "-p", "-t", "0", "#{pane_pid}").strip())
    time.sleep(1.2)
    if how == "SIGTERM":
        os.kill(pid, signal.SIGTERM)
    else:
        tmux.close()  # the terminal goes away: SIGHUP
    assert _gone(pid), "coach did not exit"
    [line] = (tmux.home / "history.jsonl").read_text().splitlines()
    record = json.loads(line)
    assert record["completed"] is False and record["pre"] == 3
    assert 1 <= record["active_seconds"] < 10
    assert not (tmux.home / "session.journal.json").exists()


def _in_a_shell(tmux: Tmux, *coach_args: str) -> None:
    """coach started from an interactive bash in the pane, so that Ctrl+Z and `fg` work."""
    tmux._tmux("new-session", "-d", "-x", str(tmux.width), "-y", str(tmux.height),
               "env", "PS1=$ ", "bash", "--norc", "--noprofile", "-i")  # fmt: skip
    command = " ".join(f"'{part}'" for part in [*coach_command(), *coach_args])
    # No `; echo` after it: bash would run that as soon as coach stops.
    tmux.keys(f"COACH_HOME='{tmux.home}' HOME='{tmux.home}' {command}", "Enter")


def _exit_code(tmux: Tmux) -> str:
    """Once coach has ended and the shell has the pane again: its exit status."""
    deadline = time.monotonic() + 60
    while tmux._tmux("display-message", "-p", "-t", "0", "#{pane_current_command}").strip() != "bash":
        assert time.monotonic() < deadline, "coach did not exit"
        time.sleep(0.1)
    tmux.keys("echo EXIT=$?", "Enter")
    return tmux.wait_for("EXIT=").split("EXIT=")[-1].split()[0]


def test_ctrl_z_and_fg_paint_the_home_screen_again(tmux: Tmux) -> None:
    _in_a_shell(tmux)
    tmux.wait_for("4-7-8 breathing")
    tmux.keys("C-z")
    tmux.wait_for("Stopped")
    time.sleep(0.3)
    tmux.keys("fg", "Enter")
    # Everything, not only what changed since: the title, the areas, the search row, the keys.
    screen = tmux.wait_for(lambda s: "What bothers you today?" in s and "? Help" in s)
    assert "self-care, not medical advice" in screen and "Search" in screen and "4-7-8 breathing" in screen
    tmux.keys("q")
    tmux.wait_for("Quit Coach?")
    tmux.keys("y")
    assert _exit_code(tmux) == "0"


def test_ctrl_z_over_the_quit_question_suspends_and_fg_enter_does_not_answer_it(tmux: Tmux) -> None:
    routine = tmux.home / "short.json"
    routine.write_text(json.dumps({**SHORT, "steps": [{**SHORT["steps"][0], "seconds": 60}]}))
    (tmux.home / "settings.json").write_text('{"first_run_seen": true}')
    _in_a_shell(tmux, "run", str(routine), "--pre", "4")
    tmux.wait_for("Squeeze the shoulder")
    tmux.keys("q")
    tmux.wait_for("End this session now?")
    tmux.keys("C-z")
    tmux.wait_for("Stopped")
    tmux.keys("fg", "Enter")  # the Enter is the shell's: the question must still be up
    screen = tmux.wait_for(lambda s: "End this session now?" in s and "Go on" in s)
    assert "$ " not in screen  # the app has the screen again, not the shell
    assert not (tmux.home / "history.jsonl").exists()  # not answered, not saved
    tmux.keys("n")  # Go on: still paused, the suspend paused it
    screen = tmux.wait_for("Paused. Press Space to go on.")
    assert "Squeeze the shoulder" in screen
    tmux.keys("q")
    tmux.wait_for("End this session now?")
    tmux.keys("y")
    tmux.wait_for("why it stopped")  # the note after a stop, left out
    tmux.keys("Escape")
    tmux.wait_for("Stopped: 0 of 1 step")  # the summary of a stopped session
    tmux.keys("Enter")
    assert _exit_code(tmux) == "0"
    [line] = (tmux.home / "history.jsonl").read_text().splitlines()
    assert json.loads(line)["completed"] is False
