"""`coach run ROUTINE --minutes N` past what the routine can reach says so once: the app on
its player's notice line, the plain runner on stderr. Printed on stderr before the app too,
the line waited under the app's screen and was read again after it. The app itself is
stood in for (no screen); the plain runner runs at preview speed."""

from __future__ import annotations

from pathlib import Path

import pytest

import coach.tui.launch as launch
from coach.cli import build_parser
from coach.commands.run import cmd_run

NOTE = "4-7-8 breathing can be stretched to about 4 min at most"


def args_for(*words: str):  # type: ignore[no-untyped-def]
    return build_parser().parse_args(["run", *words])


def test_the_app_path_prints_no_length_note(
    coach_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ran: list[object] = []
    monkeypatch.setattr(launch, "terminal_problem", lambda: None)
    monkeypatch.setattr(launch, "run_app", lambda args: ran.append(args.minutes) or 0)
    assert cmd_run(args_for("breathing-4-7-8", "--minutes", "10")) == 0
    assert ran == [10.0]  # the app got the length, and says the note itself
    assert NOTE not in capsys.readouterr().err


def test_the_plain_path_prints_it_once(
    coach_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(launch, "terminal_problem", lambda: "the terminal is dumb")
    code = cmd_run(args_for("breathing-4-7-8", "--minutes", "10", "--speed", "100", "--mute"))
    assert code == 0
    assert capsys.readouterr().err.count(NOTE) == 1
