"""`coach` with no command: the app's home screen."""

from __future__ import annotations

import argparse


def open_app(args: argparse.Namespace) -> int:
    from coach.tui.launch import open_home

    return open_home()
