"""History: the sessions (newest first) with how each ended, a chart of ratings over time,
each routine's completed sessions and median change, and a word when some lines of the file
could not be read.

The figures are coach.stats's (the same as `coach stats`); the history is read in a worker
thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from coach.history_view import ratings
from coach.rating import Change, classify, outcome
from coach.text import days, duration_words, plural, visible
from coach.tui.keys import HISTORY_KEYS, bindings
from coach.tui.widgets.ratings_chart import Point, RatingsChart

if TYPE_CHECKING:
    from coach.history_view import HistoryView
    from coach.tui.app import CoachApp


# coach.rating's classes in a word or two, to fit the table in 80 columns.
SHORT_CHANGE = {
    Change.SAME: "same",
    Change.SMALL: "small",
    Change.NOTICEABLE_DROP: "drop",
    Change.LARGE_DROP: "large drop",
    Change.NOTICEABLE_RISE: "rise",
}
ROUTINE_WIDTH = 18  # longer titles are cut, so that "partly done" stays in 80 columns


def cut(text: Text, width: int) -> Text:
    """`text` cut to `width` cells, with "…" when it was longer."""
    text.truncate(width, overflow="ellipsis")
    return text


def stress_cell(pre: int | None, post: int | None) -> str:
    """Before → after with what the change means (coach.rating's class, short) when both
    exist: "7 → 3 large drop", "5 → 5 same", "2 → 5 rise"; "7 → –" when one was skipped."""
    shown = ratings(pre, post)
    meaning = classify(pre, post)
    return shown if meaning is None else f"{shown} {SHORT_CHANGE[meaning]}"


def points(value: float | None) -> str:
    """A median or quartile of changes, exactly as `coach stats` shows it (0, +1.5, −2.25)."""
    if value is None:
        return "–"
    text = f"{abs(round(value, 2)):g}"
    return ("−" if value < 0 else "+" if value > 0 else "") + text


def headline(view: HistoryView) -> Content:
    stats = view.stats
    if stats is None or not view.records:
        return Content.assemble(("History", "bold $accent"), ("   no sessions yet", "$text-muted"))
    parts: list[Content | str | tuple[str, str]] = [
        ("History", "bold $accent"),
        (f"   {plural(len(view.records), 'session')} · streak ", "$text-muted"),
        (days(stats.current_streak), "bold"),
    ]
    if stats.change is not None:
        c = stats.change
        share = f"{stats.responders / c.rated:.0%}"
        # The figures of `coach stats`, over rated completed sessions, in 80 columns.
        parts += ["\n", (str(c.rated), "bold"), (" rated completed · median ", "$text-muted"),
                  (points(c.median), "bold"), (f", IQR {points(c.q1)} to {points(c.q3)}", "$text-muted"),
                  (" · noticeable drop ", "$text-muted"),
                  (f"{stats.responders} ({share})", "bold")]  # fmt: skip
    return Content.assemble(*parts)


def problems_line(view: HistoryView) -> Content:
    if view.error:
        return Content.styled(visible(view.error), "$text-error")
    if not view.problems:
        return Content("")
    numbers = ", ".join(str(line) for line, _ in view.problems[:5])
    more = "…" if len(view.problems) > 5 else ""
    count = len(view.problems)
    return Content.styled(
        f"{count} line{'s' if count != 1 else ''} of the history could not be read and "
        f"{'are' if count != 1 else 'is'} left out (line {numbers}{more}); see `coach history`.",
        "$text-warning",
    )


class HistoryScreen(Screen[None]):
    DEFAULT_CSS = """
    /* --- history --- */

#history {
        padding: 0 1;
    }
    #history-table {
        height: 1fr;
        min-height: 4;
    }
    #history-chart {
        height: auto;
    }
    #history-routines {
        height: auto;
        max-height: 8;
    }
    """

    BINDINGS = bindings(HISTORY_KEYS)

    @property
    def coach(self) -> CoachApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical(id="history"):
            yield Static(Content.styled("History  reading…", "bold $accent"), id="history-head")
            yield RatingsChart(id="history-chart")
            yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
            yield DataTable(id="history-routines", cursor_type="none", show_cursor=False)
            yield Static("", id="history-problems")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#history-table", DataTable)
        table.add_column("Date")
        table.add_column("Routine", width=ROUTINE_WIDTH)
        table.add_columns("Stress", "Time", "Outcome", "Note")
        routines = self.query_one("#history-routines", DataTable)
        routines.add_columns("Routine", "Completed", "Minutes", "Median change", "Rated")
        table.focus()
        self._load()

    @work(thread=True, exclusive=True)
    def _load(self) -> None:
        from coach.history_view import HistoryView, read_history

        services = self.coach.services
        try:
            view = read_history(services.history_path, services.today())
        except Exception as exc:  # a worker's exception would end the app with a traceback
            view = HistoryView(self.coach.services.today(), error=f"cannot read the history: {exc}")
        self.app.call_from_thread(self.show, view)

    def show(self, view: HistoryView) -> None:
        if not self.is_attached:
            return
        self.query_one("#history-head", Static).update(headline(view))
        self.query_one("#history-problems", Static).update(problems_line(view))
        chronological = view.records[::-1]
        self.query_one(RatingsChart).show([Point(r.started_at[:10], r.pre, r.post) for r in chronological])
        table = self.query_one("#history-table", DataTable)
        table.clear()
        for record in view.records:
            table.add_row(
                record.started_at[:16].replace("T", " "),
                cut(Text(visible(record.routine_title)), ROUTINE_WIDTH),  # literal, never markup
                stress_cell(record.pre, record.post),
                duration_words(record.active_seconds),
                outcome(record),
                Text(visible(record.note)),
                key=record.id,
            )
        routines = self.query_one("#history-routines", DataTable)
        routines.clear()
        if view.stats is not None:
            for item in view.stats.routines:
                routines.add_row(Text(visible(item.title)), f"{item.completed} of {item.sessions}",
                                 f"{item.minutes:.1f}", points(item.median_change),
                                 str(item.rated))  # fmt: skip
        routines.display = routines.row_count > 0

    def action_back(self) -> None:
        self.dismiss(None)
