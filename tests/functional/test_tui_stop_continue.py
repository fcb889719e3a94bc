"""`kill -STOP`, then `kill -CONT`, of the running app (issue 14): the session comes back
paused, and the summary's first Enter ends the program. Textual 8.2.8 restarted application
mode on that SIGCONT as if back from its own Ctrl+Z, which started a second keyboard thread;
at exit the first one, never joined, kept the process alive until a second key
(coach.tui.sigcont). In tmux with the installed `coach`, and the guard with a fake driver."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from coach.tui.sigcont import guard_sigcont
from tests.functional.test_e2e_tmux import Tmux
from tests.helpers.tui import Env, advance, on_screen, until

LONG_REST = {
    "format": 1,
    "id": "stop-continue",
    "title": "Stop and continue",
    "summary": "One long rest.",
    "areas": ["breath"],
    "steps": [{"type": "rest", "title": "Sit quietly", "seconds": 600}],
}

# The engine counts a gap of more than this (seconds) as time away: the stop lasts longer,
# so that the app comes back paused as the issue saw it. A lower bound, not a speed guess.
STOPPED_FOR = 3.0


def _coach_pid(tmux: Tmux, timeout: float = 60) -> int:
    """The pid of `coach` in the pane: the child of the pane's shell, polled for."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shell = tmux._tmux("list-panes", "-F", "#{pane_pid}").split()
        if shell:
            found = subprocess.run(["pgrep", "-P", shell[0]], capture_output=True, text=True).stdout.split()
            if found:
                return int(found[0])
        time.sleep(0.1)
    raise AssertionError("coach did not start in the pane")


def _threads(pid: int) -> set[str]:
    """The ids of the process's threads now."""
    return set(os.listdir(f"/proc/{pid}/task"))


def _settled_threads(pid: int, timeout: float = 60) -> set[str]:
    """The process's threads once the set has stayed the same over ten polls (the start's
    workers are done): polled, the timeout only bounds a failure."""
    deadline = time.monotonic() + timeout
    last, same = _threads(pid), 0
    while time.monotonic() < deadline and same < 10:
        time.sleep(0.1)
        now = _threads(pid)
        same = same + 1 if now == last else 0
        last = now
    return last


def _wait_state(pid: int, stopped: bool, timeout: float = 60) -> None:
    """Poll /proc until the process is stopped (state T) or running again."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        if (state in ("T", "t")) == stopped:
            return
        time.sleep(0.05)
    raise AssertionError(f"process {pid} did not become {'stopped' if stopped else 'running'}")


NO_TOOLS = (
    shutil.which("tmux") is None or shutil.which("pgrep") is None or not Path("/proc/self/stat").exists()
)


@pytest.mark.skipif(NO_TOOLS, reason="needs tmux, pgrep and /proc")
def test_after_stop_and_continue_the_summarys_first_enter_ends_the_program(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / ".asoundrc").write_text("pcm.!default { type null }\n")
    (home / "settings.json").write_text(json.dumps({"first_run_seen": True}))
    routine = home / "rest.json"
    routine.write_text(json.dumps(LONG_REST))
    tmux = Tmux(home)
    try:
        tmux.start("run", str(routine), "--pre", "5", "--post", "3", "--mute")
        tmux.wait_for("Sit quietly")
        pid = _coach_pid(tmux)
        before = _settled_threads(pid)
        os.kill(pid, signal.SIGSTOP)
        _wait_state(pid, stopped=True)
        time.sleep(STOPPED_FOR)
        os.kill(pid, signal.SIGCONT)
        _wait_state(pid, stopped=False)
        tmux.wait_for("that time is not counted")  # time away: it comes back paused, and says so
        # No keyboard (or output) thread started beside the running ones: Textual's restart
        # started both in the SIGCONT handler, before the first repaint.
        # Settled again first: a short-lived worker thread (a journal write) is not a reader.
        assert _settled_threads(pid) - before == set()
        tmux.keys("Space")
        tmux.wait_for(lambda screen: "Paused." not in screen and "Get ready" not in screen)
        tmux.keys("s")  # the last step: the end
        tmux.wait_for("Enter done")  # the summary
        tmux.keys("Enter")  # once: with two keyboard threads, exit could wait for another key
        screen = tmux.wait_for("EXIT=0")
        assert "Traceback" not in screen and "RuntimeWarning" not in screen
    finally:
        tmux.close()
    [line] = (home / "history.jsonl").read_text().splitlines()
    record = json.loads(line)
    assert record["pauses"] >= 1 and record["post"] == 3


class FakeDriver:
    """What the guard reads of textual's LinuxDriver, with its restart recorded."""

    def __init__(self, *, suspended: bool, auto_restart: bool = True) -> None:
        self._must_signal_resume = suspended  # set by the driver's own SIGTSTP handler
        self._auto_restart = auto_restart
        self.fileno = None
        self._key_thread: threading.Thread | None = threading.current_thread()  # reading keys
        self.restarts = 0

    def _sigcont_application(self, *_: Any) -> None:
        self.restarts += 1


def _continued(driver: FakeDriver) -> int:
    """Install `driver`'s handler and the guard, deliver SIGCONT's handler once, and say
    how many repaints the event loop ran."""
    repaints: list[int] = []
    before = signal.getsignal(signal.SIGCONT)

    async def scenario() -> None:
        signal.signal(signal.SIGCONT, driver._sigcont_application)
        assert guard_sigcont(driver, lambda: repaints.append(1))
        handler = signal.getsignal(signal.SIGCONT)
        assert callable(handler)
        handler(signal.SIGCONT, None)
        await asyncio.sleep(0)  # the repaint is called soon, on the loop

    try:
        asyncio.run(scenario())
    finally:
        signal.signal(signal.SIGCONT, before)
    return len(repaints)


def test_a_stop_from_outside_does_not_restart_application_mode() -> None:
    driver = FakeDriver(suspended=False)
    assert _continued(driver) == 1
    assert driver.restarts == 0


def test_after_the_app_has_ended_a_continue_changes_nothing() -> None:
    driver = FakeDriver(suspended=False)
    driver._key_thread = None  # application mode stopped: the terminal is the shell's
    assert _continued(driver) == 0
    assert driver.restarts == 0


def test_back_from_the_apps_own_ctrl_z_textual_restarts_as_before() -> None:
    driver = FakeDriver(suspended=True)
    assert _continued(driver) == 0
    assert driver.restarts == 1


def test_inside_app_suspend_textuals_handler_decides_as_before() -> None:
    driver = FakeDriver(suspended=False, auto_restart=False)
    _continued(driver)
    assert driver.restarts == 1  # its handler, which does nothing without auto-restart


def test_the_guard_leaves_a_handler_that_is_not_the_drivers() -> None:
    before = signal.getsignal(signal.SIGCONT)

    async def scenario() -> bool:
        signal.signal(signal.SIGCONT, signal.SIG_DFL)
        return guard_sigcont(FakeDriver(suspended=False), lambda: None)

    try:
        assert asyncio.run(scenario()) is False
        assert signal.getsignal(signal.SIGCONT) == signal.SIG_DFL
    finally:
        signal.signal(signal.SIGCONT, before)


async def test_a_clock_jump_then_the_summarys_first_enter_is_taken(tmp_path: Path) -> None:
    # The first guess, ruled out: the engine's time away (a clock that jumps, as after
    # SIGSTOP) and the lead-in after the resume leave nothing waiting that takes the key.
    env = Env(tmp_path, settings={"lead_in": True})
    async with env.app(start="slow-breaths", pre=5, post=3).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await on_screen(pilot, "PlayerScreen")
        await advance(pilot, env, 5)
        env.clock.advance(12)  # no redraw for 12 s: the process was stopped
        app.screen.redraw()
        await pilot.pause()
        assert app.screen.practice.snapshot(env.clock()).state == "paused"
        await pilot.press("space")  # resumed: the lead-in counts
        assert app.screen.practice.snapshot(env.clock()).leading_in
        await pilot.press("s", "s")  # both steps, during the count
        await on_screen(pilot, "SummaryScreen")
        assert app.return_code is None
        await pilot.press("enter")  # once
        await until(pilot, lambda: app.return_code is not None, "the app to exit")
    assert app.return_code == 0
    assert [record["post"] for record in env.records()] == [3]
