"""Adherence on generated plans, versions and sessions (hypothesis): the cells add up to the
figures beside them, nothing after `today` is seen, and a new version never changes a week
that was over before its day (issue 13)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from coach.adherence import PlanAdherence, adherence, due_on, monday_of
from coach.library import ItemFacts, PlanFacts
from coach.plan_versions import PlanVersion
from coach.vocabulary import WEEKDAYS

ROUTINES = ("neck", "feet", "jaw", "box")
FIRST = date(2026, 11, 2)


@dataclass(frozen=True)
class Record:
    """The fields adherence reads from a history record."""

    routine: str
    plan: str | None
    started_at: str
    completed: bool


items = st.lists(
    st.builds(
        ItemFacts,
        routine=st.sampled_from(ROUTINES),
        per_week=st.none() | st.integers(1, 14),
        days=st.none(),
        note=st.none(),
    ).flatmap(
        lambda i: st.just(i) if i.per_week is not None else st.builds(
            ItemFacts, routine=st.just(i.routine), per_week=st.none(),
            days=st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7, unique=True).map(tuple),
            note=st.none(),
        )
    ),
    min_size=1,
    max_size=4,
    unique_by=lambda i: i.routine,
)  # fmt: skip


@st.composite
def plan_versions(draw: st.DrawFn) -> tuple[PlanVersion[PlanFacts], ...]:
    """1 to 3 versions of plan "p": each with its own dates and items, imported on
    non-decreasing days."""
    count = draw(st.integers(1, 3))
    out = []
    day = FIRST + timedelta(days=draw(st.integers(0, 20)))
    for number in range(1, count + 1):
        starts = FIRST + timedelta(days=draw(st.integers(0, 20)))
        ends = starts + timedelta(days=draw(st.integers(0, 40)))
        plan = PlanFacts("p", starts, ends, tuple(draw(items)))
        out.append(PlanVersion(number, day, "", plan))
        day += timedelta(days=draw(st.integers(0, 20)))
    return tuple(out)


records = st.lists(
    st.builds(
        lambda routine, offset, hour, plan, completed: Record(
            routine, plan, f"{FIRST + timedelta(days=offset)}T{hour:02d}:30:00+01:00", completed
        ),
        st.sampled_from((*ROUTINES, "other")),
        st.integers(-3, 70),
        st.integers(0, 23),
        st.sampled_from(("p", "p", "p", None, "q")),
        st.booleans(),
    ),
    max_size=40,
)
todays = st.integers(-5, 75).map(lambda n: FIRST + timedelta(days=n))


def check_sums(a: PlanAdherence) -> None:
    """Per week and overall, the item cells add up to the figures a percentage is made of."""
    for week in a.weeks:
        assert sum(i.credited for i in week.items) == week.credited
        assert sum(i.expected for i in week.items) == week.expected
        assert week.share == (None if week.expected == 0 else week.credited / week.expected)
        for cell in week.items:
            assert 0 <= cell.credited <= cell.expected <= cell.target
            assert cell.credited == min(cell.done, cell.expected)
        if week.state == "past":
            assert all(c.expected == c.target for c in week.items)
        if week.state == "future":
            assert week.expected == 0 and week.done == 0
    assert sum(t.credited for t in a.items) == a.credited == sum(w.credited for w in a.weeks)
    assert sum(t.expected for t in a.items) == a.expected == sum(w.expected for w in a.weeks)
    assert a.share == (None if a.expected == 0 else min(1.0, a.credited / a.expected))


@settings(max_examples=150, deadline=None)
@given(plan_versions(), records, todays)
def test_cells_add_up_to_the_percentages(
    versions: tuple[PlanVersion[PlanFacts], ...], history: list[Record], today: date
) -> None:
    a = adherence(versions[-1].plan, history, today, versions)
    check_sums(a)
    # Sessions after the end of `today` are not seen.
    seen = [r for r in history if date.fromisoformat(r.started_at[:10]) <= today]
    assert adherence(versions[-1].plan, seen, today, versions) == a


@settings(max_examples=80, deadline=None)
@given(plan_versions(), records, todays)
def test_a_new_version_never_changes_a_week_over_before_its_day(
    versions: tuple[PlanVersion[PlanFacts], ...], history: list[Record], today: date
) -> None:
    if len(versions) < 2:
        return
    newest = versions[-1]
    before = adherence(versions[-2].plan, history, today, versions[:-1])
    after = adherence(newest.plan, history, today, versions)
    over = monday_of(newest.effective)  # weeks that ended before the new version's week
    old = {w.monday: w for w in before.weeks if w.monday < over}
    new = {w.monday: w for w in after.weeks if w.monday < over}
    assert old.keys() == new.keys()
    for monday, week in old.items():
        cells = {c.routine: (c.target, c.expected, c.done, c.credited) for c in week.items}
        again = {c.routine: (c.target, c.expected, c.done, c.credited) for c in new[monday].items}
        assert {r: v for r, v in again.items() if r in cells} == cells
        # An item the new version added asks nothing of those weeks.
        assert all(v[0] == 0 for r, v in again.items() if r not in cells)
        assert new[monday].share == week.share


@settings(max_examples=80, deadline=None)
@given(plan_versions(), records, todays)
def test_due_agrees_with_the_week_of_adherence(
    versions: tuple[PlanVersion[PlanFacts], ...], history: list[Record], today: date
) -> None:
    """`due` on a day sees that week's sessions up to the day, and its target."""
    sessions = [(r.routine, date.fromisoformat(r.started_at[:10]))
                for r in history if r.plan == "p" and r.completed]  # fmt: skip
    a = adherence(versions[-1].plan, history, today, versions)
    week = a.week_of(today)
    for due in due_on(versions[-1].plan, today, sessions, versions):
        assert week is not None
        cell = next(c for c in week.items if c.routine == due.routine)
        assert (due.done_this_week, due.target_this_week) == (cell.done, cell.target)
