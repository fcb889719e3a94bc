"""Breathing presets as plain data: shared by the models, the engine and fast listings."""

from __future__ import annotations

from collections.abc import Sequence

# Each preset is a list of (breath, seconds). Sources: box 4-4-4-4 (Balban et al. 2023,
# Cell Rep Med 4:100895, equal phases; 4 s by convention); 4-7-8 (Weil; the ratio is what
# matters); coherent 5-5, 6 breaths a minute (Steffen et al. 2017, Front Public Health);
# resonance 5.5-5.5 (within the adult resonance range of 4.5-6.5 a minute, Shaffer & Meehan
# 2020); extended exhale 4-6 (a design choice: exhale longer than inhale); cyclic sigh: two
# inhales then an exhale about twice as long (Balban 2023 gives the shape, not the seconds:
# 2+1 in, 6 out is a design choice).
PRESETS: dict[str, tuple[tuple[str, float], ...]] = {
    "box": (("inhale", 4), ("hold", 4), ("exhale", 4), ("hold-out", 4)),
    "4-7-8": (("inhale", 4), ("hold", 7), ("exhale", 8)),
    "coherent": (("inhale", 5), ("exhale", 5)),
    "resonance": (("inhale", 5.5), ("exhale", 5.5)),
    "extended-exhale": (("inhale", 4), ("exhale", 6)),
    "cyclic-sigh": (("inhale", 2), ("top-up", 1), ("exhale", 6)),
}

# What a person is told during each phase (the pacer's label and the plain runner's words).
# Its keys are the breaths a phase may be, in the order the routine schema lists them.
BREATH_WORDS = {
    "inhale": "Breathe in",
    "top-up": "Top up",
    "hold": "Hold",
    "exhale": "Breathe out",
    "hold-out": "Hold, empty",
}


def pattern_words(phases: Sequence[tuple[str, float]], preset: str | None = None) -> str:
    """One breathing cycle as a page prints it, so a client on paper has the counts: the
    phases as "inhale 4 s, exhale 6 s", after a preset's name when it is one ("box: inhale
    4 s, hold 4 s, exhale 4 s, hold-out 4 s"). The one wording for presets and custom
    patterns (`coach show`, the handout, the app's routine list)."""
    counts = ", ".join(f"{breath} {seconds:g} s" for breath, seconds in phases)
    return f"{preset}: {counts}" if preset else counts


def cycles_for_seconds(seconds: float, cycle_seconds: float) -> int:
    """A breathing step given in seconds runs whole cycles: the nearest count, at least one."""
    return max(1, round(seconds / cycle_seconds))
