"""Home: what bothers you today, the routines (search and filters), the selected routine,
the last session and the streak, and one key to start.

It paints before the routines are known, and before its heavier widgets exist: the first
frame is the title, the question and the frame of the list. Then `_build` mounts the search
box, the filters and the list (their modules are imported then too), and the app loads the
routines in a worker and calls `show_catalog` when they arrive.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from coach import intake
from coach.text import days, visible
from coach.tui.keys import HOME_KEYS, bindings
from coach.tui.widgets.concern_picker import ConcernPicker
from coach.vocabulary import STEP_TYPES as KINDS

if TYPE_CHECKING:
    from textual.widgets import Input, OptionList

    from coach.adherence import PlansData
    from coach.history_view import HomeFacts
    from coach.library import RoutineInfo
    from coach.records import SessionRecord
    from coach.tui.app import CoachApp
    from coach.tui.widgets.filter_bar import FilterBar
    from coach.tui.widgets.routine_detail import RoutineDetail
    from coach.tui.widgets.routine_list import RoutineList


def status_line(facts: HomeFacts) -> Content:
    """The home screen's bottom line: the last session (title, day, outcome unless
    completed, ratings) and the streak, or how to begin; then any trouble reading the
    history."""
    from coach.history_view import ratings, when
    from coach.rating import outcome

    if facts.last is None:
        parts: list[Any] = [("No sessions yet. ", "$text-muted"), "Pick a routine and press Enter."]
    else:
        last = facts.last
        state = "" if last.completed else f", {outcome(last)}"  # "partly done" / "stopped"
        parts = [
            ("Last: ", "$text-muted"),
            visible(last.routine_title),  # from the history: shown, never obeyed
            (f" · {when(last.started().date(), facts.today)}{state} · "
             f"{ratings(last.pre, last.post)}", "$text-muted"),
            ("   Streak: ", "$text-muted"),
            (days(facts.streak), "bold"),
        ]  # fmt: skip
    if facts.error:
        parts.append((f"   {visible(facts.error)}", "$text-warning"))
    if facts.unreadable:
        parts.append((f"   {facts.unreadable} history line(s) unreadable", "$text-warning"))
    return Content.assemble(*parts)


def recovered_line(recovered: SessionRecord) -> Content:
    """The notice, once, that a crashed session was saved from the journal."""
    from coach.rating import outcome

    return Content.assemble(
        (f"An interrupted session was saved as {outcome(recovered)}: ", "$text-warning"),
        visible(recovered.routine_title),
        (f" ({recovered.started_at[:16].replace('T', ' ')})", "$text-muted"),
    )


class HomeScreen(Screen[None]):
    BINDINGS = bindings(HOME_KEYS)

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

        from coach.tui.widgets.due_today import DueToday
        from coach.tui.widgets.filter_bar import Filter, FilterBar
        from coach.tui.widgets.routine_detail import RoutineDetail
        from coach.tui.widgets.routine_list import RoutineList
        from coach.vocabulary import AREAS

        filters = [
            Filter("area", "Area", tuple((a, a) for a in AREAS)),
            Filter("kind", "Kind", tuple((k, k) for k in KINDS)),
            Filter("length", "Length", tuple((key, label) for key, label, _, _ in intake.LENGTHS)),
        ]
        self.query_one("#filters").mount_all(
            [Input(placeholder="Search  /", id="search", compact=True), FilterBar(filters, id="filter-bar")]
        )
        browse = self.query_one("#browse")
        browse.query_one("#browse-placeholder").remove()
        browse.mount_all([RoutineList(id="routines"), RoutineDetail(id="detail")])
        self.query_one("#home").mount(DueToday(id="due-today"), before="#notice")
        self.reload_due()
        self.query_one("#routines").focus()
        if self.coach.catalog is not None:
            self.show_catalog()
        self.show_facts(self.coach.facts)

    # --- what the plans ask for today --------------------------------------------------------

    def on_screen_resume(self) -> None:
        if self.built:  # back from a session or the plans screen: the week's figures changed
            self.reload_due()

    @work(thread=True, exclusive=True, group="due-today")
    def reload_due(self) -> None:
        """Read the plans and the history off the event loop, then hand them to the widget."""
        from coach.tui.screens.plans import read_plans

        data = read_plans(self.app)
        self.app.call_from_thread(self._show_due, data)

    def _show_due(self, data: PlansData) -> None:
        from coach.tui.widgets.due_today import DueToday  # (loaded by _build)

        if not self.is_attached:
            return  # the app is closing
        for widget in self.query(DueToday):
            widget.show_data(data)

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
        self.query_one("#status", Static).update(status_line(facts))
        if facts.recovered is not None:
            self.query_one("#notice", Static).update(recovered_line(facts.recovered))

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
        shown = [info for info in catalog if intake.matches(info, **filters)]  # type: ignore[arg-type]
        ranked = intake.order(shown, self.query_one(ConcernPicker).chosen)
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
