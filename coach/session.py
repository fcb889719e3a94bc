"""The timing engine: a routine's timeline driven by a clock the caller passes in. No I/O.

The timeline is a list of segments, one per pass of a step (each side of a `side: "each"`
step is its own pass); breathing phases are computed inside a segment. Every command and
query takes `now`, a monotonic time in seconds. Everything shown is computed from `now`
and the time spent paused, never by counting calls, so polling at any interval, regular or
not, gives the same events and the same figures.

Vocabulary:
  active time   seconds spent running (paused time excluded) since `start`.
  position      seconds into the current pass (its `elapsed`).
  remaining     seconds left in the current pass plus the planned length of every later
                pass: what is left to run if nothing else is pressed.
Commands move the position: `skip` drops what is left of the pass, `back` replays,
`extend` lengthens the pass. So at the end, active time == planned time + extended −
skipped + rewound (the three counters below), to float precision.

Events carry `at`, the active time at which they happened on the timeline (for a boundary
crossed between two polls, the moment the boundary was due, not the moment of the poll).

Time away is not exercise: while running, a call that comes more than
`away_after` seconds after the moment the engine expected to be called next (the last call,
or the wake-up `next_due` planned) pauses the session at that expected moment. The events
due during the gap are not emitted; the session waits, paused, for a `resume`.

Progress (`Snapshot.routine_progress`) is 1 − k × remaining, where k starts at
1 / planned seconds and is re-scaled by `extend` so that the bar does not move. Time,
`skip` and `extend` never lower it; only `back` does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from coach.breathing import BREATH_WORDS

if TYPE_CHECKING:
    from coach.routine import Routine

State = Literal["ready", "running", "paused", "finished", "quit"]
EventKind = Literal[
    "step_started",
    "side_switched",
    "phase_changed",
    "paused",
    "resumed",
    "extended",
    "skipped",
    "rewound",
    "finished",
    "quit",
]

EXTEND_SECONDS = 30.0
# A gap of more than this between two wake-ups that the engine did not plan counts as a
# pause (the product's rule for time away: a suspended laptop, a stopped process). Seconds
# of session time (a preview at --speed N passes 2 × N real seconds' worth).
AWAY_SECONDS = 2.0
# The product's rule for "completed": besides reaching the end, at least 80 % of the
# planned time (extensions included) practised.
COMPLETION_SHARE = 0.8
# `back` within this many seconds of a pass's start goes to the previous pass; later, it
# restarts the current one (as a music player does).
BACK_RESTART_SECONDS = 3.0
# A boundary this close (seconds) counts as reached. Polling at the time `next_due` gave
# must cross the boundary even when float rounding lands a hair before it.
TOLERANCE = 1e-9


def is_completed(ran_to_end: bool, active_seconds: float, planned_with_extensions: float) -> bool:
    """A session is completed only when it reached its end (ran out of
    time on its last pass, or the last pass was skipped) AND its active seconds are at
    least COMPLETION_SHARE (80 %) of its planned seconds plus the seconds `extend` added.
    A session that reached its end with less is "partly done"; one that did not, "stopped".

    ran_to_end: the session reached its end; active_seconds: seconds practised, pauses
    and time away excluded; planned_with_extensions: the routine's planned seconds plus
    extensions (≥ 0). Time replayed with `back` counts as practised.
    """
    if not ran_to_end:
        return False
    return active_seconds >= COMPLETION_SHARE * planned_with_extensions - 1e-9


@dataclass(frozen=True, slots=True)
class Segment:
    """One pass of one step on the planned timeline."""

    index: int  # position in the timeline, 0-based
    step_index: int  # 0-based index into routine.steps
    side: str | None  # "left" | "right" | "both" | None (breathing and rest have no side)
    pass_number: int  # 1-based
    pass_count: int
    seconds: float  # planned length
    start: float  # planned start, seconds from the routine's start
    phases: tuple[tuple[str, float], ...] = ()  # one breathing cycle; () if not breathing
    cycles: int = 0

    @property
    def cycle_seconds(self) -> float:
        """Seconds of one breathing cycle (0 for a step that is not breathing)."""
        return sum(seconds for _, seconds in self.phases)


@dataclass(frozen=True, slots=True)
class PhaseView:
    """The breathing phase at one moment; seconds are active (session) seconds."""

    breath: str  # inhale | top-up | hold | exhale | hold-out
    label: str  # BREATH_WORDS[breath], e.g. "Breathe in"
    seconds: float  # length of this phase
    progress: float  # 0–1 through this phase
    seconds_left: float
    cycle: int  # 1-based
    cycles: int


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything a screen needs at one moment. `step_*` figures are of the current pass."""

    state: State
    step_number: int  # 1-based
    step_count: int
    step_type: str  # massage | stretch | breathing | rest
    title: str
    instruction: str  # the gentler text while it is shown; "" when the step has none
    showing_gentler: bool
    has_gentler: bool
    side: str | None  # "left" | "right" | "both" | None
    pass_number: int  # 1-based; 2 on the right side of an "each" step
    pass_count: int
    pressure: str | None  # light | medium | firm for massage, else None
    phase: PhaseView | None  # breathing steps only (None before start and after the end)
    step_seconds: float  # length of the current pass, extensions included
    step_seconds_left: float
    step_progress: float  # 0–1
    routine_seconds: float  # the routine's planned length
    routine_seconds_left: float  # what is left to run (the "remaining" above)
    routine_progress: float  # 0–1; never goes down while time simply passes
    active_seconds: float
    next_title: str | None  # the next step's title; None on the last step

    @property
    def paused(self) -> bool:
        """The session is paused (by a command or by time away)."""
        return self.state == "paused"



@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened; `at` is the active time (planned session time) it was due.

    kind              seconds means                    other fields
    step_started      length of the pass               step_number, side, pass_number
    side_switched     length of the new pass           step_number, side (the new one)
    phase_changed     length of the phase              breath, cycle, cycles
    paused            None; for time away (`away`), the length of the gap in seconds
    resumed           None
    extended          seconds added to the pass
    skipped           seconds of the pass dropped      step_number/side of the pass left
    rewound           seconds added back by `back`     (followed by step_started)
    finished / quit   active seconds in all
    """

    kind: EventKind
    at: float
    step_number: int
    side: str | None = None
    pass_number: int = 1
    breath: str | None = None
    cycle: int = 0
    cycles: int = 0
    seconds: float | None = None
    away: bool = False  # paused because the program did not run (see AWAY_SECONDS)


def build_timeline(routine: Routine) -> tuple[Segment, ...]:
    """One segment per pass, with planned starts."""
    segments: list[Segment] = []
    start = 0.0
    for step_index, step in enumerate(routine.steps):
        sides = step.sides
        phases: tuple[tuple[str, float], ...] = ()
        cycles = 0
        if step.type == "breathing":
            phases = tuple((str(b), float(s)) for b, s in step.phases)  # type: ignore[union-attr]
            cycles = step.resolved_cycles  # type: ignore[union-attr]
            seconds = cycles * sum(s for _, s in phases)
        else:
            seconds = float(step.pass_seconds)
        for number, side in enumerate(sides, start=1):
            segments.append(
                Segment(
                    index=len(segments),
                    step_index=step_index,
                    side=side,
                    pass_number=number,
                    pass_count=len(sides),
                    seconds=seconds,
                    start=start,
                    phases=phases,
                    cycles=cycles,
                )
            )
            start += seconds
    return tuple(segments)


class Session:
    """A routine being followed. Commands return True when they changed something.

    States: ready → running ⇄ paused → finished | quit. In `ready` only start, quit and
    toggle_gentler act (toggle_pause starts). In `paused`, skip, back, extend and gentler
    act and the session stays paused. `finished` and `quit` are final.

    `away_after`: the gap in seconds of session time (default AWAY_SECONDS) after which an
    unplanned call counts as time away and pauses the session; None turns the rule off
    (every gap is exercise: for tests of timing under sparse polling). A caller that
    sleeps longer than that must wake at the time `next_due` gave (or the `wake_by` it
    passed), or earlier only for a reason that is itself time away (SIGCONT).
    """

    def __init__(self, routine: Routine, *, away_after: float | None = AWAY_SECONDS) -> None:
        self.routine = routine
        self.away_after = away_after
        self.segments: tuple[Segment, ...] = build_timeline(routine)
        self.planned_seconds: float = sum(s.seconds for s in self.segments)
        self.step_count = len(routine.steps)
        self._state: State = "ready"
        self._pending: list[Event] = []
        self._last_at = 0.0  # `at` of the last event emitted
        self._last_now: float | None = None
        # The wake-up `next_due` last planned (monotonic), until a command changes the plan.
        self._planned_wake: float | None = None
        # Progress is 1 - _progress_k * remaining (see the module docstring).
        self._progress_k = 1.0 / self.planned_seconds if self.planned_seconds > 0 else 0.0
        # Active time is _active_base, plus (now - _anchor) while running.
        self._active_base = 0.0
        self._anchor = 0.0
        # The current pass: index, length (with extensions), cycles, and where it began
        # and how far its events have been emitted, in active time.
        self._seg = 0
        self._seg_len = self.segments[0].seconds
        self._seg_cycles = self.segments[0].cycles
        self._seg_start = 0.0
        self._emitted = 0.0
        self._gentler_step: int | None = None
        self._gentler_steps: set[int] = set()
        self._done_steps: set[int] = set()
        self.pauses = 0
        self.away_pauses = 0  # of `pauses`, those for time away
        self.away_seconds = 0.0  # the time away that was not counted, in all
        self.skips = 0
        self.extended_seconds = 0.0
        self.skipped_seconds = 0.0
        self.rewound_seconds = 0.0
        self.started_clock: float | None = None  # monotonic time of start
        self.ended_clock: float | None = None  # monotonic time of the end or quit

    # --- state ---------------------------------------------------------------------------

    @property
    def state(self) -> State:
        """ready, running, paused, finished (ran to its end) or quit."""
        return self._state

    @property
    def started(self) -> bool:
        """`start` has been called (the session left `ready`)."""
        return self.started_clock is not None

    @property
    def over(self) -> bool:
        """Finished or quit: no command changes the session any more."""
        return self._state in ("finished", "quit")

    @property
    def gentler_used(self) -> int:
        """How many steps had their gentler version shown."""
        return len(self._gentler_steps)

    @property
    def steps_done(self) -> int:
        """Steps whose last pass ran to its end (a skipped last pass does not count)."""
        return len(self._done_steps)

    @property
    def steps_total(self) -> int:
        """The routine's number of steps (a step done on each side is one step)."""
        return self.step_count

    @property
    def current(self) -> Segment:
        """The pass the session is on (the last one once it is over)."""
        return self.segments[self._seg]

    @property
    def ran_to_end(self) -> bool:
        """The session reached its end: time ran out on the last pass, or it was skipped."""
        return self._state == "finished"

    @property
    def planned_with_extensions(self) -> float:
        """The routine's planned seconds plus every second `extend` added."""
        return self.planned_seconds + self.extended_seconds

    @property
    def completed(self) -> bool:
        """`is_completed` for this session; False until it is over."""
        if not self.over:
            return False
        return is_completed(self.ran_to_end, self._active_base, self.planned_with_extensions)

    def active_seconds(self, now: float) -> float:
        """Seconds practised up to `now` (monotonic seconds): pauses and time away excluded."""
        now = self._arrive(now)
        self._advance(now)
        return self._active(now)

    # --- commands ------------------------------------------------------------------------

    def start(self, now: float) -> bool:
        """Begin the first pass at `now` (monotonic seconds); False unless the session is ready."""
        now = self._arrive(now)
        if self._state != "ready":
            return False
        self._state = "running"
        self.started_clock = now
        self._anchor = now
        self._enter(0, 0.0, how="start")
        self._advance(now)
        return True

    def pause(self, now: float) -> bool:
        """Stop the time at `now`; False unless running. Counted in `pauses`."""
        now = self._arrive(now)
        self._advance(now)
        if self._state != "running":
            return False
        self._planned_wake = None
        self._active_base = self._active(now)
        self._state = "paused"
        self.pauses += 1
        self._emit("paused", self._active_base)
        return True

    def resume(self, now: float) -> bool:
        """Let the time run again from `now`; False unless paused."""
        now = self._arrive(now)
        if self._state != "paused":
            return False
        self._planned_wake = None
        self._state = "running"
        self._anchor = now
        self._emit("resumed", self._active_base)
        return True

    def toggle_pause(self, now: float) -> bool:
        """The one key for start, pause and resume: whichever the state calls for."""
        if self._state == "ready":
            return self.start(now)
        if self._state == "running":
            return self.pause(now)
        return self.resume(now)

    def skip(self, now: float) -> bool:
        """Drop the rest of the current pass (on the last pass, this finishes)."""
        now = self._arrive(now)
        self._advance(now)
        if self._state not in ("running", "paused"):
            return False
        self._planned_wake = None
        before = self._remaining(now)
        active = self._active(now)
        seg = self.current
        self.skips += 1
        self._emit("skipped", active, seconds=self._seg_start + self._seg_len - active, seg=seg)
        if self._seg + 1 < len(self.segments):
            self._enter(self._seg + 1, active, how="skip")
        else:
            self._finish(active, now)
        self.skipped_seconds += before - self._remaining(now)
        return True

    def back(self, now: float) -> bool:
        """Restart the current pass, or go to the previous one near a pass's start."""
        now = self._arrive(now)
        self._advance(now)
        if self._state not in ("running", "paused"):
            return False
        self._planned_wake = None
        before = self._remaining(now)
        active = self._active(now)
        elapsed = active - self._seg_start
        target = self._seg
        if elapsed <= BACK_RESTART_SECONDS and self._seg > 0:
            target = self._seg - 1
        if target == self._seg:  # restart: the pass keeps its extensions
            after_len, after_cycles = self._seg_len, self._seg_cycles
        else:
            after_len, after_cycles = self.segments[target].seconds, self.segments[target].cycles
        after = after_len + sum(s.seconds for s in self.segments[target + 1 :])
        self._emit("rewound", active, seconds=after - before)
        self._enter(target, active, how="back")
        self._seg_len, self._seg_cycles = after_len, after_cycles
        self.rewound_seconds += self._remaining(now) - before
        return True

    def extend(self, now: float, seconds: float = EXTEND_SECONDS) -> bool:
        """Lengthen the current pass. A breathing pass grows by whole cycles covering at
        least `seconds`, so it still ends on a full breath."""
        now = self._arrive(now)
        self._advance(now)
        if self._state not in ("running", "paused") or seconds <= 0:
            return False
        self._planned_wake = None
        seg = self.current
        progress = self._progress(self._remaining(now))
        before = self._seg_len
        if seg.phases:
            self._seg_cycles += max(1, math.ceil(seconds / seg.cycle_seconds - 1e-9))
            self._seg_len = self._seg_cycles * seg.cycle_seconds
        else:
            self._seg_len += seconds
        added = self._seg_len - before
        # Re-scale progress so that the extension does not move the bar back: what is left
        # now (longer) maps onto what was left of the bar.
        remaining = self._remaining(now)
        if remaining > 0:
            self._progress_k = (1.0 - progress) / remaining
        self.extended_seconds += added
        self._emit("extended", self._active(now), seconds=added)
        return True

    def toggle_gentler(self, now: float) -> bool:
        """Show the step's gentler instruction, or the normal one again."""
        now = self._arrive(now)
        self._advance(now)
        if self.over:
            return False
        step_index = self.current.step_index
        if not getattr(self.routine.steps[step_index], "gentler", None):
            return False
        if self._gentler_step == step_index:
            self._gentler_step = None
        else:
            self._gentler_step = step_index
            self._gentler_steps.add(step_index)
        return True

    def quit(self, now: float) -> bool:
        """End the session early at `now` (state `quit`); False if it is already over."""
        now = self._arrive(now)
        self._advance(now)
        if self.over:
            return False
        self._planned_wake = None
        active = self._active(now)
        self._active_base = active
        self._state = "quit"
        self.ended_clock = now
        self._emit("quit", active, seconds=active)
        return True

    # --- queries -------------------------------------------------------------------------

    def poll(self, now: float) -> list[Event]:
        """Advance to `now`; the events since the last poll (commands' included), in order."""
        now = self._arrive(now)
        self._advance(now)
        events, self._pending = self._pending, []
        return events

    def next_due(self, now: float, *, wake_by: float | None = None) -> float | None:
        """The monotonic time of the next timeline event (phase change, pass end), or None
        when the clock moves nothing (ready, paused, over). A runner sleeps until then:
        that wake-up is planned, so the sleep is no time away however long it is. A runner
        that wakes earlier anyway (a heartbeat) passes `wake_by`, the latest time it will
        wake: the planned wake-up is then min(due, wake_by), and a longer gap is time away."""
        now = self._arrive(now)
        self._advance(now)
        if self._state != "running":
            return None
        elapsed = self._active(now) - self._seg_start
        target = self._seg_len
        seg = self.current
        if seg.phases:
            boundary = self._next_boundary(seg, elapsed)
            if boundary is not None:
                target = min(target, boundary)
        due = now + (target - elapsed)
        self._planned_wake = due if wake_by is None else min(due, wake_by)
        return due

    def snapshot(self, now: float) -> Snapshot:
        """Everything a screen shows at `now` (monotonic seconds), after advancing to it."""
        now = self._arrive(now)
        self._advance(now)
        seg = self.current
        step = self.routine.steps[seg.step_index]
        active = self._active(now)
        elapsed = min(max(0.0, active - self._seg_start), self._seg_len)
        if self._state == "finished":
            elapsed = self._seg_len
        left = self._seg_len - elapsed
        remaining = left + sum(s.seconds for s in self.segments[self._seg + 1 :])
        gentler = getattr(step, "gentler", None)
        showing = self._gentler_step == seg.step_index and bool(gentler)
        instruction = (gentler if showing else getattr(step, "instruction", None)) or ""
        phase = None
        if seg.phases and self._state in ("running", "paused", "quit"):
            phase = self._phase_view(seg, elapsed)
        next_title = None
        if seg.step_index + 1 < self.step_count:
            next_title = self.routine.steps[seg.step_index + 1].title
        return Snapshot(
            state=self._state,
            step_number=seg.step_index + 1,
            step_count=self.step_count,
            step_type=step.type,
            title=step.title,
            instruction=instruction,
            showing_gentler=showing,
            has_gentler=bool(gentler),
            side=seg.side,
            pass_number=seg.pass_number,
            pass_count=seg.pass_count,
            pressure=getattr(step, "pressure", None),
            phase=phase,
            step_seconds=self._seg_len,
            step_seconds_left=left,
            step_progress=elapsed / self._seg_len if self._seg_len > 0 else 1.0,
            routine_seconds=self.planned_seconds,
            routine_seconds_left=remaining,
            routine_progress=self._progress(remaining),
            active_seconds=active,
            next_title=next_title,
        )

    # --- inside --------------------------------------------------------------------------

    def _arrive(self, now: float) -> float:
        """Every call starts here: the clock is clamped (it never runs backwards; a
        caller's mistake must not make time do so), then time away becomes a pause."""
        last = self._last_now
        if last is not None and now < last:
            return last
        if self._state == "running" and last is not None and self.away_after is not None:
            expected = last
            planned = self._planned_wake
            if planned is not None and now >= planned - self.away_after:
                # The planned wake-up (late or not): the sleep until it was no gap. An
                # earlier wake-up after a long sleep is not the planned one.
                expected = max(last, planned)
            if now - expected > self.away_after:
                self._away(expected, now)
        self._last_now = now
        return now

    def _away(self, expected: float, now: float) -> None:
        """The program did not run from `expected` to `now`: pause at `expected`, with the
        events due up to then (those after it wait for the resume)."""
        self._advance(expected)
        if self._state != "running":  # the session ended before the gap began
            return
        self._planned_wake = None
        self._active_base = self._active(expected)
        self._state = "paused"
        self.pauses += 1
        self.away_pauses += 1
        self.away_seconds += now - expected
        self._emit("paused", self._active_base, seconds=now - expected, away=True)

    def _progress(self, remaining: float) -> float:
        if remaining <= 0:
            return 1.0
        return min(1.0, max(0.0, 1.0 - self._progress_k * remaining))

    def _active(self, now: float) -> float:
        if self._state == "running":
            return self._active_base + (now - self._anchor)
        return self._active_base

    def _remaining(self, now: float) -> float:
        if self.over:
            return 0.0
        elapsed = self._active(now) - self._seg_start
        return self._seg_len - elapsed + sum(s.seconds for s in self.segments[self._seg + 1 :])

    def _emit(self, kind: EventKind, at: float, *, seg: Segment | None = None, **fields: object) -> None:
        seg = self.current if seg is None else seg
        # A boundary within TOLERANCE counts as reached, so a command a hair before it
        # would come out a hair earlier than the boundary's event: events keep their order.
        at = max(at, self._last_at)
        self._last_at = at
        self._pending.append(
            Event(
                kind=kind,
                at=at,
                step_number=seg.step_index + 1,
                side=seg.side,
                pass_number=seg.pass_number,
                **fields,  # type: ignore[arg-type]
            )
        )

    def _enter(self, index: int, at: float, *, how: str) -> None:
        """Make segment `index` current, starting at active time `at`, and announce it."""
        previous = self.segments[self._seg]
        seg = self.segments[index]
        if seg.step_index != previous.step_index and self._gentler_step != seg.step_index:
            self._gentler_step = None
        self._seg = index
        self._seg_len = seg.seconds
        self._seg_cycles = seg.cycles
        self._seg_start = at
        self._emitted = 0.0
        natural_switch = (
            how in ("time", "skip")
            and seg.step_index == previous.step_index
            and seg.pass_number == previous.pass_number + 1
        )
        if natural_switch:
            self._emit("side_switched", at, seconds=seg.seconds)
        else:
            self._emit("step_started", at, seconds=seg.seconds)
        if seg.phases:
            breath, seconds = seg.phases[0]
            self._emit("phase_changed", at, breath=breath, cycle=1, cycles=seg.cycles, seconds=seconds)

    def _finish(self, at: float, now: float) -> None:
        # The clock reading at which the end was due (now may be later, after a stall);
        # a skip while paused ends it now.
        if self._state == "running":
            self.ended_clock = self._anchor + (at - self._active_base)
        else:
            self.ended_clock = now
        self._state = "finished"
        self._active_base = at
        self._emit("finished", at, seconds=at)

    def _advance(self, now: float) -> None:
        """Emit every timeline event due up to `now`, crossing as many passes as needed."""
        while self._state == "running":
            elapsed = self._active(now) - self._seg_start
            seg = self.current
            end = min(elapsed, self._seg_len)
            if seg.phases:
                self._emit_phases(seg, self._emitted, end + TOLERANCE)
            self._emitted = max(self._emitted, end + TOLERANCE)
            if elapsed < self._seg_len - TOLERANCE:
                return
            at = self._seg_start + self._seg_len
            if seg.pass_number == seg.pass_count:
                self._done_steps.add(seg.step_index)
            if self._seg + 1 < len(self.segments):
                self._enter(self._seg + 1, at, how="time")
            else:
                self._finish(at, now)

    @staticmethod
    def _boundaries(seg: Segment) -> list[float]:
        """Where each phase starts within one cycle."""
        offsets = []
        total = 0.0
        for _, seconds in seg.phases:
            offsets.append(total)
            total += seconds
        return offsets

    def _emit_phases(self, seg: Segment, after: float, upto: float) -> None:
        """phase_changed for every phase start in (after, upto], except the pass's end."""
        if upto <= after:
            return
        cycle_len = seg.cycle_seconds
        offsets = self._boundaries(seg)
        first_cycle = int(after // cycle_len)
        last_cycle = min(int(upto // cycle_len), self._seg_cycles - 1)
        for cycle in range(first_cycle, last_cycle + 1):
            base = cycle * cycle_len
            for (breath, seconds), offset in zip(seg.phases, offsets, strict=True):
                boundary = base + offset
                if after < boundary <= upto and boundary < self._seg_len:
                    self._emit(
                        "phase_changed",
                        self._seg_start + boundary,
                        breath=breath,
                        cycle=cycle + 1,
                        cycles=self._seg_cycles,
                        seconds=seconds,
                    )

    def _next_boundary(self, seg: Segment, elapsed: float) -> float | None:
        cycle_len = seg.cycle_seconds
        cycle = int(elapsed // cycle_len)
        for c in (cycle, cycle + 1):
            base = c * cycle_len
            for offset in self._boundaries(seg):
                boundary = base + offset
                if boundary > elapsed + TOLERANCE and boundary < self._seg_len:
                    return boundary
        return None

    def _phase_view(self, seg: Segment, elapsed: float) -> PhaseView:
        cycle_len = seg.cycle_seconds
        cycle = min(int(elapsed // cycle_len), self._seg_cycles - 1)
        offset = elapsed - cycle * cycle_len
        start = 0.0
        breath, seconds = seg.phases[-1]
        for b, s in seg.phases:
            if offset < start + s:
                breath, seconds = b, s
                break
            start += s
        else:
            start = cycle_len - seconds
        into = min(max(0.0, offset - start), seconds)
        return PhaseView(
            breath=breath,
            label=BREATH_WORDS.get(breath, breath),
            seconds=seconds,
            progress=into / seconds,
            seconds_left=seconds - into,
            cycle=cycle + 1,
            cycles=self._seg_cycles,
        )
