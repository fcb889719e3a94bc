"""`coach run ROUTINE`: start a routine at once, in the app or (`--plain`) as lines of text."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "run",
        help="start a routine at once",
        description="Start a routine at once. ROUTINE is an id (see `coach list`) or a path to a "
        "routine file. Ctrl+C ends it early; it is saved as stopped.",
    )
    p.add_argument("routine", metavar="ROUTINE", help="a routine id or a path to a .json file")
    p.add_argument(
        "--plain",
        action="store_true",
        help="lines of text instead of the app: for screen readers, SSH and scripts",
    )
    p.add_argument("--pre", type=int, metavar="N", help="your stress rating before (0-10): not asked")
    p.add_argument("--post", type=int, metavar="N", help="your stress rating after (0-10): not asked")
    p.add_argument("--plan", metavar="ID", help="count the session towards this imported plan")
    p.add_argument("--mute", action="store_true", help="no sound")
    p.add_argument(
        "--speed", type=float, metavar="N", help="preview N times faster (1-100); nothing is recorded"
    )
    p.set_defaults(func=cmd_run)  # fmt: skip


def cmd_run(args: argparse.Namespace) -> int:
    from coach.plain import run_plain
    from coach.start import check_rating, check_speed

    # Bad values are refused before the app is imported; both shells then start through
    # coach.start, which checks them again with the same rules.
    check_rating("pre", args.pre)
    check_rating("post", args.post)
    check_speed(args.speed)
    if args.plain:
        return run_plain(args)
    try:
        from coach.tui.launch import run_app
    except ImportError:  # the app (or Textual) is missing: the session still runs
        print("coach: the app is not available here; running as plain text", file=sys.stderr)
        return run_plain(args)
    return int(run_app(args) or 0)
