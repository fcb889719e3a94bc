"""The person's settings: sound, volume, voice, reduced motion, theme, the lead-in, the default
length, and whether the first-run note has been seen. One small JSON file
(`paths.settings_file()`), no Textual, no pydantic.

Reading never fails: a missing, unreadable or broken file gives the defaults, and a field
with a wrong value falls back to its default alone. A file that is there but cannot be
read, or holds a value Coach cannot use, is never written over (`read_settings` says what
is wrong; the shells say it once). Writes are atomic (a temporary file in the same folder,
then a rename) and the file is readable by its owner only. The file is read without
following a symbolic link or blocking on a FIFO (`coach.files`).
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

DEFAULT_THEME = "textual-dark"
MAX_BYTES = 64 * 1024  # a settings file is a few hundred bytes; anything huge is not ours


@dataclass(frozen=True)
class Settings:
    """The app's settings as stored in settings.json; `volume` is 0-100, `theme` a Textual
    theme name, `voice` a spoken guidance level (`coach.voice.VOICE_LEVELS`: "off",
    "titles", "instructions", "breaths"), `lead_in` the 3-2-1 count before the first step and
    after a resume (`coach.session.LEAD_IN_SECONDS`), `default_minutes` the length a routine
    is scaled to (`coach.scaling`, about that many minutes, MIN_MINUTES-MAX_MINUTES) when it
    is started without a length chosen and counts towards no plan; None: as written.
    Unknown keys are kept in `extra` and written back."""

    sound: bool = True
    volume: int = 70  # 0-100
    voice: str = "off"  # coach.voice.VOICE_LEVELS
    reduced_motion: bool = False
    theme: str = DEFAULT_THEME
    first_run_seen: bool = False
    lead_in: bool = True  # a 3-second count before the first step and after a resume
    default_minutes: int | float | None = None  # None: routines run as written
    # Keys this version does not know, kept so that an older coach does not drop them.
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def with_(self, **changes: Any) -> Settings:
        """A copy with the given fields changed."""
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        """The stored object: the known keys in order, then the kept unknown ones."""
        obj: dict[str, Any] = {
            "sound": self.sound,
            "volume": self.volume,
            "voice": self.voice,
            "reduced_motion": self.reduced_motion,
            "theme": self.theme,
            "first_run_seen": self.first_run_seen,
            "lead_in": self.lead_in,
            "default_minutes": self.default_minutes,
        }
        for key, value in self.extra.items():
            obj.setdefault(key, value)
        return obj


_KNOWN = frozenset(f.name for f in fields(Settings)) - {"extra"}


def _clean(obj: dict[str, Any]) -> tuple[Settings, list[str]]:
    """Each known field that has the right type is used; the rest keep their defaults and
    are named in the returned list ("sound is \"loud\", not true or false"), so that the
    file is never written over with a value the person did not choose."""
    defaults = Settings()
    values: dict[str, Any] = {}
    wrong: list[str] = []
    for name in ("sound", "reduced_motion", "first_run_seen", "lead_in"):
        if name not in obj:
            continue
        if type(obj[name]) is bool:
            values[name] = obj[name]
        else:
            wrong.append(f"{name} is {_shown(obj[name])}, not true or false")
    if "volume" in obj:
        volume = obj["volume"]
        if (type(volume) is int or (type(volume) is float and math.isfinite(volume))) and 0 <= volume <= 100:
            values["volume"] = round(volume)
        else:
            wrong.append(f"volume is {_shown(volume)}, not a number from 0 to 100")
    if "voice" in obj:
        from coach.voice import VOICE_LEVELS

        if obj["voice"] in VOICE_LEVELS:
            values["voice"] = obj["voice"]
        else:
            wrong.append(f"voice is {_shown(obj['voice'])}, not one of {', '.join(VOICE_LEVELS)}")
    if "default_minutes" in obj:
        from coach.scaling import MAX_MINUTES, MIN_MINUTES

        minutes = obj["default_minutes"]
        number = type(minutes) in (int, float) and math.isfinite(minutes)
        if minutes is None:
            values["default_minutes"] = None
        elif number and MIN_MINUTES <= minutes <= MAX_MINUTES:
            values["default_minutes"] = int(minutes) if float(minutes).is_integer() else float(minutes)
        else:  # `coach run --minutes` takes 1-120 (coach.scaling.check_minutes): the same here
            wrong.append(f"default_minutes is {_shown(minutes)}, not null (as written) "
                         f"or a number of minutes from {MIN_MINUTES:g} to {MAX_MINUTES:g}")  # fmt: skip
    if "theme" in obj:
        theme = obj["theme"]
        if isinstance(theme, str) and 0 < len(theme) <= 100 and theme.isprintable():
            values["theme"] = theme
        else:
            wrong.append(f"theme is {_shown(theme)}, not a theme name")
    extra = {k: v for k, v in obj.items() if k not in _KNOWN}
    return replace(defaults, **values, extra=extra), wrong


def _shown(value: Any) -> str:
    """A stored value as JSON, cut short and made safe for a terminal."""
    from coach.text import visible

    text = json.dumps(value, ensure_ascii=False)
    return visible(text if len(text) <= 40 else text[:39] + "…")


# Said after a settings file's problem: Coach goes on, and never writes over that file.
KEPT_AS_IT_IS = "using the defaults for what cannot be used and leaving the file as it is"


@dataclass(frozen=True)
class LoadedSettings:
    """What `read_settings` found: the settings to use, and `problem`, one sentence naming
    the file and what is wrong, when a settings file exists but cannot be used (then
    `settings` are the defaults and the file must not be written over)."""

    settings: Settings
    problem: str | None = None

    @property
    def writable(self) -> bool:
        """False when the file exists but could not be read: saving would lose it."""
        return self.problem is None


def read_settings(path: Path) -> LoadedSettings:
    """The settings in `path`: the defaults without a problem when there is no file; the
    defaults with a problem (e.g. "…/settings.json:1:62: trailing comma …") when the file
    is there but is not usable JSON, not an object, too large (over MAX_BYTES), a link,
    a FIFO, a folder or unreadable. Never raises for the file's content or shape."""
    from coach.files import error_text, read_own_bytes

    try:
        data = read_own_bytes(path, MAX_BYTES)  # no link followed, never blocks on a FIFO
    except FileNotFoundError as exc:
        if os.path.lexists(path):  # gone and back meanwhile: say so rather than guess
            return LoadedSettings(Settings(), f"{path}: {error_text(exc)}")
        return LoadedSettings(Settings())  # no file yet: the defaults, nothing to keep
    except OSError as exc:
        if not os.path.lexists(path):  # a folder on the way is a file: no settings file to keep
            return LoadedSettings(Settings())
        text = error_text(exc)
        return LoadedSettings(Settings(), text if text.startswith(str(path)) else f"{path}: {text}")
    if len(data) > MAX_BYTES:
        too_large = f"{path}: is larger than {MAX_BYTES // 1024} KiB, not a settings file"
        return LoadedSettings(Settings(), too_large)
    from coach.jsonsource import JSONProblem, parse_json

    try:
        obj = parse_json(data, str(path))
    except JSONProblem as exc:
        return LoadedSettings(Settings(), exc.message)
    if not isinstance(obj, dict):
        return LoadedSettings(Settings(), f"{path}: is not a JSON object of settings")
    settings, wrong = _clean(obj)
    if wrong:  # the good fields are used; the file keeps the person's values
        return LoadedSettings(settings, f"{path}: " + "; ".join(wrong))
    return LoadedSettings(settings)


def load_settings(path: Path) -> Settings:
    """The settings in `path`, or the defaults where it is missing or broken (see
    `read_settings`, which also says what is wrong with a file that is there)."""
    return read_settings(path).settings


def save_settings(settings: Settings, path: Path) -> None:
    """Write `settings` atomically, mode 0600, in a private folder; a temporary file that a
    killed process left there is removed first. Raises OSError (UnsafePathError, with one
    sentence as its text, when settings.json is a link, a FIFO, a folder or another user's)."""
    from coach.files import write_private_atomic  # here: only a save needs it

    text = json.dumps(settings.to_json(), indent=2, ensure_ascii=False) + "\n"
    write_private_atomic(path, text.encode("utf-8"))
