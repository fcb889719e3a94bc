"""The client's imported plans, every version of each (see `coach.plan_version_files` for
the layout and the rules: `<id>.json` is the current version, `versions/<id>.json` lists them all).

The stored copy is the therapist's file byte for byte (so `x-` notes survive). The folder is
private (0700) and each file 0600, like the rest of the data. Writes go through a temporary
file and a rename, so a plan is never half written, and a temporary file a killed process
left (`.ID.json.PID.tmp`) is removed at the next write. Stored files are opened without
following links or blocking (`coach.files.read_own_bytes`). The library reads this folder
to offer each plan's own routines (of the current version).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from coach.errors import CoachError, UsageError
from coach.files import UnsafePathError, error_text, read_own_bytes, refuse_links_below
from coach.plan import Plan, parse_plan, read_plan_bytes
from coach.plan_version_files import (
    StoredVersion,
    current_path,
    read_versions,
    record_import,
    versions_path,
)
from coach.plan_versions import PlanChange, PlanVersion, plan_changes
from coach.validation import InvalidDocument


@dataclass(frozen=True)
class StoredPlan:
    """A stored plan: its current version (`plan`, at `path`) and every version, oldest
    first (the last is `plan`; empty only where a caller built it by hand)."""

    plan: Plan
    path: Path
    versions: tuple[PlanVersion[Plan], ...] = field(default=())

    @property
    def all_versions(self) -> tuple[PlanVersion[Plan], ...]:
        """`versions`, or the current plan alone as version 1."""
        return self.versions or (PlanVersion(1, self.plan.starts, "", self.plan),)

    @property
    def changes(self) -> list[PlanChange]:
        """What each version changed (`coach.plan_versions.plan_changes`), oldest first."""
        return plan_changes(self.all_versions)


@dataclass(frozen=True)
class ImportResult:
    plan: Plan
    path: Path
    replaced: Plan | None  # the version this import superseded, if there was one
    unchanged: bool  # the same content (canonical JSON) was already the current version
    versions: tuple[PlanVersion[Plan], ...] = ()  # every version now stored, oldest first

    @property
    def changes(self) -> list[PlanChange]:
        """What this import changed (empty for a first import or the same content)."""
        if self.unchanged or len(self.versions) < 2:
            return []
        return plan_changes(self.versions[-2:])


def plan_path(folder: Path, plan_id: str) -> Path:
    return current_path(folder, plan_id)


def read_stored(path: Path) -> Plan:
    """A stored plan file. Its references were checked at import; they are not checked
    again, so a later Coach with new built-ins cannot make an imported plan unreadable."""
    try:
        data = read_own_bytes(path)  # not through a link, never blocking on a FIFO
    except UnsafePathError as exc:
        raise CoachError(exc.message) from None
    except OSError as exc:
        raise CoachError(f"{path}: cannot read: {error_text(exc)}") from None
    return parse_plan(data, str(path), frozenset(), check_references=False)


def _parse_version(version: StoredVersion) -> PlanVersion[Plan]:
    plan = parse_plan(version.data, version.where, frozenset(), check_references=False)
    return PlanVersion(version.number, version.effective, version.imported_at, plan)


def read_plan_versions(
    folder: Path, plan_id: str, problems: list[str] | None = None
) -> tuple[PlanVersion[Plan], ...]:
    """Every version of a stored plan, parsed, oldest first; the last is the current file.

    Raises InvalidDocument when the current file is not a valid plan and CoachError when it
    cannot be read. An earlier version that is not valid (edited by hand) is left out with a
    line in `problems` (raised when `problems` is None); so is a damaged versions file (then
    the current file is the only version)."""
    stored = read_versions(folder, plan_id, problems)
    out: list[PlanVersion[Plan]] = []
    for index, version in enumerate(stored):
        try:
            out.append(_parse_version(version))
        except InvalidDocument as exc:
            if problems is None or index == len(stored) - 1:
                raise
            problems.append(f"{exc.problems[0]} (this earlier version is left out)")
    return tuple(out)


def import_plan(source: Path, folder: Path, now: datetime | None = None) -> ImportResult:
    """Validate `source` and store it as the current version of its plan. A plan with the
    same id and other content (canonical JSON) becomes a new version, in force from the
    local date of `now` (default: the system clock); the same content changes nothing.
    Raises InvalidDocument / UsageError for a bad file, CoachError when it cannot be stored
    (then nothing stored changed)."""
    from coach.library import builtin_routine_ids

    data = read_plan_bytes(source)
    plan = parse_plan(data, str(source), builtin_routine_ids())
    when = now or datetime.now().astimezone()
    target = plan_path(folder, plan.id)
    try:
        outcome = record_import(folder, plan.id, data, when.date(), when.isoformat(timespec="seconds"))
    except UnsafePathError as exc:
        raise CoachError(f"{exc.message}; the plan was not stored") from None
    except OSError as exc:
        raise CoachError(f"{target}: cannot store the plan: {error_text(exc)}") from None
    except CoachError as exc:
        raise CoachError(f"{exc.message}; the plan was not stored") from None
    # An earlier version edited by hand into an invalid one is left out of what is shown.
    earlier = [p for v in outcome.versions[:-1] if (p := _valid_or_none(v)) is not None]
    parsed = (*earlier, _parse_version(outcome.versions[-1]))
    if not outcome.added:
        return ImportResult(plan, target, None, unchanged=True, versions=parsed)
    superseded = outcome.versions[-2].number if len(outcome.versions) >= 2 else None
    replaced = earlier[-1].plan if earlier and earlier[-1].number == superseded else None
    return ImportResult(plan, target, replaced, unchanged=False, versions=parsed)


def _valid_or_none(version: StoredVersion) -> PlanVersion[Plan] | None:
    try:
        return _parse_version(version)
    except InvalidDocument:
        return None


def list_plans(folder: Path) -> tuple[list[StoredPlan], list[str]]:
    """The stored plans by start date, each with its versions, and a line for each stored
    file that cannot be read."""
    plans: list[StoredPlan] = []
    problems: list[str] = []
    if not folder.is_dir():
        return plans, problems
    for path in sorted(folder.glob("*.json")):
        try:
            versions = read_plan_versions(folder, path.stem, problems)
            if versions:
                plans.append(StoredPlan(versions[-1].plan, path, versions))
        except InvalidDocument as exc:
            problems.append(f"{exc.problems[0]} (stored plan skipped)")
        except CoachError as exc:
            problems.append(exc.message)
    plans.sort(key=lambda s: (s.plan.starts, s.plan.id))
    return plans, problems


def load_plan(folder: Path, plan_id: str, problems: list[str] | None = None) -> StoredPlan:
    """One stored plan with its versions; UsageError naming the stored ids when there is
    none with `plan_id`. A damaged list of versions, or an earlier version that is not
    valid, goes to `problems` as a line; without `problems` it raises CoachError or
    InvalidDocument (a command that only needs the current version passes a list)."""
    from coach.plan_plain_store import stored_plan_path

    path = stored_plan_path(folder, plan_id)  # the same wording as the plain reader's
    versions = read_plan_versions(folder, plan_id, problems)
    if not versions:
        raise UsageError(f"no plan with id '{plan_id}'")
    return StoredPlan(versions[-1].plan, path, versions)


def plan_note_for(folder: Path, plan_id: str, routine_id: str) -> str | None:
    """Check `coach run ROUTINE --plan ID` before it starts: an unknown plan is a usage
    error; a routine that is none of the plan's items gets a warning (the session is kept
    with the plan's id, but adherence counts items only). `routine_id` is the listing id
    (`PLAN/ID` for a plan's own routine), compared with the items' listing ids."""
    plan = load_plan(folder, plan_id, []).plan  # the current version; earlier ones may be damaged
    own = {r.id for r in plan.routines}
    items = [f"{plan.id}/{i.routine}" if i.routine in own else i.routine for i in plan.items]
    if routine_id in items:
        return None
    return (f"plan '{plan_id}' has no item for {routine_id} (its items: {', '.join(items)}); "
            "the session is recorded with the plan but does not count towards it")


def remove_plan(folder: Path, plan_id: str) -> Plan:
    """Delete the stored plan, every version of it (its sessions stay in the history), and
    return what its current version was."""
    stored = load_plan(folder, plan_id, [])  # removed whole, a damaged list of versions too
    listed = versions_path(folder, plan_id)
    try:
        refuse_links_below(folder.parent, folder)  # never delete through a linked plans folder
        if listed.parent.exists():
            refuse_links_below(folder.parent, listed.parent)
        stored.path.unlink()
        listed.unlink(missing_ok=True)
    except OSError as exc:
        raise CoachError(f"{stored.path}: cannot remove: {error_text(exc)}") from None
    return stored.plan
