"""Practice and the guidance of issue 14: "too much" → each choice → the record's
`discomfort` list (journaled, so a crash keeps it), the lead-in, reps and the gentler pacer."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from coach.history import HistoryStore
from coach.journal import Journal, read_journal, recover_journal
from coach.practice import Practice
from tests.helpers.processes import dead_pid
from tests.helpers.routines import make_routine, massage, rest

T0 = 500.0
ZONE = timezone(timedelta(hours=1))


def wall() -> datetime:
    return datetime(2026, 11, 26, 9, 12, 3, tzinfo=ZONE)


def routine() -> Any:
    return make_routine(
        massage("Knead the shoulder", 40, side="each", pressure="firm", gentler="Flat fingers."),
        {"type": "breathing", "title": "Box", "pattern": "box", "cycles": 2,
         "gentler": {"pattern": "extended-exhale", "text": "Leave out the holds."}},
        {"type": "massage", "title": "Hold the spot", "instruction": "Press and hold.", "area": "neck",
         "reps": {"count": 2, "hold": 5, "release": 3}},
        rest("Notice", 10),
    )  # fmt: skip


def practice(tmp_path: Path, *, pid: int | None = None, lead_in: float = 0.0) -> Practice:
    return Practice(routine(), pre=6, store=HistoryStore(tmp_path / "history.jsonl"),
                    journal=Journal(tmp_path / "journal.json", pid=pid), wall=wall, away_after=None,
                    lead_in=lead_in)  # fmt: skip


def lines(tmp_path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (tmp_path / "history.jsonl").read_text().splitlines()]


def test_each_press_and_choice_is_kept_in_the_record(tmp_path: Path) -> None:
    p = practice(tmp_path)
    p.start(T0)
    assert p.too_much(T0 + 12.34)
    assert p.relief_choices(T0 + 12.34) == ("gentler", "lighter", "skip", "end")
    assert p.relieve(T0 + 13, "lighter")
    assert p.snapshot(T0 + 14).pressure == "medium"
    assert p.too_much(T0 + 20) and p.relieve(T0 + 20, "skip")  # both sides dropped
    assert p.snapshot(T0 + 20).title == "Box"
    assert p.too_much(T0 + 25) and p.relieve(T0 + 25, "gentler")
    assert p.current_phases == (("inhale", 4.0), ("exhale", 6.0))
    assert p.too_much(T0 + 30) and p.relieve(T0 + 30, "end")
    record = p.record(T0 + 31, post=4)
    assert record is not None and p.state == "quit"
    assert [dict(d) for d in record.discomfort] == [
        {"step": 1, "title": "Knead the shoulder", "at": 12.3, "choice": "lighter"},
        {"step": 1, "title": "Knead the shoulder", "at": 19.3, "choice": "skip"},
        {"step": 2, "title": "Box", "at": 24.3, "choice": "gentler"},
        {"step": 2, "title": "Box", "at": 29.3, "choice": "end"},
    ]
    (stored,) = lines(tmp_path)
    assert stored["discomfort"] == [dict(d) for d in record.discomfort]
    assert stored["gentler"] == 1 and stored["pauses"] == 0 and stored["completed"] is False


def test_a_press_without_a_choice_is_kept_with_a_null_choice(tmp_path: Path) -> None:
    p = practice(tmp_path)
    p.start(T0)
    p.too_much(T0 + 5)
    p.resume(T0 + 8)  # the person went on as before
    record = p.record(T0 + 9)
    assert record is not None
    assert [dict(d) for d in record.discomfort] == [
        {"step": 1, "title": "Knead the shoulder", "at": 5.0, "choice": None}]


def test_the_journal_keeps_the_presses_so_a_crash_keeps_them(tmp_path: Path) -> None:
    p = practice(tmp_path, pid=dead_pid())  # as if written by a process now gone
    p.start(T0)
    p.too_much(T0 + 7)
    info = read_journal(tmp_path / "journal.json")
    assert info is not None and info.state["discomfort"][0]["choice"] is None
    p.relieve(T0 + 8, "lighter")
    info = read_journal(tmp_path / "journal.json")
    assert info is not None and info.state["discomfort"][0]["choice"] == "lighter"
    recovered = recover_journal(HistoryStore(tmp_path / "history.jsonl"), tmp_path / "journal.json")
    assert recovered is not None
    assert [dict(d) for d in recovered.discomfort] == [
        {"step": 1, "title": "Knead the shoulder", "at": 7.0, "choice": "lighter"}]
    assert lines(tmp_path)[0]["discomfort"] == [
        {"step": 1, "title": "Knead the shoulder", "at": 7.0, "choice": "lighter"}]


def test_a_session_without_presses_records_an_empty_list(tmp_path: Path) -> None:
    p = practice(tmp_path)
    p.start(T0)
    p.poll(T0 + 200)
    record = p.record(T0 + 200, post=3)
    assert record is not None and record.completed and record.discomfort == ()
    assert lines(tmp_path)[0]["discomfort"] == []


def test_the_lead_in_passes_at_the_preview_speed_and_is_not_practice_time(tmp_path: Path) -> None:
    # The caller's clock runs in session seconds; a preview at speed 10 passes the 3 s
    # lead-in in 0.3 real seconds, like every other part of the routine.
    p = Practice(make_routine(rest("Rest", 10)), speed=10, away_after=None, lead_in=3.0)
    p.start(T0)
    assert p.snapshot(T0 + 1.5).lead_in_left == pytest.approx(1.5)
    assert p.snapshot(T0 + 4).active_seconds == pytest.approx(1.0)


def test_a_reps_step_has_no_pacer_phases(tmp_path: Path) -> None:
    p = practice(tmp_path)
    p.start(T0)
    p.skip(T0)
    p.skip(T0)
    p.skip(T0)  # left, right, box: now the reps
    assert p.snapshot(T0).title == "Hold the spot" and p.current_phases == ()
    assert p.snapshot(T0 + 6).rep is not None


def test_the_lead_in_setting_is_on_by_default_and_kept(tmp_path: Path) -> None:
    from coach.settings import Settings, read_settings, save_settings

    assert Settings().lead_in is True
    path = tmp_path / "settings.json"
    save_settings(Settings().with_(lead_in=False), path)
    assert json.loads(path.read_text())["lead_in"] is False
    assert read_settings(path).settings.lead_in is False
    path.write_text('{"lead_in": "yes"}')
    loaded = read_settings(path)
    assert loaded.settings.lead_in is True and "lead_in is" in (loaded.problem or "")


# --- a step's first cue after its bell (issue 14: the first hold and inhale had none) ----------


class CuePlayer:
    """Records cues, and what the voice was told (the cue it waits for, and when)."""

    def __init__(self) -> None:
        self.played: list[str] = []
        self.followed: list[tuple[str | None, float]] = []
        self.voice = self

    def play(self, cue: str) -> None:
        self.played.append(cue)

    def follow(self, events: Any, routine: Any, cue: str | None = None, *, tone_at: float = 0.0) -> None:
        self.followed.append((cue, tone_at))


REPS_THEN_BOX = make_routine(
    {"type": "stretch", "title": "Shrugs", "instruction": "Lift.", "area": "shoulders",
     "reps": {"count": 2, "hold": 3, "release": 2}},
    {"type": "breathing", "title": "Box", "pattern": "box", "cycles": 1},
)  # fmt: skip


def test_the_first_hold_tick_follows_the_bell_and_wakes_the_runner() -> None:
    from coach.practice import FIRST_CUE_AFTER

    player = CuePlayer()
    p = Practice(REPS_THEN_BOX, player=player, away_after=None)  # type: ignore[arg-type]
    p.start(T0)
    p.poll(T0)
    assert player.played == ["bell"]
    assert player.followed == [("tick", FIRST_CUE_AFTER)]  # the voice waits for the tick too
    assert p.next_due(T0) == pytest.approx(T0 + FIRST_CUE_AFTER)  # before the release at 3 s
    p.poll(T0 + 0.2)
    assert player.played == ["bell"]
    p.poll(T0 + FIRST_CUE_AFTER)
    assert player.played == ["bell", "tick"]
    assert p.next_due(T0 + FIRST_CUE_AFTER) == pytest.approx(T0 + 3)  # then the engine's own
    p.poll(T0 + 3)
    assert player.played == ["bell", "tick", "tick"]  # the release


def test_the_first_inhale_tone_follows_the_bell_at_the_preview_speed_too() -> None:
    from coach.practice import FIRST_CUE_AFTER

    player = CuePlayer()
    p = Practice(REPS_THEN_BOX, player=player, away_after=None, speed=10)  # type: ignore[arg-type]
    p.start(T0)
    p.skip(T0)
    p.poll(T0)
    assert player.played == ["bell"]
    p.poll(T0 + FIRST_CUE_AFTER * 10)  # real seconds: 10 session seconds a second
    assert player.played == ["bell", "inhale"]


def test_a_pause_or_a_newer_event_drops_the_waiting_first_cue() -> None:
    player = CuePlayer()
    p = Practice(REPS_THEN_BOX, player=player, away_after=None)  # type: ignore[arg-type]
    p.start(T0)
    p.poll(T0)
    p.pause(T0 + 0.1)
    p.poll(T0 + 0.1)
    p.poll(T0 + 1)
    assert player.played == ["bell"]
    p.resume(T0 + 2)
    p.skip(T0 + 2)  # the box: its bell, and its inhale to come
    p.poll(T0 + 2)
    p.skip(T0 + 2.1)  # the end comes first
    p.poll(T0 + 2.1)
    p.poll(T0 + 3)
    assert player.played == ["bell", "bell", "finish"]


def test_the_journal_follows_the_plan_a_gentler_pattern_changes(tmp_path: Path) -> None:
    p = practice(tmp_path)
    p.start(T0)
    p.skip(T0)
    p.skip(T0)  # both sides of the massage: now the box, 32 s
    planned = read_journal(tmp_path / "journal.json").state["planned_seconds"]
    p.toggle_gentler(T0 + 1)  # 31 s left → 3 cycles of 10 s: the pass is 31 s, the plan 1 s shorter
    assert read_journal(tmp_path / "journal.json").state["planned_seconds"] == planned - 1
    record = p.record(T0 + 2)
    assert record is not None and record.planned_seconds == planned - 1


def test_a_step_skipped_to_during_a_count_in_waits_with_its_first_cue() -> None:
    player = CuePlayer()
    p = Practice(REPS_THEN_BOX, player=player, away_after=None, lead_in=3.0)  # type: ignore[arg-type]
    p.start(T0)
    p.skip(T0 + 1)  # during the first count-in: the box is told, its breath not begun
    p.poll(T0 + 1)
    p.poll(T0 + 1.5)
    assert "inhale" not in player.played
