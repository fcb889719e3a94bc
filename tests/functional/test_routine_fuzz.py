"""Fuzzing the routine loader: whatever the bytes, the only failure is InvalidDocument."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.library import parse_routine
from coach.routine import Routine
from coach.validation import InvalidDocument
from tests.helpers.command import ROUTINES

VALID = [json.loads(p.read_text("utf-8")) for p in sorted(ROUTINES.glob("*.json"))
         if not p.name.endswith(".schema.json")]  # fmt: skip

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children,
                                                                     max_size=4),
    max_leaves=20,
)  # fmt: skip
keys = st.sampled_from(["format", "id", "title", "steps", "type", "seconds", "cycles", "pattern",
                        "phases", "breath", "side", "area", "pressure", "gentler", "areas", "x-a",
                        "$schema", "instruction", "author", "name"])  # fmt: skip


def _load(data: bytes) -> None:
    try:
        routine = parse_routine(data, "fuzz.json")
    except InvalidDocument as exc:
        assert exc.problems, "an invalid document must say what is wrong"
        for problem in exc.problems:
            line = str(problem)
            assert line.startswith("fuzz.json:") and "\n" not in line
        return
    assert isinstance(routine, Routine)
    assert 0 < routine.total_seconds <= 7200


def _paths(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(obj, dict):
        for k, v in obj.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out += _paths(v, (*prefix, i))
    return out


@st.composite
def mutated_routines(draw: st.DrawFn) -> bytes:
    doc = json.loads(json.dumps(draw(st.sampled_from(VALID))))
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(doc)
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if not path:
            continue
        parent: Any = doc
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        if action == "replace":
            parent[last] = draw(json_values)
        elif action == "delete":
            del parent[last]
        elif isinstance(parent, dict):
            parent[draw(keys)] = draw(json_values)
    return json.dumps(doc).encode()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_routines())
def test_mutated_valid_routines(data: bytes) -> None:
    _load(data)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_random_json(value: Any) -> None:
    _load(json.dumps(value).encode())


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes(data: bytes) -> None:
    _load(data)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(VALID), st.integers(0, 10_000), st.binary(min_size=1, max_size=3))
def test_corrupted_bytes_of_a_valid_file(doc: dict[str, Any], offset: int, junk: bytes) -> None:
    data = json.dumps(doc, indent=2).encode()
    offset %= len(data)
    _load(data[:offset] + junk + data[offset + len(junk):])


def test_deep_nesting_is_a_clean_error() -> None:
    _load(b"[" * 100_000 + b"]" * 100_000)
    _load(b'{"format": 1, "x-a": ' + b"[" * 5000 + b"]" * 5000 + b"}")


def test_hostile_json_is_one_located_problem_for_routines_and_plans() -> None:
    from coach.library import builtin_routine_ids
    from coach.plan import parse_plan
    from tests.helpers.hostile import HOSTILE_JSON as HOSTILE

    ids = builtin_routine_ids()
    for _name, data, expected in HOSTILE:
        for parse in (lambda d: parse_routine(d, "fuzz.json"), lambda d: parse_plan(d, "fuzz.json", ids)):
            try:
                parse(data)
            except InvalidDocument as exc:
                line, col, reason = expected.split(":", 2)
                # A lone surrogate lies in one value: the problem names its path.
                paths = {"a lone surrogate": "a", "a lone low surrogate in a key": '["\\udc00"]'}
                path = paths.get(_name, "$")
                assert [str(p) for p in exc.problems] == [f"fuzz.json:{line}:{col}: {path}:{reason}"]
            else:
                raise AssertionError(f"accepted: {_name}")
