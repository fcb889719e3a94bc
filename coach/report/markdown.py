"""The report as Markdown: headings, lists and tables, text shown as written."""

from __future__ import annotations

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
from coach.text import day_text, markdown_text, short_day


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
        f"- **Therapist:** {md(therapist_text(plan))}",
        f"- **Period:** {period_text(plan)}; {status_text(report)}",
        f"- **Report made:** {day_text(report.today)}, counting sessions up to that day",
    ]
    if plan.note:
        out.append(f"- **Therapist's note:** {md(plan.note)}")
    out += [
        "",
        "## Summary",
        "",
        f"- **Adherence:** {adherence_line(report)}.",
        f"- **Sessions:** {outcomes_line(report)}.",
        f"- **Stress (0-10):** {change_line(report)}.",
        "",
        "## Items",
        "",
        "| Routine | How often | Done | Due so far | Adherence | Note for the client |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    for item, total in zip(plan.items, a.items, strict=True):
        out.append(
            f"| {md(report.title_of(item.routine))} ({md(item.routine)}) | {item.schedule_text} "
            f"| {total.done} | {total.expected} | {percent(total.share)} | {md(item.note or '')} |"
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
            "| Date | Time | Routine | Min | Outcome | Before | After | Change | Gentler | Note |",
            "| --- | --- | --- | ---: | --- | ---: | ---: | ---: | ---: | --- |",
        ]
        for s in report.sessions:
            out.append(
                f"| {short_day(s.started.date())} | {s.started:%H:%M} | {md(s.title)} "
                f"| {minutes_text(s.minutes)} "
                f"| {s.outcome} | {rating_text(s.pre)} | {rating_text(s.post)} "
                f"| {change_short(s.pre, s.post)} | {s.gentler} | {md(s.note)} |"
            )
    out += ["", "## The client's notes", ""]
    if not report.notes:
        out.append("No notes.")
    for s in report.notes:
        out.append(f"- {short_day(s.started.date())}, {md(s.title)}: {md(s.note)}")
    out += ["", "_Made with Coach. Self-care, not medical advice._", ""]
    return "\n".join(out)
