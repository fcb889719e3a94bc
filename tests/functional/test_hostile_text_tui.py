"""Hostile text in the app: history lines whose note, title and routine id carry an OSC title
sequence, a screen clear, CSI colours, a C1 CSI, a bidi override and markup.

Pilot: what the compositor would write to the terminal (the exact bytes of a full frame)
holds no injected sequence, and the text of every segment holds no control character.
tmux: the installed `coach` in a real terminal; `capture-pane -e` shows no injected
sequence and the window title is not changed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import unicodedata
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.command import coach_command
from tests.helpers.tui import Env, history_line, loaded, on_screen, until

OSC = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J"
COLOUR = "\x1b[31mred\x1b[0m"
C1 = "\x9b2J"
BIDI = "abc\u202edcba"
MARKUP = "[link=http://evil]click[/link] [b]bold[/b]"


def hostile_history() -> str:
    lines = [
        history_line(20, "neck-release", f"Title {OSC}", 7, 4, note=f"note {OSC}"),
        history_line(21, "slow-breaths", f"Title {CLEAR}", 6, 5, note=f"note {CLEAR}"),
        history_line(22, "feet-ball", f"Title {COLOUR}", 5, 3, note=f"note {C1}"),
        history_line(23, "neck-release", f"Title {BIDI}", 6, 2, note=MARKUP),
    ]
    # A routine id from an imported line is any string; with no title the id is shown.
    obj = json.loads(history_line(26, "x", "", 7, 3, note=BIDI))
    obj["routine"] = f"id {OSC}"
    lines.append(json.dumps(obj) + "\n")
    return "".join(lines)


def _acts(char: str) -> bool:
    return ord(char) not in (0x200C, 0x200D) and unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp")


def frame(app: Any) -> tuple[str, list[str]]:
    """The bytes a full repaint of the current screen writes to the terminal, and the text
    of each segment in it."""
    update = app.screen._compositor.render_full_update()
    texts = [segment.text for line in update.strips for strip in line for segment in strip]
    return update.render_segments(app.console), texts


def assert_clean(app: Any) -> str:
    raw, texts = frame(app)
    bad = [t for t in texts if any(_acts(c) for c in t)]
    assert bad == [], bad
    # Textual's own output is CSI cursor moves and colours (ESC [ ... m/H); nothing else.
    assert "\x07" not in raw and "\x1b]" not in raw and "\x1b[2J" not in raw
    assert "\x9b" not in raw and "\u202e" not in raw
    return "".join(texts)


async def test_history_screen_and_home_show_hostile_text_without_obeying_it(tmp_path: Path) -> None:
    from textual.widgets import DataTable

    env = Env(tmp_path, history=hostile_history())
    async with env.app().run_test(size=(100, 30)) as pilot:
        app = pilot.app
        await loaded(pilot)
        home = assert_clean(app)
        assert "Last:" in home
        await pilot.press("h")
        await on_screen(pilot, "HistoryScreen")
        await until(pilot, lambda: app.screen.query_one("#history-table", DataTable).row_count == 5)
        await pilot.pause()
        shown = assert_clean(app)
        assert "␛]0;pwned␇" in shown  # the sequence, as text
        assert "<U+202E>" in shown
        table = app.screen.query_one("#history-table", DataTable)
        cells = [str(cell) for row in range(table.row_count) for cell in table.get_row_at(row)]
        assert "note ␛]0;pwned␇" in cells and "note ␛[2J" in cells and "note <U+009B>2J" in cells
        # Markup is text (cut to its column; the detail view shows the whole note).
        assert any(cell.startswith("[link=http://evil]") for cell in cells)
        assert "Title ␛[31mred␛[0m" in cells


async def test_summary_and_notifications_show_text_literally(tmp_path: Path) -> None:
    from coach.tui.screens.summary import SummaryScreen, SummaryView

    env = Env(tmp_path)
    async with env.app().run_test(size=(100, 30), notifications=True) as pilot:
        app = pilot.app
        await loaded(pilot)
        view = SummaryView(title=f"Title {OSC}", pre=7, post=3, meaning="down 4 points",
                           active_seconds=60, steps_done=2, steps_total=2, streak=1, recorded=True,
                           note=f"typed {CLEAR}{BIDI}", planned_seconds=60)  # fmt: skip
        app.push_screen(SummaryScreen(view))
        await on_screen(pilot, "SummaryScreen")
        app.notify(f"Cannot load {MARKUP} {OSC}", severity="error")
        await until(pilot, lambda: "Cannot" in "".join(frame(app)[1]), "the notification")
        shown = assert_clean(app)
        assert "Title ␛]0;pwned␇" in shown and "typed ␛[2Jabc<U+202E>dcba" in shown
        assert "[link=http://evil]click[/link]" in shown.replace(" ", ""), shown  # never markup


# --- a real terminal -----------------------------------------------------------------------

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Terminal:
    def __init__(self, home: Path) -> None:
        self.socket = f"coach-hostile-{uuid.uuid4().hex}"  # a server of its own, never reused
        self.home = home

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True,
                              timeout=60).stdout  # fmt: skip

    def wait_for(self, text: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.tmux("capture-pane", "-p", "-t", "0")
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} did not appear; the screen was:\n{screen}")

    def title(self) -> str:
        return self.tmux("display", "-p", "-t", "0", "#{pane_title}").strip()


@needs_tmux
def test_history_screen_in_a_real_terminal(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "history.jsonl").write_text(hostile_history(), encoding="utf-8")
    (home / "settings.json").write_text(json.dumps({"first_run_seen": True, "sound": False}))
    (home / ".asoundrc").write_text("pcm.!default { type null }\n")
    term = Terminal(home)
    command = " ".join(f"'{part}'" for part in coach_command())
    # The shell first sets a title the way the history line would, to show that this
    # terminal obeys such a sequence: the app must then leave it as it is.
    shell = (f"printf '\\033]0;before\\007'; sleep 0.3; COACH_HOME='{home}' HOME='{home}' "
             f"TERM=xterm-256color {command}; sleep 30")  # fmt: skip
    term.tmux("new-session", "-d", "-x", "100", "-y", "30", shell)
    try:
        deadline = time.monotonic() + 60
        while term.title() != "before" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert term.title() == "before", "this tmux does not take titles: the test would prove nothing"
        term.wait_for("Last:")
        term.tmux("send-keys", "-t", "0", "h")
        # The history is read in a thread and painted: once the note is on the screen, the
        # escape in it has had its one chance to reach the terminal.
        screen = term.wait_for("note ␛]0;pwned␇")
        assert term.title() != "pwned"
        coloured = term.tmux("capture-pane", "-p", "-e", "-t", "0")
        assert "\x07" not in coloured and "\x1b]" not in coloured and "\x1b[2J" not in coloured
        assert "\u202e" not in coloured and "<U+202E>" in coloured
        # Not cleared: the table is there, every row of it.
        assert screen.count("note ") == 3 and "Title ␛[31mred␛[0m" in screen
        term.tmux("send-keys", "-t", "0", "Escape")
        term.wait_for("Last:")
        term.tmux("send-keys", "-t", "0", "C-q")
        # Once the app has ended (the shell's `sleep 30` runs): nothing on the way out either.
        deadline = time.monotonic() + 60
        while term.tmux("display", "-p", "-t", "0", "#{pane_current_command}").strip() != "sleep":
            assert time.monotonic() < deadline, "coach did not exit"
            time.sleep(0.1)
        assert term.title() != "pwned"
    finally:
        term.tmux("kill-server")


async def test_plan_fields_are_text_on_home_and_plans_screens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plan may hold markup-like text (its model refuses control characters): the due
    list and the plans screen show it as typed, never as markup or a link."""
    from test_tui_plans import PLAN, due_loaded, plan_env

    plan = {**PLAN, "client": MARKUP, "therapist": {"name": "[b]Jo[/b]", "contact": None},
            "note": "<script>x</script> | a | # h",
            "items": [{**PLAN["items"][0], "note": "[@click=app.quit]quit[/]"},
                      *PLAN["items"][1:]]}  # fmt: skip
    env = plan_env(tmp_path, monkeypatch, plans=(plan,))
    async with env.app().run_test(size=(100, 30)) as pilot:
        app = pilot.app
        await due_loaded(pilot)
        home = assert_clean(app)
        assert "[@click=app.quit]quit[/]" in home.replace(" ", "")
        await pilot.press("p")
        await on_screen(pilot, "PlansScreen")
        await until(pilot, lambda: app.screen.data is not None)
        await pilot.pause()
        shown = assert_clean(app).replace(" ", "")
        assert MARKUP.replace(" ", "") in shown and "[b]Jo[/b]" in shown
        assert "<script>x</script>|a|#h" in shown
