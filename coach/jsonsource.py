"""Where each value and key of a JSON text stands: JSON path → (line, column).

pydantic says *which* value is wrong; people need to know *where*. This scanner runs only
when a file has problems, so it favours clarity over speed. It assumes the text is valid
JSON (json.loads has already accepted it) and also reports duplicate keys, which json.loads
silently collapses.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field

PathKey = tuple[str | int, ...]

_WS = " \t\n\r"


@dataclass
class SourceMap:
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
