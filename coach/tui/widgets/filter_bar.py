"""The home screen's filters in one line: area, kind and length.

One widget rather than three drop-downs (each a small tree of widgets), so the home screen
becomes usable sooner. ←/→ choose a filter, Enter or a click opens its choices, ↑/↓ step
through them in place, Backspace sets it back to "any".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import events
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from coach.tui.keys import FILTER_BAR_KEYS, bindings

_GAP = 2


@dataclass(frozen=True)
class Filter:
    key: str
    label: str
    choices: tuple[tuple[str, str], ...]  # (value, words); "any" is added in front


class FilterBar(Widget, can_focus=True):
    DEFAULT_CSS = """
    FilterBar {
        height: 1;
        width: auto;
    }
    """

    BINDINGS = bindings(FILTER_BAR_KEYS)

    cursor: reactive[int] = reactive(0)

    class Changed(Message):
        def __init__(self, bar: FilterBar, values: dict[str, str | None]) -> None:
            super().__init__()
            self.bar = bar
            self.values = values

    def __init__(self, filters: Sequence[Filter], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.filters = tuple(filters)
        self.values: dict[str, str | None] = {f.key: None for f in self.filters}

    # --- drawing ---------------------------------------------------------------------------

    def _words(self, index: int) -> str:
        item = self.filters[index]
        value = self.values[item.key]
        shown = dict(item.choices).get(value, "any") if value is not None else "any"
        return f" {item.label}: {shown} ▾ "

    def _spans(self) -> list[tuple[int, int]]:
        spans, x = [], 0
        for index in range(len(self.filters)):
            width = len(self._words(index))
            spans.append((x, x + width))
            x += width + _GAP
        return spans

    def render(self) -> Content:
        parts: list[Content] = []
        for index, item in enumerate(self.filters):
            chosen = self.values[item.key] is not None
            style = "bold $text-accent on $accent 25%" if chosen else "$text-muted on $boost"
            if self.has_focus and index == self.cursor:
                style += " reverse"
            parts.append(Content.styled(self._words(index), style))
        return Content(" " * _GAP).join(parts)

    def get_content_width(self, container: object, viewport: object) -> int:
        spans = self._spans()
        return spans[-1][1] if spans else 0

    # --- values ----------------------------------------------------------------------------

    def set_value(self, key: str, value: str | None) -> None:
        if self.values.get(key, ...) == value:
            return
        self.values[key] = value
        self.refresh(layout=True)
        self.post_message(self.Changed(self, dict(self.values)))

    def _current(self) -> Filter:
        return self.filters[self.cursor]

    # --- input -----------------------------------------------------------------------------

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        for index, (start, end) in enumerate(self._spans()):
            if start <= event.x < end:
                self.cursor = index
                self.action_choose()
                return

    def watch_cursor(self) -> None:
        self.refresh()

    def action_move(self, delta: int) -> None:
        self.cursor = (self.cursor + delta) % len(self.filters)

    def action_step(self, delta: int) -> None:
        item = self._current()
        values: list[str | None] = [None, *[value for value, _ in item.choices]]
        index = values.index(self.values[item.key]) if self.values[item.key] in values else 0
        self.set_value(item.key, values[(index + delta) % len(values)])

    def action_clear(self) -> None:
        self.set_value(self._current().key, None)

    def action_choose(self) -> None:
        from coach.tui.dialogs.choice import ChoiceScreen

        item = self._current()

        def chosen(result: tuple[str | None] | None) -> None:
            if result is not None:
                self.set_value(item.key, result[0])

        choices = [(None, "any"), *item.choices]
        self.app.push_screen(ChoiceScreen(item.label, choices, self.values[item.key]), chosen)
