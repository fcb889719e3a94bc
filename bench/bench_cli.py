"""Start-up time of the screenless commands against `import textual.app`, in the same run.

    python bench/bench_cli.py [--runs N]

Each command runs N times, interleaved with the baseline so that machine noise hits both
alike; the figure is the median wall time and its ratio to the baseline's median. Target:
each ratio ≤ 0.5 (these commands must not load Textual at all). `list` and `validate` are
measured warm (their validation cache filled, the steady state) and cold (cache deleted
before every run). `show` (a built-in routine) and `due` (on a day of the example plan,
imported first) are measured warm: served from the cache, they load no pydantic.
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
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="coach-bench-"))
    env = {**os.environ, "COACH_HOME": str(home)}
    routines = sorted(str(p) for p in (ROOT / "routines").glob("*.json")
                      if not p.name.endswith(".schema.json"))  # fmt: skip
    baseline = [sys.executable, "-c", "import textual.app"]
    plan = ROOT / "routines" / "examples" / "desk-neck-plan.json"
    subprocess.run([*coach(), "plan", "import", str(plan)], env=env, stdout=subprocess.DEVNULL, check=True)
    plan_day = json.loads(plan.read_text("utf-8"))["starts"]
    cases = {
        "coach --help": ([*coach(), "--help"], False),
        "coach list (warm)": ([*coach(), "list"], False),
        "coach show neck-and-shoulders (warm)": ([*coach(), "show", "neck-and-shoulders"], False),
        f"coach due --date {plan_day} (warm)": ([*coach(), "due", "--date", plan_day], False),
        "coach validate routines/*.json (warm)": ([*coach(), "validate", *routines], False),
        "coach list (cold cache)": ([*coach(), "list"], True),
        "coach validate routines/*.json (cold cache)": ([*coach(), "validate", *routines], True),
    }
    timed(baseline, env)
    for fill in (["list"], ["show", "neck-and-shoulders"], ["due", "--date", plan_day]):
        timed([*coach(), *fill], env)  # fill the cache: the warm figures are the steady state
    times: dict[str, list[float]] = {name: [] for name in ("baseline", *cases)}
    for _ in range(args.runs):
        times["baseline"].append(timed(baseline, env))
        for name, (cmd, cold) in cases.items():
            if cold:
                shutil.rmtree(home / "cache", ignore_errors=True)
            times[name].append(timed(cmd, env))
        for fill in (["list"], ["show", "neck-and-shoulders"], ["due", "--date", plan_day]):
            timed([*coach(), *fill], env)  # leave the cache warm for the next round
    base = statistics.median(times["baseline"])
    print(f"baseline python -c 'import textual.app': {base * 1000:7.1f} ms (median of {args.runs})")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        # Then Coach's own modules (an editable install) are compiled on every run and the
        # baseline's are not. Unset it to compare like with like (PYTHONPYCACHEPREFIX=DIR
        # keeps the .pyc files out of the tree).
        print("note: PYTHONDONTWRITEBYTECODE is set: Coach's sources are compiled on every run")
    worst = 0.0
    for name, (_, cold) in cases.items():
        median = statistics.median(times[name])
        ratio = median / base
        if not cold:
            worst = max(worst, ratio)
        print(f"{name:<45} {median * 1000:7.1f} ms  ratio {ratio:.2f}")
    verdict = "meets" if worst <= 0.5 else "MISSES"
    print(f"worst warm ratio {worst:.2f}: {verdict} the target of 0.5")
    shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
