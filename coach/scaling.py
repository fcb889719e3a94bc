"""A routine scaled to about N minutes (`coach run --minutes N`, the app's length choice).

Every timed step is scaled by one common factor, in the units a person is cued in: whole
seconds for a timed massage, stretch or rest step, whole breathing cycles for a breathing
step, whole repetitions for a step with `reps` (hold and release keep their lengths: only
`count` changes). Each step stays within the routine format's bounds (DESIGN.md, Routine
format; `coach.routine`): a timed step 5-1800 s, 1-360 breathing cycles and a breathing
step at most 1800 s, 1-30 reps lasting 5-1800 s, the routine at most 2 hours. Steps keep
their order, titles, text and sides; the id and the title stay, so the record names the
same routine, and its `planned_seconds` is the scaled routine's length.

Two rules keep a scaled routine true to what it prescribes (issue 15): a step marked
`"scalable": false` (its count or length is the dose: four 4-7-8 breaths, three sighs) keeps
its written length, and a rest step grows to at most REST_STRETCH times its written length
(a rest pads a practice; it is not the practice). When the target lies beyond what the
other steps can reach, the result is as near as they allow and `scaling_note` says so;
`length_bounds` gives the range a length choice may honestly offer.

How: the factor is found by bisection (the total is a non-decreasing step function of it),
so the steps keep their proportions; then single-unit changes that bring the total closer
to the target are made, the smallest first, to take up what whole units left over. When
the bounds do not allow the target (every step already at its shortest or longest), the
result is as near as they allow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coach.routine import Routine

# The format's bounds (coach.routine: Seconds, Reps, BreathingStep.cycles, MAX_TOTAL_SECONDS).
MIN_STEP_SECONDS = 5
MAX_STEP_SECONDS = 1800
MAX_CYCLES = 360
MAX_REPS = 30
MAX_TOTAL_SECONDS = 2 * 60 * 60
# A rest step is stretched to at most three times its written length: "Breathe normally" for
# a minute and a half after 4-7-8 is a pause, for five minutes it is padding (issue 15).
REST_STRETCH = 3
# A scaled total this far from the target (a fraction of it) is said (`scaling_note`); nearer,
# the whole units explain it (issue 15: totals within 10 %).
TOLERANCE = 0.10
# `--minutes`: what may be asked for (a minute at the least; the format's two hours at most).
MIN_MINUTES = 1.0
MAX_MINUTES = MAX_TOTAL_SECONDS / 60
# Single-unit corrections after the bisection: enough for any routine of 200 steps.
_MAX_NUDGES = 4000


@dataclass
class _Knob:
    """One step's scalable quantity: `value` units of `unit` seconds each (a side's pass
    times the number of sides), between `low` and `high` units."""

    index: int
    value: int
    original: int
    unit: float
    low: int
    high: int

    @property
    def seconds(self) -> float:
        return self.value * self.unit


def _knob(index: int, step: Any) -> _Knob:
    knob = _free_knob(index, step)
    if not getattr(step, "scalable", True):  # the dose itself: as written
        knob.low = knob.high = knob.original
    elif step.type == "rest":
        knob.high = max(knob.original, min(knob.high, knob.original * REST_STRETCH))
    return knob


def _free_knob(index: int, step: Any) -> _Knob:
    sides = len(step.sides)
    if step.type == "breathing":
        cycle = step.cycle_seconds
        high = max(1, min(MAX_CYCLES, math.floor(MAX_STEP_SECONDS / cycle + 1e-9)))
        return _Knob(index, step.resolved_cycles, step.resolved_cycles, cycle * sides, 1, high)
    reps = getattr(step, "reps", None)
    if reps is not None:
        one = reps.hold + reps.release
        low = max(1, math.ceil(MIN_STEP_SECONDS / one - 1e-9))
        high = max(low, min(MAX_REPS, math.floor(MAX_STEP_SECONDS / one + 1e-9)))
        return _Knob(index, reps.count, reps.count, float(one * sides), low, high)
    return _Knob(index, step.seconds, step.seconds, float(sides), MIN_STEP_SECONDS, MAX_STEP_SECONDS)


def _round_half_up(value: float) -> int:
    return math.floor(value + 0.5)


def _at(knobs: list[_Knob], factor: float) -> list[int]:
    return [min(k.high, max(k.low, _round_half_up(k.original * factor))) for k in knobs]


def _total(knobs: list[_Knob], values: list[int]) -> float:
    return sum(value * k.unit for k, value in zip(knobs, values, strict=True))


def _proportional(knobs: list[_Knob], target: float) -> list[int]:
    """The values at the common factor whose total is nearest `target` (bisection on the
    factor: the total never falls as the factor grows)."""
    low, high = 0.0, 1.0
    while _total(knobs, _at(knobs, high)) < target and high < 1e6:
        high *= 2
    for _ in range(60):
        middle = (low + high) / 2
        if _total(knobs, _at(knobs, middle)) < target:
            low = middle
        else:
            high = middle
    below, above = _at(knobs, low), _at(knobs, high)
    if abs(_total(knobs, below) - target) < abs(_total(knobs, above) - target):
        return below
    return above


def _nudge(knobs: list[_Knob], values: list[int], target: float) -> list[int]:
    """Single-unit changes, each the one that brings the total nearest the target (the
    smaller unit on a tie, so that a breathing step is not stretched to fix a second)."""
    values = list(values)
    total = _total(knobs, values)
    for _ in range(_MAX_NUDGES):
        error = target - total
        direction = 1 if error > 0 else -1
        best: tuple[float, float, int] | None = None
        for position, knob in enumerate(knobs):
            moved = values[position] + direction
            if not knob.low <= moved <= knob.high:
                continue
            new_error = abs(error - direction * knob.unit)
            if new_error < abs(error) - 1e-9 and (best is None or (new_error, knob.unit) < best[:2]):
                best = (new_error, knob.unit, position)
        if best is None:
            break
        values[best[2]] += direction
        total += direction * knobs[best[2]].unit
    return values


def _rebuilt(step: Any, value: int) -> Any:
    if step.type == "breathing":
        return step.model_copy(update={"cycles": value, "seconds": None})
    reps = getattr(step, "reps", None)
    if reps is not None:
        return step.model_copy(update={"reps": reps.model_copy(update={"count": value})})
    return step.model_copy(update={"seconds": value})


def scale_routine(routine: Routine, target_seconds: float) -> Routine:
    """`routine` with its timed steps scaled so that it lasts about `target_seconds`
    (seconds; clamped to at most the format's 2 hours): the same id, title and steps in
    the same order, every step within the format's bounds (see the module docstring).
    The total is as near the target as whole seconds, cycles and reps and those bounds
    allow; for the built-in routines at 2, 5 and 10 minutes it is within 10 %
    (tests/unit/test_scaling.py). Raises ValueError for a target that is not a positive
    finite number. Pure: the given routine is not changed."""
    if not (isinstance(target_seconds, int | float) and math.isfinite(target_seconds) and target_seconds > 0):
        raise ValueError(f"the target length must be a positive number of seconds, got {target_seconds!r}")
    target = min(float(target_seconds), float(MAX_TOTAL_SECONDS))
    knobs = [_knob(index, step) for index, step in enumerate(routine.steps)]
    values = _nudge(knobs, _proportional(knobs, target), target)
    while _total(knobs, values) > MAX_TOTAL_SECONDS:  # the format's limit over the target's
        position = max(range(len(knobs)), key=lambda p: values[p] * knobs[p].unit)
        if values[position] <= knobs[position].low:
            break
        values[position] -= 1
    steps = [step if value == knob.original else _rebuilt(step, value)
             for step, knob, value in zip(routine.steps, knobs, values, strict=True)]  # fmt: skip
    return routine.model_copy(update={"steps": steps})


def scaled_seconds(routine: Routine, minutes: float | None) -> float:
    """Seconds a session of `routine` at about `minutes` (None: as written) really lasts: the
    `scale_routine` total, which may be far from what was asked when the routine cannot reach
    it (`scaling_note`). What a hint of a chosen length shows (home's "r again", the
    reminder's break), so it never promises more than the session gives. Raises ValueError
    as `scale_routine` does."""
    if minutes is None:
        return float(routine.total_seconds)
    return float(scale_routine(routine, minutes * 60).total_seconds)


def check_minutes(value: object) -> float | None:
    """`--minutes N`: None (as written), or a number of minutes from MIN_MINUTES to
    MAX_MINUTES (the format's 2 hours). Raises coach.errors.UsageError for anything else."""
    from coach.errors import UsageError

    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
            or not MIN_MINUTES <= value <= MAX_MINUTES:  # fmt: skip
        # A number as typed ("got 0", not argparse's float "got 0.0"), anything else as it is.
        number = isinstance(value, int | float) and not isinstance(value, bool)
        shown = f"{value:g}" if number else repr(value)
        raise UsageError(f"--minutes must be a number from {MIN_MINUTES:g} to {MAX_MINUTES:g}, got {shown}")
    return float(value)


def length_bounds(routine: Routine) -> tuple[float, float]:
    """(shortest, longest) seconds `scale_routine` can make of `routine`: every scalable step
    at its shortest or longest (module docstring: format bounds, REST_STRETCH), the
    non-scalable steps as written, the longest at most the format's 2 hours."""
    knobs = [_knob(index, step) for index, step in enumerate(routine.steps)]
    low = _total(knobs, [k.low for k in knobs])
    high = _total(knobs, [k.high for k in knobs])
    return low, min(high, float(MAX_TOTAL_SECONDS))


def reachable(routine: Routine, minutes: float) -> bool:
    """Whether about `minutes` minutes is a length `routine` can honestly be scaled to: the
    scaled total within TOLERANCE of it (what the app's length choice offers)."""
    return scaling_note(routine, minutes * 60) is None


def _dose_words(step: Any) -> str:
    """A non-scalable step's dose: "4 breaths", "3 sighs", "3 holds", "20 seconds"."""
    from coach.text import plural

    if step.type == "breathing":
        word = "sigh" if "sigh" in step.title.lower() else "breath"
        return plural(step.resolved_cycles * len(step.sides), word)
    reps = getattr(step, "reps", None)
    if reps is not None:
        return plural(reps.count * len(step.sides), "hold")
    return f"{step.total_seconds:g} seconds"


def scaling_note(routine: Routine, target_seconds: float) -> str | None:
    """None when `scale_routine(routine, target_seconds)` lasts within TOLERANCE of the target;
    else one sentence saying how near it comes and why, e.g. "4-7-8 breathing can be
    stretched to about 4 min at most: its 4 breaths are the dose." (the reason names the
    longest non-scalable step; without one, the format's bounds). Raises ValueError as
    `scale_routine` does."""
    from coach.text import duration_about

    scaled = scale_routine(routine, target_seconds).total_seconds
    if abs(scaled - target_seconds) <= TOLERANCE * target_seconds:
        return None
    longer = target_seconds > scaled
    how = "stretched to" if longer else "shortened to"
    most = "at most" if longer else "at least"
    fixed = [step for step in routine.steps if not getattr(step, "scalable", True)]
    if fixed:
        dose = max(fixed, key=lambda step: step.total_seconds)
        words = _dose_words(dose)
        why = f"its {words} ({dose.title}) {'is' if words.startswith('1 ') else 'are'} the dose"
    elif longer:
        why = "its steps are at their longest"
    else:
        why = "its steps are at their shortest"
    return f"{routine.title} can be {how} {duration_about(scaled)} {most}: {why}."
