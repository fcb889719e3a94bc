"""`coach run ROUTINE`: start a routine at once, in the app or (`--plain`) as lines of text."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "run",
        help="start a routine at once",
        description="Start a routine at once. ROUTINE is an id (see `coach list`), PLAN/ID for a "
        "plan's own routine, or a path to a routine file. The session counts towards the plan it "
        "is started with (--plan), or else towards the one active plan that includes it. Ctrl+C "
        "ends it early; it is saved as stopped.",
    )
    p.add_argument("routine", metavar="ROUTINE", nargs="?",
                   help="a routine id, PLAN/ID for a plan's own routine, or a path to a .json file")
    p.add_argument("--last", action="store_true",
                   help="the last routine you started again (at the length you chose then, unless "
                        "--minutes says otherwise)")
    p.add_argument("--minutes", type=float, metavar="N",
                   help="scale the routine to about N minutes (1-120): every step in proportion, "
                        "breathing in whole cycles, reps in whole reps, a prescribed dose (four "
                        "4-7-8 breaths) as written, and said when N is out of reach (default: the default "
                        "length in the app's settings, except for a plan's session)")
    p.add_argument(
        "--plain",
        action="store_true",
        help="lines of text instead of the app: for screen readers, SSH and scripts",
    )
    p.add_argument("--pre", type=int, metavar="N", help="your stress rating before (0-10): not asked")
    p.add_argument("--post", type=int, metavar="N", help="your stress rating after (0-10): not asked")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--plan", metavar="ID",
                       help="count the session towards this imported plan (a bare ROUTINE id is looked "
                            "up among its own routines first)")
    which.add_argument("--no-plan", action="store_true", help="count the session towards no plan")
    p.add_argument("--pain-pre", type=int, metavar="N",
                   help="pain before (0-10), for a plan that asks for a pain rating: not asked")
    p.add_argument("--pain-post", type=int, metavar="N",
                   help="pain after (0-10), for a plan that asks for a pain rating: not asked")
    p.add_argument("--mute", action="store_true", help="no sound")
    p.add_argument("--phases", action="store_true",
                   help="with --plain: a line for every breath phase and rep release, "
                        "not one per breath or rep")
    p.add_argument(
        "--voice",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="spoken guidance for this run (espeak-ng): your voice setting, or step titles "
        "if it is off; --no-voice: none",
    )
    p.add_argument(
        "--speed", type=float, metavar="N", help="preview N times faster (1-100); nothing is recorded"
    )
    p.set_defaults(func=cmd_run)  # fmt: skip


def _last_routine(args: argparse.Namespace) -> None:
    """`--last`: ROUTINE (and `--minutes`, unless given) from the usual break
    (`coach.usual`), else the routine of the history's last session (sessions from before
    the usual break was kept). UsageError when ROUTINE is given too, or nothing was run yet."""
    from coach import paths
    from coach.errors import UsageError
    from coach.usual import read_usual

    if args.routine is not None:
        raise UsageError("give a ROUTINE or --last, not both")
    loaded = read_usual(paths.usual_file())
    routine = loaded.usual.last_routine
    if routine is None and paths.history_file().exists():
        from datetime import date

        from coach.history_view import home_facts

        try:
            last = home_facts(paths.history_file(), date.today()).last
        except Exception:  # an unreadable history: as if nothing was run
            last = None
        routine = last.routine if last is not None else None
    if routine is None:
        why = f" ({loaded.problem})" if loaded.problem else ""
        raise UsageError(f"no routine has been started yet{why}; give a ROUTINE (see `coach list`)")
    args.routine = routine
    if args.minutes is None and routine == loaded.usual.last_routine:
        args.minutes = loaded.usual.last_minutes
        args.minutes_remembered = True  # not asked for now: a plan's session leaves it out


def _say_scaling(args: argparse.Namespace) -> None:
    """A length (`--minutes N`, or the settings' default) beyond what the routine can honestly
    reach (its dose steps as written, `coach.scaling.scaling_note`): one line on stderr
    saying how near it comes, before the session. Anything the session's own start refuses
    (an unknown routine, --minutes for a plan's session) is left for it to say."""
    from coach import paths
    from coach.library import Library
    from coach.scaling import scaling_note
    from coach.start import request_from_args
    from coach.text import visible

    try:
        library = Library.default()
        request, _ = request_from_args(args, library, paths.plans_dir())
        if request.minutes is None:  # a plan's session runs as written
            return
        routine = library.load(request.info)
    except Exception:  # said by the session's own start, with its own message
        return
    note = scaling_note(routine, request.minutes * 60)
    if note is not None:
        print(f"coach: {visible(note)}", file=sys.stderr, flush=True)


def cmd_run(args: argparse.Namespace) -> int:
    from coach.errors import UsageError
    from coach.scaling import check_minutes
    from coach.start import check_rating, check_speed

    # Bad values are refused before the app is imported; both shells then start through
    # coach.start, which checks them again with the same rules.
    check_rating("pre", args.pre)
    check_rating("post", args.post)
    check_rating("pain-pre", args.pain_pre)
    check_rating("pain-post", args.pain_post)
    check_speed(args.speed)
    check_minutes(args.minutes)
    if getattr(args, "last", False):
        _last_routine(args)  # the length chosen then, as written included: no default
    elif args.routine is None:
        raise UsageError("give a ROUTINE (see `coach list`), or --last for the last one again")
    elif args.minutes is None:  # the settings' default length (coach.start: not for a plan's session)
        from coach import paths
        from coach.settings import load_settings

        args.default_minutes = load_settings(paths.settings_file()).default_minutes
    if args.plain:
        return _run_plain(args)
    try:
        from coach.tui.launch import run_app, terminal_problem
    except ImportError:  # the app (or Textual) is missing: the session still runs
        print("coach: the app is not available here; running as plain text", file=sys.stderr)
        return _run_plain(args)
    problem = terminal_problem()
    if problem is not None:  # TERM=dumb, or no terminal: lines of text, no escape codes
        print(f"coach: {problem}; running as plain text (--plain)", file=sys.stderr)
        return _run_plain(args)
    # The app says an unreachable length itself, on the player's notice line: printed here
    # too, the line waited under the app's screen and was read again after it (once is enough).
    return int(run_app(args) or 0)


def _run_plain(args: argparse.Namespace) -> int:
    """The session as lines of text, after the length note when there is one (`_say_scaling`)."""
    from coach.plain import run_plain

    if args.minutes is not None or getattr(args, "default_minutes", None) is not None:
        _say_scaling(args)
    return run_plain(args)
