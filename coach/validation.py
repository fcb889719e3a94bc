"""Reading a JSON document people wrote by hand, and saying precisely what is wrong with it.

Every problem becomes one line `FILE:LINE:COL: PATH: message`. Routines and plans share this.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.errors import CoachError, UsageError
from coach.jsonsource import PathKey, format_path, line_col, safe_text, source_map

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

MAX_BYTES = 256 * 1024


@dataclass(frozen=True, order=True)
class Problem:
    source: str
    line: int
    col: int
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}:{self.col}: {self.path}: {self.message}"


class InvalidDocument(CoachError):
    """A file that is not a valid routine or plan; its message is one line per problem."""

    located = True

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems), exit_code=1)


def too_big_message(size: int) -> str:
    return f"file is {size / 1024:.0f} KiB; the limit is 256 KiB"


def read_document(path: Path, what: str) -> bytes:
    """A routine or plan file's bytes. A missing or unreadable file is a usage error (exit 2);
    one over the size limit is invalid, said without reading it whole."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES and path.is_file():
            raise InvalidDocument([Problem(str(path), 1, 1, "$", too_big_message(size))])
        return path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a folder, not a {what} file") from None
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
    """Bytes → (text, top-level object), or InvalidDocument with the first problem's place."""
    if len(data) > MAX_BYTES:
        raise InvalidDocument([Problem(source, 1, 1, "$", too_big_message(len(data)))])
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a byte-order mark some editors write: harmless
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        head = data[: exc.start].decode("utf-8", errors="replace")
        line, col = line_col(head, len(head))
        raise InvalidDocument([Problem(
            source, line, col, "$",
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot start a character "
            "(save the file as UTF-8)",
        )]) from None  # fmt: skip
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(items)
        if len(obj) != len(items):
            duplicates.append("dup")
        return obj

    try:
        obj = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise InvalidDocument([Problem(
            source, exc.lineno, exc.colno, "$", f"invalid JSON: {exc.msg[0].lower()}{exc.msg[1:]}"
        )]) from None  # fmt: skip
    except RecursionError:
        raise InvalidDocument([Problem(source, 1, 1, "$", "invalid JSON: nested too deeply")]) from None
    if not isinstance(obj, dict):
        raise InvalidDocument([_at(
            source, text, len(text) - len(text.lstrip()), "$",
            f"expected a JSON object (the {what}), got {_type_name(obj)}",
        )])  # fmt: skip
    if duplicates:
        smap = source_map(text)
        raise InvalidDocument([
            _at(source, text, offset, path, f"duplicate key '{safe_text(str(path[-1]))}' (keep one of them)")
            for path, offset in smap.duplicates
        ])  # fmt: skip
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


def _suggest(key: str, node: dict[str, Any], models: list[type[BaseModel]]) -> str:
    present = {k for k in node if k != key}
    fits = [m for m in models if present <= _field_names(m)]
    kind = node.get("type")
    typed = [m for m in fits if kind is not None and "type" in m.model_fields
             and kind in getattr(m.model_fields["type"].annotation, "__args__", ())]  # fmt: skip
    names: set[str] = set().union(*(_field_names(m) for m in (typed or fits or models)))
    close = difflib.get_close_matches(key, sorted(names - present - {key}), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _shown(value: Any) -> str:
    text = safe_text(json.dumps(value, ensure_ascii=False))
    return text if len(text) <= 40 else text[:37] + "..."


def _message(err: dict[str, Any], node: Any, leftover: list[str | int], path: PathKey,
             models: list[type[BaseModel]], parent: Any) -> tuple[str, PathKey, bool]:
    """(message, path to report, point at the key rather than the value)."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if kind == "missing":
        return f"missing required field '{safe_text(str(leftover[-1]))}'", path, False
    if kind == "extra_forbidden":
        key = str(path[-1])
        return f"unknown field '{safe_text(key)}'{_suggest(key, parent, models)}", path, True
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
                  models: list[type[BaseModel]]) -> list[Problem]:
    smap = source_map(text)
    problems: set[Problem] = set()
    for err in exc.errors(include_url=False):
        path, node, leftover = _walk(obj, err["loc"])
        parent = _walk(obj, path[:-1])[1] if path else obj
        message, path, at_key = _message(err, node, leftover, path, models, parent)
        offsets = smap.keys if at_key else smap.values
        offset = offsets.get(path, smap.values.get(path, 0))
        problems.add(_at(source, text, offset, path, message))
    return sorted(_without_echoes(problems))


def _without_echoes(problems: set[Problem]) -> set[Problem]:
    """A misspelt key is also a missing one: `secnods` explains the missing `seconds`, so
    only the misspelling is reported."""
    explained = set()
    for p in problems:
        if "(did you mean '" in p.message:
            suggested = p.message.rsplit("(did you mean '", 1)[1].removesuffix("'?)")
            parent = p.path.rsplit(".", 1)[0] if "." in p.path else "$"
            explained.add((parent, f"missing required field '{suggested}'"))
    return {p for p in problems if (p.path, p.message) not in explained}


def load_model(data: bytes, source: str, model: type[BaseModel], what: str,
               models: list[type[BaseModel]]) -> Any:
    """Parse and validate; InvalidDocument with every problem, in file order."""
    from pydantic import ValidationError

    text, obj = parse_document(data, source, what)
    try:
        return model.model_validate(obj)
    except ValidationError as exc:
        raise InvalidDocument(problems_from(exc, text, obj, source, models)) from None
    except RecursionError:
        raise InvalidDocument([Problem(source, 1, 1, "$", "nested too deeply")]) from None
