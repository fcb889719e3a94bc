"""The repository's folders and the installed `coach` command, as a person would run it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROUTINES = ROOT / "routines"

RunCoach = Callable[..., subprocess.CompletedProcess[str]]


def coach_command() -> list[str]:
    """The installed console script next to this Python, else `python -m coach`."""
    found = shutil.which("coach", path=os.path.dirname(sys.executable)) or shutil.which("coach")
    return [found] if found else [sys.executable, "-m", "coach"]
