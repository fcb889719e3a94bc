"""The history index: a derived SQLite database that every reader of the history asks
instead of parsing `history.jsonl` whole. The JSON Lines file stays the record of truth;
the index can be deleted at any time and is rebuilt from it.

What it holds (one file, `INDEX_NAME`, in the cache folder, 0600 in a 0700 folder):

- `sessions`: one row per valid record: its line number (the rowid), the byte offset and
  length of its line (so exports and detail views read the original text back from the
  file), and the columns readers filter and sort on (id, start instant, local day,
  routine, plan). Figures never come from here but from the tallies.
- `days` and `routines`: the tallies of `coach.stats.Tallies`, kept up to date with every
  sync, so `coach stats` costs what the number of days and routines costs, not sessions.
- `problems`: the lines that could not be read (line, reason). Every command that reads
  the history reports them on stderr on every run, as the whole-file reader did: a warm
  run reports them too, from here.
- `meta`: how far the file was indexed (byte offset, the next line number), the file's
  device, inode and mtime, and a checksum of samples of the covered prefix.

Bringing it up to date (`sync`): under the history's shared lock (appends wait), the file
is compared with `meta`. Only whole lines are indexed, from the offset reached. It is
rebuilt from scratch when the file was replaced (another device or inode), cut (smaller
than the offset), edited (the checksum of the covered prefix differs: its first and last
64 KiB and 16 samples between; or, at the same size, its mtime changed). Coach's own
appends first look whether the file was edited at the size the index covers
(`before_append`), so an edit followed by a session is seen too. An edit in the middle
of a file that grew by other means, away from every sample, is not seen: `rm` of the
index rebuilds it.

Lines are read whole whatever their length, up to MAX_LINE_BYTES (16 MiB): a longer one
(no session writes one; an import refuses it) is reported and skipped without being held.

A last line without its newline (a write that was killed) is never indexed unless it is
a whole valid record (then it is, and the newline an append writes before its own line is
skipped next time); when it is not, it is reported on every read as "incomplete last line"
and stays out until a newline completes it.

Concurrency is SQLite's own: WAL, a busy timeout, and every change in one `BEGIN
IMMEDIATE` transaction that re-reads `meta` first, so two processes that find the index
stale at once index the new lines once. A crash mid-build rolls back.

When the index cannot be used (an unwritable cache folder, a corrupt file after a retry,
a lock held too long), the same queries run on an index built in memory from the file:
`HistoryIndex.note` then says so in one line, and nothing else changes. The process keeps
that index and brings it up to date on the next `open_index` of the same history (a new
line, or a rebuild when the file was replaced or edited), so the app's pages do not parse
the whole file again each time.

No Textual, no pydantic: `coach stats` and `coach status` read through here.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.errors import CoachError
from coach.files import UnsafePathError, ensure_private_dir, error_text, open_own
from coach.history_file import MAX_LINE_BYTES, TOO_LONG

if TYPE_CHECKING:  # the record parser and stats are imported where they are used, so
    # that reading an up-to-date index (`coach due`, the streak) loads neither
    from coach.records import LineProblem, SessionRecord
    from coach.stats import Stats, Tallies

INDEX_NAME = "history-index.sqlite3"
# Bump when the tables change: an index of another version is dropped and rebuilt.
SCHEMA_VERSION = 3
_BLOCK = 1 << 20  # 1 MiB of the file per parse and per insert batch: little Python memory
_EDGE = 1 << 16  # the first and last 64 KiB of the covered prefix go into the checksum
_SAMPLES, _SAMPLE = 16, 4096  # and 16 samples of 4 KiB spread between them
_BUSY_SECONDS = 120.0  # how long to wait for another process's rebuild (1M lines: ~20 s)
_CHUNK = 2000  # rows read back from the file at a time (exports, pages)
# SQLite's page cache: the id index of 1M sessions (~40 MB) mostly in memory keeps a
# rebuild's inserts fast; with 1 MiB blocks a rebuild of 1M stays near 90 MB in all.
_CACHE_KIB = 48_000

Progress = Callable[[int, int], None]  # (bytes indexed, bytes to index), during a sync

_DAY_COLUMNS = ["sessions", "seconds", "completed", "partly", *(f"pre{i}" for i in range(11))]
_ROUTINE_COLUMNS = [
    "title", "sessions", "completed", "seconds", "responders", *(f"c{i}" for i in range(21)),
]  # fmt: skip

_SCHEMA = f"""
CREATE TABLE meta (
    version INTEGER NOT NULL, dev INTEGER, ino INTEGER, mtime_ns INTEGER,
    covered INTEGER NOT NULL, next_line INTEGER NOT NULL, open_tail INTEGER NOT NULL,
    checksum TEXT NOT NULL
);
CREATE TABLE sessions (
    line INTEGER PRIMARY KEY, offset INTEGER NOT NULL, size INTEGER NOT NULL,
    id BLOB NOT NULL UNIQUE, start_us INTEGER NOT NULL, day TEXT NOT NULL,
    routine BLOB NOT NULL, plan BLOB
);
CREATE INDEX sessions_start ON sessions (start_us, line);
CREATE INDEX sessions_plan ON sessions (plan) WHERE plan IS NOT NULL;
CREATE TABLE problems (line INTEGER PRIMARY KEY, reason TEXT NOT NULL);
CREATE TABLE days (day TEXT PRIMARY KEY, {", ".join(f"{c} NOT NULL" for c in _DAY_COLUMNS)});
CREATE TABLE routines (routine BLOB PRIMARY KEY, {", ".join(f"{c} NOT NULL" for c in _ROUTINE_COLUMNS)});
"""

_DAY_UPSERT = (
    f"INSERT INTO days VALUES (?, {', '.join('?' * len(_DAY_COLUMNS))}) ON CONFLICT(day) DO UPDATE SET "
    + ", ".join(f"{c} = {c} + excluded.{c}" for c in _DAY_COLUMNS)
)
_ROUTINE_UPSERT = (
    f"INSERT INTO routines VALUES (?, {', '.join('?' * len(_ROUTINE_COLUMNS))}) "
    "ON CONFLICT(routine) DO UPDATE SET title = excluded.title, "
    + ", ".join(f"{c} = {c} + excluded.{c}" for c in _ROUTINE_COLUMNS[1:])
)


def default_index_path(history_path: Path) -> Path:
    """Where the index of `history_path` lives: `INDEX_NAME` in the cache folder
    (coach.paths.cache_dir) for the history of coach.paths, else in a `cache` folder beside
    the history file (as COACH_HOME lays them out), so a test's or another folder's history
    never shares an index with the person's own."""
    from coach import paths

    history_path = Path(history_path)
    if history_path == paths.history_file():
        return paths.cache_dir() / INDEX_NAME
    return history_path.parent / "cache" / INDEX_NAME


class IndexUnusable(Exception):
    """The index file cannot be used; the message says why (one clause)."""


@dataclass
class _Meta:
    dev: int | None = None
    ino: int | None = None
    mtime_ns: int | None = None
    covered: int = 0  # bytes of the file indexed (whole lines, or an open valid tail)
    next_line: int = 1  # the number of the first line after them
    open_tail: bool = False  # the last line indexed has no newline yet
    checksum: str = ""


@dataclass
class HistoryIndex:
    """An open, up-to-date index of one history file, with the file itself held open under
    its shared lock (so the lines read back are those indexed). Use `open_index`.

    `note` is one line to show when the on-disk index could not be used and this one was
    built in memory (None otherwise). `tail_problem` is the report of a last line without
    its newline that is not a valid record."""

    conn: sqlite3.Connection
    fd: int | None  # the history file, or None when there is none (an empty history)
    history_path: Path
    note: str | None = None
    tail_problem: LineProblem | None = None
    _tallies: Tallies | None = field(default=None, repr=False)

    # --- the figures -----------------------------------------------------------------------

    def problems(self) -> list[LineProblem]:
        """Every line that could not be read, (line number from 1, reason), in file order."""
        found = [
            (line, reason)
            for line, reason in self.conn.execute("SELECT line, reason FROM problems ORDER BY line")
        ]
        if self.tail_problem is not None:
            found.append(self.tail_problem)
        return found

    def tallies(self) -> Tallies:
        """The per-day and per-routine tallies of the whole history (coach.stats.Tallies)."""
        if self._tallies is None:
            from coach.stats import Tallies

            tallies = Tallies()
            for day, *values in self.conn.execute(f"SELECT day, {', '.join(_DAY_COLUMNS)} FROM days"):
                tallies.days[day] = values
            for routine, title, *values in self.conn.execute(
                f"SELECT routine, {', '.join(_ROUTINE_COLUMNS)} FROM routines ORDER BY rowid"
            ):
                tallies.routines[_text(routine)] = [_text(title), *values]
            self._tallies = tallies
        return self._tallies

    def stats(self, today: date) -> Stats:
        """What `coach stats` shows, as of `today` (coach.stats.summarise of `tallies`)."""
        from coach.stats import summarise

        return summarise(self.tallies(), today)

    # --- the sessions ----------------------------------------------------------------------

    def count(self, *, since: date | None = None, routine: str | None = None) -> int:
        """How many sessions there are (valid records), with the filters of `records`."""
        where, params = _where(since, routine)
        return self.conn.execute(f"SELECT count(*) FROM sessions {where}", params).fetchone()[0]

    def records(
        self,
        *,
        since: date | None = None,
        routine: str | None = None,
        newest_first: bool = False,
        offset: int = 0,
        limit: int | None = None,
    ) -> Iterator[SessionRecord]:
        """The sessions in order of the instant they started (ties in file order), oldest
        first unless `newest_first`; `since` keeps those on or after a local date, `routine`
        those of one routine id; `offset`/`limit` give one page. Streams: the records are
        read back from the file a few thousand at a time, never all at once."""
        from coach.records import parse_block

        for lines, count in self._line_chunks(since, routine, newest_first, offset, limit):
            records: list[SessionRecord] = []
            parse_block(lines, 1, records, [], None)
            self._check(len(records), count)
            yield from records

    def texts(self, *, since: date | None = None, routine: str | None = None) -> Iterator[str]:
        """Like `records` (oldest first), each record's JSON text as stored (no newline;
        `to_line()` of it when the stored line is not in Coach's own form), for exports."""
        from coach.records import parse_block_texts

        for lines, count in self._line_chunks(since, routine, False, 0, None):
            rows: list[tuple[str, str, str]] = []
            parse_block_texts(lines, 1, rows, [], {})
            self._check(len(rows), count)
            for row in rows:
                yield row[2]

    def session(self, session_id: str) -> SessionRecord | None:
        """The session with this id, whole (its note too), or None."""
        row = self.conn.execute(
            "SELECT offset, size FROM sessions WHERE id = ?", (_key(session_id),)
        ).fetchone()
        if row is None:
            return None
        from coach.records import parse_block

        records: list[SessionRecord] = []
        parse_block(self._read_lines([row]), 1, records, [], None)
        return records[0] if records else None

    def last(self) -> SessionRecord | None:
        """The session that started last (by its instant), or None for an empty history."""
        return next(self.records(newest_first=True, limit=1), None)

    def plan_records(self, plan_ids: Iterable[str]) -> list[SessionRecord]:
        """The sessions that carry one of these plan ids, in file order: what adherence,
        `coach due` and plan reports read (coach.adherence filters by `record.plan`)."""
        ids = sorted({_key(plan) for plan in plan_ids})
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        rows = self.conn.execute(
            f"SELECT offset, size FROM sessions WHERE plan IN ({marks}) ORDER BY line", ids
        ).fetchall()
        if not rows:
            return []  # no session of these plans: nothing to parse
        from coach.records import parse_block

        out: list[SessionRecord] = []
        for start in range(0, len(rows), _CHUNK):
            parse_block(self._read_lines(rows[start : start + _CHUNK]), 1, out, [], None)
        return out

    # --- reading lines back ----------------------------------------------------------------

    def _line_chunks(
        self, since: date | None, routine: str | None, newest_first: bool, offset: int, limit: int | None
    ) -> Iterator[tuple[str, int]]:
        """(the text of the next few thousand lines, how many) in the order asked."""
        where, params = _where(since, routine)
        order = "DESC" if newest_first else ""
        query = f"SELECT offset, size FROM sessions {where} ORDER BY start_us {order}, line {order}"
        if limit is not None or offset:
            query += " LIMIT ? OFFSET ?"
            params = [*params, -1 if limit is None else limit, offset]
        cursor = self.conn.execute(query, params)
        while True:
            rows = cursor.fetchmany(_CHUNK)
            if not rows:
                return
            yield self._read_lines(rows), len(rows)

    def _check(self, found: int, expected: int) -> None:
        """Lines read back that are no longer the records indexed: the file was cleared
        (and maybe written again) while it was being read."""
        if found != expected:
            raise CoachError(f"{self.history_path}: the history changed while it was read; try again")

    def _read_lines(self, rows: list[tuple[int, int]]) -> str:
        """The text of these lines of the file (offset, size), each ending with a newline.
        Runs of lines next to each other in the file are read with one pread."""
        fd = self.fd
        if fd is None:
            raise CoachError(f"{self.history_path}: the history changed while it was read; try again")
        parts: list[bytes] = []
        run_start = run_end = -1
        sizes: list[int] = []
        starts: list[int] = []

        def flush() -> None:
            if run_start < 0:
                return
            data = os.pread(fd, run_end - run_start, run_start)
            if len(data) != run_end - run_start:
                raise CoachError(f"{self.history_path}: the history changed while it was read; try again")
            for begin, size in zip(starts, sizes, strict=True):
                parts.append(data[begin - run_start : begin - run_start + size])

        for begin, size in rows:
            if (
                run_start >= 0
                and begin >= run_end
                and begin - run_end <= 4096
                and begin + size - run_start <= _BLOCK
            ):
                run_end = begin + size
            else:
                flush()
                run_start, run_end = begin, begin + size
                starts.clear()
                sizes.clear()
            starts.append(begin)
            sizes.append(size)
        flush()
        try:
            return "\n".join(part.decode("utf-8") for part in parts) + "\n"
        except UnicodeDecodeError:
            raise CoachError(
                f"{self.history_path}: the history changed while it was read; try again"
            ) from None


def _key(text: str) -> bytes:
    """Text from a record as SQLite stores it here: UTF-8 bytes (a BLOB), lone surrogates
    kept (a hand-written line may hold "\\ud800", which SQLite's TEXT cannot)."""
    return text.encode("utf-8", "surrogatepass")


def _text(data: bytes) -> str:
    """The text `_key` stored."""
    return data.decode("utf-8", "surrogatepass")


def _where(since: date | None, routine: str | None) -> tuple[str, list[Any]]:
    clauses, params = [], []
    if since is not None:
        clauses.append("day >= ?")  # started_at begins with its local date, YYYY-MM-DD
        params.append(since.isoformat())
    if routine is not None:
        clauses.append("routine = ?")
        params.append(_key(routine))
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


# --- opening ---------------------------------------------------------------------------------


@contextmanager
def open_index(
    history_path: Path,
    index_path: Path | None = None,
    *,
    progress: Progress | None = None,
) -> Iterator[HistoryIndex]:
    """The index of `history_path`, brought up to date, with the history held open under
    its shared lock until the block ends (appends and `clear` wait meanwhile).

    `index_path` defaults to `default_index_path(history_path)`. `progress` is called with
    (bytes indexed, bytes to index) while lines are indexed. Raises CoachError only when
    the history file itself cannot be read (as `HistoryStore.read`); an index that cannot
    be used is replaced by one in memory (`HistoryIndex.note`)."""
    from coach.history_file import open_shared

    history_path = Path(history_path)
    path = default_index_path(history_path) if index_path is None else Path(index_path)
    with open_shared(history_path) as fd:
        note = None
        conn = None
        try:
            conn = _open_on_disk(path, fd, progress)
            try:
                _snapshot(conn, fd, progress)
            except BaseException:
                conn.close()
                raise
        except IndexUnusable as exc:
            conn = None
            note = f"the history index cannot be used ({exc}); reading the history file instead"
        except sqlite3.Error as exc:
            conn = None
            note = (
                f"the history index cannot be used ({_reason(path, exc)}); reading the history file instead"
            )
        fallback = None
        if conn is None:
            fallback = _fallback(history_path)
            conn = fallback.conn
            try:
                _sync(conn, fd, progress)
                _snapshot(conn, fd, progress)
            except BaseException:
                fallback.release(broken=True)
                raise
        try:
            index = HistoryIndex(conn, fd, history_path, note, _tail_problem(conn, fd))
            if fd is not None:
                # Indexed lines never change but by `clear` or a replaced file (the fd keeps
                # the old one): reading them back needs no lock, so a person reading the
                # table in a pager for an hour never holds up a session's append.
                fcntl.flock(fd, fcntl.LOCK_UN)
            yield index
        finally:
            if fallback is None:
                conn.close()
            else:
                fallback.release()


@dataclass
class _Fallback:
    """An index in memory, for a history whose on-disk index cannot be used. `shared`:
    this process's one kept for the next `open_index` of the same file (see `_fallback`)."""

    conn: sqlite3.Connection
    shared: bool

    def release(self, *, broken: bool = False) -> None:
        """Done with it for now: the kept one ends its read transaction and stays (unless
        `broken`: then it is dropped); a private one is closed."""
        if not self.shared:
            self.conn.close()
            return
        try:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
        except sqlite3.Error:
            broken = True
        if broken:
            _KEPT.pop("entry", None)
            self.conn.close()
        _KEPT_LOCK.release()


# This process's index in memory of the last history that needed one, by path: the next
# `open_index` of it brings it up to date (`_sync`: only the new lines, or a rebuild when
# the file was replaced or edited) instead of parsing the whole file again. Issue 12: with
# an unusable cache folder, every History page and `coach stats` rebuilt 100k sessions
# (7.3 s first rows, 6 s a page). One entry: the memory of one history's index.
_KEPT: dict[str, tuple[Path, sqlite3.Connection]] = {}
_KEPT_LOCK = threading.Lock()


def _fallback(history_path: Path) -> _Fallback:
    """The kept index in memory of `history_path` (a new one when it was another file's),
    or, while another thread of this process uses the kept one, a private new one."""
    if not _KEPT_LOCK.acquire(blocking=False):
        return _Fallback(_new_memory_conn(), shared=False)
    try:
        kept = _KEPT.get("entry")
        if kept is not None and kept[0] == history_path:
            return _Fallback(kept[1], shared=True)
        if kept is not None:
            kept[1].close()
            del _KEPT["entry"]
        conn = _new_memory_conn()
        _KEPT["entry"] = (history_path, conn)
        return _Fallback(conn, shared=True)
    except BaseException:
        _KEPT_LOCK.release()
        raise


def _new_memory_conn() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    _create(conn)
    _reset(conn)
    return conn


def _snapshot(conn: sqlite3.Connection, fd: int | None, progress: Progress | None) -> None:
    """Open the read transaction every query of a HistoryIndex runs in (WAL: one
    consistent state, whatever other processes index meanwhile), taken while the history's
    shared lock is held, so it describes the file `fd` reads. Raises IndexUnusable when
    the file keeps being replaced under it."""
    for _ in range(3):
        conn.execute("BEGIN")
        meta = _read_meta(conn)  # the first read fixes the snapshot
        info = os.fstat(fd) if fd is not None else None
        if info is None:
            if meta.ino is None:
                return
        elif (meta.dev, meta.ino) == (info.st_dev, info.st_ino) and meta.covered <= info.st_size:
            return
        conn.execute("ROLLBACK")  # another process indexed a file that replaced ours
        _sync(conn, fd, progress)
    raise IndexUnusable("the history file is being replaced again and again")


def _open_on_disk(path: Path, fd: int | None, progress: Progress | None) -> sqlite3.Connection:
    """Connect to the index at `path` and sync it; a corrupt or foreign file is removed
    and built again once. Raises IndexUnusable."""
    for attempt in (1, 2):
        try:
            conn = _connect(path)
        except (OSError, sqlite3.Error) as exc:
            raise IndexUnusable(_reason(path, exc)) from None
        try:
            _prepare(conn)
            _sync(conn, fd, progress)
            return conn
        except sqlite3.OperationalError as exc:
            conn.close()
            if "locked" in str(exc) or "busy" in str(exc) or attempt == 2:
                raise IndexUnusable(_reason(path, exc)) from None
            _remove(path)  # e.g. "disk I/O error" on a truncated file: start again
        except sqlite3.DatabaseError as exc:  # "file is not a database", "malformed"
            conn.close()
            if attempt == 2:
                raise IndexUnusable(_reason(path, exc)) from None
            _remove(path)
        except BaseException:
            conn.close()
            raise
    raise AssertionError("unreachable")


def _reason(path: Path, exc: BaseException) -> str:
    """One clause naming `path` once: an UnsafePathError's message names its path itself."""
    if isinstance(exc, UnsafePathError):
        return exc.message
    if isinstance(exc, OSError):
        return f"{path}: {error_text(exc)}"
    return f"{path}: {exc}"


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            os.unlink(f"{path}{suffix}")
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise IndexUnusable(_reason(path, exc)) from None


def _connect(path: Path) -> sqlite3.Connection:
    ensure_private_dir(path.parent)
    # Made 0600 by Coach before SQLite opens it: SQLite gives its -wal and -shm the same mode.
    os.close(open_own(path, os.O_RDWR | os.O_CREAT))
    conn = sqlite3.connect(path, timeout=_BUSY_SECONDS, isolation_level=None, check_same_thread=False)
    return conn


def _prepare(conn: sqlite3.Connection) -> None:
    """WAL (readers never wait for a writer), and the tables of SCHEMA_VERSION."""
    _use_wal(conn)
    conn.execute("PRAGMA synchronous = NORMAL")  # a derived file: a lost commit is rebuilt
    conn.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
    conn.execute("PRAGMA journal_size_limit = 8388608")  # the WAL of a rebuild is cut back
    version = None
    try:
        version = conn.execute("SELECT version FROM meta").fetchone()
    except sqlite3.OperationalError:
        pass  # a new, empty file
    if version is not None and version[0] == SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        try:
            version = conn.execute("SELECT version FROM meta").fetchone()
        except sqlite3.OperationalError:
            version = None
        if version is None or version[0] != SCHEMA_VERSION:
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            ).fetchall():
                conn.execute(f'DROP TABLE "{name}"')
            _create(conn)
            _reset(conn)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch the index to WAL, waiting out other processes doing the same.

    SQLite answers "database is locked" at once, without calling the busy handler, when
    two connections change a new file's journal mode together (measured: 4 processes
    opening a fresh index lost that race in about 1 of 3 trials), so this retries with a
    short backoff for up to `_BUSY_SECONDS`. A file already in WAL answers without a lock."""
    deadline = time.monotonic() + _BUSY_SECONDS
    delay = 0.002
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
            return
        except sqlite3.OperationalError as exc:
            if not ("locked" in str(exc) or "busy" in str(exc)) or time.monotonic() >= deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.05)


def _create(conn: sqlite3.Connection) -> None:
    """The tables of SCHEMA_VERSION (in the caller's transaction)."""
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)


def _reset(conn: sqlite3.Connection) -> None:
    """Empty every table and start `meta` at the beginning of no file."""
    for table in ("meta", "sessions", "problems", "days", "routines"):
        conn.execute(f"DELETE FROM {table}")
    conn.execute("INSERT INTO meta VALUES (?, NULL, NULL, NULL, 0, 1, 0, '')", (SCHEMA_VERSION,))


def _read_meta(conn: sqlite3.Connection) -> _Meta:
    row = conn.execute(
        "SELECT dev, ino, mtime_ns, covered, next_line, open_tail, checksum FROM meta"
    ).fetchone()
    if row is None:
        return _Meta(covered=-1)  # forces a rebuild
    dev, ino, mtime_ns, covered, next_line, open_tail, checksum = row
    return _Meta(dev, ino, mtime_ns, covered, next_line, bool(open_tail), checksum)


def _checksum(fd: int, covered: int) -> str:
    """sha256 of samples of the file's first `covered` bytes: the first and last 64 KiB
    and 16 evenly spaced 4 KiB pieces (a few preads, whatever the size)."""
    digest = hashlib.sha256(str(covered).encode())
    if covered <= 2 * _EDGE + _SAMPLES * _SAMPLE:
        digest.update(os.pread(fd, covered, 0))
        return digest.hexdigest()
    digest.update(os.pread(fd, _EDGE, 0))
    step = (covered - 2 * _EDGE) // (_SAMPLES + 1)
    for n in range(1, _SAMPLES + 1):
        digest.update(os.pread(fd, _SAMPLE, _EDGE + n * step))
    digest.update(os.pread(fd, _EDGE, covered - _EDGE))
    return digest.hexdigest()


def _up_to_date(meta: _Meta, info: os.stat_result | None, fd: int | None) -> bool | None:
    """True when nothing is to do, False when lines are to be added from `covered`, None
    when the index must be rebuilt."""
    if info is None or fd is None:
        return True if meta.covered == 0 and meta.ino is None else None
    if meta.covered < 0 or (meta.dev, meta.ino) != (info.st_dev, info.st_ino) or info.st_size < meta.covered:
        return None
    if info.st_size == meta.covered:
        if info.st_mtime_ns == meta.mtime_ns:
            return True  # the usual warm case: not even the checksum is read
        return None  # the same size, yet written: edited in place (or an append cut back)
    if _checksum(fd, meta.covered) != meta.checksum:
        return None
    if meta.open_tail and os.pread(fd, 1, meta.covered) != b"\n":
        return None  # the valid last line indexed without its newline grew: it is another line
    return False


def _sync(conn: sqlite3.Connection, fd: int | None, progress: Progress | None) -> None:
    """Bring the index up to date with the file (see the module's docstring)."""
    info = os.fstat(fd) if fd is not None else None
    if _up_to_date(_read_meta(conn), info, fd):
        return
    conn.execute("BEGIN IMMEDIATE")  # waits for another process's sync, then re-reads meta
    try:
        meta = _read_meta(conn)
        state = _up_to_date(meta, info, fd)
        if state is None:
            _reset(conn)
            meta = _Meta()
        if state is not True and fd is not None and info is not None:
            _index_lines(conn, fd, info, meta, progress)
        elif fd is None:
            pass  # an empty history: the reset above left it so
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _index_lines(
    conn: sqlite3.Connection, fd: int, info: os.stat_result, meta: _Meta, progress: Progress | None
) -> None:
    """Index the whole lines from `meta.covered` to the end of the file; then a last line
    without newline if it is a valid record; update `meta`."""
    from coach.history_file import BlockReader

    position = meta.covered + (1 if meta.open_tail else 0)  # the newline an append wrote
    line_no = meta.next_line
    size = info.st_size
    open_tail = False
    rest = b""
    rest_at = position
    total = size - position
    started = position
    too_long = False  # inside a line longer than MAX_LINE_BYTES: its bytes are not kept
    while position < size:
        data = os.pread(fd, min(_BLOCK, size - position), position)
        if not data:
            break
        position += len(data)
        end = data.find(b"\n") if too_long or rest else -1
        if too_long or (end >= 0 and len(rest) + end > MAX_LINE_BYTES):
            if end < 0:
                continue
            # Its end: reported and skipped (never a record Coach wrote: imports refuse it).
            conn.execute("INSERT OR REPLACE INTO problems VALUES (?, ?)", (line_no, TOO_LONG))
            line_no += 1
            data = data[end + 1 :]
            rest, rest_at, too_long = b"", position - len(data), False
        block = rest + data if rest else data
        cut = block.rfind(b"\n") + 1
        if cut:
            line_no = _index_block(conn, BlockReader(texts=False), block[:cut], rest_at, line_no)
            rest_at += cut
        rest = block[cut:]
        if len(rest) > MAX_LINE_BYTES:
            rest, too_long = b"", True  # a runaway line: keep reading to find its end
        if progress is not None:
            progress(position - started, total)
    covered = rest_at
    if rest.strip() and not too_long:
        # A last line without its newline: indexed only when it is a whole valid record.
        reader = BlockReader(texts=False)
        reader.parse(rest + b"\n", line_no)
        if reader.records and not reader.problems:
            line_no = _index_block(conn, BlockReader(texts=False), rest + b"\n", rest_at, line_no)
            covered = size
            open_tail = True
    conn.execute(
        "UPDATE meta SET dev = ?, ino = ?, mtime_ns = ?, covered = ?, next_line = ?, open_tail = ?, "
        "checksum = ?",
        (
            info.st_dev,
            info.st_ino,
            info.st_mtime_ns,
            covered,
            line_no,
            int(open_tail),
            _checksum(fd, covered),
        ),
    )


def _tail_problem(conn: sqlite3.Connection, fd: int | None) -> LineProblem | None:
    """The report of a last line without its newline that is not indexed, or None."""
    if fd is None:
        return None
    meta = _read_meta(conn)
    size = os.fstat(fd).st_size
    if meta.open_tail or size <= meta.covered:
        return None
    from coach.history_file import BlockReader

    data = os.pread(fd, min(size - meta.covered, MAX_LINE_BYTES + 1), meta.covered)
    if b"\n" in data or not data.strip():
        return None  # lines written since the sync (not under this lock): not ours to report
    if len(data) > MAX_LINE_BYTES:
        return (meta.next_line, f"incomplete last line (an interrupted write?): {TOO_LONG}")
    reader = BlockReader(texts=False)
    reader.parse(data + b"\n", meta.next_line)
    reason = reader.problems[0][1] if reader.problems else "not a whole record"
    return (meta.next_line, f"incomplete last line (an interrupted write?): {reason}")


def _index_block(conn: sqlite3.Connection, reader: Any, block: bytes, at: int, first_line: int) -> int:
    """Parse whole lines `block` (starting at byte `at` of the file, line `first_line`),
    insert their records, problems and tallies; returns the next line number."""
    next_line = reader.parse(block, first_line)
    records: list[SessionRecord] = reader.records
    seen: dict[str, int] = reader.seen
    # Byte offset of each line of the block (index: line - first_line).
    lines = block.split(b"\n")
    starts = list(accumulate(map(len, lines), lambda total, n: total + n + 1, initial=at))
    fromiso = datetime.fromisoformat
    rows = []
    append = rows.append
    for record in records:
        line = seen[record.id]
        begin = starts[line - first_line]
        started = record.started_at
        plan = record.plan
        append((
            line, begin, starts[line - first_line + 1] - begin - 1,
            record.id.encode("utf-8", "surrogatepass"),  # _key, inline: 1M calls on a rebuild
            round(fromiso(started).timestamp() * 1_000_000), started[:10],
            record.routine.encode("utf-8", "surrogatepass"),
            None if plan is None else plan.encode("utf-8", "surrogatepass"),
        ))  # fmt: skip
    before = conn.total_changes
    conn.executemany("INSERT OR IGNORE INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    problems = list(reader.problems)
    if conn.total_changes - before != len(rows):
        # Ids already indexed from an earlier line: reported as the whole-file reader does.
        first = dict(
            conn.execute(
                "SELECT id, line FROM sessions WHERE line >= ? AND line < ?", (first_line, next_line)
            ).fetchall()
        )
        kept = []
        for record in records:
            line = seen[record.id]
            if first.get(_key(record.id)) == line:
                kept.append(record)
            else:
                (earlier,) = conn.execute(
                    "SELECT line FROM sessions WHERE id = ?", (_key(record.id),)
                ).fetchone()
                problems.append((line, f"the same id as line {earlier}; skipped"))
        records = kept
        problems.sort()
    if problems:
        conn.executemany("INSERT OR REPLACE INTO problems VALUES (?, ?)", problems)
    from coach.stats import Tallies

    tallies = Tallies()
    tallies.add(records)
    _merge(conn, tallies)
    return next_line


def _merge(conn: sqlite3.Connection, tallies: Tallies) -> None:
    """Add a batch's tallies to the `days` and `routines` tables."""
    from coach.stats import new_day, new_routine

    assert len(new_day()) == len(_DAY_COLUMNS) and len(new_routine("")) == len(_ROUTINE_COLUMNS)
    conn.executemany(_DAY_UPSERT, [(day, *values) for day, values in tallies.days.items()])
    conn.executemany(
        _ROUTINE_UPSERT,
        [(_key(routine), _key(title), *values) for routine, (title, *values) in tallies.routines.items()],
    )


# --- for a writer that holds the history's exclusive lock -----------------------------------


def before_append(history_path: Path, fd: int, index_path: Path | None = None) -> None:
    """For a writer about to append to `history_path` (held open as `fd` under the
    history's exclusive lock, so no reader syncs meanwhile): if the file was edited in
    place since the index last covered it (the same size, another mtime), the index is
    marked for a rebuild now. After the append its size no longer tells, and the sampled
    checksum could miss the edit, leaving every figure wrong for good (issue 12: line 211
    "post" 2 → 7, then `coach run --plain`).

    Costs one read of `meta` (no sync, no parse: a session's end never waits for a rebuild,
    the next reader does it, with progress). Never raises: an index that is missing or
    cannot be used is rebuilt by its next reader anyway."""
    path = default_index_path(history_path) if index_path is None else Path(index_path)
    try:
        os.close(open_own(path, os.O_RDWR))  # an existing regular file of ours, never a link
        # Read-only: closing it never checkpoints the WAL and removes it under an exclusive
        # lock, as closing the last writable connection does (a reader opening the index at
        # that moment was told "database is locked" under load).
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=_BUSY_SECONDS, isolation_level=None
        )
    except (OSError, ValueError, sqlite3.Error):
        return
    try:
        meta = _read_meta(conn)
        info = os.fstat(fd)
        edited = (
            (meta.dev, meta.ino) == (info.st_dev, info.st_ino)
            and meta.covered == info.st_size
            and meta.mtime_ns != info.st_mtime_ns
        )
    except sqlite3.Error:
        edited = False
    finally:
        conn.close()
    if edited:  # rare: a hand edit since the last reader
        try:
            conn = _connect(path)
            try:
                conn.execute("UPDATE meta SET covered = -1")  # `_up_to_date` then says: rebuild
            finally:
                conn.close()
        except (OSError, sqlite3.Error):
            try:
                _remove(path)  # derived: the next reader builds it again
            except IndexUnusable:
                pass  # nor removable: then it is unusable for readers too, who read the file


@dataclass
class WriterIndex:
    """The index of a history file a writer holds open under its exclusive `flock` (see
    `writer_index`): which ids are there, how many sessions, without reading the file
    whole. Its own lock is SQLite's; it never takes the history's lock (that would wait
    for the writer itself)."""

    conn: sqlite3.Connection
    fd: int
    path: Path
    in_memory: bool = False

    def sync(self) -> None:
        """Index the lines written since the last sync (the writer's own appends). An
        on-disk index that fails now (a full disk) is replaced by a private one."""
        try:
            _sync(self.conn, self.fd, None)
        except sqlite3.Error:
            if self.in_memory:
                raise
            self.conn.close()
            self.conn, self.in_memory = _memory_index(self.fd), True

    def present(self, ids: Iterable[str]) -> set[str]:
        """Those of `ids` that a valid record of the file (as of the last sync) carries."""
        wanted = list(ids)
        found: set[str] = set()
        for start in range(0, len(wanted), 500):  # SQLite allows 999 parameters at least
            batch = [_key(i) for i in wanted[start : start + 500]]
            query = f"SELECT id FROM sessions WHERE id IN ({', '.join('?' * len(batch))})"
            found.update(_text(row[0]) for row in self.conn.execute(query, batch))
        return found

    def count(self) -> int:
        """How many sessions (valid records) the file holds, as of the last sync."""
        return self.conn.execute("SELECT count(*) FROM sessions").fetchone()[0]


@contextmanager
def writer_index(
    history_path: Path, fd: int, index_path: Path | None = None, *, progress: Progress | None = None
) -> Iterator[WriterIndex]:
    """The index of `history_path` brought up to date from `fd`, the file as the caller
    holds it under the history's exclusive lock (so no other process writes it meanwhile,
    and this one reads it through `fd`, never re-locking it). Costs what the lines not yet
    indexed cost.

    Measured at 1M sessions: 0.09 s and 19 MB for a crash recovery with the index up to
    date; 19.5 s and 85 MB when it must be built first.

    When the on-disk index cannot be used (an unwritable cache folder, a full disk, a
    corrupt file after a retry), a private one is built from `fd` (`_memory_index`; 1M:
    about 45 s, 85 MB), silently: a writer's question (is this id there?) has the same
    answer either way. Raises sqlite3.Error or OSError only if even that fails. `progress`
    is called as in `open_index` while the on-disk index catches up."""
    path = default_index_path(history_path) if index_path is None else Path(index_path)
    try:
        index = WriterIndex(_open_on_disk(path, fd, progress), fd, path)
    except (IndexUnusable, sqlite3.Error):
        index = WriterIndex(_memory_index(fd), fd, path, in_memory=True)
    try:
        yield index
    finally:
        index.conn.close()


def _memory_index(fd: int) -> sqlite3.Connection:
    """A private index of `fd` for a writer whose on-disk index cannot be used: SQLite's
    temporary database (""), which spills to a deleted temporary file past its page cache
    (measured at 1M sessions: ":memory:" peaked at 217 MB), or, when even that cannot be
    written, one in memory."""
    for name in ("", ":memory:"):
        conn = sqlite3.connect(name, isolation_level=None, check_same_thread=False)
        try:
            conn.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
            _create(conn)
            _reset(conn)
            _sync(conn, fd, None)
            return conn
        except sqlite3.Error:
            conn.close()
            if name:
                raise
    raise AssertionError("unreachable")


# --- a progress line for terminals --------------------------------------------------------


class TerminalProgress:
    """A `Progress` that shows "coach: indexing the history… 42 %" on a terminal's stderr,
    only once indexing has taken more than `delay` seconds, at most 5 times a second, and
    clears its line at the end. Silent when stderr is not a terminal. `clock` is monotonic."""

    def __init__(self, stream: Any, delay: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.clock = clock
        self.began = clock()
        self.delay = delay
        self.shown_at: float | None = None
        try:
            self.terminal = bool(stream.isatty())
        except (AttributeError, ValueError, OSError):
            self.terminal = False

    def __call__(self, done: int, total: int) -> None:
        if not self.terminal:
            return
        now = self.clock()
        if done >= total:
            if self.shown_at is not None:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
            return
        if now - self.began < self.delay or (self.shown_at is not None and now - self.shown_at < 0.2):
            return
        self.shown_at = now
        share = done * 100 // total if total else 100
        self.stream.write(f"\rcoach: indexing the history… {share} % ({done >> 20} of {total >> 20} MB)")
        self.stream.flush()
