"""Reading a stored plan, every version of it, as `coach.plan_plain.PlainPlan`s through the
validation cache: `coach plan report` and `coach plan handout` without pydantic on a warm run
(the same files and errors as `coach.plan_store.load_plan`, which parses with the models)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from coach.errors import UsageError
from coach.plan_plain import PlainPlan, plain_plan_from_json
from coach.plan_version_files import current_path, read_versions
from coach.plan_versions import PlanVersion

if TYPE_CHECKING:
    from coach.library import ValidationCache

# coach.routine.ID_PATTERN (that module loads pydantic), for `fullmatch`.
_PLAN_ID = re.compile(r"[a-z0-9][a-z0-9-]{1,63}")


@dataclass(frozen=True)
class StoredPlainPlan:
    """A stored plan read through the cache: its current version (`plan`, at `path`) and
    every version, oldest first (the last is `plan`), as `coach.plan_store.StoredPlan`."""

    plan: PlainPlan
    path: Path
    versions: tuple[PlanVersion[PlainPlan], ...]

    @property
    def all_versions(self) -> tuple[PlanVersion[PlainPlan], ...]:
        """Every version, oldest first (never empty)."""
        return self.versions


def stored_plan_path(folder: Path, plan_id: str) -> Path:
    """The current file of the stored plan `plan_id`; UsageError naming the stored ids
    when there is none with that id."""
    path = current_path(folder, plan_id)
    if not _PLAN_ID.fullmatch(plan_id) or not path.is_file():
        known = sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []
        hint = f"; imported plans: {', '.join(known)}" if known else "; no plan is imported yet"
        raise UsageError(f"no plan with id '{plan_id}'{hint}")
    return path


def load_plain_plan(
    folder: Path, plan_id: str, cache: ValidationCache, problems: list[str] | None = None
) -> StoredPlainPlan:
    """One stored plan with its versions, each checked through the open `cache` (kind
    "report-plan": a warm run loads no pydantic; unknown bytes are validated with the
    models and remembered; the caller saves the cache). Errors as
    `coach.plan_store.load_plan`: UsageError for an unknown id, InvalidDocument when the
    current file is not a valid plan, CoachError when it cannot be read; an earlier version
    that is not valid, or a damaged versions file, is a line in `problems` (raised when
    `problems` is None)."""
    from coach.validation import InvalidDocument

    path = stored_plan_path(folder, plan_id)
    stored = read_versions(folder, plan_id, problems)
    out: list[PlanVersion[PlainPlan]] = []
    for index, version in enumerate(stored):
        try:
            info = cache.check(version.data, version.where, "report-plan")
        except InvalidDocument as exc:
            if problems is None or index == len(stored) - 1:
                raise
            problems.append(f"{exc.problems[0]} (this earlier version is left out)")
            continue
        plan = plain_plan_from_json(info)
        out.append(PlanVersion(version.number, version.effective, version.imported_at, plan))
    if not out:
        raise UsageError(f"no plan with id '{plan_id}'")
    return StoredPlainPlan(out[-1].plan, path, tuple(out))
