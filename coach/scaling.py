"""A routine scaled to about N minutes (`coach run --minutes N`, the app's length choice).

Every timed step is scaled by one common factor, in the units a person is cued in: whole
seconds for a timed massage, stretch or rest step, whole breathing cycles for a breathing
step, whole repetitions for a step with `reps` (hold and release keep their lengths: only
`count` changes). Each step stays within the routine format's bounds (DESIGN.md, Routine
format; `coach.routine`): a timed step 5-1800 s, 1-360 breathing cycles and a breathing
step at most 1800 s, 1-30 reps lasting 5-1800 s, the routine at most 2 hours. Steps keep
their order, titles, text and sides; the id and the title stay, so the record names the
same routine, and its `planned_seconds` is the scaled routine's length.

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


def check_minutes(value: object) -> float | None:
    """`--minutes N`: None (as written), or a number of minutes from MIN_MINUTES to
    MAX_MINUTES (the format's 2 hours). Raises coach.errors.UsageError for anything else."""
    from coach.errors import UsageError

    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
            or not MIN_MINUTES <= value <= MAX_MINUTES:  # fmt: skip
        raise UsageError(f"--minutes must be a number from {MIN_MINUTES:g} to {MAX_MINUTES:g}, got {value!r}")
    return float(value)
