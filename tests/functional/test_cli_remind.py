"""`coach remind` and `coach status` as a person runs them: the installed command in tmux
(the bell, the title, the prompt, `s`, Enter into a real session), the systemd unit that
`remind install` writes, and the status line and its JSON."""

from __future__ import annotations

import configparser
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO

import pytest

from tests.helpers.command import coach_command

TMUX = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

TINY = {
    "format": 1,
    "id": "tiny-break",
    "title": "Tiny break",
    "summary": "One five-second rest.",
    "areas": ["shoulders"],
    "steps": [{"type": "rest", "title": "Notice your shoulders", "seconds": 5}],
}


def run(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*coach_command(), *args], capture_output=True, text=True, timeout=60,
        env={**os.environ, "COACH_HOME": str(home), **env},
    )  # fmt: skip


class Pane:
    """One tmux server of its own with one pane running `coach`."""

    def __init__(self, home: Path) -> None:
        # A name never used before: id(self) comes back for the next test's object, whose
        # `new-session` could then reach the server the last test is still shutting down.
        self.socket = f"coach-remind-{uuid.uuid4().hex}"
        self.home = home

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True,
                              timeout=60).stdout  # fmt: skip

    def start(self, *args: str, columns: int = 100) -> None:
        command = shlex.join([*coach_command(), *args])
        env = f"COACH_HOME={shlex.quote(str(self.home))} HOME={shlex.quote(str(self.home))} TERM=xterm"
        shell = f"{env} {command}; echo EXIT=$?; sleep 30"
        self.tmux("new-session", "-d", "-x", str(columns), "-y", "30", shell)

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "0", *keys)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "0")

    def wait_for(self, test: str | Callable[[str], bool], timeout: float = 60) -> str:
        """The screen once `test` is on it (or `test(screen)` holds), polled: the timeout
        only bounds a failure, so it is generous for a loaded CI machine."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if test(screen) if callable(test) else test in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{test!r} did not appear; the screen was:\n{screen}")


@pytest.fixture
def pane(tmp_path: Path) -> Iterator[Pane]:
    home = tmp_path / "home"
    (home / "routines").mkdir(parents=True)
    (home / "routines" / "tiny.json").write_text(json.dumps(TINY))
    (home / ".asoundrc").write_text("pcm.!default { type null }\n")  # no sound card here
    p = Pane(home)
    yield p
    p.tmux("kill-server")


def wait_for_state(home: Path, wanted: str, timeout: float = 60) -> str | None:
    """The reminder's state (cache/remind.json) once it is `wanted`, polled; the last one
    read (None: no state file) when the timeout passes first."""
    path = home / "cache" / "remind.json"
    deadline = time.monotonic() + timeout
    state = None
    while time.monotonic() < deadline:
        try:
            state = json.loads(path.read_text())["state"]
        except (OSError, ValueError, KeyError):
            state = None  # not written yet
        if state == wanted:
            break
        time.sleep(0.1)
    return state


def read_until(stream: IO[str], text: str, timeout: float = 60) -> str:
    """What `stream` gave up to and including the first line holding `text`, or all it gave
    before it ended or the timeout passed (the test then fails on what is missing)."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = stream.readline()
        if not line:
            break
        seen.append(line)
        if text in line:
            break
    return "".join(seen)


def events(home: Path) -> list[str]:
    path = home / "breaks.jsonl"
    return [json.loads(line)["event"] for line in path.read_text().splitlines()] if path.exists() else []


@TMUX
def test_remind_rings_skips_and_starts_the_routine(pane: Pane) -> None:
    pane.start("remind", "--every", "5s", "--routine", "tiny-break", "--plain")
    pane.wait_for("Coach reminds you to take a break every 5s")
    screen = pane.wait_for("Time for a break")
    assert "Tiny break (tiny-break, about 1 min)" in screen  # lengths as every screen words them
    assert "Enter  start   p  postpone 10 min   s  skip" in screen
    # The bell rang (tmux's flag for the window) and the title says so.
    flags = pane.tmux("display-message", "-p", "-t", "0", "#{window_bell_flag}|#{pane_title}")
    assert flags.strip() == "1|Coach: time for a break"
    status = run(pane.home, "status")
    assert status.stdout.strip().startswith("break due now"), status.stdout
    pane.keys("s")
    pane.wait_for("Skipped: next break at")
    assert events(pane.home) == ["skipped"]
    status = json.loads(run(pane.home, "status", "--json").stdout)
    assert status["reminder"] == "waiting" and status["breaks_today"]["skipped"] == 1
    # The next break: Enter starts the routine as `coach run --plain` does.
    pane.wait_for(lambda s: s.count("Time for a break") == 2)
    pane.keys("Enter")
    pane.wait_for("press Enter to skip")  # the pre-rating
    pane.keys("4", "Enter")
    pane.wait_for("Notice your shoulders")  # the session runs in the reminder's own terminal
    pane.wait_for(lambda s: s.count("press Enter to skip") >= 2)  # the post-rating
    pane.keys("2", "Enter")
    pane.wait_for("Anything to note?")  # the plain runner's note prompt: Enter skips it
    pane.keys("Enter")
    pane.wait_for("Break over. Next break at")
    assert events(pane.home) == ["skipped", "taken"]
    [line] = (pane.home / "history.jsonl").read_text().splitlines()
    record = json.loads(line)
    # The break is stamped when it began (before the session's start), its end beside it.
    taken = json.loads((pane.home / "breaks.jsonl").read_text().splitlines()[-1])
    began, session_start = datetime.fromisoformat(taken["at"]), datetime.fromisoformat(record["started_at"])
    assert began <= session_start < datetime.fromisoformat(taken["ended"])
    assert datetime.fromisoformat(taken["ended"]) >= datetime.fromisoformat(record["ended_at"])
    assert record["routine"] == "tiny-break" and record["completed"] is True
    assert (record["pre"], record["post"]) == (4, 2)
    pane.keys("q")
    screen = pane.wait_for("EXIT=0")
    assert "Reminders stopped." in screen and "Traceback" not in screen
    assert not (pane.home / "cache" / "remind.json").exists()


@TMUX
def test_a_second_reminder_is_refused_and_the_first_keeps_its_state(
    pane: Pane, monkeypatch: pytest.MonkeyPatch
) -> None:
    pane.start("remind", "--every", "50m", "--routine", "tiny-break", "--plain")
    pane.wait_for("Coach reminds you to take a break every 50m")
    second = run(pane.home, "remind", "--every", "5s")
    assert second.returncode == 1 and second.stdout == ""
    [message] = second.stderr.splitlines()
    assert message.startswith("coach: a reminder is already running (pid ")
    assert message.endswith(", every 50m)")
    # The refused one neither wrote nor removed the state: `coach status` still has the break.
    assert run(pane.home, "status").stdout.startswith("next break ")
    # The first one dies without cleaning up (SIGKILL): the kernel lets go of its lock.
    pid = int(message.split("pid ")[1].split(",")[0])
    os.kill(pid, 9)
    pane.wait_for("EXIT=")
    monkeypatch.setenv("COACH_HOME", str(pane.home))
    from coach.commands.remind import hold_lock

    os.close(hold_lock("5s"))


@TMUX
def test_the_prompt_wraps_at_word_boundaries_at_80_columns(pane: Pane) -> None:
    from coach.usual import Usual, save_usual

    save_usual(Usual().with_last("breathing-4-7-8-gentle", 10.0), pane.home / "usual.json")
    later = datetime.now() + timedelta(hours=2)  # quiet hours that never cover the test
    quiet = f"{later:%H}:00-{(later + timedelta(hours=1)):%H}:00"
    pane.start("remind", "--every", "5s", "--plain", "--quiet", quiet, columns=80)
    screen = pane.wait_for("Time for a break")
    assert "(breathing-4-7-8-gentle, about 10 min)" in " ".join(screen.split())  # the usual length
    assert "— your usual break" in screen
    lines = [line.rstrip() for line in screen.splitlines() if line.strip()]
    assert max(len(line) for line in lines) <= 78, screen
    words = {w for line in lines for w in line.split()}
    assert {"take", "break", "every", "Time", "usual"} <= words  # no word cut in two
    pane.keys("q")
    pane.wait_for("EXIT=0")


@TMUX
def test_remind_stays_silent_while_a_session_runs(pane: Pane) -> None:
    # A session of another window: the lock's holder is a live process (this test).
    from coach.journal import SessionLock

    lock = SessionLock.acquire(
        pane.home / "session.lock", title="Box breathing", started=datetime.now().astimezone()
    )
    try:
        pane.start("remind", "--every", "5s", "--routine", "tiny-break")
        pane.wait_for("Coach reminds you")
        # The break fell due 5 s in and found the session: the state says so (polled, not
        # slept: a loaded machine may check late), and nothing rang.
        assert wait_for_state(pane.home, "session") == "session"
        screen = pane.screen()
        assert "Time for a break" not in screen
    finally:
        lock.release()
    pane.keys("C-c")  # Ctrl+C ends it cleanly
    screen = pane.wait_for("EXIT=0")
    assert "Reminders stopped." in screen and "Traceback" not in screen


def test_install_writes_a_valid_user_unit_and_uninstall_removes_it(tmp_path: Path) -> None:
    config = tmp_path / "config"
    home = tmp_path / "home"
    done = run(home, "remind", "install", "--every", "45m", "--quiet", "19:00-08:00",
               "--routine", "jaw-release", XDG_CONFIG_HOME=str(config))  # fmt: skip
    assert done.returncode == 0, done.stderr
    unit = config / "systemd" / "user" / "coach-remind.service"
    assert f"Wrote {unit}." in done.stdout
    assert (
        "systemctl --user daemon-reload && systemctl --user enable --now coach-remind.service" in done.stdout
    )
    assert oct(unit.stat().st_mode & 0o777) == "0o600"
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(unit.read_text())
    assert set(parser.sections()) == {"Unit", "Service", "Install"}
    words = shlex.split(parser["Service"]["ExecStart"])
    assert Path(words[0]).is_absolute() and os.access(words[0], os.X_OK)
    assert words[1:] == ["remind", "--every", "45m", "--routine", "jaw-release", "--quiet", "19:00-08:00"]
    assert parser["Service"]["Environment"] == f'"COACH_HOME={home}"'
    assert parser["Install"]["WantedBy"] == "default.target"
    if shutil.which("systemd-analyze"):
        verify = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True,
                                timeout=60)  # fmt: skip
        assert verify.returncode == 0, verify.stderr
    gone = run(home, "remind", "uninstall", XDG_CONFIG_HOME=str(config))
    assert gone.returncode == 0 and not unit.exists()
    again = run(home, "remind", "uninstall", XDG_CONFIG_HOME=str(config))
    assert "No reminder service installed" in again.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--every", "5x"], "--every takes a length"), (["--quiet", "19:00"], "--quiet takes two times"),
     (["--routine", "no-such"], "no routine with id 'no-such'")],
)  # fmt: skip
def test_remind_refuses_bad_options_in_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    done = run(tmp_path, "remind", *args)
    assert done.returncode == 2
    assert message in done.stderr and len(done.stderr.splitlines()) == 1


def test_remind_without_a_terminal_notifies_only(tmp_path: Path) -> None:
    # systemd: no prompt, no escape sequences; a desktop notification (a session bus is
    # there) and a tmux message (inside tmux); the timer goes on after each break.
    (tmp_path / "routines").mkdir()
    (tmp_path / "routines" / "tiny.json").write_text(json.dumps(TINY))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "calls.txt"
    for tool in ("notify-send", "tmux"):
        script = bin_dir / tool
        script.write_text(f'#!/bin/sh\necho "{tool} $*" >> "{calls}"\n')
        script.chmod(0o755)
    env = {**os.environ, "COACH_HOME": str(tmp_path), "PATH": f"{bin_dir}:{os.environ['PATH']}",
           "DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent", "TMUX": "/tmp/fake-tmux,1,0"}  # fmt: skip
    proc = subprocess.Popen(
        [*coach_command(), "remind", "--every", "5s", "--routine", "tiny-break"], stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    # Until the first break has rung (polled: start-up and the 5 s wait take longer on a
    # loaded machine); its notifications are sent before its line is printed.
    assert proc.stdout is not None
    rung = read_until(proc.stdout, "Time for a break")
    proc.terminate()
    rest, err = proc.communicate(timeout=60)
    out = rung + rest
    assert proc.returncode == 0, err
    assert "Time for a break" in out and "Enter  start" not in out
    assert "\x1b" not in out and "\a" not in out
    assert out.rstrip().endswith("Reminders stopped.")
    assert events(tmp_path) == []  # nobody answered: nothing is counted
    sent = calls.read_text().splitlines()
    assert "notify-send --app-name=Coach -- Time for a break Tiny break (tiny-break, about 1 min)" in sent
    assert (
        "tmux display-message -d 8000 -- Coach: time for a break: Tiny break (tiny-break, about 1 min)"
        in sent
    )


@pytest.mark.usefixtures("midday")  # "today" in the test and in `coach` is one day
def test_status_line_and_json(tmp_path: Path) -> None:
    today = date.today()
    assert run(tmp_path, "status").stdout == "coach: nothing due\n"
    facts = json.loads(run(tmp_path, "status", "--json").stdout)
    assert facts["next_break"] is None and facts["streak_days"] == 0
    # A completed session today and yesterday (streak 2), breaks in the log, a live reminder.
    lines = []
    for n, day in enumerate((today - timedelta(days=1), today)):
        start = datetime.combine(day, datetime.min.time()).replace(hour=9).astimezone()
        lines.append(json.dumps({
            "format": 1, "id": f"{n:032x}", "routine": "jaw-release", "routine_title": "Jaw release",
            "routine_hash": "sha256:" + "0" * 64, "plan": None, "started_at": start.isoformat(),
            "ended_at": (start + timedelta(minutes=5)).isoformat(), "planned_seconds": 290,
            "active_seconds": 290.0, "completed": True, "ran_to_end": True, "steps_done": 5,
            "steps_total": 5, "pre": 6, "post": 3, "note": "", "pauses": 0, "skips": 0, "gentler": 0,
            "discomfort": [],
        }))  # fmt: skip
    (tmp_path / "history.jsonl").write_text("\n".join(lines) + "\n")
    now = datetime.now().astimezone()
    with (tmp_path / "breaks.jsonl").open("w") as log:
        for event in ("taken", "taken", "skipped", "postponed"):
            log.write(json.dumps({"format": 1, "at": now.isoformat(), "event": event, "routine": "x"}) + "\n")
    due = (now + timedelta(minutes=20)).replace(microsecond=0)
    (tmp_path / "cache").mkdir(exist_ok=True)
    state = {"pid": os.getpid(), "state": "waiting", "next_due": due.isoformat(), "every_seconds": 3000.0,
             "routine": "jaw-release", "quiet": None}  # fmt: skip
    (tmp_path / "cache" / "remind.json").write_text(json.dumps(state))
    done = run(tmp_path, "status")
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"next break {due:%H:%M} · streak 2 days · breaks 2 taken, 1 skipped\n"
    facts = json.loads(run(tmp_path, "status", "--json").stdout)
    assert facts == {
        "next_break": due.isoformat(), "reminder": "waiting", "plan_items_due": 0, "plan_items_done": 0,
        "streak_days": 2, "breaks_today": {"taken": 2, "stopped": 0, "skipped": 1, "postponed": 1},
    }  # fmt: skip
    # A reminder that died leaves its file: no next break is claimed.
    from tests.helpers.processes import dead_pid

    state["pid"] = dead_pid()
    (tmp_path / "cache" / "remind.json").write_text(json.dumps(state))
    assert run(tmp_path, "status").stdout.startswith("streak 2 days")


def test_status_never_loads_textual_or_pydantic(tmp_path: Path) -> None:
    code = (
        "import sys; from coach.cli import main; main(['status']); "
        "print(sorted(m for m in ('textual', 'pydantic', 'rich') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "COACH_HOME": str(tmp_path)})  # fmt: skip
    assert done.stdout.splitlines()[-1] == "[]", done.stdout + done.stderr


@pytest.mark.usefixtures("midday")  # "today" in the test and in `coach` is one day
def test_stats_shows_the_breaks(tmp_path: Path) -> None:
    now = datetime.now().astimezone()
    start = now.replace(microsecond=0) - timedelta(minutes=10)
    record = {
        "format": 1, "id": "0" * 32, "routine": "jaw-release", "routine_title": "Jaw release",
        "routine_hash": "sha256:" + "0" * 64, "plan": None, "started_at": start.isoformat(),
        "ended_at": (start + timedelta(minutes=5)).isoformat(), "planned_seconds": 290,
        "active_seconds": 290.0, "completed": True, "ran_to_end": True, "steps_done": 5,
        "steps_total": 5, "pre": 6, "post": 3, "note": "", "pauses": 0, "skips": 0, "gentler": 0,
        "discomfort": [],
    }  # fmt: skip
    (tmp_path / "history.jsonl").write_text(json.dumps(record) + "\n")
    with (tmp_path / "breaks.jsonl").open("w") as log:
        for event in ("taken", "stopped", "skipped", "skipped"):
            log.write(json.dumps({"format": 1, "at": now.isoformat(), "event": event, "routine": "x"}) + "\n")
    text = run(tmp_path, "stats").stdout
    assert "Breaks       today 1 taken, 1 stopped, 2 skipped\n" in text
    assert "\n             last 7 days 1 taken, 1 stopped, 2 skipped\n" in text
    assert max(len(line) for line in text.splitlines()) <= 80
    figures = json.loads(run(tmp_path, "stats", "--json").stdout)
    assert figures["breaks"]["today"] == {"taken": 1, "stopped": 1, "skipped": 2, "postponed": 0}
    assert figures["breaks"]["all_time"]["skipped"] == 2


@pytest.mark.usefixtures("midday")  # "today" in the test and in `coach` is one day
def test_a_plan_item_due_today_is_shown_and_is_what_a_break_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coach.commands.remind import Options, pick_routine

    today = date.today()
    plan = {
        "format": 1, "id": "desk-plan", "client": "Sam", "therapist": {"name": "Jo"},
        "starts": (today - timedelta(days=1)).isoformat(), "ends": (today + timedelta(days=20)).isoformat(),
        "items": [{"routine": "jaw-release", "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]}],
    }  # fmt: skip
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    imported = run(tmp_path, "plan", "import", str(tmp_path / "plan.json"))
    assert imported.returncode == 0, imported.stderr
    assert run(tmp_path, "status").stdout == "1 plan item due\n"
    monkeypatch.setenv("COACH_HOME", str(tmp_path))
    options = Options(every=3000.0, every_text="50m", routine=None, quiet=None, plain=False)
    pick = pick_routine(options, today)
    assert (pick.routine, pick.why, pick.plan, pick.seconds) == ("jaw-release", "plan", "desk-plan", 290)
    # Done for today (a completed session of the plan): the line says so, the cache noticed.
    start = datetime.now().astimezone().replace(microsecond=0) - timedelta(minutes=6)
    record = {
        "format": 1, "id": "1" * 32, "routine": "jaw-release", "routine_title": "Jaw release",
        "routine_hash": "sha256:" + "0" * 64, "plan": "desk-plan", "started_at": start.isoformat(),
        "ended_at": (start + timedelta(minutes=5)).isoformat(), "planned_seconds": 290,
        "active_seconds": 290.0, "completed": True, "ran_to_end": True, "steps_done": 5,
        "steps_total": 5, "pre": 6, "post": 3, "note": "", "pauses": 0, "skips": 0, "gentler": 0,
        "discomfort": [],
    }  # fmt: skip
    (tmp_path / "history.jsonl").write_text(json.dumps(record) + "\n")
    assert run(tmp_path, "status").stdout == "plan done today · streak 1 day\n"
    pick = pick_routine(options, today)  # no usual break kept: the history's last routine
    assert (pick.routine, pick.why, pick.plan, pick.usual) == ("jaw-release", "last", None, False)
    given = Options(every=3000.0, every_text="50m", routine="box-breathing", quiet=None, plain=False)
    pick = pick_routine(given, today)
    assert (pick.routine, pick.why, pick.plan) == ("box-breathing", "given", None)
