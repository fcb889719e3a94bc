"""Timing accuracy of `coach run --plain` on a 60-second routine.

    python bench/bench_timing.py [--speed N] [--load]

Runs the installed command once in real time (or N times faster with --speed, which is then
reported as such) on a routine of exactly 60 s: box breathing, a massage on each side with a
side switch, custom breaths of 0.5 s and 2 s, and a rest: 11 events, one a line as a person
hears them (4 steps, 4 breath cycles, one side switch, "10 seconds left" in the 32 s box step,
the end; the lines are one a breath cycle, not one a phase, since issue 14). Two measures of
every event:

  trace    the runner's own stderr line (COACH_TRACE_EVENTS=1): real seconds since the
           first step against the planned time;
  arrival  when this script read the event's stdout line, against the arrival of the first
           step line plus the planned time (what a screen reader hears).

Prints the error of each measure in milliseconds (median, 95th percentile, worst) and the
end against the plan. Target: every event within 50 ms, the end within 100 ms.
`--load` runs two busy processes meanwhile (the machine has two cores).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PLANNED_SECONDS = 60.0
ROUTINE = {
    "format": 1,
    "id": "bench-sixty",
    "title": "Sixty seconds",
    "steps": [
        {"type": "breathing", "title": "Box breaths", "pattern": "box", "cycles": 2},  # 32 s
        {"type": "massage", "title": "Knead the shoulder", "instruction": "Squeeze and release.",
         "seconds": 9, "area": "shoulders", "side": "each"},  # 18 s
        {"type": "breathing", "title": "Quick breaths", "cycles": 2,
         "pattern": {"phases": [{"breath": "inhale", "seconds": 0.5},
                                {"breath": "exhale", "seconds": 2.0}]}},  # 5 s
        {"type": "rest", "title": "Rest", "seconds": 5},  # 5 s
    ],
}  # fmt: skip


def coach() -> list[str]:
    found = shutil.which("coach", path=os.path.dirname(sys.executable)) or shutil.which("coach")
    return [found] if found else [sys.executable, "-m", "coach"]


def busy() -> list[subprocess.Popen[bytes]]:
    code = "import time\nwhile True: pass"
    return [subprocess.Popen([sys.executable, "-c", code]) for _ in range(2)]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def describe(name: str, errors_ms: list[float]) -> str:
    worst = max(errors_ms, key=abs)
    return (
        f"{name:8} events={len(errors_ms):3}  median={statistics.median(errors_ms):7.2f} ms  "
        f"p95={percentile([abs(e) for e in errors_ms], 0.95):7.2f} ms  worst={worst:7.2f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--speed", type=float, default=1.0, help="run N times faster (reported as such)")
    parser.add_argument("--load", action="store_true", help="two busy processes run meanwhile")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="coach-bench-timing-"))
    routine_path = home / "sixty.json"
    routine_path.write_text(json.dumps(ROUTINE))
    env = {**os.environ, "COACH_HOME": str(home), "COACH_TRACE_EVENTS": "1"}
    cmd = [*coach(), "run", str(routine_path), "--plain", "--mute"]
    if args.speed != 1.0:
        cmd += ["--speed", f"{args.speed:g}"]
    else:
        cmd += ["--pre", "5", "--post", "4"]
    loaders = busy() if args.load else []
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env, bufsize=1)  # fmt: skip
        assert proc.stdout is not None and proc.stderr is not None
        arrivals: list[tuple[float, str]] = []
        for line in proc.stdout:
            arrivals.append((time.monotonic(), line.rstrip("\n")))
        err = proc.stderr.read()
        proc.wait()
    finally:
        for loader in loaders:
            loader.kill()
            loader.wait()
        shutil.rmtree(home, ignore_errors=True)
    if proc.returncode != 0:
        print(err, file=sys.stderr)
        return 1

    traces = [line.split() for line in err.splitlines() if line.startswith("trace ")]
    real = [float(t[1]) for t in traces]
    planned = [float(t[2]) for t in traces]
    kinds = [t[3] for t in traces]
    # Each event prints one stdout line; they start with the first "Step" line.
    first = next(i for i, (_, text) in enumerate(arrivals) if text.startswith("Step 1 of"))
    event_lines = arrivals[first : first + len(traces)]
    t0 = event_lines[0][0]
    trace_errors = [(r - p) * 1000 for r, p in zip(real, planned, strict=True)]
    arrival_errors = [(at - t0 - p) * 1000 for (at, _), p in zip(event_lines, planned, strict=True)]

    planned_end = PLANNED_SECONDS / args.speed
    end_trace = (real[-1] - planned_end) * 1000
    end_arrival = (event_lines[-1][0] - t0 - planned_end) * 1000
    mode = "real time" if args.speed == 1.0 else f"--speed {args.speed:g} (1x figures need a run without it)"
    print(f"coach run --plain, a {PLANNED_SECONDS:g} s routine, {mode}{', under load' if args.load else ''}")
    print(f"events: {len(traces)} ({', '.join(f'{k}={kinds.count(k)}' for k in dict.fromkeys(kinds))})")
    print(describe("trace", trace_errors))
    print(describe("arrival", arrival_errors))
    print(f"end      planned {planned_end:.3f} s  trace {real[-1]:.4f} s ({end_trace:+.2f} ms)  "
          f"arrival {event_lines[-1][0] - t0:.4f} s ({end_arrival:+.2f} ms)")  # fmt: skip
    worst_event = max(abs(e) for e in trace_errors + arrival_errors)
    ok = worst_event <= 50 and abs(end_trace) <= 100 and abs(end_arrival) <= 100
    print(f"target: every event within 50 ms, end within 100 ms: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
