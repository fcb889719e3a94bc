"""coach.history_figures: the weekly trend's text and chart data (gaps kept), and the
practice calendar (shapes readable without colour)."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

from coach.history_figures import (
    DAY_DONE,
    DAY_NONE,
    DAY_SOME,
    calendar_lines,
    calendar_summary,
    calendar_weeks,
    tick_positions,
    trend_lines,
    trend_points,
    trend_segments,
    week_label,
)
from coach.stats import PracticeDay, WeekTrend

MONDAY = date(2026, 8, 3)


def weeks(*values: tuple[int, float | None]) -> list[WeekTrend]:
    return [WeekTrend(MONDAY + timedelta(weeks=i), n, m, m) for i, (n, m) in enumerate(values)]


def test_the_trend_keeps_empty_weeks_as_gaps() -> None:
    trend = weeks((3, 5.0), (0, None), (2, 6.5), (4, 4.0), (0, None), (12, 3.0))
    assert trend_points(trend) == [(0, 5.0, 3), (2, 6.5, 2), (3, 4.0, 4), (5, 3.0, 12)]
    # No line joins a week across an empty one.
    assert trend_segments(trend) == [[(0, 5.0)], [(2, 6.5), (3, 4.0)], [(5, 3.0)]]
    lines = trend_lines(trend)
    assert len(lines) == 6  # every week, the empty ones too
    assert lines[0].split() == ["3", "Aug", "██████████", "5", "n=3"]
    assert lines[1].endswith("no ratings") and "10 Aug" in lines[1]
    assert lines[2].split()[-2:] == ["6.5", "n=2"] and "█" * 13 in lines[2]
    assert all(len(line) <= 80 for line in lines)


def test_the_trend_names_years_when_it_spans_two() -> None:
    trend = [WeekTrend(date(2025, 12, 29), 1, 4.0, 4.0), WeekTrend(date(2026, 1, 5), 0, None, None)]
    assert [line.split()[:3] for line in trend_lines(trend)] == [["29", "Dec", "2025"], ["5", "Jan", "2026"]]
    assert week_label(date(2026, 1, 5)) == "5 Jan" and week_label(date(2026, 1, 5), year=True) == "5 Jan 2026"


def test_date_ticks_never_touch_and_always_name_the_current_week() -> None:
    for count, width in ((26, 74), (26, 40), (8, 74), (1, 10), (200, 74)):
        ticks = tick_positions(count, width)
        assert ticks[-1] == count - 1
        gap = width / count * min((b - a for a, b in pairwise(ticks)), default=count)
        assert gap >= 9 or len(ticks) == 1, (count, width, ticks)
    assert tick_positions(0, 74) == []


def test_the_calendar_marks_days_by_shape() -> None:
    today = date(2026, 11, 26)  # a Thursday
    days = [
        PracticeDay(date(2026, 11, 23), 2, 1, 10.0),  # Monday: a completed session
        PracticeDay(date(2026, 11, 24), 1, 0, 2.0),  # Tuesday: a stopped one only
        PracticeDay(date(2026, 1, 1), 1, 1, 5.0),  # long before the weeks shown
    ]
    columns = calendar_weeks(days, today, 3)
    assert [week[0].day for week in columns] == [date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]
    last = [cell.mark for cell in columns[-1]]
    assert last == [DAY_DONE, DAY_SOME, DAY_NONE, DAY_NONE, " ", " ", " "]  # Fri-Sun: not yet
    lines = calendar_lines(days, today, 3)
    assert lines[0].strip() == "Nov"
    assert lines[1] == f"Mon {DAY_NONE} {DAY_NONE} {DAY_DONE}"
    assert lines[2] == f"Tue {DAY_NONE} {DAY_NONE} {DAY_SOME}"
    assert lines[5] == f"Fri {DAY_NONE} {DAY_NONE}"  # the future is blank
    assert "completed" in lines[-1]
    assert calendar_summary(days, today, 3) == (
        "2 of 18 days with a session, 1 with a completed one (since 9 Nov 2026)"
    )
