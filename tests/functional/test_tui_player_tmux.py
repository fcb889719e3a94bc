"""The player in a real terminal (the installed `coach` in tmux): at 100 x 30 the breathing
shape fills the stage under the lead-in count; at 100 x 12 the pacer line is still there;
`t` ends the session through the "too much" dialog and the history line keeps it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.functional.test_e2e_tmux import Tmux
from tests.helpers.command import coach_command

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

BREATHS = {
    "format": 1,
    "id": "tmux-breaths",
    "title": "Slow breaths",
    "summary": "Slow breaths with a longer out-breath.",
    "areas": ["breath"],
    "steps": [
        {"type": "breathing", "title": "Longer out-breath", "pattern": "extended-exhale", "cycles": 6,
         "instruction": "In through the nose, out slowly."},
    ],
}  # fmt: skip


class SizedTmux(Tmux):
    """Tmux whose pane does not inherit LINES and COLUMNS: under pytest they are in the
    environment, and Textual (shutil.get_terminal_size) would take them over the pane's size."""

    def start(self, *coach_args: str) -> None:
        command = " ".join(f"'{part}'" for part in [*coach_command(), *coach_args])
        env = f"env -u LINES -u COLUMNS COACH_HOME='{self.home}' HOME='{self.home}'"
        self._tmux("new-session", "-d", "-x", str(self.width), "-y", str(self.height),
                   f"{env} {command}; echo EXIT=$?; sleep 30")  # fmt: skip


def _home(tmp_path: Path, name: str) -> tuple[Path, Path]:
    home = tmp_path / name
    home.mkdir()
    (home / ".asoundrc").write_text("pcm.!default { type null }\n")
    (home / "settings.json").write_text(json.dumps({"first_run_seen": True}))  # the lead-in is on
    routine = home / "breaths.json"
    routine.write_text(json.dumps(BREATHS))
    return home, routine


def test_the_player_at_100x30_and_100x12_keeps_the_pacer_and_t_reaches_the_record(tmp_path: Path) -> None:
    # Two terminals, one of each size (each as the person opened it).
    home, routine = _home(tmp_path, "tall")
    tmux = SizedTmux(home, 100, 30)
    try:
        tmux.start("run", str(routine), "--pre", "5", "--mute")
        tmux.wait_for("Get ready: ")
        screen = tmux.wait_for(lambda s: "breath 1 of 6" in s and "In through the nose" in s)
        # The shape fills the stage: a disc many rows tall.
        screen = tmux.wait_for(lambda s: sum("██" in line for line in s.splitlines()) >= 8)
        assert "Longer out-breath" in screen.splitlines()[0]
    finally:
        tmux.close()
    home, routine = _home(tmp_path, "short")
    tmux = SizedTmux(home, 100, 12)
    try:
        tmux.start("run", str(routine), "--pre", "5", "--mute")
        screen = tmux.wait_for(lambda s: "breath 1 of 6" in s and "Get ready" not in s)
        lines = screen.rstrip("\n").splitlines()
        assert len(lines) == 12 and "Too much" in lines[11]
        pacer = next(i for i, line in enumerate(lines) if "breath 1 of 6" in line)
        assert "Step " in lines[pacer + 2] and "Routine " in lines[pacer + 3]
        assert "In through the nose, out slowly." in screen
        tmux.keys("t")
        tmux.wait_for("Too much?")
        tmux.keys("e")
        tmux.wait_for("why it stopped")  # the note after a stop: none
        tmux.keys("Enter")
        tmux.wait_for("It does not count")  # the summary: "Stopped: …"
        tmux.keys("Enter")
        screen = tmux.wait_for("EXIT=0")
        assert "Traceback" not in screen
    finally:
        tmux.close()
    [line] = (home / "history.jsonl").read_text().splitlines()
    record = json.loads(line)
    assert [(d["step"], d["choice"]) for d in record["discomfort"]] == [(1, "end")]
    assert record["completed"] is False
