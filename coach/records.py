"""The session record: one line of `history.jsonl`, its checks, and its fast reader.

Plain dataclasses and hand-written checks (no pydantic): `coach stats` reads 100,000 of
these per run, and a field-by-field check costs a few microseconds each.

`SessionRecord`'s annotations are the one declaration of the record: its fields, in the
order of a stored line and of CSV columns, and each field's kind (`Count`, `Time`, ...).
The checks, the canonical line, the fast reader's pattern and the CSV cells all follow
from the kind; only the reader's two hot loops (`parse_block`, `parse_block_texts`) name
the fields again, unrolled for speed, in the order the pattern's groups come.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from json.encoder import encode_basestring_ascii as _encode_str
from operator import attrgetter, call
from typing import Any

FORMAT = 1

# The kinds of value a record holds. A field's annotation names its kind; each kind has
# its check (`_KIND_CHECKS`), its JSON text (`_KIND_WRITERS`), its pattern in the fast
# reader (`_PATTERNS`) and its CSV reader (`_CSV_READERS`).
Format = int  # the record format, a whole number ≥ 1
Key = str  # text that must not be empty: the record id, the routine id
Text = str  # any text, empty included
PlanId = str | None  # a plan id (not empty) or null
Time = str  # ISO 8601 with the UTC offset, as `timestamp` writes it
Count = int  # a whole number ≥ 0
Seconds = float  # a finite number of seconds ≥ 0 (a whole number is taken as a float)
Flag = bool  # true or false
Rating = int | None  # a whole number 0-10 (the 0-10 stress scale), or null
Area = str | None  # a body area of the vocabulary (coach.vocabulary.AREAS), or null
# "Too much" presses: a list of {"step": 1-based index, "title": the step's title, "at":
# active seconds into the session, "choice": gentler|lighter|skip|end or null}; kept as a
# tuple of dicts (the empty one shared), written as a JSON array.
Discomfort = tuple

LineProblem = tuple[int, str]  # (line number, counted from 1; the reason, one sentence)


class _NoExtra(dict[str, Any]):
    """The `extra` of every record without fields of a newer format: one shared empty
    dict (100,000 records need not hold 100,000), so it refuses to change."""

    __slots__ = ()

    def _read_only(self, *_args: Any, **_kwargs: Any) -> Any:
        raise TypeError("a record's extra fields are read-only")

    __setitem__ = __delitem__ = __ior__ = _read_only  # type: ignore[assignment]
    update = setdefault = pop = popitem = clear = _read_only  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return (_no_extra, ())

    def __copy__(self) -> _NoExtra:
        return self

    def __deepcopy__(self, _memo: dict[int, Any]) -> _NoExtra:
        return self


_NO_EXTRA = _NoExtra()


def _no_extra() -> dict[str, Any]:
    return _NO_EXTRA


class RecordError(ValueError):
    """A value that is not a valid session record; the message says which field and why."""


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """One session: the history fields in the order of a stored line, each annotated with
    its kind, plus `extra` (fields of newer formats).

    Construct it with `new_record(...)` (checked) or `record_from_json(obj)`; the plain
    constructor does not check values, but `HistoryStore.append` does.
    """

    format: Format
    id: Key  # uuid4 hex for records Coach writes; any non-empty text in an import
    routine: Key
    routine_title: Text
    routine_hash: Text  # "sha256:<hex>" of the routine file (`routine_hash`)
    plan: PlanId
    started_at: Time  # the local time with its UTC offset, whole seconds
    ended_at: Time
    planned_seconds: Count
    active_seconds: Seconds  # time practised, pauses and time away excluded
    completed: Flag  # ran to its end with ≥ 80 % of the planned time (coach.session.is_completed)
    ran_to_end: Flag  # reached its end; a line without it (an older Coach) takes `completed`
    steps_done: Count
    steps_total: Count
    pre: Rating  # stress before, 0-10
    post: Rating  # stress after, 0-10
    note: Text
    pauses: Count
    skips: Count
    gentler: Count  # steps done with their gentler instruction
    discomfort: Discomfort  # "too much" presses (see Discomfort); () on lines written before it
    # The pain rating a plan may ask for ("pain": {"area": ...}): the area, and pain before
    # and after on the 0-10 scale (0 no pain, 10 worst pain imaginable); null when not asked.
    pain_area: Area
    pain_pre: Rating
    pain_post: Rating
    # Fields of a newer format, kept so that nothing read is lost on export; not compared.
    # Records without such fields share one empty, read-only dict.
    extra: dict[str, Any] = field(default_factory=_no_extra, compare=False)

    def to_json(self) -> dict[str, Any]:
        """The stored object: the fields in order, then any fields of newer formats."""
        obj = dict(zip(FIELDS, _values(self), strict=True))
        obj["discomfort"] = [dict(entry) for entry in self.discomfort]
        if self.extra:
            for key, value in self.extra.items():
                obj.setdefault(key, value)
        return obj

    def to_line(self) -> str:
        """One history line, newline included: the same text as
        `json.dumps(self.to_json(), separators=(", ", ": "))`, ASCII only (so no encoding
        can tear it). Formatted from a template because json.dumps measured 10 µs a
        record and an import of 100,000 records writes 100,000 lines."""
        if self.extra:
            return json.dumps(self.to_json(), separators=(", ", ": ")) + "\n"
        return _LINE % tuple(map(call, _WRITERS, _values(self)))

    def started(self) -> datetime:
        """`started_at` as an aware datetime (its own offset: the local time of the session)."""
        return datetime.fromisoformat(self.started_at)


_FIELD_KINDS: tuple[tuple[str, str], ...] = tuple(
    (f.name, str(f.type)) for f in dataclasses.fields(SessionRecord) if f.name != "extra"
)
FIELDS: tuple[str, ...] = tuple(name for name, _ in _FIELD_KINDS)
_KNOWN = frozenset(FIELDS)
_values = attrgetter(*FIELDS)
# Fields a line of an older Coach may lack, and what a reader takes then: before
# `ran_to_end` existed, `completed` meant "ran to its end".
OPTIONAL_FIELDS: tuple[str, ...] = ("ran_to_end", "discomfort", "pain_area", "pain_pre", "pain_post")

# The fields a running session keeps in its journal: everything a record needs except what
# is only known at the end (ended_at, completed, post, note) and the id the journal assigns.
STATE_FIELDS: tuple[str, ...] = tuple(
    name for name in FIELDS
    if name not in ("format", "id", "ended_at", "completed", "post", "note", *OPTIONAL_FIELDS)
)  # fmt: skip
# Also kept, optional: the session ran to its end (only the post-rating was still to come),
# and the seconds `+` added, so that a crash from then on is recovered as completed when
# it was (`coach.session.is_completed`). Just before the final append the runner also keeps
# the end (ended_at, completed, post, note): if that append fails (a full disk), recovery
# writes exactly the record the session would have written.
OPTIONAL_STATE_FIELDS: tuple[str, ...] = (
    "ran_to_end", "extended_seconds", "ended_at", "completed", "post", "note",
    "pain_area", "pain_pre", "pain_post", "discomfort",
)  # fmt: skip

# A frozen dataclass sets each field through object.__setattr__, which measured 5.5 µs a
# record here against 0.9 µs for plain attribute stores; reading 100,000 records is the hot
# path of `coach stats`. `_RecordSlots` has the same slots in the same order and a plain
# constructor: `_make` builds one and then gives it its real class, so the records that
# come out are ordinary frozen instances.
_RecordSlots = dataclasses.make_dataclass(
    "_RecordSlots", [*FIELDS, "extra"], slots=True, eq=False, repr=False, match_args=False
)
assert _RecordSlots.__slots__ == SessionRecord.__slots__  # type: ignore[attr-defined]


def _make(values: tuple[Any, ...]) -> SessionRecord:
    """A SessionRecord from its values (FIELDS, then extra), already checked, without the
    frozen-init cost."""
    record = _RecordSlots(*values)
    record.__class__ = SessionRecord
    return record  # type: ignore[return-value]


# --- writing a line ------------------------------------------------------------------------


def _json_text_or_null(value: str | None) -> str:
    return "null" if value is None else _encode_str(value)


def _json_int_or_null(value: int | None) -> str:
    return "null" if value is None else str(value)


def _json_discomfort(value: tuple[dict[str, Any], ...]) -> str:
    return json.dumps(list(value), separators=(", ", ": ")) if value else "[]"


# Each kind's JSON text. C functions where the kind allows (this is per field per line).
_KIND_WRITERS: dict[str, Callable[[Any], str]] = {
    "Format": int.__str__, "Key": _encode_str, "Text": _encode_str,
    "PlanId": _json_text_or_null, "Time": _encode_str, "Count": int.__str__,
    "Seconds": float.__repr__, "Flag": {True: "true", False: "false"}.__getitem__,
    "Rating": _json_int_or_null, "Area": _json_text_or_null, "Discomfort": _json_discomfort,
}  # fmt: skip
_WRITERS = tuple(_KIND_WRITERS[kind] for _, kind in _FIELD_KINDS)
_LINE = "{" + ", ".join(f'"{name}": %s' for name in FIELDS) + "}\n"


# --- checks -----------------------------------------------------------------------------


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


def _check_format(name: str, value: Any) -> int:
    if type(value) is not int or value < 1:
        raise RecordError(f"{name}: expected a whole number ≥ 1, got {_kind(value)}")
    return value


def _check_key(name: str, value: Any) -> str:
    value = _check_text(name, value)
    if not value:
        raise RecordError(f"{name}: must not be empty")
    return value


def _check_text(name: str, value: Any) -> str:
    if type(value) is not str:
        raise RecordError(f"{name}: expected a string, got {_kind(value)}")
    return value


def _check_plan(name: str, value: Any) -> str | None:
    if value is not None and (type(value) is not str or not value):
        raise RecordError(f"{name}: expected a plan id or null, got {_kind(value)}")
    return value


def _check_time(name: str, value: Any) -> str:
    if type(value) is not str:
        raise RecordError(f"{name}: expected an ISO 8601 time, got {_kind(value)}")
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


def _check_count(name: str, value: Any) -> int:
    if type(value) is not int or value < 0:
        raise RecordError(f"{name}: expected a whole number ≥ 0, got {_kind(value)}")
    return value


def _check_seconds(name: str, value: Any) -> float:
    if type(value) is int and value >= 0:
        return float(value)
    if type(value) is not float or not math.isfinite(value) or value < 0:
        raise RecordError(f"{name}: expected a number of seconds ≥ 0, got {_kind(value)}")
    return value


def _check_flag(name: str, value: Any) -> bool:
    if type(value) is not bool:
        raise RecordError(f"{name}: expected true or false, got {_kind(value)}")
    return value


def _check_rating(name: str, value: Any) -> int | None:
    if value is not None and (type(value) is not int or not 0 <= value <= 10):
        raise RecordError(f"{name}: expected a whole number 0-10 or null, got {_kind(value)}")
    return value


def _check_area(name: str, value: Any) -> str | None:
    if value is not None and (type(value) is not str or _AREA_TEXT.fullmatch(value) is None):
        raise RecordError(f"{name}: expected a body area (e.g. neck) or null, got {_kind(value)}")
    return value


# An area's form, not the list (coach.vocabulary.AREAS): a line a newer Coach wrote with a
# new area still reads.
_AREA_TEXT = re.compile(r"[a-z][a-z-]{0,31}")


# What `relieve` may record (coach.session.RELIEFS, not imported here: it is the engine).
DISCOMFORT_CHOICES = ("gentler", "lighter", "skip", "end")


def _check_discomfort(name: str, value: Any) -> tuple[dict[str, Any], ...]:
    """A list (or tuple) of {"step", "title", "at", "choice"} objects (keys of a newer
    format are kept), as a tuple of copies; RecordError names the entry and the key."""
    if type(value) not in (list, tuple):
        raise RecordError(f"{name}: expected a list, got {_kind(value)}")
    if not value:
        return ()
    entries = []
    for index, entry in enumerate(value):
        where = f"{name}[{index}]"
        if type(entry) is not dict:
            raise RecordError(f"{where}: expected an object, got {_kind(entry)}")
        step, title, at, choice = (entry.get(k, ...) for k in ("step", "title", "at", "choice"))
        if type(step) is not int or step < 1:
            raise RecordError(f"{where}.step: expected a step number ≥ 1, got {_kind(step, step is not ...)}")
        if type(title) is not str:
            raise RecordError(f"{where}.title: expected a string, got {_kind(title, title is not ...)}")
        if type(at) not in (int, float) or not math.isfinite(at) or at < 0:
            raise RecordError(f"{where}.at: expected a number of seconds ≥ 0, got {_kind(at, at is not ...)}")
        if choice is not None and choice not in DISCOMFORT_CHOICES:
            raise RecordError(f"{where}.choice: expected {', '.join(DISCOMFORT_CHOICES)} or null, "
                              f"got {_kind(choice, choice is not ...)}")  # fmt: skip
        entries.append(dict(entry))
    return tuple(entries)


_KIND_CHECKS: dict[str, Callable[[str, Any], Any]] = {
    "Format": _check_format, "Key": _check_key, "Text": _check_text, "PlanId": _check_plan,
    "Time": _check_time, "Count": _check_count, "Seconds": _check_seconds, "Flag": _check_flag,
    "Rating": _check_rating, "Area": _check_area, "Discomfort": _check_discomfort,
}  # fmt: skip
_CHECKS = tuple((name, _KIND_CHECKS[kind]) for name, kind in _FIELD_KINDS)

# ISO 8601 as `datetime.isoformat` writes it, with the offset: the first 10 characters are
# then always the local date, which stats rely on.
_TIME_PATTERN = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?(?:[+-][0-9]{2}:[0-9]{2}|Z)"
)
_TIME_TEXT = re.compile(_TIME_PATTERN)


def record_from_json(obj: Any) -> SessionRecord:
    """Check a decoded JSON object against the record format and build the record.

    Every field of FIELDS must be there with a value of its kind, except those of
    OPTIONAL_FIELDS (`ran_to_end` then takes `completed`); other keys are kept in `extra`.
    Raises RecordError naming the first bad field in FIELDS order, or the contradiction
    "completed but not ran_to_end".
    """
    if type(obj) is not dict:
        raise RecordError(f"expected a JSON object, got {_kind(obj)}")
    values: list[Any] = []
    known = len(FIELDS)
    get = obj.get
    for name, check in _CHECKS:
        value = get(name, ...)  # `...`: missing, which every check refuses and names
        if value is ... and name in OPTIONAL_FIELDS:  # a line of an older Coach
            values.append(None)
            known -= 1
        else:
            values.append(check(name, value))
    if values[_DISCOMFORT] is None:  # a line written before "too much" existed
        values[_DISCOMFORT] = ()
    if values[_RAN] is None:  # an older line: its `completed` said only "ran to its end"
        values[_RAN] = values[_COMPLETED]
        values[_COMPLETED] = _older_completed(values[_COMPLETED], values[_ACTIVE], values[_PLANNED])
    elif values[_COMPLETED] and not values[_RAN]:
        raise RecordError("completed: true, but ran_to_end: false (a session completes only at its end)")
    values.append({k: v for k, v in obj.items() if k not in _KNOWN} if len(obj) > known else _NO_EXTRA)
    return _make(tuple(values))


_RAN, _COMPLETED = FIELDS.index("ran_to_end"), FIELDS.index("completed")
_DISCOMFORT = FIELDS.index("discomfort")
_ACTIVE, _PLANNED = FIELDS.index("active_seconds"), FIELDS.index("planned_seconds")


def _older_completed(ran_to_end: bool, active_seconds: float, planned_seconds: int) -> bool:
    """What `completed` truly is for a line of an older Coach (no `ran_to_end`), whose
    `completed` meant "ran to its end": the engine's rule (coach.session.is_completed, 80 %
    of the planned time practised) applied to what the line says. Its extensions were not
    stored, so the planned seconds stand for the plan. The line itself is never changed."""
    from coach.session import is_completed

    return is_completed(ran_to_end, active_seconds, planned_seconds)


# Text fields a session writes from its routine, plan and typed note (times are checked
# by their pattern already).
_TEXT_FIELDS = tuple(name for name, kind in _FIELD_KINDS if kind in ("Key", "Text", "PlanId", "Area"))


def _strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every string in a decoded JSON value, keys included, with where it is: ("note",
    text), ("discomfort[2]", text), ("pain_area.side", text), ("x (a key)", key)."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield f"{where}.{key}" if where else key, key
            yield from _strings(item, f"{where}.{key}" if where else key)


def check_import_text(record: SessionRecord) -> None:
    """Refuse what a session never writes into any text: a control character, a bidi
    control, an invisible format character or a lone surrogate (the characters
    `coach.text.visible` would replace, `coach.text.hidden_character`). Every string of the
    record is checked: the known fields, and the fields Coach does not know (kept in
    `extra`), their keys and every string nested in their lists and objects. Raises
    RecordError naming the field and the character, e.g. "note has a control character
    U+001B", "discomfort[1] has ...". For imports; reading the history does not refuse
    them (what is there is shown, made visible)."""
    from coach.text import describe_hidden, hidden_character

    for name in _TEXT_FIELDS:
        value = getattr(record, name)
        if value is not None and (char := hidden_character(value)) is not None:
            raise RecordError(f"{name} has {describe_hidden(char)}")
    for where, text in _strings(list(record.discomfort), "discomfort"):
        if (char := hidden_character(text)) is not None:
            raise RecordError(f"{where} has {describe_hidden(char)}")
    if record.extra:
        for where, text in _strings(record.extra, ""):
            if (char := hidden_character(text)) is not None:
                raise RecordError(f"{where} has {describe_hidden(char)}")


# What Coach writes in these fields (an import that holds anything else was not written by
# a session). `id`: Coach's own are `new_id`'s 32 lowercase hex digits; an import takes the
# same alphabet widened to a slug (lowercase letters, digits, "-", at most 64), so that ids
# of hand-made or converted exports ("rec-12") still import, while nothing a spreadsheet
# or a terminal would act on ("=HYPERLINK(", "+", "@", spaces, escapes) can. `routine`: a
# routine id (coach.routine.ID_PATTERN, one character more lenient) or PLAN/ID for a
# plan's own routine. `routine_hash`: "sha256:" and 64 lowercase hex digits.
_ID_TEXT = re.compile(r"[0-9a-z][0-9a-z-]{0,63}")
_ROUTINE_TEXT = re.compile(r"(?:[a-z0-9][a-z0-9-]{0,63}/)?[a-z0-9][a-z0-9-]{0,63}")
_HASH_TEXT = re.compile(r"sha256:[0-9a-f]{64}")
# The longest routine Coach runs (coach.routine.MAX_TOTAL_SECONDS, not imported here: it
# would load pydantic into `coach stats`; a unit test checks the two agree).
MAX_PLANNED_SECONDS = 2 * 60 * 60
# The most practised time one record may claim: the 2 h routine limit plus 6 h of `+`
# (30 s a press: 720 presses) and `back` replays. Nobody practises a guided routine for
# longer in one sitting; a larger figure is a tampered or corrupt file, and it would be
# summed into every figure of `coach stats`.
MAX_ACTIVE_SECONDS = 8 * 60 * 60
# started_at and ended_at are whole seconds (`timestamp` drops the fraction of each), so
# the practised time may exceed their difference by less than one second.
_CLOCK_SLACK = 1.0


def check_import(record: SessionRecord) -> None:
    """All that an import refuses beyond `record_from_json`: `check_import_text` (every
    string, known or not), an `id` that is not a slug like `new_id`'s hex digits, a
    `routine` that is not a routine id or PLAN/ID, a `routine_hash` that is not "sha256:" +
    64 hex digits, `ended_at` before `started_at`, more `planned_seconds` than the
    2 h routine limit, `active_seconds` above (ended_at − started_at) + 1 s or above
    MAX_ACTIVE_SECONDS (8 h), more `steps_done` than `steps_total`, and `completed` with less
    than 80 % of `planned_seconds` practised. Raises RecordError with one sentence naming
    the field."""
    check_import_text(record)
    if _ID_TEXT.fullmatch(record.id) is None:
        raise RecordError(
            f"id: expected an id as Coach writes (lowercase letters, digits and -), got {record.id[:40]!r}"
        )
    if _ROUTINE_TEXT.fullmatch(record.routine) is None:
        raise RecordError(f"routine: expected a routine id (or PLAN/ID), got {record.routine[:40]!r}")
    if _HASH_TEXT.fullmatch(record.routine_hash) is None:
        raise RecordError(
            f"routine_hash: expected 'sha256:' and 64 hex digits, got {record.routine_hash[:40]!r}"
        )
    if record.plan is not None and _ROUTINE_TEXT.fullmatch(record.plan) is None:
        raise RecordError(f"plan: expected a plan id or null, got {record.plan[:40]!r}")
    started, ended = datetime.fromisoformat(record.started_at), datetime.fromisoformat(record.ended_at)
    elapsed = (ended - started).total_seconds()
    if elapsed < 0:
        raise RecordError("ended_at is before started_at")
    if record.planned_seconds > MAX_PLANNED_SECONDS:
        raise RecordError(
            f"planned_seconds: {record.planned_seconds} is longer than a routine can be "
            f"({MAX_PLANNED_SECONDS} s)"
        )
    if record.active_seconds > MAX_ACTIVE_SECONDS:
        raise RecordError(
            f"active_seconds: {record.active_seconds:.12g} is more than one session can hold "
            f"({MAX_ACTIVE_SECONDS} s)"
        )
    if record.active_seconds > elapsed + _CLOCK_SLACK:
        raise RecordError(
            f"active_seconds: {record.active_seconds:.12g} s practised, but the session lasted "
            f"{elapsed:g} s from started_at to ended_at"
        )
    if record.steps_done > record.steps_total:
        raise RecordError(f"steps_done: {record.steps_done} of only {record.steps_total} steps")
    for index, entry in enumerate(record.discomfort):
        if entry["step"] > record.steps_total:
            raise RecordError(
                f"discomfort[{index}].step: step {entry['step']} of only {record.steps_total} steps"
            )
        if entry["at"] > record.active_seconds + 0.1:  # both rounded to tenths
            raise RecordError(f"discomfort[{index}].at: {entry['at']:.12g} s into a session of "
                              f"{record.active_seconds:.12g} s practised")  # fmt: skip
    # A line of this format says `completed` itself (an older line's is re-read by the rule
    # when parsed): it must be what a session could have written. planned_seconds is whole
    # seconds and active_seconds tenths, hence the half-second slack.
    from coach.session import COMPLETION_SHARE

    if record.completed and record.active_seconds < COMPLETION_SHARE * record.planned_seconds - 0.5:
        raise RecordError(
            f"completed: true, but only {record.active_seconds:.12g} s of {record.planned_seconds} s "
            f"practised (a session completes only with {COMPLETION_SHARE:.0%} of its planned time)"
        )


def record_from_import(obj: Any) -> SessionRecord:
    """`record_from_json`, then `check_import`: a record from an imported file."""
    record = record_from_json(obj)
    check_import(record)
    return record


def _parse_any(line: str) -> SessionRecord:
    from coach.jsonsource import JSONProblem, parse_json

    try:
        # Lone surrogates are kept: a stored line is shown (made visible), never dropped.
        obj = parse_json(line, "", allow_surrogates=True)
    except JSONProblem as exc:  # syntax, numbers too long, NaN, nesting: one reason
        reason = exc.reason.removeprefix("invalid JSON: ")
        raise RecordError(f"not JSON at column {exc.col}: {reason}") from None
    return record_from_json(obj)


# The fast path: a line as `to_line` writes it (ASCII, FIELDS order) is matched by one
# regular expression instead of json.loads plus checks (measured about 6 µs against 17 µs
# a line). It accepts only what the general path accepts and builds the same record (a
# test checks both on generated lines); anything else (extra fields, escapes, non-ASCII,
# doubtful values) goes the general way, which also explains errors. Each field is one
# group, in FIELDS order; a null plan or rating, or a missing optional field, is "".
_TIME = f'"({_TIME_PATTERN})"'
_INT = r"(0|[1-9][0-9]{0,17})"
# What a JSON string may hold without escapes and with the same meaning to json.loads:
# printable ASCII but " and \. (Wider classes measured no faster.)
_STRICT_CHARS = r"[ !#-\[\]-~]"
_TEXT, _TEXT1 = f'"({_STRICT_CHARS}*)"', f'"({_STRICT_CHARS}+)"'
_PATTERNS: dict[str, str] = {
    "Format": r"([1-9][0-9]{0,8})", "Key": _TEXT1, "Text": _TEXT, "PlanId": f"(?:null|{_TEXT1})",
    "Time": _TIME, "Count": _INT, "Flag": "(true|false)", "Rating": r"(?:null|(10|[0-9]))",
    "Area": r'(?:null|"([a-z][a-z-]{0,31})")',
    "Discomfort": r"\[()\]",  # only the empty list: a line with presses takes the general path
    "Seconds": r"((?:0|[1-9][0-9]{0,17})(?:\.[0-9]{1,20})?(?:[eE][-+]?[0-9]{1,3})?)",
}  # fmt: skip


def _record_pattern() -> str:
    parts = []
    for i, (name, kind) in enumerate(_FIELD_KINDS):
        part = (r", ?" if i else "") + rf"\"{name}\": ?{_PATTERNS[kind]}"  # the comma before
        parts.append(rf"(?:{part})?" if name in OPTIONAL_FIELDS else part)
    return r"\{" + "".join(parts) + r"\}"


# Every line of a block: the canonical form (whole, then its fields), or anything else.
_LINES = re.compile("^(?:(" + _record_pattern() + r")|(.*))\r?$", re.MULTILINE)
assert _LINES.groups == 1 + len(FIELDS) + 1  # whole, one per field, other: as unpacked below
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


def parse_block(
    text: str,
    first_line: int,
    records: list[SessionRecord],
    problems: list[LineProblem],
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
         ran, done, total, pre, post, note, pauses, skips, gentler, _discomfort, pain_area, pain_pre,
         pain_post, other) in lines_of(text):  # fmt: skip
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
                        seconds,
                        completed == "true" if ran
                        else _older_completed(completed == "true", seconds, ints[planned]),
                        ran == "true" if ran else completed == "true",
                        ints[done], ints[total], ints[pre],
                        ints[post], note, ints[pauses], ints[skips], ints[gentler], (),
                        pain_area or None, ints[pain_pre], ints[pain_post], no_extra,
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
    problems: list[LineProblem],
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
         ran, _done, _total, _pre, _post, _note, _pauses, _skips, _gentler, _discomfort, _pain_area,
         _pain_pre, _pain_post, other) in lines_of(text):  # fmt: skip
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


def new_id() -> str:
    """A new record id: 32 lowercase hex digits of a random uuid4."""
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
    discomfort: list[dict[str, Any]] | tuple[dict[str, Any], ...] = (),
    id: str | None = None,
    ran_to_end: bool | None = None,
    pain_area: str | None = None,
    pain_pre: int | None = None,
    pain_post: int | None = None,
) -> SessionRecord:
    """A checked record of format FORMAT (raises RecordError naming the bad field); times
    are `timestamp` text, seconds ≥ 0, ratings 0-10 or None. `id` defaults to `new_id()`;
    a runner with a Journal passes `journal.record_id` so a crash cannot log it twice.
    `ran_to_end` None takes `completed` (a completed session always ran to its end)."""
    given = locals()  # the keyword arguments, each named as its field
    obj = {name: given[name] for name in FIELDS if name in given}
    obj.update(
        format=FORMAT,
        id=new_id() if id is None else id,
        ran_to_end=completed if ran_to_end is None else ran_to_end,
    )
    return record_from_json(obj)


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
    `ran_to_end` None takes `completed`.

    The journal is a file, so it may have been edited: every text (the id, the routine's
    id, title and hash, the plan, the note) is written through `coach.text.visible`, the
    one text rule of imports. A session never holds such a character (routines are
    validated against the same rule), so for a journal Coach wrote this changes nothing;
    for a tampered one, an ESC in a title is stored as the visible "␛", never raw, and
    the session is still recorded (nothing is lost)."""
    from coach.text import visible

    missing = [name for name in STATE_FIELDS if name not in state]
    if missing:
        raise RecordError(f"the session state lacks {', '.join(missing)}")
    obj = {name: visible(value) if type(value) is str else value
           for name, value in ((name, state[name]) for name in STATE_FIELDS)}  # fmt: skip
    for name in ("pain_area", "pain_pre", "pain_post"):  # optional: a journal of an older Coach lacks them
        if name in state:
            obj[name] = visible(state[name]) if type(state[name]) is str else state[name]
    if type(state.get("discomfort")) is list:
        obj["discomfort"] = [
            {k: visible(v) if type(v) is str else v for k, v in entry.items()}
            if type(entry) is dict else entry
            for entry in state["discomfort"]
        ]  # fmt: skip
    return new_record(**obj, id=visible(id) if type(id) is str else id, ended_at=ended_at,
                      completed=completed, post=post,
                      note=visible(note) if type(note) is str else note, ran_to_end=ran_to_end)  # fmt: skip


# --- CSV ----------------------------------------------------------------------------------
# Columns are FIELDS, then EXTRA_COLUMN. null is an empty cell, booleans are true/false; the
# fields Coach does not know (newer formats, pain_area, ...) are one compact JSON object in
# the last column (empty when there are none), so an export imports back to the same lines.

EXTRA_COLUMN = "extra"
CSV_COLUMNS: tuple[str, ...] = (*FIELDS, EXTRA_COLUMN)


def extra_cell(record: SessionRecord) -> str:
    """The record's unknown fields as compact JSON (`{"pain_area":"neck"}`), "" when it has
    none. Characters `coach.text.visible` would replace are written as \\u escapes
    (`coach.text.json_visible`): the same JSON value, safe to print."""
    if not record.extra:
        return ""
    from coach.text import json_visible

    return json_visible(json.dumps(record.extra, ensure_ascii=False, separators=(",", ":")))


def _extra_from_cell(cell: str) -> dict[str, Any]:
    """The unknown fields from an `extra` cell; raises RecordError when it is not a JSON
    object or names a field Coach knows."""
    from coach.jsonsource import JSONProblem, parse_json

    try:
        value = parse_json(cell, "", allow_surrogates=True)
    except JSONProblem as exc:
        reason = exc.reason.removeprefix("invalid JSON: ")
        raise RecordError(f"{EXTRA_COLUMN}: not JSON at column {exc.col}: {reason}") from None
    if type(value) is not dict:
        raise RecordError(f"{EXTRA_COLUMN}: expected a JSON object of fields, got {_kind(value)}")
    known = [key for key in value if key in _KNOWN]
    if known:
        raise RecordError(f"{EXTRA_COLUMN}: holds {known[0]!r}, which has a column of its own")
    return value


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if type(value) is tuple:  # discomfort: compact JSON, "" for none
        if not value:
            return ""
        from coach.text import json_visible

        return json_visible(json.dumps(list(value), ensure_ascii=False, separators=(",", ":")))
    if value is True or value is False:
        return "true" if value else "false"
    return str(value)  # a float's str is its repr: it reads back to the same float


def to_csv_row(record: SessionRecord) -> list[str]:
    """The record's CSV cells in FIELDS order (the header `write_csv` writes)."""
    return [_csv_cell(value) for value in _values(record)]


def _csv_flag(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered not in ("true", "false"):
        raise RecordError(f"{name}: expected true or false, got {value[:40]!r}")
    return lowered == "true"


_CSV_READERS: dict[str, Callable[[str, str], Any]] = {
    "Format": lambda name, value: _csv_int(name, value.strip()),
    "Count": lambda name, value: _csv_int(name, value.strip()),
    "Rating": lambda name, value: None if value.strip() == "" else _csv_int(name, value.strip()),
    "PlanId": lambda name, value: value or None,
    "Area": lambda name, value: value or None,
    "Discomfort": lambda name, value: _csv_json_list(name, value),
    "Seconds": lambda name, value: _csv_float(name, value.strip()),
    "Flag": _csv_flag,
    "Key": lambda name, value: value,
    "Text": lambda name, value: value,
    "Time": lambda name, value: value,
}


def _csv_json_list(name: str, cell: str) -> Any:
    """A list from its compact JSON cell ("" is the empty list); the check is the field's."""
    if not cell.strip():
        return []
    from coach.jsonsource import JSONProblem, parse_json

    try:
        return parse_json(cell, "", allow_surrogates=True)
    except JSONProblem as exc:
        reason = exc.reason.removeprefix("invalid JSON: ")
        raise RecordError(f"{name}: not JSON at column {exc.col}: {reason}") from None


def from_csv_row(row: dict[str, str]) -> SessionRecord:
    """A record from a CSV row keyed by header (cells as `to_csv_row` writes them: an empty
    cell is null, flags are true/false in any case; EXTRA_COLUMN's JSON object gives the
    unknown fields back); raises RecordError. A column of OPTIONAL_FIELDS, and
    EXTRA_COLUMN, may be missing (an export of an older Coach)."""
    extra = row.get(EXTRA_COLUMN)
    obj: dict[str, Any] = _extra_from_cell(extra) if extra else {}
    for name, kind in _FIELD_KINDS:
        value = row.get(name)
        if value is None:
            if name in OPTIONAL_FIELDS:
                continue
            raise RecordError(f"{name}: the column is missing")
        obj[name] = _CSV_READERS[kind](name, value)
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
