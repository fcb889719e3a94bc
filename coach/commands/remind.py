"""`coach remind`: a break timer for a terminal tab, a tmux pane or a systemd user service.

It sleeps until the next event (a `select` on the terminal with the time to the next
break as its timeout; no polling loop), then rings: the terminal bell, the terminal's
title (OSC 2, only on a terminal), a tmux message inside tmux, a desktop notification
through `notify-send` where a session bus exists, and, in its own terminal, a prompt:
Enter starts the routine (as `coach run` does, in a child process: the app where the
terminal can show it, else `--plain`), `p` postpones ten minutes, `s` skips. What was
done goes to the break log (coach/breaks.py). The decisions are coach/remind.py's.

`coach remind install` / `uninstall` write or remove a systemd user unit; no root.
No Textual and no pydantic here: the session runs in a child process.
"""

from __future__ import annotations

import argparse
import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from coach.errors import CoachError
from coach.remind import (
    DEFAULT_EVERY,
    POSTPONE_SECONDS,
    QuietHours,
    Reminder,
    choose_routine,
    parse_every,
    parse_quiet,
    wall_at,
)
from coach.text import visible

DEFAULT_ROUTINE = "desk-micro-break"  # the built-in short desk break (about 3 minutes)
UNIT_NAME = "coach-remind.service"
NOTIFY_TIMEOUT = 5.0  # seconds for notify-send or tmux to answer: a hung one must not stall us


def register(sub: Any) -> None:
    p = sub.add_parser(
        "remind",
        help="break reminders: a timer for a terminal tab, tmux pane or systemd service",
        description="Remind you to take a break every so often. When one is due: the terminal "
        "bell and title, a tmux message inside tmux, a desktop notification where there is a "
        "session bus, and in its own terminal: Enter starts the routine, p postpones 10 minutes, "
        "s skips. Silent while a session runs and during quiet hours. Ctrl+C stops it. "
        "`coach remind install` runs it as a systemd user service instead.",
    )
    p.add_argument("action", nargs="?", choices=("install", "uninstall"),
                   help="install: write a systemd user service with these options; "
                   "uninstall: remove it")  # fmt: skip
    p.add_argument(
        "--every",
        default=DEFAULT_EVERY,
        metavar="LENGTH",
        help=f"time between breaks, such as 50m, 1h30m or 45s (default {DEFAULT_EVERY})",
    )
    p.add_argument("--routine", metavar="ID",
                   help="the routine a break starts (default: a plan item due today, "
                   "else the last routine you ran, else a three-minute desk break)")  # fmt: skip
    p.add_argument(
        "--quiet", metavar="HH:MM-HH:MM", help="no reminders between these times (e.g. 19:00-08:00)"
    )
    p.add_argument("--plain", action="store_true", help="run breaks as lines of text instead of the app")
    p.set_defaults(func=cmd_remind)


@dataclass(frozen=True)
class Options:
    """`coach remind`'s options, checked."""

    every: float
    every_text: str
    routine: str | None
    quiet: QuietHours | None
    plain: bool


def check_options(args: argparse.Namespace) -> Options:
    """The options checked once (UsageError, exit 2, for a bad length, time or routine)."""
    every = parse_every(args.every)
    quiet = parse_quiet(args.quiet) if args.quiet else None
    routine = args.routine
    if routine is not None:
        _routine_info(routine)  # an unknown routine is refused now, not at the first break
    return Options(every, args.every, routine, quiet, bool(args.plain))


def cmd_remind(args: argparse.Namespace) -> int:
    options = check_options(args)
    if args.action == "install":
        return install(args, options)
    if args.action == "uninstall":
        return uninstall()
    return Runner(options).run()


# --- what a break starts --------------------------------------------------------------------


def _routine_info(ref: str) -> Any:
    from coach.library import Library

    return Library.default().find(ref)


def plan_items_due(today: date) -> list[tuple[str, str, bool]]:
    """(routine, plan id, done) for each item the active plans ask for `today`, as
    `coach due` counts them. Problems reading a plan are left to `coach due` to tell."""
    from coach.commands.plans import due_lines

    lines, _problems = due_lines(today)
    return [(due.routine, due.plan_id, due.is_done) for due, _line in lines]


def last_routine(today: date) -> str | None:
    """The routine of the last session in the history (history_view), or None."""
    from coach import paths
    from coach.history_view import home_facts

    facts = home_facts(paths.history_file(), today)
    return facts.last.routine if facts.last is not None else None


def pick_routine(options: Options, today: date) -> tuple[str, str, str | None]:
    """(routine id, why, plan id) for the next break: coach.remind.choose_routine over
    `--routine`, the plan items due today and not done, the last routine, the default."""
    due: list[tuple[str, str, bool]] = []
    last = None
    if options.routine is None:
        # The reminder runs all day: plans or a history it cannot read (for any reason)
        # only leave it with the next choice; `coach due` and `coach history` tell why.
        with suppress(Exception):
            due = [item for item in plan_items_due(today) if not item[2]]
        if not due:
            with suppress(Exception):
                last = last_routine(today)
    routine, why = choose_routine(options.routine, [r for r, _, _ in due], last, DEFAULT_ROUTINE)
    plan = due[0][1] if why == "plan" else None
    return routine, why, plan


# --- the signals a break sends --------------------------------------------------------------


def _quietly(cmd: list[str]) -> None:
    with suppress(OSError, subprocess.SubprocessError):
        subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=NOTIFY_TIMEOUT, check=False)  # fmt: skip


def tmux_message(text: str) -> None:
    """A message on the tmux status line (`display-message`), only inside tmux."""
    if os.environ.get("TMUX") and shutil.which("tmux"):
        _quietly(["tmux", "display-message", "-d", "8000", "--", text.replace("#", "##")])


def desktop_notification(title: str, body: str) -> bool:
    """A desktop notification through `notify-send` (libnotify), only where a session bus
    exists (DBUS_SESSION_BUS_ADDRESS). Returns whether one was sent."""
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return False
    tool = shutil.which("notify-send")
    if tool is None:
        return False
    _quietly([tool, "--app-name=Coach", "--", title, body])
    return True


def terminal_title(text: str) -> str:
    """The escape sequence that sets the terminal's title (OSC 2): only for a terminal."""
    return f"\x1b]2;{visible(text)}\x07"


# --- the state file `coach status` reads ----------------------------------------------------


def write_state(state: dict[str, Any]) -> None:
    """What this reminder is doing, for `coach status` (best effort: a full disk or an
    unwritable cache must not stop the timer)."""
    from coach import paths
    from coach.files import write_private_atomic

    path = paths.remind_state_file()
    with suppress(OSError):
        write_private_atomic(path, json.dumps(state).encode("utf-8"), root=path.parent.parent)


def remove_state() -> None:
    from coach import paths

    path = paths.remind_state_file()
    with suppress(OSError):
        if _state_pid(path) == os.getpid():
            path.unlink()


def _state_pid(path: Path) -> int | None:
    from coach.files import read_own_bytes

    try:
        obj = json.loads(read_own_bytes(path, 4096))
    except (OSError, ValueError):
        return None
    return obj.get("pid") if isinstance(obj, dict) else None


# --- the loop ---------------------------------------------------------------------------------


def _session_running() -> bool:
    from coach import paths
    from coach.journal import lock_path_for, running_session

    return running_session(lock_path_for(paths.journal_file())) is not None


def _now() -> datetime:
    return datetime.now().astimezone()


class Runner:
    """One `coach remind` in this process: the schedule, the terminal, the break log."""

    def __init__(self, options: Options, *, clock: Callable[[], float] | None = None) -> None:
        from coach.start import session_clock

        self.options = options
        self.clock = clock or session_clock
        self.reminder = Reminder(options.every, now=self.clock(), quiet=options.quiet)
        self.interactive = sys.stdin.isatty() and sys.stdout.isatty()
        self.routine = DEFAULT_ROUTINE
        self.plan: str | None = None
        self.why = "default"

    # -- output
    def say(self, text: str) -> None:
        """A line for the person (every piece of file text in it already made visible)."""
        sys.stdout.write(text + ("\r\n" if self.interactive else "\n"))
        sys.stdout.flush()

    def title(self, text: str) -> None:
        if self.interactive:
            sys.stdout.write(terminal_title(text))
            sys.stdout.flush()

    def next_text(self) -> str:
        at = wall_at(self.reminder.due_at, self.clock(), _now())
        return at.strftime("%H:%M:%S" if self.options.every < 120 else "%H:%M")

    def publish(self, state: str) -> None:
        now = self.clock()
        write_state({
            "pid": os.getpid(),
            "state": state,
            "next_due": wall_at(self.reminder.due_at, now, _now()).isoformat(timespec="seconds"),
            "every_seconds": self.options.every,
            "routine": self.routine,
            "quiet": self.options.quiet.text() if self.options.quiet else None,
        })  # fmt: skip

    # -- the run
    def run(self) -> int:
        every = self.options.every_text
        quiet = f", quiet {self.options.quiet.text()}" if self.options.quiet else ""
        previous = signal.signal(signal.SIGTERM, _terminate)
        try:
            with self.keys() as read_key:
                self.say(f"Coach reminds you to take a break every {every}{quiet}. "
                         f"Next break at {self.next_text()}.")  # fmt: skip
                if self.interactive:
                    self.say("  Enter  a break now   q  stop reminders (or Ctrl+C)")
                self.title(f"Coach: next break {self.next_text()}")
                self.publish("waiting")
                self.loop(read_key)
        except KeyboardInterrupt:
            self.say("Reminders stopped.")
        finally:
            signal.signal(signal.SIGTERM, previous)
            remove_state()
            self.title("")
        return 0

    def loop(self, read_key: Callable[[float | None], str | None]) -> None:
        while True:
            key = read_key(self.reminder.seconds_left(self.clock()))
            if key in ("q", "Q"):
                raise KeyboardInterrupt
            if key in ("\r", "\n"):
                self.choose()
                self.take_break()
                continue
            if key is not None:
                continue  # any other key while waiting: nothing
            decision = self.reminder.check(self.clock(), _now(), session_running=_session_running())
            if decision.kind == "wait":
                continue
            if decision.kind != "ring":
                self.publish(decision.kind)
                self.title(f"Coach: next break {self.next_text()}")
                if decision.kind == "quiet":
                    self.say(f"Quiet hours: the next break is at {self.next_text()}.")
                elif decision.kind == "away":
                    self.say(f"Welcome back. Next break at {self.next_text()}.")
                elif decision.kind == "session_over":
                    self.say(f"That session was your break. Next break at {self.next_text()}.")
                continue
            self.ring()
            if not self.interactive:
                self.reminder.taken(self.clock())  # unanswered: the next one in `every`
                self.publish("waiting")
                continue
            self.answer(read_key)

    def choose(self) -> None:
        self.routine, self.why, self.plan = pick_routine(self.options, _now().date())

    def describe(self) -> str:
        try:
            info = _routine_info(self.routine)
            from coach.text import duration_about

            what = f"{visible(info.title)} ({visible(self.routine)}, {duration_about(info.seconds)})"
        except (CoachError, OSError):
            what = visible(self.routine)
        because = {"plan": f" — due today in plan {visible(self.plan or '')}",
                   "last": " — the last routine you ran"}.get(self.why, "")  # fmt: skip
        return what + because

    def ring(self) -> None:
        self.choose()
        what = self.describe()
        self.publish("due")
        if self.interactive:
            sys.stdout.write("\a")
        self.title("Coach: time for a break")
        tmux_message(f"Coach: time for a break: {what}")
        desktop_notification("Time for a break", what)
        self.say("")
        self.say(f"Time for a break ({_now():%H:%M}): {what}")
        if self.interactive:
            minutes = f"{POSTPONE_SECONDS / 60:.0f} min"
            self.say(f"  Enter  start   p  postpone {minutes}   s  skip   q  stop reminders")

    def answer(self, read_key: Callable[[float | None], str | None]) -> None:
        from coach import paths
        from coach.breaks import append_break

        while True:
            key = read_key(None)
            now = self.clock()
            if key in ("\r", "\n"):
                self.take_break()
                return
            if key in ("p", "P"):
                self.reminder.postpone(now)
                self.log(append_break, paths.breaks_file(), "postponed")
                self.say(f"Postponed: next break at {self.next_text()}.")
                break
            if key in ("s", "S"):
                self.reminder.skip(now)
                self.log(append_break, paths.breaks_file(), "skipped")
                self.say(f"Skipped: next break at {self.next_text()}.")
                break
            if key in ("q", "Q"):
                raise KeyboardInterrupt
        self.title(f"Coach: next break {self.next_text()}")
        self.publish("waiting")

    def log(self, append: Callable[..., None], path: Path, event: str) -> None:
        try:
            append(path, event, at=_now(), routine=self.routine)
        except CoachError as exc:
            self.say(f"coach: {visible(exc.message)}")

    def take_break(self) -> None:
        """Run the routine as `coach run` does, in a child process on this terminal, then
        log the break and start the timer again."""
        from coach import paths
        from coach.breaks import append_break

        fancy = not self.options.plain and os.environ.get("TERM", "dumb") not in ("", "dumb")
        cmd = [sys.executable, "-m", "coach", "run", self.routine]
        if self.plan:
            cmd += ["--plan", self.plan]
        if not fancy:
            cmd.append("--plain")
        self.title(f"Coach: {self.routine}")
        self.publish("break")
        launched = _now()
        with self.cooked():
            status = _run_child(cmd)
        event = session_outcome(launched)
        self.reminder.taken(self.clock())
        if event is not None:
            self.log(append_break, paths.breaks_file(), event)
            word = "Break over" if event == "taken" else "Break ended early"
            self.say(f"{word}. Next break at {self.next_text()}.")
        else:
            self.say(f"No session was recorded (coach run ended with status {status}). "
                     f"Next break at {self.next_text()}.")  # fmt: skip
        self.title(f"Coach: next break {self.next_text()}")
        self.publish("waiting")

    # -- the terminal
    @contextmanager
    def keys(self) -> Iterator[Callable[[float | None], str | None]]:
        """A function that waits up to `timeout` seconds (None: for ever) for one key and
        returns it (None on timeout). On a terminal the keys come unbuffered (cbreak, no
        echo) until the block ends; elsewhere it only sleeps."""
        if not self.interactive:

            def sleep(timeout: float | None) -> str | None:
                if timeout is None:
                    signal.pause()
                else:
                    time.sleep(timeout)  # SIGTERM's handler ends it as Ctrl+C does
                return None

            yield sleep
            return
        import termios
        import tty

        fd = sys.stdin.fileno()
        self._saved = termios.tcgetattr(fd)
        selector = selectors.DefaultSelector()
        selector.register(fd, selectors.EVENT_READ)

        def read_key(timeout: float | None) -> str | None:
            if not selector.select(timeout):
                return None
            data = os.read(fd, 64)
            if not data:
                raise KeyboardInterrupt  # the terminal is gone
            return data.decode("utf-8", "replace")[:1]

        try:
            tty.setcbreak(fd)
            self._cbreak = termios.tcgetattr(fd)
            yield read_key
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, self._saved)
            selector.close()

    @contextmanager
    def cooked(self) -> Iterator[None]:
        """The terminal as the child session expects it, and back to cbreak after."""
        if not self.interactive:
            yield
            return
        import termios

        fd = sys.stdin.fileno()
        termios.tcsetattr(fd, termios.TCSADRAIN, self._saved)
        try:
            yield
        finally:
            termios.tcflush(fd, termios.TCIFLUSH)  # keys typed for the session are not answers
            termios.tcsetattr(fd, termios.TCSADRAIN, self._cbreak)


def session_outcome(since: datetime) -> str | None:
    """What the break's session became, from the history's last session (history_view):
    "taken" when it ran to its end, "stopped" when it ended early, None when no session
    started at or after `since` (it was refused, or the history cannot be read)."""
    from coach import paths
    from coach.history_view import home_facts

    try:
        last = home_facts(paths.history_file(), since.date()).last
        if last is None or last.started() < since.replace(microsecond=0):
            return None
    except (CoachError, OSError, ValueError):
        return None
    return "taken" if last.ran_to_end else "stopped"


def _terminate(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt  # systemd's stop: end as Ctrl+C does


def _run_child(cmd: list[str]) -> int:
    """Run `cmd` on this terminal; Ctrl+C goes to it (it saves the session as stopped)
    and does not end the reminder."""
    previous = signal.signal(signal.SIGINT, lambda *_: None)  # a handler, reset in the child
    try:
        return subprocess.run(cmd, check=False).returncode
    except OSError as exc:
        raise CoachError(f"cannot start the session ({exc.strerror or exc})") from None
    finally:
        signal.signal(signal.SIGINT, previous)


# --- the systemd user service ---------------------------------------------------------------


def unit_path() -> Path:
    """$XDG_CONFIG_HOME/systemd/user/coach-remind.service (~/.config by default)."""
    base = os.environ.get("XDG_CONFIG_HOME") or ""
    config = Path(base) if base and Path(base).is_absolute() else Path.home() / ".config"
    return config / "systemd" / "user" / UNIT_NAME


def coach_executable() -> list[str]:
    """The absolute command line of this very coach: its `coach` script beside this
    Python when there is one, else this Python with `-m coach`."""
    beside = Path(sys.executable).parent / "coach"
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside.absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "coach"]


def _systemd_quote(word: str) -> str:
    """A word for ExecStart: double-quoted with C-style escapes, `%` doubled (a specifier
    otherwise) and `$` doubled (a variable otherwise), per systemd.service(5)."""
    escaped = word.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%").replace("$", "$$")
    return f'"{escaped}"'


def unit_text(args: argparse.Namespace, options: Options) -> str:
    """The systemd user unit that runs `coach remind` with the options given."""
    words = [*coach_executable(), "remind", "--every", options.every_text]
    if options.routine:
        words += ["--routine", options.routine]
    if options.quiet:
        words += ["--quiet", options.quiet.text()]
    exec_start = " ".join(_systemd_quote(w) for w in words)
    env = ""
    if os.environ.get("COACH_HOME"):
        env = f"Environment={_systemd_quote('COACH_HOME=' + os.environ['COACH_HOME'])}\n"
    return (
        "[Unit]\n"
        "Description=Coach break reminders (coach remind)\n\n"
        "[Service]\n"
        "Type=simple\n"
        f"ExecStart={exec_start}\n"
        f"{env}"
        "Restart=on-failure\n"
        "RestartSec=30\n\n"
        "[Install]\n"
        "WantedBy=default.target\n"
    )


def install(args: argparse.Namespace, options: Options) -> int:
    from coach.files import UnsafePathError, write_private_atomic

    path = unit_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_private_atomic(path, unit_text(args, options).encode("utf-8"), root=path.parent.parent.parent)
    except UnsafePathError as exc:
        raise CoachError(exc.message) from None
    except OSError as exc:
        raise CoachError(f"{path}: cannot write the service ({exc.strerror or exc})") from None
    print(visible(f"Wrote {path}."))
    print("Start it now and at every login with:")
    print(f"  systemctl --user daemon-reload && systemctl --user enable --now {UNIT_NAME}")
    print("Reminders from a service come as desktop notifications and tmux messages (no prompt).")
    return 0


def uninstall() -> int:
    path = unit_path()
    wanted = path.parent / "default.target.wants" / UNIT_NAME  # what `enable` made
    if not path.exists() and not wanted.is_symlink():
        print(visible(f"No reminder service installed ({path} does not exist)."))
        return 0
    try:
        if wanted.is_symlink():
            wanted.unlink()
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise CoachError(f"{path}: cannot remove the service ({exc.strerror or exc})") from None
    print(visible(f"Removed {path}."))
    print("If it is running, stop it and let systemd forget it with:")
    print(f"  systemctl --user stop {UNIT_NAME}; systemctl --user daemon-reload")
    return 0
