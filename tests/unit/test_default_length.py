"""The default length (a setting): stored and read back in settings.json, kept only when it is
a length `coach run --minutes` takes (1-120), and applied by `coach.start.request_from_args`
when no length is chosen and the session counts towards no plan."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from coach import start
from coach.errors import UsageError
from coach.settings import Settings, read_settings, save_settings
from tests.unit.test_start import args, library_in, stored

ON = date(2026, 12, 1)  # inside the plan `stored` writes (tests.helpers.plans.BASE)


def test_the_default_length_and_the_lead_in_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    assert Settings().default_minutes is None and Settings().lead_in is True  # as written, count on
    for minutes in (2, 20, 7.5, None):
        save_settings(Settings(default_minutes=minutes, lead_in=False), path)
        loaded = read_settings(path)
        assert loaded.problem is None
        assert (loaded.settings.default_minutes, loaded.settings.lead_in) == (minutes, False)
    assert json.loads(path.read_text())["default_minutes"] is None  # as written: null


@pytest.mark.parametrize("value", ["5", True, 0, 0.5, 121, -3, [5], {"m": 5}])
def test_a_default_length_coach_run_would_refuse_falls_back_alone(tmp_path: Path, value: Any) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"default_minutes": value, "volume": 30}))
    loaded = read_settings(path)
    assert loaded.settings.default_minutes is None and loaded.settings.volume == 30
    assert loaded.problem is not None and "default_minutes is " in loaded.problem
    assert "not null (as written) or a number of minutes from 1 to 120" in loaded.problem
    assert not loaded.writable  # the person's file is never written over


def test_a_whole_number_of_minutes_reads_as_an_int(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"default_minutes": 5.0}')
    minutes = read_settings(path).settings.default_minutes
    assert minutes == 5 and type(minutes) is int


def test_the_request_takes_the_default_length_without_a_length_chosen(tmp_path: Path) -> None:
    library = library_in(tmp_path)
    request, _ = start.request_from_args(args(default_minutes=5), library, tmp_path / "plans", today=ON)
    assert request.minutes == 5.0
    request, _ = start.request_from_args(args(default_minutes=5, minutes=2), library, tmp_path / "plans")
    assert request.minutes == 2.0  # --minutes wins
    request, _ = start.request_from_args(args(), library, tmp_path / "plans", today=ON)
    assert request.minutes is None  # no default: as written


def test_a_plans_session_runs_as_written_and_a_length_chosen_is_refused(tmp_path: Path) -> None:
    stored(tmp_path, "kim-2026")  # short-rest is its item: the session counts towards it
    library, plans = library_in(tmp_path), tmp_path / "plans"
    request, _ = start.request_from_args(args(default_minutes=5), library, plans, today=ON)
    assert (request.plan, request.minutes) == ("kim-2026", None)
    # A shortened plan session would count as a full one (issue 13): --minutes is refused.
    with pytest.raises(UsageError, match="run as written"):
        start.request_from_args(args(default_minutes=5, minutes=2), library, plans, today=ON)
    request, _ = start.request_from_args(args(default_minutes=5, no_plan=True), library, plans, today=ON)
    assert (request.plan, request.minutes) == (None, 5.0)
