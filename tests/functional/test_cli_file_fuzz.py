"""A fuzz campaign over every command that reads a file, through the installed `coach`.

Each input (random bytes, truncations and mutations of valid files, and the hostile cases:
numbers too long to convert, nesting too deep, bad UTF-8, a byte-order mark, UTF-16, lone
surrogates, NaN, syntax mistakes, a huge file) goes to one command in a subprocess with its
own COACH_HOME and a timeout: `validate`, `show PATH`, `run PATH --plain --speed 100`,
`plan import`, `history import`, `list` with the file in the user's routines folder, and a
corrupted settings file (read by `run`), crash journal (read by `history` and `stats`) and
validation cache (read by `list`). Every run must end within the timeout, print no
traceback, and exit with 0, 1 or 2; a broken routine in the user's folder never hides the
built-in ones, and a broken settings file or cache never stops a command.

The inputs come from a seeded generator (COACH_FUZZ_SEED, default below): a failure names
the seed and the input, and the same seed gives the same inputs. The test prints how many
inputs it tried and how many ended with each exit code.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from coach.records import new_record
from tests.helpers.command import ROUTINES, coach_command

SEED = int(os.environ.get("COACH_FUZZ_SEED", "20261129"))
TIMEOUT = 30  # seconds; the slowest valid input runs a 5 s rest at speed 100
PER_TARGET = 17

TINY = {"format": 1, "id": "tiny-one", "title": "Tiny", "summary": "Two short steps.", "areas": ["breath"],
        "steps": [{"type": "rest", "title": "Rest", "seconds": 5},
                  {"type": "breathing", "title": "Breathe", "pattern": "coherent", "cycles": 1}]}  # fmt: skip
NECK = json.loads((ROUTINES / "neck-and-shoulders.json").read_text("utf-8"))
PLAN = {"$schema": "./plan.schema.json", "format": 1, "id": "sam-neck", "client": "Sam",
        "therapist": {"name": "Jo Park", "contact": "jo@example.com"},
        "starts": "2026-12-01", "ends": "2026-12-21", "note": "Little and often.",
        "routines": [{**TINY, "id": "sam-tiny"}],
        "items": [{"routine": "neck-and-shoulders", "per_week": 5, "note": "After lunch."},
                  {"routine": "sam-tiny", "days": ["mon", "thu"]}]}  # fmt: skip
SETTINGS = {"sound": False, "volume": 70, "reduced_motion": False, "theme": "textual-dark",
            "first_run_seen": True}  # fmt: skip
JOURNAL = {"journal": 1, "pid": 2**22 + 12345, "record_id": "ab" * 16,
           "updated_at": "2026-11-26T09:05:00+01:00",
           "state": {"routine": "box-breathing", "routine_title": "Box", "routine_hash": "sha256:00",
                     "plan": None, "started_at": "2026-11-26T09:00:00+01:00", "planned_seconds": 300,
                     "active_seconds": 12.5, "steps_done": 1, "steps_total": 4, "pre": 6, "pauses": 0,
                     "skips": 0, "gentler": 0}}  # fmt: skip


def _history_lines() -> bytes:
    lines = []
    for n in range(3):
        record = new_record(
            routine="box-breathing", routine_title="Box breathing", routine_hash="sha256:" + "0" * 64,
            started_at=f"2026-11-2{n}T09:00:00+01:00", ended_at=f"2026-11-2{n}T09:05:00+01:00",
            planned_seconds=283, active_seconds=283.0, completed=True, steps_done=4, steps_total=4,
            pre=6, post=3, note=f"note {n}",
        )  # fmt: skip
        lines.append(record.to_line())
    return "".join(lines).encode()


def _dump(obj: Any) -> bytes:
    return json.dumps(obj, indent=2, ensure_ascii=False).encode()


def hostile_cases() -> list[tuple[str, bytes]]:
    """What Python's parser crashes on or lets through, and what people paste."""
    good = json.dumps(TINY)
    return [
        ("a number of 4301 digits", b'{"format": ' + b"1" * 4301 + b"}"),
        ("nesting 100,000 deep", b"[" * 100_000 + b"]" * 100_000),
        ("not UTF-8", good.replace("Tiny", "Caf\u00e9").encode("latin-1")),
        ("a lone surrogate", good.replace("Tiny", "\\ud800").encode()),
        ("NaN", good.replace('"format": 1', '"format": NaN').encode()),
        ("a byte-order mark", b"\xef\xbb\xbf" + good.encode()),
        ("UTF-16", good.encode("utf-16")),
        ("1e400", good.replace('"seconds": 5', '"seconds": 1e400').encode()),
        ("curly quotes", good.replace('"title": "Tiny"', "“title”: “Tiny”").encode()),
        ("a trailing comma and a comment", good[:-1].encode() + b", // mine\n}"),
        ("empty", b""),
        ("NUL bytes", b"\x00" * 64),
        ("too big", b'{"x-pad": "' + b"a" * 300_000 + b'"}'),
        ("10,000 unknown keys", json.dumps({**TINY, **{f"k{i}": i for i in range(10_000)}}).encode()),
        ("a list", b"[]"),
        ("deep inside an object", good[:-1].encode() + b', "x-a": ' + b"[" * 3000 + b"]" * 3000 + b"}"),
    ]


def _json_mutation(rng: random.Random, base: Any) -> bytes:
    """Retype, drop or add a value somewhere in a copy of `base`."""
    doc = json.loads(json.dumps(base))
    for _ in range(rng.randint(1, 3)):
        node, parent, key = doc, None, None
        while isinstance(node, (dict, list)) and node and rng.random() < 0.7:
            parent = node
            key = rng.choice(list(node)) if isinstance(node, dict) else rng.randrange(len(node))
            node = node[key]
        if parent is None:
            continue
        action = rng.choice(["retype", "retype", "drop", "add"])
        if action == "drop":
            del parent[key]
        elif action == "add" and isinstance(parent, dict):
            parent[rng.choice(["x-a", "seconds", "type", "format", "\u202e", "note", "id"])] = rng.choice(
                [None, 0, "", [], {}, "\u001b[2J", 10**30])
        else:
            parent[key] = rng.choice([None, True, "30", 30.0, -1, 10**30, 1e300, "", "\u0007", [], {},
                                      "x" * 3000, "2026-02-30", str(node)])  # fmt: skip
    return json.dumps(doc, ensure_ascii=rng.random() < 0.5).encode()


def _byte_mutation(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(max(1, len(out)))
        action = rng.choice(["flip", "insert", "delete"])
        if action == "flip" and out:
            out[at] = rng.randrange(256)
        elif action == "insert":
            out[at:at] = rng.choice([b'"', b"{", b"]", b",", b"\\", b"\xff", b"\xed\xa0\x80", b"9" * 5,
                                     bytes(rng.randrange(256) for _ in range(3))])  # fmt: skip
        else:
            del out[at : at + rng.randint(1, 8)]
    return bytes(out)


def inputs_for(rng: random.Random, base: Any, target: int) -> list[tuple[str, bytes]]:
    """PER_TARGET inputs: five hostile cases every target gets, three more in turn, then random
    bytes, truncations and mutations of the target's own valid file (`base`: a JSON value, or
    bytes for history lines)."""
    data = base if isinstance(base, bytes) else _dump(base)
    hostile = hostile_cases()
    out = hostile[:5] + [hostile[5 + (target * 3 + i) % (len(hostile) - 5)] for i in range(3)]
    out += [(f"random bytes {i}", rng.randbytes(rng.randint(0, 300))) for i in range(2)]
    out += [(f"truncated {i}", data[: rng.randrange(len(data))]) for i in range(2)]
    while len(out) < PER_TARGET:
        if isinstance(base, bytes) or len(out) % 2:
            out.append((f"byte mutation {len(out)}", _byte_mutation(rng, data)))
        else:
            out.append((f"value mutation {len(out)}", _json_mutation(rng, base)))
    return out


@dataclass
class Target:
    """How one command reads one file: the input goes to `file` in COACH_HOME (or, when None,
    is named on the command line where `args` says {file}); `check` adds what must hold."""

    name: str
    base: Any  # the valid document the mutations start from (bytes for history lines)
    args: list[str]
    file: str | None = None
    check: Callable[[subprocess.CompletedProcess[str]], None] = lambda result: None


def _lists_the_builtins(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, result.stderr
    assert "box-breathing" in result.stdout and "neck-and-shoulders" in result.stdout


def _succeeds(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, result.stderr


def _targets(tiny: Path, cache: Any) -> list[Target]:
    run = ["--plain", "--speed", "100", "--pre", "5", "--post", "3"]
    return [
        Target("validate", TINY, ["validate", "{file}"]),
        Target("show PATH", NECK, ["show", "{file}"]),
        Target("run PATH", TINY, ["run", "{file}", *run]),
        Target("plan import", PLAN, ["plan", "import", "{file}"]),
        Target("history import", _history_lines(), ["history", "import", "{file}"]),
        Target("list (user routine)", TINY, ["list"], "routines/mine.json", _lists_the_builtins),
        Target("settings (run)", SETTINGS, ["run", str(tiny), *run], "settings.json", _succeeds),
        Target("journal (history, stats)", JOURNAL, ["history"], "session.journal.json"),
        Target("cache (list)", cache, ["list"], "cache/routines-cache.json", _lists_the_builtins),
    ]


def _run(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COACH_HOME": str(home)}
    return subprocess.run([*coach_command(), *args], capture_output=True, text=True, errors="replace",
                          stdin=subprocess.DEVNULL, env=env, timeout=TIMEOUT)  # fmt: skip


# 170 runs of `coach` (about 60 s on a busy 2-core machine): more than the suite's 120 s per
# test could allow on a slower one. Each run has its own bound (TIMEOUT), which finds a hang.
@pytest.mark.timeout(900)
def test_no_input_file_makes_any_command_crash_or_hang(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    tiny = tmp_path / "tiny.json"
    tiny.write_bytes(_dump(TINY))
    warm = tmp_path / "warm"  # a real validation cache to mutate
    assert _run(["list"], warm).returncode == 0
    targets = _targets(tiny, json.loads((warm / "cache" / "routines-cache.json").read_text("utf-8")))

    codes: Counter[int] = Counter()
    tried = 0
    started = time.monotonic()
    for number, target in enumerate(targets):
        for label, data in inputs_for(rng, target.base, number):
            tried += 1
            home = tmp_path / f"home-{tried}"
            path = home / target.file if target.file else tmp_path / f"input-{tried}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            args = [a.replace("{file}", str(path)) for a in target.args]
            where = f"seed {SEED}, {target.name}, {label}: {data[:80]!r}"
            try:
                result = _run(args, home)
            except subprocess.TimeoutExpired:
                pytest.fail(f"hang: `coach {' '.join(args)}` ran over {TIMEOUT} s; {where}")
            output = result.stdout + result.stderr
            assert "Traceback" not in output, f"{where}\n{result.stderr[-2000:]}"
            assert result.returncode in (0, 1, 2), (
                f"exit {result.returncode}; {where}\n{result.stderr[-2000:]}")
            try:
                target.check(result)
            except AssertionError as exc:
                raise AssertionError(f"{where}: {exc}") from None
            codes[result.returncode] += 1
            if target.file == "session.journal.json":  # `stats` reads the journal too
                stats = _run(["stats"], home)
                assert "Traceback" not in stats.stdout + stats.stderr, where
                assert stats.returncode in (0, 1, 2), where
                tried += 1
                codes[stats.returncode] += 1
    elapsed = time.monotonic() - started
    exits = ", ".join(f"{code}: {n}" for code, n in sorted(codes.items()))
    summary = (f"file fuzz (seed {SEED}): {tried} runs over {len(targets)} kinds of input in "
               f"{elapsed:.0f} s; exit codes {exits}")
    print(summary)
    assert tried >= 150, summary
    assert codes[0] > 0 and codes[1] > 0, summary  # both the good and the refused were reached


def test_hostile_history_lines_are_reported_and_skipped(tmp_path: Path) -> None:
    """The history's own lines go through the fast parser, then the general one: a hostile line
    is one reported, skipped line; the good lines around it are all there."""
    home = tmp_path / "home"
    home.mkdir()
    good = _history_lines().splitlines(keepends=True)
    hostile = [data.replace(b"\n", b" ") + b"\n" for _name, data in hostile_cases()[:5]]
    (home / "history.jsonl").write_bytes(b"".join([good[0], *hostile, good[1], good[2]]))
    for command in (["history"], ["stats"], ["history", "--json"]):
        result = _run(command, home)
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        skipped = [line for line in result.stderr.splitlines() if "skipped" in line]
        assert len(skipped) == len(hostile), result.stderr
        for number, line in zip(range(2, 7), skipped, strict=True):
            assert f":{number}:" in line or f"line {number}" in line, line
    listed = json.loads(_run(["history", "--json"], home).stdout)
    assert [r["note"] for r in listed] == ["note 0", "note 1", "note 2"]
