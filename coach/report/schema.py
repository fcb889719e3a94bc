"""The documented shape of `coach plan report --format json` (JSON Schema draft 2020-12).

The same schema is committed as docs/report.schema.json for a therapist's own tools; a test
keeps the file equal to `REPORT_SCHEMA` and validates reports against it. Report format 1:
later versions only add fields (readers ignore what they do not know).
"""

from __future__ import annotations

from typing import Any

from coach.report.attention import SHOWN

REPORT_FORMAT = 1

_DAY = {"type": "string", "format": "date", "description": "A calendar day, YYYY-MM-DD."}
_MOMENT = {"type": "string", "format": "date-time",
           "description": "A local time with its UTC offset, e.g. 2026-11-26T09:12:03+01:00."}  # fmt: skip
_COUNT = {"type": "integer", "minimum": 0}
_RATING = {"type": ["integer", "null"], "minimum": 0, "maximum": 10,
           "description": "A 0-10 rating, null when skipped or not asked."}  # fmt: skip
_SHARE = {"type": ["number", "null"], "minimum": 0, "maximum": 1,
          "description": "A share 0-1 (credited over due so far), null while nothing was due."}  # fmt: skip
_TEXT = {"type": "string"}
_TEXT_OR_NULL = {"type": ["string", "null"]}


def _object(properties: dict[str, Any], description: str) -> dict[str, Any]:
    """A closed object whose every property is required (null stands for "none")."""
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


_CHANGE = _object(
    {
        "day": {**_DAY, "description": "The day the change is in force from."},
        "kind": {
            "type": "string",
            "description": "item added, item removed, per_week, days, schedule, "
            "item note, dates, note, client, therapist, own routine or pain.",
        },
        "routine": {**_TEXT_OR_NULL, "description": "The item's routine id; null for the plan's own fields."},
        "before": _TEXT,
        "after": _TEXT,
        "description": {**_TEXT, "description": 'One plain line: "from Mon 7 Dec: neck 4 → 5 a week".'},
    },
    "One change a version made to the one before.",
)
_VERSION = _object(
    {
        "number": {"type": "integer", "minimum": 1},
        "effective": {**_DAY, "description": "The first day this version is in force."},
        "imported_at": {**_TEXT, "description": "When it was imported (local time with offset)."},
        "changes": {
            "type": "array",
            "items": _CHANGE,
            "description": "Changes from the version before (empty for version 1).",
        },
    },
    "A stored version of the plan; each day counts by the version in force on it.",
)
_ITEM_WEEK = _object(
    {
        "routine": _TEXT,
        "prescribed": {**_COUNT, "description": "The week's prescription within the plan's dates."},
        "due_so_far": {**_COUNT, "description": "Sessions due by the report's day."},
        "done": {
            **_COUNT,
            "description": "Completed sessions that week up to the report's day, extra included.",
        },
        "credited": {**_COUNT, "description": "min(done, due_so_far): what counts towards adherence."},
    },
    "One item's cell in one week.",
)
_WEEK = _object(
    {
        "week_of": {**_DAY, "description": "The Monday of the week."},
        "first_day": {**_DAY, "description": "The plan's first day in this week."},
        "last_day": {**_DAY, "description": "The plan's last day in this week."},
        "state": {"enum": ["past", "current", "future"]},
        "versions": {
            "type": "array",
            "items": {"type": "integer", "minimum": 1},
            "description": "The version numbers in force on the week's plan days.",
        },
        "due_so_far": _COUNT,
        "credited": _COUNT,
        "share": _SHARE,
        "items": {"type": "array", "items": _ITEM_WEEK},
    },
    "A calendar week (Monday to Sunday) of the plan: its cells add up to its share.",
)
_ITEM = _object(
    {
        "routine": _TEXT,
        "title": _TEXT,
        "schedule": {**_TEXT, "description": '"5 times a week" or "Mon, Thu".'},
        "prescribed": _COUNT,
        "due_so_far": _COUNT,
        "credited": _COUNT,
        "done": {**_COUNT, "description": "Completed sessions in all, extra ones included."},
        "share": _SHARE,
        "note": _TEXT,
    },
    "An item of any version, with its totals so far.",
)
_DISCOMFORT = {
    "type": "object",
    "description": 'A "too much" press: the step (1-based) and its title, seconds into the session, '
    "and what was chosen (null: nothing).",
    "properties": {
        "step": {"type": "integer", "minimum": 1},
        "title": _TEXT,
        "at": {"type": "number", "minimum": 0},
        "choice": {"enum": ["gentler", "lighter", "skip", "end", None]},
    },
    "required": ["step", "title", "at", "choice"],
}
_SESSION = _object(
    {
        "started_at": _MOMENT,
        "routine": _TEXT,
        "title": _TEXT,
        "minutes": {"type": "number", "minimum": 0, "description": "Minutes practised."},
        "completed": {"type": "boolean"},
        "outcome": {"enum": ["completed", "partly done", "stopped"]},
        "steps_done": {"type": ["integer", "null"], "minimum": 0},
        "steps_total": {"type": ["integer", "null"], "minimum": 0},
        "pre": _RATING,
        "post": _RATING,
        "change": {"type": ["integer", "null"], "description": "post - pre, null without both."},
        "change_meaning": {**_TEXT_OR_NULL, "description": '"a noticeable drop" and the like.'},
        "pain_area": _TEXT_OR_NULL,
        "pain_pre": _RATING,
        "pain_post": _RATING,
        "gentler": _COUNT,
        "discomfort": {"type": "array", "items": _DISCOMFORT},
        "note": _TEXT,
    },
    "A session of the plan, oldest first.",
)
_ATTENTION = _object(
    {
        "started_at": _MOMENT,
        "routine": _TEXT,
        "title": _TEXT,
        "flags": {
            "type": "array",
            "minItems": 1,
            "items": _object(
                {
                    "kind": {
                        "enum": [
                            "note names a warning sign",
                            "pain rose",
                            "too much",
                            "stopped",
                            "partly done",
                            "note",
                        ]
                    },
                    "text": _TEXT,
                },
                "One reason the session is listed.",
            ),
        },
        "matched_words": {
            "type": "array",
            "items": _TEXT,
            "description": "What the note says that names a warning sign, as written: a word of the "
            "therapist's note or of a routine's stop-if line, or one of Coach's red flags (\"chest pain\").",
        },
    },
    "A session that needs the therapist's attention, most important first.",
)

REPORT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://coach.invalid/report.schema.json",
    "title": "Coach plan report",
    **_object(
        {
            "format": {"const": REPORT_FORMAT, "description": "The report format: 1."},
            "plan": {**_TEXT, "description": "The plan's id."},
            "client": _TEXT,
            "therapist": _object({"name": _TEXT, "contact": _TEXT_OR_NULL}, "Who wrote the plan."),
            "starts": _DAY,
            "ends": _DAY,
            "note": {**_TEXT_OR_NULL, "description": "The therapist's note of the current version."},
            "report_date": {**_DAY, "description": "Sessions are counted up to the end of this day."},
            "versions": {"type": "array", "items": _VERSION, "description": "Every version, oldest first."},
            "attention": {
                "type": "array",
                "items": _ATTENTION,
                "description": "Every flagged session, most important first (the Markdown and HTML "
                f"reports show the first {SHOWN}, then how many more).",
            },
            "adherence": _object(
                {
                    "sessions_due_so_far": _COUNT,
                    "sessions_done_of_due": {**_COUNT, "description": "Credited sessions."},
                    "completed_sessions": {**_COUNT, "description": "Completed sessions, extra included."},
                    "share": _SHARE,
                },
                "Adherence so far over the whole plan.",
            ),
            "change": _object(
                {
                    "rated_completed_sessions": _COUNT,
                    "median": {"type": ["number", "null"]},
                    "q1": {"type": ["number", "null"]},
                    "q3": {"type": ["number", "null"]},
                    "responders": _COUNT,
                    "responder_rate": _SHARE,
                    "thresholds": _TEXT,
                },
                "The change in stress (post - pre) over completed sessions with both ratings.",
            ),
            "pain": {
                "oneOf": [
                    {"type": "null"},
                    _object(
                        {
                            "area": _TEXT,
                            "rated_completed_sessions": _COUNT,
                            "median_change": {"type": ["number", "null"]},
                            "sessions_pain_rose": {
                                **_COUNT,
                                "description": "Sessions whose pain rose noticeably: at least +2 "
                                "points and, from a pain above 0, at least 30 % of the pain before.",
                            },
                        },
                        "The pain rating the plan asks for.",
                    ),
                ],
                "description": "null when the plan asks for no pain rating.",
            },
            "items": {"type": "array", "items": _ITEM},
            "weeks": {"type": "array", "items": _WEEK},
            "sessions": {"type": "array", "items": _SESSION},
        },
        "A plan's report: adherence per week and item, sessions with ratings, pain, discomfort and notes.",
    ),
}


if __name__ == "__main__":  # python -m coach.report.schema > docs/report.schema.json
    import json

    print(json.dumps(REPORT_SCHEMA, indent=2, ensure_ascii=False))
