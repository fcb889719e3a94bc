"""Cheap looks at files another window changes while the app is open: the history file
(`coach remind` or `coach run` in another pane records a session), the usual break
(`coach.usual`: what `r` starts), the user's routines folder (a routine added, removed or
edited). A screen keeps the stamps of its last look and reads the data again only when a
stamp differs.

A look is a few `stat` calls and one listing of the routines folder (tens of microseconds
for a few dozen files), so screens take one every HISTORY_CHECK seconds, in a worker
thread (a slow or network file system never holds the screen). No Textual here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

# Seconds between two looks (the History screen and home). A person switching panes after
# a session sees the new line within this; each look costs microseconds, so the cost of
# looking is not measurable (bench/ has nothing to show at this rate).
HISTORY_CHECK = 3.0

# A file's (size, modification time in ns, inode); None when there is none.
FileStamp = tuple[int, int, int] | None


def file_stamp(path: Path) -> FileStamp:
    """(size, st_mtime_ns, inode) of `path` (a link followed), or None when it cannot be
    stat'ed (missing, unreadable folder). An append changes the size; a replacement (a
    clear, an import) the inode; an edit in place the modification time."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):  # ValueError: a path with a NUL
        return None
    return info.st_size, info.st_mtime_ns, info.st_ino


def folder_stamp(folder: Path | None) -> tuple[FileStamp, frozenset[tuple[str, int, int]]] | None:
    """The folder's own stamp (a file added, removed or renamed changes its modification
    time) and (name, size, st_mtime_ns) of each `*.json` in it (a routine edited in place
    changes neither the folder nor the list of names); None for no folder. Never opens a
    file, so a FIFO in the folder does not block."""
    if folder is None:
        return None
    own = file_stamp(folder)
    if own is None:
        return None
    entries: set[tuple[str, int, int]] = set()
    try:
        with os.scandir(folder) as found:
            for entry in found:
                if not entry.name.endswith(".json"):
                    continue
                try:
                    info = entry.stat()
                except OSError:  # a dangling link: its name is stamp enough
                    entries.add((entry.name, -1, -1))
                    continue
                entries.add((entry.name, info.st_size, info.st_mtime_ns))
    except OSError:
        pass
    return own, frozenset(entries)


@dataclass(frozen=True)
class HomeStamps:
    """What home's line and list depend on, as of one look: the history file, the usual
    break file, the user's routines folder, and today's date (past midnight "today" and
    the streak change with no file touched)."""

    history: FileStamp
    usual: FileStamp
    routines: tuple[FileStamp, frozenset[tuple[str, int, int]]] | None
    today: date


def home_stamps(history: Path, usual: Path, routines: Path | None, today: date) -> HomeStamps:
    """One look at what home shows (see HomeStamps); runs in a worker thread."""
    return HomeStamps(file_stamp(history), file_stamp(usual), folder_stamp(routines), today)
