"""History: the figures of `coach stats` in two lines, then four views (`v` or 1-4): the
sessions (a paged table of any length, newest first; Enter opens one whole), the weekly
pre-session stress trend (a chart with gaps and the number of ratings behind each week),
what helped most (ranked by median change, with the rated completed sessions behind it)
and a calendar of practice days; and a word when some lines of the file could not be read.

Nothing here holds the whole history: the figures come from the index's tallies
(coach.history_view.history_summary) and the table fetches one page at a time
(coach.history_view.session_page), each in a worker thread, so Esc works at once at any
size, even while the index is first built. Only the sessions view is built with the screen
(its first rows must show at once); the others are built the first time they are shown
(the trend chart imports plotext then).

The screen follows the history file: when another window writes a session, imports or
clears the history, a cheap look at the file's size, modification time and inode (on
resume and every HISTORY_CHECK seconds) reads the figures and the page at the cursor again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import ContentSwitcher, DataTable, Footer, Static

from coach.text import days, visible
from coach.tui.keys import HISTORY_KEYS, bindings
from coach.tui.stamps import HISTORY_CHECK  # seconds between two looks at the history file
from coach.tui.widgets.helped_table import HelpedTable, RoutineTable, points
from coach.tui.widgets.practice_calendar import PracticeCalendar
from coach.tui.widgets.session_table import SessionTable

if TYPE_CHECKING:
    from coach.history_view import HistorySummary, SessionPage
    from coach.tui.app import CoachApp

VIEWS = ("sessions", "trend", "helped", "calendar")
VIEW_TITLES = {"sessions": "Sessions", "trend": "Trend", "helped": "What helped", "calendar": "Calendar"}

__all__ = ["HistoryScreen", "headline", "points", "problems_line"]


def headline(summary: HistorySummary) -> Content:
    """The screen's top lines: sessions and streak, then the change figures of `coach
    stats` over rated completed sessions (fits 80 columns)."""
    stats = summary.stats
    if stats is None or not summary.sessions:
        return Content.assemble(("History", "bold $accent"), ("   no sessions yet", "$text-muted"))
    parts: list[Content | str | tuple[str, str]] = [
        ("History", "bold $accent"),
        (f"   {summary.sessions:,} session{'' if summary.sessions == 1 else 's'} · streak ", "$text-muted"),
        (days(stats.current_streak), "bold"),
        (f" · longest {days(stats.longest_streak)}", "$text-muted"),
    ]
    if stats.change is not None:
        c = stats.change
        share = f"{stats.responders / c.rated:.0%}"
        parts += ["\n", (f"{c.rated:,}", "bold"), (" rated completed · median ", "$text-muted"),
                  (points(c.median), "bold"), (f", IQR {points(c.q1)} to {points(c.q3)}", "$text-muted"),
                  (" · noticeable drop ", "$text-muted"),
                  (f"{stats.responders:,} ({share})", "bold")]  # fmt: skip
    return Content.assemble(*parts)


def problems_line(summary: HistorySummary) -> Content:
    """One line: the history could not be read, or which lines of it were left out."""
    if summary.error:
        return Content.styled(visible(summary.error), "$text-error")
    note = Content.styled(visible(summary.note), "$text-warning") if summary.note else Content("")
    if not summary.problems:
        return note
    numbers = ", ".join(str(line) for line, _ in summary.problems[:5])
    more = "…" if len(summary.problems) > 5 else ""
    count = len(summary.problems)
    return Content.styled(
        f"{count} line{'s' if count != 1 else ''} of the history could not be read and "
        f"{'are' if count != 1 else 'is'} left out (line {numbers}{more}); see `coach history`.",
        "$text-warning",
    )


def views_line(active: str) -> Content:
    """The views as a line of tabs, the one shown in bold with its key, the rest muted."""
    parts: list[tuple[str, str] | str] = []
    for number, name in enumerate(VIEWS, 1):
        style = "bold $accent reverse" if name == active else "$text-muted"
        parts += [(f" {number} {VIEW_TITLES[name]} ", style), " "]
    parts.append(("  v: next view", "$text-muted"))
    return Content.assemble(*parts)


def position_line(position: int, total: int) -> Content:
    """Where the cursor is among all the sessions, and the keys that move through them."""
    if total == 0:
        return Content.styled("No sessions yet.", "$text-muted")
    return Content.assemble(
        (f"session {position + 1:,} of {total:,}", "bold"),
        ("  newest first · PgUp/PgDn Home/End · Enter: details", "$text-muted"),
    )


class HistoryScreen(Screen[None]):
    DEFAULT_CSS = """
    HistoryScreen #history { padding: 0 1; }
    HistoryScreen #history-head { height: auto; }
    HistoryScreen #history-views { height: 1fr; }
    HistoryScreen #history-tabs { height: 1; margin-bottom: 1; }
    HistoryScreen #history-views > Vertical { height: 1fr; }
    HistoryScreen #history-table { height: 1fr; min-height: 4; }
    HistoryScreen #history-position { height: 1; }
    HistoryScreen #helped { height: 1fr; }
    HistoryScreen #history-helped { height: auto; }
    HistoryScreen #history-routines { height: auto; }
    HistoryScreen #helped-note { height: auto; color: $text-muted; }
    HistoryScreen #routines-note { height: auto; color: $text-muted; margin-top: 1; }
    HistoryScreen #history-problems { height: auto; }
    """

    BINDINGS = bindings(HISTORY_KEYS)

    @property
    def coach(self) -> CoachApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical(id="history"):
            yield Static(Content.styled("History  reading…", "bold $accent"), id="history-head")
            yield Static(views_line("sessions"), id="history-tabs")
            # Only the sessions are built at first (the screen must show its rows at once);
            # each other view is built the first time it is shown (`action_view`).
            with ContentSwitcher(id="history-views", initial="sessions"):
                with Vertical(id="sessions"):
                    yield SessionTable(self._fetch, zone=self.coach.services.zone, id="history-table")
                    yield Static(Content.styled("Reading…", "$text-muted"), id="history-position")
            yield Static("", id="history-problems")
        yield Footer()

    def on_mount(self) -> None:
        self.summary: HistorySummary | None = None
        self._stamp = self._history_stamp()
        table = self.query_one(SessionTable)
        table.focus()
        table.load(0, 0)
        self._load_summary()
        self.set_interval(HISTORY_CHECK, self._check_history)

    # --- the history changed (another window) -----------------------------------------------

    def _history_stamp(self) -> tuple[int, int, int] | None:
        """The history file's (size, modification time, inode); None when there is none."""
        import os

        try:
            info = os.stat(self.coach.services.history_path)
        except OSError:
            return None
        return info.st_size, info.st_mtime_ns, info.st_ino

    def _check_history(self) -> None:
        """A session written, an import or a clear since the last look: read again."""
        stamp = self._history_stamp()
        if stamp != self._stamp:
            self._stamp = stamp
            self.query_one(SessionTable).reload()
            self._load_summary()

    def on_screen_resume(self) -> None:
        if hasattr(self, "_stamp"):  # (not before on_mount: the first resume comes first)
            self._check_history()

    def _fetch(self, offset: int, limit: int) -> SessionPage:
        """One page of sessions (runs in the table's worker thread)."""
        from coach.history_view import SessionPage, session_page

        try:
            return session_page(self.coach.services.history_path, offset=offset, limit=limit)
        except Exception as exc:  # a worker's exception would end the app with a traceback
            return SessionPage(offset, error=f"cannot read the history: {exc}")

    @work(thread=True, exclusive=True, group="history-summary")
    def _load_summary(self) -> None:
        from coach.history_view import HistorySummary, history_summary

        services = self.coach.services
        try:
            summary = history_summary(services.history_path, services.today())
        except Exception as exc:  # a worker's exception would end the app with a traceback
            summary = HistorySummary(services.today(), error=f"cannot read the history: {exc}")
        try:
            self.app.call_from_thread(self.show_summary, summary)
        except RuntimeError:  # the app closed meanwhile
            pass

    def show_summary(self, summary: HistorySummary) -> None:
        if not self.is_attached:
            return
        self.summary = summary
        self.query_one("#history-head", Static).update(headline(summary))
        problems = self.query_one("#history-problems", Static)
        problems.update(line := problems_line(summary))
        problems.display = bool(line.plain)
        for name in VIEWS[1:]:
            self._fill(name)

    # --- the views other than the sessions, built when first shown ---------------------------

    async def _build(self, name: str) -> None:
        switcher = self.query_one(ContentSwitcher)
        if switcher.query(f"#{name}"):
            return
        if name == "trend":
            from coach.tui.widgets.trend_chart import TrendChart  # plotext: only when shown

            pane = Vertical(TrendChart(id="history-chart"), id=name)
        elif name == "helped":
            pane = VerticalScroll(
                Static("Ranked by the median change (after − before) of completed sessions rated "
                       "before and after; routines with at least 3 such sessions.",
                       id="helped-note", markup=False),
                HelpedTable(id="history-helped"),
                Static("Every routine: completed of all sessions, minutes practised in completed "
                       "ones, median change, rated.", id="routines-note", markup=False),
                RoutineTable(id="history-routines"),
                id=name,
            )  # fmt: skip
        else:
            pane = Vertical(PracticeCalendar(id="history-calendar"), id=name)
        await switcher.mount(pane)
        self._fill(name)

    def _fill(self, name: str) -> None:
        """Show the summary in view `name`, if both are there yet."""
        summary = self.summary
        if summary is None or not self.query(f"#{name}"):
            return
        if name == "trend":
            from coach.tui.widgets.trend_chart import TrendChart

            self.query_one(TrendChart).show(summary.weeks)
        elif name == "helped":
            stats = summary.stats
            self.query_one(HelpedTable).show(stats.helped if stats else [])
            routines = self.query_one(RoutineTable)
            routines.show(stats.routines if stats else [])
            routines.display = bool(routines.items)
            self.query_one("#routines-note").display = routines.display
        elif name == "calendar":
            self.query_one(PracticeCalendar).show(summary.days, summary.today)

    # --- the table -------------------------------------------------------------------------

    def on_session_table_loaded(self, event: SessionTable.Loaded) -> None:
        line = self.query_one("#history-position", Static)
        if event.error is not None:
            line.update(Content.styled(visible(event.error), "$text-error"))
        else:
            table = self.query_one(SessionTable)
            line.update(position_line(table.position, event.total))

    def on_session_table_moved(self, event: SessionTable.Moved) -> None:
        table = self.query_one(SessionTable)
        self.query_one("#history-position", Static).update(position_line(table.position, table.total))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        table = self.query_one(SessionTable)
        if event.data_table is table and table.total:
            self.query_one("#history-position", Static).update(position_line(table.position, table.total))

    def on_session_table_opened(self, event: SessionTable.Opened) -> None:
        self._open(event.session_id)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        # A click on a row (Enter posts SessionTable.Opened itself).
        if event.data_table is self.query_one(SessionTable) and event.row_key.value:
            self._open(event.row_key.value)

    def _open(self, session_id: str) -> None:
        from coach.tui.screens.session_detail import SessionDetailScreen

        self.app.push_screen(SessionDetailScreen(session_id))

    # --- actions ---------------------------------------------------------------------------

    async def action_view(self, name: str) -> None:
        """Show one of VIEWS (built the first time)."""
        if name not in VIEWS:
            return
        if name != "sessions":
            await self._build(name)
        self.query_one(ContentSwitcher).current = name
        self.query_one("#history-tabs", Static).update(views_line(name))
        if name == "sessions":
            self.query_one(SessionTable).focus()
        elif name == "helped":
            self.query_one("#helped").focus()  # ↑/↓ scroll a long list of routines

    async def action_next_view(self) -> None:
        current = self.query_one(ContentSwitcher).current
        following = VIEWS[(VIEWS.index(current) + 1) % len(VIEWS)] if current in VIEWS else VIEWS[0]
        await self.action_view(following)

    def action_back(self) -> None:
        self.dismiss(None)
