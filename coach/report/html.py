"""The report as one self-contained HTML page (inline CSS and an SVG chart), printable on A4."""

from __future__ import annotations

from datetime import datetime, timedelta

from coach.adherence import monday_of
from coach.rating import change_short
from coach.report.model import PlanReport
from coach.report.wording import (
    SESSION_KEY,
    adherence_line,
    change_line,
    minutes_text,
    outcomes_line,
    percent,
    period_text,
    rating_text,
    status_text,
    therapist_text,
    week_days,
    week_state,
)
from coach.text import day_text, html_text, short_day

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
    monday = monday_of(first)
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
        ("Therapist", therapist_text(plan)),
        ("Period", f"{period_text(plan)}; {status_text(report)}"),
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
        f"<li><strong>Adherence:</strong> {_h(adherence_line(report))}.</li>",
        f"<li><strong>Sessions:</strong> {_h(outcomes_line(report))}.</li>",
        f"<li><strong>Stress (0-10):</strong> {_h(change_line(report))}.</li>",
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
            f'<td class="n">{total.expected}</td><td class="n">{percent(total.share)}</td>'
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
            f"<tr><td>{_h(short_day(week.monday))}</td><td>{_h(week_days(week))}</td>"
            + "".join(f'<td class="n">{i.done}/{i.target}</td>' for i in week.items)
            + f'<td class="n">{percent(week.share)}</td><td>{_h(week_state(week))}</td></tr>'
        )
    out += ["</table>", "<h2>Sessions</h2>"]
    if not report.sessions:
        out.append("<p>No session of this plan is recorded yet.</p>")
    else:
        out += [
            f'<p class="muted">{_h(SESSION_KEY)}</p>',
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
                f'<td>{_h(s.title)}</td><td class="n">{minutes_text(s.minutes)}</td>'
                f'<td>{s.outcome}</td><td class="n">{rating_text(s.pre)}</td>'
                f'<td class="n">{rating_text(s.post)}</td>'
                f'<td class="n">{_h(change_short(s.pre, s.post))}</td>'
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
