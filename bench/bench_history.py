"""Benchmark: the history at 1,000, 100,000 and 1,000,000 records, read through the index.

The records are generated, written to a JSON Lines file and brought in through
`coach history import` (so the history is exactly what the program writes), each size in
its own temporary COACH_HOME. Each figure runs in a subprocess; the best wall time of a
few runs and that run's peak memory (ru_maxrss of the child and what it waited for, from
os.wait4) are printed.

- `coach stats`, warm (the index up to date);
- the first page of `coach history` on a terminal: stdout a pseudo-terminal of 30 lines,
  PAGER `head -n 30 >/dev/null` (the pager quits after one screen, as a person does);
- the home screen's status line: `coach.history_view.home_facts`, the function the home
  screen calls, in a fresh interpreter;
- the app's History screen, time to first drawn rows in tmux: `bench_history_screen` (the
  time from `h` on home to the first page of the table on screen, and the app's peak
  memory; "not measured" without tmux);
- the exports `coach history --json` and `--csv`, warm: time, the ratio per 10× records;
- the first run at the largest size (the index built from nothing, by `coach stats` on a
  pseudo-terminal, whose progress line must appear).

    .venv/bin/python bench/bench_history.py [--runs N] [--sizes 1000,100000,1000000]

Targets (issue 12): warm largest/smallest ≤ 2 for stats, the first page, the home line and
the History screen (whose first rows must also show within 0.5 s at 1,000,000);
exports ≤ 11× per 10× records; peak memory ≤ 120 MB at the largest size for every figure;
the first run at 1,000,000 ≤ 20 s, with progress shown.

The generated sessions are spread over at most ten years (a few a day for small sizes,
many a day for 1,000,000): a history's figures cost what its days cost (per-day
tallies), and ten years of days is what a long-standing user or a therapist's import has.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import pty
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
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
TARGET_WARM_RATIO = 2.0
TARGET_EXPORT_RATIO = 11.0  # per 10x the records
TARGET_MB = 120
TARGET_FIRST_RUN = 20.0
TARGET_SCREEN_SECONDS = 0.5  # the History screen's first rows at the largest size
SPAN = timedelta(days=3650)
PAGE_LINES = 30

Figure = tuple[float, float]  # (seconds, peak MB)


def coach_command() -> list[str]:
    found = shutil.which("coach", path=str(Path(sys.executable).parent)) or shutil.which("coach")
    return [found] if found else [sys.executable, "-m", "coach"]


def generate(count: int, path: Path, seed: int = 1) -> None:
    """`count` plausible sessions ending 2026-11-26, at most ten years of them (every 3
    hours when there are few), in two time zones."""
    rng = random.Random(seed)
    zones = [timezone(timedelta(hours=1)), timezone(timedelta(hours=2))]
    step = min(timedelta(hours=3), SPAN / max(count, 1))
    start = datetime(2026, 11, 26, 9, 0, tzinfo=zones[0]) - step * count
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            routine, title = ROUTINES[i % len(ROUTINES)]
            began = (start + step * i + timedelta(seconds=rng.randrange(600))).astimezone(zones[i % 2])
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


def environment(home: Path) -> dict[str, str]:
    env = {**os.environ, "COACH_HOME": str(home), "LINES": str(PAGE_LINES), "COLUMNS": "100"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's Python writes bytecode caches
    return env


def measure(argv: list[str], home: Path, *, terminal: bool = False, **env: str) -> tuple[Figure, bytes]:
    """Wall seconds and peak RSS (MB) of one run of `argv`; with `terminal`, stdout and
    stderr are a pseudo-terminal and what reached it is returned too."""
    full_env = {**environment(home), **env}
    output = b""
    began = time.perf_counter()
    if terminal:
        controller, tty = pty.openpty()
        child = subprocess.Popen(argv, env=full_env, stdin=subprocess.DEVNULL, stdout=tty, stderr=tty)
        os.close(tty)
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        os.close(controller)
    else:
        child = subprocess.Popen(argv, env=full_env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - began
    code = os.waitstatus_to_exitcode(status)
    child.returncode = code
    if code != 0:
        raise SystemExit(f"{' '.join(argv)} failed with exit code {code}: {output[-500:]!r}")
    return (elapsed, usage.ru_maxrss / 1024), output  # Linux reports KiB


def best_of(runs: int, run: Callable[[], Figure]) -> Figure:
    return min(run() for _ in range(runs))


def bench_stats(home: Path) -> Figure:
    return measure([*coach_command(), "stats"], home)[0]


def bench_first_page(home: Path) -> Figure:
    figure, _ = measure(
        [*coach_command(), "history"], home, terminal=True, PAGER=f"head -n {PAGE_LINES} >/dev/null"
    )
    return figure


HOME_LINE = (
    "from datetime import date; from coach import paths; from coach.history_view import home_facts; "
    "facts = home_facts(paths.history_file(), date(2026, 11, 26)); assert facts.error is None, facts.error; "
    "assert facts.last is not None"
)


def bench_home_line(home: Path) -> Figure:
    return measure([sys.executable, "-c", HOME_LINE], home)[0]


def _tmux(socket: str, *args: str) -> str:
    return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True).stdout


def _wait_on_screen(socket: str, text: str, timeout: float = 120.0) -> float:
    """Poll `tmux capture-pane` every 5 ms until `text` shows; the time it showed."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if text in _tmux(socket, "capture-pane", "-p", "-t", "0"):
            return time.perf_counter()
        time.sleep(0.005)
    raise SystemExit(f"timed out waiting for {text!r}:\n{_tmux(socket, 'capture-pane', '-p', '-t', '0')}")


def _peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bench_history_screen(home: Path) -> Figure | None:
    """The app's History screen in tmux (100x30): `coach` opened and its home line shown,
    then `h`; the time from the key to the first drawn rows (the table's position line,
    "session 1 of N", is drawn with the first page), and the app's peak memory then.
    None when tmux is not installed."""
    if shutil.which("tmux") is None:
        return None
    settings = home / "settings.json"
    if not settings.exists():
        settings.write_text('{"first_run_seen": true, "sound": false}')
    socket = f"coach-bench-history-{os.getpid()}-{time.monotonic_ns()}"  # a fresh server each run
    env = {**environment(home), "TERM": "xterm-256color", "HOME": str(home)}
    command = " ".join(f"'{part}'" for part in coach_command())
    prefix = " ".join(f"{k}='{env[k]}'" for k in ("COACH_HOME", "HOME", "TERM"))
    _tmux(socket, "new-session", "-d", "-x", "100", "-y", "30", f"{prefix} exec {command}")
    try:
        _wait_on_screen(socket, "Last:")  # home is up and its history line read
        pid = int(_tmux(socket, "display-message", "-p", "-t", "0", "#{pane_pid}").strip())
        began = time.perf_counter()
        _tmux(socket, "send-keys", "-t", "0", "h")
        shown = _wait_on_screen(socket, "session 1 of")
        return shown - began, _peak_mb(pid)
    finally:
        _tmux(socket, "kill-server")


def bench_export(home: Path, form: str) -> Figure:
    return measure([*coach_command(), "history", form], home)[0]


def first_run(home: Path) -> tuple[Figure, bool]:
    """`coach stats` on a terminal with no index: (figure, whether progress was shown)."""
    shutil.rmtree(home / "cache", ignore_errors=True)
    figure, output = measure([*coach_command(), "stats"], home, terminal=True)
    return figure, "indexing the history" in output.decode("utf-8", "replace")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="1000,100000,1000000")
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    warm: dict[str, Callable[[Path], Figure]] = {
        "coach stats": bench_stats,
        "history, first page": bench_first_page,
        "home status line": bench_home_line,
    }
    exports = {"history --json": "--json", "history --csv": "--csv"}
    results: dict[tuple[str, int], Figure | None] = {}
    first: tuple[Figure, bool] | None = None
    with tempfile.TemporaryDirectory(prefix="coach-bench-") as tmp:
        for size in sizes:
            home = Path(tmp) / f"home-{size}"
            source = Path(tmp) / f"records-{size}.jsonl"
            generate(size, source)
            (seconds, mb), _ = measure([*coach_command(), "history", "import", str(source)], home)
            source.unlink()
            print(f"import {size:>9} records: {seconds:6.2f} s {mb:7.1f} MB  (setup)", flush=True)
            if size == sizes[-1]:
                first = first_run(home)
            else:
                measure([*coach_command(), "stats"], home)  # builds the index
            for name, run in warm.items():
                results[name, size] = best_of(options.runs, lambda run=run, home=home: run(home))
            screens = [bench_history_screen(home) for _ in range(options.runs)]
            measured = [figure for figure in screens if figure is not None]
            results["History screen, first rows", size] = min(measured) if measured else None
            for name, form in exports.items():
                runs = options.runs if size < 1_000_000 else max(1, options.runs - 1)
                results[name, size] = best_of(runs, lambda form=form, home=home: bench_export(home, form))
            shutil.rmtree(home)
    base = measure([*coach_command(), "--version"], Path(tempfile.gettempdir()))[0]
    print(f"\ninterpreter start (coach --version): {base[0]:.3f} s, {base[1]:.1f} MB")
    return report(sizes, results, first, [*warm, "History screen, first rows"], list(exports))


def report(
    sizes: list[int],
    results: dict[tuple[str, int], Figure | None],
    first: tuple[Figure, bool] | None,
    warm: list[str],
    exports: list[str],
) -> int:
    ok = True
    small, large = sizes[0], sizes[-1]
    print(f"\n{'figure':<28}{'records':>10}{'seconds':>9}{'peak MB':>9}")
    for name in [*warm, *exports]:
        for size in sizes:
            found = results[name, size]
            if found is None:
                print(f"{name:<28}{size:>10}{'not measured (tmux is not installed)':>50}")
                continue
            print(f"{name:<28}{size:>10}{found[0]:>9.3f}{found[1]:>9.1f}")
            if size == large:
                ok &= found[1] <= TARGET_MB
                if name == "History screen, first rows":
                    met = found[0] <= TARGET_SCREEN_SECONDS
                    print(f"{'':<28}{'':>10}  first rows within {TARGET_SCREEN_SECONDS} s at {large}: "
                          f"{'met' if met else 'NOT met'}")  # fmt: skip
                    ok &= met
        low, high = results[name, small], results[name, large]
        if low is None or high is None or len(sizes) < 2:
            continue
        ratio = high[0] / low[0]
        if name in warm:
            met = ratio <= TARGET_WARM_RATIO
            print(f"{'':<28}{'ratio':>10}{ratio:>9.2f}  ({large // small}x the records; target <= "
                  f"{TARGET_WARM_RATIO}: {'met' if met else 'NOT met'})")  # fmt: skip
            ok &= met
        else:
            for a, b in itertools.pairwise(sizes):
                ra, rb = results[name, a], results[name, b]
                assert ra is not None and rb is not None
                per_ten = (rb[0] / ra[0]) ** (1 / math.log10(b / a))
                met = per_ten <= TARGET_EXPORT_RATIO
                print(f"{'':<28}{'per 10x':>10}{per_ten:>9.2f}  ({a} -> {b}; target <= "
                      f"{TARGET_EXPORT_RATIO}: {'met' if met else 'NOT met'})")  # fmt: skip
                ok &= met
    if first is not None:
        (seconds, mb), shown = first
        met = seconds <= TARGET_FIRST_RUN and shown and mb <= TARGET_MB
        verdict = "met" if met else "NOT met"
        print(f"\nfirst run (index built) at {large} records: {seconds:.2f} s, {mb:.1f} MB, progress "
              f"{'shown' if shown else 'NOT shown'} (target <= {TARGET_FIRST_RUN} s: {verdict})")  # fmt: skip
        ok &= met
    print(f"\npeak memory target <= {TARGET_MB} MB at {large} records for every figure")
    print("targets: " + ("met" if ok else "NOT met"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
