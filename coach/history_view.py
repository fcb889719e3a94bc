"""The history as the app's screens show it: the records newest first with their figures,
and the few facts the home screen's status line words. No Textual.

Reading is done in the app's worker threads, never on its event loop; the figures come
from `coach.stats`, the store and the crash recovery from `coach.history` and
`coach.journal`. Nothing here raises for what a history file holds: a file that cannot be
read is an `error` to show, unreadable lines are `problems`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from coach.errors import CoachError

if TYPE_CHECKING:
    from coach.records import SessionRecord
    from coach.stats import Stats


@dataclass
class HistoryView:
    """What the history screen shows: records newest first, their stats (None when the
    file could not be read), the (line number, reason) of each unreadable line, and the
    one-line error when the whole file could not be read."""

    today: date
    records: list[SessionRecord] = field(default_factory=list)  # newest first
    stats: Stats | None = None
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, reason) unreadable
    error: str | None = None  # the file could not be read at all


@dataclass(frozen=True)
class HomeFacts:
    """What the home screen's status line says: the last session, the current streak in
    days, a session recovered from the crash journal at start (mentioned once), the number
    of unreadable history lines, and the error when the history could not be read."""

    today: date
    last: SessionRecord | None = None
    streak: int = 0
    recovered: SessionRecord | None = None
    unreadable: int = 0  # history lines that could not be read
    error: str | None = None  # the history could not be read at all


def newest_first(records: list[SessionRecord]) -> list[SessionRecord]:
    """The records sorted by start time, latest first (a new list)."""
    return sorted(records, key=lambda r: r.started(), reverse=True)


def read_history(history_path: Path, today: date) -> HistoryView:
    """The whole history file as the history screen shows it; `today` dates the streak.
    An unreadable file is `HistoryView.error`, never an exception."""
    from coach import stats
    from coach.history import HistoryStore

    try:
        result = HistoryStore(history_path).read()
    except CoachError as exc:
        return HistoryView(today, error=exc.message)
    except OSError as exc:
        return HistoryView(today, error=f"cannot read {history_path}: {exc.strerror or exc}")
    return HistoryView(
        today=today,
        records=newest_first(result.records),
        stats=stats.compute(result.records, today),
        problems=list(result.problems),
    )


def recover(history_path: Path, journal_path: Path) -> SessionRecord | None:
    """Save a session that a crash left in the journal (with the outcome it reached:
    completed, partly done or stopped), once, and return its record; None when there was
    none. Skipped while a session holds the session lock (its journal is no crash). Never
    raises: recovery must never stop the app from opening (the journal stays for the next
    start)."""
    from coach.history import HistoryStore
    from coach.journal import recover_journal

    try:
        return recover_journal(HistoryStore(history_path), journal_path)
    except Exception:
        return None


def home_facts(history_path: Path, today: date, *, recovered: SessionRecord | None = None) -> HomeFacts:
    """The home screen's facts from the history file; `recovered` is what `recover` saved
    at start, to mention once."""
    view = read_history(history_path, today)
    return HomeFacts(
        today=view.today,
        last=view.records[0] if view.records else None,
        streak=view.stats.current_streak if view.stats is not None else 0,
        recovered=recovered,
        unreadable=len(view.problems),
        error=view.error,
    )


def streak(history_path: Path, today: date) -> int | None:
    """The current streak in days, or None when the history cannot be read."""
    view = read_history(history_path, today)
    return view.stats.current_streak if view.stats is not None else None


def when(started: date, today: date) -> str:
    """A session's day as the screens say it: "today", "yesterday", "3 days ago" (up to
    six), else the ISO date."""
    gap = (today - started).days
    if gap == 0:
        return "today"
    if gap == 1:
        return "yesterday"
    if 1 < gap < 7:
        return f"{gap} days ago"
    return started.isoformat()


def ratings(pre: int | None, post: int | None) -> str:
    """The ratings before and after a session: "3 → 6", a skipped one as "–"."""

    def show(value: int | None) -> str:
        return "–" if value is None else str(value)

    return f"{show(pre)} → {show(post)}"
