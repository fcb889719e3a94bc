"""Measuring synthesized sound in the tests: the peak and the pitch of 16-bit samples."""

from __future__ import annotations

import array
import itertools
import sys
from dataclasses import dataclass
from pathlib import Path

from coach.audio import SAMPLE_RATE


def zero_crossing_freq(samples: array.array[int] | list[int], start: float, stop: float) -> float:
    """Frequency (Hz) of a clean tone between two times, from its sign changes."""
    seg = samples[round(start * SAMPLE_RATE) : round(stop * SAMPLE_RATE)]
    crossings = sum(1 for a, b in itertools.pairwise(seg) if (a < 0) != (b < 0))
    return crossings / 2 / (len(seg) / SAMPLE_RATE)


def peak(samples: array.array[int]) -> int:
    """The largest absolute sample (full scale is 32767)."""
    return max(map(abs, samples))


# An ALSA configuration that records every stream a process plays into its own raw file
# (S16_LE mono 44.1 kHz, as played): the `file` plugin pipes each stream to a small shell
# script (`capture_home` writes it) whose name for the file starts with the time in ns.
# Overlapping streams (a cue under a phrase) each get a file; `null` discards the sound.
CAPTURE_BY_STREAM_ASOUNDRC = """\
pcm.!default {{
    type file
    slave.pcm "null"
    file "|{script}"
    format "raw"
}}
"""


def capture_home(home: Path, into: Path) -> Path:
    """Make `home` a HOME whose ALSA default device records each stream into `into`."""
    home.mkdir(parents=True, exist_ok=True)
    into.mkdir(parents=True, exist_ok=True)
    script = home / "record-stream"
    script.write_text(f'#!/bin/sh\nexec cat > "{into}/$(date +%s%N)-$$.raw"\n')
    script.chmod(0o755)
    (home / ".asoundrc").write_text(CAPTURE_BY_STREAM_ASOUNDRC.format(script=script))
    return home


@dataclass(frozen=True)
class Stream:
    """One captured stream: when it opened (s after the first), its length and its sound."""

    start: float
    samples: array.array[int]

    @property
    def seconds(self) -> float:
        """Length of the stream as played."""
        return len(self.samples) / SAMPLE_RATE

    @property
    def sounding(self) -> float:
        """Seconds from the start to the last sample above the silence threshold."""
        last = max((i for i, s in enumerate(self.samples) if abs(s) > SILENCE), default=-1)
        return (last + 1) / SAMPLE_RATE


# Samples at or below this (of 32767) count as silence: well under the softest cue's tail.
SILENCE = 300


def captured_streams(into: Path) -> list[Stream]:
    """The streams recorded by `capture_home`, in the order they opened."""
    files = sorted(into.glob("*.raw"), key=lambda p: int(p.name.split("-")[0]))
    if not files:
        return []
    first = int(files[0].name.split("-")[0])
    streams = []
    for path in files:
        samples = array.array("h")
        data = path.read_bytes()
        samples.frombytes(data[: len(data) - len(data) % 2])
        if sys.byteorder == "big":
            samples.byteswap()
        streams.append(Stream((int(path.name.split("-")[0]) - first) / 1e9, samples))
    return streams


def sounding_samples(samples: array.array[int]) -> int:
    """How many samples are above the silence threshold."""
    return sum(1 for s in samples if abs(s) > SILENCE)
