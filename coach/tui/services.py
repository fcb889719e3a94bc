"""What the app needs from the outside world, gathered so tests can replace any of it.

The clock is monotonic seconds (all timing comes from it); `today` and `wall_now` are only
for dates shown to people and written in records. Nothing here imports Textual or pydantic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach import paths
from coach.start import session_clock

if TYPE_CHECKING:
    from coach.library import Library


def _wall_now() -> datetime:
    return datetime.now().astimezone()


def _default_library() -> Library:
    from coach.library import Library

    return Library.default()


@dataclass
class Services:
    clock: Callable[[], float] = session_clock  # counts a suspended machine's time too
    today: Callable[[], date] = date.today
    wall_now: Callable[[], datetime] = _wall_now
    # The zone the History screen shows times in; None: this machine's (summer time too).
    zone: tzinfo | None = None
    library: Callable[[], Library] = _default_library
    settings_path: Path = field(default_factory=paths.settings_file)
    history_path: Path = field(default_factory=paths.history_file)
    journal_path: Path = field(default_factory=paths.journal_file)
    plans_dir: Path = field(default_factory=paths.plans_dir)
    usual_path: Path = field(default_factory=paths.usual_file)  # coach.usual: the last routine, cautions seen
    # Builds the sound player; given the app's bell as the fallback. None: the real one.
    make_player: Callable[[Callable[[], None]], Any] | None = None
