"""The history store: `history.jsonl`, one session record per line, treated like a database.

- A line is written once, whole, under an exclusive `flock`, then flushed and fsynced.
  Appends are the only writes, plus `clear`, which empties the file under the same lock.
- Reading takes a shared lock (so it never sees half a line being written) and never
  changes the file. Lines that are not valid records are skipped and reported with their
  line numbers; everything else is used.
- The folder is 0700 and the file 0600, whatever the umask.

- Writers never parse the file whole either: whether an id is there (crash recovery, an
  import) and how many records there are (`clear`) are asked of the index, brought up to
  date under the writer's own lock (coach.index.writer_index), so a write costs what its
  new lines cost at any size of history.

No Textual, no pydantic. Readers ask the derived index (coach.index), which parses the
file through `BlockReader` (coach.history_file), only the lines it has not seen.
"""

from __future__ import annotations

import codecs
import csv
import fcntl
import io
import os
import sqlite3
import stat
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING

from coach.errors import CoachError
from coach.files import (
    UnsafePathError,
    ensure_private_dir,
    error_text,
    fsync_dir,
    kind_of,
    open_own,
    read_user_bytes,
    remove_stale_temporaries,
)
from coach.history_file import MAX_LINE_BYTES, TOO_LONG, BlockReader, lock, no_gc, open_shared
from coach.records import (
    CSV_COLUMNS,
    FIELDS,
    OPTIONAL_FIELDS,
    LineProblem,
    RecordError,
    SessionRecord,
    check_import,
    extra_cell,
    from_csv_row,
    parse_block,
    record_from_import,
    record_from_json,
    to_csv_row,
)
from coach.text import csv_cell, csv_restore, json_visible

if TYPE_CHECKING:
    from coach.index import Progress


@dataclass
class ReadResult:
    """The valid records of a history, in file order, and the lines that could not be read
    as (line number from 1, reason)."""

    records: list[SessionRecord] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)


@dataclass
class StoredTexts:
    """What `coach history --json` needs: each valid record's JSON text as stored (no
    newline) with its started_at and routine for selecting and sorting; not the records."""

    rows: list[tuple[str, str, str]] = field(default_factory=list)  # (started_at, routine, text)
    problems: list[LineProblem] = field(default_factory=list)


@dataclass
class HistoryImportResult:
    """What `HistoryStore.import_file` did: records added, records skipped as already
    present, and the refused lines of the imported file."""

    added: int = 0
    skipped: int = 0  # records whose id was already in the history (or earlier in the file)
    problems: list[LineProblem] = field(default_factory=list)  # lines of the imported file


class HistoryStore:
    """The history file (JSON Lines, one session a line): appends under an flock, reads
    that report bad lines and go on, imports, and `clear`. `path` is the file; its folder
    is kept 0700 and the file 0600 by every write."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    # --- writing -----------------------------------------------------------------------

    def append(self, record: SessionRecord) -> None:
        """Append one session as one whole line, under the lock, synced to disk.

        Raises RecordError (a ValueError) if the record is not valid: nothing is written.
        A write that fails part-way (a full disk) is cut back to where the file ended, under
        the same lock, and raises HistoryWriteError (a CoachError): one sentence. Before
        writing, an index that a hand edit made stale is marked for a rebuild
        (coach.index.before_append: one read of its meta, never a sync), so the edit is not
        hidden by the file's new size.
        """
        from coach.index import before_append

        checked = record_from_json(record.to_json())
        with self._locked() as fd:
            before_append(self.path, fd)  # an edit in place must not hide behind the append
            _append_lines(fd, self.path, [checked.to_line()], "the session was not saved")

    def append_if_absent(self, record: SessionRecord) -> bool:
        """Append one session under the lock unless a record with its id is already there
        (crash recovery: the session may have been stored before its process died).
        Returns True if it was appended. Raises RecordError if the record is not valid,
        CoachError or OSError if the history cannot be read or written.

        The question is put to the index (coach.index.writer_index), brought up to date
        under this lock: it costs the lines not yet indexed, not the whole file."""
        from coach.index import writer_index

        checked = record_from_json(record.to_json())
        with self._locked() as fd:
            with writer_index(self.path, fd) as index:
                if index.present([checked.id]):
                    return False
            _append_lines(fd, self.path, [checked.to_line()], "the session was not saved")
        return True

    def clear(self) -> int:
        """Delete every record (the one write that is not an append); returns how many
        records there were (counted by the index, not by reading the file whole). The
        journal of a running session is left alone."""
        from coach.index import writer_index

        if not os.path.lexists(self.path):
            self.read()  # a folder on the way that is a file or a dangling link is named
            return 0
        with self._locked() as fd:
            with writer_index(self.path, fd) as index:
                count = index.count()
                os.ftruncate(fd, 0)
                os.fsync(fd)
                try:
                    index.sync()  # the index is empty now too (else the next reader rebuilds it)
                except (OSError, sqlite3.Error):
                    pass  # the next reader sees a cut file and rebuilds it
        return count

    def import_file(self, path: Path, *, progress: Progress | None = None) -> HistoryImportResult:
        """Merge records from JSON Lines, a JSON array, or CSV as `coach history --csv`
        writes it. Records whose id is already present are skipped; bad records are
        reported (line, reason) and not written. A file that cannot be read as any of
        these formats raises CoachError and nothing is written.

        All or nothing: the new records go in one series of writes under one lock, and a
        write that fails (a full disk), or a file found not to be UTF-8 part-way, is cut
        back to where the history ended: HistoryWriteError says that nothing was imported
        (or the CoachError about the file is raised).

        Memory: JSON Lines are read and written a few MB at a time, and ids are looked up
        in the index (brought up to date under the lock, then after each written batch, so
        an id repeated later in the file is found there too): an import costs what its
        own records cost, whatever the size of the history. A JSON array or CSV streams
        the same way (`_ImportSource`; 100k sessions: 221 → 78 MB peak for an array, 247
        → 86 MB for CSV). A line over MAX_LINE_BYTES is refused (named). `progress`
        (coach.index.Progress) is told how the index catches up with the history first,
        when it has fallen behind (a 1M rebuild: ~20 s)."""
        from coach.index import writer_index

        source = _ImportSource(Path(path))
        result = HistoryImportResult(problems=source.problems)
        with source:
            if source.empty:
                return result
            with self._locked() as fd, writer_index(self.path, fd, progress=progress) as index:

                def chunks() -> Iterator[str]:
                    for batch in source.batches():
                        there = index.present(r.id for r in batch)
                        new: list[SessionRecord] = []
                        ids: set[str] = set()
                        for record in batch:
                            if record.id in there or record.id in ids:
                                result.skipped += 1
                            else:
                                ids.add(record.id)
                                new.append(record)
                        if new:
                            result.added += len(new)
                            yield "".join(r.to_line() for r in new)
                            index.sync()  # the lines just written: their ids, for the next batch

                def lost() -> str:
                    if source.done:
                        return f"none of the {result.added} new sessions was imported"
                    return "none of the new sessions was imported"  # their number is not known yet

                try:
                    _append_lines(fd, self.path, chunks(), lost)
                except BaseException:
                    result.added = 0
                    raise
        return result

    # --- reading -----------------------------------------------------------------------

    def read(self) -> ReadResult:
        """Every valid record in file order, and the lines that were not (line, reason).

        Never modifies the file; a missing file is an empty history. A record whose id
        appeared on an earlier line is reported and skipped, so nothing counts twice.
        """
        with self._shared() as fd:
            return ReadResult() if fd is None else _read_fd(fd)

    def read_texts(self) -> StoredTexts:
        """Like `read`, for exports: the valid records' stored JSON texts (same checks, same
        problems), without building the records."""
        with self._shared() as fd:
            if fd is None:
                return StoredTexts()
            with open(fd, "rb", buffering=0, closefd=False) as raw:
                reader = BlockReader(texts=True)
                _read_blocks(raw, reader)
                return StoredTexts(reader.rows, reader.problems)

    # --- the lock ----------------------------------------------------------------------

    def shared(self) -> AbstractContextManager[int | None]:
        """The history file open for reading under a shared lock (appends and `clear` wait
        until it is left); None when there is no file. Raises CoachError (one sentence)
        when the file cannot be opened: not a regular file, a link, unreadable."""
        return self._shared()

    def _shared(self) -> AbstractContextManager[int | None]:
        """The history file open for reading under a shared lock; None when there is none."""
        return open_shared(self.path)

    @contextmanager
    def _locked(self) -> Iterator[int]:
        """The history file open for appending, created 0600 in a 0700 folder, locked.

        Not through a symbolic link, never blocking on a FIFO, never another user's file
        (coach.files.open_own): each is one sentence (CoachError). Stale temporary files of
        dead processes in the folder are removed, since the folder is being written."""
        try:
            ensure_private_dir(self.path.parent)
            existed = os.path.lexists(self.path)
            fd = open_own(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT)
        except UnsafePathError as exc:
            raise CoachError(exc.message) from None
        except OSError as exc:
            raise CoachError(f"{self.path}: cannot write the history ({error_text(exc)})") from None
        remove_stale_temporaries(self.path.parent)
        try:
            lock(fd, fcntl.LOCK_EX)
            if not existed:
                fsync_dir(self.path.parent)
            yield fd
        finally:
            os.close(fd)  # closing releases the lock


# --- helpers ------------------------------------------------------------------------------


def _write_all(fd: int, text: str) -> None:
    data = text.encode("utf-8")
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


class HistoryWriteError(CoachError):
    """An append that failed and was cut back: the history is as it was before it."""


def _append_lines(fd: int, path: Path, chunks: Iterable[str], lost: str | Callable[[], str]) -> None:
    """Append `chunks` (whole lines) and fsync, under the caller's exclusive lock.

    If any write or the fsync fails (ENOSPC on a full disk, EIO, EDQUOT), the file is cut
    back (ftruncate) to the size it had before, so no torn line is left for every later
    read to report, and HistoryWriteError says so in one sentence: "`path`: `lost`
    (reason); the history is as it was". `lost` says what was not written (or a function
    that says it, asked at the failure). Any other exception while `chunks` is produced
    (a bad import file found part-way, Ctrl+C) cuts back the same way and is re-raised.
    """
    size = os.fstat(fd).st_size
    try:
        first = True
        for text in chunks:
            _write_all(fd, _join_after_torn_tail(fd, text) if first else text)
            first = False
        os.fsync(fd)
    except OSError as exc:
        reason = error_text(exc)
        what = lost if isinstance(lost, str) else lost()
        try:
            os.ftruncate(fd, size)
            os.fsync(fd)
        except OSError as cut:
            raise HistoryWriteError(
                f"{path}: {what} ({reason}), and the part written could not be removed "
                f"({error_text(cut)}); its last line is incomplete"
            ) from None
        raise HistoryWriteError(f"{path}: {what} ({reason}); the history is as it was") from None
    except BaseException:
        if os.fstat(fd).st_size != size:
            os.ftruncate(fd, size)
            os.fsync(fd)
        raise


def _join_after_torn_tail(fd: int, text: str) -> str:
    """If a killed writer left a last line without its newline, start on a new line so
    the new records stay whole (the torn fragment stays a line of its own, reported)."""
    size = os.fstat(fd).st_size
    if size and os.pread(fd, 1, size - 1) != b"\n":
        return "\n" + text
    return text


def _read_fd(fd: int) -> ReadResult:
    with open(fd, "rb", buffering=0, closefd=False) as raw:
        raw.seek(0)
        return read_stream(raw)


_BLOCK = 1 << 22  # 4 MiB: large enough that per-block costs vanish, small for memory


def read_stream(raw: IO[bytes]) -> ReadResult:
    """Parse a history file from its start: the core of `read`."""
    reader = BlockReader(texts=False)
    _read_blocks(raw, reader)
    return ReadResult(reader.records, reader.problems)


def _read_blocks(raw: IO[bytes], reader: BlockReader) -> None:
    """Read blocks of whole lines and hand each to the reader; a final line without its
    newline is an interrupted write unless it is whole."""
    problems = reader.problems
    line_no = 1
    rest = b""
    too_long = False  # inside a line longer than MAX_LINE_BYTES (coach.index does the same)
    with no_gc():
        while True:
            block = raw.read(_BLOCK)
            if not block:
                break
            end = block.find(b"\n") if too_long or rest else -1
            if too_long or (end >= 0 and len(rest) + end > MAX_LINE_BYTES):
                if end < 0:
                    continue
                problems.append((line_no, TOO_LONG))
                line_no += 1
                block, rest, too_long = block[end + 1 :], b"", False
            if rest:
                block = rest + block
            cut = block.rfind(b"\n") + 1
            rest = block[cut:]
            if cut:
                line_no = reader.parse(block[:cut], line_no)
            if len(rest) > MAX_LINE_BYTES:
                rest, too_long = b"", True
        if too_long:
            problems.append((line_no, f"incomplete last line (an interrupted write?): {TOO_LONG}"))
        elif rest.strip():
            before = len(problems)
            reader.parse(rest + b"\n", line_no)
            last = problems[-1] if len(problems) > before else (0, "")
            if last[0] == line_no and not last[1].startswith("the same id"):
                problems[-1] = (line_no, f"incomplete last line (an interrupted write?): {last[1]}")


# --- import formats -----------------------------------------------------------------------


def load_import_file(path: Path) -> tuple[list[SessionRecord], list[LineProblem]]:
    """Records from a JSON Lines, JSON array or CSV export, and the bad ones (line, reason).

    Raises CoachError when the file cannot be read or is none of those formats.
    """
    try:
        data = read_user_bytes(path)  # a FIFO or a device is refused, not waited on
    except FileNotFoundError:
        raise CoachError(f"{path}: no such file", 2) from None
    except IsADirectoryError:
        raise CoachError(f"{path}: is a folder, not a file", 2) from None
    except UnsafePathError as exc:
        raise CoachError(exc.message, 2) from None
    except OSError as exc:
        raise CoachError(f"{path}: cannot read ({error_text(exc)})", 2) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CoachError(f"{path}:{line}: not UTF-8 text") from None
    return parse_import_text(text, name=str(path))


_IMPORT_BATCH = 5000  # records per write and per id lookup: a few MB


class _ImportSource:
    """An import file (see `HistoryStore.import_file`) as batches of valid records; the
    refused lines gather in `problems` as the batches are read. Every format streams:
    JSON Lines (the format of the history itself) is read `_BLOCK` bytes at a time, a JSON
    array element by element (`_array_items`), CSV row by row (`_csv_items`), so an import
    holds a batch of records and a block or two of text, whatever the size of the file
    (issue 12: a 100k JSON array export took 227 MB whole). File-level errors that can be
    seen before the first record (not a file, no such format, a CSV without its header)
    are raised (CoachError) here, before anything is written; one found later (a syntax
    error near the end of an array) is raised while the batches are read, and the import
    cuts back what it wrote. `done` says the whole file has been read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[LineProblem] = []
        self.done = False
        self._records: list[SessionRecord] = []  # parsed, not yet handed out
        self._items: Iterator[SessionRecord | LineProblem] | None = None  # an array, CSV
        self._skipping = False  # inside a JSON line longer than MAX_LINE_BYTES
        self._raw = _open_import(path)
        try:
            self._start()
        except BaseException:
            self._raw.close()
            raise

    def __enter__(self) -> _ImportSource:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._raw.close()

    @property
    def empty(self) -> bool:
        """No valid record at all (nothing to write: the history is not even created)."""
        return self.done and not self._records

    def _start(self) -> None:
        head = b""
        while not head.lstrip():  # the format is told by the first character
            block = self._raw.read(_BLOCK)
            if not block:
                break
            head += block
        head = head.removeprefix(b"\xef\xbb\xbf")
        first = head.lstrip()[:1]
        name = str(self.path)
        if first == b"{":
            self._rest, self._line = head, 1
        elif first == b"[":
            self._items = _array_items(_TextStream(self._raw, head, name), name)
        elif first:
            self._items = _csv_items(_file_lines(self._raw, head, name), name)
        else:
            self.done = True
        while not self._records and not self.done:
            self._more()

    def _more(self) -> None:
        """Parse more of the file into `_records` (and `problems`); `done` at its end."""
        if self._items is None:
            self._read_lines()
            return
        records, problems = self._records, self.problems
        with no_gc():
            for item in self._items:
                if isinstance(item, SessionRecord):
                    records.append(item)
                    if len(records) >= _IMPORT_BATCH:
                        return
                else:
                    problems.append(item)
        self.done = True

    def _read_lines(self) -> None:
        """Parse the next block of whole JSON lines into `_records`; at the end of the
        file, its last line even without a newline. A line longer than MAX_LINE_BYTES is
        refused (no session writes one) without being held in memory."""
        block = self._raw.read(_BLOCK)
        at_end = not block or self._raw.tell() >= os.fstat(self._raw.fileno()).st_size
        end = block.find(b"\n") if self._skipping or self._rest else -1
        if self._skipping or (end >= 0 and len(self._rest) + end > MAX_LINE_BYTES):
            if end < 0 and not at_end:
                return  # still inside it
            self.problems.append((self._line, TOO_LONG))
            self._line += 1
            block = block[end + 1 :] if end >= 0 else b""
            self._rest, self._skipping = b"", False
        data = self._rest + block if self._rest else block
        if not at_end:
            cut = data.rfind(b"\n") + 1
            data, self._rest = data[:cut], data[cut:]
            if len(self._rest) > MAX_LINE_BYTES:
                self._rest, self._skipping = b"", True
        else:  # the end of the file: `done` as soon as it is known (for messages)
            self._rest, self.done = b"", True
            if data and not data.endswith(b"\n"):
                data += b"\n"
        if not data:
            return
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = self._line + data.count(b"\n", 0, exc.start)
            raise CoachError(f"{self.path}:{line}: not UTF-8 text") from None
        with no_gc():
            self._line = parse_block(text, self._line, self._records, self.problems, None, check=check_import)

    def batches(self) -> Iterator[list[SessionRecord]]:
        """The valid records, `_IMPORT_BATCH` or so at a time, in file order."""
        while True:
            while len(self._records) < _IMPORT_BATCH and not self.done:
                self._more()
            if not self._records:
                return
            batch, self._records = self._records[:_IMPORT_BATCH], self._records[_IMPORT_BATCH:]
            yield batch


class _TextStream:
    """A file's text from its start, decoded from UTF-8 a block at a time as a reader needs
    it: `text` holds what was read and not yet dropped; its first character is at `line`,
    `column` of the file (so a problem found in `text` is located in the file). `raw` None:
    the whole text is `head` already."""

    def __init__(self, raw: IO[bytes] | None, head: bytes | str, name: str) -> None:
        self._raw = raw
        self.name = name
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._newlines = 0  # in the bytes decoded so far: the line of a bad byte
        self.text = ""
        self.eof = raw is None
        self.line = self.column = 1
        self._counted = (0, 1, 1)  # (index in text, its line, its column): `where` goes on from it
        if isinstance(head, str):
            self.text = head
        else:
            self._decode(head, final=False)

    def _decode(self, data: bytes, final: bool) -> None:
        try:
            self.text += self._decoder.decode(data, final)
        except UnicodeDecodeError as exc:
            line = self._newlines + data.count(b"\n", 0, max(exc.start, 0)) + 1
            raise CoachError(f"{self.name}:{line}: not UTF-8 text") from None
        self._newlines += data.count(b"\n")

    def more(self) -> bool:
        """Read the next block into `text`; False at the end of the file."""
        if self.eof or self._raw is None:
            return False
        block = self._raw.read(_BLOCK)
        self._decode(block, final=not block)
        if not block:
            self.eof = True
        return bool(block)

    def drop(self, upto: int) -> None:
        """Forget `text[:upto]`, keeping where the rest is in the file."""
        self.line, self.column = self.where(upto)
        self.text = self.text[upto:]
        self._counted = (0, self.line, self.column)

    def where(self, index: int) -> tuple[int, int]:
        """(line, column) in the file, from 1, of `text[index]`; cheap for growing indexes."""
        at, line, column = self._counted if index >= self._counted[0] else (0, self.line, self.column)
        text = self.text
        newlines = text.count("\n", at, index)
        if newlines:
            line += newlines
            column = index - text.rfind("\n", at, index)
        else:
            column += index - at
        self._counted = (index, line, column)
        return line, column


def _file_lines(raw: IO[bytes], head: bytes, name: str) -> Iterator[str]:
    """The lines of a file (from `head`, its first bytes, on), each with its newline, read
    a block at a time. Raises CoachError at a byte that is not UTF-8 (naming its line) or a
    line longer than MAX_LINE_BYTES (no export has one: it is not read whole)."""
    rest, line = head, 1
    while True:
        block = raw.read(_BLOCK)
        data = rest + block if rest else block
        if block:
            cut = data.rfind(b"\n") + 1
            data, rest = data[:cut], data[cut:]
            if len(rest) > MAX_LINE_BYTES:
                at = line + data.count(b"\n")
                raise CoachError(
                    f"{name}:{at}: a line longer than {MAX_LINE_BYTES >> 20} MiB: not a history export"
                )
        else:
            rest = b""
        if data:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                at = line + data.count(b"\n", 0, exc.start)
                raise CoachError(f"{name}:{at}: not UTF-8 text") from None
            line += text.count("\n")
            parts = text.split("\n")
            last = parts.pop()
            for part in parts:
                yield part + "\n"
            if last:
                yield last
        if not block:
            return


def _open_import(path: Path) -> IO[bytes]:
    """The file a person named for an import, open for reading (symbolic links followed:
    it is their file); a FIFO or a device is refused at once instead of blocking, as
    coach.files.read_user_bytes does. Raises CoachError (one sentence)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise CoachError(f"{path}: no such file", 2) from None
    except IsADirectoryError:
        raise CoachError(f"{path}: is a folder, not a file", 2) from None
    except OSError as exc:
        raise CoachError(f"{path}: cannot read ({error_text(exc)})", 2) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise CoachError(f"{path}: is a folder, not a file", 2)
        if not stat.S_ISREG(mode):
            raise CoachError(f"{path}: is {kind_of(mode)}, not a file", 2)
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        return open(fd, "rb", buffering=0)
    except BaseException:
        os.close(fd)
        raise


def parse_import_text(text: str, name: str = "<import>") -> tuple[list[SessionRecord], list[LineProblem]]:
    """The format is told by the first character: `[` a JSON array, `{` JSON Lines,
    anything else CSV with the header `coach history --csv` writes."""
    first = text.lstrip()[:1]
    if first == "[":
        return _parse_json_array(text, name)
    if first == "{":
        return _parse_json_lines(text)
    if not first:
        return [], []
    return _parse_csv(text, name)


def _parse_json_lines(text: str) -> tuple[list[SessionRecord], list[LineProblem]]:
    records: list[SessionRecord] = []
    problems: list[LineProblem] = []
    line_no, start, end = 1, 0, len(text)
    with no_gc():
        while start < end:  # blocks of whole lines: findall's tuples stay few at a time
            cut = text.find("\n", min(start + _BLOCK, end - 1))
            stop = end if cut < 0 else cut + 1
            block = text[start:stop]
            line_no = parse_block(
                block if block.endswith("\n") else block + "\n", line_no, records, problems, None,
                check=check_import,
            )
            start = stop
    return records, problems


_WHITESPACE = " \t\n\r"


def _parse_json_array(text: str, name: str) -> tuple[list[SessionRecord], list[LineProblem]]:
    """A JSON array of records, whole in `text` (see `_array_items`)."""
    return _collect(_array_items(_TextStream(None, text, name), name))


def _collect(items: Iterable[SessionRecord | LineProblem]) -> tuple[list[SessionRecord], list[LineProblem]]:
    records: list[SessionRecord] = []
    problems: list[LineProblem] = []
    with no_gc():
        for item in items:
            if isinstance(item, SessionRecord):
                records.append(item)
            else:
                problems.append(item)
    return records, problems


def _array_items(stream: _TextStream, name: str) -> Iterator[SessionRecord | LineProblem]:
    """The records of a JSON array and its bad elements (line the element starts on,
    reason), decoded element by element (raw_decode, through coach.jsonsource.decode_at)
    as `stream` is read, so at most an element and a block or two of text are held. A
    syntax error is a file-level error (CoachError "FILE:LINE:COL: not a JSON array of
    records: …"); an element cut by the end of a block is decoded again with more text."""
    from coach.jsonsource import JSONProblem, decode_at

    def syntax_error(index: int, what: str) -> CoachError:
        line, column = stream.where(index)
        return CoachError(f"{name}:{line}:{column}: not a JSON array of records: {what}")

    pos = stream.text.index("[") + 1
    expect_value, count = True, 0
    while True:
        text = stream.text
        end = len(text)
        while pos < end and text[pos] in _WHITESPACE:
            pos += 1
        if pos >= end:
            if stream.more():
                continue
            raise syntax_error(pos, "the array is not closed")
        if pos > _BLOCK:  # what was read is done with: memory stays a block or two
            stream.drop(pos)
            pos = 0
            continue
        if (not expect_value or count == 0) and text[pos] == "]":
            pos += 1
            break
        if not expect_value:
            if text[pos] != ",":
                raise syntax_error(pos, "expected , or ]")
            pos += 1
            expect_value = True
            continue
        try:  # lone surrogates are left to the record's own check, which names the line
            obj, after = decode_at(text, pos, name, allow_surrogates=True)
        except JSONProblem as exc:
            if stream.more():
                continue  # maybe only cut by the end of the block: again, with more text
            line, column = exc.line + stream.line - 1, exc.col + (stream.column - 1 if exc.line == 1 else 0)
            raise CoachError(f"{name}:{line}:{column}: not a JSON array of records: "
                             f"{exc.reason.removeprefix('invalid JSON: ')}") from None  # fmt: skip
        follows = after
        while follows < end and text[follows] in _WHITESPACE:
            follows += 1
        if (follows >= end or (text[follows] not in ",]" and end - follows < 64)) and stream.more():
            continue  # a value cut by the end of the block ("1." of 1.5e3) reads as a shorter one
        start, pos = pos, after
        count += 1
        expect_value = False
        try:
            yield record_from_import(obj)
        except RecordError as exc:
            yield (stream.where(start)[0], str(exc))
    while True:  # only white space may follow
        rest = stream.text[pos:]
        if rest.strip():
            raise syntax_error(pos + len(rest) - len(rest.lstrip()), "text after the closing ]")
        stream.drop(len(stream.text))
        pos = 0
        if not stream.more():
            return


def _parse_csv(text: str, name: str) -> tuple[list[SessionRecord], list[LineProblem]]:
    """CSV as `coach history --csv` writes it, whole in `text` (see `_csv_items`)."""
    return _collect(_csv_items(io.StringIO(text, newline=""), name))


def _csv_items(lines: Iterable[str], name: str) -> Iterator[SessionRecord | LineProblem]:
    """The records of a CSV export and its bad rows (line, reason), row by row. Raises
    CoachError for a file that is not such an export (its header) or not valid CSV."""
    reader = csv.DictReader(lines)
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise CoachError(f"{name}:1: not a history export: {exc}") from None
    missing = [column for column in FIELDS if column not in header and column not in OPTIONAL_FIELDS]
    if missing:
        raise CoachError(
            f"{name}:1: not a history export (JSON Lines, a JSON array, or CSV with the "
            f"columns of `coach history --csv`); missing columns: {', '.join(missing[:5])}"
            + (" …" if len(missing) > 5 else "")
        )
    start = reader.line_num + 1
    try:
        for row in reader:
            if None in row:
                yield (start, "more cells than columns")
            else:
                try:
                    for column in _CSV_TEXT_COLUMNS:  # undo write_csv's defusing
                        if (cell := row.get(column)) is not None:
                            row[column] = csv_restore(cell)
                    record = from_csv_row(row)
                    check_import(record)
                except RecordError as exc:
                    yield (start, str(exc))
                else:
                    yield record
            start = reader.line_num + 1
    except csv.Error as exc:
        raise CoachError(f"{name}:{reader.line_num}: not valid CSV: {exc}") from None


# --- export -------------------------------------------------------------------------------


# The columns that hold text (the rest are numbers, times and booleans that Coach writes
# itself): write_csv defuses them and _parse_csv restores them.
_CSV_TEXT_COLUMNS = ("id", "routine", "routine_title", "routine_hash", "plan", "note")
_CSV_TEXT_INDEXES = tuple(FIELDS.index(name) for name in _CSV_TEXT_COLUMNS)


# The columns `write_csv(spreadsheet=True)` puts first; `from_csv_row` ignores them, so
# such an export imports back to the same records.
SPREADSHEET_COLUMNS: tuple[str, ...] = ("started_local", "ended_local")


def spreadsheet_time(stamp: str | None) -> str:
    """An ISO 8601 time with offset → "YYYY-MM-DD HH:MM:SS", the wall-clock time where it
    was recorded (its own offset; seconds cut, no offset), a form spreadsheets (Excel,
    LibreOffice, Google Sheets, Numbers) read as a date and time. "" for None or text that
    is not a time."""
    try:
        return datetime.fromisoformat(stamp).strftime("%Y-%m-%d %H:%M:%S") if stamp else ""
    except (TypeError, ValueError):
        return ""


def write_csv(records: Iterable[SessionRecord], out: IO[str], *, spreadsheet: bool = False) -> None:
    """CSV (RFC 4180) with a header of CSV_COLUMNS (FIELDS, then `extra`: the fields Coach
    does not know as one compact JSON object, empty when none); `import_file` reads it
    back to the same records, unknown fields included.

    Text cells go through `coach.text.csv_cell`: shown with every control character made
    visible (the export may be printed to a terminal) and defused against spreadsheet
    formulas with a leading ' that `_parse_csv` removes again, so text an import accepts
    round-trips exactly.

    `spreadsheet` (`coach history --spreadsheet`): the text starts with a byte-order mark
    (U+FEFF; Excel otherwise reads UTF-8 as the local code page and garbles accents) and
    SPREADSHEET_COLUMNS come first, `started_at`/`ended_at` as `spreadsheet_time`. The
    other columns are those of plain CSV, unchanged, and the import skips the BOM and the
    two added columns: the export imports back exactly."""
    writer = csv.writer(out)  # RFC 4180 CRLF rows: a field holding \r is then quoted too
    if spreadsheet:
        out.write("\ufeff")
        writer.writerow((*SPREADSHEET_COLUMNS, *CSV_COLUMNS))
    else:
        writer.writerow(CSV_COLUMNS)
    text_indexes = _CSV_TEXT_INDEXES
    cell = csv_cell
    for record in records:
        row = to_csv_row(record)
        for index in text_indexes:
            row[index] = cell(row[index])
        # JSON text starts with "{": never a formula, and its escapes keep it visible.
        row.append(extra_cell(record) if record.extra else "")
        if spreadsheet:
            row[:0] = [spreadsheet_time(record.started_at), spreadsheet_time(record.ended_at)]
        writer.writerow(row)


def write_json_array(records: Iterable[SessionRecord | str], out: IO[str]) -> None:
    """A JSON array of the records as stored, one per line, written in chunks. An item
    may be a record's stored JSON text already (StoredTexts)."""
    out.write("[")
    chunk: list[str] = []
    separator = "\n"
    for record in records:
        chunk.append(separator)
        chunk.append(record if isinstance(record, str) else record.to_line()[:-1])
        separator = ",\n"
        if len(chunk) >= 2000:
            out.write(json_visible("".join(chunk)))
            chunk.clear()
    chunk.append("\n]\n" if separator != "\n" else "]\n")
    # Stored lines are ASCII, but json.dumps leaves DEL (U+007F) raw: json_visible escapes it.
    out.write(json_visible("".join(chunk)))
