"""`coach run ROUTINE --plain`: a session as lines of text, for screen readers, SSH and scripts.

One line per event, written to be heard: "Step 2 of 6: Knead the upper trapezius, left
side, 45 seconds. …", "Breathe in, 4 seconds", "Switch to the right side." The runner
sleeps until the next planned event on a monotonic clock (never fixed sleeps), so the
session keeps time however long a line takes to print.

Signals: Ctrl+C, SIGTERM and SIGHUP end the session as not completed and record it at
once; a second Ctrl+C exits at once (the crash journal then records it on the next run).

COACH_TRACE_EVENTS=1 writes "trace <seconds since start> <planned seconds> <kind>" to
stderr for each event (real seconds, already divided by --speed): the timing bench uses it.
"""

from __future__ import annotations

import math
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import TYPE_CHECKING, Any, TextIO

from coach.breathing import BREATH_WORDS
from coach.change import change_meaning
from coach.errors import UsageError
from coach.practice import Practice
from coach.session import Event

if TYPE_CHECKING:
    from coach.records import SessionRecord
    from coach.routine import Routine

DISCLAIMER = (
    "Coach guides self-care; it is not medical advice and does not replace a doctor, "
    "physiotherapist or therapist. Stop and get medical help if you feel sharp, electric or "
    "burning pain, new numbness, tingling or weakness, dizziness, or chest pain."
)
RATING_QUESTION = (
    "How stressed or tense do you feel right now? 0 is completely calm, 10 is the most "
    "stressed you can imagine."
)
RATING_PROMPT = "Type 0 to 10, or press Enter to skip: "
EXIT_FOR_SIGNAL = {signal.SIGINT: 130, signal.SIGTERM: 143, signal.SIGHUP: 129}


# --- words -------------------------------------------------------------------------------


def spoken_seconds(seconds: float) -> str:
    """45 → "45 seconds", 90 → "1 minute 30 seconds", 5.5 → "5.5 seconds"."""
    if seconds < 60 and seconds != round(seconds):
        return f"{seconds:g} seconds"
    whole = round(seconds)
    minutes, rest = divmod(whole, 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    if rest or not minutes:
        parts.append(f"{rest} second{'s' if rest != 1 else ''}")
    return " ".join(parts)


def event_line(event: Event, routine: Routine) -> str | None:
    """The line a person hears for an event, or None for events that need no line."""
    step = routine.steps[event.step_number - 1]
    seconds = event.seconds or 0.0
    if event.kind == "step_started":
        head = [f"Step {event.step_number} of {len(routine.steps)}: {step.title}"]
        if event.side in ("left", "right"):
            head.append(f"{event.side} side")
        elif event.side == "both":
            head.append("both sides")
        if step.type == "breathing":
            cycles = step.resolved_cycles  # type: ignore[union-attr]
            head.append(f"{cycles} breath{'s' if cycles != 1 else ''}")
        head.append(spoken_seconds(seconds))
        text = ", ".join(head) + "."
        instruction = getattr(step, "instruction", None)
        if instruction:
            text += " " + instruction
        pressure = getattr(step, "pressure", None)
        if pressure:
            text += f" Pressure: {pressure}."
        gentler = getattr(step, "gentler", None)
        if gentler:
            text += " Gentler option: " + gentler
        return text
    if event.kind == "side_switched":
        return f"Switch to the {event.side} side."
    if event.kind == "phase_changed" and event.breath:
        return f"{BREATH_WORDS.get(event.breath, event.breath)}, {spoken_seconds(seconds)}"
    if event.kind == "finished":
        return f"Finished: {routine.title}."
    return None


def summary_line(practice: Practice, record: SessionRecord | None, post: int | None, now: float) -> str:
    session = practice.session
    active = spoken_seconds(round(session.active_seconds(now)))
    done = f"{session.steps_done} of {session.steps_total} steps done in {active}"
    if practice.preview:
        return f"Summary: {done}. A preview: nothing was recorded."
    how = "Completed" if session.state == "finished" else "Stopped early"
    pre = practice.pre
    if pre is not None and post is not None:
        stress = f"Stress {pre} → {post}: {change_meaning(pre, post)}."
    else:
        stress = "No stress change to show (a rating was skipped)."
    saved = "Saved to your history." if record is not None else "Not saved."
    if session.state != "finished" and record is not None:
        saved = "Saved to your history as not completed."
    return f"Summary: {how}, {done}. {stress} {saved}"


# --- output and input that survive a closed terminal ---------------------------------------


class Lines:
    """Writes whole lines and flushes each (a screen reader speaks as lines arrive). A
    terminal that went away (SIGHUP) makes writes fail: they are dropped, not raised."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.broken = False

    def line(self, text: str = "") -> None:
        if self.broken:
            return
        try:
            self.stream.write(text + "\n")
            self.stream.flush()
        except (OSError, ValueError):
            self.broken = True


class Stop(Exception):
    """A signal ended the session."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class SignalGate:
    """Turns SIGINT, SIGTERM and SIGHUP into one orderly stop.

    The handler raises Stop only while the runner waits (in `sleep` or `ask`), so a stop
    never lands halfway through a journal write; otherwise the runner sees `received` at
    its next check. A second Ctrl+C exits at once.
    """

    def __init__(self, sleep: Callable[[float], None] = time.sleep) -> None:
        self.received: int | None = None
        self._waiting = False
        self._sleep = sleep
        self._previous: dict[int, Any] = {}

    def handle(self, signum: int, _frame: FrameType | None) -> None:
        if self.received is not None:
            if signum == signal.SIGINT:
                os._exit(130)
            return
        self.received = signum
        if self._waiting:
            raise Stop(signum)

    def check(self) -> None:
        if self.received is not None:
            raise Stop(self.received)

    @contextmanager
    def waiting(self) -> Iterator[None]:
        self._waiting = True
        try:
            self.check()
            yield
        finally:
            self._waiting = False

    def sleep(self, seconds: float) -> None:
        with self.waiting():
            if seconds > 0:
                self._sleep(seconds)

    def install(self) -> None:
        for signum in EXIT_FOR_SIGNAL:
            try:
                self._previous[signum] = signal.signal(signum, self.handle)
            except (ValueError, OSError):  # not the main thread, or no such signal
                pass

    def restore(self) -> None:
        for signum, previous in self._previous.items():
            try:
                signal.signal(signum, previous)
            except (ValueError, OSError):
                pass
        self._previous.clear()


def ask_rating(out: Lines, read: Callable[[str], str], gate: SignalGate) -> int | None:
    """Ask on stdin until a whole number 0–10 or an empty answer (None). EOF is a skip."""
    out.line(RATING_QUESTION)
    while True:
        try:
            with gate.waiting():
                answer = read(RATING_PROMPT).strip()
        except EOFError:
            out.line()
            return None
        if not answer:
            return None
        if answer.isdigit() and 0 <= int(answer) <= 10:
            return int(answer)
        out.line("Please type a whole number from 0 to 10, or press Enter to skip.")


# --- the run -----------------------------------------------------------------------------


@dataclass
class PlainOptions:
    pre: int | None = None
    post: int | None = None
    plan: str | None = None
    mute: bool = False
    speed: float = 1.0
    interactive: bool = False  # stdin is a terminal: ratings may be asked
    trace: bool = False


class PlainRunner:
    """Runs one practice as lines. Clock, sleep and streams are injectable for tests."""

    def __init__(
        self,
        practice: Practice,
        options: PlainOptions,
        *,
        out: TextIO,
        err: TextIO,
        read: Callable[[str], str] = input,
        clock: Callable[[], float] = time.monotonic,
        gate: SignalGate | None = None,
    ) -> None:
        self.practice = practice
        self.routine = practice.routine
        self.options = options
        self.out = Lines(out)
        self.err = Lines(err)
        self.read = read
        self.real_clock = clock
        self.gate = gate or SignalGate()
        self.speed = options.speed
        self._t0 = 0.0

    def clock(self) -> float:
        """Session time: the real monotonic clock, run `speed` times faster from the start."""
        return self._t0 + (self.real_clock() - self._t0) * self.speed

    def introduce(self, show_disclaimer: bool) -> None:
        routine = self.routine
        steps = len(routine.steps)
        self.out.line(
            f"{routine.title}: {steps} step{'s' if steps != 1 else ''}, "
            f"{spoken_seconds(routine.total_seconds)}."
        )
        if self.practice.preview:
            self.out.line(f"Preview at {self.speed:g} times speed: nothing will be recorded.")
        if show_disclaimer:
            self.out.line(DISCLAIMER)
        for caution in routine.cautions:
            self.out.line(f"Caution: {caution}")

    def ask(self) -> int | None:
        return ask_rating(self.out, self.read, self.gate)

    def run(self, *, show_disclaimer: bool = False) -> int:
        """The whole session, ratings included. Returns the exit code."""
        practice = self.practice
        self.introduce(show_disclaimer)
        if not practice.preview and practice.pre is None and self.options.interactive:
            try:
                practice.pre = self.ask()
            except Stop as stop:
                self.out.line("Stopped before the first step: nothing was recorded.")
                return EXIT_FOR_SIGNAL.get(signal.Signals(stop.signum), 128 + stop.signum)
        practice.prepare()  # the journal's disk sync must not delay the first step
        self._t0 = self.real_clock()
        practice.start(self.clock())
        try:
            self._follow()
            return self._finish()
        except Stop as stop:
            return self._stopped(stop.signum)
        finally:
            practice.close()

    def _follow(self) -> None:
        practice = self.practice
        due: float | None = None
        while True:
            now = self.clock()
            if due is not None and now < due:
                # Woken for `due`, but the scaled clock's rounding may read a hair before it:
                # treat it as due, or the loop would wait for nothing again and again.
                now = due
            for event in practice.poll(now, sync=False):
                self._say(event)
            practice.sync(now)
            notice = practice.sound_notice()
            if notice:
                self.err.line(f"coach: {notice}")
            self.gate.check()
            if practice.over:
                return
            due = practice.next_due(now)
            if due is None:  # not running: nothing will change by itself
                return
            self.gate.sleep((due - self.clock()) / self.speed)

    def _say(self, event: Event) -> None:
        line = event_line(event, self.routine)
        if line is not None:
            self.out.line(line)
        if self.options.trace:
            elapsed = self.real_clock() - self._t0
            self.err.line(f"trace {elapsed:.6f} {event.at / self.speed:.6f} {event.kind}")

    def _finish(self) -> int:
        practice = self.practice
        practice.close()  # the finish chord plays out before the question
        post = self.options.post
        if post is None and self.options.interactive and not practice.preview:
            try:
                post = self.ask()
            except Stop:
                post = None  # the session ran to its end: record it as it is
        now = self.clock()
        record = practice.record(now, post=post)
        self.out.line(summary_line(practice, record, post, now))
        return 0

    def _stopped(self, signum: int) -> int:
        now = self.clock()
        practice = self.practice
        record = practice.interrupt(now)
        self.out.line(summary_line(practice, record, None, now))
        return EXIT_FOR_SIGNAL.get(signal.Signals(signum), 128 + signum)


# --- the command ---------------------------------------------------------------------------


def check_rating(name: str, value: int | None) -> int | None:
    if value is not None and not 0 <= value <= 10:
        raise UsageError(f"--{name} must be a whole number from 0 to 10, got {value}")
    return value


def check_speed(value: float | None) -> float:
    speed = 1.0 if value is None else float(value)
    if not (math.isfinite(speed) and 1 <= speed <= 100):
        raise UsageError(f"--speed must be a number from 1 to 100, got {value:g}")
    return speed


def run_plain(args: Any) -> int:
    """`coach run ROUTINE --plain` (args: routine, pre, post, plan, mute, speed)."""
    from coach import paths
    from coach.audio import Player
    from coach.library import Library
    from coach.settings import load_settings, save_settings

    options = PlainOptions(
        pre=check_rating("pre", getattr(args, "pre", None)),
        post=check_rating("post", getattr(args, "post", None)),
        plan=getattr(args, "plan", None),
        mute=bool(getattr(args, "mute", False)),
        speed=check_speed(getattr(args, "speed", None)),
        interactive=_interactive(sys.stdin),
        trace=os.environ.get("COACH_TRACE_EVENTS", "") not in ("", "0"),
    )
    library = Library.default()
    info = library.find(args.routine)
    routine = library.load(info)
    for problem in library.problems:
        print(f"coach: {problem}", file=sys.stderr)
    preview = options.speed != 1.0
    out = Lines(sys.stdout)
    store = journal = None
    if not preview:
        from coach.history import HistoryStore, recover_journal
        from coach.journal import Journal, JournalError, owner_alive, read_journal

        if options.plan is not None:
            from coach.plan_store import plan_note_for

            note = plan_note_for(paths.plans_dir(), options.plan, routine.id)
            if note is not None:
                print(f"coach: {note}", file=sys.stderr)
        store = HistoryStore(paths.history_file())
        recovered = recover_journal(
            store, paths.journal_file(), on_problem=lambda m: print(f"coach: {m}", file=sys.stderr)
        )
        if recovered is not None:
            out.line(
                f"An interrupted session of {recovered.routine_title} ({recovered.started_at}) "
                "was saved to your history as not completed."
            )
        try:  # refuse before asking anything, not after the rating
            other = read_journal(paths.journal_file())
            if owner_alive(other):
                raise JournalError(f"another coach session is running (process {other.pid}); finish it first")
        except (FileNotFoundError, ValueError):
            pass
        journal = Journal(paths.journal_file())
    settings = load_settings(paths.settings_file())
    player = Player("auto", volume=settings.volume, muted=options.mute or not settings.sound)
    if not player.muted:
        player.prepare()  # build the cues now, not during the first step
    practice = Practice(
        routine,
        pre=None if preview else options.pre,
        plan=None if preview else options.plan,
        store=store,
        journal=journal,
        player=player,
    )
    if not settings.first_run_seen:
        try:
            save_settings(settings.with_(first_run_seen=True), paths.settings_file())
        except OSError:
            pass
    _utf8_or_replace(sys.stdout)
    gate = SignalGate()
    gate.install()
    try:
        runner = PlainRunner(practice, options, out=sys.stdout, err=sys.stderr, gate=gate)
        return runner.run(show_disclaimer=not settings.first_run_seen)
    finally:
        try:
            player.close(timeout=1.0)
        finally:
            gate.restore()


def _interactive(stream: TextIO) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):
        return False


def _utf8_or_replace(stream: TextIO) -> None:
    """An arrow in the summary must not crash a terminal set to ASCII."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(errors="replace")
        except (ValueError, OSError):
            pass
