"""`coach run ROUTINE --plain`: a session as lines of text, for screen readers, SSH and scripts.

One line per event, written to be heard: "Step 2 of 6: Knead the upper trapezius, left
side, 45 seconds. …", "Breath 3 of 12: in 4, hold 7, out 8", "Switch to the right side."
(the words: coach/plain_words.py). The runner waits for the next planned event on a
monotonic clock (never fixed sleeps), so the session keeps time however long a line takes
to print, and reads the person's commands meanwhile (coach/plain_input.py): on a terminal
the app's single keys (Space pause, s skip, b back, + 30 s more, g gentler, t too much,
m mute, q quit), from a pipe one command a line (`p`, `s`, `b`, `+`, `g`, `t`, `m`, `q`).

Before the first step: the routine's cautions in full before its first session and whenever
they or its stop-if lines change (coach.usual: the app's rule, through the same file, so
reading them in either shell counts), otherwise one line that names `coach show ID`; the
stop-if lines every time (short, and what to act on during the session).

A lead-in ("Starting in 3, 2, 1.") runs before the first step and after every resume when
the `lead_in` setting is on (coach.session.LEAD_IN_SECONDS). `t` pauses and offers
numbered choices (gentler, lighter, skip, end; `r` for when to stop); the press and the
choice go to the record's `discomfort`. After a skip while paused or a choice, the order is
what changed and the step's line (said at once, while the time stands: the person can get
into position), then the count-in, then the step's timed breath or rep lines (held until
the time runs: a cue is said when it is to be done).

At the end: the stress rating on a terminal (not after a session stopped with q or "too much
→ end", as the app), the pain rating of a plan that asks for one (after a stopped session
too, unless --pain-post gave it) on a terminal or from a pipe, then "Anything to note?" on a
terminal or a pipe (the end of the input skips a question).

Signals: Ctrl+C, SIGTERM and SIGHUP end the session and record it at once (as stopped;
a --post given up front is not used: it describes an end that never came); a second Ctrl+C
exits at once (the crash journal then records it on the next run; the terminal is given
back first). Ctrl+Z gives the terminal back and `fg` takes it again; a prompt is shown
again; the time away pauses the session (on a terminal until Space or Enter).

COACH_TRACE_EVENTS=1 writes "trace <seconds> <planned seconds> <kind>" to stderr for each
event the runner tells (and each pause and resume): real seconds since the first step began
(after the first lead-in) and the event's active time, both already divided by --speed.
The timing bench uses it.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from coach import safety_note
from coach.plain_input import ACTIONS, CommandSource, NoCommands
from coach.plain_signals import EXIT_FOR_SIGNAL, Lines, SignalGate, Stop
from coach.plain_words import (
    NOTE_PROMPT,
    Teller,
    cautions_read_line,
    event_line,
    header_line,
    red_flags,
    relief_words,
    spoken_seconds,
    summary_line,
    where_line,
)
from coach.practice import Practice
from coach.session import Event
from coach.start import session_clock
from coach.text import time_away_text, visible

if TYPE_CHECKING:
    from pathlib import Path

    from coach.library import RoutineInfo
    from coach.routine import Routine

__all__ = [
    "DISCLAIMER",
    "HEARTBEAT_SECONDS",
    "Lines",
    "PlainOptions",
    "PlainRunner",
    "SignalGate",
    "Stop",
    "caution_rule",
    "event_line",
    "run_plain",
    "spoken_seconds",
    "summary_line",
]

# The first-run note: all that the app's first-run screen says (coach/safety_note.py), as lines.
DISCLAIMER = "\n".join(safety_note.plain_lines())
RATING_QUESTION = (
    "How stressed or tense do you feel right now? 0 is completely calm, 10 is the most "
    "stressed you can imagine."
)
RATING_PROMPT = "Type 0 to 10, or press Enter to skip: "
# While it waits for the next event the runner wakes at least this often (real seconds):
# far below the engine's 2 s rule for time away (coach.session.AWAY_SECONDS), so a process
# that was stopped is caught within half a second of where it stopped.
HEARTBEAT_SECONDS = 0.5
# After time away with no terminal and the lead-in setting off, a 3-second count before the
# time runs again (real seconds): DESIGN.md, Timing ("resumes after a spoken 3-second lead-in").
LEAD_IN_SECONDS = 3.0


def ask_rating(
    out: Lines, read: Callable[[str], str], gate: SignalGate, question: str = RATING_QUESTION
) -> int | None:
    """Ask `question` (the stress question; a plan's pain question) on stdin until a whole
    number 0–10 or an empty answer (None). EOF is a skip."""
    out.line(question)
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
    pain_post: int | None = None  # given up front (--pain-post), for a plan that asks for pain
    mute: bool = False
    speed: float = 1.0
    interactive: bool = False  # stdin is a terminal: ratings may be asked
    trace: bool = False
    phases: bool = False  # a line for every breath phase and rep release, not one a cycle
    # The person read these cautions and stop-if lines before (coach.usual, as the app's
    # caution screen): one line stands for the cautions. `show_ref`: the routine as `coach
    # show` takes it, which that line names.
    cautions_read: bool = False
    show_ref: str = ""


class PlainRunner:
    """Runs one practice as lines. Clock, sleep, streams and the commands' source
    (coach.plain_input; none by default: no commands, waits are sleeps) are injectable for
    tests. `read(prompt)` reads a line for a question (default: the source's).
    `on_cautions_read()` is called once the person goes on past cautions and stop-if lines
    printed in full (after the ratings before, before the first step), to remember them as
    read (coach.usual); not when they were stopped before the first step."""

    def __init__(
        self,
        practice: Practice,
        options: PlainOptions,
        *,
        out: TextIO,
        err: TextIO,
        read: Callable[[str], str] | None = None,
        clock: Callable[[], float] = session_clock,
        gate: SignalGate | None = None,
        commands: CommandSource | None = None,
        on_cautions_read: Callable[[], None] | None = None,
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
        self.real_clock = clock
        self.gate = gate or SignalGate()
        self.commands: CommandSource = commands if commands is not None else NoCommands(self.gate._sleep)
        self.read = read if read is not None else self._read_line
        self.on_cautions_read = on_cautions_read
        self.speed = options.speed
        self.teller = Teller(self.routine, phases=options.phases)
        self._t0 = 0.0
        self._confirm_quit = False
        self._held: list[str] = []  # breath or rep lines waiting for a count-in to end
        self._after: list[str] = []  # lines to say after the next poll's events (before its count-in)

    def _read_line(self, prompt: str) -> str:
        self.out.prompt(prompt)
        line = self.commands.read_line()
        if not self.commands.keys:  # a pipe's answer is not echoed: end the prompt's line
            self.out.line()
        return line

    def clock(self) -> float:
        """Session time: the real monotonic clock, run `speed` times faster from the start."""
        return self._t0 + (self.real_clock() - self._t0) * self.speed

    def introduce(self, show_disclaimer: bool) -> None:
        """The opening lines: title, steps and length, preview notice, disclaimer, cautions
        (in full when new or changed, else one line: DESIGN.md, The app), then the stop-if
        lines, always: they are what to act on during the session, and a person following
        by ear cannot glance back at a screen for them."""
        routine = self.routine
        self.out.line(header_line(routine.title, len(routine.steps), routine.total_seconds))
        if self.practice.preview:
            self.out.line(f"Preview at {self.speed:g} times speed: nothing will be recorded.")
        if show_disclaimer:
            self.out.line(DISCLAIMER)
        if self.options.cautions_read and routine.cautions:
            self.out.line(cautions_read_line(len(routine.cautions), self.options.show_ref))
        else:
            for caution in routine.cautions:
                self.out.line(f"Caution: {caution}")
        for flag in routine.stop_if:  # the red flags, after the technique rules
            self.out.line(f"Stop if: {flag}")

    def ask(self) -> int | None:
        """Ask for a 0-10 rating on the terminal; None when skipped."""
        return ask_rating(self.out, self.read, self.gate)

    def ask_pain(self) -> int | None:
        """Ask the plan's pain question (0-10) on the terminal or a pipe (`read`); None when
        skipped (an empty answer, or the end of the input)."""
        from coach.start import pain_question

        return ask_rating(self.out, self.read, self.gate, pain_question(self.practice.pain_area or ""))

    def ask_note(self) -> str:
        """"Anything to note?" on a terminal or from a pipe (a line; the end of input is no
        note). The note is one line: runs of white space become one space, and what a
        terminal would obey is made visible (coach.text.visible), as the app's note."""
        if not (self.options.interactive or not self.commands.ended):
            return ""
        try:
            with self.gate.asking(self.out, NOTE_PROMPT):
                answer = self.read(NOTE_PROMPT)
        except EOFError:
            self.out.line()
            return ""
        return visible(" ".join(answer.split()))

    def run(self, *, show_disclaimer: bool = False) -> int:
        """The whole session, ratings and note included. Returns the exit code."""
        practice = self.practice
        self.introduce(show_disclaimer)
        if not practice.preview and self.options.interactive:
            try:
                if practice.pre is None:
                    practice.pre = self.ask()
                if practice.pain_area is not None and practice.pain_pre is None:
                    practice.pain_pre = self.ask_pain()
            except Stop as stop:
                self.out.line("Stopped before the first step: nothing was recorded.")
                return EXIT_FOR_SIGNAL.get(signal.Signals(stop.signum), 128 + stop.signum)
        printed = not self.options.cautions_read and (self.routine.cautions or self.routine.stop_if)
        if printed and self.on_cautions_read is not None:
            self.on_cautions_read()  # printed in full and gone on past: read (as the app's Enter)
        practice.prepare()  # the journal's disk sync must not delay the first step
        self.commands.probe()  # an empty input (/dev/null) is seen now: no keys line then
        if self.commands.help is not None and not self.commands.ended:
            self.out.line(self.commands.help)
        self._t0 = self.real_clock()
        practice.start(self.clock())
        try:
            with self.commands.keys_mode():
                self._follow()
            return self._finish()
        except Stop as stop:
            return self._stopped(stop)
        finally:
            practice.close()

    # --- the loop --------------------------------------------------------------------------

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
            events = practice.poll(now, sync=False)
            for event in events:
                if event.kind == "lead_in":  # what a choice changed, then the count-in
                    self._say_after()
                self._say(event)
                if event.kind == "paused" and event.away:
                    away = event
            self._say_after()
            if self._held and not self._holding(now):
                # Held for a count-in that never ended (q during it): the breath is not to come.
                for line in self._held if not practice.over else ():
                    self.out.line(line)
                self._held.clear()
            practice.sync(now)
            notice = practice.sound_notice()
            if notice:
                self.err.line(f"coach: {notice}")
            self.gate.check()
            if practice.over:
                return
            if away is not None:
                self._come_back(away)
                due = None
                continue
            if practice.state == "paused":
                if self.commands.ended:  # nobody is left to say "go on"
                    self.out.line("The input ended while paused: the session ends here.")
                    practice.quit(self.clock())
                    continue
                continued = self.gate.continued
                token, _ = self.gate.wait(HEARTBEAT_SECONDS, self.commands.wait)
                due = None
                if self.gate.continued != continued and token is None:  # back from Ctrl+Z:
                    self._remind_paused()  # the shell's "Stopped" pushed the question away
            else:
                # Wait towards `due`, waking at least every HEARTBEAT_SECONDS: a process
                # stopped in between (SIGSTOP, a closed lid) is then seen as time away to
                # within that much. A SIGCONT or a command cuts the wait short.
                due = practice.next_due(now, wake_by=now + HEARTBEAT_SECONDS * self.speed)
                if due is None:  # not running: nothing will change by itself
                    return
                wait = (due - self.clock()) / self.speed
                token, woken = self.gate.wait(min(wait, HEARTBEAT_SECONDS), self.commands.wait)
                if wait > HEARTBEAT_SECONDS or not woken or token is not None:
                    due = None  # the clock says where we are
            if token is not None:
                self._command(token)

    def _come_back(self, away: Event) -> None:
        """After time away: say so; on a terminal wait for Space or Enter (the session stays
        paused); with no terminal go on after the lead-in."""
        gone = (away.seconds or 0.0) / self.speed
        self.out.line(time_away_text(gone))
        if self.commands.keys:
            self.out.line("Press Enter to go on.")
            return
        if self.practice.session.lead_in <= 0:  # no lead-in of the engine's: count in here
            self.out.line("Going on in 3, 2, 1.")
            while not self.gate.sleep(LEAD_IN_SECONDS):  # stopped again during the count-in
                self.out.line("Going on in 3, 2, 1.")  # (still paused: that time is not counted)
        self.practice.resume(self.clock())

    def _say_after(self) -> None:
        for line in self._after:
            self.out.line(line)
        self._after.clear()

    def _holding(self, now: float) -> bool:
        """A breath or rep told now would come before the count-in that precedes it (a skip
        while paused, a "too much" choice): such lines wait for the time to run."""
        return self.practice.state == "paused" or self.practice.snapshot(now).leading_in

    def _say(self, event: Event) -> None:
        pattern: tuple[tuple[str, float], ...] = ()
        if event.kind == "phase_changed":
            pattern = self.practice.current_phases
        lines = self.teller.lines(event, pattern)
        if event.kind in ("step_started", "side_switched"):
            self._held.clear()  # a breath of a pass that was passed over is not told
        if event.kind in ("phase_changed", "rep_hold", "rep_release") and self._holding(self.clock()):
            self._held += lines
        else:
            for line in lines:
                self.out.line(line)
        if event.kind == "paused" and not event.away:
            self.out.line(f"Paused. {self.commands.go_on} to go on.")
        told = bool(lines) or event.kind in ("paused", "resumed")
        if self.options.trace and told and event.kind != "lead_in":
            # Seconds since the first step began: the first lead-in is not on the timeline.
            zero = self._t0 + self.practice.session.lead_in / self.speed
            self.err.line(f"trace {self.real_clock() - zero:.6f} {event.at / self.speed:.6f} {event.kind}")

    # --- the person's commands ------------------------------------------------------------

    def _command(self, token: str) -> None:
        practice = self.practice
        now = self.clock()
        action = ACTIONS.get(token)
        if practice.session.too_much_pending:
            self._relief(token, action, now)
            return
        if self._confirm_quit:
            self._confirm_quit = False
            if action == "quit" or token == "y":
                practice.quit(now)
            else:
                self.out.line("Going on.")
            return
        if action == "pause":
            if practice.state == "paused":
                self._resume(now)
            else:
                practice.pause(now)
        elif action == "where":
            if practice.state == "paused":
                self._resume(now)
            else:
                self.out.line(where_line(practice.snapshot(now)))
        elif action == "skip":
            practice.skip(now)
        elif action == "back":
            practice.back(now)
        elif action == "extend":
            practice.extend(now)
        elif action == "gentler":
            if not practice.toggle_gentler(now):
                self.out.line("This step has no gentler version.")
        elif action == "too_much":
            if practice.too_much(now):
                self._offer_relief(now)
        elif action == "mute":
            self._mute()
        elif action == "quit":
            if self.commands.keys:  # one stray key must not end a session: ask, as the app does
                self._confirm_quit = True
                self.out.line("End the session now? It is saved as stopped. Press q again to end, "
                              "any other key to go on.")  # fmt: skip
            else:
                practice.quit(now)
        elif action == "help":
            self.out.line(self.commands.help or "")
        else:
            shown = "Enter" if token == "\n" else token
            self.out.line(f"Not a command: {shown}. {self.commands.help or ''}".rstrip())

    def _remind_paused(self) -> None:
        """Say again what a paused session waits for: the "too much" choices, or a key."""
        if self.practice.session.too_much_pending:
            self._offer_relief(self.clock())
        else:
            self.out.line(f"Paused. {self.commands.go_on} to go on.")

    def _resume(self, now: float) -> None:
        if self.practice.resume(now) and self.practice.session.lead_in <= 0:
            self.out.line("Going on.")

    def _mute(self) -> None:
        player = self.practice.player
        if player is None:
            self.out.line("This session has no sound.")
            return
        player.muted = not player.muted
        if not player.muted:
            try:
                player.prepare()
            except Exception:  # sound is never worth a crash
                pass
        self.out.line("Sound off." if player.muted else "Sound on.")

    # --- too much ----------------------------------------------------------------------------

    def _relief_prompt(self, count: int) -> str:
        numbers = "1 or 2" if count == 2 else f"1 to {count}"
        if self.commands.keys:
            return f"Press {numbers} to choose, r for when to stop, or Space to go on as before."
        return f"Send {numbers} to choose, r for when to stop, or p to go on as before."

    def _offer_relief(self, now: float) -> None:
        """The choices after `t`, numbered, in the engine's order (gentler, lighter, skip, end)."""
        practice = self.practice
        choices = practice.relief_choices(now)
        snapshot = practice.snapshot(now)
        step = self.routine.steps[snapshot.step_number - 1]
        self.out.line("Too much: paused. What would help?")
        for number, choice in enumerate(choices, start=1):
            self.out.line(f"{number}. {relief_words(choice, step, snapshot)}")
        self.out.line(self._relief_prompt(len(choices)))

    def _relief(self, token: str, action: str | None, now: float) -> None:
        practice = self.practice
        choices = practice.relief_choices(now)
        if token.isdigit() and 1 <= int(token) <= len(choices):
            choice = choices[int(token) - 1]
        elif action == "quit":
            choice = "end"
        elif action in ("pause", "where"):
            practice.resume(now)  # "too much" stays in the record, with no choice
            self.out.line("Going on as before.")
            return
        elif token == "r":
            for line in red_flags(self.routine):
                self.out.line(line)
            self.out.line(self._relief_prompt(len(choices)))
            return
        elif action == "too_much":
            self._offer_relief(now)
            return
        else:
            shown = "Enter" if token == "\n" else token
            self.out.line(f"Not a choice: {shown}. {self._relief_prompt(len(choices))}")
            return
        if practice.relieve(now, choice):
            # Said after the choice's own events (the next poll), in the order things happen.
            if choice == "lighter":
                pressure = practice.snapshot(now).pressure
                self._after.append(f"Lighter pressure: {pressure} from now on in this step.")
            if practice.state == "paused":  # it was paused before `t`: it stays so
                self._after.append(f"Still paused. {self.commands.go_on} to go on.")

    # --- the end ---------------------------------------------------------------------------

    def _finish(self) -> int:
        practice = self.practice
        practice.close()  # the finish chord plays out before the question
        quit = practice.state == "quit"  # q, "too much → end", or the input ended while paused
        post, pain_post = self.options.post, self.options.pain_post
        if quit:  # stopped: no stress rating after, and one given up front is not kept (as the app)
            post = None
        note = ""
        if not practice.preview:
            try:
                if self.options.interactive and not quit and post is None:
                    post = self.ask()
                # The plan's pain question after the session, stopped or not (as the app): a
                # session stopped because it hurt is the one the therapist most needs to see.
                # Asked wherever an answer can come from: a terminal, or a pipe still open.
                answerable = self.options.interactive or not self.commands.ended
                if practice.pain_area is not None and pain_post is None and answerable:
                    pain_post = self.ask_pain()
                note = self.ask_note()
            except Stop:
                pass  # the session is over: record it as it is
        now = self.clock()
        record = practice.record(now, post=post, note=note, pain_post=pain_post)
        unused = self.options.post if quit and record is not None else None
        self.out.line(summary_line(practice, record, post, now, unused_post=unused))
        return 0

    def _stopped(self, stop: Stop) -> int:
        signum = stop.signum
        echoed = self.options.interactive and not self.commands.keys  # cbreak mode echoes nothing
        if signum == signal.SIGINT and echoed and not stop.line_ended:
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
    """`coach run ROUTINE --plain` (args: routine, pre, post, plan, mute, speed, voice, phases).

    The session starts through `coach.start` (checks, lock, recovery) before anything is
    asked; a second session is refused at once (exit 1) with one sentence on stderr.
    """
    from coach import paths, start
    from coach.audio import Player
    from coach.library import Library
    from coach.session import LEAD_IN_SECONDS as LEAD_IN
    from coach.settings import KEPT_AS_IT_IS, read_settings, save_settings

    def warn(message: str) -> None:
        print(f"coach: {visible(message)}", file=sys.stderr, flush=True)

    library = Library.default()
    request, notes = start.request_from_args(args, library, paths.plans_dir())
    routine = library.load(request.info)
    if request.minutes is not None:  # --minutes N: about N minutes, steps in proportion
        from coach.scaling import scale_routine

        routine = scale_routine(routine, request.minutes * 60)
    for message in [*library.problems, *notes]:
        warn(message)
    options = PlainOptions(
        pre=request.pre,
        post=request.post,
        plan=request.plan,
        pain_post=request.pain_post,
        mute=bool(getattr(args, "mute", False)),
        speed=request.speed,
        interactive=_interactive(sys.stdin),
        trace=os.environ.get("COACH_TRACE_EVENTS", "") not in ("", "0"),
        phases=bool(getattr(args, "phases", False)),
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
    commands: CommandSource | None = None
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
        from coach.voice import voice_level

        voice = voice_level(settings.voice, getattr(args, "voice", None))
        options.phases = options.phases or voice == "breaths"  # the person asked to hear every phase
        player = Player("auto", volume=settings.volume, muted=options.mute or not settings.sound, voice=voice)
        if not player.muted:
            player.prepare()  # build the cues now, not during the first step
        practice = opened.practice(
            routine,
            pre=None if request.preview else options.pre,
            plan=options.plan,
            routine_id=request.info.id,  # PLAN/ID for a plan's own routine
            pain_area=request.pain_area,
            pain_pre=request.pain_pre,
            player=player,
            on_problem=warn,  # the journal cannot be written: said once, the session goes on
            speed=options.speed,
            lead_in=LEAD_IN if settings.lead_in else 0.0,  # "Starting in 3, 2, 1" (a setting)
        )
        if not settings.first_run_seen and loaded.writable:
            try:
                save_settings(settings.with_(first_run_seen=True), paths.settings_file())
            except OSError:
                pass
        if not request.preview:  # `coach run --last` and the app's `r` start it again
            from coach.usual import remember_last

            remember_last(paths.usual_file(), request.info, request.minutes)
        cautions_read = caution_rule(options, request.info, routine, paths.usual_file())
        _utf8_or_replace(sys.stdout)
        commands = _commands(sys.stdin)
        gate.on_suspend.append(commands.suspend)
        gate.on_continue.append(commands.continued)
        gate.before_exit.append(commands.restore)
        gate.install()
        runner = PlainRunner(practice, options, out=sys.stdout, err=sys.stderr, gate=gate, commands=commands,
                             on_cautions_read=cautions_read)  # fmt: skip
        return runner.run(show_disclaimer=not settings.first_run_seen)
    finally:
        try:
            if player is not None:
                player.close(timeout=1.0)
        finally:
            if commands is not None:
                commands.restore()  # the terminal as it was, whatever happened
            gate.restore()
            opened.release()


def caution_rule(
    options: PlainOptions, info: RoutineInfo, routine: Routine, usual_path: Path
) -> Callable[[], None]:
    """The app's caution rule (coach.usual; coach/tui/flow.py `cautions_first`), shared with
    it through the same file: sets `options.cautions_read` when the person read this
    routine's cautions and stop-if lines, as they are now, before (in either shell), and
    `options.show_ref`; returns what remembers them as read. A file that cannot be read or
    written only means the cautions are printed in full again next time."""
    from coach.usual import cautions_hash, read_usual, routine_ref, update_usual

    usual = read_usual(usual_path).usual
    options.cautions_read = not usual.cautions_due(info.id, routine.cautions, routine.stop_if)
    options.show_ref = routine_ref(info)
    digest = cautions_hash(routine.cautions, routine.stop_if)

    def remember() -> None:
        update_usual(usual_path, lambda usual: usual.with_cautions_seen(info.id, digest))

    return remember


def _commands(stream: TextIO | None) -> CommandSource:
    """Where the person's commands come from: single keys on a terminal, lines from a pipe
    or a file, nothing from a closed stdin."""
    from coach.plain_input import LineCommands, TerminalKeys

    try:
        fd = stream.fileno() if stream is not None else -1
    except (ValueError, OSError, AttributeError):
        return NoCommands()
    if fd < 0:
        return NoCommands()
    if _interactive(stream):
        try:
            return TerminalKeys(fd)
        except Exception:  # termios.error (not an OSError): read it as lines then
            pass
    return LineCommands(fd)


def _interactive(stream: TextIO | None) -> bool:
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
