"""What a change in the 0-10 stress rating means (DESIGN, Stress rating; domain.md §1.2).

A clear change is at least 2 points, or at least 30 % of the rating before; ±1 below that is
"about the same". One rule for the summary, the stats and the therapist's report.
"""

from __future__ import annotations


def is_clear_change(pre: int | None, post: int | None) -> bool:
    if pre is None or post is None or pre == post:
        return False
    size = abs(post - pre)
    # Integers only: 10·size ≥ 3·pre is "30 % of pre" without float rounding. From 0 the
    # percentage says nothing, so 0 → 1 stays "about the same".
    return size >= 2 or (pre > 0 and 10 * size >= 3 * pre)


def is_clear_drop(pre: int | None, post: int | None) -> bool:
    return pre is not None and post is not None and post < pre and is_clear_change(pre, post)


def change_meaning(pre: int | None, post: int | None) -> str:
    """A short phrase for people: "down 3 points, a clear drop"."""
    if pre is None or post is None:
        return "no change to show (a rating was skipped)"
    change = post - pre
    if change == 0:
        return "no change"
    points = f"{abs(change)} point{'s' if abs(change) != 1 else ''}"
    direction = "down" if change < 0 else "up"
    if not is_clear_change(pre, post):
        return f"{direction} {points}, about the same"
    return f"{direction} {points}, " + ("a clear drop" if change < 0 else "a clear rise")
