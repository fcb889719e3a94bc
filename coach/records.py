"""The session record: one line of `history.jsonl`, and its checks.

Plain dataclasses and hand-written checks (no pydantic): `coach stats` reads 100,000 of
these per run, and a field-by-field check costs a few microseconds each.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from json.encoder import encode_basestring_ascii as _encode_str
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
    "ran_to_end",
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
# Fields a line of an older Coach may lack, and what a reader takes then: `ran_to_end`
# came with issue 9; before it, `completed` meant "ran to its end".
OPTIONAL_FIELDS: tuple[str, ...] = ("ran_to_end",)

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
# Also kept, optional: the session ran to its end (only the post-rating was still to come),
# and the seconds `+` added, so that a crash from then on is recovered as completed when
# it was (`coach.session.is_completed`).
OPTIONAL_STATE_FIELDS: tuple[str, ...] = ("ran_to_end", "extended_seconds")


class _NoExtra(dict[str, Any]):
    """The `extra` of every record without fields of a newer format: one shared empty
    dict (100,000 records need not hold 100,000), so it refuses to change."""

    __slots__ = ()

    def _read_only(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("a record's extra fields are read-only")

    __setitem__ = __delitem__ = __ior__ = _read_only  # type: ignore[assignment]
    update = setdefault = pop = popitem = clear = _read_only  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return (_no_extra, ())

    def __copy__(self) -> _NoExtra:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> _NoExtra:
        return self


_NO_EXTRA = _NoExtra()


def _no_extra() -> dict[str, Any]:
    return _NO_EXTRA


class RecordError(ValueError):
    """A value that is not a valid session record; the message says which field and why."""


class _RecordSlots:
    """The storage of SessionRecord, with a plain (fast) constructor.

    A frozen dataclass sets each field through object.__setattr__, which measured 5.5 µs a
    record here against 0.9 µs for plain attribute stores; reading 100,000 records is the
    hot path of `coach stats`. `_make` builds one of these and then gives it its real class
    (same slots, no new ones), so the records that come out are ordinary frozen instances.
    """

    __slots__ = (*FIELDS, "extra")

    def __init__(
        self,
        format: int,
        id: str,
        routine: str,
        routine_title: str,
        routine_hash: str,
        plan: str | None,
        started_at: str,
        ended_at: str,
        planned_seconds: int,
        active_seconds: float,
        completed: bool,
        ran_to_end: bool,
        steps_done: int,
        steps_total: int,
        pre: int | None,
        post: int | None,
        note: str,
        pauses: int,
        skips: int,
        gentler: int,
        extra: dict[str, Any],
    ) -> None:
        self.format = format
        self.id = id
        self.routine = routine
        self.routine_title = routine_title
        self.routine_hash = routine_hash
        self.plan = plan
        self.started_at = started_at
        self.ended_at = ended_at
        self.planned_seconds = planned_seconds
        self.active_seconds = active_seconds
        self.completed = completed
        self.ran_to_end = ran_to_end
        self.steps_done = steps_done
        self.steps_total = steps_total
        self.pre = pre
        self.post = post
        self.note = note
        self.pauses = pauses
        self.skips = skips
        self.gentler = gentler
        self.extra = extra


@dataclass(frozen=True, slots=True)
class SessionRecord(_RecordSlots):
    """One session, exactly DESIGN's history fields (plus `extra`, fields of newer formats).

    Construct it with `new_record(...)` (checked) or `SessionRecord.from_json(obj)`;
    the plain constructor does not check values, but `HistoryStore.append` does.
    """

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
    completed: bool  # ran to its end with ≥ 80 % of the planned time (coach.session.is_completed)
    ran_to_end: bool  # reached its end; a line without it (older Coach) takes `completed`
    steps_done: int
    steps_total: int
    pre: int | None
    post: int | None
    note: str
    pauses: int
    skips: int
    gentler: int
    # Fields of a newer format, kept so that nothing read is lost on export; not compared.
    # Records without such fields share one empty, read-only dict.
    extra: dict[str, Any] = field(default_factory=_no_extra, compare=False)

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
            "ran_to_end": self.ran_to_end,
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
        """One history line, newline included: `json.dumps(self.to_json())` with DESIGN's
        spacing, ASCII only (so no encoding can tear it). Formatted by hand because
        json.dumps measured 10 µs a record and `coach history --json` writes 100,000."""
        if self.extra:
            return json.dumps(self.to_json(), separators=(", ", ": ")) + "\n"
        enc = _encode_str
        return _LINE % (
            self.format,
            enc(self.id),
            enc(self.routine),
            enc(self.routine_title),
            enc(self.routine_hash),
            "null" if self.plan is None else enc(self.plan),
            enc(self.started_at),
            enc(self.ended_at),
            self.planned_seconds,
            float.__repr__(self.active_seconds),
            "true" if self.completed else "false",
            "true" if self.ran_to_end else "false",
            self.steps_done,
            self.steps_total,
            "null" if self.pre is None else self.pre,
            "null" if self.post is None else self.post,
            enc(self.note),
            self.pauses,
            self.skips,
            self.gentler,
        )

    @classmethod
    def from_json(cls, obj: Any) -> SessionRecord:
        """Check a decoded JSON value and build a record; raises RecordError with a reason."""
        return record_from_json(obj)

    def started(self) -> datetime:
        """`started_at` as an aware datetime (its own offset: the local time of the session)."""
        return datetime.fromisoformat(self.started_at)


_LINE = (
    '{"format": %d, "id": %s, "routine": %s, "routine_title": %s, "routine_hash": %s, '
    '"plan": %s, "started_at": %s, "ended_at": %s, "planned_seconds": %d, '
    '"active_seconds": %s, "completed": %s, "ran_to_end": %s, "steps_done": %d, "steps_total": %d, '
    '"pre": %s, "post": %s, "note": %s, "pauses": %d, "skips": %d, "gentler": %d}\n'
)


def _make(values: tuple[Any, ...]) -> SessionRecord:
    """A SessionRecord from 21 already-checked values, without the frozen-init cost."""
    record = _RecordSlots(*values)
    record.__class__ = SessionRecord  # type: ignore[assignment]
    return record  # type: ignore[return-value]


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
    if _TIME_TEXT.fullmatch(value) is None:
        raise RecordError(
            f"{name}: expected a time like 2026-11-26T09:12:03+01:00 (with its UTC offset), "
            f"got {value[:40]!r}"
        )
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise RecordError(f"{name}: not a real time: {value[:40]!r}") from None
    return value


# ISO 8601 as `datetime.isoformat` writes it, with the offset: the first 10 characters are
# then always the local date, which stats rely on.
_TIME_PATTERN = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?(?:[+-][0-9]{2}:[0-9]{2}|Z)"
)
_TIME_TEXT = re.compile(_TIME_PATTERN)


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
            f"active_seconds: expected a number of seconds ≥ 0, got {_kind(active, 'active_seconds' in obj)}"
        )
    completed = obj.get("completed")
    if type(completed) is not bool:
        raise RecordError(f"completed: expected true or false, got {_kind(completed, 'completed' in obj)}")
    known = len(FIELDS)
    ran_to_end = obj.get("ran_to_end", ...)
    if ran_to_end is ...:  # a line of an older Coach
        ran_to_end = completed
        known -= 1
    elif type(ran_to_end) is not bool:
        raise RecordError(f"ran_to_end: expected true or false, got {_kind(ran_to_end)}")
    elif completed and not ran_to_end:
        raise RecordError("completed: true, but ran_to_end: false (a session completes only at its end)")
    return _make(
        (
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
            ran_to_end,
            _count(obj, "steps_done"),
            _count(obj, "steps_total"),
            _rating(obj, "pre"),
            _rating(obj, "post"),
            _str(obj, "note"),
            _count(obj, "pauses"),
            _count(obj, "skips"),
            _count(obj, "gentler"),
            {k: v for k, v in obj.items() if k not in _KNOWN} if len(obj) > known else _NO_EXTRA,
        )
    )


# Text fields a session writes from its routine, plan and typed note.
_TEXT_FIELDS = ("id", "routine", "routine_title", "routine_hash", "plan", "note")


def check_import_text(record: SessionRecord) -> None:
    """Refuse what a session never writes into a text field: a control character, a bidi
    control, an invisible format character or a lone surrogate (the characters
    `coach.text.visible` would replace). Raises RecordError naming the field and the
    character, e.g. "note has a control character U+001B". For imports; reading the
    history does not refuse them (what is there is shown, made visible)."""
    from coach.text import describe_hidden, hidden_character

    for name in _TEXT_FIELDS:
        value = getattr(record, name)
        if value is not None and (char := hidden_character(value)) is not None:
            raise RecordError(f"{name} has {describe_hidden(char)}")


def record_from_import(obj: Any) -> SessionRecord:
    """`record_from_json`, then `check_import_text`: a record from an imported file."""
    record = record_from_json(obj)
    check_import_text(record)
    return record


def parse_line(line: str | bytes) -> SessionRecord:
    """One history line to a record; raises RecordError (never anything else) with a reason."""
    try:
        if isinstance(line, bytes):
            line = line.decode("utf-8")
    except UnicodeDecodeError:
        raise RecordError("not UTF-8 text") from None
    record = _parse_canonical(line)
    return record if record is not None else _parse_any(line)


def _parse_any(line: str) -> SessionRecord:
    from coach.jsonsource import JSONProblem, parse_json

    try:
        # Lone surrogates are kept: a stored line is shown (made visible), never dropped.
        obj = parse_json(line, "", allow_surrogates=True)
    except JSONProblem as exc:  # syntax, numbers too long, NaN, nesting: one reason
        reason = exc.reason.removeprefix("invalid JSON: ")
        raise RecordError(f"not JSON at column {exc.col}: {reason}") from None
    return record_from_json(obj)


# The fast path: a line as `to_line` writes it (ASCII, DESIGN's field order) is matched by
# one regular expression instead of json.loads plus checks (measured about 6 µs against 17
# µs a line). It accepts only what the general path accepts and builds the same record (a
# test checks both on generated lines); anything else (extra fields, escapes, non-ASCII,
# doubtful values) goes the general way, which also explains errors.
_TIME = f'"({_TIME_PATTERN})"'
_INT = r"(0|[1-9][0-9]{0,17})"
_RATING = r"(?:null|(10|[0-9]))"
_NUMBER = r"((?:0|[1-9][0-9]{0,17})(?:\.[0-9]{1,20})?(?:[eE][-+]?[0-9]{1,3})?)"
# What a JSON string may hold without escapes and with the same meaning to json.loads:
# printable ASCII but " and \. (Wider classes measured no faster.)
_STRICT_CHARS = r"[ !#-\[\]-~]"


def _record_pattern(chars: str) -> str:
    text, text1 = f'"({chars}*)"', f'"({chars}+)"'
    return (
        r"\{\"format\": ?([1-9][0-9]{0,8}), ?"
        rf"\"id\": ?{text1}, ?"
        rf"\"routine\": ?{text1}, ?"
        rf"\"routine_title\": ?{text}, ?"
        rf"\"routine_hash\": ?{text}, ?"
        rf"\"plan\": ?(?:null|{text1}), ?"
        rf"\"started_at\": ?{_TIME}, ?"
        rf"\"ended_at\": ?{_TIME}, ?"
        rf"\"planned_seconds\": ?{_INT}, ?"
        rf"\"active_seconds\": ?{_NUMBER}, ?"
        r"\"completed\": ?(true|false), ?"
        r"(?:\"ran_to_end\": ?(true|false), ?)?"  # absent in lines of an older Coach
        rf"\"steps_done\": ?{_INT}, ?"
        rf"\"steps_total\": ?{_INT}, ?"
        rf"\"pre\": ?{_RATING}, ?"
        rf"\"post\": ?{_RATING}, ?"
        rf"\"note\": ?{text}, ?"
        rf"\"pauses\": ?{_INT}, ?"
        rf"\"skips\": ?{_INT}, ?"
        rf"\"gentler\": ?{_INT}\}}"
    )


_CANONICAL = re.compile(_record_pattern(_STRICT_CHARS) + r"\r?\n?")
# Every line of a block: the canonical form (whole, then its fields), or anything else.
_LINES = re.compile("^(?:(" + _record_pattern(_STRICT_CHARS) + r")|(.*))\r?$", re.MULTILINE)
_fromiso = datetime.fromisoformat
_INF = float("inf")


class _SmallInts(dict[str, "int | None"]):
    """Digit strings to ints, remembered: a dict hit is cheaper than int(). `""` (a null
    rating: the group did not take part) maps to None."""

    def __missing__(self, key: str) -> int:
        value = int(key)
        if len(self) < 4096:
            self[key] = value
        return value


_INTS = _SmallInts({str(i): i for i in range(1000)})
_INTS[""] = None


def _parse_canonical(line: str) -> SessionRecord | None:
    match = _CANONICAL.fullmatch(line)
    if match is None:
        return None
    return _from_groups(match.groups(""))  # "" for a group that did not take part, as findall


def _from_groups(groups: tuple[str, ...]) -> SessionRecord | None:
    (fmt, id_, routine, title, rhash, plan, started, ended, planned, active, completed,
     ran, done, total, pre, post, note, pauses, skips, gentler) = groups[:20]  # fmt: skip
    try:  # the pattern requires an offset; this checks the calendar (no 30 February)
        _fromiso(started)
        _fromiso(ended)
    except ValueError:
        return None
    if ran == "false" and completed == "true":
        return None  # refused: the general path says why
    seconds = float(active)
    if seconds == _INF:
        return None
    ints = _INTS
    return _make(
        (
            ints[fmt],
            id_,
            routine,
            title,
            rhash,
            plan or None,  # a null plan: the group did not take part
            started,
            ended,
            ints[planned],
            seconds,
            completed == "true",
            ran == "true" if ran else completed == "true",  # "": a line of an older Coach
            ints[done],
            ints[total],
            ints[pre],
            ints[post],
            note,
            ints[pauses],
            ints[skips],
            ints[gentler],
            _NO_EXTRA,
        )
    )


def parse_block(
    text: str,
    first_line: int,
    records: list[SessionRecord],
    problems: list[tuple[int, str]],
    seen: dict[str, int] | None,
    shared: dict[str, str] | None = None,
    check: Callable[[SessionRecord], None] | None = None,
) -> int:
    """Parse whole lines of history (`text` ends with a newline), appending valid records
    to `records` and (line number, reason) to `problems`; returns the next line number.
    `check` (e.g. `check_import_text`) may refuse a record by raising RecordError.

    A record whose id is in `seen` (id -> first line) is reported, not appended: nothing
    counts twice (pass None to keep duplicates). Blank lines are ignored. `shared` makes
    the records of one routine share its id, title and hash strings (a third less memory
    for a large history).

    This is the hot loop of `coach stats`: the regular expression runs over the whole
    block in C, and only the conversions of each field are Python.
    """
    line_no = first_line - 1
    append = records.append
    first_seen = seen.setdefault if seen is not None else None
    ints = _INTS
    fromiso = _fromiso
    slots = _RecordSlots
    cls = SessionRecord
    share = (shared if shared is not None else {}).setdefault
    no_extra = _NO_EXTRA
    lines: list[str] | None = None
    lines_of = _LINES.findall
    for (_whole, fmt, id_, routine, title, rhash, plan, started, ended, planned, active, completed,
         ran, done, total, pre, post, note, pauses, skips, gentler, other) in lines_of(text):  # fmt: skip
        line_no += 1
        record = None
        if id_:  # the canonical form matched: convert here, inline (this loop is hot)
            try:
                fromiso(started)  # the pattern requires an offset; this checks the calendar
                fromiso(ended)
                seconds = float(active)
                if seconds != _INF and (ran != "false" or completed != "true"):
                    record = slots(
                        ints[fmt], id_, share(routine, routine), share(title, title),
                        share(rhash, rhash), plan or None, started, ended, ints[planned],
                        seconds, completed == "true", ran == "true" if ran else completed == "true",
                        ints[done], ints[total], ints[pre],
                        ints[post], note, ints[pauses], ints[skips], ints[gentler], no_extra,
                    )  # fmt: skip
                    record.__class__ = cls  # see _RecordSlots
            except ValueError:
                pass
            if record is None:  # canonical in form but not in value: the general path says why
                if lines is None:
                    lines = text.split("\n")
                other = lines[line_no - first_line]
        if record is None:
            if not other.strip():
                continue  # a blank line, or the empty match after the final newline
            try:
                record = _parse_any(other)
            except RecordError as exc:
                problems.append((line_no, str(exc)))
                continue
        if check is not None:
            try:
                check(record)  # type: ignore[arg-type]
            except RecordError as exc:
                problems.append((line_no, str(exc)))
                continue
        if first_seen is not None and (first := first_seen(record.id, line_no)) != line_no:
            problems.append((line_no, f"the same id as line {first}; skipped"))
            continue
        append(record)  # type: ignore[arg-type]
    # findall also matches the empty rest after the final newline, so line_no is now
    # the number of the line after the block.
    return line_no


def parse_block_texts(
    text: str,
    first_line: int,
    rows: list[tuple[str, str, str]],
    problems: list[tuple[int, str]],
    seen: dict[str, int],
) -> int:
    """`parse_block` for exports: each valid record as (started_at, routine, its JSON text
    without newline), checked the same way but not built (a fifth faster over 100,000
    lines). The text is the stored line when it is canonical, else `to_line()`."""
    line_no = first_line - 1
    append = rows.append
    first_seen = seen.setdefault
    fromiso = _fromiso
    lines: list[str] | None = None
    lines_of = _LINES.findall
    for (whole, _fmt, id_, routine, _title, _hash, _plan, started, ended, _planned, active, completed,
         ran, _done, _total, _pre, _post, _note, _pauses, _skips, _gentler,
         other) in lines_of(text):  # fmt: skip
        line_no += 1
        if id_:  # the canonical form: the same value checks as parse_block
            try:
                fromiso(started)
                fromiso(ended)
                valid = float(active) != _INF and (ran != "false" or completed != "true")
            except ValueError:
                valid = False
            if valid:
                if (first := first_seen(id_, line_no)) != line_no:
                    problems.append((line_no, f"the same id as line {first}; skipped"))
                else:
                    append((started, routine, whole))
                continue
            if lines is None:
                lines = text.split("\n")
            other = lines[line_no - first_line]
        if not other.strip():
            continue
        try:
            record = _parse_any(other)
        except RecordError as exc:
            problems.append((line_no, str(exc)))
            continue
        if (first := first_seen(record.id, line_no)) != line_no:
            problems.append((line_no, f"the same id as line {first}; skipped"))
            continue
        append((record.started_at, record.routine, record.to_line()[:-1]))
    return line_no


# --- building records --------------------------------------------------------------------


def routine_hash(obj: dict[str, Any]) -> str:
    """The routine file's fingerprint: sha256 of its canonical JSON, as "sha256:<hex>".

    Canonical = `json.dumps(obj, sort_keys=True, separators=(",", ":"))` (ASCII escapes),
    so key order and whitespace in the file do not change it.
    """
    import hashlib  # here: readers of the history need neither hashlib nor uuid

    canonical = json.dumps(obj, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("ascii")).hexdigest()


def new_id() -> str:
    import uuid

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
    ran_to_end: bool | None = None,
) -> SessionRecord:
    """A checked format-1 record (raises RecordError). `id` defaults to a new uuid4 hex;
    a runner with a Journal passes `journal.record_id` so a crash cannot log it twice.
    `ran_to_end` None takes `completed` (a completed session always ran to its end)."""
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
            "active_seconds": float(active_seconds) if type(active_seconds) is int else active_seconds,
            "completed": completed,
            "ran_to_end": completed if ran_to_end is None else ran_to_end,
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
    ran_to_end: bool | None = None,
) -> SessionRecord:
    """A record from a session's journal state (see STATE_FIELDS); raises RecordError.
    `ran_to_end` None takes `completed`."""
    missing = [name for name in STATE_FIELDS if name not in state]
    if missing:
        raise RecordError(f"the session state lacks {', '.join(missing)}")
    obj = {name: state[name] for name in STATE_FIELDS}
    return new_record(**obj, id=id, ended_at=ended_at, completed=completed, post=post, note=note,
                      ran_to_end=ran_to_end)  # fmt: skip


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
        cell(record.ran_to_end),
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
    """A record from a CSV row keyed by header; raises RecordError. A column of
    OPTIONAL_FIELDS may be missing (an export of an older Coach)."""
    obj: dict[str, Any] = {}
    for name in FIELDS:
        value = row.get(name)
        if value is None:
            if name in OPTIONAL_FIELDS:
                continue
            raise RecordError(f"{name}: the column is missing")
        if name in _CSV_INTS:
            obj[name] = _csv_int(name, value.strip())
        elif name in ("pre", "post"):
            obj[name] = None if value.strip() == "" else _csv_int(name, value.strip())
        elif name == "plan":
            obj[name] = value or None
        elif name == "active_seconds":
            obj[name] = _csv_float(name, value.strip())
        elif name in ("completed", "ran_to_end"):
            lowered = value.strip().lower()
            if lowered not in ("true", "false"):
                raise RecordError(f"{name}: expected true or false, got {value[:40]!r}")
            obj[name] = lowered == "true"
        else:
            obj[name] = value
    return record_from_json(obj)


_INT_TEXT = re.compile(r"-?[0-9]{1,18}")
_FLOAT_TEXT = re.compile(r"-?[0-9]{1,20}(?:\.[0-9]{1,20})?(?:[eE][-+]?[0-9]{1,3})?")


def _csv_float(name: str, value: str) -> float:
    # float() alone would also take "nan", "inf" and "1_000": only plain numbers here.
    if not _FLOAT_TEXT.fullmatch(value):
        raise RecordError(f"{name}: expected a number, got {value[:40]!r}")
    return float(value)


def _csv_int(name: str, value: str) -> int:
    if not _INT_TEXT.fullmatch(value):
        raise RecordError(f"{name}: expected a whole number, got {value[:40]!r}")
    return int(value)
