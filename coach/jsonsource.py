"""Reading JSON that people, other programs or a crash may have written, and saying where.

`parse_json` is the one place Coach turns bytes into a JSON value (routines, plans, settings,
the crash journal, the validation cache, history lines and imports). Whatever the bytes, it returns the
value or raises one `JSONProblem` located at a line and column: every failure of Python's
parser (syntax, numbers too long to convert, nesting too deep, bad UTF-8) and what it lets
through but no JSON text means (NaN and Infinity, numbers too large for a float, escapes of
half a character), with the likely cause named for the usual hand-editing mistakes.

The source map below says where each value and key of a valid JSON text stands (JSON path →
line and column), for the problems pydantic finds; it runs only when a file has problems.
"""

from __future__ import annotations

import json
import math
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from coach.errors import CoachError
from coach.text import visible

PathKey = tuple[str | int, ...]

_WS = " \t\n\r"

# Deeper than any file Coach writes or a person writes by hand (a plan's breathing phase sits
# 8 levels down), and far below Python's recursion limit, so that what runs after the parse
# (pydantic, json.dumps, the source map) never recurses out of stack.
MAX_DEPTH = 100


class JSONProblem(CoachError):
    """A text that is not usable JSON: `source:line:col: reason`, exit code 1.

    `line` and `col` are 1-based (the column counts characters); `reason` is one sentence
    without the place, e.g. "trailing comma: remove the ',' after the last item". `path` is
    the JSON path of the value at fault (`format_path`: "steps[0].title") where the problem
    lies in one value (a lone surrogate), else "$" (the whole document).
    """

    located = True

    def __init__(self, source: str, line: int, col: int, reason: str, path: str = "$") -> None:
        self.source, self.line, self.col, self.reason, self.path = source, line, col, reason, path
        # The file name in its one-line form: a name with a line break cannot forge a line.
        super().__init__(f"{visible(source)}:{line}:{col}: {reason}", exit_code=1)


def parse_json(
    data: bytes | str,
    source: str,
    *,
    object_pairs_hook: Callable[[list[tuple[str, Any]]], Any] | None = None,
    allow_surrogates: bool = False,
) -> Any:
    """Bytes (UTF-8, an optional byte-order mark) or text → the JSON value.

    Raises JSONProblem (never anything else) for: bytes that are not UTF-8, a syntax error
    (with its likely cause), a number too long for Python to convert (more than
    `sys.get_int_max_str_digits()` digits, 4300 by default) or too large for a float
    (1e400), NaN or Infinity, nesting deeper than MAX_DEPTH, and a `\\ud800`-style escape
    of half a character (a lone surrogate, which no UTF-8 text can hold).

    A leading byte-order mark is ignored, as RFC 8259 §8.1 allows: Windows editors write one.
    `object_pairs_hook` is passed to json.loads (to see duplicate keys). `allow_surrogates`
    keeps lone surrogates, for a reader that shows what is there rather than refusing it (the
    history: a line once stored is never dropped for it).
    """
    text = decode_utf8(data, source) if isinstance(data, bytes) else data.removeprefix("\ufeff")
    return _decode(text, 0, source, object_pairs_hook, whole=True, surrogates=allow_surrogates)[0]


def decode_at(text: str, pos: int, source: str, *, allow_surrogates: bool = False) -> tuple[Any, int]:
    """One JSON value starting at `pos` (after any white space) → (value, where it ends), with
    the same checks as `parse_json`; for a reader that walks a longer text (a JSON array of
    history records). Raises JSONProblem located in the whole text."""
    return _decode(text, pos, source, None, whole=False, surrogates=allow_surrogates)


def decode_utf8(data: bytes, source: str) -> str:
    """UTF-8 bytes → text, without a leading byte-order mark; JSONProblem at the first bad byte."""
    # UTF-32's byte-order marks first: the little-endian one begins with UTF-16's.
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise JSONProblem(source, 1, 1, "the file is UTF-32 text, not UTF-8; save it as UTF-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise JSONProblem(source, 1, 1, "the file is UTF-16 text, not UTF-8; save it as UTF-8")
    # Without a mark, the zero bytes of the first character (ASCII in any JSON text) tell
    # them apart (RFC 4627 §3): 00 00 00 xx or xx 00 00 00 is UTF-32, 00 xx or xx 00 UTF-16.
    head = data[:4]
    if (len(head) == 4 and head[0] and not any(head[1:])) or head[:3] == b"\0\0\0":
        raise JSONProblem(source, 1, 1, "the file is UTF-32 text, not UTF-8; save it as UTF-8")
    if len(head) >= 2 and bool(head[0]) != bool(head[1]) and data.count(0) * 3 >= len(data):
        raise JSONProblem(source, 1, 1, "the file is UTF-16 text, not UTF-8; save it as UTF-8")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        head = data[: exc.start].decode("utf-8", errors="replace").removeprefix("\ufeff")
        line, col = line_col(head, len(head))
        raise JSONProblem(
            source, line, col,
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} is not part of a UTF-8 character here "
            "(save the file as UTF-8)",
        ) from None  # fmt: skip


_DECODER = json.JSONDecoder()


def _decode(text: str, pos: int, source: str, hook: Any, *, whole: bool, surrogates: bool) -> tuple[Any, int]:
    def problem(offset: int, reason: str, path: str = "$") -> JSONProblem:
        line, col = line_col(text, offset)
        return JSONProblem(source, line, col, reason, path)

    decoder = _DECODER if hook is None else json.JSONDecoder(object_pairs_hook=hook)
    start = _skip_ws(text, pos)
    try:
        value, end = decoder.raw_decode(text, start)
        if whole:
            end = _skip_ws(text, end)
            if end != len(text):
                raise json.JSONDecodeError("Extra data", text, end)
    except json.JSONDecodeError as exc:
        offset, reason = syntax_problem(text, exc.pos, exc.msg)
        raise problem(offset, f"invalid JSON: {reason}") from None
    except RecursionError:
        offset = _deeper_than(text, start, MAX_DEPTH)
        raise problem(offset, _DEPTH_REASON) from None
    except ValueError:
        # Python refuses to convert an integer of more digits than its limit.
        offset, token = _first_token(text, start, _int_too_long)
        digits = len(token.lstrip("-"))
        raise problem(offset, f"number too long: {digits} digits (at most {_max_digits()})"
                      if digits else "a number that cannot be read") from None  # fmt: skip
    bad = _first_flaw(value, surrogates)
    if bad == "depth":
        raise problem(_deeper_than(text, start, MAX_DEPTH), _DEPTH_REASON)
    if bad == "number":
        offset, token = _first_token(text, start, _not_finite)
        if token.lstrip("-") in ("NaN", "Infinity"):
            raise problem(offset, f"{token} is not a JSON number; write a number")
        raise problem(offset, f"number too large: {_clip(token)} is beyond what a number can hold")
    if bad == "surrogate":
        offset, escape = _lone_surrogate(text, start)
        raise problem(offset, f"the escape {escape} is half of a character (a lone surrogate) "
                              "and not text; remove it", format_path(_surrogate_path(value)))  # fmt: skip
    return value, end


_DEPTH_REASON = f"nested more than {MAX_DEPTH} levels deep"


def _skip_ws(text: str, pos: int) -> int:
    end = len(text)
    while pos < end and text[pos] in _WS:
        pos += 1
    return pos


def _max_digits() -> int:
    return sys.get_int_max_str_digits() or 4300


def _first_flaw(value: Any, surrogates: bool = False) -> str | None:
    """'depth', 'number' or 'surrogate' for the first flaw json.loads let through, else None.
    Iterative, so that a deep value cannot recurse out of stack here."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    found: str | None = None
    check = not surrogates
    while stack:
        node, depth = stack.pop()
        kind = type(node)
        if kind is dict or kind is list:
            if depth >= MAX_DEPTH:
                return "depth"
            items = node.items() if kind is dict else enumerate(node)
            for key, child in items:
                if check and kind is dict and not key.isascii() and _has_surrogate(key):
                    found = found or "surrogate"
                stack.append((child, depth + 1))
        elif kind is str:
            if check and not node.isascii() and _has_surrogate(node):
                found = found or "surrogate"
        elif kind is float and not math.isfinite(node):
            found = found or "number"
    return found


_SURROGATE = re.compile("[\ud800-\udfff]")


def _surrogate_path(value: Any) -> PathKey:
    """The path of the first string (or key), in document order, that holds a lone
    surrogate: the value `_lone_surrogate`'s escape is in. () when there is none."""
    stack: list[tuple[Any, PathKey]] = [(value, ())]
    while stack:
        node, path = stack.pop()
        if type(node) is str:
            if _has_surrogate(node):
                return path
        elif type(node) is dict:
            children: list[tuple[Any, PathKey]] = []
            for key, child in node.items():
                if _has_surrogate(key):
                    return (*path, key)
                children.append((child, (*path, key)))
            stack.extend(reversed(children))
        elif type(node) is list:
            stack.extend(reversed([(child, (*path, index)) for index, child in enumerate(node)]))
    return ()


def _has_surrogate(text: str) -> bool:
    return _SURROGATE.search(text) is not None


# Tokens of a JSON text, enough to find the n-th number or bracket outside strings.
_TOKENS = re.compile(
    r'"[^"\\]*(?:\\.[^"\\]*)*"'
    r"|[\[\]{}]"
    r"|-?(?:Infinity|NaN)|NaN"
    r"|-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?",
    re.DOTALL,
)


def _int_too_long(token: str) -> bool:
    return token[:1] in "-0123456789" and token.lstrip("-").isdigit() and (
        len(token.lstrip("-")) > _max_digits()
    )


def _not_finite(token: str) -> bool:
    bare = token.lstrip("-")
    if bare in ("NaN", "Infinity"):
        return True
    if not bare[:1].isdigit() or not any(c in bare for c in ".eE"):
        return False
    return not math.isfinite(float(token))


def _first_token(text: str, start: int, test: Callable[[str], bool]) -> tuple[int, str]:
    for match in _TOKENS.finditer(text, start):
        token = match.group()
        if token[0] != '"' and token not in "[]{}" and test(token):
            return match.start(), token
    return start, ""


def _deeper_than(text: str, start: int, limit: int) -> int:
    """Offset of the first bracket that opens level `limit + 1`."""
    depth = 0
    for match in _TOKENS.finditer(text, start):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > limit:
                return match.start()
        elif token in ("]", "}"):
            depth -= 1
            if depth <= 0:
                break
    return start


_ESCAPES = re.compile(
    r"\\u([dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"  # a whole pair
    r"|\\u([dD][89a-fA-F][0-9a-fA-F]{2})"  # half of one
    r"|\\."
)


def _lone_surrogate(text: str, start: int) -> tuple[int, str]:
    for match in _TOKENS.finditer(text, start):
        token = match.group()
        if token[0] != '"' or "\\" not in token:
            continue
        for escape in _ESCAPES.finditer(token):
            if escape.group(2):
                return match.start() + escape.start(), escape.group()
    return start, "\\u????"


def _clip(token: str, width: int = 30) -> str:
    return token if len(token) <= width else token[: width - 3] + "..."


# --- the likely cause of a syntax error -------------------------------------------------------

_CURLY_DOUBLE = "“”„‟"
_CURLY = _CURLY_DOUBLE + "‘’‚‛«»"
_WORD = re.compile(r"[A-Za-z_$][A-Za-z0-9_$-]*")


def syntax_problem(text: str, pos: int, msg: str) -> tuple[int, str]:
    """Python's json error (its message and offset) → (offset to show, a sentence naming the
    likely cause). Points at the culprit where it is known: a trailing comma is shown at the
    comma, not at the bracket after it."""
    ch = text[pos : pos + 1]
    before = text[:pos].rstrip(_WS)
    prev = before[-1:]
    cause = _cause_at(text, pos)
    # "Hello” (a straight quote opens the text, a curly one was meant to close it): the text
    # runs on past it, to the next straight quote or the end of the line.
    if msg.startswith("Invalid control character") and ch in "\r\n":
        curly = _curly_in_string(text, text.rfind('"', 0, pos), pos)
    elif msg.startswith(("Expecting ','", "Expecting ':'")) and text[pos - 1 : pos] == '"':
        curly = _curly_in_string(text, text.rfind('"', 0, pos - 1), pos - 1)
    else:
        curly = -1
    if curly >= 0:
        return curly, _cause_at(text, curly) or ""
    if pos >= len(text) and text.strip(_WS) and not msg.startswith("Unterminated"):
        return pos, "the text ends before the JSON is complete (a closing '}' or ']' is missing)"
    if msg.startswith("Expecting property name"):
        if ch == "}" and prev == ",":
            return len(before) - 1, "trailing comma: remove the ',' after the last item"
        if ch == ",":
            return pos, "a comma where a key should be: remove the extra ','"
        if cause:
            return pos, cause
        word = _WORD.match(text, pos)
        if word:
            return pos, f"unquoted key: put it in double quotes (\"{_clip(word.group())}\")"
        return pos, "expected a key in double quotes (\"name\") or '}'"
    if msg.startswith("Expecting value"):
        if not text.strip(_WS):
            return pos, "the file is empty; expected a JSON value such as {...}"
        if ch == "]" and prev == ",":
            return len(before) - 1, "trailing comma: remove the ',' after the last item"
        if ch in ",]}":
            return pos, f"expected a value before '{ch}'"
        if cause:
            return pos, cause
        if ch == "+":
            return pos, "a number cannot start with '+'; write it without the sign"
        if ch == ".":
            return pos, "a number needs a digit before the point (0.5, not .5)"
        word = _WORD.match(text, pos)
        if word:
            found = word.group()
            if found.lower() in ("true", "false", "null"):
                return pos, f"write {found.lower()} in lower case"
            if found == "None":
                return pos, "write null, not None"
            return pos, f"unquoted text: put it in double quotes (\"{_clip(found)}\")"
        return pos, f"expected a value (text in double quotes, a number, true, false, null, {{ or [), " \
                    f"not {_shown_char(ch)}"
    if msg.startswith("Expecting ':'"):
        if ch == "=":
            return pos, "use ':' between a key and its value, not '='"
        if cause:
            return pos, cause
        return pos, "expected ':' after the key"
    if msg.startswith("Expecting ','"):
        if cause:
            return pos, cause
        if text[pos - 1 : pos] == '"' and _WORD.match(text, pos):
            return pos - 1, ("this '\"' ends the text early; write \\\" for a double quote "
                             "inside text")  # fmt: skip
        if ch in "xXbBoO" and prev == "0":
            return len(before) - 1, "hexadecimal, octal and binary numbers are not JSON; write it in decimal"
        if ch.isdigit() and prev == "0":
            return len(before) - 1, "a number cannot start with 0 (write 8, not 08)"
        if ch == ":":
            return pos, "a ':' inside a list; a list holds values, an object {...} holds keys"
        return pos, "a comma is missing before this"
    if msg.startswith("Unterminated string"):
        return pos, "text not closed: the '\"' that starts it has no closing '\"'"
    if msg.startswith("Invalid control character"):
        if ch == "\n" or ch == "\r":
            return pos, ("a line break inside text: close the text with '\"' before the line "
                         "ends, or write \\n")  # fmt: skip
        if ch == "\t":
            return pos, "a tab inside text: write \\t or a space instead"
        return pos, f"control character {_shown_char(ch)} inside text: remove it"
    if msg.startswith("Invalid \\uXXXX"):
        start = text.rfind("\\", 0, pos + 1)
        return (start if start >= 0 else pos), "a \\u escape needs four hex digits (like \\u00e9)"
    if msg.startswith("Invalid \\escape"):
        return pos, (f"invalid escape \\{_shown_char(text[pos + 1 : pos + 2] or ' ', quote=False)} "
                     "in text: write \\\\ for a backslash (or / in a path)")  # fmt: skip
    if msg.startswith("Extra data"):
        if ch in "}]":
            return pos, f"an extra '{ch}' after the end of the document"
        if ch == ",":
            return pos, "a comma after the end of the document"
        if cause:
            return pos, cause
        return pos, "more text after the end of the document (it must be a single value)"
    return pos, msg[:1].lower() + msg[1:]


def _curly_in_string(text: str, start: int, end: int) -> int:
    """Offset of the first curly double quote in text[start:end] on one line, or -1."""
    if start < 0 or "\n" in text[start:end]:
        return -1
    found = [i for i in (text.find(q, start, end) for q in _CURLY_DOUBLE) if i >= 0]
    return min(found, default=-1)


def _cause_at(text: str, pos: int) -> str | None:
    """What an unexpected character usually means, for the ones people paste or type."""
    ch = text[pos : pos + 1]
    if ch == "'":
        return "single quotes: JSON needs double quotes (\") around keys and text"
    if ch and ch in _CURLY:
        return (f"curly quote {ch}, probably pasted from a word processor: use straight "
                "double quotes (\")")  # fmt: skip
    if text.startswith("//", pos):
        return "a // comment: JSON has no comments (keep a note in an \"x-note\" key instead)"
    if text.startswith("/*", pos):
        return "a /* comment */: JSON has no comments (keep a note in an \"x-note\" key instead)"
    if ch == "#":
        return "a # comment: JSON has no comments (keep a note in an \"x-note\" key instead)"
    if ch == ";":
        return "';' is not a separator in JSON: write ',' between items"
    if ch == "\ufeff":
        return "a byte-order mark (U+FEFF) here: remove it"
    if ch and ch not in _WS and ch.isspace():
        return (f"a special space {_shown_char(ch)}: only plain spaces, tabs and line breaks may "
                "separate JSON values")  # fmt: skip
    if ch and ch not in _WS and unicodedata.category(ch)[0] == "C":
        return f"unexpected character {_shown_char(ch)}"
    return None


def _shown_char(ch: str, quote: bool = True) -> str:
    if not ch:
        return "the end of the text"
    if ch.isprintable() and not ch.isspace():
        return f"'{ch}'" if quote else ch
    return f"U+{ord(ch):04X}"


@dataclass
class SourceMap:
    """Where each value and key of a JSON text is, by JSON path (character offsets), and
    the keys that appear twice in one object (path, offset of the second)."""

    values: dict[PathKey, int] = field(default_factory=dict)  # path → offset of the value
    keys: dict[PathKey, int] = field(default_factory=dict)  # path → offset of its key
    duplicates: list[tuple[PathKey, int]] = field(default_factory=list)


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.map = SourceMap()

    def skip_ws(self) -> None:
        text, pos = self.text, self.pos
        while pos < len(text) and text[pos] in _WS:
            pos += 1
        self.pos = pos

    def value(self, path: PathKey) -> None:
        self.skip_ws()
        self.map.values[path] = self.pos
        ch = self.text[self.pos]
        if ch == "{":
            self.obj(path)
        elif ch == "[":
            self.array(path)
        elif ch == '"':
            self.string()
        else:
            self.literal()

    def obj(self, path: PathKey) -> None:
        self.pos += 1
        seen: set[str] = set()
        self.skip_ws()
        if self.text[self.pos] == "}":
            self.pos += 1
            return
        while True:
            self.skip_ws()
            key_pos = self.pos
            key = self.string()
            child = (*path, key)
            if key in seen:
                self.map.duplicates.append((child, key_pos))
            seen.add(key)
            # json.loads keeps the last of duplicate keys, so positions follow the last too.
            self.map.keys[child] = key_pos
            self.skip_ws()
            self.pos += 1  # ':'
            self.value(child)
            self.skip_ws()
            ch = self.text[self.pos]
            self.pos += 1
            if ch == "}":
                return

    def array(self, path: PathKey) -> None:
        self.pos += 1
        self.skip_ws()
        if self.text[self.pos] == "]":
            self.pos += 1
            return
        index = 0
        while True:
            self.value((*path, index))
            index += 1
            self.skip_ws()
            ch = self.text[self.pos]
            self.pos += 1
            if ch == "]":
                return

    def string(self) -> str:
        start = self.pos
        pos = start + 1
        text = self.text
        while True:
            ch = text[pos]
            if ch == "\\":
                pos += 2
                continue
            pos += 1
            if ch == '"':
                break
        self.pos = pos
        return json.loads(text[start:pos])

    def literal(self) -> None:
        text, pos = self.text, self.pos
        while pos < len(text) and text[pos] not in _WS + ",]}":
            pos += 1
        self.pos = pos


def source_map(text: str) -> SourceMap:
    """The SourceMap of a JSON text that `parse_json` accepted (it does not re-check it)."""
    scanner = _Scanner(text)
    scanner.value(())
    return scanner.map


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of an offset."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def safe_text(text: str) -> str:
    """Text from a file, made safe for one line of a terminal: control, separator and
    bidirectional characters become \\uXXXX escapes."""
    out = []
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"):
            out.append(f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    return "".join(out)


_SIMPLE_KEY = re.compile(r"^[$A-Za-z_][A-Za-z0-9_$-]*$")


def format_path(path: PathKey) -> str:
    """`steps[2].seconds`; `$` for the whole document; odd keys quoted: `steps[0]["a b"]`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _SIMPLE_KEY.match(part):
            out += f".{part}" if out else part
        else:
            out += "[" + safe_text(json.dumps(part, ensure_ascii=False)) + "]"
    return out or "$"
