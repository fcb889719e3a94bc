"""Start-up time of the screenless commands against `import textual.app`, in the same run.

    python bench/bench_cli.py [--runs N]

Each command runs N times, interleaved with the baseline so that machine noise hits both
alike; the figure is the median wall time and its ratio to the baseline's median. Target:
each ratio ≤ 0.5 (these commands must not load Textual at all). `list` and `validate` are
measured warm (their validation cache filled, the steady state) and cold (cache deleted
before every run). `show` (a built-in routine) and `due` (on a day of the example plan,
imported first) are measured warm: served from the cache, they load no pydantic.

`coach status` (over a year of history: one session a day) runs on every shell prompt:
its target is stricter, ≤ 0.3. Last, `coach
remind --every 1h` runs in a pseudo-terminal for `--remind-seconds` (60 by default) and
its CPU time while it waits (utime + stime from /proc/PID/stat, after it has started) is
given as a share of one core; target ≤ 0.1 %.

Every process runs without PYTHONDONTWRITEBYTECODE (this machine's shell may export it):
a user's Python writes bytecode caches, so Coach's sources are compiled once, not on
every run (ENGINEERING.md, "Benchmarks"). The load average is printed before and after.
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

ROOT = Path(__file__).resolve().parent.parent


def coach() -> list[str]:
    found = shutil.which("coach", path=os.path.dirname(sys.executable)) or shutil.which("coach")
    return [found] if found else [sys.executable, "-m", "coach"]


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--remind-seconds", type=float, default=60.0)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="coach-bench-"))
    # What a user gets: their Python keeps .pyc files (see the module's docstring).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["COACH_HOME"] = str(home)
    print(f"load average before: {load_average()}")
    routines = sorted(str(p) for p in (ROOT / "routines").glob("*.json")
                      if not p.name.endswith(".schema.json"))  # fmt: skip
    baseline = [sys.executable, "-c", "import textual.app"]
    plan = ROOT / "routines" / "examples" / "desk-neck-plan.json"
    subprocess.run([*coach(), "plan", "import", str(plan)], env=env, stdout=subprocess.DEVNULL, check=True)
    plan_day = json.loads(plan.read_text("utf-8"))["starts"]
    add_history(home, env)  # `coach status` reads the streak from it (through the index)
    cases = {
        "coach --help": ([*coach(), "--help"], False),
        "coach list (warm)": ([*coach(), "list"], False),
        "coach show neck-and-shoulders (warm)": ([*coach(), "show", "neck-and-shoulders"], False),
        f"coach due --date {plan_day} (warm)": ([*coach(), "due", "--date", plan_day], False),
        "coach validate routines/*.json (warm)": ([*coach(), "validate", *routines], False),
        STATUS: ([*coach(), "status"], False),
        "coach list (cold cache)": ([*coach(), "list"], True),
        "coach validate routines/*.json (cold cache)": ([*coach(), "validate", *routines], True),
    }
    timed(baseline, env)
    for fill in (["list"], ["show", "neck-and-shoulders"], ["due", "--date", plan_day], ["status"]):
        timed([*coach(), *fill], env)  # fill the cache: the warm figures are the steady state
    times: dict[str, list[float]] = {name: [] for name in ("baseline", *cases)}
    for _ in range(args.runs):
        times["baseline"].append(timed(baseline, env))
        for name, (cmd, cold) in cases.items():
            if cold:
                shutil.rmtree(home / "cache", ignore_errors=True)
            times[name].append(timed(cmd, env))
        for fill in (["list"], ["show", "neck-and-shoulders"], ["due", "--date", plan_day], ["status"]):
            timed([*coach(), *fill], env)  # leave the cache warm for the next round
    base = statistics.median(times["baseline"])
    print(f"baseline python -c 'import textual.app': {base * 1000:7.1f} ms (median of {args.runs})")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("note: PYTHONDONTWRITEBYTECODE is set here; unset for every process measured")
    worst = 0.0
    for name, (_, cold) in cases.items():
        median = statistics.median(times[name])
        ratio = median / base
        if not cold:
            worst = max(worst, ratio)
        print(f"{name:<45} {median * 1000:7.1f} ms  ratio {ratio:.2f}")
    verdict = "meets" if worst <= 0.5 else "MISSES"
    print(f"worst warm ratio {worst:.2f}: {verdict} the target of 0.5")
    status = statistics.median(times[STATUS]) / base
    print(f"coach status ratio {status:.2f}: {'meets' if status <= 0.3 else 'MISSES'} the target of 0.3")
    share = remind_cpu_share(env, args.remind_seconds)
    verdict = "meets" if share <= 0.1 else "MISSES"
    # /proc counts CPU time in clock ticks: one tick over the run is the smallest share seen.
    tick = 100.0 / os.sysconf("SC_CLK_TCK") / args.remind_seconds
    print(f"coach remind --every 1h while waiting: {share:.3f} % of one core over "
          f"{args.remind_seconds:g} s (resolution {tick:.3f} %): {verdict} the target of 0.1 %")  # fmt: skip
    print(f"load average after: {load_average()}")
    shutil.rmtree(home, ignore_errors=True)
    return 0


STATUS = "coach status (warm)"


def load_average() -> str:
    """The 1, 5 and 15 minute load averages (os.getloadavg), for the reader to judge noise."""
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


def add_history(home: Path, env: dict[str, str], sessions: int = 365) -> None:
    """A year of one completed session a day, through `coach history import`."""
    from datetime import datetime, timedelta

    start = datetime.now().astimezone().replace(hour=9, minute=0, second=0, microsecond=0)
    lines = []
    for n in range(sessions):
        began = start - timedelta(days=n)
        lines.append(json.dumps({
            "format": 1, "id": f"{n:032x}", "routine": "jaw-release", "routine_title": "Jaw release",
            "routine_hash": "sha256:" + "0" * 64, "plan": None, "started_at": began.isoformat(),
            "ended_at": (began + timedelta(minutes=5)).isoformat(), "planned_seconds": 290,
            "active_seconds": 290.0, "completed": True, "ran_to_end": True, "steps_done": 5,
            "steps_total": 5, "pre": 6, "post": 3, "note": "", "pauses": 0, "skips": 0, "gentler": 0,
            "discomfort": [],
        }))  # fmt: skip
    source = home / "bench-history.jsonl"
    source.write_text("\n".join(lines) + "\n", "utf-8")
    subprocess.run(
        [*coach(), "history", "import", str(source)], env=env, stdout=subprocess.DEVNULL, check=True
    )


def cpu_seconds(pid: int) -> float:
    """utime + stime of process `pid` in seconds (proc(5): fields 14 and 15, in ticks)."""
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text[text.rfind(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def remind_cpu_share(env: dict[str, str], seconds: float) -> float:
    """The CPU share (percent of one core) of `coach remind --every 1h` waiting on a
    pseudo-terminal for `seconds`, after a 3-second start."""
    import pty
    import signal

    main_fd, child_fd = pty.openpty()
    proc = subprocess.Popen([*coach(), "remind", "--every", "1h"], stdin=child_fd, stdout=child_fd,
                            stderr=child_fd, env=env, start_new_session=True)  # fmt: skip
    os.close(child_fd)
    try:
        time.sleep(3.0)  # its start-up is not waiting
        before, start = cpu_seconds(proc.pid), time.monotonic()
        time.sleep(seconds)
        used, elapsed = cpu_seconds(proc.pid) - before, time.monotonic() - start
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
        os.close(main_fd)
    return 100.0 * used / elapsed


if __name__ == "__main__":
    raise SystemExit(main())
