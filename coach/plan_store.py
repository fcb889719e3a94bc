"""The client's imported plans: one `<id>.json` per plan in the plans folder.

The stored copy is the therapist's file byte for byte (so a re-import of the same file is
recognised, and `x-` notes survive). The folder is private (0700) and each file 0600, like
the rest of the data. Writes go through a temporary file and a rename, so a plan is never
half written, and a temporary file a killed process left (`.ID.json.PID.tmp`) is removed
at the next write. Stored files are opened without following links or blocking
(`coach.files.read_own_bytes`). The library reads this folder to offer each plan's own routines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from coach.errors import CoachError, UsageError
from coach.files import (
    UnsafePathError,
    error_text,
    read_own_bytes,
    refuse_links_below,
    write_private_atomic,
)
from coach.plan import Plan, parse_plan, read_plan_bytes
from coach.routine import ID_PATTERN
from coach.validation import InvalidDocument


@dataclass(frozen=True)
class StoredPlan:
    plan: Plan
    path: Path


@dataclass(frozen=True)
class ImportResult:
    plan: Plan
    path: Path
    replaced: Plan | None  # the earlier version with this id, if there was one
    unchanged: bool  # the very same file was already imported


def plan_path(folder: Path, plan_id: str) -> Path:
    return folder / f"{plan_id}.json"


def read_stored(path: Path) -> Plan:
    """A stored plan. Its references were checked at import; they are not checked again,
    so a later Coach with new built-ins cannot make an imported plan unreadable."""
    try:
        data = read_own_bytes(path)  # not through a link, never blocking on a FIFO
    except UnsafePathError as exc:
        raise CoachError(exc.message) from None
    except OSError as exc:
        raise CoachError(f"{path}: cannot read: {error_text(exc)}") from None
    return parse_plan(data, str(path), frozenset(), check_references=False)


def import_plan(source: Path, folder: Path) -> ImportResult:
    """Validate `source` and store it as `<id>.json`; a plan with the same id is replaced."""
    from coach.library import builtin_routine_ids

    data = read_plan_bytes(source)
    plan = parse_plan(data, str(source), builtin_routine_ids())
    target = plan_path(folder, plan.id)
    replaced: Plan | None = None
    if target.exists():
        try:
            if read_own_bytes(target) == data:
                return ImportResult(plan, target, None, unchanged=True)
            replaced = read_stored(target)
        except UnsafePathError as exc:
            raise CoachError(f"{exc.message}; the plan was not stored") from None
        except (CoachError, OSError):
            replaced = None  # an unreadable old copy is simply replaced
    try:
        # The plans folder is Coach's own, inside the data folder: never through a link.
        write_private_atomic(target, data, root=folder.parent)
    except UnsafePathError as exc:
        raise CoachError(f"{exc.message}; the plan was not stored") from None
    except OSError as exc:
        raise CoachError(f"{target}: cannot store the plan: {error_text(exc)}") from None
    return ImportResult(plan, target, replaced, unchanged=False)


def list_plans(folder: Path) -> tuple[list[StoredPlan], list[str]]:
    """The stored plans by start date, and a line for each stored file that cannot be read."""
    plans: list[StoredPlan] = []
    problems: list[str] = []
    if not folder.is_dir():
        return plans, problems
    for path in sorted(folder.glob("*.json")):
        try:
            plans.append(StoredPlan(read_stored(path), path))
        except InvalidDocument as exc:
            problems.append(f"{exc.problems[0]} (stored plan skipped)")
        except CoachError as exc:
            problems.append(exc.message)
    plans.sort(key=lambda s: (s.plan.starts, s.plan.id))
    return plans, problems


def load_plan(folder: Path, plan_id: str) -> StoredPlan:
    path = plan_path(folder, plan_id)
    if not re.fullmatch(ID_PATTERN, plan_id) or not path.is_file():
        known = sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []
        hint = f"; imported plans: {', '.join(known)}" if known else "; no plan is imported yet"
        raise UsageError(f"no plan with id '{plan_id}'{hint}")
    return StoredPlan(read_stored(path), path)


def plan_note_for(folder: Path, plan_id: str, routine_id: str) -> str | None:
    """Check `coach run ROUTINE --plan ID` before it starts: an unknown plan is a usage
    error; a routine that is none of the plan's items gets a warning (the session is kept
    with the plan's id, but adherence counts items only)."""
    plan = load_plan(folder, plan_id).plan
    items = [item.routine for item in plan.items]
    if routine_id in items:
        return None
    return (f"'{routine_id}' is not one of plan '{plan_id}''s items ({', '.join(items)}); "
            "the session is recorded with the plan but does not count towards it")


def remove_plan(folder: Path, plan_id: str) -> Plan:
    """Delete the stored copy (its sessions stay in the history) and return what it was."""
    stored = load_plan(folder, plan_id)
    try:
        refuse_links_below(folder.parent, folder)  # never delete through a linked plans folder
        stored.path.unlink()
    except OSError as exc:
        raise CoachError(f"{stored.path}: cannot remove: {error_text(exc)}") from None
    return stored.plan
