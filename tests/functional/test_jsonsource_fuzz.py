"""The one JSON reader, fuzzed: whatever the bytes hypothesis draws, a value Python's json reads the
same way, or one located JSONProblem.

The fixed hostile inputs, against every reader, are tests/unit/test_jsonsource.py."""

from __future__ import annotations

import json
import math
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from coach.jsonsource import JSONProblem, parse_json


def _same_as_python(text: str) -> Any:
    """json.loads' value when it is one parse_json must accept too, else None."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return value


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=60).map(str.encode)
       | st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                  max_size=3),
                      max_leaves=10).map(lambda v: json.dumps(v).encode()))  # fmt: skip
def test_any_bytes_give_a_value_or_one_located_problem(data: bytes) -> None:
    try:
        value = parse_json(data, "fuzz.json")
    except JSONProblem as exc:
        assert exc.line >= 1 and exc.col >= 1 and "\n" not in exc.message
        assert exc.message.startswith("fuzz.json:") and exc.reason
        return
    # What it accepts is what Python's json reads, with nothing JSON does not mean.
    assert value == _same_as_python(data.decode("utf-8").removeprefix("\ufeff"))

    def finite(v: Any) -> bool:
        if isinstance(v, float):
            return math.isfinite(v)
        if isinstance(v, list):
            return all(finite(x) for x in v)
        if isinstance(v, dict):
            return all(finite(x) for x in v.values())
        return True

    assert finite(value)
