"""The crash journal, the session lock, and the recovery of a crashed session.

One session runs at a time, held by a `SessionLock`: an `flock` on `session.lock` beside
the journal, taken by `coach.start` before anything is asked and held by the process for
the whole session (the kernel releases it when the process dies, however it dies). The
lock file also says who holds it (routine title, start time), so a second session is
refused with a sentence a person understands.

The runner owns one `Journal` per session (`coach.start` builds it):

    journal = Journal(journal_path, on_problem=tell)
    journal.begin(state)                            # before the first step
    journal.update({"steps_done": 3, ...})          # each step, pause, skip, gentler
    store.append(record)    # the session ends; its record carries journal.record_id
    journal.finish()        # only after the append

    journal.abandon()       # the session is dropped on purpose (quit at the pre-rating)

`state` holds `coach.records.STATE_FIELDS`: routine, routine_title, routine_hash, plan,
started_at, planned_seconds, active_seconds, steps_done, steps_total, pre, pauses, skips,
gentler. The journal adds the owner's pid (with its start time and the boot id, so a
reused pid is not taken for the owner), the record id and the time of the last update.

Each write replaces the file atomically (temporary file, fsync, rename), so a reader
sees the old state or the new one, never half of one. A write that fails (a full disk, a
read-only folder) is told once through `on_problem` and the session goes on: its record
is appended at the end from the engine's own state, if the disk allows by then.

If the process dies, `recover_journal` (run under the session lock, so a live session's
journal is never taken for a crash) turns the journal into a record with `post: null`,
`ran_to_end` as kept, `completed` by `coach.session.is_completed` (ran to its end with 80 %
of the planned time plus `extended_seconds`), and `ended_at` the time of the last update
(never before `started_at`); a journal that kept the end (`completed`, `post`, `note`,
`ended_at`: the final append failed) gives exactly the record the session would have
written. `recover_for_reading` is the same for commands that only read: when the
history cannot be written they go on and say so in one line.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING, Any

from coach.errors import CoachError
from coach.files import (
    UnsafePathError,
    error_text,
    fsync_dir,
    open_own,
    read_own_bytes,
    write_private_atomic,
)
from coach.files import remove_stale_temporaries as remove_stale_files
from coach.jsonsource import JSONProblem, parse_json
from coach.paths import ensure_private_dir
from coach.records import (
    OPTIONAL_STATE_FIELDS,
    STATE_FIELDS,
    RecordError,
    SessionRecord,
    new_id,
    record_from_state,
    timestamp,
)

if TYPE_CHECKING:
    from coach.history import HistoryStore

JOURNAL_FORMAT = 1
LOCK_NAME = "session.lock"
# How often, and how far apart, `SessionLock.acquire` looks again before it refuses: a
# watcher holds the lock for microseconds (a Python thread between two calls, so longer on a
# loaded machine); 10 x 20 ms is still "at once" for a person.
_LOCK_RETRIES = 10
_LOCK_RETRY_SECONDS = 0.02


class JournalError(CoachError):
    """A journal that cannot be started (another session runs, or one awaits recovery)."""


@dataclass(frozen=True)
class JournalInfo:
    """A journal file as read back."""

    pid: int
    pid_start: str | None  # the owner's start time (Linux /proc), to detect pid reuse
    boot_id: str | None
    record_id: str
    updated_at: str
    state: dict[str, Any]


class Journal:
    """The crash journal of one running session (see the module docstring for its life)."""

    def __init__(
        self,
        path: Path,
        pid: int | None = None,
        *,
        now: Callable[[], datetime] | None = None,
        on_problem: Callable[[str], None] | None = None,
    ) -> None:
        """`path`: the journal file; `pid`: its owner (this process by default); `now`: the
        wall clock for `updated_at`; `on_problem`: told once, in one sentence, when the
        journal cannot be written (the session goes on without it)."""
        self.path = Path(path)
        self.pid = os.getpid() if pid is None else pid
        self._now = now or (lambda: datetime.now().astimezone())
        self._on_problem = on_problem
        self.record_id = new_id()
        self.state: dict[str, Any] = {}
        self._active = False
        self.problem: str | None = None  # the first write failure, as told

    @property
    def active(self) -> bool:
        """Begun and not yet finished or abandoned."""
        return self._active

    def begin(self, state: dict[str, Any]) -> None:
        """Start the journal of a new session. Raises RecordError if `state` cannot make a
        record (so a runner's mistake shows at once, not after a crash), and JournalError
        if another session's journal is there: one awaiting recovery (call recover_journal
        first), or a live session of a Coach from before the session lock (its pid lives).
        A journal that cannot be written is told, not raised (see `on_problem`)."""
        if self.path.exists():
            try:
                other = read_journal(self.path)
            except FileNotFoundError:
                other = None
            except ValueError:
                raise JournalError(
                    f"{self.path}: an unreadable session journal is in the way; "
                    "run `coach history` to set it aside"
                ) from None
            if other is not None and other.pid != self.pid:
                if owner_alive(other):
                    raise JournalError(
                        f"A session is already running in another window (process {other.pid}); "
                        "finish it first."
                    )
                raise JournalError(
                    "an interrupted session has not been recovered yet; run `coach history` to record it"
                )
        self.state = {}
        self._apply(state)
        self._active = True
        self._save()

    def update(self, state: dict[str, Any]) -> None:
        """Merge the changed fields into the state and replace the journal."""
        if not self._active:
            raise RuntimeError("Journal.update() before begin()")
        self._apply(state)
        self._save()

    def finish(self) -> None:
        """The session's record is in the history: remove the journal."""
        self._remove()

    def abandon(self) -> None:
        """Drop the session without a record (it is thrown away on purpose)."""
        self._remove()

    # --- internals ---------------------------------------------------------------------

    def _apply(self, state: dict[str, Any]) -> None:
        unknown = set(state) - set(STATE_FIELDS) - set(OPTIONAL_STATE_FIELDS)
        if unknown:
            raise RecordError(f"unknown session state fields: {', '.join(sorted(unknown))}")
        merged = {**self.state, **state}
        # Check now that the state makes a valid record: errors surface in the runner.
        ended_at = merged.get("ended_at", merged.get("started_at", ""))
        record_from_state(merged, id=self.record_id, ended_at=ended_at,
                          completed=merged.get("completed", False), post=merged.get("post"),
                          note=merged.get("note", ""))  # fmt: skip
        self.state = merged

    def _save(self) -> None:
        """Write the journal; a failure (ENOSPC, EROFS, EACCES…) is told once and the
        session goes on: the record is appended from the engine's state at the end."""
        try:
            self._write()
        except OSError as exc:
            if self.problem is None:
                self.problem = (
                    f"The session journal cannot be written ({error_text(exc)}); the session "
                    "goes on and is saved to your history at the end if the disk allows."
                )
                if self._on_problem is not None:
                    self._on_problem(self.problem)

    def _write(self) -> None:
        body = {
            "journal": JOURNAL_FORMAT,
            "pid": self.pid,
            "pid_start": process_start(self.pid),
            "boot_id": boot_id(),
            "record_id": self.record_id,
            "updated_at": timestamp(self._now()),
            "state": self.state,
        }
        # One atomic private write (temporary file, fsync, rename); a failure leaves no
        # half journal beside the whole one.
        write_private_atomic(self.path, json.dumps(body, indent=1).encode("utf-8"))

    def _remove(self) -> None:
        if not self._active:
            return
        self._active = False
        try:
            current = read_journal(self.path)
        except (FileNotFoundError, ValueError):
            return
        if current.record_id == self.record_id:  # never remove another session's journal
            try:
                self.path.unlink(missing_ok=True)
            except OSError:
                return  # a read-only folder: recovery finds the record stored and skips it
            fsync_dir(self.path.parent)


# --- reading and liveness -------------------------------------------------------------------


def read_journal(path: Path) -> JournalInfo:
    """Read a journal; raises FileNotFoundError, or ValueError when it is not one."""
    try:
        raw = read_own_bytes(Path(path))  # no link followed, never blocks on a FIFO
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise ValueError(error_text(exc)) from None
    try:
        obj = parse_json(raw, str(path))
    except JSONProblem as exc:
        raise ValueError(f"not JSON at line {exc.line}, column {exc.col}: {exc.reason}") from None
    if not isinstance(obj, dict) or not isinstance(obj.get("state"), dict):
        raise ValueError("not a session journal")
    pid = obj.get("pid")
    record_id = obj.get("record_id")
    updated_at = obj.get("updated_at")
    if type(pid) is not int or not 0 < pid < 2**31:  # pid_t: os.kill overflows beyond it
        raise ValueError("the journal has no valid pid")
    if type(record_id) is not str or not record_id:
        raise ValueError("the journal has no record id")
    if type(updated_at) is not str:
        raise ValueError("the journal has no update time")
    pid_start = obj.get("pid_start")
    boot = obj.get("boot_id")
    return JournalInfo(
        pid=pid,
        pid_start=pid_start if isinstance(pid_start, str) else None,
        boot_id=boot if isinstance(boot, str) else None,
        record_id=record_id,
        updated_at=updated_at,
        state=obj["state"],
    )


def owner_alive(info: JournalInfo) -> bool:
    """Whether the process that wrote the journal still runs. A pid from another boot, a
    pid now held by a process that started at another time, or a zombie is dead."""
    current_boot = boot_id()
    if current_boot and info.boot_id and current_boot != info.boot_id:
        return False
    if info.pid == os.getpid():
        return True
    try:
        os.kill(info.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # someone else's process: it exists
    except OSError:
        return False
    stat = _proc_stat(info.pid)
    if stat is None:
        return True  # no /proc: the pid exists, so leave its journal alone
    state, start = stat
    if state in ("Z", "X"):
        return False
    return not (info.pid_start and start != info.pid_start)


def process_start(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), or None."""
    stat = _proc_stat(pid)
    return None if stat is None else stat[1]


def _proc_stat(pid: int) -> tuple[str, str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may hold spaces: split after it.
    fields = text[text.rfind(")") + 2 :].split()
    if len(fields) < 20:
        return None
    return fields[0], fields[19]  # state (field 3), starttime (field 22)


_BOOT_ID: list[str | None] = []


def boot_id() -> str | None:
    """This boot's id (Linux /proc), read once; None where the system has none. With
    a pid's start time it tells a live owner from a reused pid after a reboot."""
    if not _BOOT_ID:
        try:
            _BOOT_ID.append(Path("/proc/sys/kernel/random/boot_id").read_text().strip() or None)
        except OSError:
            _BOOT_ID.append(None)
    return _BOOT_ID[0]


def remove_stale_temporaries(path: Path) -> None:
    """Remove temporary files left in the journal's folder by processes that died
    mid-write (`coach.files.remove_stale_temporaries`)."""
    remove_stale_files(Path(path).parent)


# --- the session lock -----------------------------------------------------------------------


class SessionRunning(CoachError):
    """Another process holds the session lock: a session is running."""


def lock_path_for(journal_path: Path) -> Path:
    """The session lock lives beside the journal it guards (both in the data folder)."""
    return Path(journal_path).with_name(LOCK_NAME)


class SessionLock:
    """An exclusive `flock` on the lock file, held by this process until `release` or
    its death (the kernel drops the lock then: a SIGKILL leaves nothing stale).

    The lock, not the file, is the truth: the file stays; while held it holds JSON naming
    the holder (pid, routine title, start time) for the refusal sentence.
    """

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    @property
    def held(self) -> bool:
        """True until `release` (the process's death releases it too, without saying)."""
        return self._fd is not None

    @classmethod
    def acquire(cls, path: Path, *, title: str, started: datetime) -> SessionLock:
        """Take the lock for a session of `title` starting at `started`, or raise
        SessionRunning at once (never waits) with a sentence naming the other session.
        Raises CoachError when the lock file is not a regular file of this user."""
        lock = cls.try_acquire(path)
        for _ in range(_LOCK_RETRIES):
            if lock is not None:
                break
            # A watcher (`coach.session_watch`, `coach remind`) holds the lock shared for a
            # few microseconds as a session ends: look again briefly before refusing.
            time.sleep(_LOCK_RETRY_SECONDS)
            lock = cls.try_acquire(path)
        if lock is None:
            raise SessionRunning(_refusal(path))
        lock._describe(title, started)
        return lock

    @classmethod
    def try_acquire(cls, path: Path) -> SessionLock | None:
        """The lock, or None when another process holds it (a session is running)."""
        path = Path(path)
        fd = _open_lock_file(path)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                return None
            raise CoachError(f"{path}: cannot lock the session ({exc.strerror})") from None
        return cls(path, fd)

    def _describe(self, title: str, started: datetime) -> None:
        if self._fd is None:
            return
        body = json.dumps({"pid": os.getpid(), "routine_title": title,
                           "started_at": timestamp(started)}).encode("utf-8")  # fmt: skip
        try:
            os.ftruncate(self._fd, 0)
            os.pwrite(self._fd, body, 0)
        except OSError:
            pass  # a full disk: the lock still holds; the refusal is then less specific

    def release(self) -> None:
        """Let another session start. Safe to call twice."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            os.ftruncate(fd, 0)  # no stale "who" for the next reader
        except OSError:
            pass
        os.close(fd)  # closing drops the flock

    def __enter__(self) -> SessionLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _open_lock_file(path: Path) -> int:
    """The lock file, created 0600 in a 0700 folder; never through a link, never a FIFO or
    another user's file (`coach.files.open_own`). Raises CoachError naming the problem."""
    try:
        ensure_private_dir(path.parent)
        return open_own(path, os.O_RDWR | os.O_CREAT)
    except UnsafePathError as exc:
        raise CoachError(exc.message) from None
    except OSError as exc:
        raise CoachError(f"{path}: cannot take the session lock ({error_text(exc)})") from None


def _refusal(path: Path) -> str:
    """The sentence for a refused session, from what the holder wrote in the lock file.
    The holder writes it just after taking the lock: a reader that comes in between waits
    up to 1 s for it (a holder descheduled on a loaded machine), then says less."""
    holder: dict[str, Any] | None = None
    for _ in range(50):
        holder = _read_holder(path)
        if holder is not None:
            break
        time.sleep(0.02)
    if holder is None:
        return "A session is already running in another window."
    title = _printable(str(holder.get("routine_title") or "a routine"))
    when = _clock_time(holder.get("started_at"))
    started = f", started {when}" if when else ""
    return f"A session is already running: {title}{started}, in another window."


def running_session(path: Path) -> dict[str, Any] | None:
    """Who holds the session lock at `path` (pid, routine_title, started_at), or None when
    no live process says it does. Reads what the holder wrote; never takes the lock.
    (`coach.session_watch` does take it, shared, for an instant when a session ends;
    `SessionLock.acquire` looks again briefly rather than refuse a session for that.)"""
    return _read_holder(Path(path))


def _read_holder(path: Path) -> dict[str, Any] | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not S_ISREG(os.fstat(fd).st_mode):
            return None
        raw = os.pread(fd, 4096, 0)
    except OSError:
        return None
    finally:
        os.close(fd)
    try:
        obj = parse_json(raw, str(path))
    except JSONProblem:
        return None
    if not isinstance(obj, dict) or type(obj.get("pid")) is not int or not 0 < obj["pid"] < 2**31:
        return None
    try:  # a holder killed before it could clear the file left its words: not this one's
        os.kill(obj["pid"], 0)
    except ProcessLookupError:
        return None
    except OSError:
        pass
    return obj


def _clock_time(text: object) -> str | None:
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text).astimezone()
    except ValueError:
        return None
    if moment.date() == datetime.now().astimezone().date():
        return moment.strftime("%H:%M")
    return moment.strftime("%Y-%m-%d %H:%M")


def _printable(text: str, limit: int = 80) -> str:
    """A title from a file reaches the terminal without acting on it (coach.text.visible)."""
    from coach.text import visible

    safe = visible(text)
    return safe if len(safe) <= limit else safe[: limit - 1] + "…"


# --- crash recovery -------------------------------------------------------------------------


def recover_journal(
    store: HistoryStore,
    journal_path: Path,
    *,
    on_problem: Callable[[str], None] | None = None,
    lock: SessionLock | None = None,
) -> SessionRecord | None:
    """Turn the journal of a session whose process died into a record (post null, its
    pre-rating and steps done; completed only if it had run to its end) appended to
    `store`, and remove the journal. Returns the record appended, or None when there is
    no journal, a session is running (the session lock is held elsewhere, or a Coach from
    before the lock still runs), or the record is already stored (the process died
    between the append and removing the journal).

    Runs only under the session lock: `lock` when the caller holds it (`coach.start`),
    else it is taken here without waiting and released at the end. A journal that
    cannot be read is moved aside to `<name>.corrupt` (nothing is deleted) and
    `on_problem` is told. Raises CoachError or OSError when the history cannot be
    written: the journal then stays for the next try.
    """
    journal_path = Path(journal_path)
    remove_stale_temporaries(journal_path)
    if not journal_path.exists():
        return None
    own = lock is None
    if lock is None:
        lock = SessionLock.try_acquire(lock_path_for(journal_path))
        if lock is None:
            return None  # a session is running: its journal is its own, not a crash
    try:
        try:
            info = read_journal(journal_path)
        except FileNotFoundError:
            return None  # another coach process recovered it meanwhile
        except ValueError as exc:
            _set_aside(journal_path, f"cannot read the session journal ({exc})", on_problem)
            return None
        # A live owner is a Coach from before the session lock, still running. Under the
        # caller's lock, a journal of this very process is one its last session left (its
        # record could not be written then), since no other session of ours is running.
        if (own or info.pid != os.getpid()) and owner_alive(info):
            return None
        try:
            record = _record_from_journal(info)
        except RecordError as exc:
            _set_aside(journal_path, f"cannot recover the session journal ({exc})", on_problem)
            return None
        appended = store.append_if_absent(record)
        # else: the session was stored but its process died before removing the journal
        journal_path.unlink(missing_ok=True)
        fsync_dir(journal_path.parent)
        return record if appended else None
    finally:
        if own:
            lock.release()


def recover_for_reading(
    store: HistoryStore, journal_path: Path, warn: Callable[[str], None]
) -> SessionRecord | None:
    """`recover_journal` for commands that only read (history, stats, due, status): when
    the history cannot be written (a full disk, a read-only file, another owner's file)
    they go on with what is there, and `warn` gets one line saying so."""
    try:
        return recover_journal(store, journal_path, on_problem=warn)
    except (CoachError, OSError) as exc:
        reason = exc.message if isinstance(exc, CoachError) else (exc.strerror or str(exc))
        warn(f"an interrupted session could not be saved to the history yet ({reason}); "
             "it is kept and saved when the history can be written")  # fmt: skip
        return None


def _record_from_journal(info: JournalInfo) -> SessionRecord:
    from coach.session import is_completed

    state = info.state
    ran_to_end = state.get("ran_to_end") is True
    names = ("active_seconds", "planned_seconds", "extended_seconds")
    active, planned, extended = (state.get(name, 0.0) for name in names)
    numbers = all(type(v) in (int, float) and 0 <= v < float("inf") for v in (active, planned, extended))
    ended_at = info.updated_at
    try:  # a wall clock set back during the session must not end it before it began
        if datetime.fromisoformat(ended_at) < datetime.fromisoformat(state.get("started_at", "")):
            ended_at = state["started_at"]
    except (TypeError, ValueError):
        pass  # record_from_state names the bad time
    if "completed" in state:  # the session's own end, kept just before its append failed
        return record_from_state(
            state,
            id=info.record_id,
            ended_at=state.get("ended_at", ended_at),
            completed=state["completed"],
            ran_to_end=ran_to_end,
            post=state.get("post"),
            note=state.get("note", ""),
        )
    return record_from_state(
        state,
        id=info.record_id,
        ended_at=ended_at,
        completed=numbers and is_completed(ran_to_end, active, planned + extended),
        ran_to_end=ran_to_end,
        post=None,
    )


def recovered_sentence(record: SessionRecord) -> str:
    """The one sentence every shell says about a session saved from a journal, with the
    outcome word of coach.rating.outcome: "An interrupted session of Box breathing
    (2026-11-26T09:12:03+01:00) was saved to your history as partly done." The title is
    as stored: the caller makes it visible (coach.text)."""
    from coach.rating import outcome

    title = record.routine_title or record.routine
    return (
        f"An interrupted session of {title} ({record.started_at}) was saved to your history "
        f"as {outcome(record)}."
    )


def _set_aside(path: Path, message: str, on_problem: Callable[[str], None] | None) -> None:
    target = path.with_name(path.name + ".corrupt")
    try:
        os.replace(path, target)
    except OSError:
        target = path
    if on_problem is not None:
        on_problem(f"{message}; kept as {target}")
