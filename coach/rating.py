"""What a change in the 0-10 stress rating means, and how a session ended: one place for the
summary, the plain runner, stats, the history table and screen, and the reports.

The change rule. Δ = post − pre, both whole numbers 0-10:

- "about the same": |Δ| ≤ 1;
- "a large drop": Δ ≤ −2 and |Δ| ≥ 50 % of pre;
- "a noticeable drop": Δ ≤ −2 and |Δ| ≥ 30 % of pre (and not large);
- "a noticeable rise": Δ ≥ +2 and (pre is 0 or Δ ≥ 30 % of pre);
- anything else: "a small change". From pre ≤ 1 no drop can be noticeable (it cannot be 2).

These are reference thresholds from pain research, not a clinical claim about stress: stress
ratings have no validated minimal important change (studies of anxiety scales report
only preliminary ones, e.g. Williams et al. 2010, Health Qual Life Outcomes 8:57). The sources:
Farrar et al. 2001, Pain 94:149-58 (about 2 points or 30 % on a 0-10 pain scale was "much
improved"); Dworkin et al. 2008, IMMPACT, J Pain 9:105-121 (≥ 30 % moderately, ≥ 50 %
substantially important, for individual responders); Salaffi et al. 2004, Eur J Pain
8:283-91 (2 points or 33 % "much better"). Both the points and the percentage must be met,
so small changes near the floor are not called noticeable.

All arithmetic is on integers (10·|Δ| ≥ 3·pre is "30 % of pre"), so no float rounding can
move a pair across a threshold.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal, Protocol

# Shown wherever the stats or reports name these thresholds.
REFERENCE_NOTE = "reference thresholds from pain research, not a clinical measure of stress"
SKIPPED = "no change to show (a rating was skipped)"


class Change(StrEnum):
    """The class of a pre → post change; the value is the words people read."""

    SAME = "about the same"
    SMALL = "a small change"
    NOTICEABLE_DROP = "a noticeable drop"
    LARGE_DROP = "a large drop"
    NOTICEABLE_RISE = "a noticeable rise"


def _check(name: str, value: int) -> None:
    if type(value) is not int or not 0 <= value <= 10:
        raise ValueError(f"{name} rating must be a whole number from 0 to 10, got {value!r}")


def classify(pre: int | None, post: int | None) -> Change | None:
    """The class of the change from `pre` to `post` (0-10 each), or None when either rating
    was skipped (None). Raises ValueError for a rating outside 0-10 or not an int."""
    if pre is None or post is None:
        return None
    _check("pre", pre)
    _check("post", post)
    delta = post - pre
    if -1 <= delta <= 1:
        return Change.SAME
    if delta <= -2:
        size = -delta
        if 2 * size >= pre:  # at least 50 % of pre
            return Change.LARGE_DROP
        if 10 * size >= 3 * pre:  # at least 30 % of pre
            return Change.NOTICEABLE_DROP
        return Change.SMALL
    if pre == 0 or 10 * delta >= 3 * pre:
        return Change.NOTICEABLE_RISE
    return Change.SMALL


def is_responder(pre: int | None, post: int | None) -> bool:
    """True when the change is a noticeable or a large drop (the "responder" of IMMPACT's
    responder rate); False when a rating is missing."""
    return classify(pre, post) in (Change.NOTICEABLE_DROP, Change.LARGE_DROP)


def change_phrase(pre: int | None, post: int | None) -> str:
    """The change as people read it: "down 3 points: a noticeable drop", "up 1 point: about
    the same", "no change: about the same", or SKIPPED when a rating is missing. The words
    are neutral on purpose: a rise is named, never cheered or blamed."""
    meaning = classify(pre, post)
    if meaning is None or pre is None or post is None:
        return SKIPPED
    delta = post - pre
    if delta == 0:
        return f"no change: {meaning}"
    size = abs(delta)
    points = f"{size} point{'' if size == 1 else 's'}"
    return f"{'down' if delta < 0 else 'up'} {points}: {meaning}"


def change_short(pre: int | None, post: int | None, minus: str = "\u2212") -> str:
    """The change in a table cell: "−2 (a large drop)", "+1 (about the same)",
    "0 (about the same)"; "" when a rating is missing. `minus` is the sign of a drop
    (U+2212 MINUS SIGN; "-" where the output cannot encode it)."""
    meaning = classify(pre, post)
    if meaning is None or pre is None or post is None:
        return ""
    delta = post - pre
    sign = minus if delta < 0 else "+" if delta > 0 else ""
    return f"{sign}{abs(delta)} ({meaning})"


# --- how a session ended ------------------------------------------------------------------------

Outcome = Literal["completed", "partly done", "stopped"]


def ran_to_end(record: Any) -> bool:
    """Whether a record's session reached its end. Records written before `ran_to_end`
    existed (no such field, or it is not a bool) take it as equal to `completed`."""
    value = getattr(record, "ran_to_end", None)
    if type(value) is not bool:
        extra = getattr(record, "extra", None)
        value = extra.get("ran_to_end") if isinstance(extra, dict) else None
    if type(value) is not bool:
        return bool(record.completed)
    return value or bool(record.completed)


def outcome_of(completed: bool, reached_end: bool) -> Outcome:
    """"completed" (reached the end with ≥ 80 % of the planned time practised), "partly
    done" (reached the end with less) or "stopped" (ended early)."""
    if completed:
        return "completed"
    return "partly done" if reached_end else "stopped"


def outcome(record: Any) -> Outcome:
    """How a history record's session ended: see `outcome_of`. Reads `completed` and
    `ran_to_end` (old records without it: see `ran_to_end`)."""
    return outcome_of(bool(record.completed), ran_to_end(record))


class _Engine(Protocol):
    """What `session_outcome` reads from a coach.session.Session (its completion rule)."""

    @property
    def completed(self) -> bool: ...

    @property
    def ran_to_end(self) -> bool: ...


def session_outcome(session: _Engine, record: Any | None) -> Outcome:
    """How a session that just ended ended: the saved record's word when there is one; for
    a preview or a save that failed, the engine's own (coach.session.is_completed: reached
    its end with at least 80 % of the planned time, extensions included, practised)."""
    if record is not None:
        return outcome(record)
    return outcome_of(bool(session.completed), bool(session.ran_to_end))
