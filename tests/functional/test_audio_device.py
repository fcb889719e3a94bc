"""Sound through a real device, in a fresh interpreter: simpleaudio playing into ALSA's file
plugin (the captured samples are the synthesized ones), no device falling back to the bell
without a word from libasound, and what importing coach.audio loads.

Synthesis and the player with a stand-in simpleaudio are tests/unit/test_audio.py."""

from __future__ import annotations

import array
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from coach import audio
from coach.audio import (
    BELL_CUES,
    CUE_NAMES,
    CUES,
    SAMPLE_RATE,
    cue_samples,
)
from tests.helpers.sound import peak, zero_crossing_freq

NEEDS_SIMPLEAUDIO = "the 'audio' extra (simpleaudio-patched) is not installed"


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for a child Python that imports this checkout's `coach`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALSA_")}
    root = str(Path(audio.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    env.update(extra)
    return env


def test_import_is_cheap() -> None:
    code = (
        "import sys, coach.audio as a;"
        "print('simpleaudio' in sys.modules, len(a._cache), len(a._alsa_handlers))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=subprocess_env(),
    )
    assert out.stdout.split() == ["False", "0", "0"]


CAPTURE_ASOUNDRC = """\
pcm.!default {
    type file
    slave.pcm "null"
    file { @func getenv vars [ COACH_TEST_CAPTURE ] default "/dev/null" }
    format "raw"
}
"""


# A named card that does not exist makes libasound complain on stderr, then fail.
NO_DEVICE_ASOUNDRC = """\
pcm.!default { type hw card "coach_no_such_card" }
ctl.!default { type hw card "coach_no_such_card" }
"""


CAPTURE_SCRIPT = """\
import json, os, sys, time
from coach.audio import CUE_NAMES, Player

out = sys.argv[1]
player = Player("simpleaudio", volume=80)
returned = {}
for name in CUE_NAMES:
    os.environ["COACH_TEST_CAPTURE"] = os.path.join(out, name + ".raw")
    start = time.monotonic()
    player.play(name)
    returned[name] = time.monotonic() - start
    player.drain(timeout=5)
player.muted = True
os.environ["COACH_TEST_CAPTURE"] = os.path.join(out, "muted.raw")
player.play("bell")
player.muted = False
player.volume = 0
os.environ["COACH_TEST_CAPTURE"] = os.path.join(out, "volume0.raw")
player.play("bell")
player.close()
with open(os.path.join(out, "result.json"), "w") as f:
    json.dump({"notice": player.notice, "active": player.active_backend,
               "returned": returned}, f)
"""


NO_DEVICE_SCRIPT = """\
import json, os, sys, time
import simpleaudio
from coach.audio import CUE_NAMES, Player

calls = []
real_play_buffer = simpleaudio.play_buffer
def counting(*args):
    calls.append(1)
    return real_play_buffer(*args)
simpleaudio.play_buffer = counting

rings = []
player = Player("auto", bell=lambda: rings.append(1))
returned = []
for name in CUE_NAMES * 2:
    start = time.monotonic()
    player.play(name)
    returned.append(time.monotonic() - start)
notices = [player.take_notice(), player.take_notice()]
player.close()
with open(sys.argv[1], "w") as f:
    json.dump({"notice": player.notice, "notices": notices, "active": player.active_backend,
               "play_buffer_calls": len(calls), "rings": len(rings),
               "slowest_play": max(returned)}, f)
"""


# The premise of the no-output test: without the handler, this libasound does print.
RAW_NO_DEVICE_SCRIPT = """\
import simpleaudio
try:
    simpleaudio.play_buffer(b"\\0\\0" * 100, 1, 2, 44100)
except Exception as exc:
    print("raised", type(exc).__name__)
"""


def run_script(
    tmp_path: Path, asoundrc: str, script: str, *args: str
) -> subprocess.CompletedProcess[bytes]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    (home / ".asoundrc").write_text(asoundrc)
    path = tmp_path / "script.py"
    path.write_text(textwrap.dedent(script))
    return subprocess.run(
        [sys.executable, str(path), *args],
        env=subprocess_env(
            HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), COACH_HOME=str(home)
        ),
        capture_output=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_real_playback_writes_the_synthesized_samples(tmp_path: Path) -> None:
    pytest.importorskip("simpleaudio", reason=NEEDS_SIMPLEAUDIO)
    out = tmp_path / "captured"
    out.mkdir()
    proc = run_script(tmp_path, CAPTURE_ASOUNDRC, CAPTURE_SCRIPT, str(out))
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout == b"" and proc.stderr == b""
    result = json.loads((out / "result.json").read_text())
    assert result["notice"] is None and result["active"] == "simpleaudio"
    # play() did not wait for the sounds: all seven returned in less time than they last
    # (3.2 s; a play() that waited would take at least that, on any machine).
    returned = result["returned"]
    assert sum(returned.values()) < sum(CUES[name].duration for name in CUE_NAMES), returned
    for name in CUE_NAMES:
        captured = array.array("h")
        captured.frombytes((out / f"{name}.raw").read_bytes())
        expected = cue_samples(name, 80)
        # The device may pad the last period with silence; the sound itself is exact.
        assert len(expected) <= len(captured) < len(expected) + SAMPLE_RATE // 10, name
        assert captured[: len(expected)] == expected, name
        assert peak(captured[len(expected) :] or array.array("h", [0])) == 0
        assert abs(peak(captured) - CUES[name].peak * 0.8) <= 1
    bell = array.array("h")
    bell.frombytes((out / "bell.raw").read_bytes())
    assert zero_crossing_freq(bell, 0.01, 0.21) == pytest.approx(880, rel=0.01)
    inhale = array.array("h")
    inhale.frombytes((out / "inhale.raw").read_bytes())
    assert zero_crossing_freq(inhale, 0.1, 0.15) < zero_crossing_freq(inhale, 0.5, 0.55)
    # Muted and volume 0 never opened the device.
    assert not (out / "muted.raw").exists()
    assert not (out / "volume0.raw").exists()


def test_no_device_falls_back_once_and_prints_nothing(tmp_path: Path) -> None:
    pytest.importorskip("simpleaudio", reason=NEEDS_SIMPLEAUDIO)
    result_path = tmp_path / "result.json"
    proc = run_script(tmp_path, NO_DEVICE_ASOUNDRC, NO_DEVICE_SCRIPT, str(result_path))
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout == b""
    assert proc.stderr == b""  # libasound's "ALSA lib ..." lines were swallowed
    result = json.loads(result_path.read_text())
    assert result["play_buffer_calls"] == 1
    assert result["active"] == "bell"
    assert result["notice"] == "Sound unavailable (no audio device); using the terminal bell."
    assert result["notices"] == [result["notice"], None]
    assert result["rings"] == 2 * len(BELL_CUES)
    assert result["slowest_play"] < 1.0


def test_without_the_handler_libasound_would_print(tmp_path: Path) -> None:
    """The premise of the test above, so that it can fail: this config makes ALSA talk."""
    pytest.importorskip("simpleaudio", reason=NEEDS_SIMPLEAUDIO)
    proc = run_script(tmp_path, NO_DEVICE_ASOUNDRC, RAW_NO_DEVICE_SCRIPT)
    assert proc.stdout.decode().strip() == "raised SimpleaudioError"
    assert b"ALSA lib" in proc.stderr


def test_the_alsa_handler_is_registered_once_and_kept(tmp_path: Path) -> None:
    pytest.importorskip("simpleaudio", reason=NEEDS_SIMPLEAUDIO)
    code = (
        "import coach.audio as a;"
        "r = [a.silence_alsa_messages(), a.silence_alsa_messages()];"
        "print(r, len(a._alsa_handlers) >= 1)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=subprocess_env(),
    )
    assert out.stdout.strip() == "[True, True] True"
