"""Broken routine files and the located problems each must give: the cases the validator's tests
and the schema's tests share."""

from __future__ import annotations

# A routine file's opening and closing around the steps of each case.
HEAD = '{"format": 1, "id": "ab", "title": "T",\n "steps": ['
TAIL = "]}"

CASES: list[tuple[str, bytes, list[str]]] = [
    ("broken JSON", b'{"format": 1, "id": "ab", "title": "T" "steps": []}',
     ["f.json:1:40: $: invalid JSON: a comma is missing before this"]),
    ("empty file", b"",
     ["f.json:1:1: $: invalid JSON: the file is empty; expected a JSON value such as {...}"]),
    ("wrong type", (HEAD + '{"type": "rest", "title": "R", "seconds": "ten"}' + TAIL).encode(),
     ['f.json:2:54: steps[0].seconds: expected a whole number, got "ten"']),
    # Types are strict, as the schema's: text is not a number, true is not 1.
    ("seconds as text", (HEAD + '{"type": "rest", "title": "R", "seconds": "30"}' + TAIL).encode(),
     ['f.json:2:54: steps[0].seconds: expected a whole number, got "30"']),
    ("cycles as text", (HEAD + '{"type": "breathing", "title": "B", "pattern": "box", "cycles": "10"}'
                        + TAIL).encode(),
     ['f.json:2:76: steps[0].cycles: expected a whole number, got "10"']),
    ("seconds as true", (HEAD + '{"type": "rest", "title": "R", "seconds": true}' + TAIL).encode(),
     ["f.json:2:54: steps[0].seconds: expected a whole number, got true"]),
    ("format as true", b'{"format": true, "id": "ab", "title": "T", "steps": [{"type": "rest", "title": "R", '
                       b'"seconds": 10}]}',
     ["f.json:1:12: format: unsupported format true; this version of Coach reads format 1"]),
    ("a phase of true seconds",
     (HEAD + '{"type": "breathing", "title": "B", "pattern": {"phases": [{"breath": "inhale", '
      '"seconds": true}]}, "cycles": 2}' + TAIL).encode(),
     ["f.json:2:103: steps[0].pattern.phases[0].seconds: expected a number, got true"]),
    ("an id ending in a line break",
     b'{"format": 1, "id": "ab\\n", "title": "T", "steps": [{"type": "rest", "title": "R", "seconds": 10}]}',
     ["f.json:1:21: id: must be a lower-case id of 2-64 letters a-z, digits and '-', starting with a "
      'letter or digit, got "ab\\n"']),
    ("a fraction where whole seconds go",
     (HEAD + '{"type": "rest", "title": "R", "seconds": 10.5}' + TAIL).encode(),
     ["f.json:2:54: steps[0].seconds: expected a whole number, got 10.5"]),
    ("unknown key with a suggestion",
     (HEAD + '{"type": "rest", "title": "R", "secnods": 10}' + TAIL).encode(),
     ["f.json:2:43: steps[0].secnods: unknown field 'secnods' (did you mean 'seconds'?)"]),
    ("below the lower bound", (HEAD + '{"type": "rest", "title": "R", "seconds": 3}' + TAIL).encode(),
     ["f.json:2:54: steps[0].seconds: must be at least 5, got 3"]),
    ("above the upper bound of a phase",
     (HEAD + '{"type": "breathing", "title": "B", "pattern": {"phases": [{"breath": "inhale", '
      '"seconds": 40}, {"breath": "exhale", "seconds": 4}]}, "cycles": 2}' + TAIL).encode(),
     ["f.json:2:103: steps[0].pattern.phases[0].seconds: must be at most 30, got 40"]),
    ("unknown preset", (HEAD + '{"type": "breathing", "title": "B", "pattern": "boxx", "cycles": 4}'
                        + TAIL).encode(),
     ['f.json:2:59: steps[0].pattern: unknown breathing pattern "boxx"; presets are box, 4-7-8, '
      'coherent, resonance, extended-exhale, cyclic-sigh, or give {"phases": [...]}']),
    ("top level is not an object", b'[{"format": 1}]',
     ["f.json:1:1: $: expected a JSON object (the routine), got a list"]),
    ("control character in text",
     b'{"format": 1, "id": "ab", "title": "Bad\\u0007title",\n "steps": []}',
     ["f.json:1:36: title: a control character U+0007 at position 4 (text is shown literally; "
      "use plain sentences without tabs, line breaks or invisible characters)",
      "f.json:2:11: steps: must have at least 1 item"]),
    ("not UTF-8", b'{"format": 1, "id": "ab",\n "title": "caf\xe9"}',
     ["f.json:2:15: $: not UTF-8 text: byte 0xe9 is not part of a UTF-8 character here (save the file "
      "as UTF-8)"]),
    ("too big", b'{"x-pad": "' + b"a" * 270_000 + b'"}',
     ["f.json:1:1: $: file is 264 KiB; the limit is 256 KiB"]),
    ("both cycles and seconds",
     (HEAD + '{"type": "breathing", "title": "B", "pattern": "box", "cycles": 4, "seconds": 60}'
      + TAIL).encode(),
     ["f.json:2:12: steps[0]: give exactly one of 'cycles' or 'seconds'"]),
    ("neither cycles nor seconds",
     (HEAD + '{"type": "breathing", "title": "B", "pattern": "box"}' + TAIL).encode(),
     ["f.json:2:12: steps[0]: give exactly one of 'cycles' or 'seconds'"]),
    ("unknown step type", (HEAD + '{"type": "massge", "title": "B"}' + TAIL).encode(),
     ['f.json:2:21: steps[0].type: unknown step type "massge"; expected massage, stretch, '
      "breathing or rest"]),
    ("step without a type", (HEAD + '{"title": "B"}' + TAIL).encode(),
     ["f.json:2:12: steps[0]: missing required field 'type' (massage, stretch, breathing or rest)"]),
    ("id that is not a slug",
     b'{"format": 1, "id": "Neck Release", "title": "T",\n "steps": [{"type": "rest", "title": "R", '
     b'"seconds": 10}]}',
     ["f.json:1:21: id: must be a lower-case id of 2-64 letters a-z, digits and '-', starting with a "
      'letter or digit, got "Neck Release"']),
    ("area outside the vocabulary",
     b'{"format": 1, "id": "ab", "title": "T", "areas": ["nekc"],\n "steps": [{"type": "rest", '
     b'"title": "R", "seconds": 10}]}',
     ["f.json:1:51: areas[0]: expected 'head', 'face', 'jaw', 'neck', 'shoulders', 'upper-back', "
      "'lower-back', 'chest', 'arms', 'forearms-hands', 'hips', 'legs', 'feet', 'eyes', 'breath' "
      "or 'whole-body', "
      'got "nekc"']),
    ("no steps", b'{"format": 1, "id": "ab", "title": "T", "steps": []}',
     ["f.json:1:50: steps: must have at least 1 item"]),
    ("a newer format", b'{"format": 2, "id": "ab", "title": "T", "steps": []}',
     ["f.json:1:12: format: unsupported format 2; this version of Coach reads format 1",
      "f.json:1:50: steps: must have at least 1 item"]),
    ("missing fields", b'{"format": 1, "id": "ab",\n "steps": [{"type": "massage", "title": "M", '
                       b'"instruction": "x", "seconds": 30}]}',
     ["f.json:1:1: $: missing required field 'title'",
      "f.json:2:12: steps[0]: missing required field 'area'"]),
    ("duplicate key", (HEAD + '{"type": "rest", "title": "R", "seconds": 10, "seconds": 20}'
                       + TAIL).encode(),
     ["f.json:2:58: steps[0].seconds: duplicate key 'seconds' (keep one of them)"]),
    ("routine over two hours",
     (HEAD + ", ".join(['{"type": "rest", "title": "R", "seconds": 1800}'] * 4
                       + ['{"type": "rest", "title": "R", "seconds": 60}']) + TAIL).encode(),
     ["f.json:1:1: $: the routine lasts 121 minutes; the limit is 120 minutes"]),
    ("pressure on a massage step",
     (HEAD + '{"type": "massage", "title": "M", "instruction": "x", "seconds": 30, "area": "neck", '
      '"pressure": "hard"}' + TAIL).encode(),
     ["f.json:2:109: steps[0].pressure: expected 'light', 'medium' or 'firm', got \"hard\""]),
    ("pressure on a stretch", (HEAD + '{"type": "stretch", "title": "M", "instruction": "x", '
                               '"seconds": 30, "area": "neck", "pressure": "firm"}' + TAIL).encode(),
     ["f.json:2:97: steps[0].pressure: unknown field 'pressure'"]),
    ("blank title", b'{"format": 1, "id": "ab", "title": "   ",\n "steps": [{"type": "rest", '
                    b'"title": "R", "seconds": 10}]}',
     ["f.json:1:36: title: must not be blank"]),
    ("a pattern of only holds",
     (HEAD + '{"type": "breathing", "title": "B", "pattern": {"phases": [{"breath": "hold", '
      '"seconds": 4}]}, "cycles": 2}' + TAIL).encode(),
     ["f.json:2:59: steps[0].pattern: a pattern needs at least one inhale, top-up or exhale phase, "
      "not only holds"]),
    ("breathing step longer than 30 minutes",
     (HEAD + '{"type": "breathing", "title": "B", "pattern": "box", "cycles": 200}' + TAIL).encode(),
     ["f.json:2:12: steps[0]: this breathing step lasts 3200 s; a step may last at most 1800 s"]),
]  # fmt: skip
