"""Breathing presets as plain data: shared by the models, the engine and fast listings."""

from __future__ import annotations

# Each preset is a list of (breath, seconds). Sources: ../shared/research/domain.md §2.1.
PRESETS: dict[str, tuple[tuple[str, float], ...]] = {
    "box": (("inhale", 4), ("hold", 4), ("exhale", 4), ("hold-out", 4)),
    "4-7-8": (("inhale", 4), ("hold", 7), ("exhale", 8)),
    "coherent": (("inhale", 5), ("exhale", 5)),
    "resonance": (("inhale", 5.5), ("exhale", 5.5)),
    "extended-exhale": (("inhale", 4), ("exhale", 6)),
    "cyclic-sigh": (("inhale", 2), ("top-up", 1), ("exhale", 6)),
}

BREATHS = ("inhale", "top-up", "hold", "exhale", "hold-out")

# What a person is told during each phase (the pacer's label and the plain runner's words).
BREATH_WORDS = {
    "inhale": "Breathe in",
    "top-up": "Top up",
    "hold": "Hold",
    "exhale": "Breathe out",
    "hold-out": "Hold, empty",
}


def cycles_for_seconds(seconds: float, cycle_seconds: float) -> int:
    """A breathing step given in seconds runs whole cycles: the nearest count, at least one."""
    return max(1, round(seconds / cycle_seconds))
