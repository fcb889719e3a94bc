"""The report as JSON: the same figures, for scripts."""

from __future__ import annotations

from coach.rating import REFERENCE_NOTE
from coach.report.model import PlanReport
from coach.report.schema import REPORT_FORMAT
from coach.text import json_visible

# --- JSON -------------------------------------------------------------------------------------


def to_json(report: PlanReport) -> str:
    """The report's figures and sessions as one JSON object (UTF-8 text, indented), for
    scripts: the shape is `coach.report.schema.REPORT_SCHEMA` (docs/report.schema.json).
    Text is data here, so nothing is escaped beyond JSON's own rules and `json_visible`."""
    import json

    plan, a = report.plan, report.adherence
    spread = report.change_spread
    changes = report.changes
    pain_area = report.pain_area
    obj = {
        "format": REPORT_FORMAT,
        "plan": plan.id,
        "client": plan.client,
        "therapist": {"name": plan.therapist.name, "contact": plan.therapist.contact},
        "starts": plan.starts.isoformat(),
        "ends": plan.ends.isoformat(),
        "note": plan.note,
        "report_date": report.today.isoformat(),
        "versions": [
            {
                "number": v.number,
                "effective": report.in_force_from(v).isoformat(),  # version 1: the plan's start
                "imported_at": v.imported_at,
                "changes": [
                    {
                        "day": c.day.isoformat(),
                        "kind": c.kind,
                        "routine": c.routine,
                        "before": c.before,
                        "after": c.after,
                        "description": c.description,
                    }
                    for c in changes
                    if c.version == v.number
                ],
            }
            for v in report.versions
        ],
        "attention": [
            {
                "started_at": e.session.started.isoformat(),
                "routine": e.session.routine,
                "title": e.session.title,
                "flags": [{"kind": f.kind, "text": f.text} for f in e.flags],
                "matched_words": list(e.matched),
            }
            for e in report.attention
        ],
        "adherence": {
            "sessions_due_so_far": a.expected,
            "sessions_done_of_due": a.credited,
            "completed_sessions": a.done,
            "share": _share(a.share),
        },
        "change": {
            "rated_completed_sessions": len(report.rated_completed),
            "median": None if spread is None else spread[1],
            "q1": None if spread is None else spread[0],
            "q3": None if spread is None else spread[2],
            "responders": report.responders,
            "responder_rate": _share(report.responder_rate),
            "thresholds": REFERENCE_NOTE,
        },
        "pain": None
        if pain_area is None
        else {
            "area": pain_area,
            "rated_completed_sessions": len(report.pain_rated),
            "median_change": report.pain_median,
            "sessions_pain_rose": len(report.pain_rose),
        },
        "items": [
            {
                "routine": item.routine,
                "title": report.title_of(item.routine),
                "schedule": item.schedule_text,
                "prescribed": total.target,
                "due_so_far": total.expected,
                "credited": total.credited,
                "done": total.done,
                "share": _share(total.share),
                "note": item.note or "",
            }
            for item, total in report.item_totals
        ],
        "weeks": [
            {
                "week_of": week.monday.isoformat(),
                "first_day": week.first.isoformat(),
                "last_day": week.last.isoformat(),
                "state": week.state,
                "versions": list(week.versions),
                "due_so_far": week.expected,
                "credited": week.credited,
                "share": _share(week.share),
                "items": [
                    {
                        "routine": i.routine,
                        "prescribed": i.target,
                        "due_so_far": i.expected,
                        "done": i.done,
                        "credited": i.credited,
                    }
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
                "steps_done": s.steps_done,
                "steps_total": s.steps_total,
                "pre": s.pre,
                "post": s.post,
                "change": s.change,
                "change_meaning": s.meaning or None,
                "pain_area": s.pain_area,
                "pain_pre": s.pain_pre,
                "pain_post": s.pain_post,
                "gentler": s.gentler,
                "discomfort": [dict(p) for p in s.discomfort],
                "note": s.note,
            }
            for s in report.sessions
        ],
    }
    # json_visible: a C1 control, a bidi override or a line separator in a note or title is
    # written as a \\u escape (the same JSON value), never raw to a terminal or a file.
    return json_visible(json.dumps(obj, indent=2, ensure_ascii=False)) + "\n"


def _share(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
