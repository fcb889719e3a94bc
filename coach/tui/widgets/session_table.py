"""The History screen's table of sessions, newest first, of any length: it holds one page
(PAGE rows) at a time and fetches the page it needs in a worker thread as the cursor moves
(↑/↓ over a page's edge, PgUp/PgDn, Home/End). The person moves through every session;
the table never holds them all (Textual's DataTable measures every cell it holds).

`fetch(offset, limit)` gives a coach.history_view.SessionPage; it runs in a thread (it
opens the index). Keys pressed while a page is on its way are not lost: they move a target
position (`position`), and when the page arrives for another position than the target
the page of the target is fetched (one fetch at a time), so ten PgDn in a burst go ten
screens down. Columns fit the width (`layout`): Date, Routine, Stress, Done and Note
always, from 80 columns; the time of day from 96, the time practised from 120. The rows
are sorted by the instant a session started, so their times are shown in one zone, this
machine's (`zone`), whatever offset each record carries (the detail view shows that one).
The vertical scrollbar is hidden: it could only say where the cursor is within the page
held; the screen says where it is among all the sessions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.message import Message
from textual.widgets import DataTable

from coach.rating import Change, classify, outcome
from coach.text import duration_words, visible
from coach.tui.keys import HISTORY_TABLE_KEYS, bindings

if TYPE_CHECKING:
    from textual.events import Resize

    from coach.history_view import SessionPage
    from coach.records import SessionRecord

# Rows held at once: a few screens' worth (a page costs ~10 ms to read at any size).
PAGE = 100

# coach.rating's classes in a word or two, to fit the table in 80 columns.
SHORT_CHANGE = {
    Change.SAME: "same",
    Change.SMALL: "small",
    Change.NOTICEABLE_DROP: "drop",
    Change.LARGE_DROP: "large drop",
    Change.NOTICEABLE_RISE: "rise",
}


@dataclass(frozen=True)
class Column:
    label: str
    width: int  # cells, without the table's padding (one cell on either side)


ROUTINE_MIN, ROUTINE_MAX = 12, 24
NOTE_MIN = 8
WIDE = 96  # from this table width: the time of day, the ratings spaced out
WIDEST = 120  # from this one: the time practised too


def layout(width: int) -> list[Column]:
    """The columns for a table `width` cells wide: Date, Routine, Stress, [Time], Done,
    Note. Below WIDE the date has no time and the ratings are compact ("7→3 large drop"),
    so that Done and Note fit 80 columns; the routine takes up to ROUTINE_MAX
    cells and the note the rest (at least NOTE_MIN)."""
    wide = width >= WIDE
    fixed = [
        Column("Date", 16 if wide else 10),
        Column("Stress", 17 if wide else 15),  # "10 → 0 large drop"
        *([Column("Time", 10)] if width >= WIDEST else []),  # "14 min 5 s"
        Column("Done", 11),  # "partly done"
    ]
    free = width - sum(c.width for c in fixed) - 2 * (len(fixed) + 2)
    routine = max(ROUTINE_MIN, min(ROUTINE_MAX, free * 11 // 20, free - NOTE_MIN))
    note = max(NOTE_MIN, free - routine)
    return [fixed[0], Column("Routine", routine), *fixed[1:], Column("Note", note)]


def stress_cell(pre: int | None, post: int | None, *, compact: bool = False) -> str:
    """Before → after with what the change means (coach.rating's class, short) when both
    exist: "7 → 3 large drop", "5 → 5 same", "2 → 5 rise"; "7 → –" when one was skipped.
    `compact`: without the spaces round the arrow ("7→3 large drop")."""
    # (coach.history_view.ratings's form; that module reaches the stores, which a widget must not)
    arrow = "→" if compact else " → "
    shown = f"{'–' if pre is None else pre}{arrow}{'–' if post is None else post}"
    meaning = classify(pre, post)
    return shown if meaning is None else f"{shown} {SHORT_CHANGE[meaning]}"


def cut(text: Text, width: int) -> Text:
    """`text` cut to `width` cells, with "…" when it was longer."""
    text.truncate(width, overflow="ellipsis")
    return text


def local_start(started_at: str, zone: tzinfo | None = None) -> str:
    """`started_at` (ISO 8601 with its UTC offset) as "YYYY-MM-DD HH:MM" in `zone` (None:
    this machine's local zone, summer time included), so that rows sorted by instant read
    in order whatever offset each record was written with. Text that is not such a time is
    given back as it is (with "T" as a space)."""
    try:
        moment = datetime.fromisoformat(started_at)
    except ValueError:
        return started_at[:16].replace("T", " ")
    if moment.tzinfo is None:  # (Coach never writes one; an import could) taken as local
        return f"{moment:%Y-%m-%d %H:%M}"
    return f"{moment.astimezone(zone):%Y-%m-%d %H:%M}"


def row_cells(record: SessionRecord, columns: list[Column], zone: tzinfo | None = None) -> list[str | Text]:
    """One session as the table's cells for `columns` (from `layout`), its start in `zone`
    (see `local_start`); text from the file is shown literally (never markup) and cut to
    its column with "…"."""
    cells: list[str | Text] = []
    for column in columns:
        if column.label == "Date":
            cells.append(visible(local_start(record.started_at, zone)[: column.width]))
        elif column.label == "Routine":
            cells.append(cut(Text(visible(record.routine_title or record.routine)), column.width))
        elif column.label == "Stress":
            cells.append(stress_cell(record.pre, record.post, compact=column.width < 17))
        elif column.label == "Time":
            cells.append(duration_words(record.active_seconds))
        elif column.label == "Done":
            cells.append(outcome(record))
        else:
            cells.append(cut(Text(visible(record.note)), column.width))
    return cells


class SessionTable(DataTable[str | Text]):
    """The sessions, a page at a time (see the module docstring), their times in `zone`
    (None: this machine's). Posts `Opened` with a session's id when Enter is pressed on
    its row, and `Loaded` after each page."""

    BINDINGS = bindings(HISTORY_TABLE_KEYS)

    DEFAULT_CSS = """
    SessionTable { scrollbar-size-vertical: 0; overflow-x: hidden; }
    """

    class Opened(Message):
        def __init__(self, session_id: str) -> None:
            super().__init__()
            self.session_id = session_id

    class Moved(Message):
        """The target position moved while a page is on its way (`position` says where)."""

    class Loaded(Message):
        """A page arrived (or failed: `error`)."""

        def __init__(self, total: int, error: str | None) -> None:
            super().__init__()
            self.total = total
            self.error = error

    def __init__(
        self, fetch: Callable[[int, int], SessionPage], *, zone: tzinfo | None = None, id: str | None = None
    ) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.fetch = fetch
        self.zone = zone
        self.first = 0  # the position (0: the newest session) of the first row held
        self.total = 0  # sessions in all
        self.records: list[SessionRecord] = []
        self.columns_for = 0  # the width the columns were laid out for
        self.loading_page = False
        self.loading_offset = 0  # the offset of the page on its way
        self.requested = 0  # the number of the latest page asked for
        # While a page is on its way: the position the cursor goes to when it arrives
        # (keys pressed meanwhile move it from there, not from the page still held).
        self.target: int | None = None
        self.open_when_shown = False  # Enter was pressed while the page was on its way

    # --- where we are ----------------------------------------------------------------------

    @property
    def position(self) -> int:
        """The cursor's session, counted from the newest (0); while a page is on its way,
        the session the cursor goes to."""
        if self.target is not None:
            return self.target
        return self.first + max(0, self.cursor_row)

    def _holds(self, position: int) -> bool:
        return self.first <= position < self.first + len(self.records)

    def go(self, position: int) -> None:
        """Put the cursor on the session at `position` (clamped), fetching its page first
        when it is not held. While a page is on its way, only the target moves: the page
        for it is fetched when the one on its way has arrived."""
        if self.total == 0:
            return
        position = max(0, min(self.total - 1, position))
        if self._holds(position):
            if self.loading_page and self.loading_offset == self.first:
                self.target = position  # the held page read again (the history changed): keep it coming
            else:
                if self.loading_page:  # back within the page held: the page on its way is not needed
                    self.requested += 1
                    self.loading_page = False
                self.target = None
            self.move_cursor(row=position - self.first)
            return
        self.target = position
        if not self.loading_page:
            self._fetch_for(position)
        self.post_message(self.Moved())

    def load(self, offset: int = 0, position: int = 0) -> None:
        """Fetch the page from `offset` in a worker thread, then show it with the cursor on
        `position`. Only the latest request is shown (pages may arrive out of order)."""
        self.target = position
        self.requested += 1
        self.loading_page = True
        self.loading_offset = offset
        self._load(offset, self.requested)

    def reload(self) -> None:
        """Fetch the page at the cursor again (the history changed); the cursor keeps its
        position, clamped to the sessions there are then."""
        self.load((self.position // PAGE) * PAGE, self.position)

    def _fetch_for(self, position: int) -> None:
        self.load((position // PAGE) * PAGE, position)

    @work(thread=True, group="session-page")
    def _load(self, offset: int, request: int) -> None:
        page = self.fetch(offset, PAGE)
        try:
            self.app.call_from_thread(self.show_page, page, request)
        except RuntimeError:  # the app closed while the page was read
            pass

    def show_page(self, page: SessionPage, request: int | None = None) -> None:
        """Hold `page` and put the cursor on the target position (clamped to the page); a
        page of an older request than the latest is dropped. When the target moved off
        this page while it was read, the target's page is fetched instead."""
        if request is not None and request != self.requested:
            return
        self.loading_page = False
        if not self.is_attached:
            return
        target = self.position
        if page.error is None:
            if page.total and target >= page.total:  # fewer sessions now (a clear, another file)
                target = page.total - 1
            if page.total and (target // PAGE) * PAGE != page.offset:
                # Keys moved the target to another page meanwhile: fetch that one.
                self.total = page.total
                self._fetch_for(target)
                return
            self.first, self.total, self.records = page.offset, page.total, page.records
            self.target = None
            self._fill()
            if self.records:
                self.move_cursor(row=max(0, min(len(self.records) - 1, target - self.first)))
        else:
            self.target = None
            self.open_when_shown = False
        self.post_message(self.Loaded(self.total, page.error))
        if self.open_when_shown:
            self.open_when_shown = False
            self.action_select_cursor()

    def _fill(self) -> None:
        columns = layout(self.size.width or 80)
        self.columns_for = self.size.width
        self.clear(columns=True)
        for column in columns:
            self.add_column(column.label, width=column.width, key=column.label)
        for record in self.records:
            self.add_row(*row_cells(record, columns, self.zone), key=record.id)

    def on_resize(self, event: Resize) -> None:
        if event.size.width != self.columns_for and self.records:
            row = self.cursor_row
            self._fill()
            self.move_cursor(row=row)

    # --- keys ------------------------------------------------------------------------------

    def _page_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)  # less the header row

    def action_cursor_down(self) -> None:
        self.go(self.position + 1)

    def action_cursor_up(self) -> None:
        self.go(self.position - 1)

    def action_page_down(self) -> None:
        self.go(self.position + self._page_rows())

    def action_page_up(self) -> None:
        self.go(self.position - self._page_rows())

    def action_scroll_top(self) -> None:
        self.go(0)

    def action_scroll_bottom(self) -> None:
        self.go(self.total - 1)

    def action_scroll_home(self) -> None:
        self.go(0)

    def action_scroll_end(self) -> None:
        self.go(self.total - 1)

    def action_select_cursor(self) -> None:
        if self.target is not None:  # the page is on its way: open the session when it is here
            self.open_when_shown = True
        elif self.records and 0 <= self.cursor_row < len(self.records):
            self.post_message(self.Opened(self.records[self.cursor_row].id))
