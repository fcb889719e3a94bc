"""Starting the app from the command line: `coach` (home) and `coach run ROUTINE`.

Errors a person can fix (an unknown routine, a bad rating, no terminal) are CoachErrors,
raised before the screen takes over, so they print as one line with the right exit code.
"""

from __future__ import annotations

import argparse
import os
import sys

from coach.errors import UsageError


def _need_terminal() -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()) and not os.environ.get("COACH_FORCE_APP"):
        raise UsageError(
            "the app needs a terminal; for scripts and screen readers use `coach run ROUTINE --plain`"
        )


def _rating(name: str, value: object) -> int | None:
    if value is None:
        return None
    if type(value) is not int or not 0 <= value <= 10:
        raise UsageError(f"--{name} must be a whole number from 0 to 10, got {value!r}")
    return value


def open_home(args: argparse.Namespace | None = None) -> int:
    _need_terminal()
    from coach.tui.app import CoachApp

    app = CoachApp(mute=bool(getattr(args, "mute", False)))
    app.run()
    return app.return_code or 0


def run_app(args: argparse.Namespace) -> int:
    """`coach run ROUTINE` in the app. args: routine, pre, post, plan, mute, speed."""
    from coach.library import Library
    from coach.tui.start import StartRequest

    pre = _rating("pre", getattr(args, "pre", None))
    post = _rating("post", getattr(args, "post", None))
    given = getattr(args, "speed", None)
    speed = 1.0 if given is None else float(given)
    if not speed > 0:
        raise UsageError(f"--speed must be more than 0, got {speed:g}")
    info = Library.default().find(args.routine)
    plan = getattr(args, "plan", None)
    if plan is not None and speed == 1.0:
        from coach import paths
        from coach.plan_store import plan_note_for

        note = plan_note_for(paths.plans_dir(), plan, info.id)  # an unknown plan stops here
        if note is not None:
            print(f"coach: {note}", file=sys.stderr)
    _need_terminal()
    from coach.tui.app import CoachApp

    request = StartRequest(
        info=info, pre=pre, post=post, plan=plan, speed=speed, exit_after=True
    )
    app = CoachApp(start=request, mute=bool(getattr(args, "mute", False)))
    app.run()
    return app.return_code or 0
