"""The small log of breaks a reminder offered, and what was done: `breaks.jsonl`.

Not the session history (a session taken from a reminder is recorded there as any other);
this log only counts breaks: one JSON object a line,

    {"format": 1, "at": "2026-11-26T10:02:11+01:00", "event": "taken", "routine": "desk-micro-break",
     "ended": "2026-11-26T10:05:30+01:00"}

with `event` one of EVENTS. `at` is when the break began (for "taken" and "stopped": when
its session was started, not when it closed); "ended", only on those two, is when it was
over (readers that do not know it ignore it). Like the history it is append-only, each line written whole
under an exclusive `flock`, fsynced, mode 0600 in a 0700 folder, opened through
`coach.files.open_own` (no link followed, never a FIFO). A line that cannot be read is
skipped (counted in `BreakCounts.unreadable`); nothing is ever rewritten.

A break offered where nobody can answer (`coach remind` without a terminal: the systemd
service) is logged only when a session follows it: `claim_session` finds the session
started within the offer's window (`coach.remind.offer_window`), and the reminder appends
it as "taken" or "stopped", stamped with that session's start and end, as an answered
break is. An offer nobody took is not logged (it was neither taken nor skipped). A break
that fell due while a session ran is that session (`session_running_at`), logged by the same
rule when it ends. `clear_breaks` empties the log (`coach history clear`).
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.errors import CoachError
from coach.files import ensure_private_dir, error_text, open_own, read_own_bytes

if TYPE_CHECKING:
    from coach.records import SessionRecord

# taken: the break's session ran to its end; stopped: it was ended early; skipped: `s`;
# postponed: `p` (ten minutes later).
EVENTS = ("taken", "stopped", "skipped", "postponed")
TAIL_BYTES = 64 * 1024  # a day of breaks is a few hundred bytes: today's are in the tail


def append_break(
    path: Path, event: str, *, at: datetime, routine: str | None, ended: datetime | None = None
) -> None:
    """Append one break `event` (one of EVENTS) begun at local time `at` for `routine`;
    `ended`: when a taken or stopped break was over (left out when None).
    Raises CoachError (one sentence) when the log cannot be written."""
    if event not in EVENTS:
        raise ValueError(f"unknown break event {event!r}")
    entry: dict[str, Any] = {"format": 1, "at": at.isoformat(timespec="seconds"), "event": event,
                             "routine": routine}  # fmt: skip
    if ended is not None:
        entry["ended"] = ended.isoformat(timespec="seconds")
    line = json.dumps(entry, ensure_ascii=False) + "\n"
    path = Path(path)
    try:
        ensure_private_dir(path.parent)
        fd = open_own(path, os.O_RDWR | os.O_APPEND | os.O_CREAT)
    except OSError as exc:
        raise CoachError(f"{path}: cannot write the break log ({error_text(exc)})") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            line = "\n" + line  # a torn last line stays a line of its own
        data = line.encode("utf-8")
        try:
            while data:
                data = data[os.write(fd, data) :]
            os.fsync(fd)
        except OSError as exc:
            os.ftruncate(fd, size)  # no torn line left behind
            raise CoachError(f"{path}: cannot write the break log ({error_text(exc)})") from None
    finally:
        os.close(fd)  # releases the lock


def clear_breaks(path: Path) -> int:
    """Delete every entry of the break log (`coach history clear`: a person can delete all
    Coach keeps about them); returns how many lines it held (readable or not). The file is
    cut to nothing under the same exclusive `flock` as `append_break` takes, and synced, so
    a reminder appending at that moment writes either before (then deleted) or after. A
    missing log deletes nothing. Raises CoachError (one sentence) when it cannot be cut."""
    path = Path(path)
    try:
        fd = open_own(path, os.O_RDWR)
    except FileNotFoundError:
        return 0
    except OSError as exc:
        raise CoachError(f"{path}: cannot clear the break log ({error_text(exc)})") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        size = os.fstat(fd).st_size
        count = sum(1 for line in os.pread(fd, size, 0).splitlines() if line.strip())
        os.ftruncate(fd, 0)
        os.fsync(fd)
    except OSError as exc:
        raise CoachError(f"{path}: cannot clear the break log ({error_text(exc)})") from None
    finally:
        os.close(fd)  # releases the lock
    return count


@dataclass(frozen=True)
class Offer:
    """A break offered where nobody could answer: at local time `at`, of `routine`; a
    session started from `at` (to the second) up to `until` (local time; `at` plus
    `coach.remind.offer_window`) is that break taken."""

    at: datetime
    until: datetime
    routine: str | None

    def claims(self, started: datetime) -> bool:
        """Whether a session started at `started` (an aware datetime) is this break."""
        return self.at.replace(microsecond=0) <= started <= self.until


def claim_session(records: Iterable[SessionRecord], offer: Offer) -> SessionRecord | None:
    """The first session (by start time) of `records` that `offer` claims, or None. A
    record whose start cannot be read is passed over."""
    chosen: SessionRecord | None = None
    for record in records:
        try:
            started = record.started()
            if not offer.claims(started):
                continue
        except (ValueError, TypeError):
            continue
        if chosen is None or started < chosen.started():
            chosen = record
    return chosen


def session_running_at(records: Iterable[SessionRecord], moment: datetime) -> SessionRecord | None:
    """The session of `records` that was running at `moment` (an aware datetime): the one
    started last at or before it (to the second) whose end is not before it (a record whose
    end cannot be read counts as running). None when there is none (the session is not in
    the history: it was refused, or it crashed and is not recovered yet). A record whose
    start cannot be read is passed over. `coach remind` logs it with `claimed_event` when a
    break fell due while it ran (the reminder was silent for it)."""
    second = moment.replace(microsecond=0)
    chosen: tuple[datetime, SessionRecord] | None = None
    for record in records:
        try:
            started = record.started()
            if started > moment or (chosen is not None and started <= chosen[0]):
                continue
        except (ValueError, TypeError):  # unreadable, or with no UTC offset
            continue
        _event, _at, ended = claimed_event(record)
        if ended is not None and ended < second:
            continue  # over before `moment`: an earlier session
        chosen = (started, record)
    return chosen[1] if chosen is not None else None


def claimed_event(record: SessionRecord) -> tuple[str, datetime, datetime | None]:
    """(event, at, ended) to append for a claimed session: "taken" when it ran to its end,
    else "stopped" (as an answered break's session counts), at its start, ended at its end
    (None when that cannot be read, or has no UTC offset)."""
    try:
        ended: datetime | None = datetime.fromisoformat(record.ended_at)
    except (ValueError, TypeError):
        ended = None
    if ended is not None and ended.tzinfo is None:
        ended = None  # not comparable with the local time
    return ("taken" if record.ran_to_end else "stopped"), record.started(), ended


@dataclass
class BreakCounts:
    """Breaks by event: today, in the last 7 days (today included) and in all the log
    read (`all_time` is None when only the tail was read). `unreadable`: lines skipped."""

    today: dict[str, int] = field(default_factory=lambda: dict.fromkeys(EVENTS, 0))
    last_7_days: dict[str, int] = field(default_factory=lambda: dict.fromkeys(EVENTS, 0))
    all_time: dict[str, int] | None = field(default_factory=lambda: dict.fromkeys(EVENTS, 0))
    unreadable: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"today": self.today, "last_7_days": self.last_7_days, "all_time": self.all_time}


def count_breaks(path: Path, today: date, *, tail_only: bool = False) -> BreakCounts:
    """Count the log's events by local day of `at`. `tail_only`: read only the last
    TAIL_BYTES (enough for today and the last week; `all_time` is then None), for
    `coach status`. A missing log counts nothing; an unreadable one raises CoachError."""
    counts = BreakCounts()
    if tail_only:
        counts.all_time = None
    try:
        raw = _tail(path) if tail_only else read_own_bytes(path)
    except FileNotFoundError:
        return counts
    except OSError as exc:
        raise CoachError(f"{path}: cannot read the break log ({error_text(exc)})") from None
    week_start = today - timedelta(days=6)
    for line in raw.splitlines():
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            event = obj["event"]
            day = datetime.fromisoformat(obj["at"]).date()
            if event not in EVENTS:
                raise ValueError(event)
        except (ValueError, KeyError, TypeError):
            counts.unreadable += 1
            continue
        if counts.all_time is not None:
            counts.all_time[event] += 1
        if week_start <= day <= today:
            counts.last_7_days[event] += 1
        if day == today:
            counts.today[event] += 1
    return counts


def _tail(path: Path) -> bytes:
    fd = open_own(Path(path), os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        start = max(0, size - TAIL_BYTES)
        data = os.pread(fd, size - start, start)
    finally:
        os.close(fd)
    if start:
        data = data[data.find(b"\n") + 1 :]  # the first line may be cut: leave it out
    return data


def breaks_line(counts: BreakCounts, dot: str = "·") -> str:
    """The lines `coach stats` shows, in its two columns (label, then text at column 14)
    and within 80 columns (at most 73 characters up to 999 of each event):

        Breaks       today 2 taken, 1 skipped
                     last 7 days 9 taken, 3 skipped, 2 postponed

    `dot` is kept for callers that pass the separator of their output; two lines need none."""

    def words(by: dict[str, int]) -> str:
        shown = [f"{by[e]} {e}" for e in EVENTS if by[e] or e in ("taken", "skipped")]
        return ", ".join(shown)

    return f"Breaks       today {words(counts.today)}\n{'':13}last 7 days {words(counts.last_7_days)}"


def stats_json(path: Path, today: date) -> dict[str, Any] | None:
    """The break counts for `coach stats --json` (today, last 7 days, all time by event),
    or None when the log cannot be read."""
    try:
        return count_breaks(path, today).to_json()
    except CoachError:
        return None


def stats_text(path: Path, today: date, dot: str = "·") -> str:
    """The break line of `coach stats` with its line break, after a blank line; "" when
    no break was ever logged or the log cannot be read."""
    try:
        counts = count_breaks(path, today)
    except CoachError:
        return ""
    if not counts.all_time or not any(counts.all_time.values()):
        return ""
    return "\n" + breaks_line(counts, dot) + "\n"
