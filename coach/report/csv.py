"""The report as CSV: blocks separated by an empty row, each with its own header row."""

from __future__ import annotations

import csv
import io

from coach.rating import REFERENCE_NOTE
from coach.report.model import PlanReport
from coach.report.wording import (
    minutes_text,
    rating_text,
)
from coach.text import csv_cell

# --- CSV --------------------------------------------------------------------------------------
# Blocks separated by an empty row, each with its own header row: it opens readably in a
# spreadsheet, and `section` in the first column lets a script pick the rows it wants.


def _cell(text: str) -> str:
    """Text a spreadsheet must not take for a formula (`coach.text.csv_cell`)."""
    return csv_cell(text)


_TEXT_FIELDS = frozenset({"plan", "client", "therapist", "therapist_contact", "note"})


def to_csv(report: PlanReport) -> str:
    plan, a = report.plan, report.adherence
    buffer = io.StringIO()
    w = csv.writer(buffer, lineterminator="\n")
    w.writerow(["section", "field", "value"])
    for field, value in (
        ("plan", plan.id),
        ("client", plan.client),
        ("therapist", plan.therapist.name),
        ("therapist_contact", plan.therapist.contact or ""),
        ("starts", plan.starts.isoformat()),
        ("ends", plan.ends.isoformat()),
        ("report_date", report.today.isoformat()),
        ("sessions_due_so_far", str(a.expected)),
        ("sessions_done_of_due", str(a.credited)),
        ("completed_sessions", str(a.done)),
        ("adherence_pct", "" if a.share is None else f"{a.share * 100:.0f}"),
        ("rated_sessions", str(len(report.rated))),
        ("rated_completed_sessions", str(len(report.rated_completed))),
        ("median_change", "" if report.change_spread is None else f"{report.change_spread[1]:g}"),
        ("change_q1", "" if report.change_spread is None else f"{report.change_spread[0]:g}"),
        ("change_q3", "" if report.change_spread is None else f"{report.change_spread[2]:g}"),
        ("responders", str(report.responders)),
        ("responder_pct", "" if report.responder_rate is None else f"{report.responder_rate * 100:.0f}"),
        ("thresholds", REFERENCE_NOTE),
        ("note", plan.note or ""),
    ):
        w.writerow(["plan", field, _cell(value) if field in _TEXT_FIELDS else value])
    w.writerow([])
    w.writerow(
        [
            "section",
            "week_of",
            "first_day",
            "last_day",
            "state",
            "routine",
            "prescribed",
            "due_so_far",
            "done",
        ]
    )
    for week in a.weeks:
        for item in week.items:
            w.writerow(
                [
                    "week",
                    week.monday.isoformat(),
                    week.first.isoformat(),
                    week.last.isoformat(),
                    week.state,
                    _cell(item.routine),
                    item.target,
                    item.expected,
                    item.done,
                ]
            )
    w.writerow([])
    w.writerow(
        [
            "section",
            "routine",
            "title",
            "schedule",
            "prescribed",
            "due_so_far",
            "done",
            "adherence_pct",
            "note",
        ]
    )
    for item, total in zip(plan.items, a.items, strict=True):
        w.writerow(
            [
                "item",
                _cell(item.routine),
                _cell(report.title_of(item.routine)),
                _cell(item.schedule_text),
                total.target,
                total.expected,
                total.done,
                "" if total.share is None else f"{total.share * 100:.0f}",
                _cell(item.note or ""),
            ]
        )
    w.writerow([])
    w.writerow(
        [
            "section",
            "started_at",
            "routine",
            "title",
            "minutes",
            "completed",
            "outcome",
            "pre",
            "post",
            "change",
            "change_meaning",
            "gentler",
            "note",
        ]
    )
    for s in report.sessions:
        w.writerow(
            [
                "session",
                s.started.isoformat(),
                _cell(s.routine),
                _cell(s.title),
                minutes_text(s.minutes),
                "true" if s.completed else "false",
                s.outcome,
                rating_text(s.pre),
                rating_text(s.post),
                "" if s.change is None else str(s.change),
                s.meaning,
                s.gentler,
                _cell(s.note),
            ]
        )
    return buffer.getvalue()
