"""The import contracts bite: a copy of coach/ with one forbidden import added fails
`lint-imports`, which names the contract and the import; the copy as it is does not name it.

Runs the installed `lint-imports` in a subprocess whose PYTHONPATH puts the copy first, so the
real package is never touched. That the real tree keeps the contracts is tests/unit/test_architecture.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.command import ROOT

CORE = "The core never imports Textual or the app"
ONLY_APP = "Only the app imports Textual"
ENGINE = "The engine knows no store, sound, files or wall clock"
WIDGETS = "Widgets take their data from their screen"
SCREENLESS = "Commands that draw no screen never import Textual"
ACYCLIC = "No import cycles in coach"

# (file in the copy, the line appended to it, the contract it breaks, what the report then names)
FORBIDDEN: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("coach/session.py", "import textual", CORE, ("coach.session -> textual",)),
    ("coach/stats.py", "from coach.tui import app", CORE, ("coach.stats -> coach.tui",)),
    ("coach/newcore.py", "import textual", ONLY_APP, ("coach.newcore -> textual",)),
    ("coach/session.py", "import coach.audio", ENGINE, ("coach.session -> coach.audio",)),
    (
        "coach/session.py",
        "from coach.history import HistoryStore",
        ENGINE,
        ("coach.session -> coach.history",),
    ),
    ("coach/session.py", "import time", ENGINE, ("coach.session -> time",)),
    (
        "coach/tui/widgets/bar.py",
        "import coach.history",
        WIDGETS,
        ("coach.tui.widgets.bar -> coach.history",),
    ),
    (
        "coach/tui/widgets/bar.py",
        "from coach.library import Library",
        WIDGETS,
        ("coach.tui.widgets.bar -> coach.library",),
    ),
    (
        "coach/tui/widgets/bar.py",
        "from coach import plan_store",
        WIDGETS,
        ("coach.tui.widgets.bar -> coach.plan_store",),
    ),
    (
        "coach/commands/routines.py",
        "import coach.tui.app",
        SCREENLESS,
        ("coach.commands.routines -> coach.tui.app",),
    ),
    ("coach/records.py", "import coach.history", ACYCLIC,
     ("- .history -> .records", "- .records -> .history")),
]


def lint_imports_command() -> list[str]:
    """The `lint-imports` next to this Python (the dev extra installs it)."""
    found = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which(
        "lint-imports"
    )
    assert found, "lint-imports is not installed: pip install -e '.[dev]'"
    return [found]


def lint_copy(tree: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` on the copy in `tree`, with its own pyproject.toml and no cache."""
    env = {**os.environ, "PYTHONPATH": str(tree), "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run([*lint_imports_command(), "--no-cache", "--config", str(tree / "pyproject.toml")],
                          cwd=tree, env=env, capture_output=True, text=True, timeout=120)  # fmt: skip


def copy_of_coach(into: Path) -> Path:
    into.mkdir()
    shutil.copytree(ROOT / "coach", into / "coach", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", into / "pyproject.toml")
    return into


@pytest.fixture(scope="module")
def unchanged(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The report on an untouched copy: what the contracts say before anything is added."""
    result = lint_copy(copy_of_coach(tmp_path_factory.mktemp("unchanged") / "tree"))
    assert "Contracts: " in result.stdout, result.stdout + result.stderr  # it ran on the copy
    return result.stdout


@pytest.mark.parametrize(
    ("file", "line", "contract", "named"), FORBIDDEN, ids=[f"{f[2]}: {f[1]}" for f in FORBIDDEN]
)
def test_a_forbidden_import_breaks_its_contract(
    tmp_path: Path, unchanged: str, file: str, line: str, contract: str, named: tuple[str, ...]
) -> None:
    tree = copy_of_coach(tmp_path / "tree")
    target = tree / file
    before = target.read_text("utf-8") if target.exists() else ""
    target.write_text(before + f"\n{line}\n", "utf-8")

    result = lint_copy(tree)

    assert result.returncode != 0, result.stdout
    assert f"{contract} BROKEN" in result.stdout, result.stdout
    assert any(n in result.stdout for n in named), result.stdout
    assert not any(n in unchanged for n in named), unchanged  # the added line did it
