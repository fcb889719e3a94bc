"""The command line. Screenless commands never import Textual (or pydantic, where avoidable).

Each command group lives in `coach/commands/<group>.py` with a `register(subparsers)`
function; handlers import what they need inside themselves so `--help` stays fast. Only
the module of the command being run is imported: `COMMANDS` names every command and its
help for `coach --help` and argparse's choices.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import io
import os
import signal
import sys
from collections.abc import Sequence
from typing import Any

from coach import __version__
from coach.errors import CoachError, shown_error

# Every command: (name, the module under coach.commands whose register(subparsers) adds
# it, its one-line help). Order is the help order; a module's commands are next to each
# other, in the order it registers them. `coach --help` is drawn from this table without
# importing a command module; tests/unit/test_cli_commands.py checks it against the real
# registrations so the two cannot drift.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("run", "run", "start a routine at once"),
    ("list", "routines", "list the routines"),
    ("show", "routines", "show a routine's steps, timings and cautions"),
    ("validate", "routines", "check routine and plan files"),
    ("schema", "routines", "print the JSON Schema of routines, plans or the JSON plan report"),
    ("new", "routines", "write a valid starter routine or plan file"),
    ("history", "history", "the sessions: a table, CSV or JSON; import; clear"),
    ("stats", "history", "what the history says: sessions, streaks, changes"),
    ("plan", "plans", "therapist plans: import, list, remove, report, handout"),
    ("due", "plans", "what the active plans ask for today"),
    ("remind", "remind", "break reminders: a timer for a terminal tab, tmux pane or systemd service"),
    ("status", "status", "one line for a shell prompt or tmux: next break, plan items due, streak"),
)

# Modules under coach.commands, each with register(subparsers), in help order.
COMMAND_MODULES = tuple(dict.fromkeys(module for _, module, _ in COMMANDS))
_NAMES = frozenset(name for name, _, _ in COMMANDS)


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        from coach.text import visible

        self.exit(2, f"coach: {visible(message)} (see `{self.prog} --help`)\n")


def command_module(argv: Sequence[str]) -> str | None:
    """The module under coach.commands of the command `argv` runs (its first word that is
    not an option: `coach` itself takes no option with a value), or None when it names
    none of COMMANDS (then `--help`, `--version` or a usage error follows)."""
    for word in argv:
        if not word.startswith("-"):
            return next((module for name, module, _ in COMMANDS if name == word), None)
    return None


def build_parser(only: str | None = None, *, stand_ins: bool = True) -> argparse.ArgumentParser:
    """The `coach` parser. With `only` (a module of COMMAND_MODULES, or "" for none), that
    module alone is imported and registers its commands; every other command is a stand-in
    with its name and help from COMMANDS, which is enough for `coach --help` and for
    argparse's list of choices (importing every command group costs about as much as a
    command itself, and `coach status` runs on every shell prompt). Without `stand_ins`
    the other commands are left out (a parser for a command line that starts with its
    command: neither the top-level help nor the list of choices can show). Without `only`,
    every module registers its own. Usage errors print one line and exit 2."""
    parser = _Parser(
        prog="coach",
        description="Guided self-massage and breathing routines in the terminal. "
        "Self-care, not medical advice.",
    )
    parser.add_argument("--version", action="version", version=f"coach {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    registered: set[str] = set()
    for name, module, help_text in COMMANDS:
        if only is None or module == only:
            if module not in registered:
                registered.add(module)
                importlib.import_module(f"coach.commands.{module}").register(sub)
        elif stand_ins:
            stand_in = sub.add_parser(name, help=help_text, add_help=False)
            stand_in.set_defaults(stand_in=True)
    return parser


class OutputError(OSError):
    """A write to standard output failed (a full disk, a closed stdout, a reader that left)."""


class _StandardOutput(io.RawIOBase):
    """File descriptor 1, whose write failures are OutputErrors, so that `main` tells them
    from a failure with one of Coach's own files. With `closed_reason`, every write fails
    with that reason (stdout was closed when Coach started)."""

    def __init__(self, closed_reason: str | None = None) -> None:
        super().__init__()
        self._closed_reason = closed_reason

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return 1

    def isatty(self) -> bool:
        return self._closed_reason is None and os.isatty(1)

    def write(self, data: Any) -> int:
        if self._closed_reason is not None:
            raise OutputError(errno.EBADF, self._closed_reason)
        try:
            return os.write(1, data)
        except OSError as exc:
            raise OutputError(exc.errno, exc.strerror) from None

    def close(self) -> None:
        pass  # fd 1 stays open: the interpreter and the shell own it

    def discard(self) -> None:
        """From now on, writes go to fd 1 (by then /dev/null) and cannot fail."""
        self._closed_reason = None


# The _StandardOutput in use, if main routed stdout through one.
_RAW: list[_StandardOutput] = []


def _guard_stdout() -> None:
    """Route sys.stdout through _StandardOutput (same encoding, errors and buffering), when
    it is the process's own stdout. A closed stdout (sys.stdout is None) gets /dev/null on
    fd 1, so no file Coach opens can take fd 1 and receive output, and a stream whose
    every write fails."""
    current = sys.stdout
    if current is None:
        null = os.open(os.devnull, os.O_WRONLY | os.O_CLOEXEC)
        if null != 1:
            os.dup2(null, 1, inheritable=False)
            os.close(null)
        raw = _StandardOutput("standard output is closed")
        _RAW[:] = [raw]
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(raw), encoding="utf-8", errors="replace")
        return
    if current is not sys.__stdout__ or not isinstance(current, io.TextIOWrapper):
        return  # already replaced (a test's capture, an embedding program): leave it
    try:
        if current.fileno() != 1:
            return
    except (OSError, ValueError):
        return
    tty = os.isatty(1)
    _RAW[:] = [_StandardOutput()]
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(_RAW[0]),
        encoding=current.encoding, errors=current.errors, line_buffering=tty,
    )  # fmt: skip


def _output_failure(exc: OSError) -> int:
    """Tell a failed write to stdout in one line (quietly for a reader that left) and give
    the exit status; stdout then points at /dev/null so the interpreter's last flush of
    what is still buffered cannot fail again."""
    if _RAW or sys.stdout is sys.__stdout__:  # the process's own stdout, not a capture
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.close(null)
        except OSError:
            pass
        if _RAW:
            _RAW[0].discard()  # what is still buffered goes to /dev/null, not to a new error
        # A writer wrapped around stdout's buffer by a command may have closed it on the
        # way out: the interpreter's last flush must meet a stream that can take it.
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(_StandardOutput()), encoding="utf-8")
    if exc.errno == errno.EPIPE:
        # `coach history | head -1`: the reader has what it wanted. Say nothing, like
        # `cat` or `yes`, and exit as they do when SIGPIPE ends them (128 + 13), so a
        # script with `set -o pipefail` still sees the output was cut short.
        return EXIT_BROKEN_PIPE
    reason = exc.strerror or os.strerror(exc.errno or errno.EIO)
    try:
        print(f"coach: could not write the output: {reason}", file=sys.stderr)
    except (OSError, ValueError, AttributeError):
        pass  # stderr is gone too: the exit status says it
    return 1


EXIT_BROKEN_PIPE = 128 + signal.SIGPIPE  # 141, what a shell reports for a process SIGPIPE ended


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command (`argv` without the program name; sys.argv by default) and return
    its exit status: 0 done; a CoachError's `exit_code` (1 bad data, 2 a usage error) with
    one line on stderr and no traceback; 2 when argparse refuses the arguments; 130
    interrupted. No arguments opens the app.

    Output that cannot be written (a full disk, a closed stdout) is one line, "coach: could
    not write the output: REASON", and exit 1; a reader that left the pipe ends the command
    quietly with EXIT_BROKEN_PIPE (141). This is the one place that handles it, around the
    command and the last flush of stdout."""
    given = sys.argv[1:] if argv is None else list(argv)
    if given:
        _guard_stdout()
    try:
        try:
            status = _dispatch(given)
        except SystemExit as exc:  # argparse's --help, --version and usage errors
            status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            if exc.code is not None and not isinstance(exc.code, int):
                print(exc.code, file=sys.stderr)  # what sys.exit("text") would print
        if sys.stdout is not None:
            sys.stdout.flush()
    except OutputError as exc:
        return _output_failure(exc)
    except BrokenPipeError as exc:  # stdout not routed through _StandardOutput (e.g. the app)
        return _output_failure(exc)
    return status


def _dispatch(given: list[str]) -> int:
    """Parse `given` and run its command (or open the app); CoachError and Ctrl-C become
    one line on stderr and an exit status."""
    if given:
        # Only the module of the command being run is imported (COMMANDS covers the rest);
        # when the command comes first, nothing but its own parser is built (2 ms less).
        module = command_module(given)
        first = module is not None and given[0] in _NAMES
        args = build_parser(module or "", stand_ins=not first).parse_args(given)
        if getattr(args, "stand_in", False):  # argparse found a command where we did not
            args = build_parser().parse_args(given)
    else:
        # Plain `coach` opens the app: building every command's parser would only delay
        # its first paint.
        args = argparse.Namespace()
    handler = getattr(args, "func", None)
    try:
        if handler is None:
            from coach.commands.app import open_app

            return open_app(args)
        return int(handler(args) or 0)
    except CoachError as exc:
        print(shown_error(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("coach: interrupted", file=sys.stderr)
        return 130
