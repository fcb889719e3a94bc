"""Starting the app from the command line: `coach` (home) and `coach run ROUTINE`.

Errors a person can fix (an unknown routine, a bad rating, no terminal) are CoachErrors,
raised before the screen takes over, so they print as one line with the right exit code.
"""

from __future__ import annotations

import argparse
import os
import sys

from coach.errors import UsageError
from coach.text import visible


def _need_terminal() -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()) and not os.environ.get("COACH_FORCE_APP"):
        raise UsageError(
            "the app needs a terminal; for scripts and screen readers use `coach run ROUTINE --plain`"
        )


def open_home() -> int:
    """`coach` with no command: the home screen. Returns the exit code; UsageError without
    a terminal."""
    _need_terminal()
    from coach.tui.app import CoachApp

    app = CoachApp()
    app.run()
    return app.return_code or 0


def run_app(args: argparse.Namespace) -> int:
    """`coach run ROUTINE` in the app. args: routine, pre, post, plan, mute, speed.

    The checks, the session lock and the recovery (`coach.start`) come before the app
    takes the screen: a refusal is one line on stderr and a non-zero exit."""
    from dataclasses import replace
    from datetime import datetime

    from coach import paths, start
    from coach.library import Library

    request, notes = start.request_from_args(args, Library.default(), paths.plans_dir())
    for note in notes:
        print(f"coach: {visible(note)}", file=sys.stderr)
    _need_terminal()
    opened = start.open_session(
        request.info.title,
        history_path=paths.history_file(),
        journal_path=paths.journal_file(),
        preview=request.preview,
        started=datetime.now().astimezone(),
        on_problem=lambda message: print(f"coach: {visible(message)}", file=sys.stderr),
    )
    try:
        from coach.tui.app import CoachApp

        app = CoachApp(start=replace(request, opened=opened), mute=bool(args.mute))
        app.run()
    finally:
        opened.release()
    return app.return_code or 0
