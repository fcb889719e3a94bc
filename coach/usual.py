"""The usual break: what the app and `coach run --last` remember between runs.

One small JSON file (`paths.usual_file()`), written atomically and privately
(`coach.files.write_private_atomic`), no Textual, no pydantic:

    {"last": {"routine": "neck-and-shoulders", "minutes": null},
     "concerns": ["neck", "stress"],
     "cautions_seen": {"neck-and-shoulders": "sha256:…"}}

- `last`: the routine of the last session started (as `coach run` takes it: an id,
  `PLAN/ID`, or a path) and the length it was scaled to (`--minutes`; null: as written).
  `r` on the home screen and `coach run --last` start it again.
- `concerns`: the last answer to "what bothers you today?" (`coach.intake.CONCERNS` keys).
- `cautions_seen`: per routine, the hash of the cautions and stop-if lines the person last
  acknowledged. The caution screen comes before a routine's first session and whenever
  those lines change (DESIGN.md, The app); otherwise the rating screen gives one line.

Reading never fails: a missing file is the empty state; a file that is there but cannot be
used gives the empty state and a problem, and is then never written over (what it holds
is the person's). Fields of the wrong shape are ignored one by one.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

MAX_BYTES = 256 * 1024  # a few hundred bytes per routine seen; anything larger is not ours
_REF_LIMIT = 4096  # a routine reference is an id, PLAN/ID or a path


@dataclass(frozen=True)
class Usual:
    """What is remembered. `last_routine`: a routine reference or None; `last_minutes`:
    the length it was scaled to (minutes) or None; `concerns`: intake keys;
    `cautions_seen`: routine id → `cautions_hash`."""

    last_routine: str | None = None
    last_minutes: float | None = None
    concerns: tuple[str, ...] = ()
    cautions_seen: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "last": None if self.last_routine is None
            else {"routine": self.last_routine, "minutes": self.last_minutes},
            "concerns": list(self.concerns),
            "cautions_seen": dict(sorted(self.cautions_seen.items())),
        }  # fmt: skip

    def with_last(self, routine: str, minutes: float | None) -> Usual:
        return replace(self, last_routine=routine, last_minutes=minutes)

    def with_concerns(self, concerns: Sequence[str]) -> Usual:
        return replace(self, concerns=tuple(concerns))

    def with_cautions_seen(self, routine_id: str, digest: str) -> Usual:
        return replace(self, cautions_seen={**self.cautions_seen, routine_id: digest})

    def cautions_due(self, routine_id: str, cautions: Sequence[str], stop_if: Sequence[str]) -> bool:
        """Whether the caution screen comes before this session: the routine has cautions
        or stop-if lines and they are not the ones last acknowledged for `routine_id`
        (never seen, or changed since)."""
        if not cautions and not stop_if:
            return False
        return self.cautions_seen.get(routine_id) != cautions_hash(cautions, stop_if)


def cautions_hash(cautions: Sequence[str], stop_if: Sequence[str]) -> str:
    """"sha256:<hex>" of a routine's cautions and stop-if lines (their order counts: an
    author who reorders them may mean something by it)."""
    text = json.dumps({"cautions": list(cautions), "stop_if": list(stop_if)}, ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LoadedUsual:
    """`usual`, and `problem` (one sentence) when a file is there that cannot be used:
    then it must not be written over."""

    usual: Usual
    problem: str | None = None


def _clean(obj: dict[str, Any]) -> Usual:
    values: dict[str, Any] = {}
    last = obj.get("last")
    if isinstance(last, dict):
        routine, minutes = last.get("routine"), last.get("minutes")
        if isinstance(routine, str) and 0 < len(routine) <= _REF_LIMIT and routine.isprintable():
            values["last_routine"] = routine
            if isinstance(minutes, int | float) and not isinstance(minutes, bool) and 0 < minutes <= 120:
                values["last_minutes"] = float(minutes)
    concerns = obj.get("concerns")
    if isinstance(concerns, list):
        values["concerns"] = tuple(c for c in concerns if isinstance(c, str) and c.isprintable())[:20]
    seen = obj.get("cautions_seen")
    if isinstance(seen, dict):
        values["cautions_seen"] = {k: v for k, v in seen.items() if isinstance(k, str) and isinstance(v, str)}
    return Usual(**values)


def read_usual(path: Path) -> LoadedUsual:
    """What `path` remembers; the empty state when there is no file; the empty state and a
    problem when the file is there but is not usable JSON, not an object, too large, a
    link, a FIFO, a folder or unreadable. Never raises for the file's content or shape."""
    from coach.files import error_text, read_own_bytes

    try:
        data = read_own_bytes(path, MAX_BYTES)  # no link followed, never blocks on a FIFO
    except FileNotFoundError:
        if os.path.lexists(path):
            return LoadedUsual(Usual(), f"{path}: is not a regular file")
        return LoadedUsual(Usual())
    except OSError as exc:
        if not os.path.lexists(path):
            return LoadedUsual(Usual())
        text = error_text(exc)
        return LoadedUsual(Usual(), text if text.startswith(str(path)) else f"{path}: {text}")
    if len(data) > MAX_BYTES:
        return LoadedUsual(Usual(), f"{path}: is larger than {MAX_BYTES // 1024} KiB")
    try:
        obj = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return LoadedUsual(Usual(), f"{path}: is not a JSON object of Coach's own")
    if not isinstance(obj, dict):
        return LoadedUsual(Usual(), f"{path}: is not a JSON object of Coach's own")
    return LoadedUsual(_clean(obj))


def save_usual(usual: Usual, path: Path) -> None:
    """Write `usual` atomically, mode 0600, in a private folder. Raises OSError."""
    from coach.files import write_private_atomic

    text = json.dumps(usual.to_json(), indent=2, ensure_ascii=False) + "\n"
    write_private_atomic(path, text.encode("utf-8"))


def update_usual(path: Path, change: Any) -> str | None:
    """Read, change (`change(usual) -> Usual`) and write the file: None when done, else one
    sentence saying why it was not written (a file that cannot be used is left as it is;
    a write that failed). Never raises OSError."""
    loaded = read_usual(path)
    if loaded.problem is not None:
        return f"{loaded.problem}; left as it is"
    try:
        save_usual(change(loaded.usual), path)
    except OSError as exc:
        from coach.files import error_text

        return f"{path}: not saved ({error_text(exc)})"
    return None


def routine_ref(info: Any) -> str:
    """How a listed routine (`coach.library.RoutineInfo`) is named to start it again: its
    id (`PLAN/ID` for a plan's own), or the absolute path of a routine run from a file."""
    if info.source == "file":
        return os.path.abspath(info.path)
    return str(info.id)


def remember_last(path: Path, info: Any, minutes: float | None) -> str | None:
    """Remember `info` (a RoutineInfo) and its length (`minutes`, None: as written) as the
    last routine started; `update_usual`'s answer (None, or why it was not saved)."""
    ref = routine_ref(info)
    return update_usual(path, lambda usual: usual.with_last(ref, minutes))
