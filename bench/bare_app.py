"""The baseline for bench_startup.py: the smallest Textual app that paints a line and a footer.

    python bench/bare_app.py
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Static


class BareApp(App[None]):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Static("Bare Textual app ready")
        yield Footer()


if __name__ == "__main__":
    BareApp().run()
