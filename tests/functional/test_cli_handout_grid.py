"""`coach plan handout` prints the tick-box week grid from the stored plan's own schedule
(coach.commands.plans hands each item's per_week or days to coach.report.week_grid)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.helpers.command import RunCoach
from tests.helpers.plans import EXAMPLE


def test_the_handout_command_prints_a_week_grid_with_each_items_schedule(
    run_coach: RunCoach, tmp_path: Path
) -> None:
    # The example plan: Wed 2 Dec to Tue 22 Dec 2026; neck-and-shoulders 5 a week, its own
    # sam-desk-posture on Mon, Wed, Fri, cyclic-sighing on Tue, Thu, Sat.
    assert run_coach("plan", "import", str(EXAMPLE)).returncode == 0
    out = tmp_path / "handout.html"
    made = run_coach("plan", "handout", "sam-neck-2026-12", "-o", str(out))
    assert made.returncode == 0, made.stderr
    page = out.read_text("utf-8")
    weeks = re.findall(r'<table class="grid">.*?</table>', page)
    assert len(weeks) == 4 and "Week 4 of 4: Mon 21 Dec – Sun 27 Dec 2026" in page
    targets = [re.findall(r'<td class="target">(\d+)</td>', week) for week in weeks]
    # First week Wed–Sun: 5 × 5/7 → 4, Wed and Fri, Thu and Sat; last week Mon–Tue: 5 × 2/7 → 1, Mon, Tue.
    assert targets == [["4", "2", "2"], ["5", "3", "3"], ["5", "3", "3"], ["1", "1", "1"]]
    # The days items have boxes on their own weekdays only (Mon, Wed, Fri: 3 of the 7).
    posture = re.findall(r"<tr><td>[^<]*</td><td class=\"target\">3</td>(.*?)</tr>", weeks[1])[0]
    assert posture.count('class="tick"') == 3
