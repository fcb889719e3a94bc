"""The app in a real terminal: time to the first screen against a bare Textual app, CPU during
a breathing step, and peak memory.

    python bench/bench_startup.py [--runs N] [--history N] [--cpu-seconds S] [--skip-first-screen]
                                  [--first-screen-only] [--muted-only]

First screen: each app starts in a fresh tmux session (100x30); tmux's capture-pane is
polled every 5 ms until the screen shows the app's text: for `coach`, the routine list
itself (a routine's "about N min · " line: the list, not the frame of the screen), with a
history of --history sessions (default 100,000, generated and brought in through `coach
history import`, the index built once before); for bench/bare_app.py, its line (a Textual
app with one Static and a Footer). The two are interleaved, N runs each, and the medians
compared: target coach's list ≤ 1.25 x the bare app's first screen. The bare app's time
varies about 2x with the machine's load, so the runs go A/B/A/B (a load spike hurts both
alike), the median of the per-pair ratios is shown beside the ratio of the medians, and the
load average and the share of the machine's CPU busy during the runs are printed. Python
writes its bytecode caches (PYTHONDONTWRITEBYTECODE is unset, as on a person's machine:
without .pyc files coach compiled its own modules on every start and the bare app, whose
Textual is precompiled in site-packages, did not), and a warm run of each comes first.
Also shown: when home's question first paints, and the list with the validation cache cold
(a first start). Then the same race in CPU time up to the first frame (bench/first_frame_cpu.py,
interleaved, medians), which the machine's load stretches far less than the wall clock.

CPU: `coach run box-breathing --pre 5`, with --mute and then with sound on, skipped to its
breathing step, then the process's user+system CPU time over S seconds (from /proc):
target ≤ 5 % of one core. Memory: the process's peak resident size (VmHWM) after that:
target ≤ 60 MB. The bare app's peak is shown for scale.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOME_TEXT = "What bothers you today?"
LISTED = re.compile(r"about \d+ min · ")  # a routine of the list: "about 5 min · massage"
BARE_TEXT = "Bare Textual app ready"
POLL = 0.005


def coach() -> list[str]:
    found = shutil.which("coach", path=os.path.dirname(sys.executable)) or shutil.which("coach")
    return [found] if found else [sys.executable, "-m", "coach"]


class Tmux:
    def __init__(self) -> None:
        self.socket = f"coach-bench-{os.getpid()}"

    def run(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True).stdout

    def start(self, command: str, env: dict[str, str]) -> None:
        prefix = " ".join(f"{k}='{v}'" for k, v in env.items())
        self.run("new-session", "-d", "-x", "100", "-y", "30", f"{prefix} exec {command}")

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "0")

    def pid(self) -> int:
        return int(self.run("display-message", "-p", "-t", "0", "#{pane_pid}").strip())

    def wait_for(self, text: str | re.Pattern[str], timeout: float = 30) -> float:
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            screen = self.screen()
            if (text.search(screen) if isinstance(text, re.Pattern) else text in screen):
                return time.perf_counter()
            time.sleep(POLL)
        raise SystemExit(f"timed out waiting for {text!r}:\n{self.screen()}")

    def stop(self) -> None:
        self.run("kill-server")
        time.sleep(0.2)


def first_screen(tmux: Tmux, command: str, env: dict[str, str], text: str | re.Pattern[str],
                 then: str | re.Pattern[str] | None = None) -> tuple[float, float | None]:  # fmt: skip
    start = time.perf_counter()
    tmux.start(command, env)
    painted = tmux.wait_for(text) - start
    listed = tmux.wait_for(then) - start if then else None
    tmux.stop()
    return painted, listed


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime + stime
    return ticks / os.sysconf("SC_CLK_TCK")


def peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_busy() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields) - idle, sum(fields)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--cpu-seconds", type=float, default=20.0)
    parser.add_argument("--skip-first-screen", action="store_true", help="only CPU and memory")
    parser.add_argument("--muted-only", action="store_true", help="skip the run with sound on")
    parser.add_argument("--first-screen-only", action="store_true", help="skip the CPU and memory runs")
    parser.add_argument("--history", type=int, default=100_000, help="sessions in the history (0: none)")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("bench_startup: tmux is needed", file=sys.stderr)
        return 2

    # A person's Python writes .pyc files; this shell may say not to (ENGINEERING.md). Popped
    # before the tmux server starts, so every app it runs inherits the unset variable.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    tmux = Tmux()
    home = Path(tempfile.mkdtemp(prefix="coach-bench-"))
    (home / "settings.json").write_text(json.dumps({"first_run_seen": True}))
    (home / ".asoundrc").write_text("pcm.!default { type null }\n")
    env = {"COACH_HOME": str(home), "HOME": str(home), "TERM": "xterm-256color"}
    coach_cmd = " ".join(coach())
    bare_cmd = f"{sys.executable} {ROOT / 'bench' / 'bare_app.py'}"

    if not args.skip_first_screen:
        if args.history:
            make_history(home, args.history)
        measure_first_screen(tmux, coach_cmd, bare_cmd, env, home, args.runs)
        measure_first_frame_cpu(tmux, env, home, args.runs)
    if args.first_screen_only:
        shutil.rmtree(home, ignore_errors=True)
        return 0
    measure_session(tmux, coach_cmd, env, args.cpu_seconds, sound=False)
    if not args.muted_only:
        measure_session(tmux, coach_cmd, env, args.cpu_seconds, sound=True)
    tmux.start(bare_cmd, env)
    tmux.wait_for(BARE_TEXT)
    bare_pid = tmux.pid()
    time.sleep(1.0)
    print(f"bare Textual app peak    {peak_mb(bare_pid):6.1f} MB")
    tmux.stop()
    shutil.rmtree(home, ignore_errors=True)
    return 0


def make_history(home: Path, count: int) -> None:
    """`count` generated sessions (bench_history.generate) brought in with `coach history
    import`, then the index built (`coach stats`), as a long-standing user's would be."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_history import generate

    source = home / "generated.jsonl"
    generate(count, source)
    env = {**os.environ, "COACH_HOME": str(home)}
    began = time.perf_counter()
    subprocess.run([*coach(), "history", "import", str(source)], env=env, check=True, capture_output=True)
    subprocess.run([*coach(), "stats"], env=env, check=True, capture_output=True)
    source.unlink()
    print(f"history: {count} sessions imported and indexed in {time.perf_counter() - began:.1f} s (setup)")


def measure_first_screen(tmux: Tmux, coach_cmd: str, bare_cmd: str, env: dict[str, str], home: Path,
                         runs: int) -> None:  # fmt: skip
    first_title = LISTED
    # Warm up (disk cache, the validation cache, .pyc files written), then interleave.
    for _ in range(2):
        first_screen(tmux, coach_cmd, env, HOME_TEXT, first_title)
        first_screen(tmux, bare_cmd, env, BARE_TEXT)
    coach_times: list[float] = []
    listed_times: list[float] = []
    bare_times: list[float] = []
    load_before = os.getloadavg()
    busy_before = cpu_busy()
    for _ in range(runs):
        painted, listed = first_screen(tmux, coach_cmd, env, HOME_TEXT, first_title)
        coach_times.append(painted)
        listed_times.append(listed or 0.0)
        bare_times.append(first_screen(tmux, bare_cmd, env, BARE_TEXT)[0])
    busy_after = cpu_busy()
    load_after = os.getloadavg()
    cold: list[float] = []
    for _ in range(max(3, runs // 3)):
        (home / "cache" / "routines-cache.json").unlink(missing_ok=True)
        cold.append(first_screen(tmux, coach_cmd, env, HOME_TEXT, first_title)[1] or 0.0)

    def spread(times: list[float]) -> str:
        return f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})"

    bare = statistics.median(bare_times)
    painted = statistics.median(coach_times)
    listed = statistics.median(listed_times)
    paired = statistics.median(c / b for c, b in zip(listed_times, bare_times, strict=True))
    busy = (busy_after[0] - busy_before[0]) / max(1, busy_after[1] - busy_before[1]) * 100
    print(f"first screen, median of {runs} interleaved runs each (tmux 100x30, polled every "
          f"{POLL * 1000:.0f} ms; .pyc files written)")  # fmt: skip
    print(f"  machine load average {load_before[0]:.2f} before, {load_after[0]:.2f} after "
          f"({os.cpu_count()} cores); CPU busy in the runs {busy:.0f} % (this bench too)")  # fmt: skip
    print(f"  bare Textual app         {bare * 1000:6.0f} ms   {spread(bare_times)}")
    print(f"  coach, home painted      {painted * 1000:6.0f} ms   ratio {painted / bare:.2f}  "
          f"{spread(coach_times)}")  # fmt: skip
    verdict = "met" if listed / bare <= 1.25 else "NOT met"
    print(f"  coach, routines listed   {listed * 1000:6.0f} ms   ratio {listed / bare:.2f}  "
          f"{spread(listed_times)}")  # fmt: skip
    print(f"    median of the {runs} per-pair ratios {paired:.2f}; target <= 1.25: {verdict} (warm cache)")
    print(f"  coach, routines listed   {statistics.median(cold) * 1000:6.0f} ms   cold cache (first start)")


def first_frame_cpu(tmux: Tmux, command: str, env: dict[str, str], pattern: str, out: Path) -> float:
    """CPU seconds the app spent before its first frame matching `pattern` (first_frame_cpu.py)."""
    out.unlink(missing_ok=True)
    probe = f"{sys.executable} {ROOT / 'bench' / 'first_frame_cpu.py'} {out} '{pattern}'"
    tmux.start(f"{probe} {command}", env)
    began = time.perf_counter()
    while not out.is_file() or not out.read_text().endswith("\n"):
        if time.perf_counter() - began > 30:
            raise SystemExit(f"timed out waiting for the first frame of {command}:\n{tmux.screen()}")
        time.sleep(POLL)
    tmux.stop()
    return float(out.read_text())


def measure_first_frame_cpu(tmux: Tmux, env: dict[str, str], home: Path, runs: int) -> None:
    """The same race measured in CPU time (user + system) up to the first frame: a loaded
    machine stretches it much less than the wall-clock time, so it tells a change in
    Coach's own work from a change in the machine's load."""
    out = home / "first-frame-cpu.txt"
    coach_arg = "coach"  # first_frame_cpu.py runs coach.cli.main, as the `coach` script does
    bare_arg = str(ROOT / "bench" / "bare_app.py")
    listed = LISTED.pattern
    first_frame_cpu(tmux, coach_arg, env, listed, out)  # warm
    coach_cpu: list[float] = []
    bare_cpu: list[float] = []
    for _ in range(runs):
        coach_cpu.append(first_frame_cpu(tmux, coach_arg, env, listed, out))
        bare_cpu.append(first_frame_cpu(tmux, bare_arg, env, BARE_TEXT, out))
    bare, listed_cpu = statistics.median(bare_cpu), statistics.median(coach_cpu)
    print(f"CPU time (user + system) to the first frame, median of {runs} interleaved runs each")
    print(f"  bare Textual app         {bare * 1000:6.0f} ms")
    print(f"  coach, routines listed   {listed_cpu * 1000:6.0f} ms   ratio {listed_cpu / bare:.2f}")


def measure_session(tmux: Tmux, coach_cmd: str, env: dict[str, str], seconds: float, sound: bool) -> None:
    """CPU and memory of `coach run` during a breathing step."""
    tmux.start(f"{coach_cmd} run box-breathing --pre 5{'' if sound else ' --mute'}", env)
    # The cautions come before a routine's first session only (a second run goes straight on).
    tmux.wait_for(re.compile("Cautions for|Get comfortable"))
    if "Cautions for" in tmux.screen():
        tmux.run("send-keys", "-t", "0", "Enter")
    tmux.wait_for("Get comfortable")
    tmux.run("send-keys", "-t", "0", "s")
    tmux.wait_for("Breathe in")
    pid = tmux.pid()
    time.sleep(1.0)
    before, start = cpu_seconds(pid), time.perf_counter()
    time.sleep(seconds)
    used, spent = cpu_seconds(pid) - before, time.perf_counter() - start
    screen = tmux.screen()
    peak = peak_mb(pid)
    tmux.stop()
    if "Box breathing" not in screen and "Two easy rounds" not in screen:
        print("warning: the breathing step was not on screen at the end:\n" + screen)
    share = used / spent * 100
    how = "sound on (no device here: the bell stands in)" if sound else "--mute"
    print(f"coach run box-breathing, {how}")
    print(f"  breathing step, {spent:.0f} s: CPU {used:.2f} s = {share:.1f} % of one core  (target <= 5 %)")
    print(f"  peak memory (VmHWM)    {peak:6.1f} MB   (target <= 60 MB)")


if __name__ == "__main__":
    raise SystemExit(main())
