"""coach.breaks: the append-only log of breaks taken, stopped, skipped and postponed."""

from __future__ import annotations

import json
import os
import stat
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from coach.breaks import TAIL_BYTES, BreakCounts, append_break, breaks_line, count_breaks
from coach.errors import CoachError

TZ = timezone(timedelta(hours=1))
DAY = date(2026, 11, 26)


def at(days_ago: int, hour: int = 10) -> datetime:
    return datetime(2026, 11, 26, hour, 0, tzinfo=TZ) - timedelta(days=days_ago)


def test_append_is_private_whole_lines_and_counted_by_day(tmp_path: Path) -> None:
    log = tmp_path / "data" / "breaks.jsonl"
    append_break(log, "taken", at=at(0), routine="desk-micro-break")
    append_break(log, "skipped", at=at(0, 11), routine="desk-micro-break")
    append_break(log, "postponed", at=at(3), routine=None)
    append_break(log, "taken", at=at(10), routine="jaw-release")
    assert stat.S_IMODE(os.stat(log).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(log.parent).st_mode) == 0o700
    lines = log.read_text("utf-8").splitlines()
    assert [json.loads(line)["event"] for line in lines] == ["taken", "skipped", "postponed", "taken"]
    counts = count_breaks(log, DAY)
    assert counts.today == {"taken": 1, "stopped": 0, "skipped": 1, "postponed": 0}
    assert counts.last_7_days == {"taken": 1, "stopped": 0, "skipped": 1, "postponed": 1}
    assert counts.all_time == {"taken": 2, "stopped": 0, "skipped": 1, "postponed": 1}
    assert breaks_line(counts) == (
        "Breaks       today 1 taken, 1 skipped\n             last 7 days 1 taken, 1 skipped, 1 postponed"
    )


def test_append_never_rewrites_and_starts_after_a_torn_line(tmp_path: Path) -> None:
    log = tmp_path / "breaks.jsonl"
    log.write_bytes(b'{"format": 1, "at": "2026-11-26T09:00:00+01:00", "event": "taken"}\n{"torn')
    before = log.read_bytes()
    append_break(log, "skipped", at=at(0), routine="x")
    after = log.read_bytes()
    assert after.startswith(before)
    counts = count_breaks(log, DAY)
    assert counts.unreadable == 1
    assert counts.today["taken"] == 1 and counts.today["skipped"] == 1


def test_missing_log_counts_nothing_and_a_link_is_refused(tmp_path: Path) -> None:
    assert count_breaks(tmp_path / "none.jsonl", DAY).today["taken"] == 0
    target = tmp_path / "elsewhere"
    target.write_text("")
    link = tmp_path / "breaks.jsonl"
    link.symlink_to(target)
    with pytest.raises(CoachError, match="symbolic link"):
        append_break(link, "taken", at=at(0), routine=None)
    assert target.read_text() == ""


def test_unknown_event_is_a_programming_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        append_break(tmp_path / "b.jsonl", "ignored", at=at(0), routine=None)


def test_tail_reads_today_of_a_long_log(tmp_path: Path) -> None:
    log = tmp_path / "breaks.jsonl"
    old = json.dumps({"format": 1, "at": at(400).isoformat(), "event": "taken", "routine": "r"}) + "\n"
    log.write_text(old * (3 * TAIL_BYTES // len(old)), "utf-8")
    append_break(log, "taken", at=at(0), routine="r")
    append_break(log, "stopped", at=at(0, 12), routine="r")
    tail = count_breaks(log, DAY, tail_only=True)
    assert tail.all_time is None
    assert tail.unreadable == 0  # the cut first line is left out, not reported
    assert tail.today == {"taken": 1, "stopped": 1, "skipped": 0, "postponed": 0}
    assert count_breaks(log, DAY).all_time["taken"] > 100  # type: ignore[index]


def test_stats_lines_fit_80_columns_with_every_event_in_the_hundreds() -> None:
    counts = BreakCounts()
    for by in (counts.today, counts.last_7_days):
        by.update(dict.fromkeys(by, 999))
    lines = breaks_line(counts).splitlines()
    assert len(lines) == 2 and max(len(line) for line in lines) <= 80, lines


def test_a_taken_break_keeps_its_start_and_end(tmp_path: Path) -> None:
    log = tmp_path / "breaks.jsonl"
    append_break(log, "taken", at=at(0, 10), routine="box-breathing", ended=at(0, 10) + timedelta(minutes=5))
    append_break(log, "skipped", at=at(0, 11), routine="box-breathing")
    taken, skipped = (json.loads(line) for line in log.read_text().splitlines())
    assert taken["at"] == "2026-11-26T10:00:00+01:00" and taken["ended"] == "2026-11-26T10:05:00+01:00"
    assert "ended" not in skipped
    assert count_breaks(log, DAY).today["taken"] == 1
