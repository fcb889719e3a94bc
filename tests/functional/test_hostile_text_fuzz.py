"""Hostile text in the core, fuzzed: any text a CSV cell or a JSON document can hold comes back
the same, with nothing left that a terminal would obey (hypothesis draws the inputs).

The fixed cases are tests/unit/test_hostile_text.py."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from coach import text as T
from tests.helpers.hostile import acts


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_csv_cell_round_trips_whatever_an_import_accepts(text: str) -> None:
    if T.hidden_character(text) is not None:
        text = T.visible(text)
    cell = T.csv_cell(text)
    assert cell[:1] not in T.CSV_FORMULA_START
    assert T.csv_restore(cell) == text


@settings(max_examples=300, deadline=None)
@given(st.recursive(st.text() | st.integers(),
                    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))  # fmt: skip
def test_json_visible_is_the_same_value_with_nothing_that_acts(value: Any) -> None:
    dumped = T.json_visible(json.dumps(value, ensure_ascii=False))
    assert json.loads(dumped) == value
    assert not any(acts(c) for c in dumped.replace("\n", ""))
