"""The files that keep every version of a stored plan, and reading them without the plan
models (pydantic), so `coach due` and `plan list` stay light. Which version governs a day,
and what changed, is `coach.plan_versions`.

Layout in the plans folder:

- `<id>.json`: the current version, byte for byte as the therapist's file (what the library
  reads for the plan's own routines, so every reader of "the plan" sees the latest one).
- `versions/<id>.json`: every version, oldest first, as
  `{"format": 1, "plan": ID, "versions": [{"version": N, "effective": "YYYY-MM-DD",
  "imported_at": ISO time, "sha256": hash of the canonical JSON, "text": the file}, …]}`.
  A sub-folder, so `plans/*.json` still lists exactly one file per plan.

The rules (issue 13, DESIGN "Plans"):

- A plan re-imported with other content (other canonical JSON: keys sorted, no
  whitespace) is a new version, in force from the local date of its import. The same
  content is no new version.
- Version 1 is in force on every day before the next version's day; version N > 1 from its
  `effective` day on. Of two versions on one day the later one wins (the earlier is kept,
  and listed, but governs no day).
- A store from before versions (a `<id>.json` and no versions file) reads as one version
  whose day is the file's modification date; the next import records it first, so it is
  never lost (the migration).
- A current file whose content is not the last recorded version (edited by hand since, or
  an import cut short between its two writes) reads as one more version, in force from the
  local date the file was last modified: editing a plan never rewrites the past.
- Writes are atomic and private (`coach.files.write_private_atomic`), in an order where a
  crash between any two of them leaves a store that reads right (see `record_import`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.errors import CoachError
from coach.files import UnsafePathError, error_text, read_own_bytes, write_private_atomic
from coach.jsonsource import JSONProblem, parse_json
from coach.plan_versions import PlanVersion

if TYPE_CHECKING:
    from coach.library import PlanFacts, ValidationCache

VERSIONS_FOLDER = "versions"
FORMAT = 1


def current_path(folder: Path, plan_id: str) -> Path:
    """The current version's file: `<folder>/<id>.json`."""
    return folder / f"{plan_id}.json"


def versions_path(folder: Path, plan_id: str) -> Path:
    """The file that lists every version: `<folder>/versions/<id>.json`."""
    return folder / VERSIONS_FOLDER / f"{plan_id}.json"


def canonical_hash(data: bytes) -> str | None:
    """sha256 of the canonical JSON of `data` (keys sorted, no whitespace, UTF-8), or None
    when `data` is not JSON. Two files with the same content but other spacing or key order
    hash the same: re-importing them is no new version."""
    try:
        value = parse_json(data, "")
    except JSONProblem:
        return None
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class StoredVersion:
    """One version as stored: its number (1, 2, … in import order), the local date it is in
    force from, when it was imported (ISO time, "" when not known: a migrated store or a
    hand edit), the canonical hash, the file's bytes, and where it is (for messages)."""

    number: int
    effective: date
    imported_at: str
    sha256: str
    data: bytes
    where: str


def _mtime_day(path: Path) -> date:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime).date()
    except (OSError, OverflowError, ValueError):
        return date.today()


def _entry_ok(entry: Any) -> bool:
    if not isinstance(entry, dict) or set(entry) != {"version", "effective", "imported_at", "sha256", "text"}:
        return False
    try:
        date.fromisoformat(entry["effective"])
    except (TypeError, ValueError):
        return False
    return (type(entry["version"]) is int and entry["version"] >= 1
            and all(isinstance(entry[k], str) for k in ("imported_at", "sha256", "text")))  # fmt: skip


def _read_recorded(folder: Path, plan_id: str) -> list[StoredVersion] | None:
    """The recorded versions, or None when there is no versions file (a store from before
    versions). Raises CoachError for a versions file that cannot be read or is not Coach's."""
    path = versions_path(folder, plan_id)
    try:
        data = read_own_bytes(path)
    except FileNotFoundError:
        return None
    except UnsafePathError as exc:
        raise CoachError(exc.message) from None
    except OSError as exc:
        raise CoachError(f"{path}: cannot read: {error_text(exc)}") from None
    try:
        raw = parse_json(data, str(path), allow_surrogates=True)
    except JSONProblem as exc:
        raise CoachError(
            f"{path}:{exc.line}:{exc.col}: the list of the plan's versions is damaged ({exc.reason})"
        ) from None
    entries = raw.get("versions") if isinstance(raw, dict) else None
    if (not isinstance(raw, dict) or raw.get("format") != FORMAT or raw.get("plan") != plan_id
            or not isinstance(entries, list) or not entries or not all(map(_entry_ok, entries))):  # fmt: skip
        raise CoachError(f"{path}: the list of the plan's versions is damaged (not the shape Coach writes)")
    return [
        StoredVersion(
            number=e["version"],
            effective=date.fromisoformat(e["effective"]),
            imported_at=e["imported_at"],
            sha256=e["sha256"],
            data=e["text"].encode("utf-8", "surrogateescape"),
            where=f"{path}#versions[{i}]",
        )
        for i, e in enumerate(entries)
    ]


def read_versions(folder: Path, plan_id: str, problems: list[str] | None = None) -> list[StoredVersion]:
    """Every version of a stored plan, oldest first; the last is the current file. Empty
    when no `<id>.json` is stored. A store from before versions, or a current file changed
    since its import, reads as the module's rules say.

    Raises CoachError when the current file cannot be read (named in the message); OSError
    never escapes. A versions file that cannot be read raises too, unless `problems` is
    given: then its line goes there and the current file is read as the only version (a
    reader still works; an import refuses, so the damaged file is never written over)."""
    current = current_path(folder, plan_id)
    try:
        data = read_own_bytes(current)
    except FileNotFoundError:
        return []
    except UnsafePathError as exc:
        raise CoachError(exc.message) from None
    except OSError as exc:
        raise CoachError(f"{current}: cannot read: {error_text(exc)}") from None
    try:
        recorded = _read_recorded(folder, plan_id) or []
    except CoachError as exc:
        if problems is None:
            raise
        problems.append(f"{exc.message}; only the current version is used")
        recorded = []
    digest = canonical_hash(data) or hashlib.sha256(data).hexdigest()
    if recorded and recorded[-1].sha256 == digest:
        # The current file is the last version: read its bytes from the current file, so a
        # problem in it is named there (as before versions).
        last = recorded[-1]
        return [*recorded[:-1], StoredVersion(last.number, last.effective, last.imported_at, digest, data,
                                              str(current))]  # fmt: skip
    number = recorded[-1].number + 1 if recorded else 1
    return [*recorded, StoredVersion(number, _mtime_day(current), "", digest, data, str(current))]


def _write_recorded(folder: Path, plan_id: str, versions: Sequence[StoredVersion]) -> None:
    entries = [
        {
            "version": v.number,
            "effective": v.effective.isoformat(),
            "imported_at": v.imported_at,
            "sha256": v.sha256,
            "text": v.data.decode("utf-8", "surrogateescape"),
        }
        for v in versions
    ]
    body = {"format": FORMAT, "plan": plan_id, "versions": entries}
    text = json.dumps(body, indent=1, ensure_ascii=True)  # ASCII: a lone byte survives as \udcXX
    # The versions folder is Coach's own, inside the data folder: never through a link.
    write_private_atomic(versions_path(folder, plan_id), text.encode("ascii"), root=folder.parent)


@dataclass(frozen=True)
class ImportOutcome:
    """What `record_import` did: `versions` now stored (oldest first), and whether the
    content was new (False: the same content as the current version; nothing was written)."""

    versions: tuple[StoredVersion, ...]
    added: bool


def record_import(folder: Path, plan_id: str, data: bytes, today: date, now: str) -> ImportOutcome:
    """Store `data` (a checked plan file) as the current version of `plan_id`, in force from
    `today` (the local date of the import); `now` is the import's ISO time. The same
    canonical content as the current version writes nothing.

    The order of the writes keeps every crash readable: (1) the versions file records every
    version so far, the current one included (this migrates a store from before versions);
    (2) the current file is replaced; (3) the versions file adds the new version. A crash
    after (2) leaves a current file the versions file does not know: it reads as a version
    from the day of its write, which is today, as (3) would have said.

    Raises CoachError (nothing changed) when a stored file cannot be read, and OSError when
    a write fails (earlier versions are never lost: every write is atomic)."""
    digest = canonical_hash(data) or hashlib.sha256(data).hexdigest()
    existing = read_versions(folder, plan_id)
    if existing and existing[-1].sha256 == digest:
        return ImportOutcome(tuple(existing), added=False)
    if existing:
        _write_recorded(folder, plan_id, existing)  # (1)
    target = current_path(folder, plan_id)
    write_private_atomic(target, data, root=folder.parent)  # (2)
    number = existing[-1].number + 1 if existing else 1
    new = StoredVersion(number, today, now, digest, data, str(target))
    versions = (*existing, new)
    _write_recorded(folder, plan_id, versions)  # (3)
    return ImportOutcome(versions, added=True)


# --- every stored plan's versions as plain facts (`coach due`, no models) ----------------------


@dataclass(frozen=True)
class StoredFacts:
    """A stored plan read without the models: every version's facts (oldest first, the
    last is the current file) and the current version's client and therapist's name."""

    versions: tuple[PlanVersion[PlanFacts], ...]
    client: str
    therapist: str

    @property
    def plan(self) -> PlanFacts:
        """The current version's facts."""
        return self.versions[-1].plan


def _names(data: bytes) -> tuple[str, str]:
    """(client, therapist's name) of plan bytes the cache found valid (so both are text)."""
    raw = parse_json(data, "")
    return str(raw["client"]), str(raw["therapist"]["name"])


def list_version_facts(folder: Path, cache: ValidationCache) -> tuple[list[StoredFacts], list[str]]:
    """Every stored plan with its versions as `coach.library.PlanFacts`, by the current
    version's start date then id, and one line for each file that cannot be read or is not
    valid (worded as `coach.library.list_plan_facts` words them). Each version is checked
    through the open ValidationCache `cache` (kind "stored-plan", keyed on its content): a
    warm run loads no pydantic. An earlier version that is not valid is left out with a
    line; the caller saves the cache."""
    from coach.library import facts_from_json
    from coach.validation import InvalidDocument

    plans: list[StoredFacts] = []
    problems: list[str] = []
    if not folder.is_dir():
        return plans, problems
    for path in sorted(folder.glob("*.json")):
        try:
            stored = read_versions(folder, path.stem, problems)
        except CoachError as exc:
            problems.append(exc.message)
            continue
        versions: list[PlanVersion[PlanFacts]] = []
        for index, version in enumerate(stored):
            last = index == len(stored) - 1
            try:
                facts = facts_from_json(cache.check(version.data, version.where, "stored-plan"))
            except InvalidDocument as exc:
                what = "stored plan skipped" if last else "this earlier version is left out"
                problems.append(f"{exc.problems[0]} ({what})")
                if last:
                    versions = []
                continue
            versions.append(PlanVersion(version.number, version.effective, version.imported_at, facts))
        if versions:
            plans.append(StoredFacts(tuple(versions), *_names(stored[-1].data)))
    plans.sort(key=lambda s: (s.plan.starts, s.plan.id))
    return plans, problems
