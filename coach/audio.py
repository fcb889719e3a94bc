"""Sound cues: synthesized in memory, played without blocking, never a crash or a stray line.

Cues are 16-bit signed mono at 44.1 kHz, built in pure Python (no numpy) on first use and
cached. `Player` sends them to simpleaudio (the optional `audio` extra); where simpleaudio is
missing or there is no sound device it falls back once to the terminal bell (or silence) and
records one `notice` for the UI to show.

Importing this module is cheap: simpleaudio is imported, and cues are built, only when needed.
"""

from __future__ import annotations

import array
import cmath
import functools
import math
import sys
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import accumulate, repeat
from operator import add, attrgetter, mul
from types import MappingProxyType
from typing import Any, Literal, TextIO

__all__ = [
    "BELL_CUES",
    "CUES",
    "CUE_NAMES",
    "SAMPLE_RATE",
    "Backend",
    "Cue",
    "Note",
    "Player",
    "cue_bytes",
    "cue_samples",
    "silence_alsa_messages",
]

SAMPLE_RATE = 44_100
FULL_SCALE = 32_767


@dataclass(frozen=True)
class Note:
    """One tone inside a cue: a sine (with optional overtones) under a fade-in/fade-out.

    The frequency glides linearly from `freq` to `end_freq` (a rising or falling tone).
    `decay` is the time constant (s) of an exponential fade, for struck sounds; None holds.
    """

    freq: float
    length: float
    start: float = 0.0
    end_freq: float | None = None
    decay: float | None = None
    attack: float = 0.005
    release: float = 0.02
    overtones: tuple[tuple[float, float], ...] = ()  # (multiple of freq, relative amplitude)


@dataclass(frozen=True)
class Cue:
    """A named sound: its notes, summed and scaled so the peak is `level` of full scale."""

    name: str
    notes: tuple[Note, ...]
    level: float

    @property
    def duration(self) -> float:
        """Seconds from the cue's start to the end of its last note."""
        return max(n.start + n.length for n in self.notes)

    @property
    def length(self) -> int:
        """Number of samples."""
        return max(_start_index(n) + _note_length(n) for n in self.notes)

    @property
    def peak(self) -> int:
        """Largest absolute sample value at volume 100."""
        return round(self.level * FULL_SCALE)


# Levels leave headroom and keep the breathing tones and the tick quieter than the signals.
_C5, _E5, _G5, _C6 = 523.25, 659.26, 783.99, 1046.50
CUES: Mapping[str, Cue] = MappingProxyType(
    {
        "bell": Cue(
            "bell",
            (Note(880.0, 0.5, decay=0.16, overtones=((2.0, 0.3), (3.0, 0.1))),),
            level=0.6,
        ),
        "switch": Cue(
            "switch",
            (
                Note(_G5, 0.12, release=0.015),
                Note(_C6, 0.12, start=0.18, release=0.015),
            ),
            level=0.55,
        ),
        "inhale": Cue(
            "inhale", (Note(330.0, 0.7, end_freq=550.0, attack=0.08, release=0.15),), level=0.4
        ),
        "exhale": Cue(
            "exhale", (Note(550.0, 0.7, end_freq=330.0, attack=0.08, release=0.15),), level=0.4
        ),
        "hold": Cue("hold", (Note(1000.0, 0.15, decay=0.03, attack=0.004),), level=0.25),
        # A rep's hold and release, and each second of the lead-in: shorter, softer and
        # higher than "hold", so that a rep and a breath hold are told apart.
        "tick": Cue("tick", (Note(1600.0, 0.08, decay=0.02, attack=0.004, release=0.015),), level=0.22),
        # A C major chord, written as C5 with E5, G5 and C6 above it: one note with
        # "overtones" costs a quarter of four separate notes to build.
        "finish": Cue(
            "finish",
            (
                Note(
                    _C5,
                    0.8,
                    decay=0.35,
                    attack=0.01,
                    release=0.1,
                    overtones=((_E5 / _C5, 1.0), (_G5 / _C5, 1.0), (_C6 / _C5, 0.6)),
                ),
            ),
            level=0.55,
        ),
    }
)
CUE_NAMES: tuple[str, ...] = tuple(CUES)

# Cues worth a terminal bell when there is no real sound: a bell on every breath or tick
# would be noise, not guidance.
BELL_CUES: frozenset[str] = frozenset({"bell", "switch", "finish"})


# --- synthesis -------------------------------------------------------------------------------


def _start_index(note: Note) -> int:
    return round(note.start * SAMPLE_RATE)


def _note_length(note: Note) -> int:
    return round(note.length * SAMPLE_RATE)


def _render_note(note: Note) -> array.array[float]:
    """The note's samples as floats.

    Each partial is the imaginary part of a rotating (and, for struck sounds, shrinking)
    phasor, computed by itertools.accumulate at C speed: pure Python, yet fast.
    """
    n = _note_length(note)
    rate = SAMPLE_RATE
    w0 = 2.0 * math.pi * note.freq / rate
    # A linear glide has phase(i) = w0*i + k*i^2, so the frequency moves from freq at the
    # first sample to end_freq at the last.
    end_freq = note.freq if note.end_freq is None else note.end_freq
    k = (2.0 * math.pi * end_freq / rate - w0) / (2.0 * n)
    q = 1.0 if note.decay is None else math.exp(-1.0 / (note.decay * rate))
    # Iterators chained lazily: one pass over the samples, no list per partial.
    phasors = _partial(n, w0, k, q, 1.0)
    for multiple, amp in note.overtones:
        phasors = map(add, phasors, _partial(n, w0 * multiple, k * multiple, q, amp))
    # Packed doubles, not a list of float objects: a quarter of the memory at the peak.
    wave = array.array("d", map(_imag, phasors))
    # Raised-cosine fades that reach exactly zero on the first and last sample: no clicks.
    a = max(1, min(n // 2, round(note.attack * rate)))
    r = max(1, min(n // 2, round(note.release * rate)))
    wave[:a] = array.array("d", map(mul, wave[:a], _fade(a)))
    wave[n - r :] = array.array("d", map(mul, wave[n - r :], reversed(_fade(r))))
    return wave


def _partial(n: int, w: float, k: float, q: float, amp: float) -> Iterator[complex]:
    """Phasors whose imaginary parts are amp * q**i * sin(w*i + k*i*i), i in range(n)."""
    # phase(i+1) - phase(i) = w + k*(2i + 1): the per-sample rotation is itself geometric.
    first = cmath.rect(q, w + k)
    if k == 0.0:
        steps: Iterable[complex] = repeat(first, n - 1)
    else:
        steps = accumulate(repeat(cmath.rect(1.0, 2.0 * k), n - 2), mul, initial=first)
    return accumulate(steps, mul, initial=complex(amp, 0.0))


_imag = attrgetter("imag")


@functools.cache
def _fade(m: int) -> tuple[float, ...]:
    """m samples rising from exactly 0 towards 1 along half a cosine."""
    return tuple(0.5 - 0.5 * math.cos(math.pi * i / m) for i in range(m))


def _synthesize(cue: Cue) -> array.array[int]:
    first, *rest = cue.notes
    buf = _render_note(first)
    if _start_index(first) != 0 or len(buf) != cue.length:
        buf = array.array("d", bytes(8 * cue.length))  # zeros
        rest = list(cue.notes)
    for note in rest:
        samples = _render_note(note)
        lo = _start_index(note)
        hi = lo + len(samples)
        buf[lo:hi] = array.array("d", map(add, buf[lo:hi], samples))
    top = max(max(buf), -min(buf)) or 1.0
    # float.__round__ skips round()'s dispatch: a third faster on long lists.
    return array.array("h", map(_round, map(mul, buf, repeat(cue.peak / top))))


_round = float.__round__


_cache: dict[str, array.array[int]] = {}
_bytes_cache: dict[tuple[str, int], bytes] = {}
_cache_lock = threading.Lock()


def cue_samples(name: str, volume: int = 100) -> array.array[int]:
    """The cue's samples at `volume` (0–100, linear in amplitude); built once, then cached."""
    if name not in CUES:
        raise ValueError(f"unknown sound cue {name!r}; known: {', '.join(CUE_NAMES)}")
    with _cache_lock:
        full = _cache.get(name)
        if full is None:
            full = _cache[name] = _synthesize(CUES[name])
    volume = _clamp_volume(volume)
    if volume == 100:
        return array.array("h", full)
    return array.array("h", map(_round, map(mul, full, repeat(volume / 100))))


def cue_bytes(name: str, volume: int = 100) -> bytes:
    """The cue as little-endian 16-bit PCM, as simpleaudio and ALSA's S16_LE expect."""
    key = (name, _clamp_volume(volume))
    data = _bytes_cache.get(key)
    if data is None:
        samples = cue_samples(*key)
        if sys.byteorder == "big":
            samples.byteswap()
        data = samples.tobytes()
        with _cache_lock:
            if len(_bytes_cache) > 4 * len(CUES):  # volumes change rarely: keep it small
                _bytes_cache.clear()
            _bytes_cache[key] = data
    return data


def _clamp_volume(volume: float) -> int:
    return max(0, min(100, round(volume)))


# --- keeping libasound quiet -------------------------------------------------------------------

# libasound writes its errors straight to fd 2, over the Textual screen, before simpleaudio
# raises. A do-nothing handler stops that. The CFUNCTYPE objects must outlive the library's use
# of them, so they live here for the life of the process.
_alsa_handlers: list[Any] = []
_alsa_lock = threading.Lock()


def silence_alsa_messages() -> bool:
    """Route libasound's messages to a do-nothing handler; True when one is registered.

    Idempotent and safe where libasound is absent (returns False).
    """
    with _alsa_lock:
        if _alsa_handlers:
            return True
        import ctypes

        try:
            lib = ctypes.CDLL("libasound.so.2")
        except OSError:
            return False
        # void (*)(const char *file, int line, const char *func, int err, const char *fmt, ...)
        error_type = ctypes.CFUNCTYPE(
            None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
        )
        handlers: list[Any] = []
        try:
            handler = error_type(_ignore)
            lib.snd_lib_error_set_handler(handler)
            handlers.append(handler)
        except AttributeError:
            pass
        # alsa-lib 1.2.15 routes messages through a log handler as well:
        # void (*)(int prio, int iface, const char *file, int line, const char *func,
        #          int errcode, const char *fmt, va_list arg)
        if hasattr(lib, "snd_lib_log_set_handler"):
            log_type = ctypes.CFUNCTYPE(
                None,
                ctypes.c_int,
                ctypes.c_int,
                ctypes.c_char_p,
                ctypes.c_int,
                ctypes.c_char_p,
                ctypes.c_int,
                ctypes.c_char_p,
                ctypes.c_void_p,
            )
            log_handler = log_type(_ignore)
            lib.snd_lib_log_set_handler.restype = ctypes.c_void_p
            lib.snd_lib_log_set_handler(log_handler)
            handlers.append(log_handler)
        _alsa_handlers.extend(handlers)
        return bool(handlers)


def _ignore(*_args: object) -> None:
    return None


# --- playback ---------------------------------------------------------------------------------

Backend = Literal["auto", "simpleaudio", "bell", "none"]
_BACKENDS = ("auto", "simpleaudio", "bell", "none")

NOTICE_NOT_INSTALLED = "Sound unavailable (simpleaudio is not installed)"
NOTICE_NO_DEVICE = "Sound unavailable (no audio device)"
_USING_BELL = "; using the terminal bell."
_SILENT = "; sound is off."

# How long past a cue's own length drain() allows for the device to finish and close.
_DRAIN_MARGIN = 0.25
# How long closing waits for the last phrase to be said (the session's end is spoken).
SPEECH_CLOSE_SECONDS = 3.0
_POLL = 0.01


class Player:
    """Plays cues by name, and speech (`speak`). Neither blocks nor raises for sound trouble.

    backend:
      "auto"         simpleaudio; if it cannot play, the terminal bell from then on.
      "simpleaudio"  simpleaudio; if it cannot play, silence from then on.
      "bell"         the terminal bell only (for BELL_CUES).
      "none"         silence.
    bell: what "ring the terminal bell" means, e.g. a Textual app's `App.bell`. By default
      "\\a" is written to `stream` (default sys.stdout), only when that stream is a tty.
    bell_cues: the cues that ring the bell when the bell stands in for sound.
    clock/sleep: monotonic time and waiting, injectable for tests.
    voice: the spoken guidance level ("off", "titles", "instructions", "breaths";
      `coach.voice`); the `Voice` is built on first use and reached as `player.voice`.
    """

    def __init__(
        self,
        backend: Backend = "auto",
        *,
        volume: float = 100,
        muted: bool = False,
        bell: Callable[[], None] | None = None,
        stream: TextIO | None = None,
        bell_cues: Collection[str] = BELL_CUES,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        voice: str = "off",
    ) -> None:
        if backend not in _BACKENDS:
            raise ValueError(f"unknown sound backend {backend!r}; known: {', '.join(_BACKENDS)}")
        self.backend: Backend = backend
        self._volume = _clamp_volume(volume)
        self.muted = muted
        self.notice: str | None = None
        self._notice_taken = False
        self._bell = bell
        self._stream = stream
        self.bell_cues = frozenset(bell_cues)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.RLock()
        self._closed = False
        # "simpleaudio" until it fails (resolved on first play), then "bell" or "none".
        self._active: str = "simpleaudio" if backend in ("auto", "simpleaudio") else backend
        self._sa: Any = None  # the simpleaudio module once imported
        self._playing: list[tuple[Any, float]] = []  # (PlayObject, monotonic end time)
        self._speech: tuple[Any, float] | None = None  # the phrase being said, and its end
        self._voice_level = voice
        self._voice: Any = None  # coach.voice.Voice, built when first asked for

    # -- settings --

    @property
    def volume(self) -> int:
        """The volume, 0-100 (a setter clamps to that range)."""
        return self._volume

    @volume.setter
    def volume(self, value: float) -> None:
        self._volume = _clamp_volume(value)

    @property
    def active_backend(self) -> str:
        """What actually sounds: "simpleaudio" (until it fails), "bell" or "none"."""
        return self._active

    rate = SAMPLE_RATE  # samples a second of everything played (cues and speech)

    @staticmethod
    def cue_seconds(cue: str) -> float:
        """How long the cue named `cue` sounds (0 for an unknown name)."""
        return CUES[cue].duration if cue in CUES else 0.0

    @property
    def voice(self) -> Any:
        """The `coach.voice.Voice` speaking through this player, or None when the level is
        "off" (built on first use: a session without voice never imports coach.voice)."""
        if self._voice_level == "off":
            return None
        if self._voice is None:
            from coach.voice import Voice

            self._voice = Voice(self, self._voice_level)
        return self._voice

    def set_voice(self, level: str) -> None:
        """Change the spoken guidance level (the settings screen); "off" stops the voice."""
        if level == self._voice_level:
            return
        self._voice_level = level
        if self._voice is not None:
            self._voice.close(wait=False)  # the settings screen never waits for a thread
            self._voice = None

    def tell(self, notice: str) -> None:
        """Set a notice for the UI (e.g. the voice's "espeak-ng is not installed"); it is
        given once by `take_notice`, like the fallback's."""
        with self._lock:
            if notice != self.notice:
                self.notice = notice
                self._notice_taken = False

    def take_notice(self) -> str | None:
        """The fallback notice the first time it is asked for after it is set, then None."""
        with self._lock:
            if self.notice is None or self._notice_taken:
                return None
            self._notice_taken = True
            return self.notice

    def prepare(self) -> None:
        """Load simpleaudio and build every cue now (e.g. in a worker thread at start-up) so
        that no later `play` pays for them. A missing simpleaudio falls back here already."""
        with self._lock:
            if self._active == "simpleaudio":
                self._load_simpleaudio()
        for name in CUE_NAMES:
            cue_bytes(name, self._volume)
        voice = self.voice
        if voice is not None and not self.muted:
            voice.prepare()  # in its own thread: returns at once

    # -- playing --

    def play(self, cue: str) -> None:
        """Start `cue` and return at once. Unknown names are a programming error (ValueError)."""
        if cue not in CUES:
            raise ValueError(f"unknown sound cue {cue!r}; known: {', '.join(CUE_NAMES)}")
        with self._lock:
            if self._closed or self.muted or self._volume == 0:
                return
            if self._active == "simpleaudio" and self._play_simpleaudio(cue):
                return
            if self._active == "bell" and cue in self.bell_cues:
                self._ring()

    def _play_simpleaudio(self, cue: str) -> bool:
        """True when simpleaudio took the cue; False after falling back (once, for good)."""
        if not self._load_simpleaudio():
            return False
        data = cue_bytes(cue, self._volume)
        now = self._clock()
        self._prune()
        try:
            play_obj = self._sa.play_buffer(data, 1, 2, SAMPLE_RATE)
        except Exception:
            speech = self._speech is not None and _alive(self._speech[0])
            if not self._playing and not speech:
                self._fall_back(NOTICE_NO_DEVICE)
                return False
            # A device without mixing may refuse a second stream while one plays: cut the
            # older cue (or phrase) and try once more before deciding the device is gone.
            self._stop_all()
            self._stop_speech()
            try:
                play_obj = self._sa.play_buffer(data, 1, 2, SAMPLE_RATE)
            except Exception:
                self._fall_back(NOTICE_NO_DEVICE)
                return False
        self._playing.append((play_obj, now + CUES[cue].duration))
        return True

    def speak(self, data: bytes, seconds: float) -> bool:
        """Play a phrase (16-bit mono PCM at SAMPLE_RATE, `seconds` long) in place of the one
        being said, if any; cues play alongside. True when simpleaudio took it; False when
        muted, at volume 0, closed, or without a sound device (then only the fallback's
        notice: no bell for speech)."""
        with self._lock:
            if self._closed or self.muted or self._volume == 0 or self._active != "simpleaudio":
                return False
            if not data:  # nothing to say (espeak-ng gave no audio): not a device failure
                return False
            if not self._load_simpleaudio():
                return False
            self._stop_speech()
            try:
                play_obj = self._sa.play_buffer(data, 1, 2, SAMPLE_RATE)
            except Exception:
                self._prune()
                if not self._playing:
                    self._fall_back(NOTICE_NO_DEVICE)
                return False
            self._speech = (play_obj, self._clock() + seconds)
            return True

    def speaking(self) -> bool:
        """A phrase is still being said."""
        with self._lock:
            return self._speech is not None and _alive(self._speech[0])

    def _stop_speech(self) -> None:
        if self._speech is not None and _alive(self._speech[0]):
            try:
                self._speech[0].stop()
            except Exception:
                pass
            self._speech = None

    def _load_simpleaudio(self) -> bool:
        if self._sa is None:
            try:
                import simpleaudio
            except Exception:  # ImportError, or OSError from a broken libasound
                self._fall_back(NOTICE_NOT_INSTALLED)
                return False
            # Before the first sound: libasound must not write over the screen.
            silence_alsa_messages()
            self._sa = simpleaudio
        return True

    def _fall_back(self, reason: str) -> None:
        if self.backend == "auto":
            self._active = "bell"
            self.notice = reason + _USING_BELL
        else:
            self._active = "none"
            self.notice = reason + _SILENT

    def _ring(self) -> None:
        try:
            if self._bell is not None:
                self._bell()
                return
            stream = self._stream if self._stream is not None else sys.stdout
            if stream is not None and stream.isatty():
                stream.write("\a")
                stream.flush()
        except Exception:  # a bell is never worth a crash
            pass

    def _prune(self) -> None:
        self._playing = [(p, end) for p, end in self._playing if _alive(p)]

    def _stop_all(self) -> None:
        for p, _end in self._playing:
            try:
                p.stop()
            except Exception:
                pass
        self._playing = []

    # -- ending --

    def drain(self, timeout: float | None = None) -> None:
        """Wait until the cues now playing have finished: at most their remaining length
        (plus a small margin for the device), and at most `timeout` seconds."""
        with self._lock:
            playing = list(self._playing)
            if self._speech is not None:
                playing.append(self._speech)
        if not playing:
            return
        now = self._clock()
        deadline = max(end for _p, end in playing) + _DRAIN_MARGIN
        if timeout is not None:
            deadline = min(deadline, now + timeout)
        while any(_alive(p) for p, _end in playing) and self._clock() < deadline:
            self._sleep(_POLL)
        with self._lock:
            self._prune()

    def close(self, timeout: float = 1.0) -> None:
        """Let the last cue play out (bounded by `timeout`), and the last phrase ("Session
        complete.", bounded by SPEECH_CLOSE_SECONDS), then stop anything left.
        Later `play` and `speak` calls do nothing."""
        with self._lock:
            voice = self._voice
        if voice is not None:
            voice.wait_idle(1.0)  # the last phrase reaches the device (it is ready in ms)
            voice.close()
        if self.speaking():
            timeout = max(timeout, SPEECH_CLOSE_SECONDS)
        with self._lock:
            self._closed = True
        self.drain(timeout)
        with self._lock:
            self._stop_all()
            self._stop_speech()

    def __enter__(self) -> Player:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _alive(play_obj: Any) -> bool:
    try:
        return bool(play_obj.is_playing())
    except Exception:
        return False
