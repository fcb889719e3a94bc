"""coach.plan_candidates: the competing plans named as a person knows them, for both shells."""

from __future__ import annotations

import json
from pathlib import Path

from coach.plan_candidates import PlanCandidate, candidate_words, plan_candidates


def test_a_plan_is_named_by_its_id_with_client_and_therapist_where_given() -> None:
    sam = PlanCandidate("sam-neck", "Sam R.", "Jo Park")
    assert candidate_words(sam) == "sam-neck (Sam R., from Jo Park)"
    assert candidate_words(PlanCandidate("sam-neck", "Sam R.", "")) == "sam-neck (Sam R.)"
    assert candidate_words(PlanCandidate("sam-neck", "", "Jo Park")) == "sam-neck (from Jo Park)"
    assert candidate_words(PlanCandidate("sam-neck")) == "sam-neck"


def test_unreadable_or_odd_plan_files_keep_the_id_alone(tmp_path: Path) -> None:
    kim = {"id": "kim", "client": "Kim", "therapist": {"name": "Jo"}}
    (tmp_path / "kim.json").write_text(json.dumps(kim))
    (tmp_path / "odd.json").write_text(json.dumps({"id": "odd", "client": 5, "therapist": "Jo"}))
    (tmp_path / "bad.json").write_text("{")
    found = plan_candidates(tmp_path, ["kim", "odd", "bad", "gone"])
    assert found == [PlanCandidate("kim", "Kim", "Jo"), PlanCandidate("odd"), PlanCandidate("bad"),
                     PlanCandidate("gone")]  # fmt: skip
