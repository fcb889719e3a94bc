"""The history as the app's screens and the status commands show it, read through the
history index (coach.index): never the whole file into memory. No Textual.

For the History screen:

- `history_summary(path, today)`: in one read, the number of sessions, every figure of
  `coach stats` (what helped most, ranked, with its counts), the weekly pre-session trend
  with empty weeks present, the practice days for a calendar, and the unreadable lines.
- `session_page(path, offset=, limit=)`: one page of sessions, newest first, with the total
  (filters: `since`, `routine`).
- `session_detail(path, id)`: one session, whole (its note too).

For home and `coach status`: `home_facts` (the last session, the streak, unreadable lines)
and `streak`. For plans (`coach due`, plan views and reports): `plan_records`.

Every call opens the index, brings it up to date (incrementally: a few milliseconds when
nothing changed) and closes it, so it may run in any worker thread; never on the app's
event loop (a first build of a large history takes seconds). Nothing here raises for what
a history file holds: a file that cannot be read is an `error` to show, unreadable lines
are `problems`. `index_path` (every function) defaults to `coach.index.default_index_path`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from coach.errors import CoachError

if TYPE_CHECKING:
    from coach.records import LineProblem, SessionRecord
    from coach.stats import PracticeDay, Stats, WeekTrend

# Weeks of the pre-session trend `history_summary` gives by default (about half a year).
TREND_WEEKS = 26


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


def _failure(history_path: Path, exc: Exception) -> str:
    if isinstance(exc, CoachError):
        return exc.message
    if isinstance(exc, OSError):
        return f"cannot read {history_path}: {exc.strerror or exc}"
    return f"cannot read {history_path}: {exc}"


@dataclass(frozen=True)
class HistorySummary:
    """Everything the History screen shows except the rows, as of `today`.

    `sessions` counts every valid record; `stats` has the figures of `coach stats`
    (`stats.helped`: what helped most, best first, each with `rated` and `median_change`;
    `stats.routines`: every routine's figures); `weeks` the weekly pre-session trend, oldest
    first, every week present (`rated` 0 and no median for a week without ratings), ending
    with this week; `days` the days with sessions (oldest first) for a practice calendar.
    `problems` are the unreadable lines (line, reason); `note` one line when the on-disk
    index could not be used; `error` the one-line reason when the history could not be
    read at all (then everything else is empty)."""

    today: date
    sessions: int = 0
    stats: Stats | None = None
    weeks: list[WeekTrend] = field(default_factory=list)
    days: list[PracticeDay] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)
    note: str | None = None
    error: str | None = None


def history_summary(
    history_path: Path, today: date, *, weeks: int | None = TREND_WEEKS, index_path: Path | None = None
) -> HistorySummary:
    """The History screen's figures in one read of the index (cost grows with days and
    routines, not sessions). `weeks`: how many weeks of trend, ending with `today`'s week
    (None: from the first week with a pre-rating)."""
    from datetime import timedelta

    from coach import stats as st
    from coach.index import open_index

    try:
        with open_index(history_path, index_path) as index:
            tallies = index.tallies()
            figures = st.summarise(tallies, today)
            first = None if weeks is None else today - timedelta(weeks=max(weeks, 1) - 1)
            trend = st.weekly_trend(tallies, first, today) if weeks is not None or tallies.days else []
            return HistorySummary(
                today=today,
                sessions=figures.all_time.sessions,
                stats=figures,
                weeks=trend,
                days=st.practice_days(tallies),
                problems=index.problems(),
                note=index.note,
            )
    except (CoachError, OSError) as exc:
        return HistorySummary(today, error=_failure(history_path, exc))


@dataclass(frozen=True)
class SessionPage:
    """One page of sessions, newest first: `records` from position `offset` (0 is the
    latest session), `total` sessions that match the filters, and `error` (one line) when
    the history could not be read."""

    offset: int
    total: int = 0
    records: list[SessionRecord] = field(default_factory=list)
    error: str | None = None


def session_page(
    history_path: Path,
    *,
    offset: int = 0,
    limit: int = 50,
    since: date | None = None,
    routine: str | None = None,
    index_path: Path | None = None,
) -> SessionPage:
    """Sessions `offset` to `offset + limit` (newest first, by the instant they started;
    ties newest line first), of those on or after `since` (a local date) and of `routine`
    (an id) when given. Reads only that page's lines from the file."""
    from coach.index import open_index

    try:
        with open_index(history_path, index_path) as index:
            total = index.count(since=since, routine=routine)
            chosen = index.records(
                since=since, routine=routine, newest_first=True, offset=offset, limit=limit
            )
            return SessionPage(offset, total, list(chosen))
    except (CoachError, OSError) as exc:
        return SessionPage(offset, error=_failure(history_path, exc))


def session_detail(
    history_path: Path, session_id: str, *, index_path: Path | None = None
) -> SessionRecord | None:
    """The session with this id, whole (note and every field, those of newer formats in
    `extra`), or None when there is none or the history cannot be read."""
    from coach.index import open_index

    try:
        with open_index(history_path, index_path) as index:
            return index.session(session_id)
    except (CoachError, OSError):
        return None


def plan_records(
    history_path: Path, plan_ids: list[str] | set[str], *, index_path: Path | None = None
) -> list[SessionRecord]:
    """The sessions that carry one of these plan ids, in file order (what coach.adherence
    and plan reports read). Raises CoachError when the history cannot be read."""
    from coach.index import open_index

    with open_index(history_path, index_path) as index:
        return index.plan_records(plan_ids)


def read_history(history_path: Path, today: date) -> HistoryView:
    """The whole history as the first History screen showed it: every record, newest
    first. It holds them all in memory: new screens use `history_summary` and
    `session_page` instead. An unreadable file is `HistoryView.error`, never an exception."""
    from coach.index import open_index

    try:
        with open_index(history_path) as index:
            records = list(index.records(newest_first=True))
            return HistoryView(today, records, index.stats(today), index.problems())
    except (CoachError, OSError) as exc:
        return HistoryView(today, error=_failure(history_path, exc))


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


def home_facts(
    history_path: Path,
    today: date,
    *,
    recovered: SessionRecord | None = None,
    index_path: Path | None = None,
) -> HomeFacts:
    """The home screen's facts from the history index (the last session by start time, the
    current streak, the number of unreadable lines); `recovered` is what `recover` saved at
    start, to mention once. Costs a few milliseconds on an up-to-date index of any size."""
    from coach.index import open_index

    try:
        with open_index(history_path, index_path) as index:
            return HomeFacts(
                today=today,
                last=index.last(),
                streak=index.stats(today).current_streak,
                recovered=recovered,
                unreadable=len(index.problems()),
            )
    except (CoachError, OSError) as exc:
        return HomeFacts(today, recovered=recovered, error=_failure(history_path, exc))


def streak(history_path: Path, today: date, *, index_path: Path | None = None) -> int | None:
    """The current streak in days (days with a completed session, ending today or
    yesterday), or None when the history cannot be read. From the index's tallies alone:
    unlike `home_facts` it reads no record back, so it loads no record parser (`coach
    status` runs on every shell prompt)."""
    from coach.index import open_index

    try:
        with open_index(history_path, index_path) as index:
            return index.stats(today).current_streak
    except (CoachError, OSError):
        return None


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
