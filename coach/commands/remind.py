"""`coach remind`: a break timer for a terminal tab, a tmux pane or a systemd user service.

It sleeps until the next event (a `select` on the terminal and on a self-pipe with the time
to the next break as its timeout; no polling loop): while a session keeps a due break
silent, the self-pipe wakes it when the session lock is let go (coach/session_watch.py).
Then it rings: the terminal bell, the terminal's title (OSC 2, only on a terminal), a
tmux message inside tmux, a desktop notification through `notify-send` where a session
bus exists, and, in its own terminal, a prompt: Enter starts the routine (as `coach run`
does, in a child process: the app where the terminal can show it, else `--plain`), `p`
postpones ten minutes, `s` skips. What was done goes to the break log (coach/breaks.py);
without a terminal, a session started soon after the ring counts as the break taken
(`Runner.settle_offer`). The decisions are coach/remind.py's.

One reminder at a time: it holds a lock file (cache/remind.lock, `flock`) for its whole
life, which the kernel releases when it ends however it ends; a second one is refused with
one line naming the first. Only the holder writes or removes the state file `coach status`
reads.

`coach remind install` / `uninstall` write or remove a systemd user unit; no root.
No Textual and no pydantic here: the session runs in a child process.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from coach.breaks import Offer
from coach.errors import CoachError
from coach.remind import (
    DEFAULT_EVERY,
    POSTPONE_SECONDS,
    SESSION_RECHECK_SECONDS,
    QuietHours,
    Reminder,
    choose_routine,
    offer_window,
    parse_every,
    parse_quiet,
    wall_at,
)
from coach.session_watch import SessionWatch
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


@dataclass(frozen=True)
class Pick:
    """What the next break starts: `routine` (a reference as `coach run` takes it), `why`
    ("given", "plan", "last", "default"), `plan` (the plan id for "plan"), `minutes` (the
    length the person last chose for it, None: as written or the settings' default),
    `usual` (it is the usual break of coach/usual.py: started as `coach run --last`, so
    "as written" stays as written, as home's `r` does) and `seconds` (its length as the
    session will run it, None when the routine cannot be read)."""

    routine: str
    why: str
    plan: str | None = None
    minutes: float | None = None
    usual: bool = False
    seconds: float | None = None


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


def usual_break() -> tuple[str | None, float | None]:
    """(routine, minutes) of the usual break (coach/usual.py: the last routine started and
    the length chosen for it, None: as written), as home's `r` and `coach run --last` use it."""
    from coach import paths
    from coach.usual import read_usual

    usual = read_usual(paths.usual_file()).usual
    return usual.last_routine, usual.last_minutes


def _default_minutes() -> float | None:
    from coach import paths
    from coach.settings import load_settings

    minutes = load_settings(paths.settings_file()).default_minutes
    return float(minutes) if minutes else None


def pick_routine(options: Options, today: date) -> Pick:
    """The next break: coach.remind.choose_routine over `--routine`, the plan items due
    today and not done, the usual break (its routine and length), the last routine of the
    history, the default; with the length the session will have (`Pick.seconds`): the one
    the person chose for the usual break, a plan's as written, else the settings' default
    length (as `coach run` applies it) or as written."""
    due: list[tuple[str, str, bool]] = []
    last = None
    minutes: float | None = None
    usual = False
    if options.routine is None:
        # The reminder runs all day: plans or a history it cannot read (for any reason)
        # only leave it with the next choice; `coach due` and `coach history` tell why.
        with suppress(Exception):
            due = [item for item in plan_items_due(today) if not item[2]]
        if not due:
            with suppress(Exception):
                last, minutes = usual_break()
                usual = last is not None
            if last is None:
                with suppress(Exception):
                    last = last_routine(today)
    routine, why = choose_routine(options.routine, [r for r, _, _ in due], last, DEFAULT_ROUTINE)
    plan = due[0][1] if why == "plan" else None
    usual = usual and why == "last"
    if not usual:
        minutes = None
        if why != "plan":  # `coach run ROUTINE` without --minutes: the settings' default
            with suppress(Exception):
                minutes = _default_minutes()
    seconds = None
    with suppress(Exception):
        seconds = _break_seconds(routine, minutes)
    return Pick(routine, why, plan, minutes if usual else None, usual, seconds)


def _break_seconds(ref: str, minutes: float | None) -> float:
    """The length the break's session will really have: as written, or at about `minutes`
    as far as the routine can reach (coach.scaling.scaled_seconds, as home's "r again" says
    it: 4-7-8 breathing asked for at 10 minutes lasts about 4)."""
    info = _routine_info(ref)
    if not minutes:
        return float(info.seconds)
    from coach.library import Library
    from coach.scaling import scaled_seconds

    return scaled_seconds(Library.default().load(info), minutes)


def break_command(pick: Pick, *, plain: bool) -> list[str]:
    """The `coach run` command line of a break: the usual break as `--last` (its length
    and "as written" kept as chosen), a plan's item with `--plan`, else the routine."""
    cmd = [sys.executable, "-m", "coach", "run"]
    cmd += ["--last"] if pick.usual else [pick.routine]
    if pick.plan:
        cmd += ["--plan", pick.plan]
    if plain:
        cmd.append("--plain")
    return cmd


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


# --- one reminder at a time ----------------------------------------------------------------


def lock_file() -> Path:
    """cache/remind.lock: held (flock) by the one running reminder, beside its state file."""
    from coach import paths

    return paths.remind_state_file().with_name("remind.lock")


def hold_lock(every_text: str) -> int:
    """Take the reminders' lock for the life of this process and write who holds it
    ({"pid", "every"}); returns its file descriptor (closed at exit, or by the kernel when
    the process dies: a crash leaves no stale lock). Raises CoachError "a reminder is
    already running (pid N, every 50m)" when another process holds it, or when the lock
    file cannot be opened. The descriptor is not inherited by the break's session."""
    from coach.files import ensure_private_dir, error_text, open_own

    path = lock_file()
    try:
        ensure_private_dir(path.parent, root=path.parent.parent)
        fd = open_own(path, os.O_RDWR | os.O_CREAT)
    except OSError as exc:
        raise CoachError(f"{path}: cannot take the reminder's lock ({error_text(exc)})") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = _lock_holder(fd)
        os.close(fd)
        raise CoachError(f"a reminder is already running ({holder})") from None
    except OSError as exc:
        os.close(fd)
        raise CoachError(f"{path}: cannot take the reminder's lock ({error_text(exc)})") from None
    with suppress(OSError):  # who holds it is for the message above: best effort
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "every": every_text}).encode("utf-8"), 0)
    return fd


def _lock_holder(fd: int) -> str:
    """The holder as "pid N, every 50m" from the lock file, or a pointer to `coach status` when the
    holder has not written it yet (it is between taking the lock and writing)."""
    try:
        obj = json.loads(os.pread(fd, 4096, 0))
        pid, every = obj["pid"], obj["every"]
        if type(pid) is int and isinstance(every, str):
            return visible(f"pid {pid}, every {every}")
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return "see `coach status`"


# --- the loop ---------------------------------------------------------------------------------


def _session_lock() -> Path:
    from coach import paths
    from coach.journal import lock_path_for

    return lock_path_for(paths.journal_file())


def _session_running() -> bool:
    from coach.journal import running_session

    return running_session(_session_lock()) is not None


def _now() -> datetime:
    return datetime.now().astimezone()


class Runner:
    """One `coach remind` in this process: the schedule, the terminal, the break log."""

    def __init__(self, options: Options, *, clock: Callable[[], float] | None = None) -> None:
        from coach.start import session_clock

        self.options = options
        self.clock = clock or session_clock
        self.reminder = Reminder(options.every, now=self.clock(), quiet=options.quiet, wall=_now())
        self.interactive = sys.stdin.isatty() and sys.stdout.isatty()
        self.pick = Pick(DEFAULT_ROUTINE, "default")
        self.watch = SessionWatch()  # wakes the loop when a session lets its lock go
        # A break offered without a terminal (coach.breaks.Offer), settled on the reminder's
        # clock at `offer_due` (the end of its window, or later when a session runs then).
        self.offer: Offer | None = None
        self.offer_due = 0.0
        # When a due break was first kept silent by a running session (local time): that
        # session is logged as the break when it ends (`session_break`).
        self.session_seen: datetime | None = None

    @property
    def routine(self) -> str:
        return self.pick.routine

    # -- output
    def say(self, text: str) -> None:
        """A line for the person (every piece of file text in it already made visible). On
        a terminal it is wrapped at word boundaries (`wrap`); elsewhere (a log, the
        journal of a service) it stays one line an event."""
        if self.interactive:
            text = "\r\n".join(wrap(text, shutil.get_terminal_size().columns))
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
        lock = hold_lock(every)  # before anything is shown or written: one reminder at a time
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
            remove_state()  # the lock's holder owns the state file: removed before letting go
            self.title("")
            self.watch.close()
            os.close(lock)
        return 0

    def timeout(self) -> float | None:
        """Seconds until something is due: the next break, the end of an offer's window;
        None (wait for a key or the self-pipe) while the session watcher waits for the
        session that keeps the break (or the offer) waiting."""
        now = self.clock()
        waits: list[float] = []
        if not (self.reminder.reason == "session" and self.watch.watching):
            waits.append(self.reminder.seconds_left(now))
        if self.offer is not None and not (now >= self.offer_due and self.watch.watching):
            waits.append(max(0.0, self.offer_due - now))
        return min(waits) if waits else None

    def watch_session(self) -> bool:
        """Have the loop woken when the running session lets its lock go; False when the
        lock cannot be watched (then the reminder looks again after SESSION_RECHECK_SECONDS)."""
        return self.watch.watch(_session_lock())

    def loop(self, read_key: Callable[[float | None], str | None]) -> None:
        while True:
            key = read_key(self.timeout())
            if key in ("q", "Q"):
                raise KeyboardInterrupt
            if key in ("\r", "\n"):
                self.choose()
                self.take_break()
                continue
            if key is not None:
                continue  # any other key while waiting: nothing
            self.settle_offer()
            decision = self.reminder.check(self.clock(), _now(), session_running=_session_running())
            if decision.kind == "wait":
                continue
            if decision.kind not in ("session", "session_over"):
                self.session_seen = None  # that session ended in quiet hours: no break was due
            if decision.kind == "session":
                self.session_seen = self.session_seen or _now()
                self.watch_session()  # else the Reminder's own re-check a minute later
            if decision.kind != "ring":
                self.publish(decision.kind)
                self.title(f"Coach: next break {self.next_text()}")
                if decision.kind == "quiet":
                    self.say(f"Quiet hours: the next break is at {self.next_text()}.")
                elif decision.kind == "away":
                    self.say(f"Welcome back. Next break at {self.next_text()}.")
                elif decision.kind == "session_over":
                    self.say(self.session_break())
                continue
            self.ring()
            if not self.interactive:
                self.offer_break()  # counted as taken if a session follows (settle_offer)
                self.reminder.taken(self.clock(), wall=_now())  # unanswered: the next one in `every`
                self.publish("waiting")
                continue
            self.answer(read_key)

    def choose(self) -> None:
        self.pick = pick_routine(self.options, _now().date())

    def offer_break(self) -> None:
        """Remember the break just offered without a terminal: a session started within
        `coach.remind.offer_window` of now is that break (settled at the window's end)."""
        window = offer_window(self.options.every)
        wall = _now()
        self.offer = Offer(wall, wall + timedelta(seconds=window), self.routine)
        self.offer_due = self.clock() + window

    def settle_offer(self) -> None:
        """At the end of an offer's window: when a session runs, wait for it to end (the
        session watcher); else log the session the offer claims (coach.breaks.claim_session)
        as "taken" or "stopped", and start the timer again from that session's end, as an
        answered break does. An offer no session followed is dropped unlogged."""
        from coach import paths
        from coach.breaks import append_break, claim_session, claimed_event
        from coach.history_view import session_page

        offer = self.offer
        if offer is None or self.clock() < self.offer_due:
            return
        if _session_running():
            if not self.watch_session():
                self.offer_due = self.clock() + SESSION_RECHECK_SECONDS
            return
        self.offer = None
        page = session_page(paths.history_file(), limit=20, since=offer.at.date())
        record = claim_session(page.records, offer)  # an unreadable history: nothing claimed
        if record is None:
            return
        event, at, ended = claimed_event(record)
        self.log(append_break, paths.breaks_file(), event, at=at, ended=ended, routine=record.routine)
        now, wall = self.clock(), _now()
        since_end = max(0.0, (wall - ended).total_seconds()) if ended is not None else 0.0
        self.reminder.taken(now - since_end, wall=wall - timedelta(seconds=since_end))
        word = "taken" if event == "taken" else "ended early"
        self.say(f"Break {word}: {visible(record.routine_title)}, started {at:%H:%M}. "
                 f"Next break at {self.next_text()}.")  # fmt: skip
        self.title(f"Coach: next break {self.next_text()}")
        self.publish("waiting")

    def session_break(self) -> str:
        """A break fell due while a session ran, and that session is over: log it as the
        break, by the rule of `coach.breaks.claimed_event` (ran to its end: "taken", else
        "stopped", stamped with its start and end), as an answered break's session is. The
        timer started again at its end either way (coach.remind.Reminder "session_over"),
        as after an answered break that was ended early: one entry a due break, and no ring
        right after the person chose to stop. Returns the line that says what was logged."""
        from coach import paths
        from coach.breaks import append_break, claimed_event, session_running_at
        from coach.history_view import session_page

        seen, self.session_seen = self.session_seen, None
        record = None
        if seen is not None:
            page = session_page(paths.history_file(), limit=20, since=seen.date() - timedelta(days=1))
            record = session_running_at(page.records, seen)  # an unreadable history: None
        if record is None:
            return (f"The session that ran when the break was due is not in the history: no break logged. "
                    f"Next break at {self.next_text()}.")  # fmt: skip
        event, at, ended = claimed_event(record)
        self.log(append_break, paths.breaks_file(), event, at=at, ended=ended, routine=record.routine)
        title = visible(record.routine_title)
        if event == "taken":
            return (f"That session counts as your break ({title}, ran to its end). "
                    f"Next break at {self.next_text()}.")  # fmt: skip
        return (f"That session was stopped early ({title}): logged as a break ended early. "
                f"Next break at {self.next_text()}.")  # fmt: skip

    def describe(self) -> str:
        """The break in words: "Box breathing (box-breathing, about 10 min) — your usual break"; the length
        is the one the session will have (the one chosen last time for the usual break)."""
        from coach.text import duration_about

        pick = self.pick
        length = f", {duration_about(pick.seconds)}" if pick.seconds else ""
        try:
            info = _routine_info(pick.routine)
            what = f"{visible(info.title)} ({visible(pick.routine)}{length})"
        except (CoachError, OSError):
            what = visible(pick.routine) + (f" ({length[2:]})" if length else "")
        because = {"plan": f" — due today in plan {visible(pick.plan or '')}",
                   "last": " — your usual break" if pick.usual else " — the last routine you ran"
                   }.get(pick.why, "")  # fmt: skip
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
                self.reminder.postpone(now, wall=_now())
                self.log(append_break, paths.breaks_file(), "postponed")
                self.say(f"Postponed: next break at {self.next_text()}.")
                break
            if key in ("s", "S"):
                self.reminder.skip(now, wall=_now())
                self.log(append_break, paths.breaks_file(), "skipped")
                self.say(f"Skipped: next break at {self.next_text()}.")
                break
            if key in ("q", "Q"):
                raise KeyboardInterrupt
        self.title(f"Coach: next break {self.next_text()}")
        self.publish("waiting")

    def log(
        self, append: Callable[..., None], path: Path, event: str,
        at: datetime | None = None, ended: datetime | None = None, routine: str | None = None,
    ) -> None:  # fmt: skip
        """Append `event` to the break log (begun `at`, default now; `ended`: when over;
        `routine`: the session's, default the break's)."""
        try:
            append(path, event, at=at or _now(), routine=routine or self.routine, ended=ended)
        except CoachError as exc:
            self.say(f"coach: {visible(exc.message)}")

    def take_break(self) -> None:
        """Run the routine as `coach run` does, in a child process on this terminal, then
        log the break and start the timer again."""
        from coach import paths
        from coach.breaks import append_break

        fancy = not self.options.plain and os.environ.get("TERM", "dumb") not in ("", "dumb")
        cmd = break_command(self.pick, plain=not fancy)
        self.title(f"Coach: {self.routine}")
        self.publish("break")
        launched = _now()
        with self.cooked():
            _run_child(cmd)
        ended = _now()
        event = session_outcome(launched)
        self.reminder.taken(self.clock(), wall=ended)
        if event is not None:
            # Stamped when the break began (the session's start), with its end beside it.
            self.log(append_break, paths.breaks_file(), event, at=launched, ended=ended)
            word = "Break over" if event == "taken" else "Break ended early"
            self.say(f"{word}. Next break at {self.next_text()}.")
        else:
            # Backed out before it began (Esc on the rating), or refused: the session said why.
            self.say(f"No session was recorded. Next break at {self.next_text()}.")
        self.title(f"Coach: next break {self.next_text()}")
        self.publish("waiting")

    # -- the terminal
    @contextmanager
    def keys(self) -> Iterator[Callable[[float | None], str | None]]:
        """A function that waits up to `timeout` seconds (None: for ever) for one key and
        returns it (None on timeout). On a terminal the keys come unbuffered (cbreak, no
        echo) until the block ends; elsewhere it only sleeps."""
        selector = selectors.DefaultSelector()
        selector.register(self.watch.fileno(), selectors.EVENT_READ)  # a session let its lock go
        if not self.interactive:

            def sleep(timeout: float | None) -> str | None:
                if selector.select(timeout):  # SIGTERM's handler ends it as Ctrl+C does
                    self.watch.drain()
                return None

            try:
                yield sleep
            finally:
                selector.close()
            return
        import termios
        import tty

        fd = sys.stdin.fileno()
        self._saved = termios.tcgetattr(fd)
        selector.register(fd, selectors.EVENT_READ)

        def read_key(timeout: float | None) -> str | None:
            ready = [key.fd for key, _ in selector.select(timeout)]
            if fd not in ready:
                if self.watch.fileno() in ready:
                    self.watch.drain()  # a session let its lock go (else: the time is up)
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


def wrap(text: str, columns: int) -> list[str]:
    """`text` in lines of at most min(columns, 80) - 2 characters (78 at 80 columns and
    wider, so a prompt never touches the edge), broken at spaces, never inside a word
    (a word longer than a line stays whole); continued lines are indented two spaces."""
    width = max(20, min(columns, 80) - 2)
    if len(text) <= width:
        return [text]
    lead = " " * (len(text) - len(text.lstrip(" ")))
    return textwrap.wrap(text.lstrip(" "), width, initial_indent=lead, subsequent_indent=lead + "  ",
                         break_long_words=False, break_on_hyphens=False) or [text]  # fmt: skip


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
