"""Where the plain runner's commands come from: keys split from a terminal's bytes, lines from
a pipe, and the signal hooks that give the terminal back. (That the keys are the app's:
tests/functional/test_plain_keys.py, which may import the app.)"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest

from coach.plain import SignalGate
from coach.plain_input import LineCommands, split_keys


@pytest.mark.parametrize(
    ("typed", "keys"),
    [
        (" sbq", [" ", "s", "b", "q"]),
        ("S\r", ["s", "\n"]),  # caps lock, and Enter as a terminal may send it
        ("\x1b[A\x1b[1;5Dg", ["g"]),  # arrow keys are no commands
        ("\x1bOPt", ["t"]),  # F1
        ("\x1b", ["\x1b"]),  # a lone Escape: quit, as in the app
        ("+=", ["+", "="]),
    ],
)
def test_keys_are_split_from_what_a_terminal_sends(typed: str, keys: list[str]) -> None:
    assert split_keys(typed) == keys


@pytest.fixture
def pipe() -> Iterator[tuple[int, int]]:
    read, write = os.pipe()
    try:
        yield read, write
    finally:
        for fd in (read, write):
            try:
                os.close(fd)
            except OSError:
                pass


def test_lines_from_a_pipe(pipe: tuple[int, int]) -> None:
    read, write = pipe
    commands = LineCommands(read, sleep=lambda s: None)
    assert commands.wait(0.01) is None and not commands.ended  # nothing yet, still open
    os.write(write, b"P\n too   MUCH \r\nbr")
    assert [commands.wait(0.01), commands.wait(0.01)] == ["p", "too much"]
    assert commands.wait(0.01) is None  # "br" is half a line
    os.write(write, "\u00e9 note\n".encode()[:1])  # half a character too
    os.write(write, "\u00e9 note\n".encode()[1:])
    assert commands.read_line() == "bré note"
    os.close(write)
    with pytest.raises(EOFError):
        commands.read_line()
    assert commands.ended and commands.wait(0.0) is None


def test_an_empty_input_is_seen_by_a_probe(pipe: tuple[int, int]) -> None:
    read, write = pipe
    os.close(write)
    commands = LineCommands(read)
    commands.probe()
    assert commands.ended


def test_a_last_line_without_a_line_feed_counts(pipe: tuple[int, int]) -> None:
    read, write = pipe
    os.write(write, b"s\nq")
    os.close(write)
    commands = LineCommands(read, sleep=lambda s: None)
    assert [commands.wait(0.01), commands.wait(0.01), commands.wait(0.01)] == ["s", "q", None]


def test_ctrl_z_gives_the_terminal_back_and_takes_it_again(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    gate = SignalGate()
    gate.on_suspend.append(lambda: calls.append("give back"))
    gate.on_continue.append(lambda: calls.append("take again"))
    monkeypatch.setattr("os.kill", lambda pid, signum: calls.append(f"stop {signum == signal.SIGTSTP}"))
    before = signal.getsignal(signal.SIGTSTP)
    gate.install()
    try:
        assert signal.getsignal(signal.SIGTSTP) == gate.handle_suspend
        gate.handle_suspend(signal.SIGTSTP, None)
        assert signal.getsignal(signal.SIGTSTP) == gate.handle_suspend  # ready for the next Ctrl+Z
    finally:
        gate.restore()
    assert signal.getsignal(signal.SIGTSTP) == before
    assert calls == ["give back", "stop True", "take again"]
    gate.handle_continue(signal.SIGCONT, None)
    assert calls[-1] == "take again"


def test_a_second_ctrl_c_gives_the_terminal_back_before_it_exits(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr("os._exit", lambda code: calls.append(f"exit {code}"))
    gate = SignalGate()
    gate.before_exit.append(lambda: calls.append("give back"))
    gate.handle(signal.SIGINT, None)
    gate.handle(signal.SIGINT, None)
    assert calls == ["give back", "exit 130"]


def test_no_ctrl_z_handler_without_a_terminal() -> None:
    before = signal.getsignal(signal.SIGTSTP)
    gate = SignalGate()
    gate.install()
    try:
        assert signal.getsignal(signal.SIGTSTP) == before
    finally:
        gate.restore()
