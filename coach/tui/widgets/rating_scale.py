"""The 0-10 stress scale: eleven boxes, the chosen one lit, the anchors under the ends."""

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
        anchors = Content.styled(LOW_ANCHOR, "$text-muted")
        if width >= len(LOW_ANCHOR) + len(HIGH_ANCHOR) + 2:
            gap = width - len(LOW_ANCHOR) - len(HIGH_ANCHOR)
            anchors = Content.assemble((LOW_ANCHOR, "$text-muted"), " " * gap, (HIGH_ANCHOR, "$text-muted"))
        else:
            anchors = Content.assemble((LOW_ANCHOR, "$text-muted"), "\n", (HIGH_ANCHOR, "$text-muted"))
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
