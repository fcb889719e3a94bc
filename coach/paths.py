"""Where Coach keeps its files. The only module that knows; everything else takes paths.

`COACH_HOME` points every file of the program at one folder (tests use it). Otherwise the
platform's per-user data folder (XDG on Linux) holds data and settings, and the cache
folder holds only what can be rebuilt.
"""

from __future__ import annotations

import os
from pathlib import Path

# Re-exported: callers that make the data folders import it from here.
from coach.files import ensure_private_dir as ensure_private_dir

APP_NAME = "coach"


def _home_override() -> Path | None:
    value = os.environ.get("COACH_HOME")
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    home = _home_override()
    if home is not None:
        return home
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def cache_dir() -> Path:
    home = _home_override()
    if home is not None:
        return home / "cache"
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False)


def history_file() -> Path:
    return data_dir() / "history.jsonl"


def journal_file() -> Path:
    return data_dir() / "session.journal.json"


def settings_file() -> Path:
    return data_dir() / "settings.json"


def usual_file() -> Path:
    """The usual break (`coach.usual`): the last routine and concerns, the cautions seen."""
    return data_dir() / "usual.json"


def breaks_file() -> Path:
    """The log of breaks a reminder offered and what was done (taken, stopped, skipped, postponed)."""
    return data_dir() / "breaks.jsonl"


def remind_state_file() -> Path:
    """What a running `coach remind` says about itself (its pid, the next break), for
    `coach status`; rebuilt by the reminder, so it lives in the cache folder."""
    return cache_dir() / "remind.json"


def user_routines_dir() -> Path:
    return data_dir() / "routines"


def plans_dir() -> Path:
    return data_dir() / "plans"


def builtin_routines_dir() -> Path:
    """The routines shipped with Coach: inside the wheel, or the checkout's `routines/`."""
    here = Path(__file__).resolve().parent
    packaged = here / "builtin_routines"
    if packaged.is_dir():
        return packaged
    return here.parent / "routines"
