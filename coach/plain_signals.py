"""The plain runner's output and signals: whole lines that survive a closed terminal
(`Lines`), and one orderly stop for Ctrl+C, SIGTERM and SIGHUP, a wake-up for SIGCONT and a
clean suspend for Ctrl+Z (`SignalGate`). No Textual; used by coach/plain.py."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any, TextIO, TypeVar

from coach.text import visible_lines

T = TypeVar("T")

EXIT_FOR_SIGNAL = {signal.SIGINT: 130, signal.SIGTERM: 143, signal.SIGHUP: 129}


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
    """Turns SIGINT, SIGTERM and SIGHUP into one orderly stop, SIGCONT into a wake-up, and
    SIGTSTP (Ctrl+Z) into: give the terminal back, stop, take it again on SIGCONT.

    The handler raises Stop only while the runner waits (in `sleep`, `wait` or `ask`), so a
    stop never lands halfway through a journal write; otherwise the runner sees `received`
    at its next check. A second Ctrl+C exits at once (after `before_exit`: the terminal is
    given back). SIGCONT (after Ctrl+Z and `fg`, or SIGSTOP) ends a wait at once, so the
    runner sees the time away now, not at the next planned event.

    Hooks (the terminal's, coach.plain_input): `on_suspend` runs before the process stops
    for Ctrl+Z, `on_continue` first thing on SIGCONT, `before_exit` before `os._exit`.
    """

    def __init__(self, sleep: Callable[[float], None] = time.sleep) -> None:
        self.received: int | None = None
        self.continued = 0  # SIGCONTs received
        self._waiting = False
        self._sleeping = False
        self._sleep = sleep
        self._previous: dict[int, Any] = {}
        self._reprompt: Callable[[], None] | None = None
        self.on_suspend: list[Callable[[], None]] = []
        self.on_continue: list[Callable[[], None]] = []
        self.before_exit: list[Callable[[], None]] = []

    def _run(self, hooks: list[Callable[[], None]]) -> None:
        for hook in hooks:
            try:
                hook()
            except Exception:  # a terminal that went away must not stop the rest
                pass

    def handle_continue(self, _signum: int, _frame: FrameType | None) -> None:
        """SIGCONT: take the terminal again (`on_continue`), count it, and cut a wait short
        so the time away is seen at once. At a prompt (`asking`), show the prompt again:
        after Ctrl+Z and `fg` the read goes on, but the shell's "Stopped" line has pushed
        the prompt out of sight."""
        self._run(self.on_continue)
        self.continued += 1
        if self._sleeping:
            raise _Woken
        if self._reprompt is not None:
            self._reprompt()

    def handle_suspend(self, signum: int, _frame: FrameType | None) -> None:
        """SIGTSTP (Ctrl+Z): give the terminal back (`on_suspend`), then stop as the default
        action would; SIGCONT goes on from here (`handle_continue` runs then)."""
        self._run(self.on_suspend)
        try:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)  # stops here until SIGCONT
        finally:
            signal.signal(signum, self.handle_suspend)
            # An orphaned process group does not stop (POSIX): take the terminal again.
            self._run(self.on_continue)

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
        waiting; a second SIGINT exits the process with 130 without cleaning up (but gives
        the terminal back first: `before_exit`)."""
        if self.received is not None:
            if signum == signal.SIGINT:
                self._run(self.before_exit)
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

    def wait(self, seconds: float, waiter: Callable[[float], T]) -> tuple[T | None, bool]:
        """`waiter(seconds)` (a sleep, or a wait for the person's next command) as a wait:
        a stopping signal raises Stop; a SIGCONT cuts it short. Returns (the waiter's
        answer, True), or (None, False) when SIGCONT cut it short."""
        with self.waiting():
            self._sleeping = True
            try:
                return waiter(max(0.0, seconds)), True
            except _Woken:
                return None, False
            finally:
                self._sleeping = False

    def sleep(self, seconds: float) -> bool:
        """Sleep `seconds` (real); False when SIGCONT cut it short. Raises Stop."""
        if seconds <= 0:
            with self.waiting():
                return True
        return self.wait(seconds, self._sleep)[1]

    def install(self) -> None:
        """Take over the signals of EXIT_FOR_SIGNAL, SIGCONT and SIGTSTP (only the main
        thread can; SIGTSTP only when something has to be done before a stop)."""
        for signum in EXIT_FOR_SIGNAL:
            try:
                self._previous[signum] = signal.signal(signum, self.handle)
            except (ValueError, OSError):  # not the main thread, or no such signal
                pass
        try:
            self._previous[signal.SIGCONT] = signal.signal(signal.SIGCONT, self.handle_continue)
            if self.on_suspend:
                self._previous[signal.SIGTSTP] = signal.signal(signal.SIGTSTP, self.handle_suspend)
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
