"""What the tests of coach.start share: a session's journal state, a journal its crashed process
left, and opening a session in a data folder at a fixed start time."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from coach import start
from coach.journal import process_start
from coach.records import new_id
from tests.helpers.processes import dead_pid

ZONE = timezone(timedelta(hours=1))
STARTED = datetime(2026, 11, 26, 9, 12, tzinfo=ZONE)


def state(**changes: Any) -> dict[str, Any]:
    """The journal's `state` object of a 5 s rest, 2 s in; `changes` replace its fields."""
    return {
        "routine": "short-rest", "routine_title": "Short rest", "routine_hash": "sha256:" + "1" * 64,
        "plan": None, "started_at": "2026-11-26T09:12:03+01:00", "planned_seconds": 5,
        "active_seconds": 2.0, "steps_done": 0, "steps_total": 1, "pre": 3, "pauses": 0,
        "skips": 0, "gentler": 0, **changes,
    }  # fmt: skip


def crashed_journal(path: Path, **changes: Any) -> str:
    """A journal whose process died (as after SIGKILL); returns its record id."""
    record_id = new_id()
    pid = dead_pid()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"journal": 1, "pid": pid, "pid_start": process_start(pid), "boot_id": None,
                                "record_id": record_id, "updated_at": "2026-11-26T09:14:00+01:00",
                                "state": state(**changes)}))  # fmt: skip
    return record_id


def open_in(folder: Path, title: str = "Short rest", **kw: Any) -> start.OpenSession:
    """Open a (non-preview) session whose files live in `folder`, started at STARTED."""
    return start.open_session(title, history_path=folder / "history.jsonl",
                              journal_path=folder / "session.journal.json", started=STARTED,
                              **{"preview": False, **kw})  # fmt: skip
