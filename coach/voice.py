"""Spoken guidance: what is said for each engine event, and saying it through espeak-ng.

Three parts, each usable alone:

- `utterances(events, routine, level)`: a pure function from engine events to the phrases
  to speak at a voice level ("off", "titles", "instructions", "breaths").
- `Synthesizer`: text → 16-bit mono PCM at the cue player's rate (`Player.rate`, 44.1 kHz),
  by running Debian's `espeak-ng --stdout` (no shell, text after `--`, a timeout), parsing
  its WAV with `wave` and resampling (`wav_to_samples`). A small cache of phrases.
- `Voice`: speaks phrases through a `coach.audio.Player` (the same simpleaudio path as the
  cues) from one background thread, so neither the screen nor the engine ever waits for
  espeak-ng. The next step's phrases are synthesized ahead. Without espeak-ng: one notice
  through the player's notice, and the tones go on.

No Textual, no pydantic; the clock and the process runner are injectable for tests.
"""

from __future__ import annotations

import array
import io
import re
import shutil
import subprocess
import sys
import threading
import time
import wave
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from coach.audio import Player
    from coach.routine import Routine
    from coach.session import Event

__all__ = [
    "VOICE_LEVELS",
    "Phrase",
    "Synthesizer",
    "Voice",
    "VoiceLevel",
    "VoiceUnavailable",
    "phrase_for",
    "utterances",
    "voice_level",
    "wav_to_samples",
]

VoiceLevel = Literal["off", "titles", "instructions", "breaths"]
# Each level says everything the one before it says, and more.
VOICE_LEVELS: tuple[VoiceLevel, ...] = ("off", "titles", "instructions", "breaths")
VOICE_LEVEL_NAMES: dict[str, str] = {
    "off": "Off",
    "titles": "Step titles and counts",
    "instructions": "Titles and instructions",
    "breaths": "Instructions and breaths",
}

NOTICE_NO_ESPEAK = "Voice unavailable (espeak-ng is not installed); tones go on."
NOTICE_ESPEAK_FAILED = "Voice unavailable (espeak-ng failed); tones go on."

# Words for the breath phases (coach.breathing's phase names); short, so they fit a phase.
BREATH_SPOKEN = {"inhale": "In.", "top-up": "In.", "hold": "Hold.", "exhale": "Out.", "hold-out": "Hold."}
COUNT_SPOKEN = {1: "One.", 2: "Two.", 3: "Three.", 4: "Four.", 5: "Five."}
RELIEF_SPOKEN = {
    "gentler": "Gentler version.",
    "lighter": "Lighter pressure.",
    "skip": "Skipping this step.",
    "end": "Ending the session.",
}
# Long instructions are cut (a step's instruction is at most a few sentences; this keeps
# one phrase under about 40 seconds of speech at 150 words a minute).
MAX_SPOKEN_CHARS = 600


def voice_level(setting: str, flag: bool | None) -> VoiceLevel:
    """The level for one run: `flag` is `coach run --voice` (True), `--no-voice` (False) or
    neither (None). `--voice` keeps a chosen level and turns "off" into "titles"."""
    level: VoiceLevel = setting if setting in VOICE_LEVELS else "off"  # type: ignore[assignment]
    if flag is None:
        return level
    if not flag:
        return "off"
    return level if level != "off" else "titles"


# --- what is said ------------------------------------------------------------------------------


def _at_least(level: str, wanted: VoiceLevel) -> bool:
    return level in VOICE_LEVELS and VOICE_LEVELS.index(level) >= VOICE_LEVELS.index(wanted)  # type: ignore[arg-type]


def _step(routine: Routine, event: Event) -> Any:
    steps = routine.steps
    index = event.step_number - 1
    return steps[index] if 0 <= index < len(steps) else None


def _side_words(side: str | None) -> str:
    return f"{side} side" if side in ("left", "right") else ""


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    return text if text[-1] in ".!?…" else text + "."


def plain_text(text: str) -> str:
    """`text` made fit to be spoken: whitespace and control characters become single spaces,
    the rest is `coach.text.visible` (nothing hidden reaches espeak-ng), cut to
    MAX_SPOKEN_CHARS at a word."""
    from coach.text import visible

    text = visible(re.sub(r"[\s\x00-\x1f\x7f-\x9f]+", " ", text)).strip()
    if len(text) > MAX_SPOKEN_CHARS:
        text = text[:MAX_SPOKEN_CHARS].rsplit(" ", 1)[0]
    return text


def instruction_for(event: Event, routine: Routine, level: str) -> str | None:
    """A step's instruction when `event` starts the step and `level` says instructions."""
    step = _step(routine, event)
    if event.kind != "step_started" or step is None or not _at_least(level, "instructions"):
        return None
    instruction = getattr(step, "instruction", None)
    return _sentence(plain_text(instruction)) or None if instruction else None


def phrase_for(event: Event, routine: Routine, level: str) -> str | None:
    """What is said for one event at `level` (its instruction aside: `instruction_for`),
    or None. See `utterances`."""
    if not _at_least(level, "titles"):
        return None
    kind = event.kind
    step = _step(routine, event)
    if kind == "step_started" and step is not None:
        words = [_sentence(plain_text(step.title))]
        if event.side in ("left", "right"):
            words.append(_sentence(_side_words(event.side).capitalize()))
        return " ".join(w for w in words if w)
    if kind == "side_switched":
        return _sentence(f"Switch to the {_side_words(event.side) or 'other side'}")
    if kind == "time_warning":
        return "Ten seconds left."
    if kind == "lead_in":
        return COUNT_SPOKEN.get(int(getattr(event, "count", 0) or 0))
    if kind == "rep_hold":
        return "Hold."
    if kind == "rep_release":
        return "Release."
    if kind == "relief_chosen":
        return RELIEF_SPOKEN.get(str(getattr(event, "choice", "")))
    if kind == "gentler_changed":
        return "Gentler version." if getattr(event, "on", False) else "Usual version."
    if kind == "finished":
        return "Session complete."
    if kind == "phase_changed" and event.breath is not None and _at_least(level, "breaths"):
        return BREATH_SPOKEN.get(event.breath)
    return None


def utterances(events: Iterable[Event], routine: Routine, level: str) -> list[str]:
    """The phrases to speak for `events` (one poll's worth, in order) at `level`.

    off           nothing.
    titles        a step's title (and its side: "Left side."), "Switch to the right side.",
                  "Ten seconds left.", the lead-in count ("Three." "Two." "One."), a rep's
                  "Hold." / "Release.", what was chosen after "too much", the gentler version
                  on or off, "Session complete.".
    instructions  as titles, and each step's instruction: after everything else of the same
                  poll, so that a first rep's "Hold." or a first "In." is said on time.
    breaths       as instructions, and each breath phase: "In.", "Hold.", "Out.".

    Text from the routine is made plain (`plain_text`). Unknown levels say nothing."""
    said: list[str | None] = []
    pending: str | None = None  # the instruction, until its step's own cue words are said
    pending_step = 0
    for event in events:
        if pending is not None and (event.step_number != pending_step or event.kind not in CUE_WORD_EVENTS):
            said.append(pending)
            pending = None
        said.append(phrase_for(event, routine, level))
        if pending is not None and event.kind in CUE_WORD_EVENTS:  # one cue word goes first
            said.append(pending)
            pending = None
        instruction = instruction_for(event, routine, level)
        if instruction is not None:
            pending, pending_step = instruction, event.step_number
    said.append(pending)
    return [text for text in said if text]


# --- WAV to the player's samples ----------------------------------------------------------------


class VoiceUnavailable(Exception):
    """espeak-ng is missing, failed, timed out, or gave something that is not a WAV."""


def wav_to_samples(data: bytes, rate: int) -> array.array[int]:
    """Samples (16-bit signed, mono) at `rate` Hz from the WAV file in `data`.

    Accepts 8-, 16- and 32-bit PCM, any number of channels (averaged), any rate (resampled
    by linear interpolation). espeak-ng --stdout writes a header whose sizes say "as long as
    the stream" (0x7fffffff): the data is read to its end, not by the header's count.
    Raises VoiceUnavailable for bytes that are not a PCM WAV."""
    try:
        with wave.open(io.BytesIO(data), "rb") as wav:
            channels, width, source_rate = wav.getnchannels(), wav.getsampwidth(), wav.getframerate()
            chunks = []
            while chunk := wav.readframes(65_536):
                chunks.append(chunk)
    except (wave.Error, EOFError, ValueError) as exc:
        raise VoiceUnavailable(f"not a WAV file: {exc}") from None
    raw = b"".join(chunks)
    if width == 1:  # unsigned 8-bit
        values = [(b - 128) << 8 for b in raw]
    elif width in (2, 4):
        typecode = "h" if width == 2 else "i"
        wide = array.array(typecode)
        wide.frombytes(raw[: len(raw) - len(raw) % width])
        if sys.byteorder == "big":
            wide.byteswap()
        values = list(wide) if width == 2 else [v >> 16 for v in wide]
    else:
        raise VoiceUnavailable(f"unsupported WAV sample width: {width} bytes")
    if channels > 1:
        frames = range(0, len(values) - channels + 1, channels)
        values = [sum(values[i : i + channels]) // channels for i in frames]
    if source_rate <= 0:
        raise VoiceUnavailable("WAV rate is 0")
    return array.array("h", _resample(values, source_rate, rate))


def _resample(values: Sequence[int], source: int, target: int) -> list[int]:
    """Linear interpolation from `source` Hz to `target` Hz (speech needs no better: espeak-ng
    has nothing above 11 kHz at its 22 050 Hz)."""
    if source == target or not values:
        return list(values)
    count = max(1, round(len(values) * target / source))
    step = source / target
    last = len(values) - 1
    out = []
    for i in range(count):
        pos = i * step
        j = int(pos)
        if j >= last:
            out.append(values[last])
            continue
        frac = pos - j
        a = values[j]
        out.append(round(a + (values[j + 1] - a) * frac))
    return out


# --- espeak-ng ---------------------------------------------------------------------------------


class Runner(Protocol):
    """Runs a command (argv, no shell) with a timeout; returns its stdout or raises
    (OSError, subprocess.SubprocessError)."""

    def __call__(self, argv: Sequence[str], timeout: float) -> bytes: ...


# What running espeak-ng may raise: not found or not runnable, a timeout, a failing exit.
RUN_ERRORS: tuple[type[Exception], ...] = (OSError, subprocess.SubprocessError)


def run_quietly(argv: Sequence[str], timeout: float) -> bytes:
    """Run `argv` with no stdin, stdout captured and stderr discarded (espeak-ng's messages
    must never reach the terminal); raises CalledProcessError on a non-zero exit."""
    done = subprocess.run(  # an argv list, no shell; the text comes after "--"
        list(argv),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        timeout=timeout,
        check=True,
    )
    return done.stdout


# Speech level relative to full scale: a little under the signal cues' 0.55-0.6 peaks.
SPEECH_LEVEL = 0.5
# Words a minute: slower than espeak-ng's 175, for someone following with eyes closed.
WORDS_PER_MINUTE = 150


class Synthesizer:
    """Text → little-endian 16-bit mono PCM at `rate` through espeak-ng, with a cache of the
    last `cache_size` phrases (keyed by text and volume). Thread-safe.

    command: the program (found on PATH); runner: how it is run (tests inject a fake);
    timeout: seconds one phrase may take. `pcm` raises VoiceUnavailable."""

    def __init__(
        self,
        *,
        command: str = "espeak-ng",
        runner: Runner = run_quietly,
        rate: int = 44_100,
        timeout: float = 5.0,
        cache_size: int = 64,
        which: Callable[[str], str | None] = shutil.which,
    ) -> None:
        self.command = command
        self.rate = rate
        self._runner = runner
        self._timeout = timeout
        self._which = which
        self._cache: OrderedDict[tuple[str, int], bytes] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._path: str | None = None

    def available(self) -> bool:
        """espeak-ng is on PATH (it may still fail when run)."""
        return self._find() is not None

    def _find(self) -> str | None:
        if self._path is None:
            self._path = self._which(self.command)
        return self._path

    def cached(self, text: str, volume: int) -> bool:
        """The phrase is ready: `pcm` will not run espeak-ng."""
        with self._lock:
            return (text, volume) in self._cache

    def pcm(self, text: str, volume: int = 100) -> bytes:
        """The phrase as PCM bytes at `volume` (0-100): from the cache, or espeak-ng."""
        key = (text, volume)
        with self._lock:
            data = self._cache.get(key)
            if data is not None:
                self._cache.move_to_end(key)
                return data
        program = self._find()
        if program is None:
            raise VoiceUnavailable(NOTICE_NO_ESPEAK)
        argv = [program, "--stdout", "-s", str(WORDS_PER_MINUTE), "--", text]
        try:
            wav = self._runner(argv, self._timeout)
        except RUN_ERRORS as exc:
            raise VoiceUnavailable(f"{NOTICE_ESPEAK_FAILED} ({type(exc).__name__})") from None
        samples = wav_to_samples(wav, self.rate)
        data = _scaled(samples, SPEECH_LEVEL * volume / 100)
        with self._lock:
            self._cache[key] = data
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return data


def _scaled(samples: array.array[int], level: float) -> bytes:
    """Samples scaled so that the peak is `level` of full scale, as little-endian bytes."""
    top = max(max(samples, default=0), -min(samples, default=0)) or 1
    factor = level * 32_767 / top
    out = array.array("h", (max(-32_768, min(32_767, round(s * factor))) for s in samples))
    if sys.byteorder == "big":
        out.byteswap()
    return out.tobytes()


# --- speaking -----------------------------------------------------------------------------------

PhraseKind = Literal["step", "switch", "cue"]
# Events whose words only name what the tone already marks: a breath phase, a rep's hold
# or release. Such a phrase never cuts a longer one (it is dropped instead).
CUE_WORD_EVENTS = frozenset({"phase_changed", "rep_hold", "rep_release"})


@dataclass(frozen=True)
class Phrase:
    """One thing to say. kind: "switch" (a side switch: never cut, a newer phrase waits for
    it), "cue" (a breath or rep word: dropped rather than cut a longer phrase; the tone
    already marks the moment), "step" (anything else: replaces what is being said). `after`: seconds
    to wait first (the cue tone for the same event plays in that time). `parts`: the
    utterances it joins, synthesized (and cached, or prepared ahead) one by one."""

    parts: tuple[str, ...]
    kind: PhraseKind = "step"
    after: float = 0.0

    @property
    def text(self) -> str:
        """What is said, as one line."""
        return " ".join(self.parts)


def phrase_of(events: Sequence[Event], texts: Sequence[str], after: float = 0.0) -> Phrase | None:
    """One poll's utterances as one phrase (so that its title is not cut by its first
    breath word), with the kind its events give it."""
    if not texts:
        return None
    kinds = {event.kind for event in events}
    if "side_switched" in kinds:
        kind: PhraseKind = "switch"
    elif all(event.kind in CUE_WORD_EVENTS for event in events):
        kind = "cue"
    else:
        kind = "step"
    return Phrase(tuple(texts), kind, after)


# A tone and the phrase for the same event: the tone marks the moment, the phrase follows
# when the tone's attack is over, at most this late (the bell rings on for 0.5 s; a breath
# tone glides for 0.7 s, and a word that late would lag the breath it names).
TONE_BEFORE_SPEECH = 0.3
# Silence between the utterances of one phrase (espeak-ng ends each with ~0.4 s of its own).
PART_GAP = 0.05
# A side switch is never cut; a newer phrase waits for it at most this long.
SWITCH_WAIT = 6.0


class Voice:
    """Speaks through `player` at `level`, from one background thread.

    `follow(events, routine, cue)` is what `coach.practice.Practice` calls after each poll:
    it never blocks. Speech never overlaps itself: a newer phrase stops an unfinished older
    one, except a side switch, which a newer phrase waits for; a breath or rep word never cuts a
    longer phrase. The next step's phrases are synthesized while the current step runs.
    The first time espeak-ng is missing or fails, the player gets one notice and the voice
    falls silent for good; cues are untouched."""

    def __init__(
        self,
        player: Player,
        level: str = "titles",
        *,
        synthesizer: Synthesizer | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.player = player
        self.level: str = level if level in VOICE_LEVELS else "off"
        self.synthesizer = synthesizer if synthesizer is not None else Synthesizer(rate=player.rate)
        self._clock = clock
        self._cond = threading.Condition()
        self._said: list[tuple[Phrase, float]] = []  # waiting to be said, with when asked
        self._ahead: list[str] = []  # to synthesize ahead
        self._thread: threading.Thread | None = None
        self._closed = False
        self.failed = False
        self._current_switch_end = 0.0  # monotonic time the side switch being said ends

    @property
    def on(self) -> bool:
        """Speaking at all: a level above "off", espeak-ng not failed, the voice not closed."""
        return self.level != "off" and not self.failed and not self._closed and not self.player.muted

    # -- what the practice calls --

    def follow(
        self, events: Sequence[Event], routine: Routine, cue: str | None = None, *, tone_at: float = 0.0
    ) -> None:
        """Speak what `events` call for at this level (after `cue`'s tone, if one played),
        and prepare the next step's phrases. Returns at once. `tone_at`: real seconds from
        now at which `cue` begins (a step's first breath tone or hold tick follows its bell,
        coach.practice.FIRST_CUE_AFTER): the phrase waits for that tone too, so that a bell,
        its first tone and the words never sound on top of each other."""
        if not self.on:
            return
        texts = utterances(events, routine, self.level)
        after = 0.0
        if cue is not None:
            after = max(0.0, tone_at) + min(self.player.cue_seconds(cue), TONE_BEFORE_SPEECH)
        phrase = phrase_of(events, texts, after)
        ahead: list[str] = []
        for event in events:
            if event.kind in ("step_started", "side_switched"):
                ahead.extend(self.upcoming(event, routine))
            elif event.kind == "lead_in" and getattr(event, "count", 0) == 3:
                ahead.extend(self.starting(event, routine))
        with self._cond:
            if phrase is not None:
                self._said.append((phrase, self._clock()))
            self._ahead.extend(ahead)
            self._cond.notify()
        self._ensure_thread()

    def starting(self, event: Event, routine: Routine) -> list[str]:
        """The phrases of the step a lead-in leads into, for synthesis ahead."""
        from coach.session import Event as EngineEvent

        step = _step(routine, event)
        if step is None:
            return []
        side = step.sides[0] if step.sides else None
        started = EngineEvent("step_started", 0.0, event.step_number, side=side)
        return utterances([started], routine, self.level)

    def upcoming(self, event: Event, routine: Routine) -> list[str]:
        """The phrases the next step (or the other side) will need, for synthesis ahead."""
        from coach.session import Event as EngineEvent

        step = _step(routine, event)
        texts: list[str] = []
        if step is not None and event.side == "left" and len(step.sides) > 1:
            switched = EngineEvent("side_switched", 0.0, event.step_number, side="right")
            texts += utterances([switched], routine, self.level)
        if event.step_number < len(routine.steps):
            following = routine.steps[event.step_number]
            side = following.sides[0] if following.sides else None
            started = EngineEvent("step_started", 0.0, event.step_number + 1, side=side)
            texts += utterances([started], routine, self.level)
        return texts

    def prepare(self, texts: Iterable[str] = ()) -> None:
        """Synthesize `texts` and the short common phrases in the background (start-up)."""
        if not self.on:
            return
        common = [*COUNT_SPOKEN.values(), "Hold.", "Release.", "Ten seconds left."]
        if _at_least(self.level, "breaths"):
            common += sorted(set(BREATH_SPOKEN.values()))
        with self._cond:
            self._ahead.extend([*texts, *common])
            self._cond.notify()
        self._ensure_thread()

    def close(self, *, wait: bool = True) -> None:
        """Stop the thread (what is playing plays out through the player's own close).
        `wait`: join the thread (at most 2 s); changing the setting does not wait."""
        with self._cond:
            self._closed = True
            self._said.clear()
            self._ahead.clear()
            self._cond.notify()
        thread = self._thread
        if wait and thread is not None and thread is not threading.current_thread():
            thread.join(timeout=2.0)

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Wait until nothing is waiting to be said or synthesized (tests, the end)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while (self._said or self._ahead or self._busy) and not self._closed:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.05))
        return True

    # -- the thread --

    _busy = False

    def _ensure_thread(self) -> None:
        with self._cond:
            if self._thread is None and not self._closed:
                self._thread = threading.Thread(target=self._work, name="coach-voice", daemon=True)
                self._thread.start()

    def _work(self) -> None:
        while True:
            with self._cond:
                while not (self._said or self._ahead or self._closed):
                    self._cond.wait()
                if self._closed:
                    return
                job = self._next_job()
                self._busy = True
            try:
                if isinstance(job, tuple):
                    self._say(*job)
                else:
                    self._synthesize(job)
            except VoiceUnavailable as exc:
                self._fail(str(exc))
            except Exception:  # speech is never worth a crash
                pass
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def _next_job(self) -> tuple[Phrase, float] | str:
        """A phrase first (only the newest, plus any side switch before it), else one text to
        prepare. Called with the lock held."""
        if self._said:
            newest = self._said[-1]
            keep = [item for item in self._said[:-1] if item[0].kind == "switch"]
            self._said = [*keep[1:], newest] if keep else []
            return keep[0] if keep else newest
        return self._ahead.pop(0)

    def _synthesize(self, text: str) -> None:
        volume = self.player.volume
        if not self.synthesizer.cached(text, volume):
            self.synthesizer.pcm(text, volume)

    def _say(self, phrase: Phrase, asked: float) -> None:
        volume = self.player.volume
        gap = bytes(2 * round(PART_GAP * self.synthesizer.rate))
        data = gap.join(self.synthesizer.pcm(part, volume) for part in phrase.parts)
        wait = asked + phrase.after - self._clock()
        if wait > 0:
            self._newer_waiting(wait)  # the tone plays meanwhile
        # A side switch being said is never cut: wait for its end.
        switch_left = self._current_switch_end - self._clock()
        if switch_left > 0:
            if phrase.kind == "cue":
                return
            self._sleep_until(self._clock() + min(switch_left, SWITCH_WAIT))
        with self._cond:
            if self._closed or (phrase.kind != "switch" and any(p.kind != "cue" for p, _ in self._said)):
                return  # a newer phrase came meanwhile: it replaces this one
        if phrase.kind == "cue" and self.player.speaking():
            return  # the tone marks the moment; a longer phrase is not cut for a word
        seconds = len(data) / 2 / self.synthesizer.rate
        if self.player.speak(data, seconds) and phrase.kind == "switch":
            self._current_switch_end = self._clock() + seconds

    def _newer_waiting(self, seconds: float) -> bool:
        """Wait up to `seconds` for the tone; True (at once) if a newer phrase arrives."""
        deadline = self._clock() + seconds
        with self._cond:
            while not self._said and not self._closed:
                left = deadline - self._clock()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    def _sleep_until(self, deadline: float) -> None:
        """Wait until `deadline` (the voice's clock) or until the voice is closed; newer
        phrases do not cut the wait short."""
        with self._cond:
            while not self._closed:
                left = deadline - self._clock()
                if left <= 0:
                    return
                self._cond.wait(left)

    def _fail(self, reason: str) -> None:
        if self.failed:
            return
        self.failed = True
        notice = NOTICE_NO_ESPEAK if reason == NOTICE_NO_ESPEAK else NOTICE_ESPEAK_FAILED
        self.player.tell(notice)
        with self._cond:
            self._said.clear()
            self._ahead.clear()
