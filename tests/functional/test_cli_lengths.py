"""Lengths read the same everywhere (issue 15): `coach list` shows "about N min" with the
one rounding (coach.text.length_minutes), and `--max-minutes N` keeps exactly what is shown
as about N minutes or less; `coach show` gives the exact total beside it."""

from __future__ import annotations

import json

from coach.text import length_minutes
from tests.helpers.command import RunCoach


def test_max_minutes_keeps_what_is_shown_as_about_that_long(run_coach: RunCoach) -> None:
    listed = json.loads(run_coach("list", "--json").stdout)
    desk = next(info for info in listed if info["id"] == "desk-micro-break")
    assert length_minutes(desk["seconds"]) == 3  # the "Three-minute desk break"
    table = run_coach("list").stdout.splitlines()
    for info in listed:
        [line] = [line for line in table if line.split()[0] == info["id"]]
        assert f"about {length_minutes(info['seconds'])} min" in line
    within = run_coach("list", "--max-minutes", "3", "--json").stdout
    kept = {info["id"] for info in json.loads(within)}
    assert kept == {info["id"] for info in listed if length_minutes(info["seconds"]) <= 3}
    assert "desk-micro-break" in kept


def test_show_gives_the_exact_total_and_the_rounded_one(run_coach: RunCoach) -> None:
    shown = run_coach("show", "desk-micro-break").stdout.splitlines()
    assert shown[0].startswith("Three-minute desk break  (desk-micro-break, ")
    [total] = [line for line in shown if line.startswith("Total: ")]
    assert total.endswith("(about 3 min)") and "min" in total.removeprefix("Total: ").split("(")[0]
