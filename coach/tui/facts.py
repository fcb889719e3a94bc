"""What the home screen says about the person's history: the last session, the streak, and a
session recovered from the journal. Gathered off the event loop (in the loading worker).

The figures come from `coach.history` and `coach.stats`; this module only words them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from textual.content import Content

from coach.rating import outcome
from coach.text import visible
from coach.tui.text import days

if TYPE_CHECKING:
    from coach.records import SessionRecord


def when(started: date, today: date) -> str:
    gap = (today - started).days
    if gap == 0:
        return "today"
    if gap == 1:
        return "yesterday"
    if 1 < gap < 7:
        return f"{gap} days ago"
    return started.isoformat()


def ratings(pre: int | None, post: int | None) -> str:
    def show(value: int | None) -> str:
        return "–" if value is None else str(value)

    return f"{show(pre)} → {show(post)}"


@dataclass(frozen=True)
class HomeFacts:
    today: date
    last: SessionRecord | None = None
    streak: int = 0
    recovered: SessionRecord | None = None
    unreadable: int = 0  # history lines that could not be read
    error: str | None = None  # the history could not be read at all

    def status_line(self) -> Content:
        if self.last is None:
            parts: list[Any] = [("No sessions yet. ", "$text-muted"), "Pick a routine and press Enter."]
        else:
            last = self.last
            state = "" if last.completed else f", {outcome(last)}"  # "partly done" / "stopped"
            parts = [
                ("Last: ", "$text-muted"),
                visible(last.routine_title),  # from the history: shown, never obeyed
                (f" · {when(last.started().date(), self.today)}{state} · "
                 f"{ratings(last.pre, last.post)}", "$text-muted"),
                ("   Streak: ", "$text-muted"),
                (days(self.streak), "bold"),
            ]  # fmt: skip
        if self.error:
            parts.append((f"   {visible(self.error)}", "$text-warning"))
        if self.unreadable:
            parts.append((f"   {self.unreadable} history line(s) unreadable", "$text-warning"))
        return Content.assemble(*parts)

    @property
    def recovered_line(self) -> Content | None:
        if self.recovered is None:
            return None
        return Content.assemble(
            ("An interrupted session was saved as not completed: ", "$text-warning"),
            visible(self.recovered.routine_title),
            (f" ({self.recovered.started_at[:16].replace('T', ' ')})", "$text-muted"),
        )
