"""Sound cues: synthesis and the Player's fallbacks, with a stand-in simpleaudio and clock.

Real playback through ALSA's file plugin, in a subprocess, is tests/functional/test_audio_device.py.
"""

from __future__ import annotations

import array
import cmath
import itertools
import math
import sys
from typing import Any

import pytest

from coach import audio
from coach.audio import (
    BELL_CUES,
    CUE_NAMES,
    CUES,
    NOTICE_NO_DEVICE,
    NOTICE_NOT_INSTALLED,
    SAMPLE_RATE,
    Player,
    cue_bytes,
    cue_samples,
)
from tests.helpers.sound import peak, zero_crossing_freq

# --- signal helpers -------------------------------------------------------------------------


def dft_level(samples: array.array[int], freq: float, start: float, length: float) -> float:
    """Amplitude of `freq` in a Hann-windowed stretch of the signal (one DFT bin)."""
    lo = round(start * SAMPLE_RATE)
    n = round(length * SAMPLE_RATE)
    w = -2j * math.pi * freq / SAMPLE_RATE
    total = sum(
        samples[lo + i] * (0.5 - 0.5 * math.cos(2 * math.pi * i / n)) * cmath.exp(w * i)
        for i in range(n)
    )
    return abs(total) * 4 / n  # 2 for one-sided, 2 for the Hann window's mean of 1/2


# --- synthesis ------------------------------------------------------------------------------


def test_cue_set() -> None:
    assert set(CUE_NAMES) == {"bell", "switch", "inhale", "exhale", "hold", "tick", "finish"}
    assert set(CUES) == set(CUE_NAMES)
    assert BELL_CUES <= set(CUE_NAMES)


@pytest.mark.parametrize("name", CUE_NAMES)
def test_length_peak_and_format(name: str) -> None:
    cue = CUES[name]
    samples = cue_samples(name)
    assert samples.typecode == "h" and samples.itemsize == 2
    assert (0.05 if name == "tick" else 0.15) <= cue.duration <= 0.8
    assert len(samples) == round(cue.duration * SAMPLE_RATE) == cue.length
    assert peak(samples) == cue.peak
    assert 0.2 * 32767 <= cue.peak <= 0.7 * 32767  # audible, with headroom
    assert len(cue_bytes(name)) == 2 * len(samples)


@pytest.mark.parametrize("volume", [100, 73, 50, 10, 1])
@pytest.mark.parametrize("name", CUE_NAMES)
def test_volume_scales_the_peak(name: str, volume: int) -> None:
    got = peak(cue_samples(name, volume))
    assert abs(got - CUES[name].peak * volume / 100) <= 1


def test_volume_zero_is_silence_and_out_of_range_volumes_clamp() -> None:
    assert peak(cue_samples("bell", 0)) == 0
    assert cue_samples("bell", 250) == cue_samples("bell", 100)
    assert peak(cue_samples("bell", -5)) == 0


@pytest.mark.parametrize("name", CUE_NAMES)
def test_fades_start_and_end_at_zero(name: str) -> None:
    samples = cue_samples(name)
    assert samples[0] == 0 and samples[-1] == 0
    # The first and last 0.25 ms stay under 2 % of the peak: no step, so no click.
    edge = round(0.00025 * SAMPLE_RATE)
    limit = 0.02 * CUES[name].peak
    assert peak(samples[:edge]) <= limit
    assert peak(samples[-edge:]) <= limit
    # ...and the sound is really there in between.
    assert peak(samples[len(samples) // 4 : len(samples) // 2]) > 0.3 * CUES[name].peak


def test_no_jump_between_samples_is_larger_than_the_tone_allows() -> None:
    # A sine of amplitude A and frequency f changes by at most A*2*pi*f/rate per sample;
    # a discontinuity (click) would break this.
    for name in ("inhale", "exhale", "hold", "tick", "switch"):
        samples = cue_samples(name)
        top_freq = max(max(n.freq, n.end_freq or 0) for n in CUES[name].notes)
        bound = CUES[name].peak * 2 * math.pi * top_freq / SAMPLE_RATE * 1.05 + 1
        jump = max(abs(b - a) for a, b in itertools.pairwise(samples))
        assert jump <= bound, name


def test_bell_frequency() -> None:
    samples = cue_samples("bell")
    assert zero_crossing_freq(samples, 0.01, 0.21) == pytest.approx(880, rel=0.01)
    at = dft_level(samples, 880, 0.01, 0.1)
    assert at > 5 * dft_level(samples, 830, 0.01, 0.1)
    assert at > 5 * dft_level(samples, 932, 0.01, 0.1)


def test_hold_is_a_short_soft_tick_at_1000_hz() -> None:
    samples = cue_samples("hold")
    assert zero_crossing_freq(samples, 0.0, 0.06) == pytest.approx(1000, rel=0.02)
    signals = [n for n in CUE_NAMES if n not in ("hold", "tick")]
    assert CUES["hold"].peak < min(CUES[n].peak for n in signals)
    assert CUES["hold"].duration < min(CUES[n].duration for n in signals)


def test_tick_is_the_shortest_softest_cue_and_higher_than_hold() -> None:
    # A rep's hold/release and each lead-in second: heard, never mistaken for a breath hold.
    samples = cue_samples("tick")
    assert zero_crossing_freq(samples, 0.0, 0.03) == pytest.approx(1600, rel=0.03)
    others = [n for n in CUE_NAMES if n != "tick"]
    assert CUES["tick"].peak < min(CUES[n].peak for n in others)
    assert CUES["tick"].duration < min(CUES[n].duration for n in others)


def test_switch_is_two_tones_with_a_gap() -> None:
    samples = cue_samples("switch")
    first, second = CUES["switch"].notes
    assert zero_crossing_freq(samples, 0.0, first.length) == pytest.approx(first.freq, rel=0.02)
    gap = samples[round(first.length * SAMPLE_RATE) + 1 : round(second.start * SAMPLE_RATE)]
    assert len(gap) > 0.03 * SAMPLE_RATE and peak(gap) == 0
    tail = zero_crossing_freq(samples, second.start, second.start + second.length)
    assert tail == pytest.approx(second.freq, rel=0.02)
    assert second.freq > first.freq


def _glide(name: str) -> list[tuple[float, float]]:
    """(expected, measured) frequency over successive 50 ms windows."""
    samples = cue_samples(name)
    (note,) = CUES[name].notes
    assert note.end_freq is not None
    out = []
    t = 0.1
    while t + 0.05 <= note.length - 0.1:
        mid = t + 0.025
        expected = note.freq + (note.end_freq - note.freq) * mid / note.length
        out.append((expected, zero_crossing_freq(samples, t, t + 0.05)))
        t += 0.05
    return out


def test_inhale_rises_and_exhale_falls() -> None:
    up = _glide("inhale")
    down = _glide("exhale")
    assert len(up) >= 8 and len(down) >= 8
    for expected, got in up + down:
        assert got == pytest.approx(expected, rel=0.04)
    rising = [got for _e, got in up]
    falling = [got for _e, got in down]
    assert rising == sorted(rising) and rising[-1] > rising[0] * 1.3
    assert falling == sorted(falling, reverse=True) and falling[0] > falling[-1] * 1.3
    # The whole glide, endpoint to endpoint, is what was asked for.
    (note,) = CUES["inhale"].notes
    assert (note.freq, note.end_freq) == (330.0, 550.0)


def test_finish_is_a_c_major_chord() -> None:
    samples = cue_samples("finish")
    chord = [523.25, 659.26, 783.99, 1046.5]
    others = [440.0, 587.33, 698.46, 880.0]  # A4, D5, F5, A5: not in the chord
    on = [dft_level(samples, f, 0.05, 0.2) for f in chord]
    off = [dft_level(samples, f, 0.05, 0.2) for f in others]
    assert min(on) > 10 * max(off)


def test_synthesis_is_cached_and_returns_copies() -> None:
    a = cue_samples("hold")
    a[100] = 12345
    assert cue_samples("hold")[100] != 12345
    assert cue_bytes("hold", 40) is cue_bytes("hold", 40)


def test_unknown_cue_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown sound cue"):
        cue_samples("gong")
    with pytest.raises(ValueError, match="unknown sound cue"):
        Player(backend="none").play("gong")
    with pytest.raises(ValueError, match="unknown sound backend"):
        Player(backend="pulse")  # type: ignore[arg-type]


# --- Player with a stand-in simpleaudio ------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


class FakePlayObject:
    def __init__(self, clock: FakeClock, seconds: float) -> None:
        self.clock = clock
        self.until = clock.now + seconds
        self.stopped = False

    def is_playing(self) -> bool:
        return not self.stopped and self.clock.now < self.until

    def stop(self) -> None:
        self.stopped = True

    def wait_done(self) -> None:  # pragma: no cover - the Player must never call it
        raise AssertionError("wait_done() blocks the caller")


class FakeSimpleaudio:
    """Records play_buffer calls; `fail` lists, per call, whether that call raises."""

    class SimpleaudioError(Exception):
        pass

    def __init__(self, clock: FakeClock, fail: list[bool] | None = None, hang: float = 0) -> None:
        self.clock = clock
        self.fail = list(fail or [])
        self.hang = hang  # extra seconds a sound keeps "playing" past its length
        self.calls: list[tuple[bytes, int, int, int]] = []
        self.objects: list[FakePlayObject] = []

    def play_buffer(self, data: bytes, channels: int, width: int, rate: int) -> FakePlayObject:
        self.calls.append((bytes(data), channels, width, rate))
        if self.fail and self.fail.pop(0):
            raise self.SimpleaudioError("Error opening PCM device. -- CODE: -2")
        obj = FakePlayObject(self.clock, len(data) / width / rate + self.hang)
        self.objects.append(obj)
        return obj


class Bell:
    def __init__(self) -> None:
        self.rings = 0

    def __call__(self) -> None:
        self.rings += 1


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def fake_player(
    monkeypatch: pytest.MonkeyPatch, clock: FakeClock, backend: str = "auto", **fake: Any
) -> tuple[Player, FakeSimpleaudio, Bell]:
    sa = FakeSimpleaudio(clock, **fake)
    monkeypatch.setitem(sys.modules, "simpleaudio", sa)
    bell = Bell()
    player = Player(backend, bell=bell, clock=clock, sleep=clock.sleep)  # type: ignore[arg-type]
    return player, sa, bell


def test_play_hands_the_synthesized_buffer_to_simpleaudio(
    monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    player, sa, bell = fake_player(monkeypatch, clock)
    player.volume = 60
    for name in CUE_NAMES:
        player.play(name)
    assert [c[1:] for c in sa.calls] == [(1, 2, SAMPLE_RATE)] * len(CUE_NAMES)
    assert [c[0] for c in sa.calls] == [cue_bytes(n, 60) for n in CUE_NAMES]
    got = array.array("h")
    got.frombytes(sa.calls[0][0])
    assert got == cue_samples("bell", 60)
    assert player.notice is None and player.active_backend == "simpleaudio"
    assert bell.rings == 0


def test_muted_and_volume_zero_play_nothing(
    monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    player, sa, bell = fake_player(monkeypatch, clock)
    player.muted = True
    player.play("bell")
    player.muted = False
    player.volume = 0
    player.play("finish")
    assert sa.calls == [] and bell.rings == 0
    player.volume = 30
    player.play("finish")
    assert len(sa.calls) == 1


def test_volume_is_clamped_to_0_100() -> None:
    player = Player("none", volume=140)
    assert player.volume == 100
    player.volume = -3
    assert player.volume == 0
    player.volume = 42.4
    assert player.volume == 42


def test_device_error_falls_back_once_to_the_bell(
    monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    player, sa, bell = fake_player(monkeypatch, clock, fail=[True] * 10)
    for name in CUE_NAMES * 2:
        player.play(name)  # never raises
    assert len(sa.calls) == 1  # simpleaudio was tried once, then left alone
    assert player.active_backend == "bell"
    assert player.notice == NOTICE_NO_DEVICE + "; using the terminal bell."
    assert player.notice == "Sound unavailable (no audio device); using the terminal bell."
    # The bell stands in only for the signals, the failing first cue included.
    assert bell.rings == 2 * len(BELL_CUES)
    assert player.take_notice() == player.notice
    assert player.take_notice() is None
    assert player.notice is not None  # still readable


def test_simpleaudio_backend_falls_back_to_silence(
    monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    player, sa, bell = fake_player(monkeypatch, clock, backend="simpleaudio", fail=[True])
    player.play("bell")
    player.play("bell")
    assert len(sa.calls) == 1 and bell.rings == 0
    assert player.active_backend == "none"
    assert player.notice == "Sound unavailable (no audio device); sound is off."


def test_missing_simpleaudio_falls_back_to_the_bell(
    monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    monkeypatch.setitem(sys.modules, "simpleaudio", None)  # import raises ImportError
    bell = Bell()
    player = Player(bell=bell, clock=clock, sleep=clock.sleep)
    player.play("inhale")
    player.play("switch")
    player.play("hold")
    assert player.active_backend == "bell"
    assert player.notice == NOTICE_NOT_INSTALLED + "; using the terminal bell."
    assert bell.rings == 1
    assert player.take_notice() is not None and player.take_notice() is None


def test_a_busy_device_cuts_the_older_cue_instead_of_giving_up(
    monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    player, sa, _bell = fake_player(monkeypatch, clock, fail=[False, True, False])
    player.play("finish")
    player.play("bell")  # refused while finish plays, then accepted once finish is stopped
    assert len(sa.calls) == 3
    assert sa.objects[0].stopped and not sa.objects[1].stopped
    assert player.notice is None and player.active_backend == "simpleaudio"


def test_a_device_that_keeps_refusing_falls_back(
    monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    player, _sa, bell = fake_player(monkeypatch, clock, fail=[False, True, True])
    player.play("finish")
    player.play("bell")
    assert player.active_backend == "bell" and player.notice is not None
    assert bell.rings == 1


def test_bell_backend_and_none_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "simpleaudio", None)
    bell = Bell()
    for name in CUE_NAMES:
        Player("bell", bell=bell).play(name)
    assert bell.rings == len(BELL_CUES)
    silent = Bell()
    quiet = Player("none", bell=silent)
    for name in CUE_NAMES:
        quiet.play(name)
    assert silent.rings == 0 and quiet.notice is None
    every = Bell()
    chatty = Player("bell", bell=every, bell_cues=CUE_NAMES)
    for name in CUE_NAMES:
        chatty.play(name)
    assert every.rings == len(CUE_NAMES)


class FakeStream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty
        self.written = ""

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> int:
        self.written += text
        return len(text)

    def flush(self) -> None:
        pass


def test_default_bell_writes_bel_only_to_a_terminal() -> None:
    tty, pipe = FakeStream(True), FakeStream(False)
    Player("bell", stream=tty).play("bell")  # type: ignore[arg-type]
    Player("bell", stream=pipe).play("bell")  # type: ignore[arg-type]
    assert tty.written == "\a"
    assert pipe.written == ""


def test_a_failing_bell_never_raises() -> None:
    def broken() -> None:
        raise RuntimeError("no terminal")

    Player("bell", bell=broken).play("finish")


def test_drain_waits_for_the_cue_at_most_its_length(
    monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    player, sa, _ = fake_player(monkeypatch, clock)
    start = clock.now
    player.play("finish")
    player.drain()
    waited = clock.now - start
    assert CUES["finish"].duration <= waited <= CUES["finish"].duration + 0.05
    assert not sa.objects[0].is_playing()


def test_drain_gives_up_on_a_stuck_device(
    monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    player, sa, _ = fake_player(monkeypatch, clock, hang=60)
    start = clock.now
    player.play("hold")
    player.drain()
    assert clock.now - start <= CUES["hold"].duration + 0.3
    player.play("finish")
    start = clock.now
    player.close(timeout=0.2)
    assert 0.2 <= clock.now - start <= 0.25
    assert all(o.stopped or not o.is_playing() for o in sa.objects)
    player.play("bell")  # closed: nothing more
    assert len(sa.calls) == 2


def test_drain_with_nothing_playing_returns_at_once(clock: FakeClock) -> None:
    player = Player("none", clock=clock, sleep=clock.sleep)
    player.play("bell")
    player.drain()
    player.close()
    assert clock.now == 1000.0


def test_prepare_builds_the_cues_and_falls_back_early(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "simpleaudio", None)
    monkeypatch.setattr(audio, "_cache", {})
    monkeypatch.setattr(audio, "_bytes_cache", {})
    player = Player(volume=35)
    player.prepare()
    assert set(audio._cache) == set(CUE_NAMES)
    assert {("bell", 35), ("finish", 35)} <= set(audio._bytes_cache)
    assert player.active_backend == "bell" and player.notice is not None


# --- speech through the player (coach.voice hands it PCM) -------------------------------------


def test_speak_replaces_the_phrase_being_said_and_cues_play_alongside(
    monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    player, sa, _bell = fake_player(monkeypatch, clock)
    phrase = b"\x01\x00" * SAMPLE_RATE  # one second
    assert player.speak(phrase, 1.0) and player.speaking()
    player.play("bell")  # a cue does not cut the phrase
    assert not sa.objects[0].stopped
    assert player.speak(phrase, 1.0)
    assert sa.objects[0].stopped and not sa.objects[2].stopped
    clock.now += 2.0
    assert not player.speaking()
    assert sa.calls[0] == (phrase, 1, 2, SAMPLE_RATE)


def test_speak_does_nothing_muted_at_volume_0_closed_or_without_a_device(
    monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    player, sa, bell = fake_player(monkeypatch, clock, fail=[True])
    player.muted = True
    assert not player.speak(b"\0\0", 0.1)
    player.muted = False
    player.volume = 0
    assert not player.speak(b"\0\0", 0.1)
    player.volume = 50
    assert not player.speak(b"\0\0", 0.1)  # the device refuses: the cue fallback's notice
    assert player.active_backend == "bell"
    assert player.notice == NOTICE_NO_DEVICE + "; using the terminal bell."
    assert not player.speak(b"\0\0", 0.1) and bell.rings == 0  # no bell for speech
    player.close()
    assert len(sa.calls) == 1


def test_tell_gives_a_new_notice_once(monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> None:
    player, _sa, _bell = fake_player(monkeypatch, clock)
    player.tell("Voice unavailable.")
    assert player.take_notice() == "Voice unavailable." and player.take_notice() is None
    player.tell("Voice unavailable.")
    assert player.take_notice() is None  # the same notice is not told twice


def test_close_lets_the_last_phrase_play_out(monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> None:
    player, sa, _bell = fake_player(monkeypatch, clock)
    player.speak(b"\0\0" * (2 * SAMPLE_RATE), 2.0)  # "Session complete." at the very end
    player.close(timeout=1.0)
    assert clock.now >= 1002.0  # waited past the cue timeout for the phrase
    assert not sa.objects[0].stopped


def test_voice_off_builds_no_voice_and_set_voice_switches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "coach.voice", raising=False)
    player = Player("none")
    assert player.voice is None and "coach.voice" not in sys.modules
    player.set_voice("titles")
    voice = player.voice
    assert voice is not None and voice.level == "titles" and player.voice is voice
    player.set_voice("off")
    assert player.voice is None and voice.on is False
    assert Player.cue_seconds("tick") == CUES["tick"].duration and Player.cue_seconds("?") == 0.0


def test_a_device_without_mixing_cuts_the_phrase_for_a_cue_instead_of_giving_up(
    monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    player, sa, bell = fake_player(monkeypatch, clock, fail=[False, True, False])
    assert player.speak(b"\0\0" * SAMPLE_RATE, 1.0)
    player.play("bell")  # refused while the phrase plays: the phrase is cut, the bell rings
    assert sa.objects[0].stopped and len(sa.objects) == 2
    assert player.active_backend == "simpleaudio" and player.notice is None and bell.rings == 0


def test_speaking_nothing_is_not_a_device_failure(monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> None:
    player, sa, _bell = fake_player(monkeypatch, clock, fail=[True])
    assert not player.speak(b"", 0.0)
    assert sa.calls == [] and player.active_backend == "simpleaudio" and player.notice is None
