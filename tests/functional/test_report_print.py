"""The HTML report and the handout printed to PDF by headless Chromium, as a therapist prints
them: A4 portrait, nothing wider than the printable width, nothing cut off. Skipped with a
reason where Chromium or poppler-utils is missing (.ci/install-system installs both)."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.report import to_html
from tests.helpers.chromium import MISSING, PRINT_WIDTH_PX, print_and_measure
from tests.helpers.report_plans import LONG_ID, long_report
from tests.unit.test_report_handout import long_plan_handout

pytestmark = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")

A4_PORTRAIT = (594.96, 841.92)  # points, as pdfinfo reports Chromium's A4


def test_the_report_of_16_weeks_and_7_items_fits_a4_portrait(tmp_path: Path) -> None:
    report = long_report()
    assert len(report.adherence.weeks) == 16 and len(report.adherence.items) == 7
    printed = print_and_measure(to_html(report), tmp_path, "report")
    assert printed.page_size == A4_PORTRAIT
    assert printed.viewport == PRINT_WIDTH_PX  # measured at the printable width
    assert printed.too_wide == []
    # Nothing cut off: the last week's column, the last item and the last session are printed.
    text = printed.text
    expected_texts = [
        "19 Apr",
        "alex-upper-back-ball-against-the-wall",
        "chest-and-upper-back",
        "For your attention",
        "tingling",
        "in force from Wed 10 Feb 2027",
        "Wed 24 Mar",
    ]
    for expected in expected_texts:
        assert expected in text, expected
    assert text.count("to come") >= 4  # the four weeks still to come, in the second table


def test_the_handout_fits_a4_portrait(tmp_path: Path) -> None:
    """The long plan's handout (16 weeks, 7 items): nothing wider than the page, the tick-box
    grid whole, each week's table on one page."""
    printed = print_and_measure(long_plan_handout(), tmp_path, "handout")
    assert printed.page_size == A4_PORTRAIT and printed.too_wide == []
    expected_texts = [
        "Your schedule",
        "Softer ball at first.",
        f"coach run neck-and-shoulders --plan {LONG_ID}",
        "Stop and get help if",
        "3 × hold 8 s, release 4 s",
        "Tick off your sessions",
        "Week 1 of 16: Mon 4 Jan – Sun 10 Jan 2027",
        "Week 16 of 16: Mon 19 Apr – Sun 25 Apr 2027",
    ]
    for expected in expected_texts:
        assert expected in printed.text, expected
    # Each week's table from its heading to its last item's row on one page (no form feed).
    text = printed.text
    for week in range(1, 17):
        start = text.index(f"Week {week} of 16:")
        end = text.index("wall, slowly and with long pauses", start)
        assert "\f" not in text[start:end], f"week {week} split across pages"
        assert text[start:end].count("Thumbs, wrists and hands") == 1


def test_the_measure_finds_a_table_wider_than_the_page(tmp_path: Path) -> None:
    """The check itself: a table of 30 unbreakable cells is reported."""
    cells = "".join(f"<td>{'x' * 12}</td>" for _ in range(30))
    page = f"<!DOCTYPE html><html><body><table><tr>{cells}</tr></table></body></html>"
    printed = print_and_measure(page, tmp_path, "wide")
    assert printed.too_wide and printed.too_wide[0].startswith("past the edge table")
