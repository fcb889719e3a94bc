"""Measuring synthesized sound in the tests: the peak and the pitch of 16-bit samples."""

from __future__ import annotations

import array
import itertools

from coach.audio import SAMPLE_RATE


def zero_crossing_freq(samples: array.array[int] | list[int], start: float, stop: float) -> float:
    """Frequency (Hz) of a clean tone between two times, from its sign changes."""
    seg = samples[round(start * SAMPLE_RATE) : round(stop * SAMPLE_RATE)]
    crossings = sum(1 for a, b in itertools.pairwise(seg) if (a < 0) != (b < 0))
    return crossings / 2 / (len(seg) / SAMPLE_RATE)


def peak(samples: array.array[int]) -> int:
    """The largest absolute sample (full scale is 32767)."""
    return max(map(abs, samples))
