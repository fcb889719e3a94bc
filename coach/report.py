"""A plan's report for the therapist: Markdown, one self-contained HTML page, CSV or JSON.

`build_report` gathers the figures (pure: plan, records and an injected `today`); the
`to_*` functions only lay them out. Text from files (names, notes) is escaped for each
format, never interpreted: a note cannot become a link, a tag or a spreadsheet formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from coach.adherence import (
    PlanAdherence,
    WeekAdherence,
    adherence,
    plan_sessions,
    plan_weeks,
)
from coach.rating import REFERENCE_NOTE, Outcome, classify, is_responder, outcome
from coach.text import csv_cell, html_text, markdown_text

if TYPE_CHECKING:
    from coach.adherence import SessionLike
    from coach.plan import Plan

FORMATS = ("md", "html", "csv", "json")


@dataclass(frozen=True)
class SessionRow:
    started: datetime  # aware, in the session's own offset
    routine: str
    title: str
    minutes: float
    completed: bool
    outcome: Outcome  # "completed", "partly done" (ran to the end, < 80 % practised), "stopped"
    pre: int | None
    post: int | None
    note: str
    gentler: int

    @property
    def change(self) -> int | None:
        if self.pre is None or self.post is None:
            return None
        return self.post - self.pre

    @property
    def responder(self) -> bool:
        """A noticeable or large drop (coach.rating)."""
        return is_responder(self.pre, self.post)

    @property
    def meaning(self) -> str:
        """The change's class in words ("a noticeable drop"), or "" without both ratings."""
        found = classify(self.pre, self.post)
        return "" if found is None else found.value


@dataclass(frozen=True)
class PlanReport:
    plan: Plan
    today: date
    adherence: PlanAdherence
    sessions: tuple[SessionRow, ...]
    titles: dict[str, str]

    def title_of(self, routine_id: str) -> str:
        return self.titles.get(routine_id, routine_id)

    @property
    def rated(self) -> list[SessionRow]:
        """Sessions with both ratings: the ones a change can be computed for."""
        return [s for s in self.sessions if s.change is not None]

    @property
    def rated_completed(self) -> list[SessionRow]:
        """Completed sessions with both ratings: the base of every change figure (a partly
        done or stopped session is not counted, as in `coach stats`)."""
        return [s for s in self.sessions if s.completed and s.change is not None]

    @property
    def change_spread(self) -> tuple[float, float, float] | None:
        """(first quartile, median, third quartile) of the change over rated completed
        sessions, in points (coach.stats.quartiles: the inclusive method); None if none."""
        from coach.stats import quartiles

        histogram = [0] * 21
        for s in self.rated_completed:
            assert s.change is not None
            histogram[s.change + 10] += 1
        return quartiles(histogram)

    @property
    def median_change(self) -> float | None:
        spread = self.change_spread
        return None if spread is None else spread[1]

    @property
    def responders(self) -> int:
        """Rated completed sessions with a noticeable or large drop."""
        return sum(1 for s in self.rated_completed if s.responder)

    @property
    def responder_rate(self) -> float | None:
        rated = len(self.rated_completed)
        return self.responders / rated if rated else None

    @property
    def notes(self) -> list[SessionRow]:
        return [s for s in self.sessions if s.note.strip()]


def _row(record: SessionLike) -> SessionRow | None:
    try:
        started = datetime.fromisoformat(record.started_at)
    except (TypeError, ValueError):
        return None
    return SessionRow(
        started=started,
        routine=record.routine,
        title=getattr(record, "routine_title", "") or record.routine,
        minutes=float(getattr(record, "active_seconds", 0.0)) / 60,
        completed=bool(record.completed),
        outcome=outcome(record),
        pre=getattr(record, "pre", None),
        post=getattr(record, "post", None),
        note=getattr(record, "note", "") or "",
        gentler=int(getattr(record, "gentler", 0) or 0),
    )


def build_report(
    plan: Plan, records: Iterable[SessionLike], today: date, titles: dict[str, str] | None = None
) -> PlanReport:
    """Every session that carries the plan's id (whatever its date), and adherence as of
    `today`. `titles` maps routine ids to titles; the plan's own routines are added."""
    records = list(records)
    names = dict(titles or {})
    names.update({r.id: r.title for r in plan.routines})
    rows = [row for r in plan_sessions(plan.id, records) if (row := _row(r)) is not None]
    rows.sort(key=lambda s: s.started)
    return PlanReport(plan, today, adherence(plan, records, today), tuple(rows), names)


# --- shared wording ---------------------------------------------------------------------------


def day_text(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def short_day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _pct(share: float | None) -> str:
    return "–" if share is None else f"{share * 100:.0f} %"


def _signed(value: float | None, digits: int = 0) -> str:
    if value is None:
        return ""
    text = f"{value:+.{digits}f}"
    return "0" if text.strip("+-0.") == "" else text


def _rating(value: int | None) -> str:
    return "" if value is None else str(value)


def _minutes(value: float) -> str:
    return f"{value:.1f}"


def _week_days(week: WeekAdherence) -> str:
    span = (
        short_day(week.first)
        if week.first == week.last
        else (f"{short_day(week.first)} – {short_day(week.last)}")
    )
    return span + (" (part week)" if week.partial else "")


def _week_state(week: WeekAdherence) -> str:
    if week.state == "future":
        return "to come"
    if week.state == "current":
        return f"in progress, {week.expected} due so far"
    return "over"


def _period(plan: Plan) -> str:
    weeks = len(plan_weeks(plan))
    return (
        f"{day_text(plan.starts)} to {day_text(plan.ends)} ({plan.length_days} days, "
        f"touching {weeks} calendar week{'s' if weeks != 1 else ''})"
    )


def _therapist(plan: Plan) -> str:
    t = plan.therapist
    return f"{t.name} ({t.contact})" if t.contact else t.name


def _adherence_line(report: PlanReport) -> str:
    a = report.adherence
    if a.expected == 0:
        base = "nothing was due yet"
    else:
        base = f"{a.credited} of {a.expected} sessions due so far were done ({_pct(a.share)})"
    return f"{base}; {a.done} completed session{'s' if a.done != 1 else ''} in the plan's period in all"


def _points(value: float) -> str:
    """A median or quartile of whole-point changes (a multiple of 0.25), exactly: +1.5, -2.25, 0."""
    text = f"{abs(round(value, 2)):g}"
    return ("-" if value < 0 else "+" if value > 0 else "") + text


def _outcomes_line(report: PlanReport) -> str:
    """How the plan's sessions ended: "5 completed, 1 partly done, 1 stopped"."""
    found = [s.outcome for s in report.sessions]
    return ", ".join(f"{found.count(o)} {o}" for o in ("completed", "partly done", "stopped"))


def _change_line(report: PlanReport) -> str:
    rated = len(report.rated_completed)
    spread = report.change_spread
    if rated == 0 or spread is None:
        return "no completed session has both a before and an after rating yet"
    q1, mid, q3 = spread
    return (
        f"median change {_points(mid)} points (interquartile range {_points(q1)} to {_points(q3)}) "
        f"over {rated} completed session{'s' if rated != 1 else ''} with both ratings (after minus "
        f"before; negative is calmer); a noticeable or large drop (at least 2 points and 30 % of the "
        f"rating before) in {report.responders} of {rated} ({_pct(report.responder_rate)}); "
        f"{REFERENCE_NOTE}"
    )


_SESSION_KEY = (
    "Min: minutes of the routine actually practised. Outcome: completed (reached the end with at "
    "least 80 % of the planned time practised), partly done (reached the end with less) or stopped "
    "(ended early); only completed sessions count towards adherence and the change figures. "
    "Before and after: stress 0-10. Gentler: times the gentler version of a step was chosen."
)


def _status(report: PlanReport) -> str:
    state = report.plan.status(report.today)
    return {"upcoming": "not started yet", "active": "running", "ended": "ended"}[state]


# --- Markdown ---------------------------------------------------------------------------------

def md(text: str) -> str:
    """Plain text for a Markdown line or table cell: shown as written, never as markup
    (`coach.text.markdown_text`)."""
    return markdown_text(text)


def to_markdown(report: PlanReport) -> str:
    plan, a = report.plan, report.adherence
    out = [
        f"# Home plan report: {md(plan.id)}",
        "",
        f"- **Client:** {md(plan.client)}",
        f"- **Therapist:** {md(_therapist(plan))}",
        f"- **Period:** {_period(plan)}; {_status(report)}",
        f"- **Report made:** {day_text(report.today)}, counting sessions up to that day",
    ]
    if plan.note:
        out.append(f"- **Therapist's note:** {md(plan.note)}")
    out += [
        "",
        "## Summary",
        "",
        f"- **Adherence:** {_adherence_line(report)}.",
        f"- **Sessions:** {_outcomes_line(report)}.",
        f"- **Stress (0-10):** {_change_line(report)}.",
        "",
        "## Items",
        "",
        "| Routine | How often | Done | Due so far | Adherence | Note for the client |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    for item, total in zip(plan.items, a.items, strict=True):
        out.append(
            f"| {md(report.title_of(item.routine))} ({md(item.routine)}) | {item.schedule_text} "
            f"| {total.done} | {total.expected} | {_pct(total.share)} | {md(item.note or '')} |"
        )
    out += [
        "",
        "## Adherence per week",
        "",
        "Sessions done of those prescribed, per item. Weeks run Monday to Sunday; a part week "
        "prescribes only its share.",
        "",
    ]
    heads = [md(i.routine) for i in plan.items]
    out.append("| Week of | Plan days | " + " | ".join(heads) + " | Adherence | State |")
    out.append("| --- | --- | " + " | ".join("---:" for _ in heads) + " | ---: | --- |")
    for week in a.weeks:
        cells = [f"{i.done}/{i.target}" for i in week.items]
        out.append(
            f"| {short_day(week.monday)} | {_week_days(week)} | "
            + " | ".join(cells)
            + f" | {_pct(week.share)} | {_week_state(week)} |"
        )
    out += ["", "## Sessions", ""]
    if not report.sessions:
        out.append("No session of this plan is recorded yet.")
    else:
        out += [
            _SESSION_KEY,
            "",
            "| Date | Time | Routine | Min | Outcome | Before | After | Change | Gentler | Note |",
            "| --- | --- | --- | ---: | --- | ---: | ---: | ---: | ---: | --- |",
        ]
        for s in report.sessions:
            out.append(
                f"| {short_day(s.started.date())} | {s.started:%H:%M} | {md(s.title)} "
                f"| {_minutes(s.minutes)} "
                f"| {s.outcome} | {_rating(s.pre)} | {_rating(s.post)} "
                f"| {_signed(s.change)} | {s.gentler} | {md(s.note)} |"
            )
    out += ["", "## The client's notes", ""]
    if not report.notes:
        out.append("No notes.")
    for s in report.notes:
        out.append(f"- {short_day(s.started.date())}, {md(s.title)}: {md(s.note)}")
    out += ["", "_Made with Coach. Self-care, not medical advice._", ""]
    return "\n".join(out)


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
                _minutes(s.minutes),
                "true" if s.completed else "false",
                s.outcome,
                _rating(s.pre),
                _rating(s.post),
                "" if s.change is None else str(s.change),
                s.meaning,
                s.gentler,
                _cell(s.note),
            ]
        )
    return buffer.getvalue()


# --- HTML -------------------------------------------------------------------------------------

_CSS = """
@page { size: A4; margin: 16mm 14mm; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: #1b1b1b; max-width: 182mm; margin: 1.5em auto; padding: 0 1em; }
h1 { font-size: 17pt; margin: 0 0 .3em; }
h2 { font-size: 12.5pt; margin: 1.4em 0 .4em; border-bottom: 1px solid #bbb; padding-bottom: .15em;
     break-after: avoid; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15em 1em; margin: 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
th, td { border: 1px solid #c8c8c8; padding: .2em .4em; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.n, td.d { white-space: nowrap; }
th.note { width: 28%; }
th.routine { width: 22%; }
tr { break-inside: avoid; }
.muted { color: #555; }
.summary li { margin: .2em 0; }
figure { margin: .5em 0; break-inside: avoid; }
figcaption { font-size: 9pt; color: #444; }
svg { width: 100%; height: auto; }
svg text { font-size: 11px; fill: #333; }
footer { margin-top: 2em; font-size: 8.5pt; color: #555; }
@media print { body { margin: 0; max-width: none; padding: 0; } h2 { break-after: avoid; } }
"""


def _h(text: str) -> str:
    """Text for HTML content or a quoted attribute (`coach.text.html_text`)."""
    return html_text(text)


def chart_svg(report: PlanReport, width: int = 680, height: int = 240) -> str:
    """Before and after ratings over time: circles before, squares after, a line between the
    two of each session. Shapes as well as colours, so it reads in black and white."""
    rated = report.rated
    left, right, top, bottom = 34, 12, 14, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    first = report.plan.starts
    last = max([report.plan.ends, *(s.started.date() for s in rated)])
    span = max(1.0, (last - first).days + 1.0)

    def x(moment: datetime) -> float:
        day = (moment.date() - first).days + (moment.hour * 3600 + moment.minute * 60) / 86400
        return left + plot_w * min(max(day / span, 0.0), 1.0)

    def y(value: int) -> float:
        return top + plot_h * (1 - value / 10)

    parts = [
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="chart-title">',
        '<title id="chart-title">Stress before and after each session, 0 to 10</title>',
    ]
    for level in range(0, 11, 2):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(level):.1f}" y2="{y(level):.1f}" '
            f'stroke="#ddd" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y(level) + 4:.1f}" text-anchor="end">{level}</text>'
        )
    monday = first - timedelta(days=first.weekday())
    while monday <= last:
        if monday >= first:
            px = left + plot_w * ((monday - first).days / span)
            parts.append(
                f'<line x1="{px:.1f}" x2="{px:.1f}" y1="{top}" y2="{top + plot_h}" stroke="#e4e4e4"/>'
                f'<text x="{px:.1f}" y="{height - bottom + 16}" text-anchor="middle">'
                f"{_h(f'{monday.day} {monday:%b}')}</text>"
            )
        monday += timedelta(days=7)
    parts.append(f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#999"/>')
    if not rated:
        parts.append(
            f'<text x="{left + plot_w / 2:.1f}" y="{top + plot_h / 2:.1f}" text-anchor="middle">'
            "No session with both ratings yet</text>"
        )
    for s in rated:
        assert s.pre is not None and s.post is not None
        px = x(s.started)
        parts.append(
            f'<line x1="{px:.1f}" x2="{px:.1f}" y1="{y(s.pre):.1f}" y2="{y(s.post):.1f}" '
            'stroke="#777" stroke-width="1.5"/>'
        )
    for name, colour, pick in (("before", "#b3261e", "pre"), ("after", "#1f5fa8", "post")):
        points = " ".join(f"{x(s.started):.1f},{y(getattr(s, pick)):.1f}" for s in rated)
        if len(rated) > 1:
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="1" '
                'stroke-dasharray="3 3" opacity="0.7"/>'
            )
        for s in rated:
            px, py = x(s.started), y(getattr(s, pick))
            label = _h(f"{short_day(s.started.date())} {s.started:%H:%M}: {name} {getattr(s, pick)}")
            if pick == "pre":
                parts.append(
                    f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{colour}"><title>{label}</title>'
                    "</circle>"
                )
            else:
                parts.append(
                    f'<rect x="{px - 3.5:.1f}" y="{py - 3.5:.1f}" width="7" height="7" fill="white" '
                    f'stroke="{colour}" stroke-width="2"><title>{label}</title></rect>'
                )
    ly = height - 8
    parts.append(
        f'<circle cx="{left + 6}" cy="{ly - 4}" r="4" fill="#b3261e"/>'
        f'<text x="{left + 14}" y="{ly}">before</text>'
        f'<rect x="{left + 66}" y="{ly - 7.5}" width="7" height="7" fill="white" stroke="#1f5fa8" '
        f'stroke-width="2"/><text x="{left + 78}" y="{ly}">after</text>'
    )
    parts.append("</svg>")
    return "\n".join(parts)


def to_html(report: PlanReport) -> str:
    plan, a = report.plan, report.adherence
    facts = [
        ("Client", plan.client),
        ("Therapist", _therapist(plan)),
        ("Period", f"{_period(plan)}; {_status(report)}"),
        ("Report made", f"{day_text(report.today)}, counting sessions up to that day"),
    ]
    if plan.note:
        facts.append(("Therapist's note", plan.note))
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Home plan report: {_h(plan.id)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>Home plan report: {_h(plan.id)}</h1>",
        '<dl class="facts">',
    ]
    out += [f"<dt>{_h(k)}</dt><dd>{_h(v)}</dd>" for k, v in facts]
    out += [
        "</dl>",
        "<h2>Summary</h2>",
        '<ul class="summary">',
        f"<li><strong>Adherence:</strong> {_h(_adherence_line(report))}.</li>",
        f"<li><strong>Sessions:</strong> {_h(_outcomes_line(report))}.</li>",
        f"<li><strong>Stress (0-10):</strong> {_h(_change_line(report))}.</li>",
        "</ul>",
        "<figure>",
        chart_svg(report),
        "<figcaption>Stress before (circles) and after (squares) each session of the plan; "
        "a line joins the two ratings of one session. Vertical lines mark Mondays.</figcaption>",
        "</figure>",
    ]
    out += [
        "<h2>Items</h2>",
        "<table>",
        '<tr><th>Routine</th><th>How often</th><th class="n">Done</th><th class="n">Due so far</th>'
        '<th class="n">Adherence</th><th>Note for the client</th></tr>',
    ]
    for item, total in zip(plan.items, a.items, strict=True):
        out.append(
            f'<tr><td>{_h(report.title_of(item.routine))} <span class="muted">({_h(item.routine)})'
            f'</span></td><td>{_h(item.schedule_text)}</td><td class="n">{total.done}</td>'
            f'<td class="n">{total.expected}</td><td class="n">{_pct(total.share)}</td>'
            f"<td>{_h(item.note or '')}</td></tr>"
        )
    out += [
        "</table>",
        "<h2>Adherence per week</h2>",
        '<p class="muted">Sessions done of those prescribed, per item. Weeks run Monday to Sunday; '
        "a part week prescribes only its share.</p>",
        "<table>",
        "<tr><th>Week of</th><th>Plan days</th>"
        + "".join(f'<th class="n">{_h(i.routine)}</th>' for i in plan.items)
        + '<th class="n">Adherence</th><th>State</th></tr>',
    ]
    for week in a.weeks:
        out.append(
            f"<tr><td>{_h(short_day(week.monday))}</td><td>{_h(_week_days(week))}</td>"
            + "".join(f'<td class="n">{i.done}/{i.target}</td>' for i in week.items)
            + f'<td class="n">{_pct(week.share)}</td><td>{_h(_week_state(week))}</td></tr>'
        )
    out += ["</table>", "<h2>Sessions</h2>"]
    if not report.sessions:
        out.append("<p>No session of this plan is recorded yet.</p>")
    else:
        out += [
            f'<p class="muted">{_h(_SESSION_KEY)}</p>',
            "<table>",
            '<tr><th>Date</th><th>Time</th><th class="routine">Routine</th>'
            '<th class="n">Min</th><th>Outcome</th>'
            '<th class="n">Before</th><th class="n">After</th><th class="n">Change</th>'
            '<th class="n">Gentler</th><th class="note">Note</th></tr>',
        ]
        for s in report.sessions:
            out.append(
                f'<tr><td class="d">{_h(short_day(s.started.date()))}</td>'
                f'<td class="d">{s.started:%H:%M}</td>'
                f'<td>{_h(s.title)}</td><td class="n">{_minutes(s.minutes)}</td>'
                f'<td>{s.outcome}</td><td class="n">{_rating(s.pre)}</td>'
                f'<td class="n">{_rating(s.post)}</td><td class="n">{_signed(s.change)}</td>'
                f'<td class="n">{s.gentler}</td><td>{_h(s.note)}</td></tr>'
            )
        out.append("</table>")
    out.append("<h2>The client's notes</h2>")
    if not report.notes:
        out.append("<p>No notes.</p>")
    else:
        out.append("<ul>")
        out += [
            f"<li>{_h(short_day(s.started.date()))}, {_h(s.title)}: {_h(s.note)}</li>" for s in report.notes
        ]
        out.append("</ul>")
    out += ["<footer>Made with Coach. Self-care, not medical advice.</footer>", "</body>", "</html>", ""]
    return "\n".join(out)


# --- JSON -------------------------------------------------------------------------------------


def to_json(report: PlanReport) -> str:
    """The report's figures and sessions as one JSON object (UTF-8 text, indented), for
    scripts: the same figures as the other formats. Text is data here, so nothing is escaped
    beyond JSON's own rules."""
    import json

    plan, a = report.plan, report.adherence
    spread = report.change_spread
    obj = {
        "plan": plan.id,
        "client": plan.client,
        "therapist": {"name": plan.therapist.name, "contact": plan.therapist.contact},
        "starts": plan.starts.isoformat(),
        "ends": plan.ends.isoformat(),
        "report_date": report.today.isoformat(),
        "adherence": {
            "sessions_due_so_far": a.expected,
            "sessions_done_of_due": a.credited,
            "completed_sessions": a.done,
            "share": None if a.share is None else round(a.share, 4),
        },
        "change": {
            "rated_completed_sessions": len(report.rated_completed),
            "median": None if spread is None else spread[1],
            "q1": None if spread is None else spread[0],
            "q3": None if spread is None else spread[2],
            "responders": report.responders,
            "responder_rate": None if report.responder_rate is None else round(report.responder_rate, 4),
            "thresholds": REFERENCE_NOTE,
        },
        "items": [
            {
                "routine": item.routine,
                "title": report.title_of(item.routine),
                "schedule": item.schedule_text,
                "prescribed": total.target,
                "due_so_far": total.expected,
                "done": total.done,
                "note": item.note or "",
            }
            for item, total in zip(plan.items, a.items, strict=True)
        ],
        "weeks": [
            {
                "week_of": week.monday.isoformat(),
                "first_day": week.first.isoformat(),
                "last_day": week.last.isoformat(),
                "state": week.state,
                "items": [
                    {"routine": i.routine, "prescribed": i.target, "due_so_far": i.expected, "done": i.done}
                    for i in week.items
                ],
            }
            for week in a.weeks
        ],
        "sessions": [
            {
                "started_at": s.started.isoformat(),
                "routine": s.routine,
                "title": s.title,
                "minutes": round(s.minutes, 2),
                "completed": s.completed,
                "outcome": s.outcome,
                "pre": s.pre,
                "post": s.post,
                "change": s.change,
                "change_meaning": s.meaning or None,
                "gentler": s.gentler,
                "note": s.note,
            }
            for s in report.sessions
        ],
    }
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def render(report: PlanReport, fmt: str) -> str:
    if fmt == "md":
        return to_markdown(report)
    if fmt == "html":
        return to_html(report)
    if fmt == "csv":
        return to_csv(report)
    if fmt == "json":
        return to_json(report)
    raise ValueError(f"unknown report format {fmt!r}")
