"""The pure parts of `coach remind` and `coach status`: the systemd unit's text and
quoting, the terminal title, and the status line's wording. No terminal, no subprocess."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

import pytest

from coach.commands.remind import Options, _systemd_quote, terminal_title, unit_path, unit_text
from coach.commands.status import status_line
from coach.remind import parse_quiet


def test_systemd_quoting_keeps_specifiers_and_variables_literal() -> None:
    assert _systemd_quote("/opt/my coach/bin/coach") == '"/opt/my coach/bin/coach"'
    assert _systemd_quote("50%") == '"50%%"'
    assert _systemd_quote("$HOME") == '"$$HOME"'
    assert _systemd_quote('a"b\\c') == '"a\\"b\\\\c"'


def test_unit_names_this_coach_and_the_options(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COACH_HOME", raising=False)
    options = Options(every=2700.0, every_text="45m", routine="jaw-release", quiet=parse_quiet("19:00-08:00"),
                      plain=False)  # fmt: skip
    text = unit_text(argparse.Namespace(), options)
    [exec_start] = [line for line in text.splitlines() if line.startswith("ExecStart=")]
    words = shlex.split(exec_start.removeprefix("ExecStart="))
    assert Path(words[0]).is_absolute()
    assert words[-7:] == ["remind", "--every", "45m", "--routine", "jaw-release", "--quiet", "19:00-08:00"]
    assert "WantedBy=default.target" in text and "Environment" not in text


def test_unit_path_follows_xdg_config_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert unit_path() == tmp_path / "systemd" / "user" / "coach-remind.service"
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/ignored")  # the spec says: absolute only
    assert unit_path() == Path.home() / ".config" / "systemd" / "user" / "coach-remind.service"


def test_terminal_title_cannot_carry_escapes() -> None:
    title = terminal_title("Coach: \x1b]2;evil\x07 break")
    assert title.startswith("\x1b]2;") and title.endswith("\x07")
    assert "\x1b" not in title[4:-1] and "\x07" not in title[4:-1]


def facts(**given: object) -> dict[str, object]:
    names = ("next_break", "reminder", "plan_items_due", "plan_items_done", "streak_days", "breaks_today")
    return {**dict.fromkeys(names), **given}


def test_status_line_wording() -> None:
    assert status_line(facts()) == "coach: nothing due"
    line = status_line(facts(next_break="2026-11-26T10:52:00+01:00", reminder="waiting", plan_items_due=2,
                             plan_items_done=0, streak_days=1))  # fmt: skip
    assert line.endswith(" · 2 plan items due · streak 1 day") and line.startswith("next break ")
    assert status_line(facts(next_break="2026-11-26T10:52:00+01:00", reminder="due")) == "break due now"
    assert status_line(facts(plan_items_due=0, plan_items_done=1)) == "plan done today"
    breaks = {"taken": 3, "stopped": 0, "skipped": 1, "postponed": 2}
    assert status_line(facts(streak_days=0, breaks_today=breaks)) == "breaks 3 taken, 1 skipped"
