"""`coach run --plain` end to end: the installed command in a subprocess, real time and signals."""

from __future__ import annotations

import json
import os
import pty
import re
import signal
import subprocess
import time
from pathlib import Path
from typing import IO, Any

import pytest

from coach import safety_note
from tests.helpers.command import RunCoach, coach_command

TINY = {  # two breathing steps: 3 s
    "format": 1, "id": "tiny", "title": "Tiny routine", "cautions": ["Stop if anything hurts."],
    "steps": [
        {"type": "breathing", "title": "Two breaths", "cycles": 1,
         "pattern": {"phases": [{"breath": "inhale", "seconds": 1}, {"breath": "exhale", "seconds": 1}]}},
        {"type": "breathing", "title": "One quick breath", "cycles": 1,
         "pattern": {"phases": [{"breath": "inhale", "seconds": 0.5}, {"breath": "exhale", "seconds": 0.5}]}},
    ],
}  # fmt: skip
SIDES = {  # 10 s a side and a rest: 25 s, for previews and signals
    "format": 1, "id": "sides", "title": "Both shoulders",
    "steps": [
        {"type": "massage", "title": "Knead the shoulder", "instruction": "Squeeze and release.",
         "seconds": 10, "area": "shoulders", "side": "each", "pressure": "light"},
        {"type": "rest", "title": "Rest", "seconds": 5},
    ],
}  # fmt: skip


def write(tmp_path: Path, routine: dict[str, Any]) -> Path:
    path = tmp_path / f"{routine['id']}.json"
    path.write_text(json.dumps(routine))
    return path


def history(home: Path) -> list[dict[str, Any]]:
    path = home / "history.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def start(home: Path, *args: str, stdin: int | IO[Any] | None = subprocess.DEVNULL) -> subprocess.Popen[str]:
    env = {**os.environ, "COACH_HOME": str(home), "COACH_TRACE_EVENTS": "1"}
    return subprocess.Popen([*coach_command(), "run", *args], stdin=stdin, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)  # fmt: skip


def wait_for_line(proc: subprocess.Popen[str], text: str, timeout: float = 60) -> list[str]:
    """Read stdout until a line containing `text` arrives (the timeout only bounds a failure)."""
    assert proc.stdout is not None
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(line.rstrip("\n"))
        if text in line:
            return seen
    raise AssertionError(f"no line with {text!r}; saw {seen}")


def test_the_lines_and_the_record_of_a_real_run(
    run_coach: RunCoach, coach_home: Path, tmp_path: Path
) -> None:
    began = time.monotonic()
    result = run_coach("run", str(write(tmp_path, TINY)), "--plain", "--pre", "7", "--post", "4", "--mute",
                       env={"COACH_TRACE_EVENTS": "1"})  # fmt: skip
    took = time.monotonic() - began
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Tiny routine: 2 steps, 3 seconds.",
        *safety_note.plain_lines(),  # the first-run note, as the app shows it
        "Caution: Stop if anything hurts.",
        "Starting in 3, 2, 1.",  # the lead-in (a setting, on by default)
        "Step 1 of 2: Two breaths, 1 breath, 2 seconds.",
        "Breath 1 of 1: in 1, out 1",  # a line a breath, not a phase
        "Step 2 of 2: One quick breath, 1 breath, 1 second.",
        "Breath 1 of 1: in 0.5, out 0.5",
        "Finished: Tiny routine.",
        "Summary: Completed, 2 of 2 steps, 3 seconds of 3 seconds practised. Stress from 7 to 4, "
        "down 3 points: a noticeable drop. Saved to your history.",
    ]
    assert took >= 3.0 + 3.0  # the lead-in and the steps ran on real time
    # ...and no longer: the end came when it was due. Measured by the runner itself from the
    # first step's start, so a slow start-up on a loaded machine is not counted; the bound
    # is a late wake-up of a busy machine, far below one more step or lead-in.
    traces = [line.split() for line in result.stderr.splitlines() if line.startswith("trace ")]
    assert traces[-1][3] == "finished" and float(traces[-1][2]) == pytest.approx(3.0)
    assert 3.0 - 0.01 <= float(traces[-1][1]) < 3.0 + 1.0, traces
    (record,) = history(coach_home)
    assert record["routine"] == "tiny" and record["completed"] is True
    assert (record["pre"], record["post"], record["steps_done"], record["steps_total"]) == (7, 4, 2, 2)
    assert abs(record["active_seconds"] - 3.0) <= 0.1 and record["planned_seconds"] == 3
    assert not (coach_home / "session.journal.json").exists()
    # The note is shown once ever.
    again = run_coach("run", str(write(tmp_path, TINY)), "--plain", "--mute")
    assert "not medical advice" not in again.stdout
    assert [r["pre"] for r in history(coach_home)] == [7, None]  # stdin not a terminal: no rating


def test_a_preview_keeps_time_and_records_nothing(coach_home: Path, tmp_path: Path) -> None:
    proc = start(coach_home, str(write(tmp_path, SIDES)), "--plain", "--speed", "10", "--mute")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "Switch to the right side." in out.splitlines()
    assert (
        out.splitlines()[-1]
        == "Summary: 2 of 2 steps, 25 seconds of 25 seconds practised. A preview: nothing was recorded."
    )
    traces = [line.split() for line in err.splitlines() if line.startswith("trace ")]
    assert [t[3] for t in traces] == ["step_started", "side_switched", "step_started", "finished"]
    for _, real, planned, _kind in traces:
        # Never early; late at most by a busy machine's wake-up (ignoring --speed 10 would be seconds late).
        assert -0.01 <= float(real) - float(planned) < 1.0, traces
    assert float(traces[-1][2]) == pytest.approx(2.5)
    assert not (coach_home / "history.jsonl").exists()
    assert not (coach_home / "session.journal.json").exists()


@pytest.mark.parametrize(
    ("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGHUP, 129)]
)
def test_a_signal_records_the_session_as_not_completed(
    coach_home: Path, tmp_path: Path, signum: int, code: int
) -> None:
    began = time.monotonic()
    proc = start(coach_home, str(write(tmp_path, SIDES)), "--plain", "--pre", "6", "--mute")
    wait_for_line(proc, "Step 1 of 2")
    time.sleep(1.0)  # at least this much practice (the step began before its line was read)
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=60)
    lived = time.monotonic() - began
    assert proc.returncode == code, err
    assert "Saved to your history as stopped; it does not count towards your streak." in out
    (record,) = history(coach_home)
    assert record["completed"] is False and record["pre"] == 6 and record["post"] is None
    # The practice up to the signal: at least the second slept above, at most the process's
    # life less the 3 s lead-in (a bound that holds however slowly a loaded machine starts it).
    assert 0.9 <= record["active_seconds"] <= lived - 3.0, (record["active_seconds"], lived)
    assert not (coach_home / "session.journal.json").exists()
    assert "Traceback" not in err


def test_a_killed_session_is_recovered_by_the_next_command(
    run_coach: RunCoach, coach_home: Path, tmp_path: Path
) -> None:
    proc = start(coach_home, str(write(tmp_path, SIDES)), "--plain", "--pre", "9", "--mute")
    wait_for_line(proc, "Step 1 of 2")
    time.sleep(0.5)
    proc.kill()  # SIGKILL: no handler runs, only the journal is left
    proc.communicate(timeout=60)
    assert (coach_home / "session.journal.json").exists()
    assert history(coach_home) == []
    result = run_coach("history", "--json")
    assert result.returncode == 0, result.stderr
    (record,) = json.loads(result.stdout)
    assert record["routine"] == "sides" and record["completed"] is False
    assert record["pre"] == 9 and record["post"] is None and record["steps_done"] == 0
    assert not (coach_home / "session.journal.json").exists()
    assert len(history(coach_home)) == 1


def test_ratings_are_asked_on_a_terminal(coach_home: Path, tmp_path: Path) -> None:
    controller, terminal = pty.openpty()
    try:
        proc = start(coach_home, str(write(tmp_path, TINY)), "--plain", "--mute", stdin=terminal)
        wait_for_line(proc, "How stressed or tense")
        os.write(controller, b"8\n")
        wait_for_line(proc, "Finished: Tiny routine.")
        wait_for_line(proc, "How stressed or tense")  # keys typed before the question are dropped
        os.write(controller, b"5\n")
        os.write(controller, b"calmer\n")  # "Anything to note?"
        out, err = proc.communicate(timeout=60)
    finally:
        os.close(controller)
        os.close(terminal)
    assert proc.returncode == 0, err
    assert "Stress from 8 to 5, down 3 points: a noticeable drop." in out
    (record,) = history(coach_home)
    assert (record["pre"], record["post"], record["note"]) == (8, 5, "calmer")


def test_piped_input_is_not_taken_for_ratings(coach_home: Path, tmp_path: Path) -> None:
    proc = start(coach_home, str(write(tmp_path, TINY)), "--plain", "--mute", stdin=subprocess.PIPE)
    out, err = proc.communicate("7\n3\n", timeout=60)
    assert proc.returncode == 0, err
    assert "How stressed" not in out
    (record,) = history(coach_home)
    assert (record["pre"], record["post"]) == (None, None)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/no/such/routine.json"], "coach: /no/such/routine.json: no such file"),
        (["no-such-routine"], "coach: no routine with id 'no-such-routine'"),
        (["neck-and-shoulders", "--pre", "11"], "coach: --pre must be a whole number from 0 to 10, got 11"),
        (["neck-and-shoulders", "--speed", "0.5"], "coach: --speed must be a number from 1 to 100, got 0.5"),
        (["neck-and-shoulders", "--speed", "500"], "coach: --speed must be a number from 1 to 100, got 500"),
        (["neck-and-shoulders", "--plan", "no-such-plan"], "coach: no plan with id 'no-such-plan'"),
    ],
)
def test_bad_input_is_one_clear_error_and_exit_2(run_coach: RunCoach, args: list[str], message: str) -> None:
    result = run_coach("run", *args, "--plain")
    assert result.returncode == 2
    assert result.stderr.startswith(message) and len(result.stderr.splitlines()) == 1
    assert result.stdout == ""


def test_an_invalid_routine_file_says_where(run_coach: RunCoach, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": 1, "id": "bad", "title": "Bad", "steps": []}')
    result = run_coach("run", str(bad), "--plain")
    assert result.returncode == 1
    assert result.stderr.startswith(f"{bad}:1:") and "Traceback" not in result.stderr  # FILE:LINE:COL


def test_help_lists_the_options(run_coach: RunCoach) -> None:
    result = run_coach("run", "--help")
    for option in ("--plain", "--pre", "--post", "--plan", "--mute", "--speed"):
        assert option in result.stdout


def test_stop_interrupts_sleep_promptly(coach_home: Path, tmp_path: Path) -> None:
    """A signal during a long wait (a 10 s pass) ends the run at once, not at the next event."""
    proc = start(coach_home, str(write(tmp_path, SIDES)), "--plain", "--pre", "2", "--mute")
    wait_for_line(proc, "Step 1 of 2")
    sent = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    # The next event (the side switch) is 10 s into the pass: the run never reached it. The
    # time bound is that wait less the most a loaded machine takes to save and exit.
    assert proc.returncode == 143, err
    assert "Switch to the right side." not in out and " side_switched" not in err
    assert time.monotonic() - sent < 7.0
    (record,) = history(coach_home)
    assert record["active_seconds"] < 10.0


def test_a_signal_at_the_first_question_records_nothing(coach_home: Path, tmp_path: Path) -> None:
    controller, terminal = pty.openpty()
    try:
        proc = start(coach_home, str(write(tmp_path, TINY)), "--plain", "--mute", stdin=terminal)
        wait_for_line(proc, "How stressed or tense")
        time.sleep(0.2)  # into input()
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        os.close(controller)
        os.close(terminal)
    assert proc.returncode == 143, err
    assert "Stopped before the first step: nothing was recorded." in out
    assert history(coach_home) == [] and not (coach_home / "session.journal.json").exists()


def test_a_second_session_is_refused_while_one_runs(
    run_coach: RunCoach, coach_home: Path, tmp_path: Path
) -> None:
    first = start(coach_home, str(write(tmp_path, SIDES)), "--plain", "--pre", "3", "--mute")
    try:
        wait_for_line(first, "Step 1 of 2")
        second = run_coach("run", str(write(tmp_path, TINY)), "--plain", "--mute")
        assert second.returncode == 1
        assert re.fullmatch(r"coach: A session is already running: Both shoulders, started \d\d:\d\d, "
                            r"in another window\.\n", second.stderr), second.stderr  # fmt: skip
        assert "Step 1" not in second.stdout
    finally:
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=60)
    assert [r["routine"] for r in history(coach_home)] == ["sides"]


def test_without_the_app_run_falls_back_to_plain(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    from coach.cli import build_parser
    from coach.commands import run

    calls: list[str] = []
    monkeypatch.setitem(sys.modules, "coach.tui.launch", None)  # importing it fails
    monkeypatch.setattr("coach.plain.run_plain", lambda args: calls.append(args.routine) or 0)
    args = build_parser().parse_args(["run", "neck-and-shoulders"])
    assert run.cmd_run(args) == 0
    assert calls == ["neck-and-shoulders"]
    assert "running as plain text" in capsys.readouterr().err


REST = {"format": 1, "id": "rest-a-moment", "title": "Rest a moment",
        "steps": [{"type": "rest", "title": "Rest", "seconds": 5}]}  # fmt: skip
REFUSAL = re.compile(
    r"coach: A session is already running: Rest a moment, started \d\d:\d\d, in another window\.\n"
)


def test_two_runs_started_together_one_runs_the_other_is_refused_and_a_kill_is_recovered(
    run_coach: RunCoach, coach_home: Path, tmp_path: Path
) -> None:
    """20 times: two `coach run` at once. Exactly one runs; the other is refused at once,
    before any question, with the sentence; the runner is then SIGKILLed, and every killed
    session is recorded (the next run recovers it under the lock; `history` the last)."""
    routine = str(write(tmp_path, REST))
    coach_home.mkdir(parents=True, exist_ok=True)
    (coach_home / "settings.json").write_text('{"lead_in": false}')  # the first step at once: 20 rounds
    rounds = 20
    for _ in range(rounds):
        began = time.monotonic()
        pair = [start(coach_home, routine, "--plain", "--pre", "3", "--post", "2") for _ in range(2)]
        try:
            while all(p.poll() is None for p in pair) and time.monotonic() - began < 60:
                time.sleep(0.01)
            done = [p for p in pair if p.poll() is not None]
            assert len(done) == 1, "both ran or neither ended"
            loser, (runner,) = done[0], [p for p in pair if p is not done[0]]
            out, err = loser.communicate(timeout=60)
            assert loser.returncode == 1, err
            assert REFUSAL.fullmatch(err), err
            assert "How stressed" not in out and "Step" not in out
            wait_for_line(runner, "Step 1 of 1")
            # Still running: the killed session is mid-step, and the refusal came before the
            # runner's 5 s session was over (it never waited for the other session).
            assert runner.poll() is None
        finally:
            for proc in pair:
                if proc.poll() is None:
                    proc.kill()
                proc.communicate(timeout=60)
    result = run_coach("history", "--json")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert len(records) == rounds and len({r["id"] for r in records}) == rounds
    assert all(r["completed"] is False and r["pre"] == 3 and r["post"] is None for r in records)
    assert not (coach_home / "session.journal.json").exists()


TWO_RESTS = {"format": 1, "id": "two-rests", "title": "Two rests",
             "steps": [{"type": "rest", "title": "Rest", "seconds": 5},
                       {"type": "rest", "title": "Rest again", "seconds": 5}]}  # fmt: skip


@pytest.fixture
def small_disk(tmp_path: Path) -> Any:
    """A 256 KiB tmpfs (needs root, to mount it)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)],
                          capture_output=True, text=True)  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path) -> Path:
    """Fill the disk that holds `folder`; returns the filler file."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 1024)
    except OSError:
        pass
    finally:
        os.close(fd)
    return filler


def test_a_full_disk_during_a_run_is_told_once_and_the_session_recorded_when_space_returns(
    small_disk: Path, tmp_path: Path
) -> None:
    home = small_disk / "home"
    home.mkdir()
    routine = str(write(tmp_path, TWO_RESTS))
    filler = fill(small_disk)
    proc = start(home, routine, "--plain", "--pre", "5", "--post", "2", "--mute")
    try:
        wait_for_line(proc, "Step 1 of 2")
        filler.unlink()  # space again before the end: the record is written then
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    told = [line for line in err.splitlines() if not line.startswith("trace ")]
    assert len(told) == 1 and told[0].startswith("coach: The session journal cannot be written ("), told
    assert "Traceback" not in err and "Finished: Two rests." in out
    (record,) = history(home)
    assert record["completed"] is True and (record["pre"], record["post"]) == (5, 2)
    assert record["steps_done"] == 2 and record.get("ran_to_end", True) is True
    assert not (home / "session.journal.json").exists()


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{"sound": false, "volume": 20, "theme": "nord", "first_run_seen": false,}\n', ":1:"),
        ('{"sound": "loud", "volume": 55, "first_run_seen": false}\n', ': sound is "loud"'),
        ('{"volume": 900, "first_run_seen": false}\n', ": volume is 900"),
    ],
    ids=["trailing-comma", "wrong-type", "out-of-range"],
)
def test_a_broken_settings_file_is_told_once_and_never_written_over(
    run_coach: RunCoach, coach_home: Path, tmp_path: Path, text: str, where: str
) -> None:
    coach_home.mkdir(parents=True, exist_ok=True)
    settings = coach_home / "settings.json"
    settings.write_text(text)
    result = run_coach("run", str(write(tmp_path, TINY)), "--plain", "--mute")
    assert result.returncode == 0, result.stderr
    told = [line for line in result.stderr.splitlines() if "settings.json" in line]
    assert len(told) == 1, result.stderr
    assert told[0].startswith(f"coach: {settings}{where}")
    assert told[0].endswith("using the defaults for what cannot be used and leaving the file as it is")
    assert settings.read_text() == text  # not replaced by the defaults


def test_a_history_that_can_never_be_written_stops_the_run_before_anything_is_asked(
    run_coach: RunCoach, coach_home: Path, tmp_path: Path
) -> None:
    (coach_home / "history.jsonl").mkdir(parents=True)
    result = run_coach("run", str(write(tmp_path, TINY)), "--plain", "--pre", "5", "--mute")
    assert result.returncode == 1
    assert result.stdout == ""  # no title, no cautions, no step
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"coach: {coach_home / 'history.jsonl'}: is a folder")
    assert line.endswith("no session starts, since it could not be saved to the history")
    preview = run_coach("run", str(write(tmp_path, TINY)), "--plain", "--speed", "10", "--mute")
    assert preview.returncode == 0, preview.stderr  # a preview records nothing: no check
