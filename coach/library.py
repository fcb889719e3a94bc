"""Finding routines: built-in, the user's folder, imported plans, and explicit paths.

A plan's own routines live in the plan's namespace: their id is `PLAN/ID` in every listing
and lookup (`coach list`, `show`, `run`, the app), so they never shadow a built-in, a user's
or another plan's routine, and nothing shadows them. Only a user routine with a built-in's
id replaces it (`RoutineInfo.shadows`).

Listing must be fast (`coach list` and the app's first screen should not pay for pydantic),
so what validation learned about each file is cached, keyed on the file's content hash and
on the version of the code that validates. A cache miss validates for real.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Container, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach import __version__
from coach.errors import CoachError, UsageError
from coach.files import UnsafePathError, error_text, read_own_bytes
from coach.jsonsource import JSONProblem, parse_json
from coach.validation import InvalidDocument, Problem, load_model, read_document
from coach.vocabulary import WEEKDAYS

if TYPE_CHECKING:
    from coach.plan import Plan
    from coach.routine import Routine

CACHE_NAME = "routines-cache.json"


@dataclass(frozen=True)
class RoutineInfo:
    """What a listing needs to know about a valid routine, without loading pydantic."""

    id: str  # the routine's id; `PLAN/ID` for a plan's own routine
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
    def plan(self) -> str | None:
        """The plan whose own routine this is (source `plan:<id>`), else None."""
        return self.source.removeprefix("plan:") if self.source.startswith("plan:") else None

    @property
    def inner_id(self) -> str:
        """The id inside its file: `ID` of `PLAN/ID` (what a plan's items name)."""
        return self.id.rpartition("/")[2]

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


_STEP_TEXTS = ("type", "title")
_STEP_OPTIONAL = ("pattern_name", "area", "side", "pressure", "instruction", "gentler", "gentler_pattern",
                  "reps")  # fmt: skip


def routine_detail(routine: Routine) -> dict[str, Any]:
    """What `coach show` prints of a checked routine, as plain JSON data (no models):
    id, title, summary, total_seconds, areas, equipment, cautions, stop_if, and per step its
    type, title, pattern_name and cycles (breathing only, else None), area, side, pressure,
    sides (how many passes), pass_seconds, instruction, gentler (its text; None when absent),
    gentler_pattern (a breathing step's gentler pattern name) and reps ("3 × hold 8 s,
    release 4 s", or None).
    Kept in the validation cache so a warm `coach show` needs no pydantic."""
    steps = []
    for step in routine.steps:
        breathing = step.type == "breathing"
        gentler = getattr(step, "gentler", None)
        reps = getattr(step, "reps", None)
        steps.append({
            "type": step.type,
            "title": step.title,
            "pattern_name": step.pattern_name if breathing else None,  # type: ignore[union-attr]
            "cycles": step.resolved_cycles if breathing else None,  # type: ignore[union-attr]
            "area": getattr(step, "area", None),
            "side": getattr(step, "side", None),
            "pressure": getattr(step, "pressure", None),
            "sides": len(step.sides),
            "pass_seconds": step.pass_seconds,
            "instruction": step.instruction,
            "gentler": gentler.text if breathing and gentler is not None else gentler,
            "gentler_pattern": _pattern_name(gentler.pattern) if breathing and gentler is not None else None,
            "reps": reps.words if reps is not None else None,
        })  # fmt: skip
    return {
        "id": routine.id,
        "title": routine.title,
        "summary": routine.summary,
        "total_seconds": routine.total_seconds,
        "areas": list(routine.areas),
        "equipment": list(routine.equipment),
        "cautions": list(routine.cautions),
        "stop_if": list(routine.stop_if),
        "steps": steps,
    }


def _pattern_name(pattern: Any) -> str:
    """A gentler pattern with its counts, as a step's (`coach.breathing.pattern_words`):
    "extended-exhale: inhale 4 s, exhale 6 s", or custom phases "inhale 4 s, exhale 6 s"."""
    from coach.breathing import PRESETS, pattern_words

    if isinstance(pattern, str):
        return pattern_words(PRESETS[pattern], pattern)
    return pattern_words([(p.breath, p.seconds) for p in pattern.phases])


def _number(value: Any) -> bool:
    return type(value) in (int, float) and value >= 0


def _detail_ok(detail: dict[str, Any]) -> bool:
    """A remembered routine_detail with every field of the right type (`show` trusts it)."""
    if set(detail) != {"id", "title", "summary", "total_seconds", "areas", "equipment",
                       "cautions", "stop_if", "steps"}:  # fmt: skip
        return False
    lists = all(isinstance(detail[k], list) and all(isinstance(x, str) for x in detail[k])
                for k in ("areas", "equipment", "cautions", "stop_if"))  # fmt: skip
    head = (isinstance(detail["id"], str) and isinstance(detail["title"], str)
            and (detail["summary"] is None or isinstance(detail["summary"], str))
            and _number(detail["total_seconds"]) and lists and isinstance(detail["steps"], list))  # fmt: skip
    return head and all(
        isinstance(step, dict)
        and set(step) == {*_STEP_TEXTS, *_STEP_OPTIONAL, "cycles", "sides", "pass_seconds"}
        and all(isinstance(step[k], str) for k in _STEP_TEXTS)
        and all(step[k] is None or isinstance(step[k], str) for k in _STEP_OPTIONAL)
        and (step["cycles"] is None or type(step["cycles"]) is int)
        and type(step["sides"]) is int and _number(step["pass_seconds"])
        for step in detail["steps"]
    )


def parse_routine(data: bytes, source: str) -> Routine:
    """Bytes of a routine file → Routine, or InvalidDocument (one line per problem)."""
    from coach.routine import Routine, routine_models

    return load_model(data, source, Routine, "routine", routine_models())


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
    for name in ("routine.py", "validation.py", "breathing.py", "library.py", "plan.py", "plan_plain.py"):
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
    if kind == "detail":
        return _detail_ok(info)
    if kind == "stored-plan":
        return facts_ok(info)
    if kind == "report-plan":
        from coach.plan_plain import plain_plan_ok

        return plain_plan_ok(info)
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
        InvalidDocument with problems located in `source`. `kind`: "routine" (the info is a
        RoutineInfo's fields), "detail" (a routine's `routine_detail`), "plan" (a plan file
        checked in full; empty info) or "stored-plan" (an imported plan, its references not
        checked again, as `coach.plan_store.read_stored`; info is `plan_facts`) or "report-plan"
        (the same, info is `coach.plan_plain.plain_plan_json`)."""
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
            if kind == "stored-plan":
                from coach.plan import parse_plan

                return {"info": plan_facts(parse_plan(data, "", frozenset(), check_references=False))}
            if kind == "report-plan":  # all a report or handout reads (coach.plan_plain)
                from coach.plan import parse_plan
                from coach.plan_plain import plain_plan_json

                return {"info": plain_plan_json(parse_plan(data, "", frozenset(), check_references=False))}
            routine = parse_routine(data, "")
            if kind == "detail":
                return {"info": routine_detail(routine)}
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
        """Every usable routine, one per id, by length then title: a user's routine replaces
        a built-in with its id; a plan's own routines are `PLAN/ID` and collide with
        nothing (two ids alike within one stored plan: the first is used, and said)."""
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
            except UsageError as exc:  # not a file (a FIFO, a folder), unreadable: said like the others
                self.problems.append(exc.message + " (routine skipped)")
                continue
            add(RoutineInfo(**{**info, "source": source, "path": str(path)}))
        for plan_id, where, data in self._plan_routines():
            try:
                info = cache.check(data, where)
            except InvalidDocument as exc:
                self.problems.append(str(exc.problems[0]) + " (routine skipped)")
                continue
            qualified = f"{plan_id}/{info['id']}"  # the plan's namespace
            add(RoutineInfo(**{**info, "id": qualified, "source": f"plan:{plan_id}", "path": where}))
        cache.save()
        return sorted(found.values(), key=lambda i: (i.seconds, i.title.lower()))

    def find(self, ref: str, *, plan: str | None = None) -> RoutineInfo:
        """ROUTINE as the commands take it: an id, `PLAN/ID` for a plan's own routine, or a
        path (`looks_like_path`). With `plan`, a bare id is looked up among that plan's own
        routines first. Raises UsageError for an unknown id (naming the plan for `PLAN/ID`),
        InvalidDocument for a path to a file that is not a valid routine."""
        if looks_like_path(ref):
            path = Path(ref)
            data = _read_bytes(path)
            cache = ValidationCache.open(self.cache_path)
            try:
                info = cache.check(data, str(path))
            finally:
                cache.save()
            return RoutineInfo(**{**info, "source": "file", "path": str(path)})
        infos = {info.id: info for info in self.infos()}
        if plan is not None and "/" not in ref and f"{plan}/{ref}" in infos:
            return infos[f"{plan}/{ref}"]
        if ref in infos:
            return infos[ref]
        plan_id, slash, inner = ref.partition("/")
        if slash:
            raise UsageError(f"no routine '{inner}' in plan '{plan_id}' (see `coach list`)")
        # The id exists only inside plans: name them as they are run (PLAN/ID).
        inside = sorted(i.id for i in infos.values() if i.plan is not None and i.inner_id == ref)
        if inside:
            names = inside[0] if len(inside) == 1 else f"{', '.join(inside[:-1])} or {inside[-1]}"
            raise UsageError(f"no routine '{ref}'; did you mean {names}?")
        raise UsageError(
            f"no routine with id '{ref}' (see `coach list`, or give a path to a .json file)"
        )

    def _bytes_of(self, info: RoutineInfo) -> bytes:
        """The bytes a listing entry was validated from: its file, or a plan's routine in
        the canonical form `_plan_routines` gives it."""
        if "#routines[" in info.path:
            plan_path, _, rest = info.path.partition("#routines[")
            index = int(rest.rstrip("]"))
            try:
                obj = parse_json(read_own_bytes(Path(plan_path)), plan_path)["routines"][index]
            except (OSError, JSONProblem, KeyError, IndexError, TypeError):
                raise UsageError(f"{plan_path}: the stored plan changed or cannot be read") from None
            return json.dumps(obj, ensure_ascii=False, indent=1).encode()
        return _read_bytes(Path(info.path))

    def detail(self, info: RoutineInfo) -> dict[str, Any]:
        """`routine_detail` of a listing entry, from the validation cache (validating the
        current bytes on a miss: a file edited since it was listed is checked again).
        Raises InvalidDocument for a file that is not valid, UsageError as `load`."""
        cache = ValidationCache.open(self.cache_path)
        try:
            return cache.check(self._bytes_of(info), info.path, "detail")
        finally:
            cache.save()

    def load(self, ref: str | RoutineInfo) -> Routine:
        """The checked routine for an id, a path or a listing entry; raises UsageError for
        an unknown id or a changed plan, InvalidDocument for a file that is not valid."""
        info = ref if isinstance(ref, RoutineInfo) else self.find(ref)
        if "#routines[" in info.path:
            return parse_routine(self._bytes_of(info), info.path)
        return read_routine_file(Path(info.path))


# --- stored plans as plain facts (`coach due` without pydantic) ----------------------------


@dataclass(frozen=True)
class ItemFacts:
    """One plan item as `coach.adherence` reads it (the fields of `coach.plan.PlanItem`)."""

    routine: str
    per_week: int | None  # sessions a week on any days, or None for a `days` item
    days: tuple[str, ...] | None  # weekday codes ("mon".."sun"), or None for `per_week`
    note: str | None


@dataclass(frozen=True)
class PlanFacts:
    """A stored plan's id, period (both days included) and items: what `coach due` needs.
    A stored plan was validated on import, but it can be edited by hand since, so it is
    read through the ValidationCache (kind "stored-plan", keyed on its content hash): a
    file seen before costs a hash; an edited one is validated again in full."""

    id: str
    starts: date
    ends: date
    items: tuple[ItemFacts, ...]
    pain_area: str | None = None  # the area whose pain the plan's sessions rate, if it asks
    # The ids of the plan's own `routines` (an item naming one means `PLAN/ID`, never a
    # built-in's or a user's routine that happens to share the id).
    own_routines: tuple[str, ...] = ()

    def is_active(self, day: date) -> bool:
        """The plan runs on `day` (as `coach.plan.Plan.is_active`)."""
        return self.starts <= day <= self.ends


def plan_facts(plan: Plan) -> dict[str, Any]:
    """The JSON form kept in the cache: id, starts/ends as YYYY-MM-DD, items, the pain
    area the plan asks about (or None) and the ids of its own routines."""
    return {
        "id": plan.id,
        "pain_area": plan.pain.area if plan.pain is not None else None,
        "own_routines": [r.id for r in plan.routines],
        "starts": plan.starts.isoformat(),
        "ends": plan.ends.isoformat(),
        "items": [
            {"routine": i.routine, "per_week": i.per_week, "days": i.days, "note": i.note}
            for i in plan.items
        ],
    }


def _day(text: Any) -> date | None:
    try:
        return date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


def facts_ok(info: dict[str, Any]) -> bool:
    """A remembered `plan_facts` with every field of the right type."""
    keys = {"id", "starts", "ends", "items", "pain_area", "own_routines"}
    if set(info) != keys or not isinstance(info["id"], str):
        return False
    own = info["own_routines"]
    if not isinstance(own, list) or not all(isinstance(r, str) for r in own):
        return False
    if info["pain_area"] is not None and not isinstance(info["pain_area"], str):
        return False
    if _day(info["starts"]) is None or _day(info["ends"]) is None:
        return False
    items = info["items"]
    return isinstance(items, list) and bool(items) and all(
        isinstance(i, dict) and set(i) == {"routine", "per_week", "days", "note"}
        and isinstance(i["routine"], str)
        and (i["note"] is None or isinstance(i["note"], str))
        and ((type(i["per_week"]) is int and i["days"] is None)
             or (i["per_week"] is None and isinstance(i["days"], list) and bool(i["days"])
                 and all(d in WEEKDAYS for d in i["days"])))
        for i in items
    )  # fmt: skip


def _from_json(info: dict[str, Any]) -> PlanFacts:
    return PlanFacts(
        id=info["id"],
        starts=date.fromisoformat(info["starts"]),
        ends=date.fromisoformat(info["ends"]),
        items=tuple(
            ItemFacts(i["routine"], i["per_week"], None if i["days"] is None else tuple(i["days"]), i["note"])
            for i in info["items"]
        ),
        pain_area=info["pain_area"],
        own_routines=tuple(info["own_routines"]),
    )


def facts_from_json(info: dict[str, Any]) -> PlanFacts:
    """PlanFacts from a checked `plan_facts` dict (`ValidationCache.check`, kind
    "stored-plan"); `coach.plan_versions` reads each version of a plan this way."""
    return _from_json(info)


def list_plan_facts(folder: Path, cache: ValidationCache) -> tuple[list[PlanFacts], list[str]]:
    """The stored plans by start date (then id), and one line for each stored file that
    cannot be read or is not valid, worded as `coach.plan_store.list_plans` words them.
    `cache` is an open ValidationCache; the caller saves it."""
    plans: list[PlanFacts] = []
    problems: list[str] = []
    if not folder.is_dir():
        return plans, problems
    for path in sorted(folder.glob("*.json")):
        try:
            data = read_own_bytes(path)  # not through a link, never blocking on a FIFO
            plans.append(_from_json(cache.check(data, str(path), "stored-plan")))
        except InvalidDocument as exc:
            problems.append(f"{exc.problems[0]} (stored plan skipped)")
        except UnsafePathError as exc:
            problems.append(exc.message)
        except OSError as exc:
            problems.append(f"{path}: cannot read: {error_text(exc)}")
        except CoachError as exc:
            problems.append(exc.message)
    plans.sort(key=lambda p: (p.starts, p.id))
    return plans, problems


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


# `PLAN/ID`: a plan's own routine (both parts slugs, coach.routine.ID_PATTERN's alphabet).
PLAN_ROUTINE_REF = re.compile(r"[a-z0-9][a-z0-9-]{1,63}/[a-z0-9][a-z0-9-]{1,63}")


def item_routine_id(plan_id: str, routine: str, known: Container[str]) -> str:
    """The listing id (`RoutineInfo.id`) of the routine a plan's item names: `PLAN/ID` when
    that is in `known` (the plan's own routine), else `routine` itself (a built-in, or a
    user's routine in its place)."""
    own = f"{plan_id}/{routine}"
    return own if own in known else routine


def looks_like_path(ref: str) -> bool:
    """A reference is a path, not an id: it ends in .json, starts like a path ("/", "./",
    "../", "~"), or holds a slash (or the system's separator) and is not `PLAN/ID` or is
    the name of a file or folder that exists. So `sam-neck/upper-back` is a plan's routine unless
    a file of that name is there, and `./sam-neck/upper-back` is always a path."""
    if ref.endswith(".json") or ref.startswith(("/", "./", "../", "~")):
        return True
    if os.sep not in ref and "/" not in ref:
        return False  # a bare id, even where a file of that name happens to be
    return PLAN_ROUTINE_REF.fullmatch(ref) is None or os.path.lexists(ref)


def routine_bytes_hash(routine: Routine) -> str:
    """The hash stored in history records: of the routine's canonical JSON."""
    canonical = json.dumps(
        routine.model_dump(mode="json", by_alias=True, exclude_none=True),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()
