"""Home: what bothers you today, the routines (search and filters), the selected routine,
the last session and the streak, and one key to start.

It paints before the routines are known, and before its heavier widgets exist: the first
frame is the title, the question and the frame of the list. Then `_build` mounts the search
box, the filters and the list (their modules are imported then too), and the app loads the
routines in a worker and calls `show_catalog` when they arrive.
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
from textual.widgets import Footer, Static

from coach.tui import fit
from coach.tui.widgets.concern_picker import ConcernPicker

if TYPE_CHECKING:
    from textual.widgets import Input, OptionList

    from coach.library import RoutineInfo
    from coach.tui.app import CoachApp
    from coach.tui.facts import HomeFacts
    from coach.tui.widgets.filter_bar import FilterBar
    from coach.tui.widgets.routine_detail import RoutineDetail
    from coach.tui.widgets.routine_list import RoutineList

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
            # Filled in just after the first paint (see _build): the search box, the three
            # filters and the list cost three times what the rest of the screen costs to
            # mount, and the screen must appear at once.
            yield Horizontal(id="filters")
            with Horizontal(id="browse"):
                yield Static(Content.styled("Loading routines…", "$text-muted"), id="browse-placeholder")
            yield Static("", id="notice", markup=False)
            yield Static("", id="status", markup=False)
        yield Footer()

    @property
    def coach(self) -> CoachApp:
        return self.app  # type: ignore[return-value]

    def on_mount(self) -> None:
        self.built = False
        if self.coach.start_request is not None:
            # `coach run`: straight to the session; this screen is built if it is ever shown.
            self.call_after_refresh(self.coach.begin_requested_session)
        else:
            self.call_after_refresh(self._build)

    def ensure_built(self) -> None:
        if not self.built:
            self.call_after_refresh(self._build)

    def _build(self) -> None:
        """The interactive part of the screen, mounted once the first frame is out; then the
        app starts loading the routines and the history."""
        if self.built:
            return
        self.built = True  # (set early: a resume while building must not build twice)
        self.coach.start_loading()  # its thread reads files while these widgets mount
        from textual.widgets import Input

        from coach.tui.widgets.filter_bar import Filter, FilterBar
        from coach.tui.widgets.routine_detail import RoutineDetail
        from coach.tui.widgets.routine_list import RoutineList
        from coach.vocabulary import AREAS

        filters = [
            Filter("area", "Area", tuple((a, a) for a in AREAS)),
            Filter("kind", "Kind", tuple((k, k) for k in KINDS)),
            Filter("length", "Length", tuple((key, label) for key, label, _, _ in fit.LENGTHS)),
        ]
        self.query_one("#filters").mount_all(
            [Input(placeholder="Search  /", id="search", compact=True), FilterBar(filters, id="filter-bar")]
        )
        browse = self.query_one("#browse")
        browse.query_one("#browse-placeholder").remove()
        browse.mount_all([RoutineList(id="routines"), RoutineDetail(id="detail")])
        due = optional_widget("coach.tui.widgets.due_today", "DueToday", id="due-today")
        if due is not None:
            self.query_one("#home").mount(due, before="#notice")
        self.query_one("#routines").focus()
        if self.coach.catalog is not None:
            self.show_catalog()
        self.show_facts(self.coach.facts)

    # --- data arriving from the app ------------------------------------------------------

    def _ready(self) -> bool:
        """Built and still on: data can arrive from threads while the app is closing."""
        return self.built and self.is_attached and bool(self.query("#routines"))

    def show_catalog(self) -> None:
        if not self._ready():
            return  # _build shows it (or the app is closing)
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
        if facts is None or not self.is_attached or not self.query("#status"):
            return
        self.query_one("#status", Static).update(facts.status_line())
        if facts.recovered_line is not None:
            self.query_one("#notice", Static).update(facts.recovered_line)

    # --- list and filters ------------------------------------------------------------------

    @property
    def routine_list(self) -> RoutineList:
        return self.query_one("#routines")  # type: ignore[return-value]

    @property
    def detail(self) -> RoutineDetail:
        return self.query_one("#detail")  # type: ignore[return-value]

    @property
    def search(self) -> Input:
        return self.query_one("#search")  # type: ignore[return-value]

    def _filters(self) -> dict[str, str | None]:
        bar: FilterBar = self.query_one("#filter-bar")  # type: ignore[assignment]
        return {"text": self.search.value, **bar.values}

    def _refresh_list(self, *, to_top: bool = False) -> None:
        catalog = self.coach.catalog
        if catalog is None or not self._ready():
            return
        filters = self._filters()
        shown = [info for info in catalog if fit.matches(info, **filters)]  # type: ignore[arg-type]
        ranked = fit.order(shown, self.query_one(ConcernPicker).chosen)
        routines = self.routine_list
        routines.show(ranked, to_top=to_top)  # type: ignore[arg-type]
        self._show_detail(routines.current)

    def _show_detail(self, info: RoutineInfo | None) -> None:
        detail = self.detail
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
        # The app may be closing (its widgets going) by the time the routine is read.
        if routine is None or not self.is_attached or not self.query("#routines"):
            return
        if self.routine_list.current is info:
            self.detail.show(info, routine)

    # Handlers by name (not @on with the classes) so that their modules load after the paint.

    @on(ConcernPicker.Changed)
    def _concerns_changed(self) -> None:
        # A new answer to "what bothers you today?" puts the best fit in front of the person.
        self._refresh_list(to_top=True)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "search":
            self._refresh_list()

    def on_filter_bar_changed(self) -> None:
        self._refresh_list()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "routines":
            self._show_detail(self.routine_list.current)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "routines":
            self.action_start()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search":
            self.routine_list.focus()

    # --- actions ---------------------------------------------------------------------------

    def action_start(self) -> None:
        if not self.built or self.coach.start_request is not None:
            return  # not ready, or `coach run` is about to start its own routine
        info = self.routine_list.current
        if info is None:
            self.notify("No routine is selected.", severity="warning")
            return
        self.query_one("#notice", Static).update("")
        self.coach.start_session(info)

    def action_search(self) -> None:
        if self.built:
            self.search.focus()

    def action_intake(self) -> None:
        self.query_one(ConcernPicker).focus()

    def action_clear_search(self) -> None:
        if not self.built:
            return
        search = self.search
        if search.value:
            search.value = ""
        self.routine_list.focus()

    def action_history(self) -> None:
        self.coach.action_history()

    def action_settings(self) -> None:
        self.coach.action_settings()

    def action_plans(self) -> None:
        self.coach.action_plans()
