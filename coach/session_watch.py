"""Wake a `select` when the session lock is let go: how `coach remind` waits out a session.

While a break is due and a session runs, the reminder has nothing to do until that session
ends (DESIGN.md, Reminders: it "wakes only when something is due (no polling loop)"). The
session lock (`coach.journal.SessionLock`, an exclusive `flock` on `session.lock`) is held
for exactly the session, and the kernel lets it go however the session ends. So:

    watch = SessionWatch()
    selector.register(watch.fileno(), selectors.EVENT_READ)
    watch.watch(lock_path)    # a daemon thread blocks on a shared flock of the lock file
    ...                       # select() returns when the lock is let go
    watch.drain()

The thread takes the shared lock only to learn that the exclusive one is gone, and lets it
go at once (before it even writes its byte): a session that starts in those microseconds
would be refused as if one ran, a window no person can hit. While it waits it uses no CPU
(the thread sleeps in the kernel). A self-pipe carries the wake-up to the `select`, as
signal handlers do (the thread cannot interrupt a `select` otherwise).
"""

from __future__ import annotations

import fcntl
import os
import stat
import threading
from contextlib import suppress
from pathlib import Path


class SessionWatch:
    """One self-pipe and at most one waiting thread. `fileno()` is readable once the
    session lock watched by `watch` was let go."""

    def __init__(self) -> None:
        self._read, self._write = os.pipe()  # not inherited by a child (PEP 446)
        os.set_blocking(self._read, False)
        os.set_blocking(self._write, False)
        self._waiting = False  # a thread waits: set before it starts, cleared before it wakes
        self._guard = threading.Lock()  # `close` and a waking thread: the write end closed once
        self._closed = False

    def fileno(self) -> int:
        """The pipe's reading end, to register with a selector."""
        return self._read

    @property
    def watching(self) -> bool:
        """Whether a thread still waits for the lock to be let go."""
        return self._waiting

    def watch(self, lock_path: Path) -> bool:
        """Wait (in a daemon thread) for the `flock` on `lock_path` to be let go, then make
        `fileno()` readable. Returns False when the file cannot be opened or is not a regular
        file (the caller then looks again later by its clock). A second call while a thread
        waits does nothing and returns True."""
        if self.watching:
            return True
        try:
            fd = os.open(lock_path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            return False
        try:
            regular = stat.S_ISREG(os.fstat(fd).st_mode)  # a FIFO or a folder: nothing to wait on
        except OSError:
            regular = False
        if not regular:
            os.close(fd)
            return False
        self._waiting = True
        threading.Thread(target=self._wait, args=(fd,), name="session-watch", daemon=True).start()
        return True

    def _wait(self, fd: int) -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)  # blocks while a session holds it exclusively
            fcntl.flock(fd, fcntl.LOCK_UN)  # at once: never keep a session from starting
        except OSError:
            pass  # the lock cannot be taken here: wake the loop, it looks again
        finally:
            os.close(fd)
            self._waiting = False  # before the byte: the woken loop may watch a new session
            self.wake()

    def wake(self) -> None:
        """Make `fileno()` readable (a full pipe is already readable); nothing once closed."""
        with self._guard:
            if not self._closed:
                with suppress(BlockingIOError, OSError):
                    os.write(self._write, b"\0")

    def drain(self) -> None:
        """Read what the pipe holds, so the next `select` waits again."""
        with suppress(BlockingIOError, OSError):
            while os.read(self._read, 512):
                pass

    def close(self) -> None:
        """Close the pipe. A thread still waiting then wakes nothing (it dies with the
        process: a daemon)."""
        with self._guard:
            if self._closed:
                return
            self._closed = True
            for fd in (self._read, self._write):
                with suppress(OSError):
                    os.close(fd)
