"""Fuzzing the small state files: settings, the crash journal and the validation cache.

Whatever a crash, a disk or a person leaves in them, Coach must start: a broken settings file
gives defaults, a broken journal is set aside (never lost, never a traceback), a broken cache
is rebuilt.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.history import HistoryStore
from coach.journal import recover_journal
from coach.library import ValidationCache
from coach.settings import Settings, load_settings
from coach.validation import InvalidDocument

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=12), children, max_size=6),
    max_leaves=25,
)  # fmt: skip

SETTINGS_KEYS = ["sound", "volume", "reduced_motion", "theme", "first_run_seen"]
JOURNAL_KEYS = ["journal", "pid", "pid_start", "boot_id", "record_id", "updated_at", "state"]
STATE_KEYS = ["routine", "routine_title", "routine_hash", "plan", "started_at", "planned_seconds",
              "active_seconds", "steps_done", "steps_total", "pre", "pauses", "skips", "gentler",
              "ran_to_end", "extended_seconds"]  # fmt: skip

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def documents(keys: list[str]) -> st.SearchStrategy[bytes]:
    """Random bytes, random JSON, and objects with the format's own keys and random values."""
    shaped = st.dictionaries(st.sampled_from(keys), json_values, max_size=len(keys))
    return (st.binary(max_size=300)
            | json_values.map(lambda v: json.dumps(v).encode())
            | shaped.map(lambda v: json.dumps(v).encode()))  # fmt: skip


@FUZZ
@given(documents(SETTINGS_KEYS))
def test_any_settings_file_loads_as_sane_settings(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(data)
    loaded = load_settings(path)
    assert isinstance(loaded, Settings)
    assert isinstance(loaded.sound, bool) and isinstance(loaded.reduced_motion, bool)
    assert type(loaded.volume) is int and 0 <= loaded.volume <= 100
    assert isinstance(loaded.theme, str) and loaded.theme
    assert path.read_bytes() == data  # reading never rewrites it


def _state(**changes: Any) -> dict[str, Any]:
    state = {"routine": "box-breathing", "routine_title": "Box", "routine_hash": "sha256:00",
             "plan": None, "started_at": "2026-11-26T09:00:00+01:00", "planned_seconds": 300,
             "active_seconds": 12.5, "steps_done": 1, "steps_total": 4, "pre": 6, "pauses": 0,
             "skips": 0, "gentler": 0}  # fmt: skip
    state.update(changes)
    return state


@st.composite
def journals(draw: st.DrawFn) -> bytes:
    if draw(st.booleans()):
        return draw(documents(JOURNAL_KEYS))
    body: dict[str, Any] = {"journal": 1, "pid": 2**22 + 12345, "record_id": "ab" * 16,
                            "updated_at": "2026-11-26T09:05:00+01:00", "state": _state()}  # fmt: skip
    key = draw(st.sampled_from(JOURNAL_KEYS + [f"state.{k}" for k in STATE_KEYS]))
    value = draw(json_values | st.integers(min_value=-(2**80), max_value=2**80))
    if key.startswith("state."):
        body["state"][key[6:]] = value
    else:
        body[key] = value
    return json.dumps(body).encode()


@FUZZ
@given(journals())
def test_any_journal_is_recovered_or_set_aside_never_a_crash(tmp_path: Path, data: bytes) -> None:
    folder = tmp_path / "home"
    folder.mkdir(exist_ok=True)
    history = folder / "history.jsonl"
    history.unlink(missing_ok=True)
    for leftover in folder.glob("session*"):
        leftover.unlink()
    journal = folder / "session.journal.json"
    journal.write_bytes(data)
    problems: list[str] = []
    store = HistoryStore(history)
    record = recover_journal(store, journal, on_problem=problems.append)
    corrupt = folder / "session.journal.json.corrupt"
    if record is not None:
        assert not journal.exists()
        (stored,) = store.read().records
        assert stored.id == record.id and stored.completed is (record.completed)
    elif corrupt.exists():
        assert corrupt.read_bytes() == data  # set aside whole, nothing deleted
        assert problems and all("\n" not in p for p in problems)
    else:
        # Left alone: its owner counts as alive (a pid that exists on this machine).
        assert journal.read_bytes() == data
    assert not history.exists() or store.read().problems == []


@FUZZ
@given(st.binary(max_size=300) | json_values.map(lambda v: json.dumps(v).encode()))
def test_a_broken_validation_cache_is_rebuilt(tmp_path: Path, junk: bytes) -> None:
    cache_path = tmp_path / "cache.json"
    cache_path.write_bytes(junk)
    good = json.dumps({"format": 1, "id": "ok-one", "title": "T",
                       "steps": [{"type": "rest", "title": "R", "seconds": 10}]}).encode()  # fmt: skip
    cache = ValidationCache.open(cache_path)
    assert cache.check(good, "a.json")["id"] == "ok-one"
    try:
        cache.check(good.replace(b"10}", b"1}"), "b.json")
    except InvalidDocument as exc:
        assert str(exc.problems[0]).startswith("b.json:1:")
    else:
        raise AssertionError("an invalid routine passed through a broken cache")
    cache.save()


INFO_KEYS = ["id", "title", "summary", "seconds", "areas", "kinds", "tags", "equipment", "cautions",
             "steps", "source", "path", "shadows"]  # fmt: skip
cache_entries = json_values | st.fixed_dictionaries(
    {"info": st.fixed_dictionaries({k: json_values for k in INFO_KEYS})}
)


@FUZZ
@given(cache_entries)
def test_a_cache_entry_of_the_wrong_shape_is_validated_again(tmp_path: Path, entry: Any) -> None:
    import hashlib

    good = json.dumps({"format": 1, "id": "ok-two", "title": "T",
                       "steps": [{"type": "rest", "title": "R", "seconds": 10}]}).encode()  # fmt: skip
    fingerprint = ValidationCache.open(None).fingerprint
    key = "routine:" + hashlib.sha256(good).hexdigest()
    cache_path = tmp_path / "cache.json"
    cache_path.write_text(json.dumps({"fingerprint": fingerprint, "entries": {key: entry}}))
    cache = ValidationCache.open(cache_path)
    try:
        info = cache.check(good, "a.json")
    except InvalidDocument as exc:
        # A well-formed remembered verdict is believed; anything else must not crash.
        assert isinstance(entry, dict) and "problems" in entry
        assert all(str(p).startswith("a.json:") for p in exc.problems)
    else:
        from coach.library import RoutineInfo

        listed = RoutineInfo(**{**info, "source": "user", "path": "a.json"})  # what infos() does
        assert listed.seconds > 0 and all(isinstance(a, str) for a in listed.areas)
