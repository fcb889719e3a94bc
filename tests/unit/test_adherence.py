"""Adherence: a plan that starts on a Thursday and runs across a month end, with sessions
recorded on chosen dates (time-machine sets the clock the records are stamped with)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from coach.adherence import adherence, completed_dates, plan_weeks, prescribed
from coach.plan import PlanItem
from coach.records import SessionRecord, record_from_json
from tests.helpers.plans import PARIS, PLAN_ID, recorded_on, session, the_plan


def test_weeks_start_on_monday_and_part_weeks_are_cut_to_the_plan() -> None:
    weeks = plan_weeks(the_plan())
    assert weeks == [
        (date(2026, 11, 23), date(2026, 11, 26), date(2026, 11, 29)),  # Thu-Sun: 4 days
        (date(2026, 11, 30), date(2026, 11, 30), date(2026, 12, 6)),  # across the month end
        (date(2026, 12, 7), date(2026, 12, 7), date(2026, 12, 13)),
        (date(2026, 12, 14), date(2026, 12, 14), date(2026, 12, 16)),  # Mon-Wed: 3 days
    ]


def test_prescription_is_pro_rated_per_week() -> None:
    a = adherence(the_plan(), [], today=date(2027, 1, 1))
    # 5 a week: 5 x 4/7 = 2.9 -> 3, then 5, 5, and 5 x 3/7 = 2.1 -> 2 (15 = 5 x 21/7 in all)
    assert [w.items[0].target for w in a.weeks] == [3, 5, 5, 2]
    # Mondays and Thursdays: Thu 26; Mon 30, Thu 3; Mon 7, Thu 10; Mon 14
    assert [w.items[1].target for w in a.weeks] == [1, 2, 2, 1]
    assert a.target == 21 and a.expected == 21 and a.credited == 0 and a.share == 0.0
    assert [w.partial for w in a.weeks] == [True, False, False, True]


@pytest.mark.parametrize(
    ("per_week", "days", "expected"),
    [
        (1, 1, 0),
        (1, 4, 1),
        (2, 1, 0),
        (2, 2, 1),
        (3, 7, 3),
        (21, 1, 3),
        (21, 7, 21),
        (7, 3, 3),
        (4, 3, 2),
    ],
)
def test_per_week_rounding(per_week: int, days: int, expected: int) -> None:
    item = PlanItem(routine="ab", per_week=per_week)
    first = date(2026, 11, 30)
    assert prescribed(item, first, first + timedelta(days=days - 1)) == expected


def test_days_items_count_their_weekdays() -> None:
    item = PlanItem(routine="ab", days=["mon", "wed", "sun"])
    assert prescribed(item, date(2026, 11, 30), date(2026, 12, 6)) == 3
    assert prescribed(item, date(2026, 12, 1), date(2026, 12, 5)) == 1  # Tue..Sat: Wed only
    assert prescribed(item, date(2026, 12, 2), date(2026, 12, 1)) == 0


def history() -> list[SessionRecord]:
    n, k = "neck-and-shoulders", "kim-breathing"
    d = date
    return [
        recorded_on(d(2026, 11, 25), 9, n),  # the day before the plan: does not count
        recorded_on(d(2026, 11, 26), 12, n, pre=6, post=3),
        recorded_on(d(2026, 11, 26), 21, k, pre=5, post=4),
        recorded_on(d(2026, 11, 28), 12, n),
        recorded_on(d(2026, 11, 29), 12, n),
        recorded_on(d(2026, 11, 29), 18, n),  # a fourth in a week that asks for 3: no credit
        recorded_on(d(2026, 11, 30), 12, n),  # Monday, new week, November
        recorded_on(d(2026, 12, 1), 12, n),  # Tuesday, December
        recorded_on(d(2026, 12, 1), 21, k),  # a Monday/Thursday item done on Tuesday: counts
        recorded_on(d(2026, 12, 2), 12, n, completed=False),  # stopped early: does not count
        recorded_on(d(2026, 12, 2), 13, n, plan=None),  # not started from the plan
        recorded_on(d(2026, 12, 2), 14, n, plan="other-plan"),
        recorded_on(d(2026, 12, 8), 12, n),  # after "today" in the first test: not seen as of then
    ]


def test_adherence_mid_plan() -> None:
    a = adherence(the_plan(), history(), today=date(2026, 12, 3))  # a Thursday
    w1, w2, w3, _ = a.weeks
    assert [w.state for w in a.weeks] == ["past", "current", "future", "future"]
    n1, k1 = w1.items
    assert (n1.target, n1.expected, n1.done, n1.credited) == (3, 3, 4, 3)
    assert (k1.target, k1.expected, k1.done, k1.credited) == (1, 1, 1, 1)
    n2, k2 = w2.items
    # Up to yesterday (Mon-Wed): 5 x 3/7 -> 2 due; 2 done (Mon, Tue; Wednesday's stopped early).
    assert (n2.target, n2.expected, n2.done) == (5, 2, 2)
    # Monday was due; Tuesday's session covers it.
    assert (k2.target, k2.expected, k2.done) == (2, 1, 1)
    assert w3.items[0].done == 0 and w3.expected == 0  # as of Thursday, 8 Dec is not yet
    assert a.expected == 7 and a.credited == 7 and a.share == 1.0
    assert a.done == 8  # every completed session in the period up to today, extra ones too
    assert [(t.routine, t.expected, t.done, t.credited) for t in a.items] == [
        ("neck-and-shoulders", 5, 6, 5),
        ("kim-breathing", 2, 2, 2),
    ]  # Dec 8 is after today: not seen
    assert a.week_of(date(2026, 12, 5)) is w2 and a.week_of(date(2026, 11, 24)) is None


def test_current_week_expects_no_less_than_what_is_done() -> None:
    plan = the_plan()
    records = [recorded_on(date(2026, 11, 30), h, "neck-and-shoulders") for h in (8, 12, 18)]
    week = adherence(plan, records, today=date(2026, 11, 30)).weeks[1]
    # On Monday nothing was due before today, but three done earn three, not "3 of 0".
    assert (week.items[0].expected, week.items[0].credited, week.share) == (3, 3, 1.0)
    behind = adherence(plan, [], today=date(2026, 12, 4)).weeks[1]
    assert behind.items[0].expected == 3 and behind.share == 0.0  # Mon-Thu: 5 x 4/7 -> 3


def test_adherence_at_the_end_and_before_the_start() -> None:
    end = adherence(the_plan(), history(), today=date(2026, 12, 20))
    assert [w.state for w in end.weeks] == ["past"] * 4
    assert end.expected == 21
    assert end.credited == 3 + 1 + 2 + 1 + 1  # week 3 has one session
    assert end.share == pytest.approx(8 / 21)
    before = adherence(the_plan(), history(), today=date(2026, 11, 20))
    assert before.expected == 0 and before.share is None


def test_sessions_count_on_their_local_date() -> None:
    """00:30 on Monday in Paris is 23:30 on Sunday in UTC: it is a Monday session."""
    late = session("neck-and-shoulders", datetime(2026, 11, 30, 0, 30, tzinfo=PARIS))
    assert late.started_at == "2026-11-30T00:30:00+01:00"
    assert completed_dates(PLAN_ID, [late]) == [("neck-and-shoulders", date(2026, 11, 30))]
    a = adherence(the_plan(), [late], today=date(2026, 12, 20))
    assert a.weeks[0].done == 0 and a.weeks[1].done == 1


def test_a_partly_done_or_stopped_session_earns_no_credit() -> None:
    """Reached the end with too little practised (ran_to_end, not completed) counts no more
    than a stopped one: adherence counts completed sessions only (DESIGN, History)."""
    done = session("neck-and-shoulders", datetime(2026, 11, 26, 9, 0, tzinfo=PARIS))
    partly = record_from_json(
        {**session("neck-and-shoulders", datetime(2026, 11, 27, 9, 0, tzinfo=PARIS)).to_json(),
         "completed": False, "ran_to_end": True}
    )  # fmt: skip
    stopped = session("neck-and-shoulders", datetime(2026, 11, 28, 9, 0, tzinfo=PARIS), completed=False)
    assert completed_dates(PLAN_ID, [done, partly, stopped]) == [("neck-and-shoulders", date(2026, 11, 26))]
    a = adherence(the_plan(), [done, partly, stopped], today=date(2026, 12, 20))
    assert a.weeks[0].done == 1 and a.done == 1
    # The same session completed would count: the test fails if partly done counts or not.
    whole = record_from_json({**partly.to_json(), "completed": True})
    assert adherence(the_plan(), [done, whole, stopped], today=date(2026, 12, 20)).weeks[0].done == 2


def test_a_record_counts_for_the_item_it_names_exactly() -> None:
    """`PLAN/ID` counts for the item ID only when ID is the plan's own routine; a bare id
    counts for the item naming it (a built-in), and an old record of the plan's own
    routine by its bare id, started from the plan, still counts (issue 13)."""
    from coach.adherence import item_key, own_routine_ids

    plan = the_plan()  # own: kim-breathing; built-in item: neck-and-shoulders
    own = own_routine_ids(plan)
    assert own == {"kim-breathing"}
    assert item_key(PLAN_ID, f"{PLAN_ID}/kim-breathing", own) == "kim-breathing"
    assert item_key(PLAN_ID, f"{PLAN_ID}/neck-and-shoulders", own) == f"{PLAN_ID}/neck-and-shoulders"
    assert item_key(PLAN_ID, "other-plan/kim-breathing", own) == "other-plan/kim-breathing"
    assert item_key(PLAN_ID, "kim-breathing", own) == "kim-breathing"  # an old record
    on = datetime(2026, 11, 30, 9, 0, tzinfo=PARIS)  # a Monday: both items are due
    records = [
        session(f"{PLAN_ID}/kim-breathing", on),
        session(f"{PLAN_ID}/neck-and-shoulders", on + timedelta(hours=1)),  # no such own routine
        session("kim-breathing", on + timedelta(hours=2)),  # before namespaces, from the plan
    ]
    a = adherence(plan, records, today=date(2026, 12, 20))
    assert [(t.routine, t.done) for t in a.items] == [("neck-and-shoulders", 0), ("kim-breathing", 2)]
