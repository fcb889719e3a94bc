"""coach.rating: the change rule (its module docstring) for every pre/post pair 0-10, the
phrase people read, skipped ratings, the responder test, and how a session ended."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from coach.rating import (
    SKIPPED,
    Change,
    change_phrase,
    classify,
    is_responder,
    outcome,
    outcome_of,
    ran_to_end,
    session_outcome,
)

# The class of every pair, written out by hand from the rule: row = pre 0-10, column =
# post 0-10. "=" about the same, "s" a small change, "d" a noticeable drop, "D" a large drop,
# "R" a noticeable rise.
GRID = """
==RRRRRRRRR
===RRRRRRRR
D===RRRRRRR
DD===RRRRRR
DDD===RRRRR
DDDd===RRRR
DDDDd===RRR
DDDDds===sR
DDDDDds===s
DDDDDdds===
DDDDDDdds==
"""
CODES = {
    "=": Change.SAME,
    "s": Change.SMALL,
    "d": Change.NOTICEABLE_DROP,
    "D": Change.LARGE_DROP,
    "R": Change.NOTICEABLE_RISE,
}

# The phrase for every pair: "pre post  phrase", 121 rows.
PHRASES = """
 0  0  no change: about the same
 0  1  up 1 point: about the same
 0  2  up 2 points: a noticeable rise
 0  3  up 3 points: a noticeable rise
 0  4  up 4 points: a noticeable rise
 0  5  up 5 points: a noticeable rise
 0  6  up 6 points: a noticeable rise
 0  7  up 7 points: a noticeable rise
 0  8  up 8 points: a noticeable rise
 0  9  up 9 points: a noticeable rise
 0 10  up 10 points: a noticeable rise
 1  0  down 1 point: about the same
 1  1  no change: about the same
 1  2  up 1 point: about the same
 1  3  up 2 points: a noticeable rise
 1  4  up 3 points: a noticeable rise
 1  5  up 4 points: a noticeable rise
 1  6  up 5 points: a noticeable rise
 1  7  up 6 points: a noticeable rise
 1  8  up 7 points: a noticeable rise
 1  9  up 8 points: a noticeable rise
 1 10  up 9 points: a noticeable rise
 2  0  down 2 points: a large drop
 2  1  down 1 point: about the same
 2  2  no change: about the same
 2  3  up 1 point: about the same
 2  4  up 2 points: a noticeable rise
 2  5  up 3 points: a noticeable rise
 2  6  up 4 points: a noticeable rise
 2  7  up 5 points: a noticeable rise
 2  8  up 6 points: a noticeable rise
 2  9  up 7 points: a noticeable rise
 2 10  up 8 points: a noticeable rise
 3  0  down 3 points: a large drop
 3  1  down 2 points: a large drop
 3  2  down 1 point: about the same
 3  3  no change: about the same
 3  4  up 1 point: about the same
 3  5  up 2 points: a noticeable rise
 3  6  up 3 points: a noticeable rise
 3  7  up 4 points: a noticeable rise
 3  8  up 5 points: a noticeable rise
 3  9  up 6 points: a noticeable rise
 3 10  up 7 points: a noticeable rise
 4  0  down 4 points: a large drop
 4  1  down 3 points: a large drop
 4  2  down 2 points: a large drop
 4  3  down 1 point: about the same
 4  4  no change: about the same
 4  5  up 1 point: about the same
 4  6  up 2 points: a noticeable rise
 4  7  up 3 points: a noticeable rise
 4  8  up 4 points: a noticeable rise
 4  9  up 5 points: a noticeable rise
 4 10  up 6 points: a noticeable rise
 5  0  down 5 points: a large drop
 5  1  down 4 points: a large drop
 5  2  down 3 points: a large drop
 5  3  down 2 points: a noticeable drop
 5  4  down 1 point: about the same
 5  5  no change: about the same
 5  6  up 1 point: about the same
 5  7  up 2 points: a noticeable rise
 5  8  up 3 points: a noticeable rise
 5  9  up 4 points: a noticeable rise
 5 10  up 5 points: a noticeable rise
 6  0  down 6 points: a large drop
 6  1  down 5 points: a large drop
 6  2  down 4 points: a large drop
 6  3  down 3 points: a large drop
 6  4  down 2 points: a noticeable drop
 6  5  down 1 point: about the same
 6  6  no change: about the same
 6  7  up 1 point: about the same
 6  8  up 2 points: a noticeable rise
 6  9  up 3 points: a noticeable rise
 6 10  up 4 points: a noticeable rise
 7  0  down 7 points: a large drop
 7  1  down 6 points: a large drop
 7  2  down 5 points: a large drop
 7  3  down 4 points: a large drop
 7  4  down 3 points: a noticeable drop
 7  5  down 2 points: a small change
 7  6  down 1 point: about the same
 7  7  no change: about the same
 7  8  up 1 point: about the same
 7  9  up 2 points: a small change
 7 10  up 3 points: a noticeable rise
 8  0  down 8 points: a large drop
 8  1  down 7 points: a large drop
 8  2  down 6 points: a large drop
 8  3  down 5 points: a large drop
 8  4  down 4 points: a large drop
 8  5  down 3 points: a noticeable drop
 8  6  down 2 points: a small change
 8  7  down 1 point: about the same
 8  8  no change: about the same
 8  9  up 1 point: about the same
 8 10  up 2 points: a small change
 9  0  down 9 points: a large drop
 9  1  down 8 points: a large drop
 9  2  down 7 points: a large drop
 9  3  down 6 points: a large drop
 9  4  down 5 points: a large drop
 9  5  down 4 points: a noticeable drop
 9  6  down 3 points: a noticeable drop
 9  7  down 2 points: a small change
 9  8  down 1 point: about the same
 9  9  no change: about the same
 9 10  up 1 point: about the same
10  0  down 10 points: a large drop
10  1  down 9 points: a large drop
10  2  down 8 points: a large drop
10  3  down 7 points: a large drop
10  4  down 6 points: a large drop
10  5  down 5 points: a large drop
10  6  down 4 points: a noticeable drop
10  7  down 3 points: a noticeable drop
10  8  down 2 points: a small change
10  9  down 1 point: about the same
10 10  no change: about the same
"""


def grid() -> dict[tuple[int, int], Change]:
    rows = GRID.split()
    assert len(rows) == 11 and all(len(row) == 11 for row in rows)
    return {(pre, post): CODES[code] for pre, row in enumerate(rows) for post, code in enumerate(row)}


def phrases() -> dict[tuple[int, int], str]:
    table = {}
    for line in PHRASES.strip().splitlines():
        pre, post, phrase = line.split(maxsplit=2)
        table[int(pre), int(post)] = phrase.strip()
    assert len(table) == 121
    return table


def test_the_class_of_every_pair_is_the_table() -> None:
    expected = grid()
    found = {(pre, post): classify(pre, post) for pre in range(11) for post in range(11)}
    wrong = {pair: (found[pair], want) for pair, want in expected.items() if found[pair] != want}
    assert wrong == {}


def test_the_phrase_of_every_pair_is_the_table() -> None:
    expected = phrases()
    found = {(pre, post): change_phrase(pre, post) for pre in range(11) for post in range(11)}
    wrong = {pair: (found[pair], want) for pair, want in expected.items() if found[pair] != want}
    assert wrong == {}
    # The two tables agree: each phrase ends with its pair's class.
    assert all(expected[pair].endswith(": " + str(change)) for pair, change in grid().items())


def test_the_rule_at_its_edges() -> None:
    assert classify(7, 5) is Change.SMALL  # 2 points but 29 % of 7
    assert classify(10, 7) is Change.NOTICEABLE_DROP  # exactly 30 %
    assert classify(4, 2) is Change.LARGE_DROP  # exactly 50 %
    assert classify(3, 2) is Change.SAME  # 33 % but 1 point
    assert classify(1, 0) is Change.SAME  # from pre ≤ 1 no drop is noticeable
    assert classify(7, 9) is Change.SMALL and classify(6, 8) is Change.NOTICEABLE_RISE
    assert classify(0, 2) is Change.NOTICEABLE_RISE  # from 0 any 2-point rise


def test_a_responder_is_a_noticeable_or_large_drop_only() -> None:
    table = grid()
    for (pre, post), change in table.items():
        assert is_responder(pre, post) is (change in (Change.NOTICEABLE_DROP, Change.LARGE_DROP))
    assert sum(is_responder(pre, post) for pre, post in table) == 41  # the d and D of the grid


@pytest.mark.parametrize(("pre", "post"), [(None, 4), (4, None), (None, None)])
def test_a_skipped_rating_has_no_class_and_says_so(pre: int | None, post: int | None) -> None:
    assert classify(pre, post) is None
    assert change_phrase(pre, post) == SKIPPED == "no change to show (a rating was skipped)"
    assert is_responder(pre, post) is False


@pytest.mark.parametrize(("pre", "post"), [(-1, 3), (3, 11), (True, 3), (2.0, 3)])
def test_a_rating_outside_the_scale_is_refused(pre: Any, post: Any) -> None:
    with pytest.raises(ValueError, match="whole number from 0 to 10"):
        classify(pre, post)


def test_the_words_are_never_cheerful_or_clinical() -> None:
    words = set(phrases().values())
    for banned in ("well done", "great", "good", "better", "worse", "clinical", "significant", "!"):
        assert not any(banned in w.lower() for w in words), banned


# --- how a session ended --------------------------------------------------------------------------


def rec(**fields: Any) -> SimpleNamespace:
    return SimpleNamespace(**fields)


def test_outcome_of_a_record_with_and_without_ran_to_end() -> None:
    assert outcome(rec(completed=True, ran_to_end=True)) == "completed"
    assert outcome(rec(completed=False, ran_to_end=True)) == "partly done"
    assert outcome(rec(completed=False, ran_to_end=False)) == "stopped"
    # Old lines have no ran_to_end: it is taken as `completed`.
    assert outcome(rec(completed=True)) == "completed"
    assert outcome(rec(completed=False)) == "stopped"
    # A newer field kept in `extra` by a reader that does not know it.
    assert outcome(rec(completed=False, extra={"ran_to_end": True})) == "partly done"
    assert ran_to_end(rec(completed=False, extra={"ran_to_end": "yes"})) is False
    assert outcome_of(False, True) == "partly done" and outcome_of(True, True) == "completed"


def test_session_outcome_reads_the_engine_when_nothing_was_saved() -> None:
    engine = SimpleNamespace
    assert session_outcome(engine(completed=True, ran_to_end=True), None) == "completed"
    assert session_outcome(engine(completed=False, ran_to_end=True), None) == "partly done"
    assert session_outcome(engine(completed=False, ran_to_end=False), None) == "stopped"
    # A saved record's word wins.
    saved = rec(completed=False, ran_to_end=True)
    assert session_outcome(engine(completed=True, ran_to_end=True), saved) == "partly done"
