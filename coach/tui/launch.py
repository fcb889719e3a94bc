"""Starting the app from the command line: `coach` (home) and `coach run ROUTINE`.

Errors a person can fix (an unknown routine, a bad rating, no terminal) are CoachErrors,
raised before the screen takes over, so they print as one line with the right exit code.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys

from coach.errors import UsageError
from coach.text import visible


def terminal_problem() -> str | None:
    """Why the full-screen app cannot run here, or None: no terminal on stdin or stdout
    (a pipe, a script, cron), or a terminal that draws no screen (`TERM` is `dumb` or
    unset: Emacs shells, some editors' consoles, screen readers' plain consoles), where the
    alternate screen, mouse and colour codes would show as garbage. `COACH_FORCE_APP` set
    (tests) lets it run anyway."""
    if os.environ.get("COACH_FORCE_APP"):
        return None
    if not (_isatty(sys.stdin) and _isatty(sys.stdout)):
        return "the app needs a terminal"
    term = os.environ.get("TERM", "")
    if term in ("", "dumb"):
        return f"the app needs a terminal that can draw a screen (TERM={term or 'unset'})"
    return None


def _isatty(stream: object) -> bool:
    try:
        return bool(stream is not None and stream.isatty())  # type: ignore[attr-defined]
    except (ValueError, OSError):  # closed
        return False


def _need_terminal() -> None:
    """Raise UsageError (one line, exit 2, nothing sent to the terminal) where the app
    cannot run (`terminal_problem`), naming the plain runner instead."""
    problem = terminal_problem()
    if problem is not None:
        raise UsageError(f"{problem}; for this terminal, scripts and screen readers use "
                         "`coach run ROUTINE --plain` (or `coach run --last --plain`)")  # fmt: skip


def open_home() -> int:
    """`coach` with no command: the home screen. Returns the exit code; UsageError without
    a terminal."""
    _need_terminal()
    # Importing Textual and building the first screen allocate hundreds of thousands of
    # long-lived objects, and the cyclic collector kept walking them: measured 233 -> 218 ms
    # of CPU before the first frame (bench/first_frame_cpu.py; the bare app: 185 ms), with
    # the same peak memory. It is paused until home has painted
    # (CoachApp.first_frame_shown turns it back on).
    gc.disable()
    from coach.tui.app import CoachApp

    app = CoachApp(collector_paused=True)
    try:
        app.run()
    finally:
        gc.enable()  # (the app may have ended before its first frame)
    return app.return_code or 0


def run_app(args: argparse.Namespace) -> int:
    """`coach run ROUTINE` in the app. args: routine, pre, post, plan, mute, speed.

    The checks, the session lock and the recovery (`coach.start`) come before the app
    takes the screen: a refusal is one line on stderr and a non-zero exit."""
    from dataclasses import replace
    from datetime import datetime

    from coach import paths, start
    from coach.library import Library

    # Several active plans include the routine: the app asks which (coach.tui.flow), so the
    # plain runner's "counts towards none of them" line is not among the notes.
    request, notes = start.request_from_args(args, Library.default(), paths.plans_dir(), plan_asked=True)
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

        app = CoachApp(start=replace(request, opened=opened), mute=bool(args.mute),
                      voice=getattr(args, "voice", None))
        app.run()
    finally:
        opened.release()
    return app.return_code or 0
