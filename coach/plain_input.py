"""What a person types during a plain session (`coach run --plain`), from a terminal or a pipe.

Three sources, one shape (`wait`, `read_line`, `keys_mode`):

- `TerminalKeys`: stdin is a terminal. During the session it is in cbreak mode (no echo, no
  Enter needed: the app's single keys, `ACTIONS`); ratings and the note are read as lines
  with the terminal's own mode. The saved mode is put back on every way out: the end of
  `keys_mode` (normal end, errors, Stop), a second Ctrl+C (`restore`, called before
  `os._exit`), Ctrl+Z (`suspend`, then cbreak again on SIGCONT: `continued`).
- `LineCommands`: stdin is a pipe or a file: one command a line (`p`, `s`, `b`, `+`, `g`,
  `t`, `m`, `q`, or the words), and a line for the note. End of input is noted, never an
  error.
- `NoCommands`: nothing to read (tests, a closed stdin): waits are plain sleeps.

`wait(seconds)` returns the next token as soon as one arrives, or None after `seconds`
(real seconds). A stopping signal's handler raises out of it (coach.plain.SignalGate).
No Textual here: the keys mirror coach/tui/keys.py PLAYER_KEYS (a test holds them equal).
"""

from __future__ import annotations

import codecs
import os
import select
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

# A token (a key on a terminal, a line from a pipe, lower-cased) → what it does. The single
# keys are the app's (coach/tui/keys.py PLAYER_KEYS), plus `p` (a line from a pipe has no
# Space) and `t` (too much). "\n" is Enter; "" an empty line.
ACTIONS: dict[str, str] = {
    " ": "pause", "p": "pause", "pause": "pause", "resume": "pause",
    "s": "skip", "skip": "skip",
    "b": "back", "back": "back",
    "+": "extend", "=": "extend", "more": "extend",
    "g": "gentler", "gentler": "gentler",
    "t": "too_much", "too much": "too_much",
    "m": "mute", "mute": "mute",
    "q": "quit", "\x1b": "quit", "quit": "quit",
    "?": "help", "h": "help", "help": "help",
    "\n": "where", "": "where",
}  # fmt: skip

KEYS_HELP = (
    "Keys: Space pause or go on, s skip, b back, + 30 seconds more, g gentler, t too much, "
    "m sound on or off, q quit, Enter where you are, ? these keys."
)
LINES_HELP = (
    "Commands, one a line: p pause or go on, s skip, b back, + 30 seconds more, g gentler, "
    "t too much, m sound on or off, q quit, an empty line where you are."
)


class CommandSource(Protocol):
    """What the plain runner reads the person's commands and answers from (see the module
    docstring); `NoCommands`, `LineCommands` and `TerminalKeys` are the three."""

    keys: bool  # single keys from a terminal (True), or lines
    help: str | None  # the line that lists the commands, or None without input
    go_on: str  # the key or line that ends a pause, as the pause line names it

    @property
    def ended(self) -> bool: ...
    def probe(self) -> None: ...
    def wait(self, seconds: float) -> str | None: ...
    def read_line(self) -> str: ...
    def keys_mode(self) -> AbstractContextManager[None]: ...
    def suspend(self) -> None: ...
    def continued(self) -> None: ...
    def restore(self) -> None: ...


class NoCommands:
    """No input: `wait` sleeps, `read_line` finds the end at once."""

    keys = False  # single keys (a terminal), not lines
    help: str | None = None
    go_on = "p"  # the key or line that ends a pause, as the pause line names it

    def __init__(self, sleep: Callable[[float], None] = time.sleep) -> None:
        self._sleep = sleep

    @property
    def ended(self) -> bool:
        """Nothing more will come (end of input)."""
        return True

    def probe(self) -> None:
        """Read what is already there without waiting (finds an empty input's end)."""

    def wait(self, seconds: float) -> str | None:
        """Sleep `seconds` (real); never a token."""
        if seconds > 0:
            self._sleep(seconds)
        return None

    def read_line(self) -> str:
        """A line (without its line feed). Raises EOFError at the end of input."""
        raise EOFError

    @contextmanager
    def keys_mode(self) -> Iterator[None]:
        """While inside, single keys are read (a terminal); nothing to do here."""
        yield

    def suspend(self) -> None:
        """Ctrl+Z: give the terminal back before the process stops."""

    def continued(self) -> None:
        """After SIGCONT: take the terminal again if the session has it."""

    def restore(self) -> None:
        """Give the terminal back now (before an exit that skips clean-up)."""


def _token(line: str) -> str:
    """A command line as a token: "  Too   Much\r" → "too much"."""
    return " ".join(line.split()).lower()


class LineCommands(NoCommands):
    """Commands one a line from a pipe or a file (file descriptor `fd`)."""

    help = LINES_HELP

    def __init__(self, fd: int, sleep: Callable[[float], None] = time.sleep) -> None:
        super().__init__(sleep)
        self.fd = fd
        self._buffer = ""
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._eof = False

    @property
    def ended(self) -> bool:
        return self._eof and not self._buffer

    def probe(self) -> None:
        self._fill(0.0)

    def _fill(self, timeout: float | None) -> bool:
        """Read what arrives within `timeout` seconds (None: until something does); False
        when nothing came."""
        if self._eof:
            return False
        try:
            ready, _, _ = select.select([self.fd], [], [], timeout)
            if not ready:
                return False
            data = os.read(self.fd, 65536)
        except OSError:  # a closed or broken input is an end, not an error
            data = b""
        if not data:
            self._eof = True
            self._buffer += self._decoder.decode(b"", final=True)
        else:
            self._buffer += self._decoder.decode(data)
        return True

    def _take(self) -> str | None:
        if "\n" in self._buffer:
            line, self._buffer = self._buffer.split("\n", 1)
            return line
        if self._eof and self._buffer:  # a last line without its line feed
            line, self._buffer = self._buffer, ""
            return line
        return None

    def wait(self, seconds: float) -> str | None:
        deadline = time.monotonic() + seconds
        while True:
            line = self._take()
            if line is not None:
                return _token(line)
            left = deadline - time.monotonic()
            if self._eof:
                return super().wait(left)
            if not self._fill(max(0.0, left)) and left <= 0:
                return None

    def read_line(self) -> str:
        while True:
            line = self._take()
            if line is not None:
                return line.rstrip("\r")
            if self._eof:
                raise EOFError
            self._fill(None)


class TerminalKeys(NoCommands):
    """Single keys from the terminal on `fd` during the session (cbreak: no echo, no Enter),
    lines with the terminal's own mode for the questions. Raises termios.error (an OSError
    on some systems) when `fd` is not a terminal."""

    keys = True
    help = KEYS_HELP
    go_on = "Space or Enter"

    def __init__(self, fd: int, sleep: Callable[[float], None] = time.sleep) -> None:
        import termios

        super().__init__(sleep)
        self.fd = fd
        self._saved = termios.tcgetattr(fd)
        self._keys_on = False  # the session holds the terminal in cbreak mode
        self._pending: list[str] = []
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._hung_up = False

    @property
    def ended(self) -> bool:
        return self._hung_up

    def _cbreak(self) -> None:
        import termios

        mode = termios.tcgetattr(self.fd)
        mode[3] &= ~(termios.ECHO | termios.ICANON)  # lflag: no echo, a key at a time
        mode[6][termios.VMIN] = 1
        mode[6][termios.VTIME] = 0
        termios.tcsetattr(self.fd, termios.TCSANOW, mode)

    def _put_back(self, when: str = "TCSANOW") -> None:
        import termios

        try:
            termios.tcsetattr(self.fd, getattr(termios, when), self._saved)
        except (termios.error, OSError):  # the terminal went away (SIGHUP)
            pass

    @contextmanager
    def keys_mode(self) -> Iterator[None]:
        self._keys_on = True
        try:
            self._cbreak()
            yield
        finally:
            self._keys_on = False
            self._pending.clear()
            # TCSAFLUSH: keys typed ahead are dropped, not taken for the next question.
            self._put_back("TCSAFLUSH")

    def suspend(self) -> None:
        if self._keys_on:
            self._put_back()

    def continued(self) -> None:
        if self._keys_on:
            import termios

            try:
                self._cbreak()
            except (termios.error, OSError):
                pass

    def restore(self) -> None:
        self._put_back()

    def wait(self, seconds: float) -> str | None:
        if self._pending:
            return self._pending.pop(0)
        if self._hung_up:
            return super().wait(seconds)
        try:
            ready, _, _ = select.select([self.fd], [], [], max(0.0, seconds))
            if not ready:
                return None
            data = os.read(self.fd, 256)
        except OSError:
            data = b""
        if not data:  # the terminal hung up
            self._hung_up = True
            return None
        self._pending = split_keys(self._decoder.decode(data))
        return self._pending.pop(0) if self._pending else None

    def read_line(self) -> str:
        """A line in the terminal's own mode (echo, line editing by the terminal)."""
        was_on = self._keys_on
        if was_on:
            self._put_back()
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            data = b""
        finally:
            if was_on:
                self.continued()
        if not data:
            raise EOFError
        return data.decode("utf-8", errors="replace").rstrip("\r\n")


def split_keys(text: str) -> list[str]:
    """Keys read in cbreak mode as tokens: letters lower-cased, "\r" as "\n", and the escape
    sequences of arrow and function keys dropped (a lone Escape stays "\x1b")."""
    tokens: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\x1b" and i + 1 < len(text) and text[i + 1] in "[O":
            j = i + 2
            if text[i + 1] == "[":  # CSI: parameters, then one final byte @..~
                while j < len(text) and not "@" <= text[j] <= "~":
                    j += 1
            i = j + 1
            continue
        tokens.append("\n" if char == "\r" else char.lower())
        i += 1
    return tokens
