"""Reading a JSON document people wrote by hand, and saying precisely what is wrong with it.

Every problem becomes one line `FILE:LINE:COL: PATH: message`. Routines and plans share this.
At most MAX_PROBLEMS are worked out and shown per file, then "and N more": a file with ten
thousand unknown keys costs what twenty do (the file order, the cheap part, is known for all;
messages and did-you-mean suggestions are made for the ones shown).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.errors import CoachError, UsageError
from coach.jsonsource import JSONProblem, PathKey, format_path, line_col, parse_json, safe_text, source_map
from coach.text import visible

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

MAX_BYTES = 256 * 1024
# At most this many problems are listed per file, then "and N more": enough to fix a file
# in one pass, short enough to read.
MAX_PROBLEMS = 20


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a routine or plan file, located: `source` (the path as given), 1-based
    `line` and `col` (characters), the JSON path ('$.steps[2].seconds') and one sentence."""

    source: str
    line: int
    col: int
    path: str
    message: str

    def __str__(self) -> str:
        # The file name in its one-line form: a name with a line break cannot forge a line.
        return f"{visible(self.source)}:{self.line}:{self.col}: {self.path}: {self.message}"


class InvalidDocument(CoachError):
    """A file that is not a valid routine or plan; its message is one line per problem.

    At most MAX_PROBLEMS are kept (the first ones given); `more` counts those left out,
    including `more` found uncounted by the caller, and a last line says "and N more".
    """

    located = True

    def __init__(self, problems: list[Problem], more: int = 0) -> None:
        self.problems = problems[:MAX_PROBLEMS]
        self.more = more + max(0, len(problems) - MAX_PROBLEMS)
        lines = [str(p) for p in self.problems]
        if self.more and self.problems:
            lines.append(more_line(self.problems[0].source, self.more))
        super().__init__("\n".join(lines), exit_code=1)


def more_line(source: str, more: int) -> str:
    """The line that ends a capped list of problems."""
    return f"{visible(source)}: and {more} more problem{'' if more == 1 else 's'} (fix these first)"


def too_big_message(size: int) -> str:
    """The problem of a file of `size` bytes over MAX_BYTES, in KiB."""
    return f"file is {size / 1024:.0f} KiB; the limit is {MAX_BYTES // 1024} KiB"


def read_document(path: Path, what: str) -> bytes:
    """A routine or plan file's bytes. A missing or unreadable file, a folder or a FIFO is a
    usage error (exit 2); one over the size limit is invalid, said without reading it whole."""
    from coach.files import UnsafePathError, read_user_bytes

    try:
        size = path.stat().st_size
        if size > MAX_BYTES and path.is_file():
            raise InvalidDocument([Problem(str(path), 1, 1, "$", too_big_message(size))])
        return read_user_bytes(path)  # a FIFO or a device is refused, never waited on
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a folder, not a {what} file") from None
    except UnsafePathError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None


def _at(source: str, text: str, offset: int, path: PathKey | str, message: str) -> Problem:
    line, col = line_col(text, offset)
    shown = path if isinstance(path, str) else format_path(path)
    return Problem(source, line, col, shown, message)


def _type_name(value: Any) -> str:
    return {
        dict: "an object", list: "a list", str: "text", bool: "true/false",
        int: "a number", float: "a number", type(None): "null",
    }.get(type(value), type(value).__name__)  # fmt: skip


def parse_document(data: bytes, source: str, what: str) -> tuple[str, dict[str, Any]]:
    """Bytes → (text, top-level object), or InvalidDocument with the first problem's place
    (anything `jsonsource.parse_json` refuses, a top level that is not an object, duplicate
    keys)."""
    if len(data) > MAX_BYTES:
        raise InvalidDocument([Problem(source, 1, 1, "$", too_big_message(len(data)))])
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(items)
        if len(obj) != len(items):
            duplicates.append("dup")
        return obj

    try:
        obj = parse_json(data, source, object_pairs_hook=pairs)
    except JSONProblem as exc:
        raise InvalidDocument([Problem(source, exc.line, exc.col, exc.path, exc.reason)]) from None
    # The same text parse_json read (it drops a byte-order mark): offsets below are in it.
    text = data.decode("utf-8").removeprefix("\ufeff")
    if not isinstance(obj, dict):
        raise InvalidDocument([_at(
            source, text, len(text) - len(text.lstrip()), "$",
            f"expected a JSON object (the {what}), got {_type_name(obj)}",
        )])  # fmt: skip
    if duplicates:
        smap = source_map(text)
        found = smap.duplicates
        raise InvalidDocument([
            _at(source, text, offset, path, f"duplicate key '{safe_text(str(path[-1]))}' (keep one of them)")
            for path, offset in found[:MAX_PROBLEMS]
        ], more=max(0, len(found) - MAX_PROBLEMS))  # fmt: skip
    return text, obj


def _walk(obj: Any, loc: Iterable[str | int]) -> tuple[PathKey, Any, list[str | int]]:
    """Follow pydantic's loc through the data; parts that are not in the data (union tags,
    the name of a missing field) are returned separately."""
    path: list[str | int] = []
    node = obj
    leftover: list[str | int] = []
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            node = node[part]
            path.append(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            path.append(part)
        else:
            leftover.append(part)
    return tuple(path), node, leftover


def _field_names(model: type[BaseModel]) -> set[str]:
    return {info.alias or name for name, info in model.model_fields.items()}


class _Suggester:
    """Did-you-mean for unknown keys: the closest field name of the models that fit the
    object's known keys (and its step `type`), that the object does not have yet.

    `unknown` maps an object's path to its unknown keys (from pydantic's errors); the
    candidates are worked out once per object, so many unknown keys cost little."""

    def __init__(self, models: list[type[BaseModel]], unknown: dict[PathKey, set[str]]) -> None:
        self.models = models
        self.unknown = unknown
        self._names = {m: _field_names(m) for m in models}
        self._candidates: dict[PathKey, list[str]] = {}

    def candidates(self, parent_path: PathKey, node: dict[str, Any]) -> list[str]:
        found = self._candidates.get(parent_path)
        if found is None:
            present = set(node)
            unknown = self.unknown.get(parent_path, set())
            known = {k for k in present - unknown if not k.startswith("x-")}
            fits = [m for m in self.models if known <= self._names[m]]
            kind = node.get("type")
            typed = [m for m in fits if kind is not None and "type" in m.model_fields
                     and kind in getattr(m.model_fields["type"].annotation, "__args__", ())]  # fmt: skip
            names: set[str] = set().union(*(self._names[m] for m in (typed or fits or self.models)))
            found = self._candidates[parent_path] = sorted(names - present)
        return found

    def suggestion(self, key: str, parent_path: PathKey, node: dict[str, Any]) -> str | None:
        close = difflib.get_close_matches(key, self.candidates(parent_path, node), n=1, cutoff=0.6)
        return close[0] if close else None

    def explains_missing(self, name: str, parent_path: PathKey, node: dict[str, Any]) -> bool:
        """A misspelt key is also a missing one: `secnods` explains the missing `seconds`."""
        keys = sorted(self.unknown.get(parent_path, ()))
        close = difflib.get_close_matches(name, keys, n=5, cutoff=0.6)
        return any(self.suggestion(key, parent_path, node) == name for key in close)


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _shown(value: Any) -> str:
    text = safe_text(json.dumps(value, ensure_ascii=False))
    return text if len(text) <= 40 else text[:37] + "..."


def _message(err: dict[str, Any], node: Any, leftover: list[str | int], path: PathKey,
             suggester: _Suggester, parent: Any) -> tuple[str, PathKey, bool]:
    """(message, path to report, point at the key rather than the value)."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if kind == "missing":
        return f"missing required field '{safe_text(str(leftover[-1]))}'", path, False
    if kind == "extra_forbidden":
        key = str(path[-1])
        close = suggester.suggestion(key, path[:-1], parent) if isinstance(parent, dict) else None
        hint = f" (did you mean '{close}'?)" if close else ""
        return f"unknown field '{safe_text(key)}'{hint}", path, True
    if kind == "step_type" and isinstance(node, dict):
        if "type" not in node:
            return "missing required field 'type' (massage, stretch, breathing or rest)", path, False
        return (f"unknown step type {_shown(node['type'])}; expected massage, stretch, "
                "breathing or rest"), (*path, "type"), False  # fmt: skip
    if kind == "literal_error":
        if path and path[-1] == "pattern":
            return (f"unknown breathing pattern {_shown(value)}; presets are box, 4-7-8, "
                    "coherent, resonance, extended-exhale, cyclic-sigh, or give "
                    "{\"phases\": [...]}"), path, False  # fmt: skip
        if path == ("format",):
            return (f"unsupported format {_shown(value)}; this version of Coach reads "
                    "format 1"), path, False  # fmt: skip
        return f"expected {ctx.get('expected')}, got {_shown(value)}", path, False
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        return f"must be at least {_number(bound)}, got {_shown(value)}", path, False
    if kind in ("less_than_equal", "less_than"):
        bound = ctx.get("le", ctx.get("lt"))
        return f"must be at most {_number(bound)}, got {_shown(value)}", path, False
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {_shown(value)}", path, False
    if kind in ("float_type", "float_parsing"):
        return f"expected a number, got {_shown(value)}", path, False
    if kind == "string_type":
        return f"expected text, got {_type_name(value)}", path, False
    if kind == "bool_type":
        return f"expected true or false, got {_shown(value)}", path, False
    if kind == "list_type":
        return f"expected a list, got {_type_name(value)}", path, False
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected an object, got {_type_name(value)}", path, False
    if kind == "too_short":
        count = ctx.get("min_length")
        return f"must have at least {count} item{'' if count == 1 else 's'}", path, False
    if kind == "too_long":
        return (f"has {ctx.get('actual_length')} items; at most "
                f"{ctx.get('max_length')} are allowed"), path, False  # fmt: skip
    if kind == "string_too_short":
        return "must not be empty", path, False
    if kind == "string_too_long":
        return (f"is {len(value)} characters long; at most {ctx.get('max_length')} "
                "are allowed"), path, False  # fmt: skip
    if kind == "string_pattern_mismatch":
        if (path and path[-1] == "id") or (len(path) >= 1 and path[-1] == "routine"):
            return (f"must be a lower-case id of 2-64 letters a-z, digits and '-', starting "
                    f"with a letter or digit, got {_shown(value)}"), path, False  # fmt: skip
        if len(path) >= 2 and path[-2] in ("tags",):
            return (f"a tag is lower-case letters, digits and '-' (at most 40), "
                    f"got {_shown(value)}"), path, False  # fmt: skip
        return f"does not match the expected form, got {_shown(value)}", path, False
    message = str(err.get("msg", "is not valid"))
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    return message[:1].lower() + message[1:], path, False


def problems_from(exc: ValidationError, text: str, obj: dict[str, Any], source: str,
                  models: list[type[BaseModel]]) -> tuple[list[Problem], int]:
    """pydantic's errors → (the first MAX_PROBLEMS problems in file order, how many more).

    Where each error stands is found for all of them (cheap); messages, suggestions and the
    check that a missing field is only a misspelt one are made for the ones shown."""
    smap = source_map(text)
    located: list[tuple[int, int, dict[str, Any], PathKey, Any, list[str | int]]] = []
    unknown: dict[PathKey, set[str]] = {}
    for index, err in enumerate(exc.errors(include_url=False)):
        path, node, leftover = _walk(obj, err["loc"])
        if err["type"] == "extra_forbidden" and path:
            unknown.setdefault(path[:-1], set()).add(str(path[-1]))
            offset = smap.keys.get(path, smap.values.get(path, 0))
        else:
            offset = smap.values.get(path, 0)
        located.append((offset, index, err, path, node, leftover))
    located.sort(key=lambda item: item[:2])
    suggester = _Suggester(models, unknown)
    shown: set[Problem] = set()
    used = 0
    for _offset, _index, err, path, node, leftover in located:
        if len(shown) >= MAX_PROBLEMS:
            break
        used += 1
        parent = _walk(obj, path[:-1])[1] if path else obj
        if (err["type"] == "missing" and leftover and isinstance(node, dict)
                and suggester.explains_missing(str(leftover[-1]), path, node)):  # fmt: skip
            continue
        message, at_path, at_key = _message(err, node, leftover, path, suggester, parent)
        offsets = smap.keys if at_key else smap.values
        offset = offsets.get(at_path, smap.values.get(at_path, 0))
        shown.add(_at(source, text, offset, at_path, message))
    return sorted(shown), len(located) - used


def load_model(data: bytes, source: str, model: type[BaseModel], what: str,
               models: list[type[BaseModel]]) -> Any:
    """Parse and validate; InvalidDocument with every problem, in file order."""
    from pydantic import ValidationError

    text, obj = parse_document(data, source, what)
    try:
        return model.model_validate(obj)
    except ValidationError as exc:
        problems, more = problems_from(exc, text, obj, source, models)
        raise InvalidDocument(problems, more) from None
    except RecursionError:
        raise InvalidDocument([Problem(source, 1, 1, "$", "nested too deeply")]) from None
