"""The layout's "never" rules (DESIGN.md, Layout), enforced by the suite: every import-linter
contract in pyproject.toml holds, and the core contract covers every module of the core.

import-linter reads the source (it imports nothing of Coach), so this stays a fast unit test.
That the contracts fail when a forbidden import is added is tests/functional/test_architecture_bites.py.
"""

from __future__ import annotations

import ast
import contextlib
import io
import tomllib
from pathlib import Path
from typing import Any

import pytest
from importlinter import configuration
from importlinter.application import use_cases

from tests.helpers.command import ROOT

PYPROJECT = ROOT / "pyproject.toml"
CONTRACTS: list[dict[str, Any]] = tomllib.loads(PYPROJECT.read_text("utf-8"))["tool"]["importlinter"][
    "contracts"
]
CORE_CONTRACT = "The core never imports Textual or the app"
# What may open the app, and so reach Textual: the app itself, the entry points and the two
# handlers that start it (`coach` with no command, and `coach run` without --plain).
SHELL = {"coach", "coach.__main__", "coach.cli", "coach.commands", "coach.commands.app", "coach.commands.run"}


@pytest.fixture(scope="module")
def lint_report() -> tuple[bool, str]:
    """`lint-imports` run in this process on the real tree: (passed, the printed report)."""
    configuration.configure()
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        passed = use_cases.lint_imports(config_filename=str(PYPROJECT), cache_dir=None, no_logo=True)
    return passed, printed.getvalue()


def broken_details(report: str, name: str) -> str:
    """The "Broken contracts" section of one contract, for the failure message."""
    details = report.partition("Broken contracts")[2]
    start = details.find(name)
    if start < 0:
        return report
    ends = [details.find(f"\n{c['name']}\n", start + len(name)) for c in CONTRACTS]
    return details[start : min([e for e in ends if e >= 0], default=len(details))].strip()


@pytest.mark.parametrize("name", [c["name"] for c in CONTRACTS])
def test_the_contract_holds(lint_report: tuple[bool, str], name: str) -> None:
    _passed, report = lint_report
    assert f"{name} KEPT" in report, broken_details(report, name)


def test_lint_imports_passes_as_a_whole(lint_report: tuple[bool, str]) -> None:
    passed, report = lint_report
    assert "Contracts: " in report  # it read the contracts and ran them
    assert passed, report


def modules_of(package: Path, prefix: str = "coach") -> set[str]:
    """Dotted names of every module and package under coach/, from the files themselves."""
    names = set()
    for path in package.rglob("*.py"):
        parts = path.relative_to(package).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.add(".".join((prefix, *parts)))
    return names


def test_every_module_outside_the_app_is_under_the_core_contract() -> None:
    (core,) = [c for c in CONTRACTS if c["name"] == CORE_CONTRACT]
    listed = set(core["source_modules"])
    modules = modules_of(ROOT / "coach")
    assert listed <= modules, f"the core contract names modules that do not exist: {sorted(listed - modules)}"

    def covered(module: str) -> bool:
        return any(module == m or module.startswith(m + ".") for m in listed)

    core_modules = {m for m in modules if m not in SHELL and not m.startswith("coach.tui")}
    missing = sorted(m for m in core_modules if not covered(m))
    assert not missing, f"add to source_modules of {CORE_CONTRACT!r} in pyproject.toml: {missing}"
    assert not any(covered(m) for m in SHELL | {"coach.tui"})  # the shell stays out of the core list


# What a unit test must not use: a screen, another process, or the wall clock's passing.
NOT_IN_UNIT = ("subprocess", "multiprocessing", "pty", "textual", "coach.tui", "libtmux", "pexpect")


def forbidden_uses(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, what) for each import of NOT_IN_UNIT and each call of the time module's sleep."""
    imports_time = any(isinstance(n, ast.Import) and any(a.name == "time" for a in n.names)
                       for n in ast.walk(tree))  # fmt: skip
    found = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Attribute) and node.attr == "sleep" and imports_time:
            names = ["time.sleep"] if getattr(node.value, "id", "") == "time" else []
        found += [(node.lineno, n) for n in names if n == "time.sleep" or n.startswith(NOT_IN_UNIT)]
    return found


def test_unit_tests_use_no_screen_no_subprocess_and_no_sleep() -> None:
    found = [f"{path.name}:{line}: {what}"
             for path in sorted((ROOT / "tests" / "unit").glob("*.py"))
             for line, what in forbidden_uses(ast.parse(path.read_text("utf-8")))]  # fmt: skip
    assert not found, "move these tests to tests/functional: " + "; ".join(found)


def test_the_unit_check_finds_what_it_looks_for() -> None:
    code = "import subprocess\nimport time\nfrom coach.tui.app import CoachApp\ntime.sleep(1)\n"
    assert forbidden_uses(ast.parse(code)) == [(1, "subprocess"), (3, "coach.tui.app"), (4, "time.sleep")]
    assert forbidden_uses(ast.parse("def f(time):\n    time.sleep(1)\n")) == []  # a fake clock named time


def test_tests_live_in_unit_or_functional() -> None:
    tests = ROOT / "tests"
    assert not sorted(p.name for p in tests.glob("test_*.py")), "put tests in tests/unit or tests/functional"
    assert (tests / "functional" / "__snapshots__").is_dir()  # next to the snapshot tests, where they look
