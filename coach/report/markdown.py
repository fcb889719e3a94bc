"""The report as Markdown: headings, lists and tables, text shown as written."""

from __future__ import annotations

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
    rating_text,
    status_text,
    therapist_text,
    version_lines,
    week_days,
    week_state,
    when_text,
)
from coach.text import day_text, markdown_text, short_day


def md(text: str) -> str:
    """Plain text for a Markdown line or table cell: shown as written, never as markup
    (`coach.text.markdown_text`)."""
    return markdown_text(text)


def attention_markdown(report: PlanReport) -> list[str]:
    """The "for your attention" section: one bullet per flagged session, its flags joined;
    a note that names a warning sign is in bold and says which words."""
    out = ["## For your attention", ""]
    found = report.attention
    if not found:
        return [
            *out,
            'Nothing to flag: no session was stopped early or partly done, no "too much", '
            "no pain that rose, no notes.",
        ]
    listed, left_out = shown(found)
    for entry in listed:
        s = entry.session
        flags = "; ".join(md(f.text) for f in entry.flags)
        head = f"{when_text(s.started)}, {md(s.title)}"
        if entry.matched:
            words = ", ".join(md(w) for w in entry.matched)
            out.append(f"- **{head}: {flags}** ({warning_words(entry.matched)}: {words})")
        else:
            out.append(f"- {head}: {flags}")
    if left_out:
        out.append(f"- {more_line(left_out)}")
    return out


def to_markdown(report: PlanReport) -> str:
    """The whole report as Markdown (UTF-8 text): attention first, then summary, items,
    versions, weeks, sessions and notes. Every text from a file or a person goes through
    `md`, so it cannot add structure or links."""
    plan, a = report.plan, report.adherence
    pain = report.pain_area is not None
    out = [
        f"# Home plan report: {md(plan.id)}",
        "",
        f"- **Client:** {md(plan.client)}",
        f"- **Therapist:** {md(therapist_text(plan))}",
        f"- **Period:** {period_text(report)}; {status_text(report)}",
        f"- **Report made:** {day_text(report.today)}, counting sessions up to that day",
    ]
    if plan.note:
        out.append(f"- **Therapist's note:** {md(plan.note)}")
    out += ["", *attention_markdown(report)]
    out += [
        "",
        "## Summary",
        "",
        f"- **Adherence:** {adherence_line(report)}.",
        f"- **Sessions:** {outcomes_line(report)}.",
        f"- **Stress (0-10):** {change_line(report)}.",
    ]
    if pain:
        out.append(f"- **Pain (0-10):** {md(pain_line(report))}.")
    out += [
        "",
        "## Items",
        "",
        "Counted: completed sessions that count towards what was due so far (extra ones earn "
        "nothing), so counted over due is the adherence. Done in all: every completed session, "
        "extra ones included.",
        "",
        "| Routine | How often | Counted | Due so far | Adherence | Done in all | Note for the client |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for item, total in report.item_totals:
        out.append(
            f"| {md(report.title_of(item.routine))} ({md(item.routine)}) | {md(item.schedule_text)} "
            f"| {total.credited} | {total.expected} | {percent(total.share)} | {total.done} "
            f"| {md(item.note or '')} |"
        )
    out += ["", "## Plan changes", ""]
    out += [f"- {md(line.strip())}" if not line.startswith("  ") else f"  - {md(line.strip())}"
            for line in version_lines(report)]  # fmt: skip
    out += [
        "",
        "## Adherence per week",
        "",
        "Sessions counted of those due so far, per item (sessions beyond an item's share earn "
        "nothing); a week's cells add up to its percentage. Weeks run Monday to Sunday; a part "
        "week prescribes only its share.",
        "",
    ]
    heads = [md(t.routine) for t in a.items]  # every version's items, as the cells
    out.append("| Week of | Plan days | " + " | ".join(heads) + " | Adherence | State |")
    out.append("| --- | --- | " + " | ".join("---:" for _ in heads) + " | ---: | --- |")
    for week in a.weeks:
        cells = [i.cell_text for i in week.items]
        out.append(
            f"| {short_day(week.monday)} | {week_days(week)} | "
            + " | ".join(cells)
            + f" | {percent(week.share)} | {week_state(week)} |"
        )
    out += ["", "## Sessions", ""]
    if not report.sessions:
        out.append("No session of this plan is recorded yet.")
    else:
        out += [
            SESSION_KEY,
            "",
            "| Date | Time | Routine | Min | Outcome | Before | After | Change "
            + ("| Pain | " if pain else "| ")
            + "Gentler | Too much | Note |",
            "| --- | --- | --- | ---: | --- | ---: | ---: | ---: | "
            + ("---: | " if pain else "")
            + "---: | --- | --- |",
        ]
        for s in report.sessions:
            out.append(
                f"| {short_day(s.started.date())} | {s.started:%H:%M} | {md(s.title)} "
                f"| {minutes_text(s.minutes)} "
                f"| {s.outcome} | {rating_text(s.pre)} | {rating_text(s.post)} "
                f"| {change_short(s.pre, s.post)} "
                + (f"| {pain_cell(s.pain_pre, s.pain_post)} " if pain else "")
                + f"| {s.gentler} | {md(discomfort_text(s))} | {md(s.note)} |"
            )
    out += ["", "## The client's notes", ""]
    if not report.notes:
        out.append("No notes.")
    for s in report.notes:
        out.append(f"- {short_day(s.started.date())}, {md(s.title)}: {md(s.note)}")
    out += ["", "_Made with Coach. Self-care, not medical advice._", ""]
    return "\n".join(out)
