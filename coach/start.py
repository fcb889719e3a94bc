"""The one way into a session, for both shells (the plain runner and the app).

In this order (the lock and recovery before anything is asked):

    request, notes = request_from_args(args, library, plans_dir)   # routine, plan, ratings, speed
    opened = open_session(request.info.title, history_path=…, journal_path=…,
                          preview=request.preview, started=wall())   # the lock, then recovery
    …the shell asks (first-run note, cautions, pre-rating)…
    practice = opened.practice(routine, pre=7, plan=request.plan, player=player, wall=wall,
                               on_problem=tell)                     # store + journal + player
    …the session…
    opened.release()                                                 # or the process ends

`open_session` raises `coach.journal.SessionRunning` (a CoachError, exit 1) at once when
another process holds the session lock, with a sentence such as "A session is already
running: Box breathing, started 09:12, in another window." Bad values are UsageErrors
(exit 2), one line each. No Textual, no printing: the shells say what they are given.
"""

from __future__ import annotations

import functools
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.errors import CoachError, UsageError

if TYPE_CHECKING:
    from coach.audio import Player
    from coach.history import HistoryStore
    from coach.journal import SessionLock
    from coach.library import Library, RoutineInfo
    from coach.practice import Practice
    from coach.records import SessionRecord
    from coach.routine import Routine

def _boottime_clock() -> Callable[[], float] | None:
    """time.clock_gettime on CLOCK_BOOTTIME, where the system has it (Linux), else None."""
    clock_id = getattr(time, "CLOCK_BOOTTIME", None)
    if clock_id is None:
        return None
    try:
        time.clock_gettime(clock_id)
    except OSError:  # an old kernel without it
        return None
    return functools.partial(time.clock_gettime, clock_id)


_SESSION_CLOCK: Callable[[], float] = _boottime_clock() or time.monotonic


def session_clock() -> float:
    """The one session clock of both shells, in seconds from an arbitrary origin.

    Monotonic, and it keeps counting while the machine is suspended: Linux's
    CLOCK_MONOTONIC stops during a suspend (a closed laptop lid), so that time would show
    neither as time away nor in `ended_at`. CLOCK_BOOTTIME (clock_gettime(2)) includes
    it; where there is none, time.monotonic (whose platforms count suspend or not as
    their own monotonic clock does)."""
    return _SESSION_CLOCK()


# --speed: a preview runs at most this many times faster (a 20-minute routine in 12 s).
MAX_SPEED = 100.0
_PLAN_REF = re.compile(r"([a-z0-9][a-z0-9-]*)/([a-z0-9][a-z0-9-]*)")


@dataclass(frozen=True)
class StartRequest:
    """A session asked for with more than a routine: `coach run ROUTINE` (given ratings,
    speed, leave after) or a plan's item (its plan id)."""

    info: RoutineInfo
    pre: int | None = None  # given up front: the shell does not ask
    post: int | None = None
    plan: str | None = None
    speed: float = 1.0  # > 1 previews faster and records nothing
    exit_after: bool = False  # `coach run`: leave the app when the session ends
    # The lock and recovery, when `coach run` took them before the app took the screen.
    opened: OpenSession | None = field(default=None, compare=False)

    @property
    def preview(self) -> bool:
        """Any speed but 1: a preview, which records nothing and takes no lock."""
        return self.speed != 1.0


# --- the checks -----------------------------------------------------------------------------


def check_rating(name: str, value: object) -> int | None:
    """A stress rating given up front (`--pre`, `--post`): None, or a whole number 0–10
    (the 0-10 stress scale). Raises UsageError naming the option."""
    if value is None:
        return None
    if type(value) is not int or not 0 <= value <= 10:
        raise UsageError(f"--{name} must be a whole number from 0 to 10, got {value!r}")
    return value


def check_speed(value: object) -> float:
    """`--speed`: None (1, a real session) or a number from 1 to MAX_SPEED. Raises
    UsageError for anything else (0, negative, above 100, nan, infinite)."""
    if value is None:
        return 1.0
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UsageError(f"--speed must be a number from 1 to {MAX_SPEED:g}, got {value!r}")
    speed = float(value)
    if not (math.isfinite(speed) and 1.0 <= speed <= MAX_SPEED):
        raise UsageError(f"--speed must be a number from 1 to {MAX_SPEED:g}, got {speed:g}")
    return speed


def resolve_routine(library: Library, ref: str, *, plan: str | None = None) -> RoutineInfo:
    """ROUTINE as `coach run` takes it: an id, `PLAN/ID` for a plan's own routine, or a
    path. With `plan`, a bare id is looked up among that plan's routines first.
    Raises UsageError when there is no such routine."""
    match = _PLAN_REF.fullmatch(ref)
    if match is not None and not Path(ref).exists():
        plan_id, routine_id = match.groups()
        found = _plan_routine(library, plan_id, routine_id)
        if found is None:
            raise UsageError(f"no routine '{routine_id}' in plan '{plan_id}' (see `coach plan list`)")
        return found
    if plan is not None and _PLAN_REF.fullmatch(f"{plan}/{ref}") is not None:
        found = _plan_routine(library, plan, ref)
        if found is not None:
            return found
    return library.find(ref)


def _plan_routine(library: Library, plan_id: str, routine_id: str) -> RoutineInfo | None:
    for info in library.infos():
        if info.id == routine_id and info.source == f"plan:{plan_id}":
            return info
    return None


def request_from_args(
    args: Any, library: Library, plans_dir: Path, *, exit_after: bool = True
) -> tuple[StartRequest, list[str]]:
    """`coach run`'s arguments (routine, pre, post, plan, speed) checked once for both
    shells: the request, and notes to show (the plan note). An unknown plan or routine,
    a rating outside 0–10 or a speed outside 1–100 raises UsageError."""
    pre = check_rating("pre", getattr(args, "pre", None))
    post = check_rating("post", getattr(args, "post", None))
    speed = check_speed(getattr(args, "speed", None))
    plan = getattr(args, "plan", None)
    info = resolve_routine(library, args.routine, plan=plan)
    notes: list[str] = []
    if plan is not None:
        from coach.plan_store import plan_note_for

        note = plan_note_for(plans_dir, plan, info.id)  # an unknown plan stops here
        if note is not None and speed == 1.0:  # a preview records nothing: no note
            notes.append(note)
    request = StartRequest(info=info, pre=pre, post=post, plan=plan, speed=speed, exit_after=exit_after)
    return request, notes


# --- the lock, the recovery, the practice ---------------------------------------------------


@dataclass
class OpenSession:
    """A session that may start: this process holds the session lock (none for a
    preview) and a crashed session was recovered first (`recovered`, to be told once)."""

    preview: bool
    lock: SessionLock | None = None
    store: HistoryStore | None = None
    journal_path: Path | None = None
    recovered: SessionRecord | None = None

    def practice(
        self,
        routine: Routine,
        *,
        pre: int | None,
        plan: str | None,
        player: Player | None,
        wall: Callable[[], datetime] | None = None,
        on_problem: Callable[[str], None] | None = None,
        speed: float = 1.0,
    ) -> Practice:
        """The practice both shells run: the history store and the crash journal (none for
        a preview), and the player. `on_problem` is told once if the journal cannot be
        written (the session goes on). `speed`: the session clock's speed (a preview), so
        that time away is measured in real seconds."""
        from coach.practice import Practice

        if self.lock is not None and not self.lock.held:
            raise RuntimeError("OpenSession.practice() after release()")
        journal = None
        if self.store is not None and self.journal_path is not None:
            from coach.journal import Journal

            journal = Journal(self.journal_path, now=wall, on_problem=on_problem)
        extra: dict[str, Any] = {} if wall is None else {"wall": wall}
        return Practice(
            routine,
            pre=pre,
            plan=None if self.preview else plan,
            store=self.store,
            journal=journal,
            player=player,
            speed=speed,
            **extra,
        )

    def release(self) -> None:
        """The session is over (or abandoned): another may start. Safe to call twice."""
        if self.lock is not None:
            self.lock.release()


def open_session(
    title: str,
    *,
    history_path: Path,
    journal_path: Path,
    preview: bool,
    started: datetime,
    on_problem: Callable[[str], None] | None = None,
) -> OpenSession:
    """Take the session lock for a session of `title` and recover a crashed session.

    Raises SessionRunning (CoachError) at once when another session holds the lock;
    CoachError when the lock file is not Coach's own, when a crashed session cannot be
    saved to the history (a new session would overwrite its journal), or when the history
    cannot be appended to (`check_history_appendable`: a session that can never be
    recorded does not start). `on_problem` is
    told of a journal that could not be read (it is set aside).

    A preview (`--speed` above 1) takes no lock and recovers nothing: it neither reads nor
    writes the journal or the history, so it cannot collide with a running session, and
    someone may preview a routine while a session runs in another window.
    """
    if preview:
        return OpenSession(preview=True)
    from coach.history import HistoryStore
    from coach.journal import SessionLock, lock_path_for, recover_journal

    lock = SessionLock.acquire(lock_path_for(journal_path), title=title, started=started)
    store = HistoryStore(history_path)
    try:
        recovered = recover_journal(store, journal_path, on_problem=on_problem, lock=lock)
    except (CoachError, OSError) as exc:
        lock.release()
        reason = exc.message if isinstance(exc, CoachError) else (exc.strerror or str(exc))
        raise CoachError(
            f"an interrupted session could not be saved to the history ({reason}); "
            "a new session would overwrite it, so none starts until the history can be written"
        ) from None
    except BaseException:
        lock.release()
        raise
    try:
        check_history_appendable(history_path)
    except BaseException:
        lock.release()
        raise
    return OpenSession(preview=False, lock=lock, store=store, journal_path=journal_path,
                       recovered=recovered)  # fmt: skip


def check_history_appendable(path: Path) -> None:
    """Refuse a session whose record could never be saved, before anything is asked.

    The history at `path` must be a regular file of this user that this user may write, or
    be missing in a folder that exists and can be written (or that can be made: the nearest
    existing folder on the way is writable). Nothing is written: the checks are lstat,
    `coach.files.check_replaceable` and access(2). Raises CoachError (exit 1), one sentence
    naming the path and the problem.
    """
    import os
    import stat

    from coach.files import UnsafePathError, check_replaceable, kind_of

    def refuse(problem: str) -> CoachError:
        return CoachError(f"{problem}; no session starts, since it could not be saved to the history")

    try:
        check_replaceable(path)  # a link, a FIFO, a folder, another user's file
    except UnsafePathError as exc:
        raise refuse(exc.message) from None
    except OSError as exc:
        raise refuse(f"{path}: cannot be checked ({exc.strerror or exc})") from None
    if os.path.lexists(path):
        if not os.access(path, os.W_OK, follow_symlinks=False):
            raise refuse(f"{path}: the history file is read-only")
        return
    for folder in path.parents:  # the nearest folder that is there must take a new file
        try:
            mode = os.stat(folder).st_mode
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise refuse(f"{folder}: cannot be checked ({exc.strerror or exc})") from None
        if not stat.S_ISDIR(mode):
            raise refuse(f"{folder}: is {kind_of(mode)}, not a folder")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise refuse(f"{folder}: the data folder is read-only, so the history cannot be created")
        return
