"""Therapist plans (format 1): the model and its cross-checks.

A plan names a client, a therapist, a period (`starts`..`ends`, both days included) and
items: a routine (built-in, or one of the plan's own `routines`) with how often to do it,
either `per_week` (any days) or `days` (named weekdays). The published JSON Schema
(`routines/plan.schema.json`) is generated from these models.

Checks that need the whole document (an item naming a routine that exists, included
routines with distinct ids) run after the models accept the file, and are reported with
the same `FILE:LINE:COL: PATH: message` lines. The ids of the built-in routines come from
the caller (`coach.library.builtin_routine_ids`): this module reads no folder. What a plan
asks for on a day, and what was done, is `coach.adherence`.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from coach.plan_plain import ItemSchedule, PlanPeriod
from coach.routine import (
    END,
    ID_PATTERN,
    Area,
    FormatOne,
    LongText,
    Routine,
    ShortText,
    Strict,
    Title,
    routine_models,
    whole,
)
from coach.validation import InvalidDocument, Problem, load_model, parse_document

FORMAT = 1
# A home plan is reviewed within weeks; a year is a generous ceiling that still catches a
# mistyped year ("2062-12-21").
MAX_PLAN_DAYS = 366
MAX_PER_WEEK = 21  # three a day
# Calendar arithmetic (weeks, Mondays) stays far from the ends of Python's dates.
FIRST_DATE = date(2000, 1, 1)
LAST_DATE = date(2199, 12, 31)

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _parse_date(value: Any) -> Any:
    """Only `YYYY-MM-DD` text: pydantic alone would also take a number of seconds."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DATE_TEXT.fullmatch(value):
        shown = json.dumps(value, ensure_ascii=False)
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        raise PydanticCustomError("plan_date", "expected a date as YYYY-MM-DD, got {shown}", {"shown": shown})
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError(
            "plan_date", "{value} is not a date in the calendar", {"value": value}
        ) from None
    if not FIRST_DATE <= day <= LAST_DATE:
        raise PydanticCustomError(
            "plan_date_range",
            "{value} is out of range: a plan's dates are from {first} to {last}",
            {"value": value, "first": FIRST_DATE.isoformat(), "last": LAST_DATE.isoformat()},
        )
    return day


# What JSON Schema can say of a date: its form and years 2000-2199 (the calendar is its
# "format": "date"; a validator may or may not check formats).
DATE_PATTERN = rf"^2[01][0-9]{{2}}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]){END}"
PlanDate = Annotated[date, BeforeValidator(_parse_date), Field(json_schema_extra={"pattern": DATE_PATTERN})]


def _open_to_notes(schema: dict[str, Any]) -> None:
    """What every plan object's schema says beyond its fields: `x-` keys are the author's
    notes, and an optional field has no default (a `null` default would be offered to
    fill in, and `null` is refused: issue 13, no null defaults)."""
    schema["patternProperties"] = {"^x-": {}}
    for prop in schema.get("properties", {}).values():
        if prop.get("default", ...) is None:
            del prop["default"]


# (Model classes have comments, not docstrings: a docstring becomes the schema's description.)
# The therapist who wrote the plan: shown to the client and in the report.
class Therapist(Strict):
    name: Annotated[Title, Field(description="The therapist's name, as the client knows it.")]
    contact: Annotated[
        ShortText | None,
        Field(description="How the client reaches them, e.g. an e-mail address (shown, never used)."),
    ] = None

    model_config = ConfigDict(json_schema_extra=_open_to_notes)


# A pain rating the plan asks for before and after each of its sessions.
class PainRating(Strict):
    area: Annotated[
        Area,
        Field(description="The body area whose pain the client rates, 0 (no pain) to 10 (worst pain "
                          "imaginable), before and after each session of the plan."),
    ]  # fmt: skip

    model_config = ConfigDict(json_schema_extra=_open_to_notes)


def _item_schema_extra(schema: dict[str, Any]) -> None:
    _open_to_notes(schema)
    # Exactly one of per_week and days, said so that a validator's message names the field
    # ("'days' is a required property", "should not be valid under {'required': ['days']}"),
    # where a oneOf of the two only says "not valid under any of the given schemas" (issue 13).
    schema["if"] = {"required": ["per_week"]}
    schema["then"] = {"not": {"required": ["days"]}}
    schema["else"] = {"required": ["days"]}


class PlanItem(Strict, ItemSchedule):
    routine: Annotated[
        str,
        Field(
            pattern=ID_PATTERN,
            description="The routine to do: a built-in routine's id, or the id of one of the plan's "
            "own `routines` (the client sees it as PLAN/ID).",
        ),
    ]
    # Absent rather than null: the schema's oneOf counts a present key.
    per_week: whole(  # type: ignore[valid-type]
        ge=1, le=MAX_PER_WEEK,
        description=f"Sessions a week, on any days (1-{MAX_PER_WEEK}); give this or `days`.",
    ) = None
    days: Annotated[
        list[Weekday],
        Field(
            min_length=1,
            max_length=7,
            json_schema_extra={"uniqueItems": True},
            description="The weekdays to do it on, each once (mon ... sun); give this or `per_week`.",
        ),
    ] = None  # type: ignore[assignment]
    note: Annotated[LongText | None, Field(description="A note for the client about this routine, "
                                                       "e.g. when in the day to do it.")] = None

    model_config = ConfigDict(json_schema_extra=_item_schema_extra)

    @field_validator("days")
    @classmethod
    def _days_once(cls, days: list[str] | None) -> list[str] | None:
        for index, day in enumerate(days or []):
            if day in days[:index]:  # type: ignore[index]
                raise PydanticCustomError("repeated_day", "'{day}' is listed twice", {"day": day})
        return days

    @model_validator(mode="after")
    def _per_week_xor_days(self) -> PlanItem:
        if (self.per_week is None) == (self.days is None):
            raise PydanticCustomError(
                "per_week_xor_days",
                "give exactly one of 'per_week' (sessions a week) or 'days' (e.g. [\"mon\", \"thu\"])",
            )
        return self


def _plan_schema_extra(schema: dict[str, Any]) -> None:
    _open_to_notes(schema)
    schema["description"] = (
        "A therapist's plan. Coach also checks what JSON Schema cannot state: `ends` is not "
        f"before `starts` and the plan lasts at most {MAX_PLAN_DAYS} days; dates are real "
        "calendar days; each item names a built-in routine or one of the plan's own "
        "`routines`, whose ids are distinct and not those of built-in routines; each routine "
        "has one item."
    )


# A therapist's plan file.
class Plan(Strict, PlanPeriod):
    schema_: str | None = Field(default=None, alias="$schema",
                                description="Where an editor finds this schema, e.g. ./plan.schema.json.")
    format: FormatOne
    id: Annotated[str, Field(pattern=ID_PATTERN,
                             description="Lower-case slug: a-z, 0-9 and -, 2-64 characters. Importing "
                                         "a plan with the same id again updates that plan.")]
    client: Annotated[Title, Field(description="The client's name or a pseudonym.")]
    therapist: Annotated[Therapist, Field(description="Who wrote the plan.")]
    starts: Annotated[PlanDate, Field(description="First day, YYYY-MM-DD.")]
    ends: Annotated[PlanDate, Field(description="Last day (included), YYYY-MM-DD.")]
    note: Annotated[LongText | None, Field(description="The therapist's note to the client, shown with "
                                                       "the plan.")] = None
    # Absent, not null, when the plan asks for no pain rating: the schema then points an
    # editor at the object itself instead of "not valid under any of the given schemas".
    pain: Annotated[PainRating, Field(description="Ask for a pain rating of one body area before "
                                                  "and after each of the plan's sessions.")] = None  # type: ignore[assignment]
    routines: Annotated[
        list[Routine],
        Field(max_length=20, description="Routines written for this plan, in the routine format; an item "
                                         "names one by its id."),
    ] = []
    items: Annotated[list[PlanItem], Field(
        min_length=1, max_length=20, description="What to do and how often: one item per routine (1-20)."
    )]

    model_config = ConfigDict(json_schema_extra=_plan_schema_extra)

    @field_validator("ends")
    @classmethod
    def _period(cls, ends: date, info: ValidationInfo) -> date:
        starts = info.data.get("starts")
        if not isinstance(starts, date):
            return ends  # 'starts' has its own error
        if ends < starts:
            raise PydanticCustomError(
                "plan_ends_before_start",
                "the plan ends ({ends}) before it starts ({starts})",
                {"ends": ends.isoformat(), "starts": starts.isoformat()},
            )
        days = (ends - starts).days + 1
        if days > MAX_PLAN_DAYS:
            raise PydanticCustomError(
                "plan_too_long",
                "the plan lasts {days} days; the limit is {limit} days",
                {"days": str(days), "limit": str(MAX_PLAN_DAYS)},
            )
        return ends

    def included(self, routine_id: str) -> Routine | None:
        for routine in self.routines:
            if routine.id == routine_id:
                return routine
        return None


PLAN_MODELS: tuple[type[Strict], ...] = (Plan, PlanItem, Therapist, PainRating)


def _close(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def cross_check(plan: Plan, builtin_ids: frozenset[str]) -> list[tuple[tuple[str | int, ...], str]]:
    """(path, message) for what the models cannot see: references between parts."""
    problems: list[tuple[tuple[str | int, ...], str]] = []
    first_at: dict[str, int] = {}
    for index, routine in enumerate(plan.routines):
        if routine.id in first_at:
            problems.append(
                (
                    ("routines", index, "id"),
                    f"routine id '{routine.id}' is already used by "
                    f"routines[{first_at[routine.id]}]; give each routine its own id",
                )
            )
            continue
        first_at[routine.id] = index
        if routine.id in builtin_ids:
            problems.append(
                (
                    ("routines", index, "id"),
                    f"'{routine.id}' is the id of a built-in routine; give the plan's own routine another id",
                )
            )
    known = builtin_ids | set(first_at)
    item_at: dict[str, int] = {}
    for index, item in enumerate(plan.items):
        if item.routine not in known:
            problems.append(
                (
                    ("items", index, "routine"),
                    f"no routine '{item.routine}': not a built-in routine nor one of "
                    f"this plan's 'routines'{_close(item.routine, known)}",
                )
            )
        elif item.routine in item_at:
            problems.append(
                (
                    ("items", index, "routine"),
                    f"routine '{item.routine}' already has an item (items"
                    f"[{item_at[item.routine]}]); give each routine one item",
                )
            )
        else:
            item_at[item.routine] = index
    return problems


def parse_plan(data: bytes, source: str, builtin_ids: frozenset[str], check_references: bool = True) -> Plan:
    """Bytes of a plan file → Plan, or InvalidDocument with one line per problem.

    `builtin_ids` are the ids of the built-in routines (`coach.library.builtin_routine_ids`),
    which an item may name and the plan's own routines may not reuse.
    `check_references=False` skips the checks against them (for stored plans, checked when
    they were imported)."""
    plan: Plan = load_model(data, source, Plan, "plan", [*PLAN_MODELS, *routine_models()])
    if not check_references:
        return plan
    found = cross_check(plan, builtin_ids)
    if found:
        from coach.jsonsource import format_path, line_col, source_map

        text, _ = parse_document(data, source, "plan")
        smap = source_map(text)
        problems = []
        for path, message in found:
            line, col = line_col(text, smap.values.get(path, 0))
            problems.append(Problem(source, line, col, format_path(path), message))
        raise InvalidDocument(sorted(problems))
    return plan


def read_plan_bytes(path: Path) -> bytes:
    """A plan file's bytes; a missing or unreadable file is a usage error, a huge one invalid."""
    from coach.validation import read_document

    return read_document(path, "plan")


def read_plan_file(path: Path, builtin_ids: frozenset[str]) -> Plan:
    """A plan file → Plan (see `parse_plan`); UsageError if it cannot be read."""
    return parse_plan(read_plan_bytes(path), str(path), builtin_ids)


def plan_json_schema() -> dict[str, Any]:
    schema = Plan.model_json_schema(by_alias=True)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://coach.invalid/plan.schema.json",
        **schema,
    }
    schema["title"] = "Coach therapist plan (format 1)"
    return schema


def starter_plan(plan_id: str, today: date | None = None) -> dict[str, Any]:
    """A valid plan to edit: three weeks from next Monday, one built-in and one own routine."""
    today = date.today() if today is None else today
    starts = today + timedelta(days=7 - today.weekday())  # next Monday
    return {
        "$schema": "./plan.schema.json",
        "format": FORMAT,
        "id": plan_id,
        "client": "Client's name or a pseudonym",
        "therapist": {"name": "Your name", "contact": "you@example.com"},
        "starts": starts.isoformat(),
        "ends": (starts + timedelta(days=20)).isoformat(),
        "note": "Little and often. Stop if anything hurts, tingles or feels numb.",
        "routines": [
            {
                "format": 1,
                "id": f"{plan_id[:50]}-breathing",
                "title": "Two minutes of slow breathing",
                "summary": "A short settle for the end of the day.",
                "areas": ["breath"],
                "cautions": ["Breathe gently; stop and breathe normally if you feel dizzy."],
                "steps": [
                    {
                        "type": "breathing",
                        "title": "Slow breaths",
                        "pattern": "coherent",
                        "instruction": "Sit supported and breathe through your nose.",
                        "cycles": 12,
                    },
                ],
            }
        ],
        "items": [
            {"routine": "neck-and-shoulders", "per_week": 5, "note": "After lunch is a good time."},
            {"routine": f"{plan_id[:50]}-breathing", "days": ["mon", "wed", "fri"], "note": "Before bed."},
        ],
    }
