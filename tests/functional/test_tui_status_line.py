"""Home's bottom line stays one line at 80 columns with `r`'s hint after it (issue 15: it
wrapped as "…Streak: 1 day   r" / " again (about 2 min)"): the ratings give way first,
then the title ends in "…"; with room to spare nothing is shortened."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.tui import Env, history_line, loaded, text_of, until

LONG = "Neck, shoulders and upper back release for long days at the desk"


@pytest.mark.parametrize(
    ("title", "width", "kept"),
    [
        ("Slow breaths", 80, "Last: Slow breaths · today · 7 → 3   Streak: 1 day"),  # room: all of it
        ("Neck and shoulder release", 80, "Last: Neck and shoulder release · today   Streak: 1 day"),
        (LONG, 80, "Last: Neck, shoulders and uppe… · today   Streak: 1 day"),
        (LONG, 200, f"Last: {LONG} · today · 7 → 3   Streak: 1 day"),
    ],
)
async def test_status_line_is_one_line_with_the_again_hint(
    tmp_path: Path, title: str, width: int, kept: str
) -> None:
    env = Env(tmp_path, history=history_line(26, "neck-release", title, 7, 3))
    (env.root / "usual.json").write_text(json.dumps({"last": {"routine": "neck-release", "minutes": 10}}))
    async with env.app().run_test(size=(width, 24)) as pilot:
        await loaded(pilot)
        await until(pilot, lambda: "r again" in text_of(pilot.app, "#status"))
        line = text_of(pilot.app, "#status")
        assert "\n" not in line and len(line) <= width, line
        assert line.endswith("Streak: 1 day   r again (about 10 min)"), line
        assert line.startswith(kept), line
