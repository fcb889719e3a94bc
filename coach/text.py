"""Text from outside (files, imports, a person's typing) made safe to show.

One function, `visible`, is the way such text reaches a terminal: every screen of the app,
every command's output and every report goes through it (the Markdown, HTML and CSV
helpers below call it first). It never drops a character and never lets one act: a
character that a terminal would obey, or that hides or reorders text, is replaced by a
visible stand-in.

- C0 controls U+0000–U+001F and DEL U+007F (ECMA-48 §5.2 and ISO/IEC 6429: ESC starts
  every escape sequence — CSI colours, OSC window titles and hyperlinks — BEL ends an OSC,
  CR and BS overwrite what was written) become their Unicode Control Pictures, one cell
  wide: ESC → ␛, BEL → ␇, NUL → ␀, DEL → ␡ (block U+2400, "Control Pictures").
- C1 controls U+0080–U+009F (ECMA-48 §5.3: U+009B is a one-character CSI, U+009D an OSC)
  become `<U+009B>`: there is no picture for them.
- Bidirectional formatting characters (Unicode Standard Annex #9, "Unicode Bidirectional
  Algorithm", §2: embeddings and overrides U+202A–U+202E, isolates U+2066–U+2069, and the
  marks U+200E, U+200F, U+061C) become `<U+202E>`: they make text display in an order other
  than the one it is stored in (the "Trojan Source" attack, CVE-2021-42574).
- Every other format character (General Category Cf, UAX #44) except ZERO WIDTH NON-JOINER
  and ZERO WIDTH JOINER (U+200C, U+200D) becomes `<U+XXXX>`: they are invisible and can hide
  text (zero width space, word joiner, BOM, the tag characters U+E0000–U+E007F that can
  carry a whole hidden sentence). The two joiners are kept because they only shape what is
  next to them: ZWJ builds emoji sequences (👩‍⚕️), ZWNJ is needed to spell Persian and Indic
  words; neither hides or reorders anything.
- LINE SEPARATOR and PARAGRAPH SEPARATOR (U+2028, U+2029, category Zl/Zp: some renderers
  break lines on them) and lone surrogates U+D800–U+DFFF (category Cs: JSON's `\\ud800`
  escape can produce one; they cannot even be encoded to UTF-8) become `<U+XXXX>`.

`visible` is for one line (a table cell, a title, an error message): a line feed becomes ␊
and a tab ␉, so a cell cannot break a table. `visible_lines` keeps line feeds and tabs, for
text that is shown as a paragraph.

The character sets are written out below instead of computed from `unicodedata` at import
(which would cost a scan of 1.1 million code points on every command);
`tests/unit/test_hostile_text.py` checks them against `unicodedata` for this Python's Unicode
version. Text with no such character (almost all) is recognised by `str.isprintable` in C
and returned as it is.

The end of this module is the one place where durations and counts become words
(`duration_clock`, `duration_clock_spent`, `duration_words`, `duration_about`,
`duration_rounded`, `length_minutes`, `duration_spoken`, `whole_seconds`, `plural`).
"""

from __future__ import annotations

import math
import re
from datetime import date

__all__ = [
    "CSV_FORMULA_START",
    "HIDDEN_RANGES",
    "csv_cell",
    "csv_restore",
    "day_text",
    "days",
    "describe_hidden",
    "duration_about",
    "duration_clock",
    "duration_clock_spent",
    "duration_rounded",
    "duration_spoken",
    "duration_words",
    "hidden_character",
    "html_text",
    "json_visible",
    "length_minutes",
    "markdown_text",
    "plural",
    "short_day",
    "visible",
    "visible_lines",
    "whole_seconds",
]

# Bidi controls (UAX #9 §2.1–2.4, Table 1 "Bidirectional Character Types": LRE RLE PDF LRO
# RLO, LRI RLI FSI PDI, LRM RLM ALM).
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# The rest of General Category Cf (Unicode 15.0, DerivedGeneralCategory.txt), less the
# bidi marks above and ZWNJ/ZWJ (U+200C/D), which are kept.
_FORMAT = (
    "\u00ad\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u2060-\u2064\u206a-\u206f"
    "\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
# Zl, Zp and Cs.
_OTHER = "\u2028\u2029\ud800-\udfff"
_C0_C1 = "\x00-\x1f\x7f-\x9f"

_HIDDEN = _BIDI + _FORMAT + _OTHER


def _ranges(char_class: str) -> tuple[tuple[int, int], ...]:
    """The (first, last) code points of a character class body written as above."""
    found, index = [], 0
    while index < len(char_class):
        if char_class[index + 1 : index + 2] == "-" and index + 2 < len(char_class):
            found.append((ord(char_class[index]), ord(char_class[index + 2])))
            index += 3
        else:
            found.append((ord(char_class[index]), ord(char_class[index])))
            index += 1
    return tuple(found)


# Every character `visible` replaces in one line (`hidden_character` finds), as inclusive
# (first, last) code point ranges: for rules written elsewhere in another dialect (the
# JSON Schema pattern of routine and plan text, coach.routine), so that there is one set.
HIDDEN_RANGES: tuple[tuple[int, int], ...] = _ranges(_C0_C1 + _HIDDEN)
_BIDI_CHARS = re.compile(f"[{_BIDI}]")
_ONE_LINE = re.compile(f"[{_C0_C1}{_HIDDEN}]")
# As above, but a line feed and a tab stay what they are.
_LINES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_HIDDEN}]")


def _stand_in(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # Control Pictures: U+2400 NUL ... U+241F US
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


_STAND_INS: dict[str, str] = {}


def _replace(match: re.Match[str]) -> str:
    char = match.group()
    shown = _STAND_INS.get(char)
    if shown is None:
        shown = _STAND_INS.setdefault(char, _stand_in(char))
    return shown


def visible(text: str) -> str:
    """`text` as one line that a terminal shows and never obeys.

    Control characters, DEL, bidi controls, invisible format characters, line and paragraph
    separators and lone surrogates become visible stand-ins (␛, ␊, `<U+202E>`; see the module
    docstring for the sets and their sources); everything else is returned unchanged, so
    the result has as many or more characters. Never raises.
    """
    if text.isprintable():  # C fast path: no Cc, Cf, Cs, Zl, Zp in it
        return text
    return _ONE_LINE.sub(_replace, text)


def hidden_character(text: str) -> str | None:
    """The first character of `text` that `visible` would replace, or None: what an import
    refuses in a text field (a session never writes one)."""
    if text.isprintable():
        return None
    match = _ONE_LINE.search(text)
    return None if match is None else match.group()


def describe_hidden(char: str) -> str:
    """What a character `visible` replaces is, for a message: "a control character U+001B"."""
    code = ord(char)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        kind = "a control character"
    elif 0xD800 <= code <= 0xDFFF:
        kind = "a lone surrogate"
    elif _BIDI_CHARS.fullmatch(char):
        kind = "a bidirectional control"
    elif code in (0x2028, 0x2029):
        kind = "a line separator"
    else:
        kind = "an invisible format character"
    return f"{kind} U+{code:04X}"


_JSON_HIDDEN = re.compile(f"[\x7f-\x9f{_HIDDEN}]")


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:  # JSON has only \\uXXXX: a UTF-16 surrogate pair (RFC 8259 §7)
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_visible(dumped: str) -> str:
    """JSON text from `json.dumps(..., ensure_ascii=False)` with the characters `visible`
    would replace written as `\\uXXXX` escapes instead (json escapes only U+0000–U+001F
    itself): the same JSON value, safe to print. Such characters can only occur inside
    strings, where an escape means the same character (RFC 8259 §7)."""
    if dumped.isascii() and "\x7f" not in dumped:
        return dumped
    return _JSON_HIDDEN.sub(_json_escape, dumped)


def visible_lines(text: str) -> str:
    """`visible`, but line feeds and tabs are kept: for text shown as a paragraph."""
    if text.isprintable():
        return text
    return _LINES.sub(_replace, text)


# --- Markdown -----------------------------------------------------------------------------

# Every ASCII punctuation character that starts or ends Markdown structure (CommonMark 0.31
# §2.4 lets any ASCII punctuation be escaped with a backslash): emphasis * _ ~, code `,
# links and images [ ], raw HTML and autolinks < >, entities &, tables |, headings #, and
# the backslash itself. ( ) and ! need none: without [ ] they make no link or image.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#])")
# At the start of a line, these open a list item or a quote (CommonMark §5.1–5.3).
_MD_LINE_START = re.compile(r"^(\s*)(?:([-+>])|([0-9]+)([.)]))")


def _md_line_start(match: re.Match[str]) -> str:
    space, mark, number, dot = match.groups()
    return f"{space}\\{mark}" if mark else f"{space}{number}\\{dot}"


# What viewers turn into links or pictures with no Markdown syntax at all: GFM autolinks
# (a scheme's "://", mailto:, www., an e-mail address), the bare domains a linkify plugin
# also links ("evil.com": a dot before two or more letters), and emoji shortcodes (:smile:).
# The character each hinges on is escaped, which every viewer shows as itself.
_MD_AUTOLINK = re.compile(r"(?<=\w)(:)(?=//)|(?i:\b(?:mailto|tel|xmpp))(:)|(?<=\w)(\.)(?=[^\W\d_]{2})"
                          r"|(?<=\w)(@)(?=\w)|(:)(?=[a-z0-9_+-]+:)")  # fmt: skip


def _md_autolink(match: re.Match[str]) -> str:
    """The match with a backslash before the one character its group caught."""
    group = next(n for n in range(1, (match.re.groups or 0) + 1) if match.group(n))
    at = match.start(group) - match.start(0)
    return f"{match.group(0)[:at]}\\{match.group(0)[at:]}"


def markdown_text(text: str) -> str:
    """`visible(text)` for a Markdown line or table cell: shown as written, never as a link
    (an autolink of a GitHub-style viewer included), an image, an emoji, emphasis, a
    heading, a list, a quote, raw HTML or a table column."""
    escaped = _MD_SPECIAL.sub(r"\\\1", visible(text))
    escaped = _MD_AUTOLINK.sub(_md_autolink, escaped)
    return _MD_LINE_START.sub(_md_line_start, escaped, count=1)


# --- HTML ---------------------------------------------------------------------------------


def html_text(text: str) -> str:
    """`visible(text)` escaped for HTML element content and quoted attribute values
    (& < > " ' all become character references)."""
    import html

    return html.escape(visible(text), quote=True)


# --- CSV ----------------------------------------------------------------------------------

# A cell a spreadsheet would run as a formula starts with one of these (OWASP, "CSV
# Injection"): = + - @, or a tab or carriage return that some programs skip before one.
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A leading apostrophe marks a cell as text in spreadsheets; cells that already start with
# one get a second, so that `csv_restore` can tell the two apart.
_CSV_DEFUSED_START = frozenset((*CSV_FORMULA_START, "'"))


def csv_cell(text: str) -> str:
    """`visible(text)` as a CSV text cell that a spreadsheet shows and never runs: one that
    starts with = + - @ tab, CR or ' gets a leading '. Only for text columns: numbers are
    written as they are (a negative number is not a formula). `csv_restore` is its exact
    inverse for text with no `hidden_character` (all that an import accepts)."""
    text = visible(text)
    return "'" + text if text[:1] in _CSV_DEFUSED_START else text


def csv_restore(cell: str) -> str:
    """The text `csv_cell` was given: a leading ' is removed when the next character is one
    `csv_cell` would have defused; anything else is returned unchanged."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in _CSV_DEFUSED_START else cell


# --- Durations and plurals ----------------------------------------------------------------
# The one place where seconds become words. Three styles on purpose: a clock for what counts
# down on screen ("3:05"), exact words for time spent ("3 min 5 s"), and "about 3 min" for a
# routine's length read at a glance (one rounding rule: `length_minutes`).


def whole_seconds(seconds: float) -> int:
    """Time spent (or a length) in whole seconds: the nearest, halves up (118.5 → 119; not
    Python's `round`, which takes halves to the even neighbour: 118.5 → 118, 119.5 → 120).
    The one rule for every figure of time practised, in words (`duration_words`, the
    summary, the History screen), on a clock (`duration_clock_spent`, `coach history`) or
    spoken (`duration_spoken`), so one session shows the same second everywhere."""
    return math.floor(seconds + 0.5)


def duration_clock(seconds: float) -> str:
    """A countdown as "M:SS" (or "H:MM:SS" from an hour), in whole seconds rounded up, so
    it shows 0:00 only when no time at all is left; negative input shows "0:00"."""
    return _clock(max(0, math.ceil(seconds - 1e-9)))  # the 1e-9: 3.0000000001 s is still "0:03"


def duration_clock_spent(seconds: float) -> str:
    """Time practised as a clock, "M:SS" (or "H:MM:SS"): the same whole seconds as
    `duration_words` (`whole_seconds`: 118.5 s is "1:59" and "1 min 59 s"), where a
    countdown (`duration_clock`) rounds up."""
    return _clock(max(0, whole_seconds(seconds)))


def _clock(whole: int) -> str:
    minutes, secs = divmod(whole, 60)
    if minutes >= 60:
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def duration_words(seconds: float) -> str:
    """Seconds in words, exact to the second (`whole_seconds`: the nearest, halves up):
    "45 s", "4 min", "4 min 56 s". For time spent and a routine's length where every
    second counts."""
    whole = whole_seconds(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes, secs = divmod(whole, 60)
    return f"{minutes} min" if secs == 0 else f"{minutes} min {secs} s"


def length_minutes(seconds: float) -> int:
    """The whole minutes a routine's length is shown as, and filtered by: the nearest whole
    minute, halves up (3 min 29 s → 3, 3 min 30 s → 4), at least 1. `duration_about`,
    `duration_rounded`, the home screen's length filter and `coach list --max-minutes` all
    use it, so "about 3 min" is what "up to 3 min" and `--max-minutes 3` include."""
    return max(1, math.floor(seconds / 60 + 0.5))


def duration_about(seconds: float) -> str:
    """A routine's (planned) length as it is listed: "about 3 min" (`length_minutes`). For
    every place a person reads a length at a glance: lists, details, plans, `coach list`."""
    return f"about {length_minutes(seconds)} min"


def duration_rounded(seconds: float) -> str:
    """`duration_about` without "about", where the sentence says it already: "3 min"."""
    return f"{length_minutes(seconds)} min"


def duration_spoken(seconds: float) -> str:
    """Seconds in whole words, for lines read aloud or by a screen reader (the plain
    runner): 45 → "45 seconds", 90 → "1 minute 30 seconds", 5.5 → "5.5 seconds" (a
    fraction is kept under a minute: breathing phases)."""
    if seconds < 60 and seconds != round(seconds):
        return f"{seconds:g} seconds"
    whole = whole_seconds(seconds)
    minutes, rest = divmod(whole, 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    if rest or not minutes:
        parts.append(f"{rest} second{'s' if rest != 1 else ''}")
    return " ".join(parts)


def time_away_text(seconds: float) -> str:
    """What a session says when it comes back paused after `seconds` (real seconds, > 0)
    in which the program did not run (Ctrl+Z, SIGSTOP, a closed lid: DESIGN.md, Timing),
    in the plain runner and in the app alike: "Paused: Coach was stopped for 5 seconds;
    that time is not counted." (rounded to whole seconds, at least "1 second")."""
    gone = duration_spoken(max(1, round(seconds)))
    return f"Paused: Coach was stopped for {gone}; that time is not counted."


def plural(number: int, word: str) -> str:
    """`number` and `word`, with an "s" unless the number is 1: "1 step", "2 steps",
    "0 days". Only for words whose plural is the word + "s"."""
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def days(number: int) -> str:
    """ "1 day", "3 days"."""
    return plural(number, "day")


def day_text(day: date) -> str:
    """A calendar day for people, in English: "Thu 26 Nov 2026"."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def short_day(day: date) -> str:
    """A calendar day without its year, when the year is plain from the context: "Thu 26 Nov"."""
    return f"{day:%a} {day.day} {day:%b}"
