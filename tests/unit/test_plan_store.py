"""Importing, replacing, listing and removing stored plans."""

from __future__ import annotations

import copy
import re
import stat
from pathlib import Path

import pytest

from coach.errors import UsageError
from coach.library import Library
from coach.plan_store import import_plan, list_plans, load_plan, remove_plan
from coach.validation import InvalidDocument
from tests.helpers.plans import BASE, text_of
from tests.helpers.processes import dead_pid

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, obj: dict[str, object], name: str = "plan.json") -> Path:
    path = tmp_path / name
    path.write_bytes(text_of(obj))
    return path


def test_import_stores_a_private_copy(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "plans"
    result = import_plan(write(tmp_path, BASE), folder)
    assert result.replaced is None and not result.unchanged
    assert result.path == folder / "kim-2026.json"
    assert result.path.read_bytes() == text_of(BASE)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o600
    # The current version, and the list of every version: no temporary left behind.
    assert sorted(p.name for p in folder.iterdir()) == ["kim-2026.json", "versions"]
    assert [p.name for p in (folder / "versions").iterdir()] == ["kim-2026.json"]
    assert stat.S_IMODE((folder / "versions" / "kim-2026.json").stat().st_mode) == 0o600


def test_importing_the_same_file_again_changes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    import_plan(write(tmp_path, BASE), folder)
    before = (folder / "kim-2026.json").stat().st_mtime_ns
    again = import_plan(write(tmp_path, BASE), folder)
    assert again.unchanged and again.replaced is None
    assert (folder / "kim-2026.json").stat().st_mtime_ns == before


def test_a_new_version_replaces_the_old_and_says_what_it_was(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    import_plan(write(tmp_path, BASE), folder)
    newer = copy.deepcopy(BASE)
    newer["ends"] = "2026-12-23"
    newer["items"].append({"routine": "feet-ball", "per_week": 2})
    result = import_plan(write(tmp_path, newer, "v2.json"), folder)
    assert result.replaced is not None and str(result.replaced.ends) == "2026-12-16"
    assert len(result.replaced.items) == 2 and len(result.plan.items) == 3
    plans, problems = list_plans(folder)
    assert problems == [] and [str(s.plan.ends) for s in plans] == ["2026-12-23"]


def test_an_invalid_file_is_refused_and_nothing_is_stored(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    import_plan(write(tmp_path, BASE), folder)
    bad = copy.deepcopy(BASE)
    bad["items"][0]["per_week"] = 0
    with pytest.raises(InvalidDocument) as caught:
        import_plan(write(tmp_path, bad, "bad.json"), folder)
    assert str(caught.value.problems[0]).startswith(f"{tmp_path / 'bad.json'}:29:19: items[0].per_week")
    assert (folder / "kim-2026.json").read_bytes() == text_of(BASE)  # the old version is kept
    with pytest.raises(UsageError, match="no such file"):
        import_plan(tmp_path / "missing.json", folder)


def test_list_reports_broken_stored_files_and_keeps_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    import_plan(write(tmp_path, BASE), folder)
    later = copy.deepcopy(BASE)
    later["id"], later["starts"] = "kim-2027", "2027-01-04"
    later["ends"] = "2027-01-24"
    import_plan(write(tmp_path, later, "later.json"), folder)
    (folder / "broken.json").write_text("{not json")
    plans, problems = list_plans(folder)
    assert [s.plan.id for s in plans] == ["kim-2026", "kim-2027"]
    assert len(problems) == 1 and problems[0].startswith(f"{folder / 'broken.json'}:1:2: $: invalid JSON")
    assert problems[0].endswith("(stored plan skipped)")
    assert list_plans(tmp_path / "nowhere") == ([], [])


def test_load_and_remove(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    import_plan(write(tmp_path, BASE), folder)
    assert load_plan(folder, "kim-2026").plan.client == "Kim"
    with pytest.raises(UsageError, match=r"no plan with id 'kim'; imported plans: kim-2026"):
        load_plan(folder, "kim")
    with pytest.raises(UsageError, match=re.escape("no plan with id '../plans/kim-2026'")):
        load_plan(folder, "../plans/kim-2026")
    removed = remove_plan(folder, "kim-2026")
    assert removed.id == "kim-2026" and not (folder / "kim-2026.json").exists()
    with pytest.raises(UsageError, match="no plan is imported yet"):
        remove_plan(folder, "kim-2026")


def test_imported_routines_are_offered_labelled_with_the_plan(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    import_plan(write(tmp_path, BASE), folder)
    library = Library(builtin_dir=ROOT / "routines", plans_dir=folder, cache_path=tmp_path / "cache.json")
    info = library.find("kim-2026/kim-breathing")  # the plan's namespace: PLAN/ID
    assert info.source == "plan:kim-2026"
    assert library.load(info).title == "Kim's evening breaths"
    remove_plan(folder, "kim-2026")
    with pytest.raises(UsageError):
        library.find("kim-2026/kim-breathing")


def test_an_import_removes_temporaries_that_killed_imports_left(tmp_path: Path) -> None:
    import os
    dead = dead_pid()  # the process has ended: its files are stale
    folder = tmp_path / "data" / "plans"
    folder.mkdir(parents=True)
    stale = [folder / f".{BASE['id']}-{dead}.tmp", folder / f".{BASE['id']}.json.{dead}.tmp"]
    for path in stale:
        path.write_text("{")
    live = folder / f".other.json.{os.getppid()}.tmp"
    live.write_text("{")
    import_plan(write(tmp_path, BASE), folder)
    assert not any(path.exists() for path in stale) and live.exists()
    assert sorted(p.name for p in folder.iterdir()) == sorted([f"{BASE['id']}.json", live.name, "versions"])


def test_a_fifo_or_a_link_among_stored_plans_is_reported_and_skipped(tmp_path: Path) -> None:
    import os
    import signal

    folder = tmp_path / "plans"
    import_plan(write(tmp_path, BASE), folder)
    os.mkfifo(folder / "pipe.json")
    (folder / "link.json").symlink_to(folder / f"{BASE['id']}.json")
    signal.alarm(5)  # a blocking open of the FIFO would hang here: fail instead
    try:
        plans, problems = list_plans(folder)
    finally:
        signal.alarm(0)
    assert [s.plan.id for s in plans] == [BASE["id"]]
    assert sorted(problems) == [
        f"{folder / 'link.json'}: is a symbolic link; Coach does not follow links in place of its own "
        "files (move the link away or replace it with the file)",
        f"{folder / 'pipe.json'}: is a FIFO (named pipe), not a regular file; Coach uses regular files only",
    ]
