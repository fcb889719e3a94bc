"""A bad file in the user's routines folder is reported in one line and skipped: `coach list`,
`coach show` of another routine and the app's home list still show every other routine.

Functional: the installed command with COACH_HOME set, and the app in Pilot.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.command import ROUTINES, RunCoach
from tests.helpers.tui import Env, loaded, text_of

BUILTIN_IDS = [p.stem for p in ROUTINES.glob("*.json") if not p.name.endswith(".schema.json")]
GOOD = {"format": 1, "id": "my-own", "title": "My own", "areas": ["breath"],
        "steps": [{"type": "rest", "title": "Rest", "seconds": 30}]}  # fmt: skip
BAD: dict[str, bytes] = {
    "digits.json": b'{"format": ' + b"1" * 4301 + b"}",
    "deep.json": b"[" * 100_000 + b"]" * 100_000,
    "latin1.json": json.dumps({**GOOD, "id": "cafe", "title": "Caf\u00e9"},
                              ensure_ascii=False).encode("latin-1"),
    "surrogate.json": json.dumps({**GOOD, "id": "half"}).replace("My own", "\\ud800").encode(),
    "nan.json": json.dumps({**GOOD, "id": "nan-one"}).replace('"format": 1', '"format": NaN').encode(),
    "comma.json": json.dumps({**GOOD, "id": "comma"})[:-1].encode() + b",}",
    "invalid.json": json.dumps({**GOOD, "id": "strict", "steps": [{"type": "rest", "title": "R",
                                                                    "seconds": "30"}]}).encode(),
}  # fmt: skip
EXPECTED = {
    "digits.json": ":1:12: $: number too long: 4301 digits (at most 4300) (routine skipped)",
    "deep.json": ":1:101: $: nested more than 100 levels deep (routine skipped)",
    "latin1.json": ":1:42: $: not UTF-8 text: byte 0xe9 is not part of a UTF-8 character here (save the "
                   "file as UTF-8) (routine skipped)",
    "surrogate.json": ":1:39: title: the escape \\ud800 is half of a character (a lone surrogate) "
                      "and not text; remove it (routine skipped)",
    "nan.json": ":1:12: $: NaN is not a JSON number; write a number (routine skipped)",
    "comma.json": ":1:129: $: invalid JSON: trailing comma: remove the ',' after the last item "
                  "(routine skipped)",
    "invalid.json": ':1:123: steps[0].seconds: expected a whole number, got "30" (routine skipped)',
}  # fmt: skip


def _user_folder(home: Path) -> Path:
    folder = home / "routines"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mine.json").write_text(json.dumps(GOOD), "utf-8")
    for name, data in BAD.items():
        (folder / name).write_bytes(data)
    return folder


def _reported(stderr: str, folder: Path) -> dict[str, str]:
    """file name → the rest of its one line on stderr."""
    out = {}
    for line in stderr.splitlines():
        assert line.startswith(f"coach: {folder}/"), line
        name, _, rest = line.removeprefix(f"coach: {folder}/").partition(":")
        assert name not in out, f"{name} reported twice"
        out[name] = ":" + rest
    return out


def test_list_reports_each_bad_file_once_and_lists_the_rest(run_coach: RunCoach, coach_home: Path) -> None:
    folder = _user_folder(coach_home)
    for _ in range(2):  # the second time from the validation cache: the same lines
        result = run_coach("list")
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert _reported(result.stderr, folder) == EXPECTED
        ids = [line.split()[0] for line in result.stdout.splitlines()]
        assert "my-own" in ids and "box-breathing" in ids and len(ids) == len(BUILTIN_IDS) + 1
    listed = json.loads(run_coach("list", "--json").stdout)
    assert {"my-own", "neck-and-shoulders"} <= {info["id"] for info in listed}


def test_show_of_another_routine_says_so_and_shows_it(run_coach: RunCoach, coach_home: Path) -> None:
    folder = _user_folder(coach_home)
    for ref in ("box-breathing", "my-own"):
        result = run_coach("show", ref)
        assert result.returncode == 0, result.stderr
        assert _reported(result.stderr, folder) == EXPECTED
        assert f"({ref}, " in result.stdout.splitlines()[0]
    missing = run_coach("show", "strict")  # the bad file's id is not found, and said why
    assert missing.returncode == 2
    assert "no routine with id 'strict'" in missing.stderr


def test_validate_names_every_bad_file(run_coach: RunCoach, coach_home: Path) -> None:
    folder = _user_folder(coach_home)
    files = sorted(folder.iterdir())
    result = run_coach("validate", *map(str, files))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[-1] == f"{len(BAD)} of {len(files)} file(s) invalid"
    for name, expected in EXPECTED.items():
        assert f"{folder / name}{expected.removesuffix(' (routine skipped)')}" in lines
    assert result.stdout == f"{folder / 'mine.json'}: ok (routine)\n"


async def test_the_app_home_lists_the_others_and_counts_the_bad(tmp_path: Path) -> None:
    env = Env(tmp_path)
    user = tmp_path / "user"
    user.mkdir()
    (user / "mine.json").write_text(json.dumps(GOOD), "utf-8")
    for name, data in BAD.items():
        (user / name).write_bytes(data)
    async with env.app().run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        app = pilot.app
        ids = [info.id for info in app.screen.query_one("#routines").infos]
        assert "my-own" in ids and len(ids) == 4  # the three test built-ins and the good one
        assert len(app.library_problems) == len(BAD)
        assert f"{len(BAD)} routine file(s) could not be used" in text_of(app, "#notice")
