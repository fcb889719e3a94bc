"""The report's "for your attention" list: what a therapist should read before the tables.

One entry per session that needs a look, with every reason it was flagged (DESIGN, Plans):
stopped early or partly done, "too much" presses (the record's `discomfort`), pain that
rose noticeably (DESIGN's rule for a rise, `coach.rating`: at least +2 points and, from a
pain above 0, at least 30 % of the pain before), and notes. A note that shares a word with the therapist's
note on the plan ("Stop if you feel tingling…" and "tingling in right hand") is marked and
listed first: it is what the therapist asked to hear about.

Order: notes that match the plan's note, then pain that rose, then "too much", then
sessions stopped or partly done, then other notes; oldest first within each. Pure: the
renderers escape the text for their format. On a long plan the printed list stays short:
the first SHOWN entries, then one line for the rest (`shown`, `more_line`); the JSON report
keeps them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coach.report.model import PlanReport, SessionRow

# Flag kinds, in the order the list gives them (lower first).
MATCHED_NOTE = "note matches the plan's note"
PAIN_ROSE = "pain rose"
TOO_MUCH = "too much"
STOPPED = "stopped"
PARTLY_DONE = "partly done"
NOTE = "note"
KINDS = (MATCHED_NOTE, PAIN_ROSE, TOO_MUCH, STOPPED, PARTLY_DONE, NOTE)
# Sessions the Markdown and HTML lists show before "and N more": a list a therapist reads
# before the tables, so it must stay short on a 16-week plan (issue 13).
SHOWN = 12

# Words too common to say a client's note answers the therapist's ("stop if you feel…"):
# function words, and the words every plan note uses about sessions.
_COMMON = frozenset(
    """
    about after again also always before being between both could does doing done each
    every feel feels felt from have here into just like little more most much never next
    often only other over please same should some stop stopped than that their them then
    there these they this those time times very want were what when where which while will
    with would your yours session sessions routine routines minute minutes week weeks day
    days today tomorrow morning evening night lunch home work desk plan try keep make sure
    """.split()
)
# A word's stem for matching: tingling, tingles, tingled and tingle all give "tingl";
# numbness gives "numb". Deliberately crude (no dictionary): it only decides what to mark.
_SUFFIXES = ("ness", "ing", "ed", "es", "s", "e", "y")
_WORD = re.compile(r"[^\W\d_]{4,}")


def _stem(word: str) -> str:
    word = word.lower()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def watch_words(plan_note: str | None) -> dict[str, str]:
    """The words of the therapist's note worth matching, by stem: {"tingl": "tingling"}.
    Words of 4 letters or more that are not in the common-word list; {} without a note."""
    out: dict[str, str] = {}
    for word in _WORD.findall(plan_note or ""):
        if word.lower() not in _COMMON:
            out.setdefault(_stem(word), word.lower())
    return out


def matched_words(note: str, words: dict[str, str]) -> tuple[str, ...]:
    """The words of `note` whose stem is one of `words` (`watch_words`), as written in the
    note, each once, in the note's order."""
    found: list[str] = []
    for word in _WORD.findall(note):
        if _stem(word) in words and word not in found:
            found.append(word)
    return tuple(found)


@dataclass(frozen=True)
class Flag:
    """One reason a session is flagged: `kind` (one of KINDS) and a short plain sentence
    (`text`, not yet escaped for any format)."""

    kind: str
    text: str


@dataclass(frozen=True)
class Attention:
    """A session that needs a look: the session, its flags (most important first) and the
    words of its note that match the therapist's note (empty when none)."""

    session: SessionRow
    flags: tuple[Flag, ...]
    matched: tuple[str, ...] = ()

    @property
    def rank(self) -> int:
        """Its place in the list: the index in KINDS of its most important flag."""
        return min(KINDS.index(f.kind) for f in self.flags)


def _seconds_text(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60} min {whole % 60} s" if whole >= 60 else f"{whole} s"


_CHOICES = {
    "gentler": "chose the gentler version",
    "lighter": "chose lighter pressure",
    "skip": "skipped the step",
    "end": "ended the session",
    None: "made no choice",
}


def _flags(s: SessionRow, words: dict[str, str]) -> tuple[list[Flag], tuple[str, ...]]:
    flags: list[Flag] = []
    matched = matched_words(s.note, words) if s.note.strip() else ()
    if s.note.strip():
        kind = MATCHED_NOTE if matched else NOTE
        flags.append(Flag(kind, f"note: “{s.note.strip()}”"))
    if s.pain_rose:
        from coach.vocabulary import area_words

        area = area_words(s.pain_area) if s.pain_area else "pain"
        flags.append(Flag(PAIN_ROSE, f"{area} pain rose from {s.pain_pre} to {s.pain_post} (0-10)"))
    for press in s.discomfort:
        title = str(press.get("title", "")).strip()
        step = press.get("step")
        where = f"step {step}" + (f" ({title})" if title else "")
        at = press.get("at")
        when = f", {_seconds_text(float(at))} in" if isinstance(at, (int, float)) else ""
        choice = _CHOICES.get(press.get("choice"), f"chose {press.get('choice')}")
        flags.append(Flag(TOO_MUCH, f'pressed "too much" at {where}{when}; {choice}'))
    if s.outcome in ("stopped", "partly done"):
        planned = f" of {_minutes(s.planned_minutes)}" if s.planned_minutes else ""
        practised = f"{_minutes(s.minutes)}{planned} min practised"
        if s.outcome == "stopped":
            flags.append(Flag(STOPPED, f"{_stopped_where(s)} ({practised})"))
        else:
            flags.append(Flag(PARTLY_DONE, f"partly done: reached the end with {practised}"))
    flags.sort(key=lambda f: KINDS.index(f.kind))
    return flags, matched


def _minutes(value: float) -> str:
    """Minutes to one decimal without a trailing ".0": "1.4", "3", "0"."""
    return f"{round(value, 1):g}"


def _stopped_where(s: SessionRow) -> str:
    """How far a stopped session got: "stopped before the first step ended", "stopped early
    after step 2 of 4", or "stopped early" when the record does not say."""
    if s.steps_done is None or not s.steps_total:
        return "stopped early"
    if s.steps_done == 0:
        return "stopped before the first step ended"
    return f"stopped early after step {s.steps_done} of {s.steps_total}"


def shown(found: list[Attention], limit: int = SHOWN) -> tuple[list[Attention], int]:
    """The entries a printed list shows (the `limit` most important, in the list's order)
    and how many are left out."""
    return found[:limit], max(0, len(found) - limit)


def more_line(left_out: int) -> str:
    """The line after a cut list: "and 5 more sessions: see the sessions table"."""
    return f"and {left_out} more session{'s' if left_out != 1 else ''}: see the sessions table"


def attention(report: PlanReport) -> list[Attention]:
    """The flagged sessions of `report`, most important first (see the module's order).
    The plan's note of every version gives the words to match."""
    notes = [report.plan.note, *(getattr(v.plan, "note", None) for v in report.versions)]
    words = watch_words(" ".join(n for n in notes if n))
    out = []
    for s in report.sessions:
        flags, matched = _flags(s, words)
        if flags:
            out.append(Attention(s, tuple(flags), matched))
    out.sort(key=lambda a: (a.rank, a.session.started))
    return out
