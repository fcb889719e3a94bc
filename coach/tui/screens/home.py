"""Home: what bothers you today, the routines (search and filters), the selected routine,
the last session and the streak, and one key to start.

It paints before the routines are known: the app loads them in a worker and calls
`show_catalog` when they arrive.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input, OptionList, Select, Static

from coach.tui import fit
from coach.tui.widgets.concern_picker import ConcernPicker
from coach.tui.widgets.routine_detail import RoutineDetail
from coach.tui.widgets.routine_list import RoutineList
from coach.vocabulary import AREAS

if TYPE_CHECKING:
    from coach.library import RoutineInfo
    from coach.tui.app import CoachApp
    from coach.tui.facts import HomeFacts

KINDS = ("massage", "stretch", "breathing", "rest")


def optional_widget(module: str, name: str, **kwargs: object) -> Widget | None:
    """A widget another part of Coach provides, if it is installed (plans: due today)."""
    try:
        cls = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None
    widget = cls(**kwargs)
    return widget if isinstance(widget, Widget) else None


class HomeScreen(Screen[None]):
    BINDINGS = [
        Binding("enter", "start", "Start"),
        Binding("slash", "search", "Search"),
        Binding("t", "intake", "Today", show=False),
        Binding("h", "history", "History"),
        Binding("p", "plans", "Plans"),
        Binding("s", "settings", "Settings"),
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.ask_quit", "Quit"),
        Binding("escape", "clear_search", "Clear", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="home"):
            yield Static(
                Content.assemble(
                    ("Coach", "bold $accent"), ("  self-care, not medical advice", "$text-muted")
                ),
                id="title-bar",
            )
            yield Static(Content.styled("What bothers you today?", "bold"), id="intake-label")
            yield ConcernPicker(id="intake")
            with Horizontal(id="filters"):
                yield Input(placeholder="Search  /", id="search", compact=True)
                yield Select([(a, a) for a in AREAS], prompt="Any area", id="area", compact=True)
                yield Select([(k, k) for k in KINDS], prompt="Any kind", id="kind", compact=True)
                yield Select([(label, key) for key, label, _, _ in fit.LENGTHS], prompt="Any length",
                             id="length", compact=True)  # fmt: skip
            with Horizontal(id="browse"):
                yield RoutineList(id="routines")
                yield RoutineDetail(id="detail")
            due = optional_widget("coach.tui.widgets.due_today", "DueToday", id="due-today")
            if due is not None:
                yield due
            yield Static("", id="notice", markup=False)
            yield Static("", id="status", markup=False)
        yield Footer()

    @property
    def coach(self) -> CoachApp:
        return self.app  # type: ignore[return-value]

    def on_mount(self) -> None:
        self.query_one(RoutineList).focus()
        if self.coach.catalog is not None:
            self.show_catalog()
        self.show_facts(self.coach.facts)

    # --- data arriving from the app ------------------------------------------------------

    def show_catalog(self) -> None:
        self._refresh_list()
        problems = self.coach.library_problems
        if problems:
            self.query_one("#notice", Static).update(
                Content.styled(
                    f"{len(problems)} routine file(s) could not be used: see `coach validate`.",
                    "$text-warning",
                )
            )

    def show_facts(self, facts: HomeFacts | None) -> None:
        if facts is None:
            return
        self.query_one("#status", Static).update(facts.status_line())
        if facts.recovered_line is not None:
            self.query_one("#notice", Static).update(facts.recovered_line)

    # --- list and filters ------------------------------------------------------------------

    def _filters(self) -> dict[str, str | None]:
        def value(select_id: str) -> str | None:
            chosen = self.query_one(f"#{select_id}", Select).value
            return chosen if isinstance(chosen, str) else None

        return {
            "text": self.query_one("#search", Input).value,
            "area": value("area"),
            "kind": value("kind"),
            "length": value("length"),
        }

    def _refresh_list(self) -> None:
        catalog = self.coach.catalog
        if catalog is None:
            return
        filters = self._filters()
        shown = [info for info in catalog if fit.matches(info, **filters)]  # type: ignore[arg-type]
        ranked = fit.order(shown, self.query_one(ConcernPicker).chosen)
        routines = self.query_one(RoutineList)
        routines.show(ranked)  # type: ignore[arg-type]
        self._show_detail(routines.current)

    def _show_detail(self, info: RoutineInfo | None) -> None:
        detail = self.query_one(RoutineDetail)
        if info is None:
            detail.show(None)
            return
        detail.show(info, self.coach.loaded_routine(info))
        if self.coach.loaded_routine(info) is None:
            self._load_detail(info)

    @work(exclusive=True, group="detail")
    async def _load_detail(self, info: RoutineInfo) -> None:
        # A short wait, so scrolling through the list does not load every routine it passes.
        import asyncio

        await asyncio.sleep(0.25)
        routine = await self.coach.load_routine(info)
        if not self.is_attached:
            return
        routines = self.query_one(RoutineList)
        if routine is not None and routines.current is info:
            self.query_one(RoutineDetail).show(info, routine)

    @on(ConcernPicker.Changed)
    @on(Input.Changed, "#search")
    @on(Select.Changed)
    def _filters_changed(self) -> None:
        self._refresh_list()

    @on(OptionList.OptionHighlighted, "#routines")
    def _highlighted(self) -> None:
        self._show_detail(self.query_one(RoutineList).current)

    @on(OptionList.OptionSelected, "#routines")
    def _selected(self) -> None:
        self.action_start()

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.query_one(RoutineList).focus()

    # --- actions ---------------------------------------------------------------------------

    def action_start(self) -> None:
        info = self.query_one(RoutineList).current
        if info is None:
            self.notify("No routine is selected.", severity="warning")
            return
        self.query_one("#notice", Static).update("")
        self.coach.start_session(info)

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_intake(self) -> None:
        self.query_one(ConcernPicker).focus()

    def action_clear_search(self) -> None:
        search = self.query_one("#search", Input)
        if search.value:
            search.value = ""
        self.query_one(RoutineList).focus()

    def action_history(self) -> None:
        self.coach.action_history()

    def action_settings(self) -> None:
        self.coach.action_settings()

    def action_plans(self) -> None:
        self.coach.action_plans()
