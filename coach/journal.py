"""The crash journal: the state of the session in progress, so a crash loses nothing.

The runner (plain or TUI) owns one `Journal` per session:

    recover_journal(store, journal_path)            # coach.history; first, as every command
    journal = Journal(journal_path)
    journal.begin(state)                            # before the first step
    journal.update({"steps_done": 3, ...})          # each step, pause, skip, gentler
    store.append(journal.to_record(completed=True, post=3, note=""))   # the session ends
    journal.finish()                                # only after the append

    journal.abandon()    # the session is dropped on purpose (quit at the pre-rating)
    journal.interrupt(store)   # SIGTERM/SIGHUP: record it as not completed now, and remove

`state` holds `coach.records.STATE_FIELDS`: routine, routine_title, routine_hash, plan,
started_at, planned_seconds, active_seconds, steps_done, steps_total, pre, pauses, skips,
gentler. The journal adds the owner's pid (with its start time and the boot id, so a
reused pid is not taken for the owner), the record id and the time of the last update.

Each write replaces the file atomically (temporary file, fsync, rename), so a reader
sees the old state or the new one, never half of one. If the process dies,
`coach.history.recover_journal` turns the journal into a record with `completed: false`
(true if it had `ran_to_end`) and `post: null`, whose `ended_at` is the time of the last update.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.errors import CoachError
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
    def __init__(
        self,
        path: Path,
        pid: int | None = None,
        *,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.path = Path(path)
        self.pid = os.getpid() if pid is None else pid
        self._now = now or (lambda: datetime.now().astimezone())
        self.record_id = new_id()
        self.state: dict[str, Any] = {}
        self._active = False

    @property
    def active(self) -> bool:
        return self._active

    def begin(self, state: dict[str, Any]) -> None:
        """Start the journal of a new session. Raises RecordError if `state` cannot make a
        record (so a runner's mistake shows at once, not after a crash), and JournalError
        if another session's journal is there (call recover_journal first)."""
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
                        f"another coach session is running (process {other.pid}); finish it first"
                    )
                raise JournalError(
                    "an interrupted session has not been recovered yet; run `coach history` to record it"
                )
        self.state = {}
        self._apply(state)
        self._active = True
        self._write()

    def update(self, state: dict[str, Any]) -> None:
        """Merge the changed fields into the state and replace the journal."""
        if not self._active:
            raise RuntimeError("Journal.update() before begin()")
        self._apply(state)
        self._write()

    def finish(self) -> None:
        """The session's record is in the history: remove the journal."""
        self._remove()

    def abandon(self) -> None:
        """Drop the session without a record (it is thrown away on purpose)."""
        self._remove()

    def to_record(
        self,
        *,
        completed: bool,
        post: int | None = None,
        note: str = "",
        ended_at: str | None = None,
    ) -> SessionRecord:
        """The session's record from the current state, with the journal's record id (so
        a crash between the append and `finish` cannot log the session twice)."""
        return record_from_state(
            self.state,
            id=self.record_id,
            ended_at=ended_at or timestamp(self._now()),
            completed=completed,
            post=post,
            note=note,
        )

    def interrupt(self, store: HistoryStore) -> SessionRecord:
        """For SIGTERM/SIGHUP: append the session as not completed now, then finish."""
        record = self.to_record(completed=False)
        store.append(record)
        self.finish()
        return record

    # --- internals ---------------------------------------------------------------------

    def _apply(self, state: dict[str, Any]) -> None:
        unknown = set(state) - set(STATE_FIELDS) - set(OPTIONAL_STATE_FIELDS)
        if unknown:
            raise RecordError(f"unknown session state fields: {', '.join(sorted(unknown))}")
        merged = {**self.state, **state}
        # Check now that the state makes a valid record: errors surface in the runner.
        record_from_state(merged, id=self.record_id, ended_at=merged.get("started_at", ""),
                          completed=False)  # fmt: skip
        self.state = merged

    def _write(self) -> None:
        ensure_private_dir(self.path.parent)
        body = {
            "journal": JOURNAL_FORMAT,
            "pid": self.pid,
            "pid_start": process_start(self.pid),
            "boot_id": boot_id(),
            "record_id": self.record_id,
            "updated_at": timestamp(self._now()),
            "state": self.state,
        }
        data = json.dumps(body, indent=1).encode("utf-8")
        tmp = _temporary_path(self.path, os.getpid())
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
        try:
            if os.fstat(fd).st_mode & 0o777 != 0o600:
                os.fchmod(fd, 0o600)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, self.path)
        fsync_dir(self.path.parent)

    def _remove(self) -> None:
        if not self._active:
            return
        self._active = False
        try:
            current = read_journal(self.path)
        except (FileNotFoundError, ValueError):
            return
        if current.record_id == self.record_id:  # never remove another session's journal
            self.path.unlink(missing_ok=True)
            fsync_dir(self.path.parent)


# --- reading and liveness -------------------------------------------------------------------


def read_journal(path: Path) -> JournalInfo:
    """Read a journal; raises FileNotFoundError, or ValueError when it is not one."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise ValueError(exc.strerror or str(exc)) from None
    try:
        obj = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        raise ValueError(f"not JSON: {exc}") from None
    if not isinstance(obj, dict) or not isinstance(obj.get("state"), dict):
        raise ValueError("not a session journal")
    pid = obj.get("pid")
    record_id = obj.get("record_id")
    updated_at = obj.get("updated_at")
    if type(pid) is not int or pid <= 0:
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
    if not _BOOT_ID:
        try:
            _BOOT_ID.append(Path("/proc/sys/kernel/random/boot_id").read_text().strip() or None)
        except OSError:
            _BOOT_ID.append(None)
    return _BOOT_ID[0]


def _temporary_path(path: Path, pid: int) -> Path:
    return path.with_name(f".{path.name}.{pid}.tmp")


def remove_stale_temporaries(path: Path) -> None:
    """Remove temporary journal files left by processes that died mid-write."""
    prefix, suffix = f".{path.name}.", ".tmp"
    try:
        names = os.listdir(path.parent)
    except OSError:
        return
    for name in names:
        if not (name.startswith(prefix) and name.endswith(suffix)):
            continue
        pid_text = name[len(prefix) : -len(suffix)]
        if not pid_text.isdigit():
            continue
        pid = int(pid_text)
        try:
            os.kill(pid, 0)
            continue  # still running: it may be writing
        except ProcessLookupError:
            pass
        except OSError:
            continue
        try:
            (path.parent / name).unlink()
        except OSError:
            pass


def fsync_dir(path: Path) -> None:
    """Make a create, rename or unlink in `path` durable (best effort)."""
    try:
        dfd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)
