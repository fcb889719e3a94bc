"""`coach status`: one short line for a shell prompt or a tmux status bar.

    next break 10:52 · 1 plan item due · streak 4 days · breaks 3 taken, 1 skipped

Next break: from the state file a running `coach remind` keeps (its pid must be alive).
Plan items due today: as `coach due` counts them. Streak: from the history through
coach/history_view.py. Both are kept in the cache folder until the day, the history or a
plan changes. Breaks today: the tail of the break log. `--json` gives the same.
Fast enough for every prompt: no Textual, no pydantic, the standard library and Coach's
core only. A part that cannot be read is left out of the line (and null in --json).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from contextlib import suppress
from datetime import date, datetime
from pathlib import Path
from typing import Any

from coach.errors import CoachError


def register(sub: Any) -> None:
    p = sub.add_parser(
        "status",
        help="one line for a shell prompt or tmux: next break, plan items due, streak",
        description="One short line for a shell prompt or a tmux status bar: the next break "
        "(when `coach remind` runs), plan items due today, your streak and today's breaks.",
    )
    p.add_argument("--json", action="store_true", help="the same facts as JSON")
    p.set_defaults(func=cmd_status)


def reminder_state() -> dict[str, Any] | None:
    """What a running `coach remind` wrote about itself, or None when none runs."""
    from coach import paths
    from coach.files import pid_alive, read_own_bytes

    try:
        obj = json.loads(read_own_bytes(paths.remind_state_file(), 4096))
    except (OSError, ValueError):
        return None
    if not isinstance(obj, dict) or type(obj.get("pid")) is not int or not pid_alive(obj["pid"]):
        return None
    return obj


def _has_entries(folder: Path) -> bool:
    try:
        with os.scandir(folder) as entries:
            return any(True for _ in entries)
    except OSError:
        return False


def gather(today: date) -> dict[str, Any]:
    """The facts of the line: next_break (ISO time or null), reminder (its state or
    null), plan_items_due and plan_items_done (null when the plans cannot be read),
    streak_days (null when the history cannot be read), breaks_today (by event)."""
    from coach import paths
    from coach.breaks import count_breaks

    state = reminder_state()
    facts: dict[str, Any] = {
        "next_break": state.get("next_due") if state else None,
        "reminder": state.get("state") if state else None,
        **history_facts(today),
        "breaks_today": None,
    }
    with suppress(CoachError, OSError):
        facts["breaks_today"] = count_breaks(paths.breaks_file(), today, tail_only=True).today
    return facts


CACHE_NAME = "status.json"


def history_facts(today: date) -> dict[str, Any]:
    """plan_items_due, plan_items_done and streak_days for `today`. They change only with
    the day, the history (and the crash journal) and the plans, so the last answer is kept
    in the cache folder under the size, inode and mtime of each of those files: a prompt
    that finds them unchanged reads one small file instead of loading the history index
    and the plans (which costs more than the rest of the command)."""
    from coach import paths

    key = _fingerprint(today)
    cache = paths.cache_dir() / CACHE_NAME
    with suppress(OSError, ValueError, TypeError):
        from coach.files import read_own_bytes

        kept = json.loads(read_own_bytes(cache, 64 * 1024))
        if kept["key"] == key:
            return {name: kept[name] for name in ("plan_items_due", "plan_items_done", "streak_days")}
    facts = _compute(today)
    if None not in facts.values():  # an answer with a part missing is not kept
        with suppress(OSError):
            from coach.files import write_private_atomic

            data = json.dumps({"key": key, **facts}).encode("utf-8")
            write_private_atomic(cache, data, root=cache.parent.parent)
    return facts


def _fingerprint(today: date) -> list[Any]:
    """The day, and (name, inode, size, mtime) of the history, the journal and every file
    under the plans folder."""
    from coach import paths

    key: list[Any] = [today.isoformat()]
    for path in (paths.history_file(), paths.journal_file()):
        key.append(_stat(str(path)))
    for folder, dirs, files in os.walk(paths.plans_dir()):
        dirs.sort()
        key.append([folder, _stat(folder)])
        key.extend([name, _stat(os.path.join(folder, name))] for name in sorted(files))
    return key


def _stat(path: str) -> list[int] | None:
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return [info.st_ino, info.st_size, info.st_mtime_ns]


def _compute(today: date) -> dict[str, Any]:
    from coach import paths

    facts: dict[str, Any] = {"plan_items_due": None, "plan_items_done": None, "streak_days": None}
    # A prompt runs this line all day: a part that fails for any reason is left out (null)
    # rather than printing a traceback into every prompt; `coach due` tells the problem.
    with suppress(Exception):
        items: list[tuple[str, str, bool]] = []
        if _has_entries(paths.plans_dir()):  # no plan: nothing to load for them
            from coach.commands.remind import plan_items_due

            items = plan_items_due(today)
        facts["plan_items_due"] = sum(1 for item in items if not item[2])
        facts["plan_items_done"] = sum(1 for item in items if item[2])
    with suppress(Exception):
        from coach.history_view import streak  # the index: no full parse

        history = paths.history_file()
        no_history = not os.path.lexists(history) and not os.path.lexists(paths.journal_file())
        facts["streak_days"] = 0 if no_history else streak(history, today)
    return facts


def status_line(facts: dict[str, Any]) -> str:
    """The one line, parts joined by " · " (ASCII " | " where the output cannot show it)."""
    parts = []
    if facts["next_break"]:
        with suppress(ValueError):
            at = datetime.fromisoformat(facts["next_break"]).astimezone()
            word = {"due": "break due now", "break": "on a break"}.get(facts["reminder"] or "")
            parts.append(word or f"next break {at:%H:%M}")
    due = facts["plan_items_due"]
    if due:
        parts.append(f"{due} plan item{'' if due == 1 else 's'} due")
    elif due == 0 and facts["plan_items_done"]:
        parts.append("plan done today")
    if facts["streak_days"]:
        days = facts["streak_days"]
        parts.append(f"streak {days} day{'' if days == 1 else 's'}")
    breaks = facts["breaks_today"]
    stopped = breaks.get("stopped", 0) if breaks else 0  # a break whose session was ended early
    if breaks and (breaks["taken"] or breaks["skipped"] or stopped):
        early = f", {stopped} stopped" if stopped else ""
        parts.append(f"breaks {breaks['taken']} taken{early}, {breaks['skipped']} skipped")
    if not parts:
        return "coach: nothing due"
    return _separator().join(parts)


def _separator() -> str:
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        "·".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return " | "
    return " · "


def cmd_status(args: argparse.Namespace) -> int:
    facts = gather(date.today())
    if args.json:
        print(json.dumps(facts, sort_keys=True))
    else:
        print(status_line(facts))
    return 0
