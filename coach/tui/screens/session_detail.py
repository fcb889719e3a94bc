"""One session, whole: when, which routine, how it ended, the time practised of the time
planned, the steps, the stress ratings and what the change means, the pain rating a plan
asked for, each "too much" press (discomfort), pauses and skips, and the whole note.

Opened from the History screen with a session's id; the record is read in a worker (one
line of the file, through the index). Everything from the file is shown literally.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from coach.history_view import ratings
from coach.rating import change_phrase, outcome
from coach.text import duration_words, visible, visible_lines
from coach.tui.keys import SESSION_DETAIL_KEYS, bindings

if TYPE_CHECKING:
    from coach.records import SessionRecord
    from coach.tui.app import CoachApp

LABEL = 12  # the width of the labels on the left


def _row(label: str, *value: str | tuple[str, str] | Content) -> Content:
    return Content.assemble((f"{label:<{LABEL}}", "$text-muted"), *value)


def detail_lines(record: SessionRecord) -> list[Content]:
    """The session's fields as lines for the screen (the note is shown apart, whole)."""
    started = record.started_at[:16].replace("T", " ")
    ended = record.ended_at[11:16]
    lines = [
        Content.styled(visible(record.routine_title or record.routine), "bold $accent"),
        _row("When", f"{started} to {ended}", (f"  (UTC{visible(record.started_at[19:])})", "$text-muted")),
        _row("Outcome", (outcome(record), "bold")),
        _row("Practised", f"{duration_words(record.active_seconds)} of "
             f"{duration_words(record.planned_seconds)} planned"),
        _row("Steps", f"{record.steps_done} of {record.steps_total} done · {record.pauses} paused · "
             f"{record.skips} skipped · {record.gentler} gentler"),
    ]  # fmt: skip
    phrase = change_phrase(record.pre, record.post)
    meaning = f"  {phrase}" if phrase else ""
    lines.append(_row("Stress", (ratings(record.pre, record.post), "bold"), (meaning, "$text-muted")))
    if record.pain_area is not None or record.pain_pre is not None or record.pain_post is not None:
        area = visible(record.pain_area or "pain")
        lines.append(_row("Pain", f"{area}: ", (ratings(record.pain_pre, record.pain_post), "bold"),
                          ("  (0 no pain, 10 worst imaginable)", "$text-muted")))  # fmt: skip
    if record.discomfort:
        count = len(record.discomfort)
        lines.append(_row("Too much", f"{count} time{'s' if count != 1 else ''}"))
        for entry in record.discomfort:
            choice = entry.get("choice")
            what = "no change chosen" if choice is None else visible(str(choice))
            at = duration_words(float(entry.get("at", 0)))
            lines.append(Content.assemble(" " * LABEL, f"step {entry.get('step')} ",
                                          visible(str(entry.get("title", ""))),
                                          (f" · at {at} · {what}", "$text-muted")))  # fmt: skip
    if record.plan:
        lines.append(_row("Plan", visible(record.plan)))
    lines.append(_row("Routine id", (visible(record.routine), "$text-muted")))
    return lines


class SessionDetailScreen(Screen[None]):
    """The session with `session_id` (see the module docstring)."""

    DEFAULT_CSS = """
    SessionDetailScreen #detail-body { padding: 0 1; }
    SessionDetailScreen #detail-fields { height: auto; }
    SessionDetailScreen #detail-note-label { margin-top: 1; color: $text-muted; }
    SessionDetailScreen #detail-note { height: auto; }
    """

    BINDINGS = bindings(SESSION_DETAIL_KEYS)

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id

    @property
    def coach(self) -> CoachApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="detail-body"):
            yield Static(Content.styled("Reading the session…", "$text-muted"), id="detail-fields")
            yield Static("Note", id="detail-note-label", markup=False)
            yield Static("", id="detail-note", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#detail-body").focus()
        self._load()

    @work(thread=True, exclusive=True)
    def _load(self) -> None:
        from coach.history_view import session_detail

        try:
            record = session_detail(self.coach.services.history_path, self.session_id)
        except Exception:  # a worker's exception would end the app with a traceback
            record = None
        try:
            self.app.call_from_thread(self.show, record)
        except RuntimeError:  # the app closed meanwhile
            pass

    def show(self, record: SessionRecord | None) -> None:
        if not self.is_attached:
            return
        fields = self.query_one("#detail-fields", Static)
        if record is None:
            fields.update(Content.styled("This session is no longer in the history.", "$text-warning"))
            self.query_one("#detail-note-label").display = False
            return
        fields.update(Content("\n").join(detail_lines(record)))
        note = visible_lines(record.note)  # line breaks kept, every control made visible
        self.query_one("#detail-note", Static).update(
            Content(note) if note else Content.styled("(no note)", "$text-muted")
        )

    def action_back(self) -> None:
        self.dismiss(None)
