"""Starting the app from the command line: errors a person can fix come before the screen,
as one line with the right exit code; the app never starts without a terminal."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import pytest

from coach.errors import UsageError
from coach.tui import launch
from tests.helpers.command import RunCoach


def test_coach_without_a_terminal_says_so(run_coach: RunCoach) -> None:
    result = run_coach()
    assert result.returncode == 2
    assert result.stderr.startswith("coach: the app needs a terminal")
    assert "--plain" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_run_an_unknown_routine_fails_before_the_screen(run_coach: RunCoach) -> None:
    result = run_coach("run", "no-such-routine")
    assert result.returncode == 2
    assert "no routine with id 'no-such-routine'" in result.stderr
    assert "Traceback" not in result.stderr


def test_run_a_broken_file_fails_with_its_location(run_coach: RunCoach, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": 1, "id": "x-y", "title": "T", "steps": []}')
    result = run_coach("run", str(broken))
    assert result.returncode == 1
    assert f"{broken}:" in result.stderr and "Traceback" not in result.stderr


def test_run_app_checks_its_arguments(coach_home: Path) -> None:
    def args(**values: object) -> argparse.Namespace:
        base = {"routine": "box-breathing", "pre": None, "post": None, "plan": None, "mute": False,
                "speed": None}  # fmt: skip
        return argparse.Namespace(**{**base, **values})

    with pytest.raises(UsageError, match="--pre must be a whole number from 0 to 10"):
        launch.run_app(args(pre=11))
    with pytest.raises(UsageError, match="--post"):
        launch.run_app(args(post=-1))
    with pytest.raises(UsageError, match="--speed must be a number from 1 to 100, got 0"):
        launch.run_app(args(speed=0))
    with pytest.raises(UsageError, match="needs a terminal"):
        launch.run_app(args())  # pytest's stdin is not a terminal


def test_importing_the_app_does_not_load_pydantic_or_the_history() -> None:
    import subprocess
    import sys

    code = (
        "import sys; import coach.tui.app, coach.tui.launch, coach.commands.app; "
        "print(sorted(m for m in ('pydantic', 'coach.routine', 'coach.history', 'coach.stats', "
        "'coach.session', 'coach.audio') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


HOLDER = (
    "import sys; from datetime import datetime; from pathlib import Path; "
    "from coach.journal import SessionLock; "
    "lock = SessionLock.acquire(Path(sys.argv[1]), title='Box breathing', "
    "started=datetime.now().astimezone()); "
    "print('held', flush=True); sys.stdin.readline()"
)


def hold_the_lock(lock_path: Path) -> subprocess.Popen[str]:
    """Another process holding the session lock (as a session in another window)."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(lock_path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert proc.stdout is not None and proc.stdout.readline() == "held\n"
    return proc


async def test_a_session_from_home_is_refused_before_any_question(tmp_path: Path) -> None:
    from tests.helpers.tui import Env, loaded, until

    env = Env(tmp_path, first_run_seen=False)  # the first-run note would be the first question
    holder = hold_the_lock(tmp_path / "session.lock")
    try:
        app = env.app()
        async with app.run_test(size=(80, 24)) as pilot:
            await loaded(pilot)
            await pilot.press("down", "down")  # a routine with cautions
            await pilot.press("enter")
            await until(pilot, lambda: any("already running" in str(n.message) for n in app._notifications))
            await pilot.pause(0.1)
            messages = [str(n.message) for n in app._notifications]
            asked = [type(s).__name__ for s in app.screen_stack]
            assert not app.in_session
    finally:
        holder.kill()
        holder.wait()
    assert "A session is already running: Box breathing, started " in "\n".join(messages)
    assert asked == ["HomeScreen"]  # no first-run note, cautions or rating was shown
    assert env.records() == []


def test_coach_run_in_the_app_is_refused_on_stderr_before_the_screen(
    run_coach: RunCoach, coach_home: Path
) -> None:
    holder = hold_the_lock(coach_home / "session.lock")
    try:
        result = run_coach("run", "box-breathing", env={"COACH_FORCE_APP": "1"}, timeout=30)
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 1
    assert re.fullmatch(r"coach: A session is already running: Box breathing, started \d\d:\d\d, "
                        r"in another window\.\n", result.stderr), result.stderr  # fmt: skip
    assert result.stdout == ""  # the app never took the screen


async def test_the_app_holds_the_lock_from_the_first_question_and_lets_go_on_escape(tmp_path: Path) -> None:
    from coach.journal import SessionLock
    from tests.helpers.tui import Env, loaded, on_screen, until

    env = Env(tmp_path)
    lock_path = tmp_path / "session.lock"

    def free() -> bool:
        lock = SessionLock.try_acquire(lock_path)
        if lock is None:
            return False
        lock.release()
        return True

    app = env.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("down", "down")  # a routine with cautions
        await pilot.press("enter")
        await on_screen(pilot, "CautionsScreen")
        at_cautions = free()
        await pilot.press("enter")
        await on_screen(pilot, "RatingScreen")
        at_rating = free()
        await pilot.press("escape")
        await on_screen(pilot, "HomeScreen")
        await until(pilot, free, "the lock let go")  # polled: the release may follow the screen
        after_escape = free()
    assert (at_cautions, at_rating, after_escape) == (False, False, True)
    assert env.records() == []


async def test_a_journal_that_cannot_be_written_is_told_once_and_the_session_saved(tmp_path: Path) -> None:
    import os

    from tests.helpers.tui import Env, advance, on_screen

    env = Env(tmp_path)
    # The journal's temporary file is a folder: every journal write fails (as on a full disk).
    (tmp_path / f".session.journal.json.{os.getpid()}.tmp").mkdir()
    app = env.app(start="slow-breaths", pre=4, post=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "PlayerScreen")
        for _ in range(6):
            await advance(pilot, env, 10)  # steps and time: many journal writes, all failing
        await on_screen(pilot, "SummaryScreen")
        told = [str(n.message) for n in app._notifications if "journal cannot be written" in str(n.message)]
    assert len(told) == 1, told
    [record] = env.records()
    assert (record["routine"], record["completed"]) == ("slow-breaths", True)
    assert (record["pre"], record["post"]) == (4, 3)


def run_in_a_terminal(args: list[str], home: Path, *, term: str, timeout: float = 60) -> tuple[int, bytes]:
    """`coach ARGS` with a pseudo-terminal on stdin, stdout and stderr (a real terminal, as
    a person has one) and TERM set to `term`: its exit code and every byte it wrote."""
    import os
    import pty
    import select
    import time

    from tests.helpers.command import coach_command

    master, slave = pty.openpty()
    env = {**os.environ, "COACH_HOME": str(home), "TERM": term}
    env.pop("COACH_FORCE_APP", None)
    proc = subprocess.Popen([*coach_command(), *args], stdin=slave, stdout=slave, stderr=slave, env=env,
                            close_fds=True)  # fmt: skip
    os.close(slave)
    out = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not chunk:
                    break
                out += chunk
            elif proc.poll() is not None:
                break
        return proc.wait(timeout=60), out
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)


def test_term_dumb_says_to_use_plain_in_one_line_without_escape_codes(coach_home: Path) -> None:
    code, out = run_in_a_terminal([], coach_home, term="dumb")
    assert code == 2
    assert b"\x1b" not in out  # no alternate screen, mouse or colour codes
    [line] = out.decode().splitlines()
    assert line.startswith("coach: the app needs a terminal that can draw a screen (TERM=dumb)")
    assert "--plain" in line


def test_coach_run_on_term_dumb_runs_plain(coach_home: Path) -> None:
    code, out = run_in_a_terminal(["run", "three-sigh-reset", "--speed", "100", "--pre", "5", "--post", "3",
                                   "--mute"], coach_home, term="dumb")  # fmt: skip
    text = out.decode()
    assert code == 0, text
    assert b"\x1b" not in out
    assert "running as plain text" in text and "Finished: Three-sigh reset." in text


def test_run_last_with_nothing_started_yet_is_one_line(run_coach: RunCoach) -> None:
    result = run_coach("run", "--last", "--plain")
    assert result.returncode == 2
    assert result.stderr == "coach: no routine has been started yet; give a ROUTINE (see `coach list`)\n"
    both = run_coach("run", "box-breathing", "--last")
    assert both.returncode == 2 and "not both" in both.stderr
    neither = run_coach("run")
    assert neither.returncode == 2 and "--last" in neither.stderr


def test_run_last_runs_the_remembered_routine_at_its_length(run_coach: RunCoach, coach_home: Path) -> None:
    coach_home.mkdir(parents=True, exist_ok=True)
    # Not three-sigh-reset: its three sighs are the dose, so it cannot reach 3 minutes (issue 15).
    (coach_home / "usual.json").write_text('{"last": {"routine": "eye-strain-break", "minutes": 3}}')
    result = run_coach("run", "--last", "--plain", "--speed", "100", "--pre", "5", "--post", "3", "--mute")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Eye-strain break: 4 steps, 3 minutes.")  # scaled from about 2
    shorter = run_coach("run", "--last", "--minutes", "2", "--plain", "--speed", "100", "--mute")
    assert shorter.stdout.startswith("Eye-strain break: 4 steps, 2 minutes."), shorter.stdout


@pytest.mark.parametrize("bad", ["0", "121", "nan"])
def test_run_minutes_out_of_bounds_is_refused(run_coach: RunCoach, bad: str) -> None:
    result = run_coach("run", "box-breathing", "--plain", "--minutes", bad)
    assert result.returncode == 2
    assert "--minutes must be a number from 1 to 120" in result.stderr and "Traceback" not in result.stderr


def test_a_plain_session_is_remembered_for_run_last(run_coach: RunCoach, tmp_path: Path) -> None:
    import json

    tiny = tmp_path / "tiny.json"
    tiny.write_text(json.dumps({"format": 1, "id": "tiny-rest", "title": "Tiny rest",
                                "steps": [{"type": "rest", "title": "Rest", "seconds": 5}]}))  # fmt: skip
    first = run_coach("run", str(tiny), "--plain", "--pre", "5", "--post", "3", "--mute", timeout=60)
    assert first.returncode == 0, first.stderr
    again = run_coach("run", "--last", "--plain", "--speed", "100", "--mute", cwd=tmp_path.parent)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("Tiny rest: 1 step")


def test_run_last_falls_back_to_the_history_s_last_session(run_coach: RunCoach, coach_home: Path) -> None:
    from tests.helpers.tui import history_line

    coach_home.mkdir(parents=True, exist_ok=True, mode=0o700)
    history = coach_home / "history.jsonl"
    history.write_text(history_line(26, "jaw-release", "Jaw release", 5, 3), encoding="utf-8")
    history.chmod(0o600)
    result = run_coach("run", "--last", "--plain", "--speed", "100", "--mute")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Jaw release: ")
