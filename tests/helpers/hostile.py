"""Hostile input shared by the unit and the fuzz tests: what in text a terminal would obey or what
hides text, and JSON bytes that crash or fool Python's json, with the located problem each gives."""

from __future__ import annotations

import unicodedata

from coach.jsonsource import MAX_DEPTH

KEPT = {0x200C, 0x200D}  # ZWNJ and ZWJ: they shape, never hide or reorder


def acts(char: str) -> bool:
    """What a terminal would obey or what hides text: the classes `visible` must replace,
    straight from unicodedata (UAX #44 general categories)."""
    return ord(char) not in KEPT and unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp")


# (name, bytes, "LINE:COL: reason"): what Python's json crashes on or lets through.
HOSTILE_JSON: list[tuple[str, bytes, str]] = [
    ("4301 digits", b'{"a": ' + b"1" * 4301 + b"}", "1:7: number too long: 4301 digits (at most 4300)"),
    ("-5000 digits", b'[1,\n -' + b"2" * 5000 + b"]", "2:2: number too long: 5000 digits (at most 4300)"),
    ("nesting 100,000 deep", b"[" * 100_000 + b"]" * 100_000,
     f"1:{MAX_DEPTH + 1}: nested more than 100 levels deep"),
    ("objects 101 deep", b'{"a":' * 101 + b"1" + b"}" * 101, "1:501: nested more than 100 levels deep"),
    ("bad UTF-8", b'{"a": "caf\xe9"}',
     "1:11: not UTF-8 text: byte 0xe9 is not part of a UTF-8 character here (save the file as UTF-8)"),
    ("an encoded surrogate", b'{"a": "\xed\xa0\x80"}',
     "1:8: not UTF-8 text: byte 0xed is not part of a UTF-8 character here (save the file as UTF-8)"),
    ("UTF-16", '{"a": 1}'.encode("utf-16"), "1:1: the file is UTF-16 text, not UTF-8; save it as UTF-8"),
    ("a lone surrogate", b'{"a": "x\\ud800"}',
     "1:9: the escape \\ud800 is half of a character (a lone surrogate) and not text; remove it"),
    ("a lone low surrogate in a key", b'{"\\udc00": 1}',
     "1:3: the escape \\udc00 is half of a character (a lone surrogate) and not text; remove it"),
    ("NaN", b'{"a": NaN}', "1:7: NaN is not a JSON number; write a number"),
    ("Infinity", b"[Infinity]", "1:2: Infinity is not a JSON number; write a number"),
    ("1e400", b"[1.5, -1e400]", "1:7: number too large: -1e400 is beyond what a number can hold"),
    ("a BOM at the end", '{"a": 1}\ufeff'.encode(),
     "1:9: invalid JSON: a byte-order mark (U+FEFF) here: remove it"),
    ("empty", b"", "1:1: invalid JSON: the file is empty; expected a JSON value such as {...}"),
]  # fmt: skip
