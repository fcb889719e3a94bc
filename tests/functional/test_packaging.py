"""The wheel carries the built-in routines, so a non-editable install finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.helpers.command import ROOT, ROUTINES


def test_wheel_ships_every_builtin_routine(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    (wheel,) = tmp_path.glob("coach-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"coach/builtin_routines/{p.name}" for p in ROUTINES.glob("*.json")}
    assert len(expected) >= 14
    assert expected <= names
    assert "coach/cli.py" in names
    entry_points = zipfile.ZipFile(wheel).read(
        next(n for n in names if n.endswith("entry_points.txt"))
    ).decode()
    assert "coach = coach.cli:main" in entry_points
