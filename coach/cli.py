"""The command line. Screenless commands never import Textual (or pydantic, where avoidable).

Each command group lives in `coach/commands/<group>.py` with a `register(subparsers)`
function; handlers import what they need inside themselves so `--help` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from coach import __version__
from coach.errors import CoachError

# Modules under coach.commands, each with register(subparsers). Order is the help order.
COMMAND_MODULES = ("run", "routines", "history", "plans")


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        from coach.text import visible

        self.exit(2, f"coach: {visible(message)} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    """The `coach` parser with every command group of COMMAND_MODULES registered, in that
    order. Usage errors print one line and exit 2."""
    parser = _Parser(
        prog="coach",
        description="Guided self-massage and breathing routines in the terminal. "
        "Self-care, not medical advice.",
    )
    parser.add_argument("--version", action="version", version=f"coach {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(f"coach.commands.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command (`argv` without the program name; sys.argv by default) and return
    its exit status: 0 done; a CoachError's `exit_code` (1 bad data, 2 a usage error) with
    one line on stderr and no traceback; 2 when argparse refuses the arguments; 130
    interrupted. No arguments opens the app."""
    from coach.text import visible_lines

    given = sys.argv[1:] if argv is None else list(argv)
    if given:
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
        # Located problems (FILE:LINE:COL: …) read like a compiler's, without a prefix.
        prefix = "" if getattr(exc, "located", False) else "coach: "
        # The message may quote a path, an id or a field from a file: shown, never obeyed.
        print(f"{prefix}{visible_lines(exc.message)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("coach: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `coach history | head`: the reader left. Point stdout at /dev/null so the
        # interpreter's final flush does not complain, and say nothing more.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
