"""A volume control: a bar from 0 to 100 that ←/→ (or a click) moves in steps of 10."""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from coach.tui.keys import VOLUME_KEYS, bindings

STEP = 10
BAR = 20


class Volume(Widget, can_focus=True):
    DEFAULT_CSS = """
    Volume {
        height: 1;
        width: auto;
    }
    """

    BINDINGS = bindings(VOLUME_KEYS)

    value: reactive[int] = reactive(70)

    class Changed(Message):
        def __init__(self, value: int) -> None:
            super().__init__()
            self.value = value

    def __init__(self, value: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(Volume.value, max(0, min(100, value)))

    def render(self) -> Content:
        filled = round(self.value / 100 * BAR)
        style = "$accent" if self.has_focus else "$text-muted"
        return Content.assemble(
            ("━" * filled, style), ("─" * (BAR - filled), "$panel-lighten-2"), f" {self.value:>3}"
        )

    def get_content_width(self, container: object, viewport: object) -> int:
        return BAR + 4

    def on_click(self, event: events.Click) -> None:
        if 0 <= event.x <= BAR:
            self.value = round(event.x / BAR * 100 / STEP) * STEP

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_change(self, direction: int) -> None:
        self.value = max(0, min(100, (self.value // STEP + direction) * STEP))

    def action_set(self, value: int) -> None:
        self.value = value

    def watch_value(self, value: int) -> None:
        self.post_message(self.Changed(value))
