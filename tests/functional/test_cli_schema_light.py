"""`coach schema routine|plan` prints the shipped schema files and loads no pydantic (DESIGN:
only validate, new and plan import may), and the files are what the models generate."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import contextlib, io, sys\n"
    "from coach.cli import main\n"
    "out = io.StringIO()\n"
    "with contextlib.redirect_stdout(out):\n"
    "    code = main(['schema', sys.argv[1]])\n"
    "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'pydantic_core', 'textual'))\n"
    "print(code, heavy)\n"
    "sys.stderr.write(out.getvalue())\n"
)


@pytest.mark.parametrize("which", ["routine", "plan"])
def test_schema_prints_the_shipped_file_without_pydantic(which: str, tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-c", PROBE, which], capture_output=True, text=True,
                            env={"COACH_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}, cwd=ROOT,
                            timeout=60)  # fmt: skip
    assert result.stdout.strip() == "0 []", result.stdout + result.stderr
    shipped = (ROOT / "routines" / f"{which}.schema.json").read_text("utf-8")
    assert result.stderr == shipped
    from coach.plan import plan_json_schema
    from coach.routine import routine_json_schema

    generated = routine_json_schema() if which == "routine" else plan_json_schema()
    assert json.loads(result.stderr) == generated
