"""`coach run ROUTINE --plain`: a session as lines of text, for screen readers, SSH and scripts.

One line per event, written to be heard: "Step 2 of 6: Knead the upper trapezius, left
side, 45 seconds. …", "Breathe in, 4 seconds", "Switch to the right side." The runner
sleeps until the next planned event on a monotonic clock (never fixed sleeps), so the
session keeps time however long a line takes to print.

Signals: Ctrl+C, SIGTERM and SIGHUP end the session and record it at once (as stopped;
a --post given up front is not used: it describes an end that never came); a second Ctrl+C
exits at once (the crash journal then records it on the next run). Ctrl+Z and `fg` at a
prompt show the prompt again; during the count-in after time away they start it again.

COACH_TRACE_EVENTS=1 writes "trace <seconds since start> <planned seconds> <kind>" to
stderr for each event (real seconds, already divided by --speed): the timing bench uses it.
"""

from __future__ import annotations

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
from coach.practice import Practice
from coach.rating import change_phrase, session_outcome
from coach.session import Event
from coach.start import session_clock
from coach.text import plural, visible, visible_lines

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
GO_ON_PROMPT = "Press Enter to go on. "
EXIT_FOR_SIGNAL = {signal.SIGINT: 130, signal.SIGTERM: 143, signal.SIGHUP: 129}
# While it waits for the next event the runner wakes at least this often (real seconds):
# far below the engine's 2 s rule for time away (coach.session.AWAY_SECONDS), so a process
# that was stopped is caught within half a second of where it stopped.
HEARTBEAT_SECONDS = 0.5
# After a resume, a 3-second spoken or ticked count before the time runs again (real
# seconds): time to get back into position.
LEAD_IN_SECONDS = 3.0


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


def summary_line(
    practice: Practice,
    record: SessionRecord | None,
    post: int | None,
    now: float,
    *,
    unused_post: int | None = None,
) -> str:
    """The last line of a plain session: how it ended (completed, partly done, stopped), the
    steps and the time practised against the plan (extensions included), the change in
    words (coach.rating) and whether it was saved, e.g. "Summary: Partly done, 0 of 4 steps,
    4 seconds of 3 minutes 13 seconds practised. … it does not count towards your streak."
    `unused_post`: a `--post` given up front for a session a signal stopped: it describes
    an end that never came, so it is not recorded, and the line says so.
    """
    session = practice.session
    active = spoken_seconds(round(session.active_seconds(now)))
    planned = spoken_seconds(round(session.planned_with_extensions))
    done = f"{session.steps_done} of {plural(session.steps_total, 'step')}, {active} of {planned} practised"
    if practice.preview:
        return f"Summary: {done}. A preview: nothing was recorded."
    how = session_outcome(session, record)
    pre = practice.pre
    if pre is not None and post is not None:
        stress = f"Stress {pre} → {post}, {change_phrase(pre, post)}."
    elif unused_post is not None:
        stress = f"The after-rating given up front (--post {unused_post}) is not used for a stopped session."
    else:
        stress = "No stress change to show (a rating was skipped)."
    if record is None:
        saved = "Not saved."
    elif how == "completed":
        saved = "Saved to your history."
    else:
        saved = f"Saved to your history as {how}; it does not count towards your streak."
    return f"Summary: {how.capitalize()}, {done}. {stress} {saved}"


# --- output and input that survive a closed terminal ---------------------------------------


class Lines:
    """Writes whole lines and flushes each (a screen reader speaks as lines arrive). A
    terminal that went away (SIGHUP) makes writes fail: they are dropped, not raised."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.broken = False

    def prompt(self, text: str) -> None:
        """Write `text` without a line feed (a prompt shown again after Ctrl+Z and `fg`)."""
        if self.broken:
            return
        try:
            self.stream.write(visible_lines(text))
            self.stream.flush()
        except (OSError, ValueError):
            self.broken = True

    def line(self, text: str = "") -> None:
        """Write `text` and a line feed. Every line of the plain runner passes here, so this
        is where text from files is made visible (`coach.text.visible_lines`): a title or
        a message can never send an escape sequence to the terminal."""
        if self.broken:
            return
        try:
            self.stream.write(visible_lines(text) + "\n")
            self.stream.flush()
        except (OSError, ValueError):
            self.broken = True


class Stop(Exception):
    """A signal ended the session."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.line_ended = False  # a prompt already started a new line after the "^C"


class _Woken(Exception):
    """SIGCONT arrived during a sleep: the process was stopped and goes on now."""


class SignalGate:
    """Turns SIGINT, SIGTERM and SIGHUP into one orderly stop, and SIGCONT into a wake-up.

    The handler raises Stop only while the runner waits (in `sleep` or `ask`), so a stop
    never lands halfway through a journal write; otherwise the runner sees `received` at
    its next check. A second Ctrl+C exits at once. SIGCONT (after Ctrl+Z and `fg`, or
    SIGSTOP) ends a `sleep` at once, so the runner sees the time away now, not at the
    next planned event.
    """

    def __init__(self, sleep: Callable[[float], None] = time.sleep) -> None:
        self.received: int | None = None
        self.continued = 0  # SIGCONTs received
        self._waiting = False
        self._sleeping = False
        self._sleep = sleep
        self._previous: dict[int, Any] = {}
        self._reprompt: Callable[[], None] | None = None

    def handle_continue(self, _signum: int, _frame: FrameType | None) -> None:
        """SIGCONT: count it, and cut a `sleep` short so the time away is seen at once. At a
        prompt (`asking`), show the prompt again: after Ctrl+Z and `fg` the read goes on,
        but the shell's "Stopped" line has pushed the prompt out of sight."""
        self.continued += 1
        if self._sleeping:
            raise _Woken
        if self._reprompt is not None:
            self._reprompt()

    @contextmanager
    def asking(self, out: Lines, prompt: str) -> Iterator[None]:
        """A blocking read of a line after `prompt`: a stopping signal raises Stop at once
        (as `waiting`) after starting a new line, so that the summary does not follow
        "^C" on the prompt's line; a SIGCONT writes the prompt again."""
        self._reprompt = lambda: out.prompt(prompt)
        try:
            with self.waiting():
                yield
        except Stop as stop:
            out.line()
            stop.line_ended = True
            raise
        finally:
            self._reprompt = None

    def handle(self, signum: int, _frame: FrameType | None) -> None:
        """A signal of EXIT_FOR_SIGNAL: remember the first, and raise Stop at once while
        waiting; a second SIGINT exits the process with 130 without cleaning up."""
        if self.received is not None:
            if signum == signal.SIGINT:
                os._exit(130)
            return
        self.received = signum
        if self._waiting:
            raise Stop(signum)

    def check(self) -> None:
        """Raise Stop(signal number) if a stopping signal came in."""
        if self.received is not None:
            raise Stop(self.received)

    @contextmanager
    def waiting(self) -> Iterator[None]:
        """While inside, a stopping signal raises Stop at once (blocking reads and sleeps)."""
        self._waiting = True
        try:
            self.check()
            yield
        finally:
            self._waiting = False

    def sleep(self, seconds: float) -> bool:
        """Sleep `seconds` (real); False when SIGCONT cut it short. Raises Stop."""
        with self.waiting():
            if seconds > 0:
                self._sleeping = True
                try:
                    self._sleep(seconds)
                except _Woken:
                    return False
                finally:
                    self._sleeping = False
        return True

    def install(self) -> None:
        """Take over the signals of EXIT_FOR_SIGNAL and SIGCONT (only the main thread can)."""
        for signum in EXIT_FOR_SIGNAL:
            try:
                self._previous[signum] = signal.signal(signum, self.handle)
            except (ValueError, OSError):  # not the main thread, or no such signal
                pass
        try:
            self._previous[signal.SIGCONT] = signal.signal(signal.SIGCONT, self.handle_continue)
        except (ValueError, OSError, AttributeError):  # not the main thread, or no SIGCONT
            pass

    def restore(self) -> None:
        """Give the signals back to the handlers `install` found."""
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
            with gate.asking(out, RATING_PROMPT):
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
    """What `coach run --plain` was asked for: ratings given up front (0-10), the plan the
    session counts for, no sound, and the session clock's speed (1 records, more previews)."""

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
        clock: Callable[[], float] = session_clock,
        gate: SignalGate | None = None,
    ) -> None:
        if practice.speed != options.speed:  # time away is measured in the practice's time
            raise ValueError(
                f"the practice runs at speed {practice.speed:g}, the runner at {options.speed:g}"
            )
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
        """The opening lines: title, steps and length, preview notice, disclaimer, cautions."""
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
        """Ask for a 0-10 rating on the terminal; None when skipped."""
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
            return self._stopped(stop)
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
            away: Event | None = None
            for event in practice.poll(now, sync=False):
                self._say(event)
                if event.kind == "paused" and event.away:
                    away = event
            practice.sync(now)
            notice = practice.sound_notice()
            if notice:
                self.err.line(f"coach: {notice}")
            self.gate.check()
            if practice.over:
                return
            if practice.state == "paused":  # only time away pauses a plain session
                self._come_back(away)
                due = None
                continue
            # Sleep towards `due`, waking at least every HEARTBEAT_SECONDS: a process
            # stopped in between (SIGSTOP, a closed lid) is then seen as time away to
            # within that much. A SIGCONT cuts the sleep short.
            due = practice.next_due(now, wake_by=now + HEARTBEAT_SECONDS * self.speed)
            if due is None:  # not running: nothing will change by itself
                return
            wait = (due - self.clock()) / self.speed
            if wait <= HEARTBEAT_SECONDS:
                if not self.gate.sleep(wait):
                    due = None  # woken early by SIGCONT: the clock says where we are
            else:
                self.gate.sleep(HEARTBEAT_SECONDS)
                due = None

    def _come_back(self, away: Event | None) -> None:
        """After time away: say so, wait for Enter on a terminal, count in, go on."""
        gone = (away.seconds or 0.0) / self.speed if away is not None else 0.0
        self.out.line(
            f"Paused: Coach was stopped for {spoken_seconds(max(1, round(gone)))}; "
            "that time is not counted."
        )
        if self.options.interactive:
            try:
                with self.gate.asking(self.out, GO_ON_PROMPT):
                    self.read(GO_ON_PROMPT)
            except EOFError:
                self.out.line()
        self.out.line("Going on in 3, 2, 1.")
        while not self.gate.sleep(LEAD_IN_SECONDS):  # stopped again during the count-in
            self.out.line("Going on in 3, 2, 1.")  # (still paused: that time is not counted)
        self.practice.resume(self.clock())

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

    def _stopped(self, stop: Stop) -> int:
        signum = stop.signum
        if signum == signal.SIGINT and self.options.interactive and not stop.line_ended:
            self.out.line()  # the terminal echoed "^C" where the next line would start
        now = self.clock()
        practice = self.practice
        record = practice.interrupt(now)
        # A --post given up front describes the end of the session, which never came.
        unused = self.options.post if record is not None else None
        self.out.line(summary_line(practice, record, None, now, unused_post=unused))
        return EXIT_FOR_SIGNAL.get(signal.Signals(signum), 128 + signum)


# --- the command ---------------------------------------------------------------------------


def run_plain(args: Any) -> int:
    """`coach run ROUTINE --plain` (args: routine, pre, post, plan, mute, speed).

    The session starts through `coach.start` (checks, lock, recovery) before anything is
    asked; a second session is refused at once (exit 1) with one sentence on stderr.
    """
    from coach import paths, start
    from coach.audio import Player
    from coach.library import Library
    from coach.settings import KEPT_AS_IT_IS, read_settings, save_settings

    def warn(message: str) -> None:
        print(f"coach: {visible(message)}", file=sys.stderr, flush=True)

    library = Library.default()
    request, notes = start.request_from_args(args, library, paths.plans_dir())
    routine = library.load(request.info)
    for message in [*library.problems, *notes]:
        warn(message)
    options = PlainOptions(
        pre=request.pre,
        post=request.post,
        plan=request.plan,
        mute=bool(getattr(args, "mute", False)),
        speed=request.speed,
        interactive=_interactive(sys.stdin),
        trace=os.environ.get("COACH_TRACE_EVENTS", "") not in ("", "0"),
    )
    from datetime import datetime

    opened = start.open_session(
        routine.title,
        history_path=paths.history_file(),
        journal_path=paths.journal_file(),
        preview=request.preview,
        started=datetime.now().astimezone(),
        on_problem=warn,
    )
    player: Player | None = None
    gate = SignalGate()
    try:
        out = Lines(sys.stdout)
        if opened.recovered is not None:
            from coach.journal import recovered_sentence

            out.line(recovered_sentence(opened.recovered))  # Lines makes the title visible (coach.text)
        loaded = read_settings(paths.settings_file())
        if loaded.problem is not None:  # said once; the file is never written over
            warn(f"{loaded.problem}; {KEPT_AS_IT_IS}")
        settings = loaded.settings
        player = Player("auto", volume=settings.volume, muted=options.mute or not settings.sound)
        if not player.muted:
            player.prepare()  # build the cues now, not during the first step
        practice = opened.practice(
            routine,
            pre=None if request.preview else options.pre,
            plan=options.plan,
            player=player,
            on_problem=warn,  # the journal cannot be written: said once, the session goes on
            speed=options.speed,
        )
        if not settings.first_run_seen and loaded.writable:
            try:
                save_settings(settings.with_(first_run_seen=True), paths.settings_file())
            except OSError:
                pass
        _utf8_or_replace(sys.stdout)
        gate.install()
        runner = PlainRunner(practice, options, out=sys.stdout, err=sys.stderr, gate=gate)
        return runner.run(show_disclaimer=not settings.first_run_seen)
    finally:
        try:
            if player is not None:
                player.close(timeout=1.0)
        finally:
            gate.restore()
            opened.release()


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
