"""Spoken guidance: what is said at each level, WAV parsing and resampling, the voice's
thread with a stand-in espeak-ng and a stand-in simpleaudio (no subprocess, no device).

Real espeak-ng through ALSA's file plugin is tests/functional/test_voice_capture.py."""

from __future__ import annotations

import array
import io
import math
import sys
import threading
import time
import wave
from collections.abc import Sequence
from typing import Any

import pytest

from coach.audio import SAMPLE_RATE, Player, cue_bytes
from coach.practice import Practice
from coach.session import Event
from coach.voice import (
    NOTICE_ESPEAK_FAILED,
    NOTICE_NO_ESPEAK,
    RUN_ERRORS,
    TONE_BEFORE_SPEECH,
    VOICE_LEVELS,
    Synthesizer,
    Voice,
    VoiceUnavailable,
    phrase_of,
    plain_text,
    utterances,
    voice_level,
    wav_to_samples,
)
from tests.helpers.routines import breathing, make_routine, massage, rest
from tests.helpers.sound import zero_crossing_freq

ROUTINE = make_routine(
    rest("Settle in", 5),
    massage("Neck circles", 6, side="each"),
    breathing("Slow breaths", "box", 1),
)


def ev(kind: str, step: int = 1, **fields: Any) -> Event:
    return Event(kind, 0.0, step, **fields)  # type: ignore[arg-type]


# --- what is said --------------------------------------------------------------------------

A_RUN = [
    ev("lead_in", count=3),
    ev("lead_in", count=2),
    ev("lead_in", count=1),
    ev("step_started", 1),
    ev("step_started", 2, side="left"),
    ev("rep_hold", 2, rep=1, reps=3),
    ev("rep_release", 2, rep=1, reps=3),
    ev("time_warning", 2, seconds=10),
    ev("side_switched", 2, side="right"),
    ev("step_started", 3),
    ev("phase_changed", 3, breath="inhale"),
    ev("phase_changed", 3, breath="hold"),
    ev("phase_changed", 3, breath="exhale"),
    ev("phase_changed", 3, breath="hold-out"),
    ev("paused", 3),
    ev("resumed", 3),
    ev("finished", 3),
]
TITLES = [
    "Three.", "Two.", "One.",
    "Settle in.",
    "Neck circles. Left side.",
    "Hold.", "Release.",
    "Ten seconds left.",
    "Switch to the right side.",
    "Slow breaths.",
    "Session complete.",
]  # fmt: skip


def test_off_says_nothing() -> None:
    assert utterances(A_RUN, ROUTINE, "off") == []
    assert utterances(A_RUN, ROUTINE, "loud") == []  # an unknown level is silence


def test_titles_level() -> None:
    assert utterances(A_RUN, ROUTINE, "titles") == TITLES


def test_instructions_level_adds_each_steps_instruction_once() -> None:
    said = utterances(A_RUN, ROUTINE, "instructions")
    # The rep's first "Hold." comes before the instruction: it is due now.
    at = said.index("Neck circles. Left side.")
    assert said[at + 1 : at + 4] == ["Hold.", "Do neck circles.", "Release."]
    assert said.count("Do neck circles.") == 1  # not repeated for the right side
    assert [s for s in said if s not in TITLES] == ["Do neck circles."]


def test_breaths_level_adds_the_breath_phases() -> None:
    said = utterances(A_RUN, ROUTINE, "breaths")
    at = said.index("Slow breaths.")
    assert said[at + 1 : at + 5] == ["In.", "Hold.", "Out.", "Hold."]
    assert said[-1] == "Session complete."


def test_too_much_choices_and_gentler_are_spoken() -> None:
    events = [ev("relief_chosen", choice=c) for c in ("gentler", "lighter", "skip", "end", "?")]
    events += [ev("gentler_changed", on=True), ev("gentler_changed", on=False)]
    assert utterances(events, ROUTINE, "titles") == [
        "Gentler version.", "Lighter pressure.", "Skipping this step.", "Ending the session.",
        "Gentler version.", "Usual version.",
    ]  # fmt: skip


def test_hostile_text_is_spoken_plainly() -> None:
    # Routine text cannot hold control characters (validation); plain_text is the last guard.
    said = plain_text("Neck\u202e\x1b[31m -- --stdout")
    assert "\x1b" not in said and "\u202e" not in said and said.startswith("Neck")
    assert plain_text("a\n\tb  c") == "a b c"
    assert len(plain_text("word " * 500)) <= 600


@pytest.mark.parametrize(
    ("setting", "flag", "level"),
    [("off", None, "off"), ("breaths", None, "breaths"), ("off", True, "titles"),
     ("instructions", True, "instructions"), ("breaths", False, "off"), ("bad", None, "off")],
)  # fmt: skip
def test_voice_flag_overrides_the_setting(setting: str, flag: bool | None, level: str) -> None:
    assert voice_level(setting, flag) == level
    assert level in VOICE_LEVELS


def test_one_poll_is_one_phrase_and_its_kind() -> None:
    start = [ev("step_started", 3), ev("phase_changed", 3, breath="inhale")]
    phrase = phrase_of(start, utterances(start, ROUTINE, "breaths"), 0.3)
    assert phrase is not None and phrase.text == "Slow breaths. In." and phrase.kind == "step"
    switch = [ev("side_switched", 2, side="right")]
    assert phrase_of(switch, ["Switch."]).kind == "switch"  # type: ignore[union-attr]
    breath = [ev("phase_changed", 3, breath="exhale")]
    assert phrase_of(breath, ["Out."]).kind == "cue"  # type: ignore[union-attr]
    rep = [ev("rep_release", 2, rep=1, reps=3)]
    assert phrase_of(rep, ["Release."]).kind == "cue"  # type: ignore[union-attr]
    assert phrase_of(breath, []) is None


# --- WAV to samples ------------------------------------------------------------------------


def make_wav(freq: float, seconds: float, rate: int, channels: int = 1, width: int = 2) -> bytes:
    n = round(seconds * rate)
    frames = bytearray()
    for i in range(n):
        value = math.sin(2 * math.pi * freq * i / rate)
        for _ in range(channels):
            if width == 1:
                frames += bytes([128 + round(100 * value)])
            else:
                frames += round(20_000 * value).to_bytes(width, "little", signed=True)
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(width)
        wav.setframerate(rate)
        wav.writeframes(bytes(frames))
    return out.getvalue()


@pytest.mark.parametrize(("rate", "channels", "width"), [(22_050, 1, 2), (16_000, 2, 2), (44_100, 1, 1)])
def test_wav_is_resampled_to_the_players_rate(rate: int, channels: int, width: int) -> None:
    samples = wav_to_samples(make_wav(440.0, 0.5, rate, channels, width), SAMPLE_RATE)
    assert samples.typecode == "h"
    assert len(samples) == pytest.approx(0.5 * SAMPLE_RATE, abs=2)
    assert zero_crossing_freq(samples, 0.05, 0.45) == pytest.approx(440, rel=0.01)


def test_espeak_streaming_header_is_read_to_the_end() -> None:
    # espeak-ng --stdout writes 0x7fffffff as the sizes: the data runs to the end of the stream.
    data = bytearray(make_wav(300.0, 0.2, 22_050))
    data[4:8] = (0x7FFFFFFF).to_bytes(4, "little")
    data[40:44] = (0x7FFFF000).to_bytes(4, "little")
    samples = wav_to_samples(bytes(data), SAMPLE_RATE)
    assert len(samples) == pytest.approx(0.2 * SAMPLE_RATE, abs=2)


@pytest.mark.parametrize("data", [b"", b"RIFF", b"not a wav at all" * 10])
def test_not_a_wav_is_voice_unavailable(data: bytes) -> None:
    with pytest.raises(VoiceUnavailable):
        wav_to_samples(data, SAMPLE_RATE)


# --- espeak-ng, injected ---------------------------------------------------------------------


class FakeEspeak:
    """A runner that answers like espeak-ng (a 22 050 Hz WAV, 0.1 s a word), or fails."""

    def __init__(self, fail: BaseException | None = None, per_word: float = 0.1) -> None:
        self.fail = fail
        self.per_word = per_word
        self.calls: list[list[str]] = []

    def __call__(self, argv: Sequence[str], timeout: float) -> bytes:
        self.calls.append(list(argv))
        if self.fail is not None:
            raise self.fail
        words = len(argv[-1].split())
        return make_wav(200.0, self.per_word * words, 22_050)


def synthesizer(runner: FakeEspeak, found: bool = True) -> Synthesizer:
    return Synthesizer(runner=runner, which=lambda name: f"/usr/bin/{name}" if found else None)


def test_synthesizer_runs_espeak_without_a_shell_and_caches() -> None:
    runner = FakeEspeak()
    synth = synthesizer(runner)
    first = synth.pcm("-v Settle in.", 70)
    assert synth.pcm("-v Settle in.", 70) == first
    assert runner.calls == [["/usr/bin/espeak-ng", "--stdout", "-s", "150", "--", "-v Settle in."]]
    samples = array.array("h")
    samples.frombytes(first)
    assert len(samples) == pytest.approx(0.3 * SAMPLE_RATE, abs=2)
    assert max(map(abs, samples)) == round(0.5 * 0.7 * 32_767)  # speech level × volume


def test_synthesizer_cache_is_small() -> None:
    runner = FakeEspeak()
    synth = Synthesizer(runner=runner, which=lambda n: n, cache_size=2)
    for text in ("a", "b", "c", "a"):
        synth.pcm(text)
    assert [c[-1] for c in runner.calls] == ["a", "b", "c", "a"]  # "a" was dropped for "c"


@pytest.mark.parametrize(
    "fail",
    # Raised by the runner: not runnable; subprocess's TimeoutExpired and CalledProcessError.
    [OSError("no such file"), PermissionError("denied"), RUN_ERRORS[1]("timed out")],
)  # fmt: skip
def test_synthesizer_failures_are_voice_unavailable(fail: BaseException) -> None:
    with pytest.raises(VoiceUnavailable, match="espeak-ng failed"):
        synthesizer(FakeEspeak(fail)).pcm("Hello.")
    with pytest.raises(VoiceUnavailable, match="not installed"):
        synthesizer(FakeEspeak(), found=False).pcm("Hello.")


# --- the voice with a stand-in simpleaudio ----------------------------------------------------


class FakePlay:
    def __init__(self, seconds: float) -> None:
        self.started = time.monotonic()
        self.until = self.started + seconds
        self.stopped = False

    def is_playing(self) -> bool:
        return not self.stopped and time.monotonic() < self.until

    def stop(self) -> None:
        self.stopped = True


class FakeSimpleaudio:
    def __init__(self) -> None:
        self.calls: list[bytes] = []
        self.objects: list[FakePlay] = []
        self.lock = threading.Lock()

    def play_buffer(self, data: bytes, channels: int, width: int, rate: int) -> FakePlay:
        assert (channels, width, rate) == (1, 2, SAMPLE_RATE)
        with self.lock:
            self.calls.append(bytes(data))
            obj = FakePlay(len(data) / 2 / rate)
            self.objects.append(obj)
        return obj


@pytest.fixture
def sa(monkeypatch: pytest.MonkeyPatch) -> FakeSimpleaudio:
    fake = FakeSimpleaudio()
    monkeypatch.setitem(sys.modules, "simpleaudio", fake)
    return fake


def voiced(level: str, runner: FakeEspeak, found: bool = True) -> tuple[Player, Voice]:
    player = Player("auto", volume=100)
    voice = Voice(player, level, synthesizer=synthesizer(runner, found))
    player._voice, player._voice_level = voice, level  # the player's own voice, injected
    return player, voice


def speech(runner: FakeEspeak, text: str) -> bytes:
    """The bytes the voice plays for `text` (the same stand-in espeak-ng, volume 100)."""
    return synthesizer(runner).pcm(text, 100)


def test_practice_plays_the_tone_then_the_phrase(sa: FakeSimpleaudio) -> None:
    runner = FakeEspeak()
    player, voice = voiced("titles", runner)
    practice = Practice(ROUTINE, player=player, lead_in=3.0)
    practice.start(0.0)
    practice.poll(0.0)  # the lead-in's first second
    assert voice.wait_idle(30.0)
    assert sa.calls[0] == cue_bytes("tick", 100)
    assert sa.calls[1] == speech(runner, "Three.")
    for now in (1.0, 2.0, 3.0):
        practice.poll(now)
        assert voice.wait_idle(30.0)
    assert sa.calls[-2] == cue_bytes("bell", 100)  # the tone first...
    assert sa.calls[-1] == speech(runner, "Settle in.")  # ...then the phrase
    player.close()


def test_missing_espeak_gives_one_notice_and_the_tones_go_on(sa: FakeSimpleaudio) -> None:
    runner = FakeEspeak()
    player, voice = voiced("breaths", runner, found=False)
    practice = Practice(ROUTINE, player=player, lead_in=3.0)
    practice.start(0.0)
    for tenth in range(0, 250, 5):
        practice.poll(tenth / 10)
        voice.wait_idle(30.0)
    assert runner.calls == []  # espeak-ng was never run: it is not there
    assert voice.failed and not voice.on
    assert practice.sound_notice() == NOTICE_NO_ESPEAK
    assert practice.sound_notice() is None  # one notice
    # The tones went on (lead-in, steps, side, the box's bell then its first inhale and
    # hold); no speech.
    tones = ("tick", "tick", "tick", "bell", "bell", "switch", "bell", "inhale", "hold")
    assert sa.calls == [cue_bytes(n, 100) for n in tones]
    assert player.active_backend == "simpleaudio"
    player.close()


def test_failing_espeak_says_so_once(sa: FakeSimpleaudio) -> None:
    runner = FakeEspeak(fail=RUN_ERRORS[1]("exit status 1"))
    player, voice = voiced("titles", runner)
    voice.follow([ev("step_started", 1)], ROUTINE, "bell")
    voice.wait_idle(30.0)
    voice.follow([ev("step_started", 2)], ROUTINE, "bell")
    voice.wait_idle(30.0)
    assert len(runner.calls) == 1
    assert player.take_notice() == NOTICE_ESPEAK_FAILED and player.take_notice() is None
    assert sa.calls == []


def test_a_newer_phrase_replaces_an_unfinished_one(sa: FakeSimpleaudio) -> None:
    runner = FakeEspeak(per_word=0.5)
    _player, voice = voiced("instructions", runner)
    voice.follow([ev("step_started", 2, side="left")], ROUTINE)  # 3.5 s of speech
    voice.wait_idle(30.0)
    voice.follow([ev("time_warning", 2)], ROUTINE)
    voice.wait_idle(30.0)
    assert len(sa.objects) == 2
    assert sa.objects[0].stopped and not sa.objects[1].stopped
    voice.close()  # not player.close(): it would let "Ten seconds left." play out


def test_a_side_switch_is_never_cut(sa: FakeSimpleaudio) -> None:
    runner = FakeEspeak()
    player, voice = voiced("titles", runner)
    voice.follow([ev("side_switched", 2, side="right")], ROUTINE)  # 0.5 s
    voice.wait_idle(30.0)
    voice.follow([ev("time_warning", 2)], ROUTINE)
    voice.wait_idle(30.0)
    assert len(sa.objects) == 2
    assert not sa.objects[0].stopped  # it played out...
    assert sa.objects[1].started >= sa.objects[0].until - 0.01  # ...and "Ten seconds left." waited
    voice.follow([ev("side_switched", 2, side="left")], ROUTINE)
    voice.wait_idle(30.0)
    voice.follow([ev("rep_hold", 2, rep=1, reps=2)], ROUTINE)
    voice.wait_idle(30.0)
    assert len(sa.objects) == 3  # a rep's "Hold." is dropped: the tick marks it
    player.close()


def test_a_breath_word_does_not_cut_a_longer_phrase(sa: FakeSimpleaudio) -> None:
    runner = FakeEspeak(per_word=1.5)
    _player, voice = voiced("breaths", runner)
    voice.follow([ev("step_started", 3)], ROUTINE)  # 3 s
    voice.wait_idle(30.0)
    voice.follow([ev("phase_changed", 3, breath="exhale")], ROUTINE)
    voice.wait_idle(30.0)
    assert len(sa.objects) == 1 and not sa.objects[0].stopped
    voice.close()


def test_the_next_step_is_prepared_ahead(sa: FakeSimpleaudio) -> None:
    runner = FakeEspeak()
    player, voice = voiced("titles", runner)
    voice.follow([ev("step_started", 2, side="left")], ROUTINE)
    voice.wait_idle(30.0)
    asked = [c[-1] for c in runner.calls]
    assert asked[0] == "Neck circles. Left side."
    assert "Switch to the right side." in asked and "Slow breaths." in asked
    player.close()


def test_follow_never_waits_for_espeak(sa: FakeSimpleaudio) -> None:
    gate = threading.Event()
    answered = threading.Event()

    class SlowEspeak(FakeEspeak):
        def __call__(self, argv: Sequence[str], timeout: float) -> bytes:
            gate.wait(30.0)  # until the test lets it go (a follow that waited: 30 s, then fails)
            answered.set()
            return super().__call__(argv, timeout)

    player, voice = voiced("titles", SlowEspeak())
    voice.follow([ev("step_started", 1)], ROUTINE, "bell")
    assert not answered.is_set()  # follow returned while espeak was still held: it never waited
    gate.set()
    assert voice.wait_idle(30.0)
    player.close()


def test_muted_or_off_speaks_nothing(sa: FakeSimpleaudio) -> None:
    runner = FakeEspeak()
    player, voice = voiced("titles", runner)
    player.muted = True
    voice.follow([ev("step_started", 1)], ROUTINE)
    voice.wait_idle(1.0)
    assert runner.calls == [] and sa.calls == []
    assert Player("auto").voice is None  # "off" builds no voice at all
    player.close()


def test_a_phrase_of_several_utterances_is_their_cached_speech_joined(sa: FakeSimpleaudio) -> None:
    runner = FakeEspeak()
    _player, voice = voiced("breaths", runner)
    voice.follow([ev("lead_in", 1, count=3)], ROUTINE)  # prepares the first step's title
    voice.wait_idle(30.0)
    assert "Settle in." in [c[-1] for c in runner.calls]
    voice.follow([ev("step_started", 3), ev("phase_changed", 3, breath="inhale")], ROUTINE)
    voice.wait_idle(30.0)
    assert [c[-1] for c in runner.calls].count("Slow breaths.") == 1  # synthesized once
    gap = bytes(2 * round(0.05 * SAMPLE_RATE))
    assert sa.calls[-1] == speech(runner, "Slow breaths.") + gap + speech(runner, "In.")
    voice.close()


def test_the_phrase_waits_for_a_steps_first_tone_after_its_bell(monkeypatch: pytest.MonkeyPatch) -> None:
    """A step starting with a breath: the bell, its first tone FIRST_CUE_AFTER later
    (coach.practice), and only then the words, so the three never sound together."""
    from coach.practice import FIRST_CUE_AFTER

    _player, voice = voiced("breaths", FakeEspeak())
    monkeypatch.setattr(voice, "_ensure_thread", lambda: None)  # keep the phrase to look at
    events = [ev("step_started", 3), ev("phase_changed", 3, breath="inhale")]
    voice.follow(events, ROUTINE, "inhale", tone_at=FIRST_CUE_AFTER)
    voice.follow(events, ROUTINE, "bell")
    (first, _), (plain, _) = voice._said
    assert first.text == plain.text == "Slow breaths. In."
    assert first.after == pytest.approx(FIRST_CUE_AFTER + TONE_BEFORE_SPEECH)
    assert plain.after == pytest.approx(TONE_BEFORE_SPEECH)
