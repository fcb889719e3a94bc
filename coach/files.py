"""Coach's own files, opened safely, and the files it writes for people.

Coach opens its own files (history, settings, plans, the journal, the cache, locks) with
`open_own`/`read_own_bytes`: never through a symbolic link in place of the file
(`O_NOFOLLOW`), never blocking on a FIFO or a device (`O_NONBLOCK`, then `fstat` must say
"regular file"), and never writing to a file that belongs to another user. Each refusal is
an `UnsafePathError` (an OSError) whose text is one sentence naming the path and what it is.

Small files are replaced atomically (`write_private_atomic`: a temporary file beside the
target, mode 0600, fsync, rename); a report written with `-o` goes the same way
(`write_output`), and never over an existing file unless asked. Temporary files in Coach's
own folders carry the writer's pid (`.NAME.PID.tmp`), so the next write in the same folder
removes those of processes that died mid-write (`remove_stale_temporaries`). In a folder a
person named (`-o`), Coach removes nothing but its own temporary file when the write fails.

Only the standard library: every command imports this.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import stat
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from coach.errors import CoachError, UsageError

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import BinaryIO

_OPEN_SAFE = os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


class UnsafePathError(OSError):
    """A path Coach will not use as its own file or folder: a symbolic link, a FIFO, a
    folder where a file belongs (or a file where a folder belongs), a dangling link, or
    another user's file. `str(exc)` (and `message`) is one sentence naming the path."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def error_text(exc: OSError) -> str:
    """One sentence for an OSError: the UnsafePathError's own, or the system's reason."""
    if isinstance(exc, UnsafePathError):
        return exc.message
    return exc.strerror or str(exc)


def kind_of(mode: int) -> str:
    """What an `st_mode` is, for a message: "a FIFO", "a folder", "a symbolic link"…"""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISREG(mode):
        return "a regular file"
    return "not a regular file"


def _not_regular(path: Path, mode: int) -> UnsafePathError:
    if stat.S_ISLNK(mode):
        return UnsafePathError(
            f"{path}: is a symbolic link; Coach does not follow links in place of its own files "
            "(move the link away or replace it with the file)"
        )
    return UnsafePathError(f"{path}: is {kind_of(mode)}, not a regular file; Coach uses regular files only")


def _other_owner(path: Path, uid: int) -> UnsafePathError:
    return UnsafePathError(f"{path}: is owned by another user (uid {uid}); Coach will not write to it")


def explain_path_error(path: Path, exc: OSError) -> OSError:
    """Turn an OSError met at `path` into an UnsafePathError when the cause is the shape of
    the path (a link, a file where a folder belongs, a dangling link); else `exc` itself."""
    if isinstance(exc, UnsafePathError):
        return exc
    code = exc.errno
    if code == errno.ELOOP:
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            mode = stat.S_IFLNK
        return _not_regular(path, mode)
    if code in (errno.EISDIR, errno.ENXIO, errno.ENODEV):
        try:
            return _not_regular(path, os.lstat(path).st_mode)
        except OSError:
            return exc
    if code in (errno.ENOTDIR, errno.EEXIST, errno.ENOENT):
        blocker = _blocking_component(path, include_self=False)
        if blocker is not None:
            return blocker
    return exc


def _blocking_component(path: Path, *, include_self: bool) -> UnsafePathError | None:
    """The first folder on the way to `path` (and `path` itself with `include_self`) that
    is a file or a dangling link, named; None when nothing is in the way."""
    for part in reversed([path, *path.parents] if include_self else list(path.parents)):
        try:
            mode = os.lstat(part).st_mode
        except OSError:
            return None  # missing: nothing is in the way, it is only not there yet
        if stat.S_ISLNK(mode):
            try:
                mode = os.stat(part).st_mode
            except OSError:
                target = _readlink(part)
                return UnsafePathError(
                    f"{part}: is a symbolic link to {target}, which does not exist; "
                    "Coach needs a folder there"
                )
        if not stat.S_ISDIR(mode):
            what = "a file" if stat.S_ISREG(mode) else kind_of(mode)
            return UnsafePathError(f"{part}: is {what}, not a folder; Coach needs a folder there")
    return None


def _readlink(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"


def ensure_private_dir(path: Path, *, root: Path | None = None) -> Path:
    """Create `path` (and parents) readable by its owner only (0700), whatever the umask.

    `root` (default: `path` itself) is the folder a person gave or that holds Coach's own
    folders (COACH_HOME, the platform's data folder, the cache folder's parent). A symbolic
    link there is used as it is (a person may keep the data elsewhere on purpose) and its
    mode is left alone; a real `path` that exists is made 0700. The folders below `root` on
    the way to `path` are Coach's own: a symbolic link in place of one is refused, never
    written through nor chmodded, so `ln -s /tmp/x $COACH_HOME/cache` cannot make Coach
    write into /tmp/x or change its mode.

    Raises UnsafePathError when a file, a link to nothing, or (below `root`) a link stands
    where a folder belongs, and OSError when the folder cannot be made.
    """
    path = Path(path)
    root = path if root is None else Path(root)
    missing = []  # the folders this call makes (the data folder too): each made 0700
    for part in [path, *path.parents]:
        if os.path.lexists(part):
            break
        missing.append(part)
    refuse_links_below(root, path)
    try:
        for part in reversed(missing):
            try:
                part.mkdir(mode=0o700)
            except FileExistsError:
                pass  # made meanwhile by another process
            else:
                part.chmod(0o700)  # whatever the umask
        if not path.is_dir():
            path.mkdir()  # raises: something that is not a folder is there
    except OSError as exc:
        raise (_blocking_component(path, include_self=True) or exc) from None
    refuse_links_below(root, path)  # a link put there meanwhile
    try:
        # A link (the root given as a link) is used, never chmodded: its target is not
        # Coach's. O_NOFOLLOW makes the open fail on one.
        dfd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return path
    try:
        if (os.fstat(dfd).st_mode & 0o777) != 0o700:
            os.fchmod(dfd, 0o700)
    except OSError:
        pass  # another user's folder, or a read-only one: the files are still 0600
    finally:
        os.close(dfd)
    return path


def refuse_links_below(root: Path, path: Path) -> None:
    """Raise UnsafePathError naming the first symbolic link among the folders below `root`
    down to `path` (none when `path` is not below `root`)."""
    if path == root or root not in path.parents:
        return
    below = [path, *path.parents]
    for part in reversed(below[: below.index(root)]):
        try:
            mode = os.lstat(part).st_mode
        except OSError:
            return  # missing from here on: it is made, as a folder
        if stat.S_ISLNK(mode):
            raise UnsafePathError(
                f"{part}: is a symbolic link; Coach does not write through links in its own folders "
                "(move the link away; Coach makes the folder)"
            )


def open_own(path: Path, flags: int, mode: int = 0o600) -> int:
    """Open one of Coach's own files: not through a symbolic link, without blocking, and
    only if it is a regular file. Returns a blocking file descriptor (the caller closes it).

    With any write flag, the file must belong to this user, and a file that is not 0600 is
    made so. Raises FileNotFoundError (no file, and no O_CREAT), UnsafePathError (the path
    is something else: a link, a FIFO, a folder, another user's file, or a folder on the
    way is a file), or OSError.
    """
    path = Path(path)
    try:
        fd = os.open(path, flags | _OPEN_SAFE, mode)
    except FileNotFoundError as exc:
        problem = explain_path_error(path, exc)
        if problem is not exc:
            raise problem from None
        raise
    except OSError as exc:
        raise explain_path_error(path, exc) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _not_regular(path, info.st_mode)
        if flags & _WRITE_FLAGS:
            if info.st_uid != os.geteuid():
                raise _other_owner(path, info.st_uid)
            if info.st_mode & 0o777 != 0o600:
                os.fchmod(fd, 0o600)  # the umask may have taken bits away, or added none
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_own_bytes(path: Path, limit: int | None = None) -> bytes:
    """The bytes of one of Coach's own files, opened as `open_own` does. With `limit`, at
    most limit + 1 bytes are read (so "too large" can be told). Raises FileNotFoundError,
    UnsafePathError or OSError."""
    fd = open_own(path, os.O_RDONLY)
    chunks: list[bytes] = []
    total = 0
    try:
        while limit is None or total <= limit:
            chunk = os.read(fd, 1 << 20 if limit is None else min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks)


def read_user_bytes(path: Path) -> bytes:
    """The bytes of a file a person named (an import, a plan to check): symbolic links are
    followed (it is their file), but a FIFO or a device is refused at once instead of
    blocking. Raises FileNotFoundError, IsADirectoryError, UnsafePathError or OSError."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
        if not stat.S_ISREG(mode):
            raise UnsafePathError(f"{path}: is {kind_of(mode)}, not a file")
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read()
    finally:
        os.close(fd)


def check_replaceable(path: Path) -> None:
    """Refuse to replace `path` when it is not a regular file of this user (a link, a FIFO,
    a folder, another user's file). A missing path is fine. Raises UnsafePathError."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise explain_path_error(Path(path), exc) from None
    if not stat.S_ISREG(info.st_mode):
        raise _not_regular(Path(path), info.st_mode)
    if info.st_uid != os.geteuid():
        raise _other_owner(Path(path), info.st_uid)


def fsync_dir(path: Path) -> None:
    """Make a create, rename or unlink in `path` durable (best effort)."""
    try:
        dfd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


# --- temporary files -----------------------------------------------------------------------


def temporary_path(path: Path, pid: int | None = None) -> Path:
    """The temporary file beside `path` that process `pid` (default: this one) writes
    before the rename: `.NAME.PID.tmp`."""
    return path.with_name(f".{path.name}.{os.getpid() if pid is None else pid}.tmp")


# `.NAME.PID.tmp` (this module and the journal) and `.STEM-PID.tmp`; and the random-suffix
# names of `tempfile.mkstemp` that Coach 0.x used (`.STEM-XXXXXXXX.tmp`), which carry no pid.
# The base is a name Coach gives (ids are lower-case letters, digits and '-'), so a folder
# shared with other programs loses none of their files.
_PID_TEMP = re.compile(r"\.(?P<base>[a-z0-9][a-z0-9._-]*)[.-](?P<pid>[0-9]+)\.tmp")
_LEGACY_TEMP = re.compile(r"\.(?P<base>[a-z0-9][a-z0-9._-]*)-[A-Za-z0-9_]{8}\.tmp")
LEGACY_TEMP_AGE = 3600.0  # seconds: no write of a few KB takes an hour; the writer is gone


def pid_alive(pid: int) -> bool:
    """Whether process `pid` exists (a zombie counts as gone). Another user's process
    exists too."""
    if pid <= 0 or pid > 0x7FFFFFFF:  # beyond pid_t: no process has it (os.kill would overflow)
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return True  # cannot tell: keep its files
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return text[text.rfind(")") + 2 : text.rfind(")") + 3] not in ("Z", "X")


def remove_stale_temporaries(folder: Path, name: str | None = None) -> list[str]:
    """Remove temporary files in `folder` left by processes that died mid-write: names
    `.NAME.PID.tmp` or `.NAME-PID.tmp` whose pid no longer runs, and pid-less mkstemp names
    older than an hour. With `name`, only the temporaries of that file. Best effort (never
    raises); returns the names removed. Call it only on Coach's own folders (the data,
    cache and plans folders) that it is about to write: the name patterns also fit files a
    person may keep in a folder of their own, so a folder named with `-o` is never cleaned."""
    removed: list[str] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    now = time.time()
    for entry in names:
        if not (entry.startswith(".") and entry.endswith(".tmp")):
            continue
        match = _PID_TEMP.fullmatch(entry)
        if match is not None:
            if name is not None and match["base"] not in (name, Path(name).stem):
                continue
            if pid_alive(int(match["pid"])):
                continue  # still running: it may be writing
        else:
            legacy = _LEGACY_TEMP.fullmatch(entry)
            if legacy is None or (name is not None and legacy["base"] != Path(name).stem):
                continue
            try:
                if now - os.lstat(folder / entry).st_mtime < LEGACY_TEMP_AGE:
                    continue
            except OSError:
                continue
        try:
            if stat.S_ISREG(os.lstat(folder / entry).st_mode):
                os.unlink(folder / entry)
                removed.append(entry)
        except OSError:
            pass
    return removed


# Two threads of one process replacing the same file would share a temporary name.
_WRITE_LOCK = threading.Lock()


def _write_temporary(tmp: Path, data: bytes) -> None:
    """Create `tmp` (0600, not through a link), write `data`, fsync. Removes it on failure."""
    try:
        os.unlink(tmp)  # a leftover of a dead process that had this pid
    except FileNotFoundError:
        pass
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _OPEN_SAFE, 0o600)
    _fill_and_sync(fd, tmp, data)


def _fill_and_sync(fd: int, tmp: Path, data: bytes | Callable[[BinaryIO], object]) -> None:
    """Make the new file `tmp` (open as `fd`) 0600 whatever the umask, write `data` (or let
    it write itself: a function given the file, buffered), fsync and close; on any failure
    remove `tmp` and re-raise."""
    try:
        try:
            os.fchmod(fd, 0o600)
            if callable(data):
                with os.fdopen(fd, "wb", buffering=1 << 20, closefd=False) as stream:
                    data(stream)
            else:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        _unlink_quietly(tmp)
        raise


def _write_new_temporary(path: Path, data: bytes | Callable[[BinaryIO], object]) -> Path:
    """Create a temporary file beside `path` under a name no file has (`.NAME.XXXXXXXX.tmp`,
    created with O_EXCL and not through a link by `tempfile.mkstemp`), mode 0600, write
    `data`, fsync; return its path. Removes only that file on failure."""
    import tempfile

    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    _fill_and_sync(fd, tmp, data)
    return tmp


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def write_private_atomic(path: Path, data: bytes, *, root: Path | None = None) -> None:
    """Replace `path` with `data`: a temporary file beside it (`.NAME.PID.tmp`, mode 0600
    whatever the umask), fsync, rename, fsync of the folder. The folder is made private if
    it is new (`ensure_private_dir(path.parent, root=root)`: below `root`, default the
    folder itself, no folder may be a symbolic link); stale temporaries of dead processes
    in it are removed first.

    Raises UnsafePathError when `path` is a link, a FIFO, a folder or another user's file,
    or a folder below `root` is a link (all left alone), and OSError when the write fails
    (the old file is unchanged and no temporary file is left).
    """
    path = Path(path)
    ensure_private_dir(path.parent, root=root)
    remove_stale_temporaries(path.parent)
    check_replaceable(path)
    tmp = temporary_path(path)
    with _WRITE_LOCK:
        _write_temporary(tmp, data)
        try:
            os.replace(tmp, path)
        except BaseException:
            _unlink_quietly(tmp)
            raise
    fsync_dir(path.parent)


# --- output files (-o FILE) ------------------------------------------------------------------


def check_output_path(path: Path, *, force: bool) -> bool:
    """Whether `write_output(path, …, force=force)` may go ahead, told before any work is
    done: returns whether something is at `path` now. Raises UsageError for a path that
    exists without `force`, a folder, a FIFO or device, or a folder that does not exist."""
    path = Path(path)
    try:
        info: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {error_text(explain_path_error(path, exc))}") from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise UsageError(f"{path}: is a folder; give a file name")
        if not (stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)):
            raise UsageError(
                f"{path}: is {kind_of(info.st_mode)}; -o writes a regular file "
                "(leave out -o to print to the screen)"
            )
        if not force:
            raise UsageError(f"{path}: already exists; add --force to replace it")
    if not path.parent.is_dir():
        raise UsageError(f"{path.parent}: no such folder")
    return info is not None


def write_output(path: Path, data: bytes | Callable[[BinaryIO], object], *, force: bool = False) -> None:
    """Write a file a person asked for (`-o FILE`): atomically (a temporary file in the same
    folder, fsync, rename), readable by its owner only (0600, also when it replaces a 0644
    file), and never over an existing file unless `force`. `data` is the bytes, or a
    function that writes them to the binary file it is given (an export streamed from the
    history: a million records never held in memory at once); whatever it raises leaves
    nothing behind and is raised again (an OSError as the CoachError below). A symbolic link at `path` is
    replaced by the file (its target is left alone); a folder, a FIFO or a device is never
    replaced.

    Raises UsageError (exit 2) for a path that exists without `force`, is a folder or a
    special file, or whose folder is missing; CoachError (exit 1) when the write fails, in
    which case an old file is unchanged and no temporary file is left.
    """
    path = Path(path)
    existed = check_output_path(path, force=force)
    folder = path.parent
    unchanged = "the existing file is unchanged" if existed else "nothing was written"
    try:
        with _WRITE_LOCK:
            # The folder is the person's: nothing in it is Coach's to clean, and the
            # temporary gets a name nobody has (O_EXCL) instead of replacing one.
            tmp = _write_new_temporary(path, data)
            try:
                if force:
                    os.replace(tmp, path)
                else:
                    _link_new(tmp, path)
            finally:
                _unlink_quietly(tmp)  # after a link, or if the rename failed
    except FileExistsError:
        raise UsageError(f"{path}: already exists; add --force to replace it") from None
    except OSError as exc:
        raise CoachError(f"{path}: cannot write ({error_text(exc)}); {unchanged}") from None
    fsync_dir(folder)


def _link_new(tmp: Path, path: Path) -> None:
    """Give `tmp` the name `path` only if nothing has it (a hard link cannot replace);
    on file systems without hard links, check and rename."""
    try:
        os.link(tmp, path, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
            raise
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, "File exists", str(path)) from None
        os.rename(tmp, path)
