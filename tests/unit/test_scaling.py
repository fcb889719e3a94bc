"""A routine scaled to about N minutes (coach.scaling): every built-in routine at 2, 5 and
10 minutes lasts within 10 % of that, or as near as the format's bounds allow; every step
stays valid; the id and title stay; breathing is scaled in whole cycles, reps in whole reps."""

from __future__ import annotations

import pytest

from coach.errors import UsageError
from coach.library import Library
from coach.paths import builtin_routines_dir
from coach.routine import Routine
from coach.scaling import check_minutes, scale_routine
from coach.text import length_minutes

BUILT_IN = Library(builtin_routines_dir())  # built-in routines only, no cache


def _builtins() -> list[Routine]:
    return [BUILT_IN.load(info) for info in BUILT_IN.infos() if info.source == "built-in"]


ROUTINES = _builtins()


def _at_bounds(scaled: Routine, shorter: bool) -> bool:
    """Every step already at its shortest (`shorter`) or longest the format allows."""
    from coach.scaling import _knob

    knobs = [_knob(i, step) for i, step in enumerate(scaled.steps)]
    return all(k.value == (k.low if shorter else k.high) for k in knobs)


@pytest.mark.parametrize("minutes", [2, 5, 10])
@pytest.mark.parametrize("routine", ROUTINES, ids=[r.id for r in ROUTINES])
def test_every_builtin_routine_scales_to_within_ten_percent(routine: Routine, minutes: int) -> None:
    target = minutes * 60
    scaled = scale_routine(routine, target)
    total = scaled.total_seconds
    if abs(total - target) > 0.1 * target:  # only where the bounds stop it
        assert _at_bounds(scaled, shorter=total > target), (routine.id, total, target)
    # Still a valid routine of format 1 (every bound checked again by the models).
    again = Routine.model_validate(scaled.model_dump(mode="json", by_alias=True, exclude_none=True))
    assert again.total_seconds == total
    assert (scaled.id, scaled.title, len(scaled.steps)) == (routine.id, routine.title, len(routine.steps))
    for before, after in zip(routine.steps, scaled.steps, strict=True):
        assert (after.type, after.title) == (before.type, before.title)
        if after.type == "breathing":
            assert after.cycles is not None and after.pattern == before.pattern
        reps = getattr(after, "reps", None)
        if reps is not None:
            assert (reps.hold, reps.release) == (before.reps.hold, before.reps.release)


def test_scaling_keeps_proportions_and_the_original() -> None:
    routine = next(r for r in ROUTINES if r.id == "neck-and-shoulders")
    before = routine.total_seconds
    doubled = scale_routine(routine, before * 2)
    assert routine.total_seconds == before  # not changed in place
    assert abs(doubled.total_seconds - 2 * before) <= 0.1 * before
    # Each step about doubled (whole units and the nudges aside).
    for old, new in zip(routine.steps, doubled.steps, strict=True):
        assert 1.5 <= new.total_seconds / old.total_seconds <= 2.5, (old.title, new.total_seconds)


def test_a_scaled_routine_lists_as_what_was_asked() -> None:
    for routine in ROUTINES:
        for minutes in (3, 5, 10):
            scaled = scale_routine(routine, minutes * 60)
            if abs(scaled.total_seconds - minutes * 60) <= 29:
                assert length_minutes(scaled.total_seconds) == minutes


def test_bounds_stop_the_scaling() -> None:
    routine = next(r for r in ROUTINES if r.id == "desk-micro-break")
    tiny = scale_routine(routine, 1)
    assert _at_bounds(tiny, shorter=True)
    huge = scale_routine(routine, 10**9)
    assert huge.total_seconds <= 2 * 60 * 60


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf")])
def test_a_bad_target_is_refused(bad: float) -> None:
    with pytest.raises(ValueError):
        scale_routine(ROUTINES[0], bad)


@pytest.mark.parametrize("bad", [0, 0.5, 121, float("nan"), True, "5"])
def test_minutes_option_is_checked(bad: object) -> None:
    with pytest.raises(UsageError, match="--minutes"):
        check_minutes(bad)
    assert check_minutes(None) is None and check_minutes(5) == 5.0
