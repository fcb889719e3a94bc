"""`coach run --plain` driven through a pipe with timed lines: the installed command in a
subprocess, on real time, with the default lead-in. About 20 seconds."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

from tests.helpers.command import coach_command

ROUTINE = {  # 20 + 8 + 5 s if nothing is pressed
    "format": 1, "id": "piped", "title": "Piped routine", "stop_if": ["Tingling runs down the arm."],
    "steps": [
        {"type": "massage", "title": "Knead the shoulder", "instruction": "Squeeze and release.",
         "seconds": 20, "area": "shoulders", "side": "both", "pressure": "firm"},
        {"type": "breathing", "title": "Slow breaths", "cycles": 2,
         "pattern": {"phases": [{"breath": "inhale", "seconds": 2}, {"breath": "exhale", "seconds": 2}]}},
        {"type": "rest", "title": "Rest", "seconds": 5},
    ],
}  # fmt: skip


def test_pause_skip_too_much_and_a_note_from_a_pipe(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "settings.json").write_text(json.dumps({"first_run_seen": True}))  # the lead-in stays on
    routine = tmp_path / "piped.json"
    routine.write_text(json.dumps(ROUTINE))
    env = {**os.environ, "COACH_HOME": str(home)}
    command = [*coach_command(), "run", str(routine), "--plain", "--mute", "--pre", "7", "--post", "3"]
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, bufsize=1)  # fmt: skip
    assert proc.stdin is not None and proc.stdout is not None
    seen: list[str] = []
    began = time.monotonic()

    def wait_for(text: str) -> float:
        while time.monotonic() - began < 40:
            line = proc.stdout.readline()  # type: ignore[union-attr]
            if not line:
                break
            seen.append(line.rstrip("\n"))
            if text in line:
                return time.monotonic()
        proc.kill()
        raise AssertionError(f"no line with {text!r}; saw {seen}; {proc.communicate()[1]}")

    def send(line: str) -> None:
        proc.stdin.write(line + "\n")  # type: ignore[union-attr]
        proc.stdin.flush()  # type: ignore[union-attr]

    try:
        wait_for("Starting in 3, 2, 1.")
        wait_for("Step 1 of 3: Knead the shoulder")
        time.sleep(1.0)
        send("p")
        paused = wait_for("Paused. p to go on.")
        time.sleep(1.5)
        send("p")
        wait_for("Going on in 3, 2, 1.")
        send("t")
        wait_for("Send 1 to 3 to choose")  # lighter, skip, end: no gentler version here
        send("r")
        wait_for("- Tingling runs down the arm.")
        send("2")  # skip this step
        wait_for("Skipping this step.")
        wait_for("Step 2 of 3: Slow breaths")
        breathing = wait_for("Breath 1 of 2: in 2, out 2")  # after the count-in, not before it
        wait_for("Breath 2 of 2: in 2, out 2")
        send("s")
        wait_for("Step 3 of 3: Rest")
        wait_for("Finished: Piped routine.")
        send("Lighter  was better")
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    lines = [*seen, *out.splitlines()]
    assert not [line for line in lines if line.startswith(("Breathe", "Hold"))]  # a line a breath
    assert lines[-1].startswith("Summary: Partly done, 1 of 3 steps,")
    assert "Stress from 7 to 3, down 4 points: a large drop." in lines[-1]
    # Paused 1.5 s, then a count-in (t during the one after `p` stops it; the choice starts another):
    assert breathing - paused >= 1.5 + 3.0 - 0.3
    (record,) = [json.loads(line) for line in (home / "history.jsonl").read_text().splitlines()]
    discomfort: list[dict[str, Any]] = record["discomfort"]
    assert [(d["step"], d["title"], d["choice"]) for d in discomfort] == [(1, "Knead the shoulder", "skip")]
    assert 1.0 <= discomfort[0]["at"] <= 3.0
    assert record["pauses"] == 1 and record["skips"] == 2 and record["note"] == "Lighter was better"
    assert (record["pre"], record["post"], record["completed"]) == (7, 3, False)
    assert "Traceback" not in err
