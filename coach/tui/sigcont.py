"""SIGCONT after a stop the app did not make itself (`kill -STOP` then `kill -CONT`, a
debugger, a frozen VM): keep the terminal as it is, and do not start a second reader.

Textual 8.2.8's LinuxDriver restarts application mode on every SIGCONT, as if it came back
from its own Ctrl+Z (which stops application mode first). After a stop from outside,
application mode never stopped, so the restart starts a second keyboard thread beside the
first. At exit only the newer one is stopped and joined; the older one (not a daemon) goes
on reading the keyboard and keeps the process alive until the next key: the summary's Enter
left a blank screen, and a second Enter was needed (issue 14).

The guard keeps Textual's restart for its own Ctrl+Z (the driver marks it with
`_must_signal_resume` before it stops the process) and for `App.suspend` (no automatic
restart then: Textual's handler does nothing). After any other stop, the keyboard thread is
the one that ran before; the terminal's modes are set again (a shell may have reset them
while the process was stopped) and the screen is painted again on the event loop. The time
the program did not run is the engine's business (coach.session: time away).
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Callable
from types import FrameType
from typing import Any


def guard_sigcont(driver: Any, repaint: Callable[[], None]) -> bool:
    """Wrap `driver`'s SIGCONT handler (a textual LinuxDriver) as the module says. Call
    from the event loop's thread (the main thread: signal handlers are set there) once the
    driver runs. `repaint`: called on the event loop after a stop from outside. Returns
    False, changing nothing, when the handler in place is not the driver's (another driver,
    Windows, a headless app, a Textual whose driver works otherwise)."""
    restart = getattr(driver, "_sigcont_application", None)
    if restart is None or not hasattr(driver, "_must_signal_resume") or not hasattr(driver, "_auto_restart"):
        return False
    try:
        if signal.getsignal(signal.SIGCONT) != restart:
            return False
        loop = asyncio.get_running_loop()
    except (AttributeError, ValueError, RuntimeError):
        return False
    fileno: int | None = getattr(driver, "fileno", None)
    modes = _modes(fileno)

    def on_sigcont(signum: int, frame: FrameType | None) -> None:
        if driver._must_signal_resume or not driver._auto_restart:
            restart(signum, frame)  # back from the app's own Ctrl+Z, or inside App.suspend
            return
        reader = getattr(driver, "_key_thread", None)
        if reader is None or not reader.is_alive() or loop.is_closed():
            return  # application mode is over: the terminal is the shell's again
        _set_modes(fileno, modes)
        try:
            loop.call_soon_threadsafe(_quietly, repaint)
        except RuntimeError:  # the loop is closed: the app has ended, nothing to paint
            pass

    signal.signal(signal.SIGCONT, on_sigcont)
    return True


def _quietly(repaint: Callable[[], None]) -> None:
    """A repaint that fails (the app on its way out) is no reason to fail anything else."""
    try:
        repaint()
    except Exception:
        pass


def _modes(fileno: int | None) -> list[Any] | None:
    """The terminal's modes now (the app's, raw), or None when it is not a terminal."""
    if fileno is None or not os.isatty(fileno):
        return None
    import termios  # POSIX only, like the driver this guards

    try:
        return termios.tcgetattr(fileno)
    except termios.error:
        return None


def _set_modes(fileno: int | None, modes: list[Any] | None) -> None:
    """Set the app's terminal modes again. Continued in the background, the terminal is the
    shell's: the default SIGTTOU stops the process again (as Textual's own restart does),
    and the `fg` that follows sends SIGCONT anew."""
    if fileno is None or modes is None:
        return
    import termios

    try:
        termios.tcsetattr(fileno, termios.TCSANOW, modes)
    except termios.error:
        pass
