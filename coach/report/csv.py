"""The report as CSV: blocks separated by an empty row, each with its own header row."""

from __future__ import annotations

import csv
import io

from coach.rating import REFERENCE_NOTE
from coach.report.model import PlanReport
from coach.report.wording import (
    discomfort_text,
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
    """The report as CSV blocks: the plan's facts and totals (the document's head), then
    "for your attention", versions and changes, weeks, items and sessions. Text cells are
    defused (`coach.text.csv_cell`)."""
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
        ("pain_area", report.pain_area or ""),
        ("pain_median_change", "" if report.pain_median is None else f"{report.pain_median:g}"),
        ("sessions_pain_rose", str(len(report.pain_rose))),
    ):
        w.writerow(["plan", field, _cell(value) if field in _TEXT_FIELDS else value])
    w.writerow([])
    w.writerow(["section", "started_at", "routine", "title", "flags", "matched_words", "details"])
    for entry in report.attention:
        s = entry.session
        w.writerow(
            [
                "attention",
                s.started.isoformat(),
                _cell(s.routine),
                _cell(s.title),
                "; ".join(f.kind for f in entry.flags),
                _cell("; ".join(entry.matched)),  # a sign may be words: "chest pain"
                _cell("; ".join(f.text for f in entry.flags)),
            ]
        )
    w.writerow([])
    w.writerow(["section", "version", "effective", "imported_at", "change_kind", "routine", "before", "after",
                "description"])  # fmt: skip
    changes = report.changes
    for v in report.versions:
        since = report.in_force_from(v).isoformat()  # version 1: the plan's start
        w.writerow(["version", v.number, since, v.imported_at, "", "", "", "", ""])
        for c in (c for c in changes if c.version == v.number):
            w.writerow(["change", v.number, c.day.isoformat(), "", c.kind, _cell(c.routine or ""),
                        _cell(c.before), _cell(c.after), _cell(c.description)])  # fmt: skip
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
            "credited",
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
                    item.credited,
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
            "credited",
            "done",
            "adherence_pct",
            "note",
        ]
    )
    for item, total in report.item_totals:
        w.writerow(
            [
                "item",
                _cell(item.routine),
                _cell(report.title_of(item.routine)),
                _cell(item.schedule_text),
                total.target,
                total.expected,
                total.credited,
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
            "pain_area",
            "pain_pre",
            "pain_post",
            "gentler",
            "too_much",
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
                s.pain_area or "",
                rating_text(s.pain_pre),
                rating_text(s.pain_post),
                s.gentler,
                _cell(discomfort_text(s)),
                _cell(s.note),
            ]
        )
    return buffer.getvalue()
