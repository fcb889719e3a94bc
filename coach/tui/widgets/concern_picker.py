"""A row of toggles for "what bothers you today?": the home screen's intake."""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from coach.intake import CONCERNS, Concern
from coach.tui.keys import CONCERN_PICKER_KEYS, bindings

_GAP = 1


class ConcernPicker(Widget, can_focus=True):
    """Chips that toggle on space, Enter or a click; left and right move between them."""

    DEFAULT_CSS = """
    ConcernPicker {
        height: auto;
        width: 1fr;
    }
    """

    BINDINGS = bindings(CONCERN_PICKER_KEYS)

    cursor: reactive[int] = reactive(0)
    chosen: reactive[frozenset[str]] = reactive(frozenset())

    class Changed(Message):
        def __init__(self, picker: ConcernPicker, chosen: frozenset[str]) -> None:
            super().__init__()
            self.picker = picker
            self.chosen = chosen

    def __init__(self, concerns: Sequence[Concern] = CONCERNS, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.concerns = tuple(concerns)

    def _chip(self, index: int) -> Content:
        concern = self.concerns[index]
        on = concern.key in self.chosen
        mark = "✓ " if on else ""
        style = "bold $text-accent on $accent 25%" if on else "$text-muted"
        if index == self.cursor and self.has_focus:
            style += " reverse"
        return Content.styled(f" {mark}{concern.label} ", style)

    def _lines(self, width: int) -> list[list[tuple[int, Content]]]:
        """Chips wrapped to `width`: rows of (index, chip)."""
        rows: list[list[tuple[int, Content]]] = [[]]
        used = 0
        for index in range(len(self.concerns)):
            chip = self._chip(index)
            need = chip.cell_length + (_GAP if rows[-1] else 0)
            if rows[-1] and used + need > width:
                rows.append([])
                used, need = 0, chip.cell_length
            rows[-1].append((index, chip))
            used += need
        return rows

    def render(self) -> Content:
        width = max(1, self.size.width or 80)
        lines = []
        for row in self._lines(width):
            lines.append(Content(" " * _GAP).join(chip for _, chip in row))
        return Content("\n").join(lines)

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return len(self._lines(max(1, width)))

    def _chip_at(self, x: int, y: int) -> int | None:
        rows = self._lines(max(1, self.size.width))
        if not 0 <= y < len(rows):
            return None
        left = 0
        for index, chip in rows[y]:
            if left <= x < left + chip.cell_length:
                return index
            left += chip.cell_length + _GAP
        return None

    def on_click(self, event: events.Click) -> None:
        index = self._chip_at(event.x, event.y)
        if index is not None:
            self.cursor = index
            self.action_toggle()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_move(self, delta: int) -> None:
        self.cursor = (self.cursor + delta) % len(self.concerns)

    def action_toggle(self) -> None:
        key = self.concerns[self.cursor].key
        self.chosen = self.chosen ^ {key}

    def action_clear(self) -> None:
        self.chosen = frozenset()

    def watch_cursor(self) -> None:
        self.refresh()

    def watch_chosen(self, chosen: frozenset[str]) -> None:
        self.refresh(layout=True)
        self.post_message(self.Changed(self, chosen))
