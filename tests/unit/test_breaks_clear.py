"""`coach history clear` deletes the break log too (coach.breaks.clear_breaks): a person
can delete all Coach keeps about them (DESIGN.md, History)."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from coach.breaks import append_break, clear_breaks, count_breaks
from coach.errors import CoachError

AT = datetime(2026, 11, 26, 10, 0, tzinfo=timezone(timedelta(hours=1)))


def test_clearing_empties_the_log_and_counts_every_line(tmp_path: Path) -> None:
    log = tmp_path / "breaks.jsonl"
    assert clear_breaks(log) == 0 and not log.exists()  # nothing to delete: nothing made
    append_break(log, "taken", at=AT, routine="neck-release", ended=AT + timedelta(minutes=3))
    append_break(log, "skipped", at=AT, routine="neck-release")
    with log.open("ab") as f:
        f.write(b"not json\n\n")  # an unreadable line is deleted and counted as well
    assert clear_breaks(log) == 3
    assert log.read_bytes() == b"" and (log.stat().st_mode & 0o777) == 0o600
    assert not any(count_breaks(log, AT.date()).all_time.values())  # type: ignore[union-attr]
    append_break(log, "taken", at=AT, routine="jaw-release")  # the log goes on after
    assert count_breaks(log, AT.date()).today["taken"] == 1


def test_a_link_in_place_of_the_log_is_refused_and_its_target_kept(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me\n")
    log = tmp_path / "breaks.jsonl"
    os.symlink(target, log)
    with pytest.raises(CoachError, match="cannot clear the break log"):
        clear_breaks(log)
    assert target.read_text() == "keep me\n"
