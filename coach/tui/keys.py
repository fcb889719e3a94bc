"""Every key of the app, by screen: the help screen and the README show this table."""

from __future__ import annotations

KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Everywhere", (
        ("?", "this help"),
        ("Esc", "back"),
        ("Ctrl+P", "command palette: start, history, settings, theme, help, quit"),
        ("q", "quit (asks first)"),
        ("Ctrl+Q", "quit at once (a session on screen is saved as not completed)"),
    )),
    ("Home", (
        ("Enter", "start the selected routine"),
        ("↑/↓", "choose a routine"),
        ("t", "what bothers you today: ←/→ move, Space or Enter picks"),
        ("/", "search (Enter goes back to the list, Esc clears)"),
        ("Tab", "to the filters: ←/→ area, kind, length; Enter lists the choices; ↑/↓ step; Backspace any"),
        ("h", "history"),
        ("p", "plans from your therapist"),
        ("s", "settings"),
    )),
    ("Notes (first run, cautions)", (
        ("Enter", "I understand, continue"),
        ("Esc", "back"),
    )),
    ("Rating", (
        ("0-9", "choose that number"),
        ("t", "choose 10"),
        ("←/→", "less / more"),
        ("Enter", "confirm"),
        ("s", "skip the rating"),
        ("Tab", "the note (after the session)"),
    )),
    ("Session", (
        ("Space", "pause / resume"),
        ("s", "skip to the next step"),
        ("b", "back to the start of this step, or the one before"),
        ("+ or =", "30 seconds more on this step"),
        ("g", "the gentler version of this step"),
        ("m", "sound on / off"),
        ("q", "end the session (asks; saved as not completed)"),
    )),
    ("Summary, history, settings", (
        ("Enter", "done (summary)"),
        ("Esc", "back"),
        ("←/→", "volume (settings)"),
    )),
)


def markdown() -> str:
    """The table as Markdown (docs/keys.md is this; a test keeps them equal)."""
    lines = [
        "# Keys of the app",
        "",
        "Every key of `coach` (the app) by screen; `?` shows the same list in the app, and the",
        "main actions are also in the command palette (Ctrl+P).",
    ]
    for section, keys in KEYS:
        lines += ["", f"## {section}", "", "| key | what it does |", "| --- | --- |"]
        lines += [f"| `{key}` | {what} |" for key, what in keys]
    return "\n".join(lines) + "\n"
