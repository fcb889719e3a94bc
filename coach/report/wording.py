"""The sentences and cells every report format shares (each renderer escapes them for its
own format)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from coach.adherence import WeekAdherence, plan_weeks
from coach.rating import REFERENCE_NOTE
from coach.text import day_text, short_day

if TYPE_CHECKING:
    from coach.plan import Plan
    from coach.report.model import PlanReport, SessionRow


def percent(share: float | None) -> str:
    """A share 0-1 as a whole percentage ("83 %"), or "–" when there is none."""
    return "–" if share is None else f"{share * 100:.0f} %"


def signed(value: float | None, digits: int = 0) -> str:
    """A change with its sign ("+2", "-1.5"), "0" for zero, "" when there is none."""
    if value is None:
        return ""
    text = f"{value:+.{digits}f}"
    return "0" if text.strip("+-0.") == "" else text


def rating_text(value: int | None) -> str:
    """A 0-10 rating as a cell, "" when the session has none."""
    return "" if value is None else str(value)


def minutes_text(value: float) -> str:
    """Minutes to one decimal ("4.5"), for a table cell."""
    return f"{value:.1f}"


def week_days(week: WeekAdherence) -> str:
    """The plan's days of a week: "Mon 30 Nov – Sun 6 Dec", marked "(part week)" at its ends."""
    span = (
        short_day(week.first)
        if week.first == week.last
        else (f"{short_day(week.first)} – {short_day(week.last)}")
    )
    return span + (" (part week)" if week.partial else "")


def week_state(week: WeekAdherence) -> str:
    """ "over", "to come", or "in progress, N due so far"."""
    if week.state == "future":
        return "to come"
    if week.state == "current":
        return f"in progress, {week.expected} due so far"
    return "over"


def period_text(report: PlanReport) -> str:
    """The plan's dates, length in days and the calendar weeks it touches. When a later
    version changed the dates, the weekly table also covers days of earlier versions (each
    day counts by the version in force on it), so the line says both: the current version's
    dates, and the span the table covers (issue 13: it must not contradict the table)."""
    plan = report.plan
    weeks = report.adherence.weeks
    count = len(plan_weeks(plan))
    base = (f"{day_text(plan.starts)} to {day_text(plan.ends)} ({plan.length_days} days, "
            f"touching {count} calendar week{'s' if count != 1 else ''})")  # fmt: skip
    if not weeks or (weeks[0].first, weeks[-1].last) == (plan.starts, plan.ends) or not report.versions:
        return base
    current = report.versions[-1]
    shown = len(weeks)
    return (
        f"from version {current.number} (in force from {day_text(report.in_force_from(current))}): "
        f"{day_text(plan.starts)} to {day_text(plan.ends)} ({plan.length_days} days); the weekly table "
        f"covers {day_text(weeks[0].first)} to {day_text(weeks[-1].last)}, each day by the version in "
        f"force on it ({shown} calendar week{'s' if shown != 1 else ''} with plan days)"
    )


def therapist_text(plan: Plan) -> str:
    """The therapist's name, with the contact in brackets when there is one."""
    t = plan.therapist
    return f"{t.name} ({t.contact})" if t.contact else t.name


def adherence_line(report: PlanReport) -> str:
    """Adherence so far in one sentence: sessions credited of those due, and all completed."""
    a = report.adherence
    if a.expected == 0:
        base = "nothing was due yet"
    else:
        base = f"{a.credited} of {a.expected} sessions due so far were done ({percent(a.share)})"
    return f"{base}; {a.done} completed session{'s' if a.done != 1 else ''} in the plan's period in all"


def points(value: float) -> str:
    """A median or quartile of whole-point changes (a multiple of 0.25), exactly: +1.5, -2.25, 0."""
    text = f"{abs(round(value, 2)):g}"
    return ("-" if value < 0 else "+" if value > 0 else "") + text


def outcomes_line(report: PlanReport) -> str:
    """How the plan's sessions in its period ended (plan days up to the report's day, the
    sessions adherence counts from): "5 completed, 1 partly done, 1 stopped in the plan's
    period", then what is left out of the figures: completed sessions of a routine that is
    none of the plan's items, and sessions outside the period (both listed in the sessions
    table). Its "completed" agrees with `adherence_line`'s."""
    inside = report.in_period
    found = [s.outcome for s in inside]
    text = ", ".join(f"{found.count(o)} {o}" for o in ("completed", "partly done", "stopped"))
    text += " in the plan's period"
    other = found.count("completed") - report.adherence.done
    if other > 0:
        text += (f" ({other} completed session{'s' if other != 1 else ''} of a routine that is "
                 "none of the plan's items, not counted)")  # fmt: skip
    outside = len(report.sessions) - len(inside)
    if outside:
        text += (f"; {outside} more session{'s' if outside != 1 else ''} outside it (listed under "
                 "Sessions, not counted)")  # fmt: skip
    return text


def change_line(report: PlanReport) -> str:
    """The change in stress over rated completed sessions in one sentence: median, interquartile
    range and responders, with the thresholds' source (`coach.rating.REFERENCE_NOTE`)."""
    rated = len(report.rated_completed)
    spread = report.change_spread
    if rated == 0 or spread is None:
        return "no completed session has both a before and an after rating yet"
    q1, mid, q3 = spread
    return (
        f"median change {points(mid)} points (interquartile range {points(q1)} to {points(q3)}) "
        f"over {rated} completed session{'s' if rated != 1 else ''} with both ratings (after minus "
        f"before; negative is calmer); a noticeable or large drop (at least 2 points and 30 % of the "
        f"rating before) in {report.responders} of {rated} ({percent(report.responder_rate)}); "
        f"{REFERENCE_NOTE}"
    )


# The key under every sessions table.
SESSION_KEY = (
    "Min: minutes of the routine actually practised. Outcome: completed (reached the end with at "
    "least 80 % of the planned time practised), partly done (reached the end with less) or stopped "
    "(ended early); only completed sessions count towards adherence and the change figures. "
    "Before and after: stress 0-10. Gentler: times the gentler version of a step was chosen."
)


def status_text(report: PlanReport) -> str:
    """The plan on the report's day: "not started yet", "running" or "ended"."""
    state = report.plan.status(report.today)
    return {"upcoming": "not started yet", "active": "running", "ended": "ended"}[state]


def when_text(started: datetime) -> str:
    """A session's day and time for a list: "Sat 28 Nov 12:00"."""
    return f"{short_day(started.date())} {started:%H:%M}"


def pain_line(report: PlanReport) -> str:
    """The pain rating in one sentence: the median change over completed sessions with both
    ratings, and how many sessions ended with more pain than they began."""
    from coach.vocabulary import area_words

    area = area_words(report.pain_area) if report.pain_area else "pain"
    rated = report.pain_rated
    rose = len(report.pain_rose)
    rose_text = (f"pain rose noticeably (at least 2 points and 30 % of the pain before) during {rose} "
                 f"session{'s' if rose != 1 else ''}")  # fmt: skip
    if not rated or report.pain_median is None:
        return f"{area}: no completed session has both a before and an after pain rating yet; {rose_text}"
    return (
        f"{area}: median change {points(report.pain_median)} points over {len(rated)} completed "
        f"session{'s' if len(rated) != 1 else ''} with both ratings (after minus before; negative "
        f"is less pain); {rose_text}"
    )


def version_lines(report: PlanReport) -> list[str]:
    """The plan's versions and every change, plain: "Version 2, in force from Mon 7 Dec
    2026 (imported 2026-12-07T09:00:00+01:00)" followed by its changes ("from Mon 7 Dec:
    neck-and-shoulders 4 → 5 a week"); one line when the plan never changed."""
    if len(report.versions) <= 1:
        return ["One version: the plan has not changed since it was imported."]
    changes = report.changes
    out = []
    for version in report.versions:
        if version is report.versions[0]:  # from the plan's start, whenever it was imported
            out.append(f"Version {version.number}, in force from {day_text(report.in_force_from(version))} "
                       f"(the plan's start; first imported on {day_text(version.effective)})")  # fmt: skip
            continue
        out.append(f"Version {version.number}, in force from {day_text(report.in_force_from(version))}")
        out += [f"  {c.description}" for c in changes if c.version == version.number]
    return out


def pain_cell(pre: int | None, post: int | None) -> str:
    """Pain before → after as one cell ("3 → 5"), "" when neither was given."""
    if pre is None and post is None:
        return ""
    return f"{rating_text(pre) or '–'} → {rating_text(post) or '–'}"


def discomfort_text(session: SessionRow) -> str:
    """The "too much" presses of a session in short ("step 2: gentler; step 4: end"), "" for none."""
    return "; ".join(f"step {p.get('step')}: {p.get('choice') or 'no choice'}" for p in session.discomfort)
