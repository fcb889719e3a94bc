"""The home screen's list of routines: title, minutes and areas, best fit first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from coach.text import duration_about, visible
from coach.tui.keys import ROUTINE_LIST_KEYS, bindings

if TYPE_CHECKING:
    from coach.library import RoutineInfo


def _prompt(info: RoutineInfo, fit: int) -> Content:
    # Routine text is shown literally: Content never parses markup.
    mark = ("● ", "bold $success") if fit > 0 else ("  ", "")
    meta = f"{duration_about(info.seconds)} · {', '.join(info.areas) or 'any'}"
    if info.plan is not None:  # whose first: two plans' routines of one title stay apart when cut
        meta = f"plan {info.plan} · {meta}"
    elif info.source != "built-in":
        meta += f" · {info.source}"
    return Content.assemble(mark, (visible(info.title), "bold"), "\n  ", (visible(meta), "$text-muted"))


class RoutineList(OptionList):
    # OptionList's own Enter binding is hidden; this one says what Enter does here.
    BINDINGS = bindings(ROUTINE_LIST_KEYS)

    DEFAULT_CSS = """
    RoutineList {
        height: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.infos: list[RoutineInfo] = []

    def show(self, ranked: Sequence[tuple[RoutineInfo, int]], *, to_top: bool = False) -> None:
        """Replace the options, keeping the highlighted routine where it is still listed
        (or going to the best fit, `to_top`)."""
        current = None if to_top else self.current
        self.infos = [info for info, _ in ranked]
        self.clear_options()
        self.add_options(Option(_prompt(info, fit), id=info.id) for info, fit in ranked)
        if not self.infos:
            return
        ids = [info.id for info in self.infos]
        self.highlighted = ids.index(current.id) if current and current.id in ids else 0

    @property
    def current(self) -> RoutineInfo | None:
        index = self.highlighted
        if index is None or not 0 <= index < len(self.infos):
            return None
        return self.infos[index]
