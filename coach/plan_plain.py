"""A stored plan as plain data, for `coach plan report` and `coach plan handout` without
pydantic (issue 12 item 4: only `validate`, `new` and `plan import` may load it).

A stored plan's bytes are validated once with the models (`coach.plan.parse_plan`, its
references not checked again, as `coach.plan_store.read_stored`), and what the report and
the handout read of the model is kept in the validation cache (`plain_plan_json`, kind
"report-plan" of `coach.library.ValidationCache`, keyed on the bytes' sha256). A warm run
rebuilds a `PlainPlan` from that JSON (`coach.plan_plain_store.load_plain_plan`): the same
attribute names and values as `coach.plan.Plan`, so the report's output is byte for byte
what the model gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from coach.vocabulary import WEEKDAYS

if TYPE_CHECKING:
    from coach.plan import Plan


class ItemSchedule:
    """How often an item asks for its routine, in words; shared by `coach.plan.PlanItem` and
    `PlainItem` (both have `days`: weekday codes or None, and `per_week`: int or None)."""

    @property
    def schedule_text(self) -> str:
        """ "5 times a week" or "Mon, Wed, Fri"."""
        if self.days is not None:
            ordered = [d for d in WEEKDAYS if d in self.days]
            if len(ordered) == 7:
                return "every day"
            return ", ".join(d.capitalize() for d in ordered)
        if self.per_week == 7:
            return "once a day"
        return "once a week" if self.per_week == 1 else f"{self.per_week} times a week"


class PlanPeriod:
    """A plan's period (both days included); shared by `coach.plan.Plan` and `PlainPlan`."""

    @property
    def length_days(self) -> int:
        """Days in the period, both ends included."""
        return (self.ends - self.starts).days + 1

    def is_active(self, day: date) -> bool:
        """The plan runs on `day`."""
        return self.starts <= day <= self.ends

    def status(self, day: date) -> str:
        """ "upcoming", "active" or "ended" on that day."""
        if day < self.starts:
            return "upcoming"
        return "active" if day <= self.ends else "ended"


@dataclass(frozen=True)
class PlainTherapist:
    """`coach.plan.Therapist`: name, and contact or None."""

    name: str
    contact: str | None


@dataclass(frozen=True)
class PlainDump:
    """A sub-model (the pain rating, an own routine) kept as its `model_dump(mode="json")`,
    which is all `coach.plan_versions.plan_changes` compares; `area` / `id` / `title` are
    the fields the report reads."""

    dump: dict[str, Any]

    def model_dump(self, mode: str = "json") -> dict[str, Any]:
        """The model's JSON dump, as remembered (`mode` is accepted for the model's call)."""
        return self.dump

    @property
    def id(self) -> str:
        return str(self.dump["id"])

    @property
    def title(self) -> str:
        return str(self.dump["title"])

    @property
    def area(self) -> str:
        return str(self.dump["area"])


@dataclass(frozen=True)
class PlainItem(ItemSchedule):
    """`coach.plan.PlanItem`: routine id, per_week (sessions a week) xor days (weekday
    codes as listed), and the item's note."""

    routine: str
    per_week: int | None
    days: list[str] | None
    note: str | None


@dataclass(frozen=True)
class PlainPlan(PlanPeriod):
    """The fields of `coach.plan.Plan` that the report and the handout read; dates are
    `date`s, the period includes both days."""

    id: str
    client: str
    therapist: PlainTherapist
    starts: date
    ends: date
    note: str | None
    pain: PlainDump | None
    routines: list[PlainDump]
    items: list[PlainItem]


_KEYS = {"id", "client", "therapist", "starts", "ends", "note", "pain", "routines", "items"}


def plain_plan_json(plan: Plan) -> dict[str, Any]:
    """The JSON kept in the cache for a validated plan (see `plain_plan_from_json`)."""
    return {
        "id": plan.id,
        "client": plan.client,
        "therapist": {"name": plan.therapist.name, "contact": plan.therapist.contact},
        "starts": plan.starts.isoformat(),
        "ends": plan.ends.isoformat(),
        "note": plan.note,
        "pain": None if plan.pain is None else plan.pain.model_dump(mode="json"),
        "routines": [r.model_dump(mode="json") for r in plan.routines],
        "items": [
            {"routine": i.routine, "per_week": i.per_week, "days": i.days, "note": i.note}
            for i in plan.items
        ],
    }


def _text_or_none(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _day_ok(value: Any) -> bool:
    try:
        return isinstance(value, str) and date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def _item_ok(i: Any) -> bool:
    if not isinstance(i, dict) or set(i) != {"routine", "per_week", "days", "note"}:
        return False
    days = i["days"]
    return (isinstance(i["routine"], str) and _text_or_none(i["note"])
            and ((type(i["per_week"]) is int and days is None)
                 or (i["per_week"] is None and isinstance(days, list) and bool(days)
                     and all(d in WEEKDAYS for d in days))))  # fmt: skip


def plain_plan_ok(info: Any) -> bool:
    """A remembered `plain_plan_json` with every field of the right type (a cache file
    someone else wrote is validated again rather than trusted)."""
    if not isinstance(info, dict) or set(info) != _KEYS:
        return False
    therapist, pain, routines = info["therapist"], info["pain"], info["routines"]
    return (isinstance(info["id"], str) and isinstance(info["client"], str)
            and isinstance(therapist, dict) and set(therapist) == {"name", "contact"}
            and isinstance(therapist["name"], str) and _text_or_none(therapist["contact"])
            and _day_ok(info["starts"]) and _day_ok(info["ends"]) and _text_or_none(info["note"])
            and (pain is None or (isinstance(pain, dict) and isinstance(pain.get("area"), str)))
            and isinstance(routines, list)
            and all(isinstance(r, dict) and isinstance(r.get("id"), str) and isinstance(r.get("title"), str)
                    for r in routines)
            and isinstance(info["items"], list) and bool(info["items"])
            and all(_item_ok(i) for i in info["items"]))  # fmt: skip


def plain_plan_from_json(info: dict[str, Any]) -> PlainPlan:
    """A PlainPlan from a checked `plain_plan_json` dict (`plain_plan_ok`)."""
    therapist = info["therapist"]
    return PlainPlan(
        id=info["id"],
        client=info["client"],
        therapist=PlainTherapist(therapist["name"], therapist["contact"]),
        starts=date.fromisoformat(info["starts"]),
        ends=date.fromisoformat(info["ends"]),
        note=info["note"],
        pain=None if info["pain"] is None else PlainDump(info["pain"]),
        routines=[PlainDump(r) for r in info["routines"]],
        items=[
            PlainItem(i["routine"], i["per_week"], None if i["days"] is None else list(i["days"]), i["note"])
            for i in info["items"]
        ],
    )
