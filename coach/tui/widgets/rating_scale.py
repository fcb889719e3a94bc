"""The 0-10 rating scale: eleven boxes, the chosen one lit, the anchors under the ends (the
stress scale's by default; the pain rating passes its own)."""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

LOW_ANCHOR = "0 = completely calm"
HIGH_ANCHOR = "10 = the most stressed you can imagine"


class RatingScale(Widget, can_focus=True):
    DEFAULT_CSS = """
    RatingScale {
        height: auto;
        width: 1fr;
    }
    """

    value: reactive[int | None] = reactive(None)

    def __init__(self, *, low: str = LOW_ANCHOR, high: str = HIGH_ANCHOR, id: str | None = None) -> None:
        """`low`, `high`: the words under 0 and 10 ("0 = completely calm", …)."""
        super().__init__(id=id)
        self.low_anchor, self.high_anchor = low, high

    class Changed(Message):
        def __init__(self, value: int | None) -> None:
            super().__init__()
            self.value = value

    def _cell(self) -> int:
        return max(3, min(5, (self.size.width or 55) // 11))

    def render(self) -> Content:
        cell = self._cell()
        boxes: list[Content] = []
        for number in range(11):
            label = str(number).center(cell)
            if number == self.value:
                boxes.append(Content.styled(label, "bold reverse $accent"))
            else:
                boxes.append(Content.styled(label, "$text" if self.has_focus else "$text-muted"))
        row = Content("").join(boxes)
        width = max(cell * 11, self.size.width)
        low, high = self.low_anchor, self.high_anchor
        if width >= len(low) + len(high) + 2:
            gap = width - len(low) - len(high)
            anchors = Content.assemble((low, "$text-muted"), " " * gap, (high, "$text-muted"))
        else:
            anchors = Content.assemble((low, "$text-muted"), "\n", (high, "$text-muted"))
        return Content.assemble(row, "\n", anchors)

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            number = event.x // self._cell()
            if 0 <= number <= 10:
                self.value = number

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def move(self, delta: int) -> None:
        self.value = 5 if self.value is None else max(0, min(10, self.value + delta))

    def watch_value(self, value: int | None) -> None:
        self.post_message(self.Changed(value))
