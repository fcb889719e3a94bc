"""Ranking routines by what bothers the person today, and the routine filters (area, kind,
length, text): plain functions, no Textual, no pydantic; the app's home screen uses them.

"What bothers you today?" works like a therapist's intake: the person names a few places
(or "just stressed") and the routines that work on them come first. Nothing is hidden by
the intake; the filters (area, kind, length, search text) are what hide routines.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol


class Listed(Protocol):
    """What ordering needs of a routine (library.RoutineInfo has it)."""

    id: str
    title: str
    summary: str
    seconds: float
    areas: list[str]
    kinds: list[str]
    tags: list[str]


@dataclass(frozen=True)
class Concern:
    key: str
    label: str
    areas: frozenset[str]


# Places people name, in words they use, mapped onto the routine vocabulary (vocabulary.AREAS).
# Each leads to at least two built-in routines (tests/unit/test_builtin_content.py checks it).
# "Just stressed" takes the whole-body routines too: a body scan is the calm option for
# people whom breathing exercises make anxious (content review §6.1 item 6).
CONCERNS: tuple[Concern, ...] = (
    Concern("neck", "Neck", frozenset({"neck"})),
    Concern("shoulders", "Shoulders", frozenset({"shoulders", "upper-back"})),
    Concern("back", "Back", frozenset({"upper-back", "lower-back"})),
    Concern("head", "Head", frozenset({"head", "face"})),
    Concern("jaw", "Jaw", frozenset({"jaw"})),
    Concern("eyes", "Eyes", frozenset({"eyes"})),
    Concern("hands", "Hands", frozenset({"forearms-hands", "arms"})),
    Concern("legs", "Hips & legs", frozenset({"hips", "legs"})),
    Concern("feet", "Feet", frozenset({"feet"})),
    Concern("stress", "Just stressed", frozenset({"breath", "whole-body"})),
)
_BY_KEY = {c.key: c for c in CONCERNS}

# Length filter choices: (key, label, fewest minutes, most minutes), both inclusive, in the
# whole minutes a length is shown as (`coach.text.length_minutes`): "about 3 min" is short.
LENGTHS: tuple[tuple[str, str, float, float], ...] = (
    ("short", "up to 3 min", 0, 3),
    ("medium", "4 to 6 min", 4, 6),
    ("long", "over 6 min", 7, float("inf")),
)


def fit(routine: Listed, concerns: Iterable[str]) -> int:
    """How well a routine answers the named concerns: 0 = not at all, higher = better.

    Each concern the routine works on counts 2, plus 1 when the routine's first area (what
    it is mostly about) is one of them. "Just stressed" is answered by breathing steps too.
    """
    score = 0
    areas = set(routine.areas)
    first = routine.areas[0] if routine.areas else None
    for key in concerns:
        concern = _BY_KEY.get(key)
        if concern is None:
            continue
        hit = bool(areas & concern.areas)
        if concern.key == "stress" and "breathing" in routine.kinds:
            hit = True
        if hit:
            score += 2
            if first in concern.areas:
                score += 1
    return score


def matches(
    routine: Listed,
    *,
    text: str = "",
    area: str | None = None,
    kind: str | None = None,
    length: str | None = None,
) -> bool:
    """Whether a routine passes the filters (None or "" = any)."""
    if area and area not in routine.areas:
        return False
    if kind and kind not in routine.kinds:
        return False
    if length:
        from coach.text import length_minutes

        minutes = length_minutes(routine.seconds)  # as the list shows it: "about 3 min"
        for key, _label, low, high in LENGTHS:
            if key == length and not (low <= minutes <= high):
                return False
    words = text.lower().split()
    if words:
        haystack = " ".join(
            [routine.id, routine.title, routine.summary, *routine.areas, *routine.tags, *routine.kinds]
        ).lower()
        if not all(word in haystack for word in words):
            return False
    return True


def order(routines: Sequence[Listed], concerns: Iterable[str]) -> list[tuple[Listed, int]]:
    """Routines with their fit, best fit first; the given order (shortest first) breaks ties."""
    chosen = list(concerns)
    scored = [(routine, fit(routine, chosen)) for routine in routines]
    # sorted() is stable, so equal fits keep the library's order.
    return sorted(scored, key=lambda pair: -pair[1])
