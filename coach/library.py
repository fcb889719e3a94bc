"""Finding routines: built-in, the user's folder, imported plans, and explicit paths.

Listing must be fast (`coach list` and the app's first screen should not pay for pydantic),
so what validation learned about each file is cached, keyed on the file's content hash and
on the version of the code that validates. A cache miss validates for real.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach import __version__
from coach.errors import UsageError
from coach.files import read_own_bytes
from coach.jsonsource import JSONProblem, parse_json
from coach.validation import InvalidDocument, Problem, load_model, read_document

if TYPE_CHECKING:
    from coach.routine import Routine

CACHE_NAME = "routines-cache.json"


@dataclass(frozen=True)
class RoutineInfo:
    """What a listing needs to know about a valid routine, without loading pydantic."""

    id: str
    title: str
    summary: str
    seconds: float
    areas: list[str]
    kinds: list[str]
    tags: list[str]
    equipment: list[str]
    cautions: list[str]
    steps: int
    source: str = "built-in"  # built-in | user | plan:<id> | file
    path: str = ""
    shadows: str | None = None  # the source this one hides, if any

    @property
    def minutes(self) -> float:
        """The routine's planned length in minutes (`seconds` / 60)."""
        return self.seconds / 60

    def as_json(self) -> dict[str, Any]:
        """Every field, as `coach list --json` prints it."""
        return asdict(self)


def info_from_routine(routine: Routine, source: str, path: str) -> RoutineInfo:
    """The listing facts of a checked routine; `source` and `path` as RoutineInfo has them."""
    return RoutineInfo(
        id=routine.id,
        title=routine.title,
        summary=routine.summary or "",
        seconds=routine.total_seconds,
        areas=list(routine.areas),
        kinds=routine.kinds,
        tags=list(routine.tags),
        equipment=list(routine.equipment),
        cautions=list(routine.cautions),
        steps=len(routine.steps),
        source=source,
        path=path,
    )


def parse_routine(data: bytes, source: str) -> Routine:
    """Bytes of a routine file → Routine, or InvalidDocument (one line per problem)."""
    from coach.routine import (
        Author,
        BreathingStep,
        CustomPattern,
        MassageStep,
        Phase,
        RestStep,
        Routine,
        StretchStep,
    )

    models = [Routine, MassageStep, StretchStep, BreathingStep, RestStep, Author, CustomPattern,
              Phase]  # fmt: skip
    return load_model(data, source, Routine, "routine", models)


def read_routine_file(path: Path) -> Routine:
    """A routine file read and checked; raises InvalidDocument (located problems) or
    CoachError for a file that cannot be read."""
    return parse_routine(_read_bytes(path), str(path))


def _read_bytes(path: Path) -> bytes:
    return read_document(path, "routine")


def _code_fingerprint() -> str:
    """Changes whenever the code that decides validity changes (a version bump or an edit)."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for name in ("routine.py", "validation.py", "breathing.py", "library.py", "plan.py"):
        try:
            stat = (here / name).stat()
            digest.update(f"{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        except OSError:
            pass
    return digest.hexdigest()[:16]


_TEXT_LISTS = ("areas", "kinds", "tags", "equipment", "cautions")


def _info_ok(info: dict[str, Any]) -> bool:
    """A remembered RoutineInfo with every field of the right type (a listing trusts it)."""
    if set(info) != set(RoutineInfo.__dataclass_fields__):
        return False
    texts = all(isinstance(info[k], str) for k in ("id", "title", "summary", "source", "path"))
    lists = all(isinstance(info[k], list) and all(isinstance(x, str) for x in info[k])
                for k in _TEXT_LISTS)  # fmt: skip
    seconds = type(info["seconds"]) in (int, float) and 0 < info["seconds"] <= 7200
    return (texts and lists and seconds and type(info["steps"]) is int
            and (info["shadows"] is None or isinstance(info["shadows"], str)))  # fmt: skip


def _well_formed(entry: Any, kind: str) -> bool:
    if not isinstance(entry, dict):
        return False
    if "problems" in entry:
        problems = entry["problems"]
        more = entry.get("more", 0)
        if set(entry) - {"problems", "more"} or type(more) is not int or more < 0:
            return False
        return isinstance(problems, list) and bool(problems) and all(
            isinstance(p, list) and len(p) == 4 and type(p[0]) is int and type(p[1]) is int
            and isinstance(p[2], str) and isinstance(p[3], str)
            for p in problems
        )  # fmt: skip
    info = entry.get("info")
    if len(entry) != 1 or not isinstance(info, dict):
        return False
    return info == {} if kind == "plan" else _info_ok(info)


@dataclass
class ValidationCache:
    """content sha256 → the routine's info, or its problems (without the file name)."""

    path: Path | None
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    dirty: bool = False
    fingerprint: str = ""

    @classmethod
    def open(cls, path: Path | None) -> ValidationCache:
        """The cache at `path` (None: in memory only). A missing, unreadable or foreign file,
        or one written by another version of Coach (its fingerprint differs), starts empty."""
        cache = cls(path=path, fingerprint=_code_fingerprint())
        if path is None:
            return cache
        try:
            raw = parse_json(read_own_bytes(path), str(path))  # no link, never a FIFO
        except (OSError, JSONProblem):
            return cache  # no cache, or a broken one: it is rebuilt
        if (isinstance(raw, dict) and raw.get("fingerprint") == cache.fingerprint
                and isinstance(raw.get("entries"), dict)):  # fmt: skip
            cache.entries = raw["entries"]
        return cache

    def check(self, data: bytes, source: str, kind: str = "routine") -> dict[str, Any]:
        """Validate (or recall validating) one file's bytes. Returns the info dict, or raises
        InvalidDocument with problems located in `source`."""
        key = f"{kind}:" + hashlib.sha256(data).hexdigest()
        entry = self.entries.get(key)
        if not _well_formed(entry, kind):  # missing, or a cache file someone else wrote
            entry = self._validate(data, kind)
            self.entries[key] = entry
            self.dirty = True
        if "problems" in entry:
            raise InvalidDocument([Problem(source, *p) for p in entry["problems"]], entry.get("more", 0))
        return entry["info"]

    @staticmethod
    def _validate(data: bytes, kind: str) -> dict[str, Any]:
        try:
            if kind == "plan":
                from coach.plan import parse_plan

                parse_plan(data, "", builtin_routine_ids())
                return {"info": {}}
            routine = parse_routine(data, "")
        except InvalidDocument as exc:
            problems = [[p.line, p.col, p.path, p.message] for p in exc.problems]
            return {"problems": problems, "more": exc.more} if exc.more else {"problems": problems}
        info = info_from_routine(routine, "", "").as_json()
        return {"info": info}

    def save(self) -> None:
        """Write the cache if it changed; a cache that cannot be written is left unsaved."""
        if not self.dirty or self.path is None:
            return
        from coach.files import write_private_atomic

        data = json.dumps({"fingerprint": self.fingerprint, "entries": self.entries}).encode()
        try:
            # The cache folder is Coach's own (in COACH_HOME or the platform's cache
            # folder): a link in its place is not written through; the cache goes unsaved.
            write_private_atomic(self.path, data, root=self.path.parent.parent)
            self.dirty = False
        except OSError:
            pass  # a cache that cannot be written only costs speed


@dataclass
class Library:
    """Finds routines: the built-in folder, the user's folder, stored plans, or a path.
    A user routine with a built-in's id hides it (`RoutineInfo.shadows` says so)."""

    builtin_dir: Path
    user_dir: Path | None = None
    plans_dir: Path | None = None
    cache_path: Path | None = None
    # Problems met while listing (a broken user routine must not hide the others).
    problems: list[str] = field(default_factory=list)

    @classmethod
    def default(cls) -> Library:
        """The built-in routines and the user's folder under the data folder (`coach.paths`)."""
        from coach import paths

        return cls(
            builtin_dir=paths.builtin_routines_dir(),
            user_dir=paths.user_routines_dir(),
            plans_dir=paths.plans_dir(),
            cache_path=paths.cache_dir() / CACHE_NAME,
        )

    def _files(self) -> Iterator[tuple[str, Path]]:
        for source, folder in (("built-in", self.builtin_dir), ("user", self.user_dir)):
            if folder is None or not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.json")):
                if not path.name.endswith(".schema.json"):
                    yield source, path

    def _plan_routines(self) -> Iterator[tuple[str, str, bytes]]:
        """(plan id, where, canonical bytes) of the routines that imported plans include."""
        if self.plans_dir is None or not self.plans_dir.is_dir():
            return
        for path in sorted(self.plans_dir.glob("*.json")):
            try:
                plan = parse_json(read_own_bytes(path), str(path))  # no link, never a FIFO
                routines = plan.get("routines") or []
                plan_id = str(plan.get("id") or path.stem)
                if not isinstance(routines, list):
                    raise TypeError
            except (OSError, JSONProblem, AttributeError, TypeError):
                self.problems.append(f"{path}: cannot read this stored plan; skipped")
                continue
            for index, obj in enumerate(routines):
                data = json.dumps(obj, ensure_ascii=False, indent=1).encode()
                yield plan_id, f"{path}#routines[{index}]", data

    def infos(self) -> list[RoutineInfo]:
        """Every usable routine, one per id: user beats plan beats built-in."""
        self.problems = []
        cache = ValidationCache.open(self.cache_path)
        found: dict[str, RoutineInfo] = {}
        rank = {"built-in": 0, "plan": 1, "user": 2}

        def add(info: RoutineInfo) -> None:
            old = found.get(info.id)
            if old is None:
                found[info.id] = info
                return
            new_rank, old_rank = rank[info.source.split(":")[0]], rank[old.source.split(":")[0]]
            winner, loser = (info, old) if new_rank >= old_rank else (old, info)
            found[info.id] = RoutineInfo(**{**asdict(winner), "shadows": loser.source})
            if new_rank == old_rank:
                self.problems.append(
                    f"{info.path}: routine id '{info.id}' is also used by {old.path}; "
                    "the first one found is used"
                )
                found[info.id] = old

        for source, path in self._files():
            try:
                data = _read_bytes(path)
                info = cache.check(data, str(path))
            except InvalidDocument as exc:
                self.problems.append(str(exc.problems[0]) + " (routine skipped)")
                continue
            except UsageError as exc:
                self.problems.append(exc.message)
                continue
            add(RoutineInfo(**{**info, "source": source, "path": str(path)}))
        for plan_id, where, data in self._plan_routines():
            try:
                info = cache.check(data, where)
            except InvalidDocument as exc:
                self.problems.append(str(exc.problems[0]) + " (routine skipped)")
                continue
            add(RoutineInfo(**{**info, "source": f"plan:{plan_id}", "path": where}))
        cache.save()
        return sorted(found.values(), key=lambda i: (i.seconds, i.title.lower()))

    def find(self, ref: str) -> RoutineInfo:
        """An id, or a path to a routine file."""
        if looks_like_path(ref):
            path = Path(ref)
            data = _read_bytes(path)
            cache = ValidationCache.open(self.cache_path)
            try:
                info = cache.check(data, str(path))
            finally:
                cache.save()
            return RoutineInfo(**{**info, "source": "file", "path": str(path)})
        for info in self.infos():
            if info.id == ref:
                return info
        raise UsageError(
            f"no routine with id '{ref}' (see `coach list`, or give a path to a .json file)"
        )

    def load(self, ref: str | RoutineInfo) -> Routine:
        """The checked routine for an id, a path or a listing entry; raises UsageError for
        an unknown id or a changed plan, InvalidDocument for a file that is not valid."""
        info = ref if isinstance(ref, RoutineInfo) else self.find(ref)
        if "#routines[" in info.path:
            plan_path, _, rest = info.path.partition("#routines[")
            index = int(rest.rstrip("]"))
            try:
                obj = parse_json(read_own_bytes(Path(plan_path)), plan_path)["routines"][index]
            except (OSError, KeyError, IndexError, TypeError):
                raise UsageError(f"{plan_path}: the stored plan changed or cannot be read") from None
            data = json.dumps(obj, ensure_ascii=False, indent=1).encode()
            return parse_routine(data, info.path)
        return read_routine_file(Path(info.path))


def builtin_routine_ids(folder: Path | None = None) -> frozenset[str]:
    """The ids of the routines shipped with Coach (never the user's own: a plan must mean
    the same on every machine), from `folder` (default: the built-in routines folder).
    Files that cannot be read or have no string `id` are left out. Read with plain JSON,
    not the models: the built-ins are tested valid, and a plan check must stay cheap."""
    if folder is None:
        from coach.paths import builtin_routines_dir

        folder = builtin_routines_dir()
    ids: set[str] = set()
    for path in folder.glob("*.json"):
        if path.name.endswith(".schema.json"):
            continue
        try:
            value = parse_json(path.read_bytes(), str(path)).get("id")
        except (OSError, JSONProblem, AttributeError):
            continue
        if isinstance(value, str):
            ids.add(value)
    return frozenset(ids)


def looks_like_path(ref: str) -> bool:
    """A reference is a path, not an id, when it ends in .json or holds a slash."""
    return ref.endswith(".json") or os.sep in ref or "/" in ref


def routine_bytes_hash(routine: Routine) -> str:
    """The hash stored in history records: of the routine's canonical JSON."""
    canonical = json.dumps(
        routine.model_dump(mode="json", by_alias=True, exclude_none=True),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()
