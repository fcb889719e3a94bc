"""Messages worded like their neighbours (a desk-worker tester's findings): a FIFO among
the user's routines says "(routine skipped)" as every other bad file does; `coach validate
DIR` says what a folder is in lower case, as every message does; `--minutes 0` repeats
the number as typed, not argparse's float."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from coach.cli import main
from coach.errors import UsageError
from coach.library import Library
from coach.scaling import check_minutes


def test_a_fifo_in_the_users_folder_is_skipped_and_said_so_like_a_bad_file(tmp_path: Path) -> None:
    builtin, user = tmp_path / "builtin", tmp_path / "user"
    builtin.mkdir()
    user.mkdir()
    os.mkfifo(user / "pipe.json")
    (user / "broken.json").write_text("{", encoding="utf-8")
    good = {
        "format": 1,
        "id": "mine",
        "title": "Mine",
        "steps": [{"type": "rest", "title": "Rest", "seconds": 30}],
    }
    (user / "mine.json").write_text(json.dumps(good), encoding="utf-8")
    library = Library(builtin_dir=builtin, user_dir=user, cache_path=tmp_path / "cache.json")
    assert [info.id for info in library.infos()] == ["mine"]  # the others never hide it
    assert len(library.problems) == 2
    assert all(problem.endswith(" (routine skipped)") for problem in library.problems), library.problems
    (fifo,) = [p for p in library.problems if "pipe.json" in p]
    assert fifo == f"{user / 'pipe.json'}: is a FIFO (named pipe), not a file (routine skipped)"


def test_validate_a_folder_says_so_in_lower_case(
    tmp_path: Path, coach_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "routines"
    folder.mkdir()
    assert main(["validate", str(folder)]) == 1
    first = capsys.readouterr().err.splitlines()[0]
    assert first == f"{folder}:1:1: $: cannot read: is a folder, not a file"


def test_validate_an_unreadable_file_says_the_reason_in_lower_case(
    tmp_path: Path, coach_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import coach.files

    locked = tmp_path / "locked.json"
    locked.write_text("{}")

    def refused(path: object) -> bytes:  # what a mode-0 file gives a non-root user (CI runs as root)
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

    monkeypatch.setattr(coach.files, "read_user_bytes", refused)
    assert main(["validate", str(locked)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == f"{locked}:1:1: $: cannot read: permission denied"


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0.0, "got 0"), (0, "got 0"), (-3.0, "got -3"), (0.5, "got 0.5"), (121.0, "got 121"),
     (float("nan"), "got nan"), (float("inf"), "got inf"), (True, "got True"), ("five", "got 'five'")],
)  # fmt: skip
def test_minutes_out_of_range_repeats_the_number_as_typed(value: object, shown: str) -> None:
    with pytest.raises(UsageError) as caught:
        check_minutes(value)
    assert caught.value.message == f"--minutes must be a number from 1 to 120, {shown}"
