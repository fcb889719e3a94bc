"""Finding routines: built-in, the user's folder, shadowing, the validation cache."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from coach.errors import UsageError
from coach.library import Library, ValidationCache, routine_bytes_hash
from coach.routine import Routine
from coach.validation import InvalidDocument
from tests.helpers.command import ROUTINES


def write(folder: Path, name: str, doc: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(doc), "utf-8")
    return path


def rest_routine(routine_id: str, title: str = "Mine", seconds: int = 30) -> dict:
    return {"format": 1, "id": routine_id, "title": title, "areas": ["breath"],
            "steps": [{"type": "rest", "title": "Rest", "seconds": seconds}]}  # fmt: skip


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    return Library(builtin_dir=ROUTINES, user_dir=tmp_path / "routines",
                   plans_dir=tmp_path / "plans", cache_path=tmp_path / "cache.json")  # fmt: skip


def test_builtins_are_listed(lib: Library) -> None:
    infos = lib.infos()
    ids = {i.id for i in infos}
    assert {"neck-and-shoulders", "box-breathing", "cyclic-sighing"} <= ids
    assert all(i.source == "built-in" for i in infos)
    assert lib.problems == []
    neck = next(i for i in infos if i.id == "neck-and-shoulders")
    assert neck.path.endswith("neck-and-shoulders.json") and neck.seconds > 60


def test_user_routine_is_added_and_one_with_a_builtin_id_shadows_it(lib: Library) -> None:
    assert lib.user_dir is not None
    write(lib.user_dir, "mine.json", rest_routine("my-own"))
    write(lib.user_dir, "box.json", rest_routine("box-breathing", title="My box"))
    infos = {i.id: i for i in lib.infos()}
    assert infos["my-own"].source == "user" and infos["my-own"].shadows is None
    assert infos["box-breathing"].title == "My box"
    assert infos["box-breathing"].shadows == "built-in"
    assert lib.load("box-breathing").title == "My box"


def test_a_broken_user_routine_is_reported_and_the_rest_still_listed(lib: Library) -> None:
    assert lib.user_dir is not None
    bad = write(lib.user_dir, "bad.json", {"format": 1, "id": "bad", "title": "B", "steps": []})
    infos = lib.infos()
    assert "bad" not in {i.id for i in infos} and len(infos) >= 13
    assert lib.problems == [f"{bad}:1:51: steps: must have at least 1 item (routine skipped)"]


def test_find_by_path_and_unknown_id(lib: Library, tmp_path: Path) -> None:
    path = write(tmp_path, "x.json", rest_routine("from-a-path"))
    assert lib.find(str(path)).source == "file"
    assert lib.load(str(path)).id == "from-a-path"
    with pytest.raises(UsageError, match="no routine with id 'nope'"):
        lib.find("nope")
    with pytest.raises(UsageError, match="no such file"):
        lib.find(str(tmp_path / "missing.json"))


def test_cache_is_used_and_follows_content(tmp_path: Path) -> None:
    cache_path = tmp_path / "cache.json"
    data = json.dumps(rest_routine("cached")).encode()
    cache = ValidationCache.open(cache_path)
    assert cache.check(data, "a.json")["id"] == "cached"
    cache.save()
    # A second run answers from the file, without validating again.
    again = ValidationCache.open(cache_path)
    assert len(again.entries) == 1
    again._validate = None  # type: ignore[assignment,method-assign]
    assert again.check(data, "a.json")["seconds"] == 30
    # Changed content is a new key: validated for real, errors located in the new file name.
    bad = ValidationCache.open(cache_path)
    with pytest.raises(InvalidDocument) as caught:
        bad.check(data.replace(b"30", b"3"), "b.json")
    assert str(caught.value.problems[0]).startswith("b.json:1:")
    bad.save()
    # And the remembered error names whichever file has those bytes now.
    with pytest.raises(InvalidDocument) as caught:
        ValidationCache.open(cache_path).check(data.replace(b"30", b"3"), "c.json")
    assert str(caught.value.problems[0]).startswith("c.json:1:")


def test_a_broken_cache_file_is_ignored(tmp_path: Path) -> None:
    cache_path = tmp_path / "cache.json"
    cache_path.write_text("{not json")
    cache = ValidationCache.open(cache_path)
    assert cache.check(json.dumps(rest_routine("ok-one")).encode(), "a.json")["id"] == "ok-one"
    cache.save()
    assert json.loads(cache_path.read_text())["entries"]


def test_builtin_dir_is_found_from_the_package() -> None:
    from coach.paths import builtin_routines_dir

    assert (builtin_routines_dir() / "neck-and-shoulders.json").is_file()


def test_a_capped_verdict_is_remembered_with_how_many_more(tmp_path: Path) -> None:
    cache_path = tmp_path / "cache.json"
    doc = {**rest_routine("many"), **{f"k{i}": i for i in range(50)}}
    data = json.dumps(doc).encode()
    for name in ("a.json", "b.json"):  # validated, then recalled from the file
        cache = ValidationCache.open(cache_path)
        with pytest.raises(InvalidDocument) as caught:
            cache.check(data, name)
        cache.save()
        assert len(caught.value.problems) == 20 and caught.value.more == 30
        assert caught.value.message.splitlines()[-1] == f"{name}: and 30 more problems (fix these first)"


def test_a_stored_plan_that_is_not_json_is_skipped_with_one_line(lib: Library) -> None:
    assert lib.plans_dir is not None
    lib.plans_dir.mkdir(parents=True)
    (lib.plans_dir / "broken.json").write_bytes(b'{"id": "p", "routines": [' + b"[" * 5000)
    (lib.plans_dir / "digits.json").write_bytes(b'{"id": ' + b"7" * 5000 + b"}")
    infos = lib.infos()
    assert len(infos) >= 13
    assert lib.problems == [f"{lib.plans_dir / name}: cannot read this stored plan; skipped"
                            for name in ("broken.json", "digits.json")]  # fmt: skip


def test_a_routine_hash_is_sha256_of_its_canonical_json_whatever_the_key_order() -> None:
    steps = [{"type": "rest", "title": "Rest", "seconds": 20}]
    routine = Routine.model_validate({"format": 1, "id": "rest-a-while", "title": "Été", "steps": steps})
    same = Routine.model_validate({"steps": steps, "title": "Été", "id": "rest-a-while", "format": 1})
    canonical = json.dumps(
        routine.model_dump(mode="json", by_alias=True, exclude_none=True),
        sort_keys=True, separators=(",", ":"), ensure_ascii=False,
    )  # fmt: skip
    assert routine_bytes_hash(routine) == "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()
    assert routine_bytes_hash(same) == routine_bytes_hash(routine)
    changed = Routine.model_validate({"format": 1, "id": "rest-a-while", "title": "Ete", "steps": steps})
    assert routine_bytes_hash(changed) != routine_bytes_hash(routine)


def test_show_detail_comes_from_the_cache_and_matches_the_model(lib: Library) -> None:
    from coach.library import routine_detail

    for info in lib.infos():
        detail = lib.detail(info)  # a miss: validated with the models
        # What the cache gives back equals what the model says, after a JSON round trip.
        assert detail == json.loads(json.dumps(routine_detail(lib.load(info))))
    box = lib.detail(lib.find("box-breathing"))
    breath = next(i for i, step in enumerate(box["steps"]) if step["type"] == "breathing")
    assert "hold" in box["steps"][breath]["pattern_name"] and type(box["steps"][breath]["cycles"]) is int
    # A second Library answers without validating; a tampered entry is not trusted.
    cache = ValidationCache.open(lib.cache_path)
    details = [k for k in cache.entries if k.startswith("detail:")]
    key = next(k for k in details if cache.entries[k]["info"]["id"] == "box-breathing")
    cache.entries[key]["info"]["steps"][breath]["cycles"] = "many"
    cache.dirty = True
    cache.save()
    assert type(lib.detail(lib.find("box-breathing"))["steps"][breath]["cycles"]) is int


def test_stored_plan_facts_follow_the_file_and_an_edit_is_checked_again(tmp_path: Path) -> None:
    from datetime import date

    from coach.library import list_plan_facts
    from coach.plan_store import list_plans
    from tests.helpers.plans import BASE

    folder = tmp_path / "plans"
    stored = write(folder, "kim-2026.json", BASE)
    write(folder, "broken.json", {**BASE, "id": "broken", "items": []})
    cache = ValidationCache.open(tmp_path / "cache.json")
    facts, problems = list_plan_facts(folder, cache)
    models, model_problems = list_plans(folder)
    assert problems == model_problems and len(problems) == 1 and problems[0].endswith("(stored plan skipped)")
    (plan,) = facts
    (model,) = [s.plan for s in models]
    assert (plan.id, plan.starts, plan.ends) == (model.id, model.starts, model.ends) == (
        "kim-2026", date(2026, 11, 26), date(2026, 12, 16))  # fmt: skip
    assert [(i.routine, i.per_week, i.days, i.note) for i in plan.items] == [
        (i.routine, i.per_week, None if i.days is None else tuple(i.days), i.note) for i in model.items
    ]
    cache.save()
    warm = ValidationCache.open(tmp_path / "cache.json")
    warm._validate = None  # type: ignore[assignment,method-assign]
    stored.write_bytes(stored.read_bytes())  # same bytes: answered from the cache
    assert list_plan_facts(folder, warm)[0] == facts
    # An edit by hand is new content: validated again, and refused when it is not valid.
    write(folder, "kim-2026.json", {**BASE, "ends": "2026-11-01"})
    again, problems = list_plan_facts(folder, ValidationCache.open(tmp_path / "cache.json"))
    assert again == [] and len(problems) == 2
    assert any(p.startswith(f"{stored}:") and "ends" in p for p in problems)


# --- a plan's own routines live in the plan's namespace: PLAN/ID ------------------------------


def store_plan(lib: Library, plan_id: str, *routines: dict) -> None:
    """A stored plan (as `coach plan import` leaves it) holding `routines` of its own."""
    from tests.helpers.plans import BASE

    assert lib.plans_dir is not None
    items = [{"routine": r["id"], "per_week": 2} for r in routines]
    plan = {**BASE, "id": plan_id, "routines": list(routines), "items": items}
    write(lib.plans_dir, f"{plan_id}.json", plan)


def test_two_plans_with_the_same_inner_routine_id_each_get_their_own(lib: Library) -> None:
    store_plan(lib, "sam-phase-1", rest_routine("upper-back", title="Phase one", seconds=30))
    store_plan(lib, "sam-phase-2", rest_routine("upper-back", title="Phase two", seconds=60))
    infos = {i.id: i for i in lib.infos()}
    assert lib.problems == []
    one, two = infos["sam-phase-1/upper-back"], infos["sam-phase-2/upper-back"]
    assert (one.title, one.source, one.plan, one.inner_id) == ("Phase one", "plan:sam-phase-1", "sam-phase-1",
                                                              "upper-back")  # fmt: skip
    assert (two.title, two.source, two.shadows, one.shadows) == ("Phase two", "plan:sam-phase-2", None, None)
    assert "upper-back" not in infos  # never a bare id
    assert lib.load("sam-phase-1/upper-back").title == "Phase one"
    assert lib.load("sam-phase-2/upper-back").title == "Phase two"
    # Whatever the alphabetical order of the plans, each keeps its own.
    assert lib.find("upper-back", plan="sam-phase-2").title == "Phase two"
    assert lib.find("upper-back", plan="sam-phase-1").title == "Phase one"


def test_a_plans_routine_never_shadows_and_is_never_shadowed(lib: Library) -> None:
    assert lib.user_dir is not None
    write(lib.user_dir, "mine.json", rest_routine("upper-back", title="The user's"))
    # A hand-edited stored plan whose own routine has a built-in's id (an import refuses it).
    store_plan(lib, "sam-neck", rest_routine("upper-back", title="The plan's"),
               rest_routine("box-breathing", title="The plan's box"))  # fmt: skip
    infos = {i.id: i for i in lib.infos()}
    assert (infos["upper-back"].title, infos["upper-back"].shadows) == ("The user's", None)
    assert (infos["box-breathing"].source, infos["box-breathing"].shadows) == ("built-in", None)
    assert infos["sam-neck/upper-back"].title == "The plan's" and infos["sam-neck/upper-back"].shadows is None
    assert infos["sam-neck/box-breathing"].title == "The plan's box"
    # A bare id is the user's or the built-in; with the plan named, the plan's own first.
    assert lib.find("upper-back").title == "The user's"
    assert lib.find("upper-back", plan="sam-neck").title == "The plan's"
    assert lib.find("box-breathing", plan="sam-neck").title == "The plan's box"
    assert lib.find("neck-and-shoulders", plan="sam-neck").source == "built-in"  # not its own: the usual one


def test_an_unknown_plan_routine_names_the_plan(lib: Library) -> None:
    store_plan(lib, "sam-neck", rest_routine("upper-back"))
    with pytest.raises(UsageError, match=r"^no routine 'lower-back' in plan 'sam-neck' \(see `coach list`"):
        lib.find("sam-neck/lower-back")
    with pytest.raises(UsageError, match=r"^no routine 'upper-back' in plan 'other-plan'"):
        lib.find("other-plan/upper-back")


def test_plan_ids_resolve_and_real_paths_still_work(
    lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coach.library import looks_like_path

    store_plan(lib, "sam-neck", rest_routine("upper-back", title="The plan's"))
    assert not looks_like_path("sam-neck/upper-back") and not looks_like_path("box-breathing")
    for path in ("./sam-neck/upper-back", "/tmp/x", "x.json", "sub/x.json", "../a/b", "~/a", "a/b/c", "A/b"):
        assert looks_like_path(path), path
    monkeypatch.chdir(tmp_path)
    assert lib.find("sam-neck/upper-back").title == "The plan's"
    # A file of that very name is there: the path wins (it is what the person pointed at).
    write(tmp_path / "sam-neck", "upper-back", rest_routine("from-a-file", title="The file"))
    assert looks_like_path("sam-neck/upper-back")
    assert lib.find("sam-neck/upper-back").title == "The file"
    assert lib.find("./sam-neck/upper-back").source == "file"
    (tmp_path / "box-breathing").write_text("a file named like an id")
    assert lib.find("box-breathing").source == "built-in"  # a bare id is never a path


def test_a_plan_item_names_its_routine_in_the_listing(lib: Library) -> None:
    from coach.library import item_routine_id

    store_plan(lib, "sam-neck", rest_routine("upper-back"))
    infos = {i.id: i for i in lib.infos()}
    assert item_routine_id("sam-neck", "upper-back", infos) == "sam-neck/upper-back"
    assert item_routine_id("sam-neck", "box-breathing", infos) == "box-breathing"
    assert item_routine_id("kim-2026", "upper-back", infos) == "upper-back"  # not that plan's own


def test_stored_plan_facts_carry_the_pain_area(tmp_path: Path) -> None:
    from coach.library import list_plan_facts
    from tests.helpers.plans import BASE

    folder = tmp_path / "plans"
    write(folder, "kim-2026.json", {**BASE, "pain": {"area": "neck"}})
    write(folder, "kim-2027.json", {**BASE, "id": "kim-2027"})
    facts, problems = list_plan_facts(folder, ValidationCache.open(tmp_path / "cache.json"))
    assert problems == []
    assert [(f.id, f.pain_area) for f in facts] == [("kim-2026", "neck"), ("kim-2027", None)]
