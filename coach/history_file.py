"""The history file at the level of bytes and locks, shared by the store (coach.history)
and the index (coach.index), which both read it and must not import each other:

- `open_shared`: the file open for reading under a shared `flock`;
- `lock`: waiting for an `flock`, one sentence when the file system has none;
- `BlockReader`: the parser of blocks of whole lines;
- `no_gc`: the cyclic garbage collector paused while many records are built.

No Textual, no pydantic.
"""

from __future__ import annotations

import fcntl
import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from coach.errors import CoachError
from coach.files import UnsafePathError, error_text, open_own

if TYPE_CHECKING:  # the parser is imported where lines are parsed: see _parse_text
    from coach.records import LineProblem, SessionRecord

# The longest line of the history that is read (16 MiB). A session writes a few KB (its
# note is limited); a longer line was written by hand: an import refuses it, and readers
# report it and skip it without holding it in memory.
MAX_LINE_BYTES = 16 << 20
TOO_LONG = f"longer than {MAX_LINE_BYTES >> 20} MiB; skipped (no session writes a line that long)"


def lock(fd: int, operation: int) -> None:
    """Wait for the lock (a signal's EINTR is retried). A file system without locks (some
    network mounts: ENOLCK) is one sentence, not a traceback: raises CoachError."""
    while True:
        try:
            fcntl.flock(fd, operation)
            return
        except InterruptedError:
            continue
        except OSError as exc:
            raise CoachError(f"cannot lock the history file ({error_text(exc)})") from None


@contextmanager
def open_shared(path: Path) -> Iterator[int | None]:
    """The history file at `path` open for reading under a shared lock (appends and `clear`
    wait until it is left); None when there is no file. Raises CoachError (one sentence)
    when the file cannot be opened: not a regular file, a link, unreadable."""
    try:
        fd = open_own(path, os.O_RDONLY)
    except FileNotFoundError:
        yield None
        return
    except UnsafePathError as exc:
        raise CoachError(exc.message) from None
    except OSError as exc:
        raise CoachError(f"{path}: cannot read the history ({error_text(exc)})") from None
    try:
        lock(fd, fcntl.LOCK_SH)
        yield fd
    finally:
        os.close(fd)


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector. Records hold no cycles; the collector walking
    100,000 new objects again and again measured a 60 % slowdown of a full read."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class BlockReader:
    """Decodes each block once and parses it (`parse_block`, or `parse_block_texts` for
    exports); a block that is not valid UTF-8 is parsed line by line so that only its bad
    lines are lost. `seen` maps each valid record's id to its line number (coach.index
    reads the line of each record from it)."""

    def __init__(self, *, texts: bool) -> None:
        self.records: list[SessionRecord] = []
        self.rows: list[tuple[str, str, str]] = []
        self.problems: list[LineProblem] = []
        self.seen: dict[str, int] = {}
        self.shared: dict[str, str] = {}
        self.texts = texts

    def parse(self, data: bytes, line_no: int) -> int:
        """Parse whole lines (bytes ending with a newline); returns the next line number."""
        try:
            return self._parse_text(data.decode("utf-8"), line_no)
        except UnicodeDecodeError:
            pass
        for line in data.split(b"\n")[:-1]:
            try:
                text = line.decode("utf-8") + "\n"
            except UnicodeDecodeError:
                self.problems.append((line_no, "not UTF-8 text"))
                line_no += 1
                continue
            line_no = self._parse_text(text, line_no)
        return line_no

    def _parse_text(self, text: str, line_no: int) -> int:
        # Imported here: a reader of an up-to-date index parses nothing and need not
        # load the parser (its regexes and dataclasses cost a few ms at every start).
        from coach.records import parse_block, parse_block_texts

        if self.texts:
            return parse_block_texts(text, line_no, self.rows, self.problems, self.seen)
        return parse_block(text, line_no, self.records, self.problems, self.seen, self.shared)
