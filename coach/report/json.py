"""The report as JSON: the same figures, for scripts."""

from __future__ import annotations

from coach.rating import REFERENCE_NOTE
from coach.report.model import PlanReport
from coach.text import json_visible

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
    # json_visible: a C1 control, a bidi override or a line separator in a note or title is
    # written as a \\u escape (the same JSON value), never raw to a terminal or a file.
    return json_visible(json.dumps(obj, indent=2, ensure_ascii=False)) + "\n"
