"""The report as one self-contained HTML page (inline CSS and an SVG chart), printable on A4."""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta

from coach.adherence import WeekAdherence, monday_of
from coach.rating import change_short
from coach.report.attention import more_line, shown, warning_words
from coach.report.model import PlanReport
from coach.report.wording import (
    SESSION_KEY,
    adherence_line,
    change_line,
    discomfort_text,
    minutes_text,
    outcomes_line,
    pain_cell,
    pain_line,
    percent,
    period_text,
    status_text,
    therapist_text,
    version_lines,
    when_text,
)
from coach.text import day_text, html_text, short_day

# --- HTML -------------------------------------------------------------------------------------

_CSS = """
@page { size: A4 portrait; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font: 10pt/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: #1b1b1b; max-width: 186mm; margin: 1.5em auto; padding: 0 1em; }
h1 { font-size: 16pt; margin: 0 0 .3em; overflow-wrap: anywhere; }
h2 { font-size: 12.5pt; margin: 1.3em 0 .4em; border-bottom: 1px solid #bbb; padding-bottom: .15em;
     break-after: avoid; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15em 1em; margin: 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
/* Fixed layout: a table is as wide as the page whatever its text; long words wrap. */
table { border-collapse: collapse; width: 100%; table-layout: fixed; font-size: 9pt; margin: .3em 0 .8em; }
th, td { border: 1px solid #c8c8c8; padding: .2em .35em; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: #f0f0f0; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
/* Headings, numbers and fixed words never break inside a word: a column too narrow for them
   shows as an overflow (the print test measures it), not as "Complete/d". */
th, td.n, td.w { overflow-wrap: normal; }
td.n { white-space: nowrap; }
th { font-size: 8.5pt; }
tr.note td { border-top: 0; color: #333; }
th small, td small { display: block; font-weight: normal; color: #555; font-size: 8pt; }
tr { break-inside: avoid; }
.nowrap { white-space: nowrap; }
tr.total td { font-weight: 600; background: #fafafa; }
.muted { color: #555; }
.summary li, .changes li { margin: .2em 0; }
section.attention { border: 2px solid #b3261e; border-radius: 4px; padding: .2em .8em .4em; margin: .8em 0; }
section.attention h2 { border: 0; margin-top: .4em; }
section.attention ul { margin: .2em 0; padding-left: 1.2em; }
section.attention li { margin: .25em 0; overflow-wrap: anywhere; }
li.watch { font-weight: 600; }
mark { background: #ffe08a; color: inherit; padding: 0 .1em; }
figure { margin: .5em 0; break-inside: avoid; }
figcaption { font-size: 8.5pt; color: #444; }
svg { width: 100%; height: auto; }
svg text { font-size: 11px; fill: #333; }
footer { margin-top: 2em; font-size: 8.5pt; color: #555; }
@media print { body { margin: 0; max-width: none; padding: 0; } }
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
    # Label every k-th Monday so that labels stand at least 56 px apart ("30 Nov" is about
    # 36 px at 11 px): 16 weeks on a 680 px chart label every second Monday.
    week_px = plot_w * 7 / span
    every = max(1, math.ceil(56 / week_px))
    monday = monday_of(first)
    if monday < first:
        monday += timedelta(days=7)
    labelled = 0
    while monday <= last:
        px = left + plot_w * ((monday - first).days / span)
        if labelled % every == 0 and px <= width - right - 20:  # a label is never cut at the edge
            parts.append(
                f'<line x1="{px:.1f}" x2="{px:.1f}" y1="{top}" y2="{top + plot_h}" stroke="#e4e4e4"/>'
                f'<text x="{px:.1f}" y="{height - bottom + 16}" text-anchor="middle">'
                f"{_h(f'{monday.day} {monday:%b}')}</text>"
            )
        else:
            parts.append(f'<line x1="{px:.1f}" x2="{px:.1f}" y1="{top}" y2="{top + plot_h}" stroke="#eee"/>')
        labelled += 1
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


# Weeks per weekly table: 8 week columns and the item column fit A4 portrait at 9 pt with
# "3/4" cells; a longer plan gets one table per 8 weeks (16 weeks: two tables).
WEEKS_PER_TABLE = 8


def _week_head(week: WeekAdherence, previous: WeekAdherence | None) -> str:
    """A week's column heading: its Monday ("30 Nov") with, below it, the plan days of a part week
    ("Thu–Sun") and the version(s) in force when they differ from the week before."""
    notes = []
    if week.partial:
        one_day = week.first == week.last
        notes.append(f"{week.first:%a} only" if one_day else f"{week.first:%a}–{week.last:%a}")
    changed = week.versions != (previous.versions if previous is not None else (1,))
    if changed:  # a new version from this week on (or one that began before the first week)
        notes.append("version " + "+".join(str(v) for v in week.versions))
    small = "".join(f"<small>{_h(n)}</small>" for n in notes)
    return f'<th class="n"><span class="nowrap">{week.monday.day} {week.monday:%b}</span>{small}</th>'


def weekly_tables(report: PlanReport, per_table: int = WEEKS_PER_TABLE) -> list[str]:
    """The adherence per week as HTML tables of at most `per_table` weeks each: an item per
    row (title and id), a week per column, "credited/expected" cells; then a row with each
    week's percentage and one with its state. Fixed layout: as wide as the page for any
    number of items and weeks."""
    a = report.adherence
    out: list[str] = []
    weeks = list(a.weeks)
    for start in range(0, len(weeks), per_table):
        block = weeks[start : start + per_table]
        item_share = 30 if len(block) >= 6 else 36
        col = (100 - item_share) / max(len(block), 1)
        out.append('<table class="weeks">')
        out.append(f'<colgroup><col style="width:{item_share}%">'
                   + "".join(f'<col style="width:{col:.2f}%">' for _ in block) + "</colgroup>")  # fmt: skip
        heads = [_week_head(w, weeks[start + i - 1] if start + i > 0 else None) for i, w in enumerate(block)]
        out.append("<thead><tr><th>Item</th>" + "".join(heads) + "</tr></thead>")
        out.append("<tbody>")
        for index, total in enumerate(a.items):
            title = report.title_of(total.routine)
            cells = "".join(f'<td class="n">{_h(w.items[index].cell_text)}</td>' for w in block)
            out.append(f"<tr><td>{_h(title)}<small>{_h(total.routine)}</small></td>{cells}</tr>")
        shares = "".join(f'<td class="n">{_h(percent(w.share))}</td>' for w in block)
        out.append(f'<tr class="total"><td>Adherence</td>{shares}</tr>')
        states = {"past": "over", "current": "now", "future": "to come"}
        out.append('<tr><td class="muted">Week</td>'
                   + "".join(f'<td class="n muted">{states.get(w.state, w.state)}</td>' for w in block)
                   + "</tr>")  # fmt: skip
        out.append("</tbody></table>")
    return out


def _marked(text: str, words: tuple[str, ...]) -> str:
    """`text` escaped, with each of `words` (a word or a stretch of the note) inside <mark>."""
    escaped = _h(text)
    if not words:
        return escaped
    # Escaped as the text is: a marked stretch may hold a quote ("pain, it's sharp").
    pattern = "|".join(re.escape(_h(w)) for w in sorted(words, key=len, reverse=True))
    # Not inside a character reference (&quot;): letters right after & or # are skipped.
    return re.sub(rf"(?<![&#\w])({pattern})(?!\w)", r"<mark>\1</mark>", escaped)


def attention_html(report: PlanReport) -> list[str]:
    """The "for your attention" box: one item per flagged session, most important first; a
    note that names a warning sign is bold with those words marked."""
    out = ['<section class="attention">', "<h2>For your attention</h2>"]
    found = report.attention
    if not found:
        out.append("<p>Nothing to flag: no session was stopped early or partly done, no "
                   "&ldquo;too much&rdquo;, no pain that rose, no notes.</p>")  # fmt: skip
        return [*out, "</section>"]
    out.append("<ul>")
    listed, left_out = shown(found)
    for entry in listed:
        s = entry.session
        flags = "; ".join(_marked(f.text, entry.matched) for f in entry.flags)
        head = f"{_h(when_text(s.started))}, {_h(s.title)}"
        if entry.matched:
            words = ", ".join(_h(w) for w in entry.matched)
            out.append(f'<li class="watch">{head}: {flags} <span class="muted">'
                       f"({warning_words(entry.matched)}: {words})</span></li>")  # fmt: skip
        else:
            out.append(f"<li>{head}: {flags}</li>")
    if left_out:
        out.append(f'<li class="muted">{_h(more_line(left_out))}</li>')
    out += ["</ul>", "</section>"]
    return out


def to_html(report: PlanReport) -> str:
    """The whole report as one self-contained HTML page (inline CSS, an inline SVG chart;
    no script, no external reference) that prints on A4 portrait: attention first, then the
    summary, chart, items, plan changes, weeks (split into tables of 8 weeks) and sessions.
    Every text from a file or a person is escaped (`coach.text.html_text`)."""
    plan = report.plan
    pain = report.pain_area is not None
    facts = [
        ("Client", plan.client),
        ("Therapist", therapist_text(plan)),
        ("Period", f"{period_text(report)}; {status_text(report)}"),
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
    out.append("</dl>")
    out += attention_html(report)
    out += [
        "<h2>Summary</h2>",
        '<ul class="summary">',
        f"<li><strong>Adherence:</strong> {_h(adherence_line(report))}.</li>",
        f"<li><strong>Sessions:</strong> {_h(outcomes_line(report))}.</li>",
        f"<li><strong>Stress (0-10):</strong> {_h(change_line(report))}.</li>",
    ]
    if pain:
        out.append(f"<li><strong>Pain (0-10):</strong> {_h(pain_line(report))}.</li>")
    out += [
        "</ul>",
        "<figure>",
        chart_svg(report),
        "<figcaption>Stress before (circles) and after (squares) each session of the plan; "
        "a line joins the two ratings of one session. Vertical lines mark Mondays.</figcaption>",
        "</figure>",
        "<h2>Items</h2>",
        '<p class="muted">Counted: completed sessions that count towards what was due so far '
        "(extra ones earn nothing), so counted over due is the adherence. Done in all: every "
        "completed session, extra ones included.</p>",
        "<table>",
        '<colgroup><col style="width:27%"><col style="width:14%"><col style="width:10%">'
        '<col style="width:10%"><col style="width:12%"><col style="width:10%"><col style="width:17%">'
        "</colgroup>",
        '<thead><tr><th>Routine</th><th>How often</th><th class="n">Counted</th><th class="n">Due so far</th>'
        '<th class="n">Adherence</th><th class="n">Done in all</th><th>Note for the client</th></tr></thead>',
    ]
    for item, total in report.item_totals:
        out.append(
            f"<tr><td>{_h(report.title_of(item.routine))}<small>{_h(item.routine)}</small></td>"
            f'<td>{_h(item.schedule_text)}</td><td class="n">{total.credited}</td>'
            f'<td class="n">{total.expected}</td><td class="n">{percent(total.share)}</td>'
            f'<td class="n">{total.done}</td><td>{_h(item.note or "")}</td></tr>'
        )
    out += ["</table>", "<h2>Plan changes</h2>"]
    lines = version_lines(report)
    if len(lines) == 1:
        out.append(f"<p>{_h(lines[0])}</p>")
    else:
        out.append('<ul class="changes">')
        for line in lines:
            if line.startswith("  "):
                out.append(f'<li style="list-style:none;margin-left:1.2em">{_h(line.strip())}</li>')
            else:
                out.append(f"<li><strong>{_h(line)}</strong></li>")
        out.append("</ul>")
    out += [
        "<h2>Adherence per week</h2>",
        '<p class="muted">Sessions counted of those due so far, per item and week (sessions beyond '
        "an item's share earn nothing); a week's cells add up to its percentage. Weeks run Monday "
        "to Sunday, headed by their Monday; a part week names its plan days and prescribes only its "
        "share.</p>",
        *weekly_tables(report),
        "<h2>Sessions</h2>",
    ]
    if not report.sessions:
        out.append("<p>No session of this plan is recorded yet.</p>")
    else:
        # Percent of the page: wide enough for "completed", "Gentler" and "Thu 26 Nov" at 9 pt
        # (the print test measures it); a note gets a full-width row under its session.
        widths = [12, 22 if pain else 31, 7, 13, 20] + ([9] if pain else []) + [9, 8]
        heads = ["<th>When</th>", "<th>Routine</th>", '<th class="n">Min</th>', "<th>Outcome</th>",
                 "<th>Stress</th>"]  # fmt: skip
        heads += ['<th class="n">Pain</th>'] if pain else []
        heads += ['<th class="n">Gentler</th>', "<th>Too much</th>"]
        out += [
            f'<p class="muted">{_h(SESSION_KEY)} Stress and pain: before → after; a session\'s '
            "note is on the line under it.</p>",
            "<table>",
            "<colgroup>" + "".join(f'<col style="width:{w}%">' for w in widths) + "</colgroup>",
            "<thead><tr>" + "".join(heads) + "</tr></thead>",
        ]
        for s in report.sessions:
            change = change_short(s.pre, s.post)
            out.append(
                f"<tr><td>{_h(when_text(s.started))}</td>"
                f'<td>{_h(s.title)}</td><td class="n">{minutes_text(s.minutes)}</td>'
                f'<td class="w">{s.outcome}</td><td>{_h(pain_cell(s.pre, s.post))}'
                + (f"<small>{_h(change)}</small>" if change else "")
                + "</td>"
                + (f'<td class="n">{_h(pain_cell(s.pain_pre, s.pain_post))}</td>' if pain else "")
                + f'<td class="n">{s.gentler}</td><td>{_h(discomfort_text(s))}</td></tr>'
            )
            if s.note.strip():
                out.append(f'<tr class="note"><td colspan="{len(widths)}">Note: {_h(s.note)}</td></tr>')
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
