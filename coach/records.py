"""The session record: one line of `history.jsonl`, and its checks.

Plain dataclasses and hand-written checks (no pydantic): `coach stats` reads 100,000 of
these per run, and a field-by-field check costs a few microseconds each.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

FORMAT = 1

# DESIGN's history fields, in DESIGN's order: the order of a stored line and of CSV columns.
FIELDS: tuple[str, ...] = (
    "format",
    "id",
    "routine",
    "routine_title",
    "routine_hash",
    "plan",
    "started_at",
    "ended_at",
    "planned_seconds",
    "active_seconds",
    "completed",
    "steps_done",
    "steps_total",
    "pre",
    "post",
    "note",
    "pauses",
    "skips",
    "gentler",
)
_KNOWN = frozenset(FIELDS)

# The fields a running session keeps in its journal: everything a record needs except what
# is only known at the end (ended_at, completed, post, note) and the id the journal assigns.
STATE_FIELDS: tuple[str, ...] = (
    "routine",
    "routine_title",
    "routine_hash",
    "plan",
    "started_at",
    "planned_seconds",
    "active_seconds",
    "steps_done",
    "steps_total",
    "pre",
    "pauses",
    "skips",
    "gentler",
)


class RecordError(ValueError):
    """A value that is not a valid session record; the message says which field and why."""


@dataclass(frozen=True, slots=True)
class SessionRecord:
    format: int
    id: str
    routine: str
    routine_title: str
    routine_hash: str
    plan: str | None
    started_at: str  # ISO 8601 with the local UTC offset, seconds precision
    ended_at: str
    planned_seconds: int
    active_seconds: float
    completed: bool
    steps_done: int
    steps_total: int
    pre: int | None
    post: int | None
    note: str
    pauses: int
    skips: int
    gentler: int
    # Fields of a newer format, kept so that nothing read is lost on export; not compared.
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_json(self) -> dict[str, Any]:
        """The stored object: DESIGN's fields in order, then any fields of newer formats."""
        obj: dict[str, Any] = {
            "format": self.format,
            "id": self.id,
            "routine": self.routine,
            "routine_title": self.routine_title,
            "routine_hash": self.routine_hash,
            "plan": self.plan,
            "started_at": self.started_at,
            "ended_at": self.ended_at,
            "planned_seconds": self.planned_seconds,
            "active_seconds": self.active_seconds,
            "completed": self.completed,
            "steps_done": self.steps_done,
            "steps_total": self.steps_total,
            "pre": self.pre,
            "post": self.post,
            "note": self.note,
            "pauses": self.pauses,
            "skips": self.skips,
            "gentler": self.gentler,
        }
        if self.extra:
            for key, value in self.extra.items():
                obj.setdefault(key, value)
        return obj

    def to_line(self) -> str:
        """One history line, newline included. ASCII only, so no encoding can tear it."""
        return json.dumps(self.to_json(), separators=(", ", ": ")) + "\n"

    @classmethod
    def from_json(cls, obj: Any) -> SessionRecord:
        """Check a decoded JSON value and build a record; raises RecordError with a reason."""
        return record_from_json(obj)

    def started(self) -> datetime:
        """`started_at` as an aware datetime (its own offset: the local time of the session)."""
        return datetime.fromisoformat(self.started_at)


# --- checks -----------------------------------------------------------------------------
# Written out field by field: a loop over a table of checkers was measurably slower.


def _str(obj: dict[str, Any], name: str, *, empty: bool = True) -> str:
    value = obj.get(name)
    if type(value) is not str:
        raise RecordError(f"{name}: expected a string, got {_kind(value, name in obj)}")
    if not empty and not value:
        raise RecordError(f"{name}: must not be empty")
    return value


def _count(obj: dict[str, Any], name: str) -> int:
    value = obj.get(name)
    if type(value) is not int or value < 0:
        raise RecordError(f"{name}: expected a whole number ≥ 0, got {_kind(value, name in obj)}")
    return value


def _rating(obj: dict[str, Any], name: str) -> int | None:
    value = obj.get(name, ...)
    if value is None:
        return None
    if type(value) is not int or not 0 <= value <= 10:
        raise RecordError(
            f"{name}: expected a whole number 0-10 or null, got {_kind(value, value is not ...)}"
        )
    return value


def _time(obj: dict[str, Any], name: str) -> str:
    value = obj.get(name)
    if type(value) is not str:
        raise RecordError(f"{name}: expected an ISO 8601 time, got {_kind(value, name in obj)}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise RecordError(f"{name}: not an ISO 8601 time: {value[:40]!r}") from None
    if parsed.utcoffset() is None:
        raise RecordError(f"{name}: the time has no UTC offset: {value[:40]!r}")
    return value


def _kind(value: Any, present: bool = True) -> str:
    if not present or value is ...:
        return "nothing (the field is missing)"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    return {dict: "an object", list: "an array"}.get(type(value), type(value).__name__)


def record_from_json(obj: Any) -> SessionRecord:
    """Check a decoded JSON object against the record format; raises RecordError."""
    if type(obj) is not dict:
        raise RecordError(f"expected a JSON object, got {_kind(obj)}")
    fmt = obj.get("format")
    if type(fmt) is not int or fmt < 1:
        raise RecordError(f"format: expected a whole number ≥ 1, got {_kind(fmt, 'format' in obj)}")
    plan = obj.get("plan", ...)
    if plan is not None and (type(plan) is not str or not plan):
        raise RecordError(f"plan: expected a plan id or null, got {_kind(plan, plan is not ...)}")
    active = obj.get("active_seconds")
    if type(active) is int:
        active = float(active)
    elif type(active) is not float or not math.isfinite(active) or active < 0:
        raise RecordError(
            "active_seconds: expected a number of seconds ≥ 0, "
            f"got {_kind(active, 'active_seconds' in obj)}"
        )
    completed = obj.get("completed")
    if type(completed) is not bool:
        raise RecordError(
            f"completed: expected true or false, got {_kind(completed, 'completed' in obj)}"
        )
    record = SessionRecord(
        fmt,
        _str(obj, "id", empty=False),
        _str(obj, "routine", empty=False),
        _str(obj, "routine_title"),
        _str(obj, "routine_hash"),
        plan,
        _time(obj, "started_at"),
        _time(obj, "ended_at"),
        _count(obj, "planned_seconds"),
        active,
        completed,
        _count(obj, "steps_done"),
        _count(obj, "steps_total"),
        _rating(obj, "pre"),
        _rating(obj, "post"),
        _str(obj, "note"),
        _count(obj, "pauses"),
        _count(obj, "skips"),
        _count(obj, "gentler"),
        {k: v for k, v in obj.items() if k not in _KNOWN} if len(obj) > len(FIELDS) else {},
    )
    return record


def parse_line(line: str | bytes) -> SessionRecord:
    """One history line to a record; raises RecordError (never anything else) with a reason."""
    try:
        if isinstance(line, bytes):
            line = line.decode("utf-8")
        obj = json.loads(line)
    except UnicodeDecodeError:
        raise RecordError("not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise RecordError(f"not JSON ({exc.msg} at column {exc.colno})") from None
    except ValueError as exc:  # e.g. an integer longer than Python's digit limit
        raise RecordError(f"not a record ({exc})") from None
    except RecursionError:
        raise RecordError("not a record (nested too deeply)") from None
    return record_from_json(obj)


# --- building records --------------------------------------------------------------------


def routine_hash(obj: dict[str, Any]) -> str:
    """The routine file's fingerprint: sha256 of its canonical JSON, as "sha256:<hex>".

    Canonical = `json.dumps(obj, sort_keys=True, separators=(",", ":"))` (ASCII escapes),
    so key order and whitespace in the file do not change it.
    """
    canonical = json.dumps(obj, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("ascii")).hexdigest()


def new_id() -> str:
    return uuid.uuid4().hex


def timestamp(moment: datetime | None = None) -> str:
    """ISO 8601 with the local UTC offset, whole seconds: the form of started_at/ended_at."""
    moment = datetime.now().astimezone() if moment is None else moment
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.replace(microsecond=0).isoformat()


def new_record(
    *,
    routine: str,
    routine_title: str,
    routine_hash: str,
    started_at: str,
    ended_at: str,
    planned_seconds: int,
    active_seconds: float,
    completed: bool,
    steps_done: int,
    steps_total: int,
    pre: int | None,
    post: int | None,
    plan: str | None = None,
    note: str = "",
    pauses: int = 0,
    skips: int = 0,
    gentler: int = 0,
    id: str | None = None,
) -> SessionRecord:
    """A checked format-1 record (raises RecordError). `id` defaults to a new uuid4 hex;
    a runner with a Journal passes `journal.record_id` so a crash cannot log it twice."""
    return record_from_json(
        {
            "format": FORMAT,
            "id": new_id() if id is None else id,
            "routine": routine,
            "routine_title": routine_title,
            "routine_hash": routine_hash,
            "plan": plan,
            "started_at": started_at,
            "ended_at": ended_at,
            "planned_seconds": planned_seconds,
            "active_seconds": float(active_seconds)
            if type(active_seconds) is int
            else active_seconds,
            "completed": completed,
            "steps_done": steps_done,
            "steps_total": steps_total,
            "pre": pre,
            "post": post,
            "note": note,
            "pauses": pauses,
            "skips": skips,
            "gentler": gentler,
        }
    )


def record_from_state(
    state: dict[str, Any],
    *,
    id: str,
    ended_at: str,
    completed: bool,
    post: int | None = None,
    note: str = "",
) -> SessionRecord:
    """A record from a session's journal state (see STATE_FIELDS); raises RecordError."""
    missing = [name for name in STATE_FIELDS if name not in state]
    if missing:
        raise RecordError(f"the session state lacks {', '.join(missing)}")
    obj = {name: state[name] for name in STATE_FIELDS}
    return new_record(**obj, id=id, ended_at=ended_at, completed=completed, post=post, note=note)


# --- CSV ----------------------------------------------------------------------------------
# Columns are FIELDS. null is an empty cell, booleans are true/false; newer-format fields
# are not exported (CSV has fixed columns).

_CSV_INTS = ("format", "planned_seconds", "steps_done", "steps_total", "pauses", "skips", "gentler")


def to_csv_row(record: SessionRecord) -> list[str]:
    def cell(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    return [
        cell(record.format),
        record.id,
        record.routine,
        record.routine_title,
        record.routine_hash,
        cell(record.plan),
        record.started_at,
        record.ended_at,
        cell(record.planned_seconds),
        repr(record.active_seconds),
        cell(record.completed),
        cell(record.steps_done),
        cell(record.steps_total),
        cell(record.pre),
        cell(record.post),
        record.note,
        cell(record.pauses),
        cell(record.skips),
        cell(record.gentler),
    ]


def from_csv_row(row: dict[str, str]) -> SessionRecord:
    """A record from a CSV row keyed by header; raises RecordError."""
    obj: dict[str, Any] = {}
    for name in FIELDS:
        value = row.get(name)
        if value is None:
            raise RecordError(f"{name}: the column is missing")
        value = value.strip() if name != "note" else value
        if name in _CSV_INTS:
            obj[name] = _csv_int(name, value)
        elif name in ("pre", "post"):
            obj[name] = None if value == "" else _csv_int(name, value)
        elif name == "plan":
            obj[name] = value or None
        elif name == "active_seconds":
            try:
                obj[name] = float(value)
            except ValueError:
                raise RecordError(f"{name}: expected a number, got {value[:40]!r}") from None
        elif name == "completed":
            lowered = value.lower()
            if lowered not in ("true", "false"):
                raise RecordError(f"{name}: expected true or false, got {value[:40]!r}")
            obj[name] = lowered == "true"
        else:
            obj[name] = value
    return record_from_json(obj)


_INT_TEXT = re.compile(r"-?[0-9]{1,18}")


def _csv_int(name: str, value: str) -> int:
    if not _INT_TEXT.fullmatch(value):
        raise RecordError(f"{name}: expected a whole number, got {value[:40]!r}")
    return int(value)
