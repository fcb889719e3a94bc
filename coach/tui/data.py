"""Reading the history for the screens. Called from worker threads, never on the event loop.

The figures come from `coach.stats`; the store and the crash recovery from `coach.history`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from coach.errors import CoachError
from coach.tui.facts import HomeFacts
from coach.tui.services import Services

if TYPE_CHECKING:
    from coach.records import SessionRecord
    from coach.stats import Stats


@dataclass
class HistoryView:
    today: date
    records: list[SessionRecord] = field(default_factory=list)  # newest first
    stats: Stats | None = None
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, reason) unreadable
    error: str | None = None  # the file could not be read at all


def newest_first(records: list[SessionRecord]) -> list[SessionRecord]:
    return sorted(records, key=lambda r: r.started(), reverse=True)


def read_history(services: Services) -> HistoryView:
    from coach import stats
    from coach.history import HistoryStore

    today = services.today()
    try:
        result = HistoryStore(services.history_path).read()
    except CoachError as exc:
        return HistoryView(today, error=exc.message)
    except OSError as exc:
        return HistoryView(today, error=f"cannot read {services.history_path}: {exc.strerror or exc}")
    return HistoryView(
        today=today,
        records=newest_first(result.records),
        stats=stats.compute(result.records, today),
        problems=list(result.problems),
    )


def recover(services: Services) -> SessionRecord | None:
    """Save a session that a crash left in the journal (as not completed), once. Skipped
    while a session holds the session lock (its journal is no crash)."""
    from coach.history import HistoryStore
    from coach.journal import recover_journal

    try:
        return recover_journal(HistoryStore(services.history_path), services.journal_path)
    except Exception:  # recovery must never stop the app from opening
        return None


def home_facts(services: Services, *, recovered: SessionRecord | None = None) -> HomeFacts:
    """The home screen's line; `recovered` is what `recover` saved at start, to mention once."""
    view = read_history(services)
    return HomeFacts(
        today=view.today,
        last=view.records[0] if view.records else None,
        streak=view.stats.current_streak if view.stats is not None else 0,
        recovered=recovered,
        unreadable=len(view.problems),
        error=view.error,
    )


def streak(services: Services) -> int | None:
    view = read_history(services)
    return view.stats.current_streak if view.stats is not None else None
