"""Time away through the installed command (issue 9): `coach run --plain` stopped with
SIGSTOP for 8 s and continued. Real time, a subprocess, COACH_HOME in a tmp folder; about
22 seconds."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from datetime import datetime
from pathlib import Path

from tests.helpers.command import coach_command

TWO_RESTS = {  # 10 s in all
    "format": 1, "id": "two-rests", "title": "Two rests",
    "steps": [{"type": "rest", "title": "First rest", "seconds": 5},
              {"type": "rest", "title": "Second rest", "seconds": 5}],
}  # fmt: skip
STOPPED_FOR = 8.0


def test_a_stopped_process_comes_back_paused_and_the_stop_is_not_exercise(
    coach_home: Path, tmp_path: Path
) -> None:
    routine = tmp_path / "two-rests.json"
    routine.write_text(json.dumps(TWO_RESTS))
    env = {**os.environ, "COACH_HOME": str(coach_home), "COACH_TRACE_EVENTS": "1"}
    began = time.monotonic()
    proc = subprocess.Popen(
        [*coach_command(), "run", str(routine), "--plain", "--pre", "5", "--post", "4", "--mute"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        seen: list[str] = []
        while not any(line.startswith("Step 1 of 2") for line in seen):
            line = proc.stdout.readline()
            assert line, f"the run ended early: {seen}"
            seen.append(line.rstrip("\n"))
        time.sleep(2.0)  # two seconds into the first rest
        proc.send_signal(signal.SIGSTOP)
        stopped = time.monotonic()
        time.sleep(STOPPED_FOR)
        proc.send_signal(signal.SIGCONT)
        stopped_for = time.monotonic() - stopped  # STOPPED_FOR, and a loaded machine's lateness
        out, err = proc.communicate(timeout=60)
        lived = time.monotonic() - began
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    lines = [*seen, *out.splitlines()]
    paused = [line for line in lines if line.startswith("Paused:")]
    assert len(paused) == 1, lines
    said = re.fullmatch(r"Paused: Coach was stopped for (\d+) seconds; that time is not counted\.", paused[0])
    assert said is not None, paused
    assert STOPPED_FOR - 1 <= int(said.group(1)) <= stopped_for + 1, (paused, stopped_for)
    assert "Going on in 3, 2, 1." in lines
    # Nothing that fell due while stopped came at once: the second rest began after the lead-in.
    traces = [line.split() for line in err.splitlines() if line.startswith("trace ")]
    assert [t[3] for t in traces] == ["step_started", "paused", "resumed", "step_started", "finished"]
    second_started = float(traces[3][1])
    assert second_started >= 2.0 + STOPPED_FOR + 3.0 - 0.5
    (record,) = [json.loads(line) for line in (coach_home / "history.jsonl").read_text().splitlines()]
    assert abs(record["active_seconds"] - 10.0) <= 1.0, record
    assert record["pauses"] >= 1
    assert record["completed"] is True and record["ran_to_end"] is True
    # ended_at is started_at plus the monotonic time: run, stop, lead-in and the rest.
    ended, began = (datetime.fromisoformat(record[name]) for name in ("ended_at", "started_at"))
    took = (ended - began).total_seconds()
    # (and the lead-in before the first step: the `lead_in` setting is on by default); at
    # most the process's own life, however slowly a loaded machine ran it.
    assert 10.0 + STOPPED_FOR + 3.0 + 3.0 - 2 <= took <= lived, (took, lived)
    assert "Traceback" not in err


def test_the_app_runs_its_sessions_on_the_session_clock() -> None:
    from coach import start
    from coach.tui.services import Services

    assert Services().clock is start.session_clock  # the plain runner's too (tests/unit/test_start.py)
