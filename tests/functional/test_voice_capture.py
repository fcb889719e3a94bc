"""Spoken guidance end to end: the installed `coach run --plain --voice` with real espeak-ng,
its sound captured through ALSA's file plugin (no sound card), compared with the same run
with tones alone; and nothing from espeak-ng or ALSA reaches the terminal.

The mapping, the WAV parsing and the voice's thread are tests/unit/test_voice.py."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.command import coach_command
from tests.helpers.sound import Stream, capture_home, captured_streams, sounding_samples

pytest.importorskip("simpleaudio", reason="the 'audio' extra (simpleaudio-patched) is not installed")
if shutil.which("espeak-ng") is None:
    pytest.skip("espeak-ng is not installed (.ci/install-system installs it)", allow_module_level=True)

SPEED = "5"
# 25 s of routine, 5 s at --speed 5: a title, both sides of a massage, two breaths.
ROUTINE = {
    "format": 1, "id": "voice-check", "title": "Voice check",
    "steps": [
        {"type": "rest", "title": "Settle in", "seconds": 5, "instruction": "Sit comfortably."},
        {"type": "massage", "title": "Neck circles", "instruction": "Small circles with two fingers.",
         "seconds": 5, "area": "neck", "side": "each", "pressure": "light"},
        {"type": "breathing", "title": "Slow breaths", "cycles": 2,
         "pattern": {"phases": [{"breath": "inhale", "seconds": 2}, {"breath": "exhale", "seconds": 3}]}},
    ],
}  # fmt: skip


def run_captured(tmp_path: Path, name: str, *options: str, settings: dict[str, Any] | None = None
                 ) -> tuple[subprocess.CompletedProcess[bytes], list[Stream]]:  # fmt: skip
    routine = tmp_path / "voice-check.json"
    routine.write_text(json.dumps(ROUTINE))
    into = tmp_path / name / "captured"
    home = capture_home(tmp_path / name / "home", into)
    coach_home = tmp_path / name / "coach"
    if settings is not None:
        coach_home.mkdir(parents=True)
        (coach_home / "settings.json").write_text(json.dumps(settings))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALSA_")}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), COACH_HOME=str(coach_home))
    proc = subprocess.run(
        [*coach_command(), "run", str(routine), "--plain", "--speed", SPEED, *options],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
    )
    return proc, captured_streams(into)


def test_voice_adds_speech_to_the_tones_and_writes_nothing_to_the_terminal(tmp_path: Path) -> None:
    # Tones alone: --no-voice overrides a voice setting for the run.
    tones, tone_streams = run_captured(tmp_path, "tones", "--no-voice", settings={"voice": "breaths"})
    # The voice from --voice alone (no setting: step titles and counts).
    voiced, voice_streams = run_captured(tmp_path, "voiced", "--voice")
    for proc in (tones, voiced):
        assert proc.returncode == 0, proc.stderr.decode(errors="replace")
        assert proc.stderr == b""  # no "ALSA lib ...", nothing from espeak-ng
        assert b"ALSA" not in proc.stdout and b"espeak" not in proc.stdout.lower()
    # The voice changes what is heard, not what is printed.
    assert voiced.stdout == tones.stdout
    # Tones only: every stream is one of the synthesized cues (none is longer than 0.8 s).
    assert tone_streams and all(s.seconds <= 0.8 for s in tone_streams)
    tone_sound = sum(sounding_samples(s.samples) for s in tone_streams)
    voice_sound = sum(sounding_samples(s.samples) for s in voice_streams)
    assert tone_sound > 0
    assert voice_sound > 1.5 * tone_sound, (tone_sound, voice_sound)
    # Every tone is still there, and the phrases are streams of their own besides them.
    tone_lengths = sorted(len(s.samples) for s in tone_streams)
    voice_lengths = [len(s.samples) for s in voice_streams]
    for length in tone_lengths:
        assert length in voice_lengths
        voice_lengths.remove(length)
    assert len(voice_lengths) >= 4  # the title of each step and the side switch, at least
    assert all(0.3 <= n / 44_100 <= 10 for n in voice_lengths)

