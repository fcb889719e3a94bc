"""The plain runner's single keys are the app's player keys (coach/tui/keys.py PLAYER_KEYS):
a person who knows one knows the other."""

from __future__ import annotations

from coach.plain_input import ACTIONS


def test_the_keys_are_the_apps() -> None:
    """Every key of the app's player (coach/tui/keys.py PLAYER_KEYS) does the same here."""
    from coach.tui.keys import PLAYER_KEYS

    same = {"pause": "pause", "skip": "skip", "back": "back", "extend": "extend", "gentler": "gentler",
            "mute": "mute", "ask_quit": "quit", "too_much": "too_much"}  # fmt: skip
    names = {"space": " ", "plus": "+", "equals_sign": "=", "escape": "\x1b"}
    checked = 0
    for key in PLAYER_KEYS:
        if key.action not in same:
            continue
        for name in key.keys.split(","):
            assert ACTIONS[names.get(name, name)] == same[key.action], name
            checked += 1
    assert checked >= 8
    assert ACTIONS["t"] == "too_much" and ACTIONS["p"] == "pause"  # a pipe's line has no Space
