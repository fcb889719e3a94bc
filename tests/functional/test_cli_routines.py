"""The screenless routine commands, run as the installed `coach` in a subprocess."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.command import ROUTINES, RunCoach


def test_help_and_version(run_coach: RunCoach) -> None:
    result = run_coach("--help")
    assert result.returncode == 0
    for command in ("list", "show", "validate", "schema", "new"):
        assert command in result.stdout
    assert "not medical advice" in " ".join(result.stdout.split())
    version = run_coach("--version")
    assert version.returncode == 0 and version.stdout.startswith("coach ")


def test_list_json_has_the_design_fields(run_coach: RunCoach) -> None:
    result = run_coach("list", "--json")
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert len(items) >= 13
    for item in items:
        assert {"id", "title", "seconds", "areas", "source"} <= item.keys()
    assert {i["source"] for i in items} == {"built-in"}


def test_list_filters(run_coach: RunCoach) -> None:
    neck = json.loads(run_coach("list", "--json", "--area", "neck").stdout)
    assert neck and all("neck" in i["areas"] for i in neck)
    breathing = json.loads(run_coach("list", "--json", "--kind", "breathing").stdout)
    assert breathing and all("breathing" in i["kinds"] for i in breathing)
    short = json.loads(run_coach("list", "--json", "--max-minutes", "4").stdout)
    assert short and all(i["seconds"] <= 240 for i in short)
    everything = json.loads(run_coach("list", "--json").stdout)
    assert len(short) < len(everything)
    bad = run_coach("list", "--area", "elbow")
    assert bad.returncode == 2 and "unknown area 'elbow'" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_list_table_mentions_a_shadowing_user_routine(run_coach: RunCoach, coach_home: Path) -> None:
    folder = coach_home / "routines"
    folder.mkdir(parents=True)
    (folder / "mine.json").write_text(json.dumps({
        "format": 1, "id": "box-breathing", "title": "My box", "areas": ["breath"],
        "steps": [{"type": "rest", "title": "Rest", "seconds": 30}]}))  # fmt: skip
    result = run_coach("list")
    line = next(row for row in result.stdout.splitlines() if row.startswith("box-breathing"))
    assert "My box" in line and "[user, replaces built-in]" in line


def test_show(run_coach: RunCoach) -> None:
    result = run_coach("show", "neck-and-shoulders")
    assert result.returncode == 0, result.stderr
    assert "Cautions:" in result.stdout and "Steps:" in result.stdout and "Total:" in result.stdout
    assert "per side" in result.stdout
    missing = run_coach("show", "no-such-routine")
    assert missing.returncode == 2
    assert missing.stderr.strip() == (
        "coach: no routine with id 'no-such-routine' (see `coach list`, or give a path to a .json file)"
    )


def test_show_a_bad_file_gives_the_validate_message(run_coach: RunCoach, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": 1, "id": "ab", "title": "T", "steps": []}')
    shown = run_coach("show", str(bad))
    checked = run_coach("validate", str(bad))
    assert shown.returncode == 1 and checked.returncode == 1
    expected = f"{bad}:1:50: steps: must have at least 1 item"
    assert shown.stderr.splitlines() == [expected]
    assert checked.stderr.splitlines()[0] == expected


def test_validate_all_builtins(run_coach: RunCoach) -> None:
    files = sorted(str(p) for p in ROUTINES.glob("*.json") if not p.name.endswith(".schema.json"))
    result = run_coach("validate", *files)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(": ok (routine)") == len(files)


def test_validate_exit_codes(run_coach: RunCoach, tmp_path: Path) -> None:
    good = ROUTINES / "box-breathing.json"
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    result = run_coach("validate", str(good), str(bad))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"{bad}:1:2: $: invalid JSON: the text ends before the JSON is complete (a closing '}}' or ']' is "
        "missing)"
    )
    assert run_coach("validate").returncode == 2
    missing = run_coach("validate", str(tmp_path / "nope.json"))
    assert missing.returncode == 1 and "cannot read" in missing.stderr


def test_schema_matches_committed(run_coach: RunCoach) -> None:
    result = run_coach("schema", "routine")
    assert json.loads(result.stdout) == json.loads((ROUTINES / "routine.schema.json").read_text())


def test_new_writes_a_valid_starter_and_never_overwrites(run_coach: RunCoach, tmp_path: Path) -> None:
    result = run_coach("new", "routine", "my-break", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    doc = json.loads((tmp_path / "my-break.json").read_text())
    assert doc["$schema"] == "./routine.schema.json" and doc["id"] == "my-break"
    assert (tmp_path / "routine.schema.json").is_file()
    assert run_coach("validate", "my-break.json", cwd=tmp_path).returncode == 0
    again = run_coach("new", "routine", "my-break", cwd=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr
    assert json.loads((tmp_path / "my-break.json").read_text()) == doc
    assert run_coach("new", "routine", "Bad Id", cwd=tmp_path).returncode == 2


def _imported(stderr: str) -> list[str]:
    return [row.split("|")[-1].strip() for row in stderr.splitlines() if "import time" in row]


def test_screenless_commands_do_not_import_textual(run_coach: RunCoach, tmp_path: Path) -> None:
    # -X importtime lists every module imported; none may be textual.
    for args in (["--help"], ["list"], ["list", "--json"], ["show", "box-breathing"],
                 ["validate", str(ROUTINES / "box-breathing.json")], ["schema", "routine"]):  # fmt: skip
        result = run_coach(*args, env={"PYTHONPROFILEIMPORTTIME": "1"})
        assert result.returncode == 0, (args, result.stderr[-500:])
        imported = _imported(result.stderr)
        assert imported, "importtime output missing"
        assert not [m for m in imported if m.split(".")[0] == "textual"], args


def test_warm_list_does_not_import_pydantic(run_coach: RunCoach) -> None:
    run_coach("list")  # fills the cache
    result = run_coach("list", env={"PYTHONPROFILEIMPORTTIME": "1"})
    imported = _imported(result.stderr)
    assert not [m for m in imported if m.split(".")[0] == "pydantic"]
