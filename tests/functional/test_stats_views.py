"""`coach stats` (text), `coach stats --json` and the app's history screen show the same
change figures, worked out once by coach.stats: completed sessions only."""

from __future__ import annotations

from datetime import date
from typing import Any

from coach.commands.history import format_stats
from coach.history_view import HistoryView
from coach.records import SessionRecord, new_record, record_from_json
from coach.stats import compute, to_json
from coach.tui.screens.history import headline

TODAY = date(2026, 11, 26)


def rec(
    i: int, pre: int | None, post: int | None, outcome: str = "completed", **changes: Any
) -> SessionRecord:
    values: dict[str, Any] = {
        "routine": "neck",
        "routine_title": "Neck",
        "routine_hash": "sha256:0",
        "started_at": f"2026-11-{10 + i:02d}T09:00:00+01:00",
        "ended_at": f"2026-11-{10 + i:02d}T09:05:00+01:00",
        "planned_seconds": 300,
        "active_seconds": 290.0,
        "completed": True,
        "steps_done": 3,
        "steps_total": 3,
        "pre": pre,
        "post": post,
        "id": f"r{i}",
    }
    values.update(changes)
    record = new_record(**values)
    if outcome == "completed":
        return record
    return record_from_json(
        {**record.to_json(), "completed": False, "ran_to_end": outcome == "partly done"}
    )


def history() -> list[SessionRecord]:
    # Completed and rated: changes -5 -3 -2 -1 0 +2 (q1 -2.75, median -1.5, q3 -0.25); two
    # responders (8 -> 3 and 7 -> 4). The partly done and stopped ones would be responders.
    return [
        rec(0, 8, 3),
        rec(1, 7, 4),
        rec(2, 7, 5),
        rec(3, 5, 4, routine="box", routine_title="Box"),
        rec(4, 4, 4),
        rec(5, 3, 5),
        rec(6, 9, 0, "partly done"),
        rec(7, 9, 0, "stopped"),
        rec(8, None, 2),
    ]


def test_text_json_and_screen_give_the_same_change_figures() -> None:
    stats = compute(history(), TODAY)
    figures = to_json(stats)
    change = figures["change"]
    assert (change["median"], change["q1"], change["q3"], change["iqr"]) == (-1.5, -2.75, -0.25, 2.5)
    assert (change["rated_completed_sessions"], change["responders"], change["responder_rate"]) == (
        6,
        2,
        0.33,
    )
    assert (figures["completed"], figures["partly_done"], figures["stopped"]) == (7, 1, 1)

    text = format_stats(stats)
    assert "Completed    7 of 9 · 1 partly done · 1 stopped" in text
    assert "Change       median −1.5 points · interquartile range −2.75 to −0.25" in text
    assert "over 6 completed sessions rated before and after" in text
    assert "Responders   33% had a noticeable or large drop (2 of 6)" in text
    assert all(len(line) <= 80 for line in text.splitlines())

    screen = headline(HistoryView(TODAY, records=history(), stats=stats)).plain
    assert "6 rated completed · median −1.5, IQR −2.75 to −0.25 · noticeable drop 2 (33%)" in screen
    assert all(len(line) <= 80 for line in screen.splitlines())


def test_what_helped_most_is_listed_with_its_counts() -> None:
    stats = compute(history(), TODAY)
    # neck: 5 rated completed (-5 -3 -2 0 +2: median -2); box has 1, so it is not ranked.
    assert [
        (r["routine"], r["rated_completed_sessions"], r["median_change"])
        for r in to_json(stats)["helped_most"]
    ] == [("neck", 5, -2.0)]
    text = format_stats(stats)
    assert "What helped most" in text and " 1. Neck" in text and "−2  (5 sessions)" in text
    table = {
        line.split()[0]: line.split()[1:] for line in text.splitlines() if line.startswith(("Neck ", "Box "))
    }
    # Completed of all, minutes of the completed ones, median change, rated completed.
    assert table["Neck"] == ["6", "of", "8", "29", "−2", "5"]
    assert table["Box"] == ["1", "of", "1", "5", "−1", "1"]
