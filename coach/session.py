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

Guidance (issue 14): inside a pass, a breathing step's phases and a `reps` step's holds and
releases are one mechanism, a cycle of timed parts (a rep is a cycle of hold, release). A
lead-in of `lead_in` seconds (3 by default) runs on the clock before the first step and after
every resume: the time passes, but it is not active time (nothing of the routine moves, it
is neither practised nor planned). A breathing step with a gentler pattern switches its
pattern at the moment of `toggle_gentler`: the new cycles start then, and the pass ends on a
whole cycle of the pattern in force (what was left of it, rounded to whole cycles of the new
pattern, at least one: no breath is cut short). That changes the pass's length, and the
planned time with it (`planned_seconds`), so active time still equals planned time plus the
counters; the progress bar does not move at the switch. `too_much` pauses and waits for
`relieve` with the person's choice. A pass (or a gentler pattern) that begins while the time
stands still (a skip while paused or during a lead-in, "too much" → gentler) has its first
breath or rep's hold told when the time runs, since that is when it begins: a cue for it at
the skip would come before the count, and none when the breath begins.
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
    "lead_in",
    "rep_hold",
    "rep_release",
    "time_warning",
    "too_much",
    "relief_chosen",
    "gentler_changed",
]
Relief = Literal["gentler", "lighter", "skip", "end"]
RELIEFS: tuple[str, ...] = ("gentler", "lighter", "skip", "end")

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
# The lead-in before the first step and after a resume, in seconds: a count of 3, 2, 1
# (issue 14; the same length as a spoken "three, two, one").
LEAD_IN_SECONDS = 3.0
# "Ten seconds left" is said this long before the end of a pass lasting at least
# TIME_WARNING_MIN_PASS seconds (a shorter pass would hear it almost at once).
TIME_WARNING_SECONDS = 10.0
TIME_WARNING_MIN_PASS = 30.0
# One level lighter, for "too much" → lighter (coach.vocabulary.PRESSURES, lightest first).
LIGHTER = {"firm": "medium", "medium": "light"}


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
    phases: tuple[tuple[str, float], ...] = ()  # one breathing cycle, or (hold, release) of a rep
    cycles: int = 0  # breathing cycles, or reps; 0 for a plain timed pass
    reps: bool = False  # the cycles are reps (hold, release), not breaths
    # The breathing step's gentler pattern, one cycle; () if it has none.
    gentler_phases: tuple[tuple[str, float], ...] = ()

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
class RepView:
    """The rep at one moment of a `reps` step; seconds are active (session) seconds."""

    rep: int  # 1-based
    reps: int
    holding: bool  # True in the hold, False in the release
    label: str  # "Hold" or "Release"
    seconds: float  # length of this hold or release
    progress: float  # 0–1 through it
    seconds_left: float


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
    rep: RepView | None = None  # `reps` steps only, while running or paused
    lead_in_left: float = 0.0  # seconds left of a lead-in (before the first step, after a resume)
    gentler_text: str = ""  # the gentler version's text while it is on, else ""
    pressure_lowered: bool = False  # `pressure` is lighter than the step's ("too much" → lighter)
    too_much: bool = False  # "too much" was pressed and waits for `relieve`
    relief_choices: tuple[str, ...] = ()  # what `relieve` accepts on this step now

    @property
    def paused(self) -> bool:
        """The session is paused (by a command or by time away)."""
        return self.state == "paused"

    @property
    def leading_in(self) -> bool:
        """A lead-in count is running: the step's time has not started (again) yet."""
        return self.lead_in_left > 0



@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened; `at` is the active time (planned session time) it was due.

    kind              seconds means                    other fields
    step_started      length of the pass               step_number, side, pass_number, cycles
                                                       (breaths or reps of the pass as it is
                                                       now, extensions included; 0 if timed)
    side_switched     length of the new pass           step_number, side (the new one), cycles
    phase_changed     length of the phase              breath, cycle, cycles
    rep_hold          length of the hold               rep (1-based), reps
    rep_release       length of the release            rep, reps
    lead_in           None                             count (3, 2, 1: one a second)
    time_warning      seconds left (10)
    too_much          None
    relief_chosen     None                             choice (gentler, lighter, skip, end)
    gentler_changed   None                             on (the gentler version is on now)
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
    rep: int = 0
    reps: int = 0
    count: int = 0
    choice: str | None = None
    on: bool = False


def build_timeline(routine: Routine) -> tuple[Segment, ...]:
    """One segment per pass, with planned starts."""
    segments: list[Segment] = []
    start = 0.0
    for step_index, step in enumerate(routine.steps):
        sides = step.sides
        phases: tuple[tuple[str, float], ...] = ()
        gentler_phases: tuple[tuple[str, float], ...] = ()
        cycles = 0
        reps = getattr(step, "reps", None)
        if step.type == "breathing":
            phases = tuple((str(b), float(s)) for b, s in step.phases)  # type: ignore[union-attr]
            cycles = step.resolved_cycles  # type: ignore[union-attr]
            seconds = cycles * sum(s for _, s in phases)
            gentler = step.gentler  # type: ignore[union-attr]
            if gentler is not None:
                gentler_phases = tuple((str(b), float(s)) for b, s in gentler.phases)
        elif reps is not None:
            phases = (("hold", float(reps.hold)), ("release", float(reps.release)))
            cycles = reps.count
            seconds = float(reps.seconds)
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
                    reps=reps is not None,
                    gentler_phases=gentler_phases,
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

    `lead_in`: seconds of lead-in count before the first step and after each resume
    (LEAD_IN_SECONDS by default; 0 turns it off). While it runs the state is `running`,
    `Snapshot.lead_in_left` counts down, `lead_in` events say 3, 2, 1, and active time
    stands still.
    """

    def __init__(
        self,
        routine: Routine,
        *,
        away_after: float | None = AWAY_SECONDS,
        lead_in: float = LEAD_IN_SECONDS,
    ) -> None:
        self.routine = routine
        self.away_after = away_after
        self.lead_in = max(0.0, lead_in)
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
        # Active time is _active_base, plus (now - _anchor) while running and past _anchor
        # (a lead-in puts _anchor in the future).
        self._active_base = 0.0
        self._anchor = 0.0
        # The current pass: index, length (with extensions), and where it began and how
        # far its events have been emitted, in active time.
        self._seg = 0
        self._seg_len = self.segments[0].seconds
        self._seg_start = 0.0
        self._emitted = 0.0
        self._warned = False  # the pass's time_warning was emitted
        # The current pass's cycle (breaths, or a rep's hold and release): its parts, the
        # position in the pass where this pattern began (a gentler switch moves it) and how
        # many cycles were started before then.
        self._phases: tuple[tuple[str, float], ...] = self.segments[0].phases
        self._origin = 0.0
        self._cycle_base = 0
        # The lead-in (monotonic times), and whether the first step's start is still to be
        # announced when it ends.
        self._lead_start: float | None = None
        self._lead_until: float | None = None
        self._lead_told = 0
        self._announce_pending = False
        # The current pass (or its gentler pattern) began while the time stood still (paused,
        # or a lead-in counting): its first breath or rep's hold is told when the time runs,
        # since that is when it begins (a cue played at a skip would be lost before the count).
        self._part_pending = False
        # "Too much": the active time it was pressed (None: nothing waits for `relieve`),
        # and whether that press paused a running session.
        self._too_much_at: float | None = None
        self._too_much_paused = False
        self._lighter: dict[int, int] = {}  # step index → levels of pressure lowered
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
    def current_phases(self) -> tuple[tuple[str, float], ...]:
        """One cycle of the pattern the current pass follows now: the breathing pattern
        (the gentler one once switched), a rep's (hold, release), or () for a plain pass."""
        return self._phases

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

    @property
    def too_much_pending(self) -> bool:
        """"Too much" was pressed and waits for `relieve` (or a resume)."""
        return self._too_much_at is not None

    def active_seconds(self, now: float) -> float:
        """Seconds practised up to `now` (monotonic seconds): pauses, lead-ins and time
        away excluded."""
        now = self._arrive(now)
        self._advance(now)
        return self._active(now)

    # --- commands ------------------------------------------------------------------------

    def start(self, now: float) -> bool:
        """Begin at `now` (monotonic seconds): the lead-in, then the first pass. False
        unless the session is ready."""
        now = self._arrive(now)
        if self._state != "ready":
            return False
        self._state = "running"
        self.started_clock = now
        self._anchor = now
        # The first pass keeps a length a gentler switch gave it before the start.
        if self.lead_in > 0:
            self._begin_lead_in(now)
            self._enter(0, 0.0, how="start", announce=False, length=self._seg_len)
            self._announce_pending = True
        else:
            self._enter(0, 0.0, how="start", length=self._seg_len)
        self._advance(now)
        return True

    def pause(self, now: float) -> bool:
        """Stop the time at `now`; False unless running. Counted in `pauses`."""
        now = self._arrive(now)
        self._advance(now)
        if self._state != "running":
            return False
        self._stop(now)
        self.pauses += 1
        self._emit("paused", self._active_base)
        return True

    def hold(self, now: float) -> bool:
        """Stop the time at `now` while the person reads something the front end put up
        (the app's quit question, its help): like `pause`, but not counted in `pauses`,
        since the person did not pause (the plain runner's quit question counts none
        either; issue 14). `resume` lets it run again. False unless running."""
        now = self._arrive(now)
        self._advance(now)
        if self._state != "running":
            return False
        self._stop(now)
        self._emit("paused", self._active_base)
        return True

    def resume(self, now: float) -> bool:
        """Let the time run again from `now`, after a lead-in; False unless paused. A
        "too much" still waiting is dropped (the person chose to go on as before)."""
        now = self._arrive(now)
        if self._state != "paused":
            return False
        self._planned_wake = None
        self._too_much_at = None
        self._too_much_paused = False
        self._state = "running"
        self._anchor = now
        self._emit("resumed", self._active_base)
        if self.lead_in > 0:
            self._begin_lead_in(now)
        self._advance(now)
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
        # Skipped during the first lead-in: the step was never announced, and is not now
        # (a "Step 1 of 5" between "Skipping this step" and "Skipped" would mislead).
        self._announce_pending = False
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
        self._flush_announce()
        self._planned_wake = None
        before = self._remaining(now)
        active = self._active(now)
        elapsed = active - self._seg_start
        target = self._seg
        if elapsed <= BACK_RESTART_SECONDS and self._seg > 0:
            target = self._seg - 1
        # A restart keeps the pass's extensions; under a gentler pattern (whose cycles now
        # begin at the pass's start) it is whole cycles of that pattern.
        after_len = self._seg_len if target == self._seg else self.segments[target].seconds
        if target == self._seg and self._phases and not self.current.reps:
            after_len = _whole_cycles(after_len, self._phases)
        after = after_len + sum(s.seconds for s in self.segments[target + 1 :])
        self._emit("rewound", active, seconds=after - before)
        self._enter(target, active, how="back", length=after_len)
        self.rewound_seconds += self._remaining(now) - before
        return True

    def extend(self, now: float, seconds: float = EXTEND_SECONDS) -> bool:
        """Lengthen the current pass. A breathing or reps pass grows by whole cycles (reps)
        covering at least `seconds`, so it still ends on a full breath or a whole rep."""
        now = self._arrive(now)
        self._advance(now)
        if self._state not in ("running", "paused") or seconds <= 0:
            return False
        self._planned_wake = None
        progress = self._progress(self._remaining(now))
        before = self._seg_len
        if self._phases:
            cycle_len = _cycle_seconds(self._phases)
            total = self._cycles() + max(1, math.ceil(seconds / cycle_len - 1e-9))
            self._seg_len = self._origin + (total - self._cycle_base) * cycle_len
        else:
            self._seg_len += seconds
        self._warned = False  # "ten seconds left" again, before the new end
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
        """Switch the step's gentler version on or off: its text for massage and stretch,
        its gentler pattern for breathing (from this moment: the pass keeps its length).
        False on a step without one, or once the session is over. Emits gentler_changed."""
        now = self._arrive(now)
        self._advance(now)
        if self.over:
            return False
        step_index = self.current.step_index
        if not getattr(self.routine.steps[step_index], "gentler", None):
            return False
        self._set_gentler(now, on=self._gentler_step != step_index)
        return True

    def too_much(self, now: float) -> bool:
        """The person says it is too much: pause at `now` (not counted in `pauses`) and
        wait for `relieve`. False unless running or paused. Emits too_much."""
        now = self._arrive(now)
        self._advance(now)
        if self._state not in ("running", "paused"):
            return False
        if self._state == "running":
            self._stop(now)
            self._too_much_paused = True
        self._too_much_at = self._active_base
        self._emit("too_much", self._active_base)
        return True

    def relief_choices(self, now: float) -> tuple[str, ...]:
        """What `relieve` accepts at `now`, in the order to offer them: gentler (the step
        has a gentler version, not on yet), lighter (the step has a pressure above light),
        skip, end. () unless "too much" waits."""
        now = self._arrive(now)
        self._advance(now)
        return self._relief_choices()

    def relieve(self, now: float, choice: str) -> bool:
        """Apply the choice made after `too_much`: "gentler" switches the gentler version
        on, "lighter" shows a pressure one level lighter for this step, "skip" drops the
        rest of this step (every side), "end" quits. Then, if `too_much` paused the
        session, it resumes (after a lead-in). False when nothing waits or the choice is not
        one of `relief_choices`. Emits relief_chosen."""
        now = self._arrive(now)
        self._advance(now)
        if self._too_much_at is None or choice not in self._relief_choices():
            return False
        self._emit("relief_chosen", self._active(now), choice=choice)
        resume = self._too_much_paused
        self._too_much_at = None
        self._too_much_paused = False
        step_index = self.current.step_index
        if choice == "end":
            return self.quit(now)
        if choice == "gentler":
            self._set_gentler(now, on=True)
        elif choice == "lighter":
            self._lighter[step_index] = self._lighter.get(step_index, 0) + 1
        else:  # skip every pass left of this step
            while not self.over and self.current.step_index == step_index:
                self.skip(now)
        if resume and self._state == "paused":
            self.resume(now)
        return True

    def quit(self, now: float) -> bool:
        """End the session early at `now` (state `quit`); False if it is already over."""
        now = self._arrive(now)
        self._advance(now)
        if self.over:
            return False
        self._planned_wake = None
        self._lead_until = None
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
        """The monotonic time of the next timeline event (a lead-in count, a phase or rep
        change, the time warning, a pass end), or None when the clock moves nothing (ready,
        paused, over). A runner sleeps until then: that wake-up is planned, so the sleep is
        no time away however long it is. A runner that wakes earlier anyway (a heartbeat)
        passes `wake_by`, the latest time it will wake: the planned wake-up is then
        min(due, wake_by), and a longer gap is time away."""
        now = self._arrive(now)
        self._advance(now)
        if self._state != "running":
            return None
        if self._lead_until is not None:
            due = min(self._lead_count_due(self._lead_told), self._lead_until)
            due = max(due, now)
        else:
            elapsed = self._active(now) - self._seg_start
            target = self._seg_len
            boundary = self._next_boundary(elapsed)
            if boundary is not None:
                target = min(target, boundary)
            warn = self._warn_at()
            if warn is not None and warn > elapsed + TOLERANCE:
                target = min(target, warn)
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
        gentler_text = _gentler_text(step)
        showing = self._gentler_step == seg.step_index and bool(gentler_text)
        instruction = (gentler_text if showing else getattr(step, "instruction", None)) or ""
        phase = rep = None
        if self._phases and self._state in ("running", "paused", "quit"):
            part, seconds, into, cycle, cycles = self._part_at(elapsed)
            if seg.reps:
                rep = RepView(rep=cycle, reps=cycles, holding=part == "hold",
                              label="Hold" if part == "hold" else "Release", seconds=seconds,
                              progress=into / seconds, seconds_left=seconds - into)  # fmt: skip
            else:
                phase = PhaseView(breath=part, label=BREATH_WORDS.get(part, part), seconds=seconds,
                                  progress=into / seconds, seconds_left=seconds - into,
                                  cycle=cycle, cycles=cycles)  # fmt: skip
        next_title = None
        if seg.step_index + 1 < self.step_count:
            next_title = self.routine.steps[seg.step_index + 1].title
        pressure, lowered = self._pressure(seg.step_index)
        lead_left = 0.0
        if self._state == "running" and self._lead_until is not None:
            lead_left = max(0.0, self._lead_until - now)
        return Snapshot(
            state=self._state,
            step_number=seg.step_index + 1,
            step_count=self.step_count,
            step_type=step.type,
            title=step.title,
            instruction=instruction,
            showing_gentler=showing,
            has_gentler=bool(gentler_text),
            side=seg.side,
            pass_number=seg.pass_number,
            pass_count=seg.pass_count,
            pressure=pressure,
            phase=phase,
            step_seconds=self._seg_len,
            step_seconds_left=left,
            step_progress=elapsed / self._seg_len if self._seg_len > 0 else 1.0,
            routine_seconds=self.planned_seconds,
            routine_seconds_left=remaining,
            routine_progress=self._progress(remaining),
            active_seconds=active,
            next_title=next_title,
            rep=rep,
            lead_in_left=lead_left,
            gentler_text=gentler_text if showing else "",
            pressure_lowered=lowered,
            too_much=self._too_much_at is not None,
            relief_choices=self._relief_choices(),
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
        self._stop(expected)
        self.pauses += 1
        self.away_pauses += 1
        self.away_seconds += now - expected
        self._emit("paused", self._active_base, seconds=now - expected, away=True)

    def _stop(self, now: float) -> None:
        """Running → paused at `now` (the lead-in, if one runs, is dropped)."""
        self._planned_wake = None
        self._active_base = self._active(now)
        self._state = "paused"
        self._lead_until = None

    def _begin_lead_in(self, now: float) -> None:
        self._anchor = now + self.lead_in
        self._lead_start = now
        self._lead_until = now + self.lead_in
        self._lead_told = 0

    def _lead_count_due(self, told: int) -> float:
        """When count number `told` (0-based: 3, then 2, then 1) is due, monotonic."""
        assert self._lead_start is not None
        first = math.ceil(self.lead_in - 1e-9)
        return self._lead_start + max(0.0, self.lead_in - (first - told))

    def _lead_in_step(self, now: float) -> bool:
        """Emit the lead-in counts due by `now`; True while the lead-in still runs."""
        if self._lead_until is None:
            self._flush_part()
            return False
        first = math.ceil(self.lead_in - 1e-9)
        while self._lead_told < first and self._lead_count_due(self._lead_told) <= now + TOLERANCE:
            self._emit("lead_in", self._active_base, count=first - self._lead_told)
            self._lead_told += 1
        if now < self._lead_until - TOLERANCE:
            return True
        self._lead_until = None
        self._flush_announce()
        self._flush_part()
        return False

    def _flush_announce(self) -> None:
        if self._announce_pending:
            self._announce_pending = False
            self._announce(self.current, self._seg_start, natural_switch=False)

    def _flush_part(self) -> None:
        """The first part of a pass (or of a gentler pattern) that began while the time
        stood still, now that it runs (called while running, after any lead-in). No time
        ran since, so the part is due where the pattern begins (`_origin`)."""
        if self._part_pending and self._state == "running":
            self._part_pending = False
            self._emit_part(self.current, self._seg_start + self._origin, 0, 0)

    def _progress(self, remaining: float) -> float:
        if remaining <= 0:
            return 1.0
        return min(1.0, max(0.0, 1.0 - self._progress_k * remaining))

    def _active(self, now: float) -> float:
        if self._state == "running":
            return self._active_base + max(0.0, now - self._anchor)
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

    def _pattern_for(self, seg: Segment) -> tuple[tuple[str, float], ...]:
        if seg.gentler_phases and self._gentler_step == seg.step_index:
            return seg.gentler_phases
        return seg.phases

    def _enter(self, index: int, at: float, *, how: str, announce: bool = True,
               length: float | None = None) -> None:  # fmt: skip
        """Make segment `index` current, starting at active time `at` (with `length`, or
        its planned length), and announce it."""
        previous = self.segments[self._seg]
        seg = self.segments[index]
        if seg.step_index != previous.step_index and self._gentler_step != seg.step_index:
            self._gentler_step = None
        self._seg = index
        self._seg_len = seg.seconds if length is None else length
        self._seg_start = at
        self._emitted = 0.0
        self._warned = False
        self._phases = self._pattern_for(seg)
        self._origin = 0.0
        self._cycle_base = 0
        self._part_pending = False
        if announce:
            natural_switch = (
                how in ("time", "skip")
                and seg.step_index == previous.step_index
                and seg.pass_number == previous.pass_number + 1
            )
            self._announce(seg, at, natural_switch=natural_switch)

    def _announce(self, seg: Segment, at: float, *, natural_switch: bool) -> None:
        cycles = self._cycles()
        if natural_switch:
            self._emit("side_switched", at, seconds=self._seg_len, cycles=cycles)
        else:
            self._emit("step_started", at, seconds=self._seg_len, cycles=cycles)
        if not self._phases:
            return
        if self._state != "running" or self._lead_until is not None:
            self._part_pending = True  # told when the time runs (`_flush_part`)
        else:
            self._emit_part(seg, at, 0, 0)

    def _emit_part(self, seg: Segment, at: float, cycle: int, part: int) -> None:
        """The event for part `part` of cycle `cycle` (0-based, counted from the pattern's
        origin) of the current pass, at active time `at`."""
        name, seconds = self._phases[part]
        seconds = min(seconds, self._seg_start + self._seg_len - at)
        number, total = self._cycle_base + cycle + 1, self._cycles()
        if seg.reps:
            kind: EventKind = "rep_hold" if name == "hold" else "rep_release"
            self._emit(kind, at, rep=number, reps=total, seconds=seconds)
        else:
            self._emit("phase_changed", at, breath=name, cycle=number, cycles=total, seconds=seconds)

    def _set_gentler(self, now: float, *, on: bool) -> None:
        """Switch the current step's gentler version on or off at `now`; a breathing pass
        under way takes the new pattern from this moment."""
        seg = self.current
        if on:
            self._gentler_step = seg.step_index
            self._gentler_steps.add(seg.step_index)
        else:
            self._gentler_step = None
        self._emit("gentler_changed", self._active(now), on=on)
        if not seg.gentler_phases:
            return
        if self._state == "ready" or self._announce_pending:
            self._phases = self._pattern_for(seg)  # the pass has not begun: it begins so
            self._resize_pass(now, _whole_cycles(self._seg_len, self._phases))
            return
        self._planned_wake = None
        elapsed = min(max(0.0, self._active(now) - self._seg_start), self._seg_len)
        # Cycles begun so far stay counted; the new pattern's first cycle begins now.
        rel = max(0.0, elapsed - self._origin)
        cycle_len = _cycle_seconds(self._phases)
        begun = int(rel // cycle_len) + (1 if rel % cycle_len > TOLERANCE else 0)
        self._cycle_base += begun
        self._origin = elapsed
        self._phases = self._pattern_for(seg)
        # The pass ends on a whole cycle of the pattern now in force: no breath cut short.
        self._resize_pass(now, elapsed + _whole_cycles(self._seg_len - elapsed, self._phases))
        if elapsed < self._seg_len - TOLERANCE:
            if self._state != "running" or self._lead_until is not None:
                self._part_pending = True  # the new pattern's first part: when time runs
            else:
                self._emit_part(seg, self._seg_start + elapsed, 0, 0)
        self._emitted = max(self._emitted, elapsed + TOLERANCE)

    def _resize_pass(self, now: float, length: float) -> None:
        """Give the current pass `length` seconds (a gentler switch): the planned time
        changes by as much (the pattern in force is the plan now), and the progress bar is
        re-scaled so that it does not move at the switch."""
        progress = self._progress(self._remaining(now))
        change = length - self._seg_len
        self._seg_len = length
        self.planned_seconds += change
        if change > 0:
            self._warned = False  # "ten seconds left" again, before the new end
        remaining = self._remaining(now)
        if remaining > 0:
            self._progress_k = (1.0 - progress) / remaining

    def _pressure(self, step_index: int) -> tuple[str | None, bool]:
        """The pressure to show for a step, and whether "too much" lowered it."""
        pressure = getattr(self.routine.steps[step_index], "pressure", None)
        lowered = False
        for _ in range(self._lighter.get(step_index, 0)):
            if pressure in LIGHTER:
                pressure = LIGHTER[pressure]
                lowered = True
        return pressure, lowered

    def _relief_choices(self) -> tuple[str, ...]:
        if self._too_much_at is None or self.over:
            return ()
        seg = self.current
        step = self.routine.steps[seg.step_index]
        choices = []
        if _gentler_text(step) and self._gentler_step != seg.step_index:
            choices.append("gentler")
        if self._pressure(seg.step_index)[0] in LIGHTER:
            choices.append("lighter")
        return (*choices, "skip", "end")

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
            if self._lead_in_step(now):
                return
            elapsed = self._active(now) - self._seg_start
            seg = self.current
            end = min(elapsed, self._seg_len)
            self._emit_timeline(seg, self._emitted, end + TOLERANCE)
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

    def _warn_at(self) -> float | None:
        """Where in the pass "ten seconds left" is due, or None (said, or a short pass)."""
        if self._warned or self._seg_len < TIME_WARNING_MIN_PASS - TOLERANCE:
            return None
        return self._seg_len - TIME_WARNING_SECONDS

    def _emit_timeline(self, seg: Segment, after: float, upto: float) -> None:
        """The pass's events with a position in (after, upto], in order: phase or rep
        changes and the time warning."""
        warn = self._warn_at()
        if warn is not None and after < warn <= upto:
            self._emit_cycles(seg, after, warn)
            self._emit("time_warning", self._seg_start + warn, seconds=TIME_WARNING_SECONDS)
            self._warned = True
            after = warn
        self._emit_cycles(seg, after, upto)

    def _cycles(self) -> int:
        """Cycles (breaths or reps) of the current pass, counting the last one even when
        a gentler switch leaves it cut short by the pass's end."""
        if not self._phases:
            return 0
        rest = (self._seg_len - self._origin) / _cycle_seconds(self._phases)
        return self._cycle_base + max(1, math.ceil(rest - 1e-6))

    def _emit_cycles(self, seg: Segment, after: float, upto: float) -> None:
        """The part changes at positions in (after, upto], except the pass's end."""
        if not self._phases or upto <= after:
            return
        cycle_len = _cycle_seconds(self._phases)
        offsets = _offsets(self._phases)
        last = self._cycles() - self._cycle_base - 1
        first_cycle = max(0, int((after - self._origin) // cycle_len))
        last_cycle = min(int((upto - self._origin) // cycle_len), last)
        for cycle in range(first_cycle, last_cycle + 1):
            base = self._origin + cycle * cycle_len
            for part, offset in enumerate(offsets):
                boundary = base + offset
                if after < boundary <= upto and boundary < self._seg_len - TOLERANCE:
                    self._emit_part(seg, self._seg_start + boundary, cycle, part)

    def _next_boundary(self, elapsed: float) -> float | None:
        """The next part change after `elapsed` in the current pass, or None."""
        if not self._phases:
            return None
        cycle_len = _cycle_seconds(self._phases)
        cycle = max(0, int((elapsed - self._origin) // cycle_len))
        for c in (cycle, cycle + 1):
            base = self._origin + c * cycle_len
            for offset in _offsets(self._phases):
                boundary = base + offset
                if boundary > elapsed + TOLERANCE and boundary < self._seg_len - TOLERANCE:
                    return boundary
        return None

    def _part_at(self, elapsed: float) -> tuple[str, float, float, int, int]:
        """(part, its length, seconds into it, cycle number, cycles) at `elapsed` into the
        current pass. A part cut short by the pass's end has its shortened length."""
        cycle_len = _cycle_seconds(self._phases)
        total = self._cycles()
        rel = max(0.0, elapsed - self._origin)
        cycle = min(int(rel // cycle_len), total - self._cycle_base - 1)
        offset = rel - cycle * cycle_len
        start = 0.0
        part, seconds = self._phases[-1]
        for name, length in self._phases:
            if offset < start + length:
                part, seconds = name, length
                break
            start += length
        else:
            start = cycle_len - seconds
        part_start = self._origin + cycle * cycle_len + start
        seconds = max(min(seconds, self._seg_len - part_start), TOLERANCE)
        into = min(max(0.0, offset - start), seconds)
        return part, seconds, into, self._cycle_base + cycle + 1, total


def _cycle_seconds(phases: tuple[tuple[str, float], ...]) -> float:
    return sum(seconds for _, seconds in phases)


def _whole_cycles(seconds: float, phases: tuple[tuple[str, float], ...]) -> float:
    """`seconds` rounded to whole cycles of `phases` (halves up), at least one cycle: the
    length of a pass that ends on a whole breath (issue 14)."""
    cycle_len = _cycle_seconds(phases)
    return max(1, math.floor(seconds / cycle_len + 0.5)) * cycle_len


def _offsets(phases: tuple[tuple[str, float], ...]) -> list[float]:
    """Where each part starts within one cycle."""
    offsets = []
    total = 0.0
    for _, seconds in phases:
        offsets.append(total)
        total += seconds
    return offsets


def _gentler_text(step: object) -> str:
    """A step's gentler text: the text itself (massage, stretch), the `text` of a breathing
    step's gentler pattern, or "" when it has none."""
    gentler = getattr(step, "gentler", None)
    if gentler is None:
        return ""
    return gentler if isinstance(gentler, str) else gentler.text
