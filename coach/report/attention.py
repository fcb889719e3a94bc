"""The report's "for your attention" list: what a therapist should read before the tables.

One entry per session that needs a look, with every reason it was flagged (DESIGN, Plans):
stopped early or partly done, "too much" presses (the record's `discomfort`), pain that
rose noticeably (DESIGN's rule for a rise, `coach.rating`: at least +2 points and, from a
pain above 0, at least 30 % of the pain before), and notes. A note that names a warning
sign is marked and listed first: a sign from the therapist's note on the plan ("Stop if you
feel tingling…"), from the "stop if" lines of the routines the plan uses, or from Coach's
own list of red flags (`WARNING_SIGNS`: chest pain, dizziness, numbness… whatever the plan
says). A body part alone ("hand", "arm") never makes a note a warning.

Order: notes that name a warning sign, then pain that rose, then "too much", then
sessions stopped or partly done, then other notes; oldest first within each. Pure: the
renderers escape the text for their format. On a long plan the printed list stays short:
the first SHOWN entries, then one line for the rest (`shown`, `more_line`); the JSON report
keeps them all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coach.report.model import PlanReport, SessionRow

# Flag kinds, in the order the list gives them (lower first).
MATCHED_NOTE = "note names a warning sign"
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
# function words, the words every plan note uses about sessions, and the everyday words of
# the built-in routines' "stop if" lines ("stop and get help at once"; "ball", "stress" and
# "breathe" are in half the notes a client writes; "sharp" and "severe" alone say little:
# WARNING_SIGNS has "sharp pain" and "severe headache"). They, body parts
# (`_BODY`) and everyday words about pain (`_PAIN_WORDS`) never come from the plan's note
# or a routine's "stop if" line.
_COMMON = frozenset(
    """
    about after again also always before being between both could does doing done each
    every feel feels felt from have here into just like little more most much never next
    often only other over please same should some stop stopped than that their them then
    there these they this those time times very want were what when where which while will
    with would your yours session sessions routine routines minute minutes week weeks day
    days today tomorrow morning evening night lunch home work desk plan try keep make sure
    tell call text email message know let give gets getting spreads spread runs goes comes
    anything something someone side sides left right front back down away
    advice around below brought cannot care change changes coming couple during ease
    especially instead once open pass possibly quickly recent round running self settle
    together treat trouble walking generally improved keeps loss number local system
    problems reading history inner persists lights fall hard help move movement moving warm
    weight normally pattern exercise exercises doctor clinician dentist optometrist medical
    emergency urgent until unless without within because another still even already start
    started begin slowly quick first last long short hold holds breathe breathing ball
    roller massage stretch stretching rest stress stressed calm relaxed relax good great
    fine well okay tired busy meeting phone mood feeling knot joint strain press severe
    sudden suddenly sharp double passage
    """.split()
)
# Body parts: a note that says where ("did it with my left hand") is not a warning by that
# word alone (a tester's report: "hand" from "tingling in the arm or hand" raised it).
_BODY = frozenset(
    """
    head face neck shoulder shoulders upper lower chest arms hands forearm forearms wrist
    wrists hand hips legs feet foot eyes breath whole body finger fingers thumb thumbs elbow
    elbows knee knees thigh thighs calf calves ankle ankles heel heels toes spine skull scalp
    temple temples throat stomach belly abdomen blade blades muscle muscles skin mouth
    """.split()
)
# Words about pain in general: a note says "pain a bit better" every other day. The signs
# that matter ("sharp pain", "pain getting worse") are in WARNING_SIGNS.
_PAIN_WORDS = frozenset(
    """
    pain pains painful sore soreness ache aches aching hurt hurts tension tense stiff
    stiffness tight tightness headache headaches worse better easy gentle gently pressure
    """.split()
)
_IGNORED = _COMMON | _BODY | _PAIN_WORDS

# Warning signs a client's note may name, whatever the plan says, compared by stem within
# one clause of the note: "chest pain" is two words side by side; "pain … chest" lets up to
# _GAP other words stand between ("pain in my chest"). Source: shared research domain.md,
# §3.2 "Red flags: stop and get medical help" and §2.3 "Safety copy for breathing"; the
# section is named beside each group.
WARNING_SIGNS: tuple[str, ...] = (
    # §3.2 neck: "new tingling, numbness or weakness in the face, arms or legs"; any
    # routine: "new numbness or tingling"; low back: "numbness or pins and needles".
    "tingling", "tingly", "numb", "numbness", "pins and needles", "weakness", "weak",
    # §3.2 neck: "double vision, dizziness, nausea or fainting"; §2.3: "stop … if you feel
    # dizzy, tingly or short of breath"; §2 (cyclic hyperventilation): "light-headedness
    # and fainting".
    "dizzy", "dizziness", "lightheaded", "light headed", "light headedness", "faint", "fainting",
    "nausea", "nauseous", "double vision", "blurred vision", "blurry vision",
    # §2.3 "short of breath"; §3.2 leg: "sudden breathlessness or chest pain means call
    # emergency services".
    "breathless", "breathlessness", "short of breath", "out of breath", "chest pain", "pain … chest",
    "tight chest", "chest … tight", "chest tightness",
    # §3.2 any routine: "sharp, electric or burning pain"; §1 pressure: "never sharp,
    # burning or electric".
    "sharp pain", "pain … sharp", "shooting", "electric", "burning",
    # §3.2 headache: "sudden, very severe ('worst ever') headache", "a headache that keeps
    # getting worse"; neck: "pain that worsens rapidly".
    "headache … worse", "worse headache", "worst … headache", "severe … headache", "sudden … headache",
    "severe pain",
    "pain … worse", "pain … worsening", "pain … worsened",
    # §3.2 leg: "swelling, warmth, or red or darkened skin"; pregnancy: "sudden swelling".
    "swelling", "swollen",
    # §3.2 headache: "slurred speech"; low back: "new bladder or bowel changes"; neck and
    # back: "fever".
    "slurred", "bladder", "bowel", "fever",
)  # fmt: skip
_GAP = 3
# A word's stem for matching: tingling, tingles, tingled and tingle all give "tingl";
# numbness gives "numb". Deliberately crude (no dictionary): it only decides what to mark.
_SUFFIXES = ("ness", "ing", "ed", "es", "s", "e", "y")
_WORD = re.compile(r"[^\W\d_]{4,}")
_ANY_WORD = re.compile(r"[^\W\d_]+")
# A clause: a sign's words must stand in one ("chest fine, pain in neck" names no chest pain).
_CLAUSE = re.compile(r"[^.,;:!?()\[\]\n\r\u2026]+")


def _stem(word: str) -> str:
    word = word.lower()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


# Each sign as (stem, other words allowed before it) pairs.
_SIGN_STEMS = tuple(
    tuple((_stem(w), _GAP if n and sign.split()[n - 1] == "…" else 0)
          for n, w in enumerate(sign.split()) if w != "…")
    for sign in WARNING_SIGNS
)  # fmt: skip


def watch_words(plan_note: str | None, stop_if: Iterable[str] = ()) -> dict[str, str]:
    """The words of the therapist's note and of the routines' "stop if" lines worth
    matching, by stem: {"tingl": "tingling"}. Words of 4 letters or more that are not
    common words, body parts or everyday words about pain; {} without any text. Coach's
    own WARNING_SIGNS are matched besides these (`matched_words`)."""
    out: dict[str, str] = {}
    for text in (plan_note or "", *stop_if):
        for word in _WORD.findall(text):
            if word.lower() not in _IGNORED:
                out.setdefault(_stem(word), word.lower())
    return out


def _sign_spans(words: list[re.Match[str]], stems: list[str]) -> list[tuple[int, int]]:
    """(start, end) in the note of each WARNING_SIGNS match among one clause's words."""
    spans = []
    for sign in _SIGN_STEMS:
        for first, stem in enumerate(stems):
            if stem != sign[0][0]:
                continue
            at: int | None = first
            for part, gap in sign[1:]:
                assert at is not None
                window = stems[at + 1 : at + 2 + gap]
                at = at + 1 + window.index(part) if part in window else None
                if at is None:
                    break
            if at is not None:
                spans.append((words[first].start(), words[at].end()))
    return spans


def matched_words(note: str, words: dict[str, str]) -> tuple[str, ...]:
    """What `note` says that names a warning sign, as written in the note, each once, in
    the note's order: its words whose stem is one of `words` (`watch_words`), and the
    stretches that name one of WARNING_SIGNS ("chest pain", "pain in my chest")."""
    spans: list[tuple[int, int]] = []
    for clause in _CLAUSE.finditer(note):
        found = list(_ANY_WORD.finditer(note, clause.start(), clause.end()))
        stems = [_stem(m.group()) for m in found]
        spans += [(m.start(), m.end()) for m, stem in zip(found, stems, strict=True)
                  if stem in words and len(m.group()) >= 4]  # fmt: skip
        spans += _sign_spans(found, stems)
    merged: list[list[int]] = []
    for begin, end in sorted(spans):
        if merged and begin <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([begin, end])
    out: list[str] = []
    for begin, end in merged:
        if note[begin:end] not in out:
            out.append(note[begin:end])
    return tuple(out)


@dataclass(frozen=True)
class Flag:
    """One reason a session is flagged: `kind` (one of KINDS) and a short plain sentence
    (`text`, not yet escaped for any format)."""

    kind: str
    text: str


@dataclass(frozen=True)
class Attention:
    """A session that needs a look: the session, its flags (most important first) and what
    its note says that names a warning sign, as written (`matched_words`; empty when none)."""

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


def warning_words(matched: tuple[str, ...]) -> str:
    """The words before the matched words in a printed list: "names a warning sign" for
    one, "names warning signs" for more."""
    return "names a warning sign" if len(matched) == 1 else "names warning signs"


def shown(found: list[Attention], limit: int = SHOWN) -> tuple[list[Attention], int]:
    """The entries a printed list shows (the `limit` most important, in the list's order)
    and how many are left out."""
    return found[:limit], max(0, len(found) - limit)


def more_line(left_out: int) -> str:
    """The line after a cut list: "and 5 more sessions: see the sessions table"."""
    return f"and {left_out} more session{'s' if left_out != 1 else ''}: see the sessions table"


def _own_stop_if(plans: list[object]) -> list[str]:
    """The "stop if" lines of the plans' own routines (a Routine model, or the plain dump
    `coach.plan_plain.PlainDump` that remembers its JSON)."""
    out: list[str] = []
    for plan in plans:
        for routine in getattr(plan, "routines", None) or ():
            lines = getattr(routine, "stop_if", None)
            if lines is None and hasattr(routine, "model_dump"):
                lines = routine.model_dump(mode="json").get("stop_if")
            out += [str(line) for line in lines or ()]
    return out


def attention(report: PlanReport) -> list[Attention]:
    """The flagged sessions of `report`, most important first (see the module's order).
    The plan's note of every version, the "stop if" lines of its routines (its own, and
    `report.stop_if` for the others) and WARNING_SIGNS give the words to match."""
    plans = [report.plan, *(v.plan for v in report.versions)]
    notes = [getattr(p, "note", None) for p in plans]
    stop_if = [*report.stop_if, *_own_stop_if(plans)]
    words = watch_words(" ".join(n for n in notes if n), stop_if)
    out = []
    for s in report.sessions:
        flags, matched = _flags(s, words)
        if flags:
            out.append(Attention(s, tuple(flags), matched))
    out.sort(key=lambda a: (a.rank, a.session.started))
    return out
