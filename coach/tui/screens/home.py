"""Home: what bothers you today, the routines (search and filters), the selected routine,
the last session and the streak, and one key to start: Enter for the selected routine, `r`
for the last one again (at the length chosen then), `l` for the selected one at another
length. The last routine and the answer to "what bothers you today?" are remembered across
restarts (`coach.usual`).

The search filters once typing pauses (SEARCH_PAUSE), not on every key, and its box keeps
the order of fast typing (`coach.tui.widgets.text_field`: Textual ran Backspace after the
letters typed after it). Plans imported while the app runs
(`coach plan import` in another window) are noticed by a cheap look at the plans folder's
modification time, on resume and every PLANS_CHECK seconds, and the routines are re-read.
Sessions recorded, the last routine changed (`coach run`, `coach remind` in another pane)
and routines added to or edited in the user's folder are noticed the same way, every
HISTORY_CHECK seconds (`coach.tui.stamps`: a few stat calls in a worker thread), and the
line, today's plan items or the list are read again: "Last:" and "r again" never go stale
while home stays open.

The first frame is the title, the question and the routine list itself: the routines are
read from the validation cache before the paint (`CoachApp.read_catalog_now`, a few ms, no
pydantic; a first start without a cache lists them when the worker has validated them).
Then `_build` mounts the search box, the filters and the detail pane (their modules are
imported then too), and the app reads the routines again and the history line in a worker
(`show_catalog`, `show_facts`): the history never delays the list.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from coach import intake
from coach.text import days, duration_about, visible
from coach.tui.keys import HOME_KEYS, bindings
from coach.tui.stamps import HISTORY_CHECK
from coach.tui.widgets.concern_picker import ConcernPicker
from coach.tui.widgets.routine_list import RoutineList
from coach.vocabulary import STEP_TYPES as KINDS

if TYPE_CHECKING:
    from textual.timer import Timer
    from textual.widgets import Input, OptionList

    from coach.adherence import PlansData
    from coach.history_view import HomeFacts
    from coach.library import RoutineInfo
    from coach.records import SessionRecord
    from coach.tui.app import CoachApp
    from coach.tui.stamps import HomeStamps
    from coach.tui.widgets.filter_bar import FilterBar
    from coach.tui.widgets.routine_detail import RoutineDetail
    from coach.usual import Usual

# Seconds of no typing after which the search filters the list (a typing burst is about
# 50-150 ms between keys; 150 ms feels immediate once the typing stops).
SEARCH_PAUSE = 0.15
# Seconds between two looks at the plans folder's modification time (one stat call).
PLANS_CHECK = 2.0
# The lengths `l` offers, in minutes (about; `coach.scaling` scales the steps).
LENGTH_CHOICES = (2, 3, 5, 10, 15, 20)


def status_line(facts: HomeFacts, shorter: int = 0) -> Content:
    """The home screen's bottom line: the last session (title, day, outcome unless
    completed, ratings) and the streak, or how to begin; then any trouble reading the
    history. `shorter`: cells to save so that it stays one line (80 columns with `r`'s
    hint after it): the ratings go first, then the title ends in "…" (12 cells at least)."""
    from coach.history_view import ratings, when
    from coach.rating import outcome

    if facts.last is None:
        parts: list[Any] = [("No sessions yet. ", "$text-muted"), "Pick a routine and press Enter."]
    else:
        last = facts.last
        state = "" if last.completed else f", {outcome(last)}"  # "partly done" / "stopped"
        rated = f" · {ratings(last.pre, last.post)}"
        title = visible(last.routine_title)  # from the history: shown, never obeyed
        if shorter > 0:
            shorter -= len(rated)
            rated = ""
        if shorter > 0:
            title = title[: max(11, len(title) - shorter - 1)] + "…"
        parts = [
            ("Last: ", "$text-muted"),
            title,
            (f" · {when(last.started().date(), facts.today)}{state}{rated}", "$text-muted"),
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
    # The list has the focus from the first frame: keys pressed at once move in it (Textual
    # would focus the first focusable widget, the concern picker, until _build ran).
    AUTO_FOCUS = "#routines"

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
                # The list itself is in the first frame (filled in on_mount from the validated
                # cache when it is there); the detail pane joins it after the paint (_build).
                yield RoutineList(id="routines")
            yield Static("", id="notice", markup=False)
            yield Static("", id="status", markup=False)
        yield Footer()

    @property
    def coach(self) -> CoachApp:
        return self.app  # type: ignore[return-value]

    def on_mount(self) -> None:
        self.built = False
        self._search_timer: Timer | None = None
        self._plans_stamp: int | None = None
        self._stamps: HomeStamps | None = None  # the last look at the files (None: not yet)
        self._usual: Usual | None = None
        self._again_seconds: float | None = None  # what `r` really gives (`_again_seconds_of`)
        self._saved_concerns: frozenset[str] | None = None
        if self.coach.start_request is not None:
            # `coach run`: straight to the session; this screen is built if it is ever shown.
            self.call_after_refresh(self.coach.begin_requested_session)
        else:
            # The routines from the validation cache before the first paint, so that the
            # first frame shows the list itself (the history line comes after, in a worker).
            if self.coach.read_catalog_now():
                chosen = self.query_one(ConcernPicker).chosen
                self.routine_list.show(intake.order(self.coach.catalog or [], chosen))
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
        self.coach.first_frame_shown()
        self.coach.start_loading()  # its thread reads files while these widgets mount
        from coach.tui.widgets.due_today import DueToday
        from coach.tui.widgets.filter_bar import Filter, FilterBar
        from coach.tui.widgets.routine_detail import RoutineDetail
        from coach.tui.widgets.text_field import TextField
        from coach.vocabulary import AREAS

        filters = [
            Filter("area", "Area", tuple((a, a) for a in AREAS)),
            Filter("kind", "Kind", tuple((k, k) for k in KINDS)),
            Filter("length", "Length", tuple((key, label) for key, label, _, _ in intake.LENGTHS)),
        ]
        search = TextField(placeholder="Search  /", id="search", compact=True)
        self.query_one("#filters").mount_all([search, FilterBar(filters, id="filter-bar")])
        self.query_one("#browse").mount(RoutineDetail(id="detail"))
        self.query_one("#home").mount(DueToday(id="due-today"), before="#notice")
        self.reload_due()
        self.query_one("#routines").focus()
        if self.coach.catalog is not None:
            self.show_catalog()
        self.show_facts(self.coach.facts)
        self.read_usual()
        self._plans_stamp = self._plans_mtime()
        self.set_interval(PLANS_CHECK, self._check_plans)
        self._look_at_files()  # the first look is the baseline
        self.set_interval(HISTORY_CHECK, self._check_files)

    # --- the usual break (coach.usual) -------------------------------------------------------

    @work(thread=True, exclusive=True, group="usual")
    def read_usual(self) -> None:
        from coach.usual import read_usual

        usual = read_usual(self.coach.services.usual_path).usual
        self.app.call_from_thread(self._usual_read, usual, self._again_seconds_of(usual))

    def _again_seconds_of(self, usual: Usual) -> float | None:
        """The length `r` really gives when a length was chosen (coach.scaling.scaled_seconds:
        a routine that cannot reach it comes as near as it can), None when none was chosen or
        the routine cannot be read here (starting it says why)."""
        from coach.scaling import scaled_seconds

        if usual.last_routine is None or not usual.last_minutes:
            return None
        try:
            library = self.coach.library or self.coach.services.library()
            info = next((i for i in self.coach.catalog or [] if i.id == usual.last_routine), None)
            routine = library.load(info if info is not None else library.find(usual.last_routine))
            return scaled_seconds(routine, usual.last_minutes)
        except Exception:  # a file gone or broken: the start reports it
            return None

    def _usual_read(self, usual: Usual, again_seconds: float | None = None) -> None:
        if not self.is_attached:
            return
        first = self._usual is None
        self._usual = usual
        self._again_seconds = again_seconds
        if first and usual.concerns:  # the last answer to "what bothers you today?"
            known = {concern.key for concern in intake.CONCERNS}
            chosen = frozenset(key for key in usual.concerns if key in known)
            self._saved_concerns = chosen
            self.query_one(ConcernPicker).chosen = chosen
        self._show_status(self.coach.facts)

    @work(thread=True, group="usual-save")
    def _save_concerns(self, chosen: frozenset[str]) -> None:
        from coach.usual import update_usual

        ordered = [c.key for c in intake.CONCERNS if c.key in chosen]
        update_usual(self.coach.services.usual_path, lambda usual: usual.with_concerns(ordered))

    def _again_line(self, facts: HomeFacts) -> Content | None:
        """What `r` starts: "r again" when it is the last session's routine (named just
        before on the line), else "r again: <title>"; with its length when one was chosen."""
        usual = self._usual
        if usual is None or usual.last_routine is None:
            return None
        # The length the session will really have, not the one asked for (issue: "about 10
        # min" promised for 4-7-8 breathing, which reaches about 4 at most).
        seconds = self._again_seconds
        length = f" ({duration_about(seconds)})" if usual.last_minutes and seconds else ""
        if facts.last is not None and facts.last.routine == usual.last_routine:
            return Content.assemble(("r", "bold"), (f" again{length}", "$text-muted"))
        catalog = self.coach.catalog or []
        info = next((i for i in catalog if i.id == usual.last_routine), None)
        name = info.title if info is not None else usual.last_routine
        return Content.assemble(("r", "bold"), (" again: ", "$text-muted"), visible(name),
                                (length, "$text-muted"))  # fmt: skip

    # --- plans imported while the app runs ----------------------------------------------------

    def _plans_mtime(self) -> int | None:
        import os

        try:
            return os.stat(self.coach.services.plans_dir).st_mtime_ns
        except OSError:
            return None

    def _check_plans(self) -> None:
        """A plan imported, replaced or removed since the last look: read the routines again
        (a plan's own routines are listed as PLAN/ID) and what the plans ask for today."""
        stamp = self._plans_mtime()
        if stamp != self._plans_stamp:
            self._plans_stamp = stamp
            self.coach.reload_catalog()
            self.reload_due()

    # --- sessions recorded and routines added in another window --------------------------------

    def _check_files(self) -> None:
        """Every HISTORY_CHECK seconds while home is shown (under another screen, the
        resume reads everything again, and the next look finds the change too: one more
        cheap read, never a missed one)."""
        if self.app.screen is self:
            self._look_at_files()

    @work(thread=True, exclusive=True, group="home-stamps")
    def _look_at_files(self) -> None:
        from coach.tui.stamps import home_stamps

        services = self.coach.services
        # (a Library is a few paths: making one before the app's is loaded reads nothing)
        library = self.coach.library or services.library()
        stamps = home_stamps(services.history_path, services.usual_path, library.user_dir, services.today())
        try:
            self.app.call_from_thread(self._files_looked_at, stamps)
        except RuntimeError:  # the app closed meanwhile
            pass

    def _files_looked_at(self, stamps: HomeStamps) -> None:
        """Read again what changed since the last look (the first look only records)."""
        if not self.is_attached:
            return
        before, self._stamps = self._stamps, stamps
        if before is None:
            return
        if stamps.history != before.history or stamps.today != before.today:
            self.coach.refresh_facts()  # "Last:" and the streak
            self.reload_due()  # a session may count towards a plan
        if stamps.usual != before.usual:
            self.read_usual()  # what `r` starts
        if stamps.routines != before.routines:
            self.coach.reload_catalog()  # the list shows the new routines when they arrive

    # --- what the plans ask for today --------------------------------------------------------

    def on_screen_resume(self) -> None:
        if self.built:  # back from a session or the plans screen: the week's figures changed
            self.reload_due()
            self.read_usual()  # the last routine may be another now
            self._check_plans()
            self.coach.refresh_facts()  # "Last:": another window may have written or cleared the history

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
        self._show_status(facts)
        if facts.recovered is not None:
            self.query_one("#notice", Static).update(recovered_line(facts.recovered))

    def _show_status(self, facts: HomeFacts | None) -> None:
        """The bottom line: the last session and streak, and what `r` starts."""
        if facts is None or not self.is_attached or not self.query("#status"):
            return
        line = status_line(facts)
        again = self._again_line(facts) if self.built else None
        if again is not None:
            line = Content.assemble(line, "   ", again)
            over = line.cell_length - self.app.size.width
            if over > 0:  # one line at 80 columns, not "…Streak: 1 day   r" / " again"
                line = Content.assemble(status_line(facts, over), "   ", again)
        self.query_one("#status", Static).update(line)

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
    def _concerns_changed(self, event: ConcernPicker.Changed) -> None:
        # A new answer to "what bothers you today?" puts the best fit in front of the person.
        self._refresh_list(to_top=True)
        if self.built and event.chosen != self._saved_concerns:
            self._saved_concerns = event.chosen
            self._save_concerns(event.chosen)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "search":
            # Filter once typing pauses: the Input keeps every key meanwhile.
            if self._search_timer is not None:
                self._search_timer.stop()
            self._search_timer = self.set_timer(SEARCH_PAUSE, self._search_paused)

    def _search_paused(self) -> None:
        self._search_timer = None
        self._refresh_list()

    def on_filter_bar_changed(self) -> None:
        self._refresh_list()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "routines" and self.built:  # (the detail pane comes with _build)
            self._show_detail(self.routine_list.current)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "routines":
            self.action_start()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search":
            if self._search_timer is not None:  # Enter before the pause: filter now
                self._search_timer.stop()
                self._search_paused()
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

    def action_again(self) -> None:
        """`r`: the last routine started (from here or `coach run`), at its length then."""
        if not self.built or self.coach.start_request is not None or self.coach.in_session:
            return
        self._start_again()

    @work(exclusive=True, group="again")
    async def _start_again(self) -> None:
        from coach.start import StartRequest
        from coach.usual import read_usual

        usual = (await asyncio.to_thread(read_usual, self.coach.services.usual_path)).usual
        ref = usual.last_routine
        if ref is None:
            self.notify("No routine started yet: pick one and press Enter.", severity="warning")
            return
        info = next((i for i in self.coach.catalog or [] if i.id == ref), None)
        if info is None:  # a routine run from a file, or gone since
            library = self.coach.library or self.coach.services.library()
            try:
                info = await asyncio.to_thread(library.find, ref)
            except Exception as exc:  # unknown id, a file gone or broken: said, never raised
                first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                self.notify(f"The last routine cannot be started: {first}", severity="error")
                return
        self.query_one("#notice", Static).update("")
        self.coach.start_session(info, StartRequest(info, minutes=usual.last_minutes))

    def action_length(self) -> None:
        """`l`: the selected routine at another length (`coach.scaling`), then started."""
        if not self.built or self.coach.start_request is not None or self.coach.in_session:
            return
        info = self.routine_list.current
        if info is None:
            self.notify("No routine is selected.", severity="warning")
            return
        from coach.start import StartRequest
        from coach.tui.dialogs.choice import ChoiceScreen

        choices: list[tuple[str | None, str]] = [(None, f"As written ({duration_about(info.seconds)})")]
        choices += [(str(m), f"About {m} min") for m in self._reachable_lengths(info)]

        def chosen(answer: tuple[str | None] | None) -> None:
            if answer is None:
                return
            minutes = None if answer[0] is None else float(answer[0])
            self.coach.start_session(info, StartRequest(info, minutes=minutes))

        self.app.push_screen(ChoiceScreen(f"How long? {info.title}", choices, None), chosen)

    def _reachable_lengths(self, info: RoutineInfo) -> list[int]:
        """LENGTH_CHOICES the routine can honestly be scaled to (`coach.scaling.reachable`:
        its dose steps as written); all of them when it cannot be read here (starting it
        then says why)."""
        from coach.scaling import reachable

        try:
            routine = (self.coach.library or self.coach.services.library()).load(info)
        except Exception:  # a file gone or broken: the start reports it
            return list(LENGTH_CHOICES)
        return [m for m in LENGTH_CHOICES if reachable(routine, m)]

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
