"""Benchmark: `coach stats` and `coach history --json` on 10,000 and 100,000 records.

The records are generated, written to a JSON Lines file and brought in through
`coach history import` (so the history is exactly what the program writes), each size in
its own temporary COACH_HOME. Each command runs in a subprocess; the best wall time of a
few runs and that run's peak memory (ru_maxrss of the child, from os.wait4) are printed,
with the ratio between the two sizes (linear growth would be 10).

    .venv/bin/python bench/bench_history.py [--runs N] [--sizes 10000,100000]

Targets (the product's budget for a large history): 100,000 records in ≤ 1.5 s and ≤ 200 MB; ratio ≤ 12.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coach.records import new_record, timestamp

ROUTINES = [
    ("neck-and-shoulders", "Neck and shoulder release"),
    ("box-breathing", "Box breathing"),
    ("jaw-and-face", "Jaw and face"),
    ("lower-back", "Lower back at the desk"),
    ("hands-and-forearms", "Hands and forearms after typing"),
]
TARGET_SECONDS = 1.5
TARGET_MB = 200
TARGET_RATIO = 12


def coach_command() -> list[str]:
    found = shutil.which("coach", path=str(Path(sys.executable).parent)) or shutil.which("coach")
    return [found] if found else [sys.executable, "-m", "coach"]


def generate(count: int, path: Path, seed: int = 1) -> None:
    """`count` plausible sessions over the last years, a few a day, in two time zones."""
    rng = random.Random(seed)
    zones = [timezone(timedelta(hours=1)), timezone(timedelta(hours=2))]
    start = datetime(2026, 11, 26, 9, 0, tzinfo=zones[0]) - timedelta(hours=3 * count)
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            routine, title = ROUTINES[i % len(ROUTINES)]
            began = (start + timedelta(hours=3 * i, minutes=rng.randrange(60))).astimezone(zones[i % 2])
            planned = rng.choice((120, 300, 420, 600))
            completed = rng.random() < 0.85
            active = planned * (1.0 if completed else rng.random()) + rng.random()
            pre = rng.choice((None, *range(11)))
            post = None if pre is None or rng.random() < 0.1 else max(0, pre - rng.randrange(5))
            record = new_record(
                routine=routine,
                routine_title=title,
                routine_hash="sha256:" + f"{i % len(ROUTINES):064x}",
                plan="sam-neck-2026-12" if i % 7 == 0 else None,
                started_at=timestamp(began),
                ended_at=timestamp(began + timedelta(seconds=active + 30)),
                planned_seconds=planned,
                active_seconds=round(active, 1),
                completed=completed,
                steps_done=6 if completed else rng.randrange(6),
                steps_total=6,
                pre=pre,
                post=post,
                note="Better." if i % 11 == 0 else "",
                pauses=rng.randrange(3),
                skips=rng.randrange(2),
                gentler=rng.randrange(2),
            )
            out.write(record.to_line())


def run(args: list[str], home: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one run of `coach ARGS`, output discarded."""
    env = {**os.environ, "COACH_HOME": str(home)}
    began = time.perf_counter()
    child = subprocess.Popen([*coach_command(), *args], env=env, stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - began
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"coach {' '.join(args)} failed with exit code {child.returncode}")
    return elapsed, usage.ru_maxrss / 1024  # Linux reports KiB


def best_of(runs: int, args: list[str], home: Path) -> tuple[float, float]:
    results = [run(args, home) for _ in range(runs)]
    return min(results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="10000,100000")
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    commands = {"stats": ["stats"], "history --json": ["history", "--json"]}
    results: dict[tuple[str, int], tuple[float, float]] = {}
    with tempfile.TemporaryDirectory(prefix="coach-bench-") as tmp:
        for size in sizes:
            home = Path(tmp) / f"home-{size}"
            source = Path(tmp) / f"records-{size}.jsonl"
            generate(size, source)
            seconds, mb = run(["history", "import", str(source)], home)
            print(f"import {size:>7} records: {seconds:6.2f} s {mb:6.1f} MB  (setup)")
            for name, args in commands.items():
                results[name, size] = best_of(options.runs, args, home)
    base = run(["--version"], Path(tempfile.gettempdir()))
    print(f"\ninterpreter start (coach --version): {base[0]:.3f} s, {base[1]:.1f} MB")
    print(f"\n{'command':<16}{'records':>9}{'seconds':>9}{'peak MB':>9}")
    ok = True
    for name in commands:
        for size in sizes:
            seconds, mb = results[name, size]
            print(f"{name:<16}{size:>9}{seconds:>9.3f}{mb:>9.1f}")
        if len(sizes) >= 2:
            small, large = results[name, sizes[0]], results[name, sizes[-1]]
            ratio = large[0] / small[0]
            print(f"{'':<16}{'ratio':>9}{ratio:>9.2f}  (time, {sizes[-1] // sizes[0]}x the records)")
            ok &= ratio <= TARGET_RATIO
        if sizes[-1] >= 100_000:
            seconds, mb = results[name, sizes[-1]]
            ok &= seconds <= TARGET_SECONDS and mb <= TARGET_MB
    print(
        f"\ntargets: {TARGET_SECONDS} s and {TARGET_MB} MB at 100,000 records, ratio <= {TARGET_RATIO}: "
        + ("met" if ok else "NOT met")
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
