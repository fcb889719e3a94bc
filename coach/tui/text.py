"""Small formatting helpers for the screens (words, not logic)."""

from __future__ import annotations

import math


def minutes(seconds: float) -> str:
    """A routine's length for a list: "45 s", "3 min", "12 min"."""
    if seconds < 60:
        return f"{round(seconds)} s"
    return f"{max(1, round(seconds / 60))} min"


def clock(seconds: float) -> str:
    """A countdown in whole seconds, rounded up so it reaches 0:00 only at the end."""
    whole = max(0, math.ceil(seconds - 1e-9))
    minutes_, secs = divmod(whole, 60)
    if minutes_ >= 60:
        hours, minutes_ = divmod(minutes_, 60)
        return f"{hours}:{minutes_:02d}:{secs:02d}"
    return f"{minutes_}:{secs:02d}"


def spent(seconds: float) -> str:
    """Time spent, in words: "4 min 56 s"."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes_, secs = divmod(whole, 60)
    return f"{minutes_} min" if secs == 0 else f"{minutes_} min {secs} s"


def count(number: int, word: str) -> str:
    """ "1 step", "2 steps"."""
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def days(number: int) -> str:
    return count(number, "day")
