"""The usual break (coach.usual): the last routine and concerns survive a restart; the
caution rule (shown before a routine's first session and whenever its cautions or stop-if
lines change, not otherwise); a file that cannot be used is never written over."""

from __future__ import annotations

import json
import os
from pathlib import Path

from coach.usual import Usual, cautions_hash, read_usual, remember_last, routine_ref, update_usual

CAUTIONS = ["Never press on the front of the neck."]
STOP_IF = ["Tingling spreads into the arm."]


def test_nothing_remembered_at_first(tmp_path: Path) -> None:
    loaded = read_usual(tmp_path / "usual.json")
    assert loaded.usual == Usual() and loaded.problem is None


def test_the_caution_rule_first_session_unchanged_changed() -> None:
    usual = Usual()
    assert usual.cautions_due("neck", CAUTIONS, STOP_IF)  # first session: shown
    seen = usual.with_cautions_seen("neck", cautions_hash(CAUTIONS, STOP_IF))
    assert not seen.cautions_due("neck", CAUTIONS, STOP_IF)  # unchanged: one line instead
    assert seen.cautions_due("neck", [*CAUTIONS, "Not after surgery."], STOP_IF)  # a caution added
    assert seen.cautions_due("neck", CAUTIONS, ["Dizziness."])  # stop-if changed
    assert seen.cautions_due("other", CAUTIONS, STOP_IF)  # per routine
    assert not Usual().cautions_due("plain", [], [])  # nothing to show


def test_what_is_remembered_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "data" / "usual.json"
    digest = cautions_hash(CAUTIONS, STOP_IF)
    assert update_usual(path, lambda u: u.with_last("neck-and-shoulders", 2.0)) is None
    assert update_usual(path, lambda u: u.with_concerns(["neck", "stress"])) is None
    assert update_usual(path, lambda u: u.with_cautions_seen("neck-and-shoulders", digest)) is None
    again = read_usual(path).usual
    assert (again.last_routine, again.last_minutes) == ("neck-and-shoulders", 2.0)
    assert again.concerns == ("neck", "stress")
    assert not again.cautions_due("neck-and-shoulders", CAUTIONS, STOP_IF)
    assert os.stat(path).st_mode & 0o777 == 0o600


def test_a_routine_run_from_a_file_is_remembered_by_its_absolute_path(tmp_path: Path) -> None:
    class Info:
        source, id, path = "file", "mine", "mine.json"

    assert routine_ref(Info()) == os.path.abspath("mine.json")
    Info.source = "plan:kim"
    Info.id = "kim/stretch"
    assert routine_ref(Info()) == "kim/stretch"
    assert remember_last(tmp_path / "usual.json", Info(), None) is None
    assert read_usual(tmp_path / "usual.json").usual.last_routine == "kim/stretch"


def test_a_broken_file_is_reported_and_never_written_over(tmp_path: Path) -> None:
    path = tmp_path / "usual.json"
    path.write_text('{"last": ', encoding="utf-8")
    loaded = read_usual(path)
    assert loaded.usual == Usual() and loaded.problem is not None and str(path) in loaded.problem
    problem = update_usual(path, lambda u: u.with_last("x-y", None))
    assert problem is not None and "left as it is" in problem
    assert path.read_text(encoding="utf-8") == '{"last": '


def test_fields_of_the_wrong_shape_are_ignored_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "usual.json"
    path.write_text(json.dumps({"last": {"routine": "box-breathing", "minutes": "5"},
                                "concerns": ["neck", 3, "\x1b[2J"],
                                "cautions_seen": {"a": 1, "b": "sha256:0"}}))
    usual = read_usual(path).usual
    assert (usual.last_routine, usual.last_minutes) == ("box-breathing", None)
    assert usual.concerns == ("neck",)
    assert usual.cautions_seen == {"b": "sha256:0"}


def test_a_link_in_its_place_is_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.json"
    target.write_text(json.dumps({"last": {"routine": "box-breathing"}}))
    path = tmp_path / "usual.json"
    path.symlink_to(target)
    loaded = read_usual(path)
    assert loaded.usual.last_routine is None and loaded.problem is not None
