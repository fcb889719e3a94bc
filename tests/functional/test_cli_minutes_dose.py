"""`coach run --minutes N` never scales a prescribed dose (issue 15): 4-7-8 at 10 minutes keeps
its four breaths (it gave 19), says in one line how far it can honestly go, and runs at that;
a reachable length says nothing extra."""

from __future__ import annotations

from tests.helpers.command import RunCoach

PREVIEW = ("--plain", "--speed", "100", "--mute", "--phases")


def test_minutes_past_the_dose_keep_it_and_say_so(run_coach: RunCoach) -> None:
    result = run_coach("run", "breathing-4-7-8", "--minutes", "10", *PREVIEW)
    assert result.returncode == 0, result.stderr
    assert ("coach: 4-7-8 breathing can be stretched to about 4 min at most: "
            "its 4 breaths (4-7-8 breaths) are the dose.") in result.stderr.splitlines()  # fmt: skip
    assert result.stdout.startswith("4-7-8 breathing: 4 steps, about 4 minutes")
    assert "Step 3 of 4: 4-7-8 breaths, 4 breaths," in result.stdout


def test_a_reachable_length_is_not_remarked_on(run_coach: RunCoach) -> None:
    result = run_coach("run", "breathing-4-7-8", "--minutes", "2", *PREVIEW)
    assert result.returncode == 0, result.stderr
    assert "at most" not in result.stderr and "the dose" not in result.stderr
    assert result.stdout.startswith("4-7-8 breathing: 4 steps, 2 minutes.")
