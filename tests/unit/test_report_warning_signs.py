"""The attention list raises notes that name a warning sign, not notes that name a body part.

A therapist tester's findings: with the plan's note "Stop if you feel tingling in the arm or
hand.", "Some chest pain and breathlessness, felt dizzy" was listed fifth and plain while
"Easy, did it with my left hand while on a call" was raised to the top in bold.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from coach.library import builtin_routine_ids
from coach.plan import parse_plan
from coach.report import build_report, to_csv, to_html, to_json, to_markdown
from coach.report.attention import MATCHED_NOTE, NOTE, WARNING_SIGNS, matched_words, watch_words
from coach.report.schema import REPORT_SCHEMA
from tests.helpers.command import ROOT
from tests.helpers.plans import BASE, OWN_ROUTINE, recorded_on, text_of

TESTER_NOTE = "Stop if you feel tingling in the arm or hand."
CHEST = "Some chest pain and breathlessness, felt dizzy"
HAND = "Easy, did it with my left hand while on a call"
N = "neck-and-shoulders"


def _plan(note: str | None = TESTER_NOTE, routines: list[dict[str, Any]] | None = None):  # type: ignore[no-untyped-def]
    obj = {**BASE, "note": note, "routines": routines if routines is not None else [OWN_ROUTINE]}
    return parse_plan(text_of(obj), "plan.json", builtin_routine_ids())


def _tester_report(stop_if: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    notes = [HAND, "Felt looser.", "numb fingers after", "Fine.", CHEST, "light-headed when I stood up"]
    records = [
        recorded_on(date(2026, 11, 26) + timedelta(days=n), 12, N, pre=6, post=4, note=t)
        for n, t in enumerate(notes)
    ]
    return build_report(
        _plan(), records, date(2026, 12, 3), {N: "Neck and shoulder release"}, stop_if=stop_if
    )


def test_the_testers_notes_a_body_part_is_not_raised_and_red_flags_are() -> None:
    r = _tester_report()
    by_note = {a.session.note: a for a in r.attention}
    assert by_note[CHEST].matched == ("chest pain", "breathlessness", "dizzy")
    assert by_note["numb fingers after"].matched == ("numb",)
    assert by_note["light-headed when I stood up"].matched == ("light-headed",)
    assert by_note[HAND].matched == () and by_note[HAND].flags[0].kind == NOTE
    # The warnings come first, oldest first; the plain notes after them.
    assert [a.session.note for a in r.attention][:3] == [
        "numb fingers after",
        CHEST,
        "light-headed when I stood up",
    ]
    assert [a.session.note for a in r.attention][3:] == [HAND, "Felt looser.", "Fine."]


def test_the_matched_words_are_marked_in_every_format_and_the_json_follows_its_schema() -> None:
    r = _tester_report()
    md_text = to_markdown(r)
    assert "(names warning signs: chest pain, breathlessness, dizzy)" in md_text
    assert "(names a warning sign: numb)" in md_text
    assert "hand while on a call”" in md_text and "names a warning sign: hand" not in md_text
    page = to_html(r)
    assert "Some <mark>chest pain</mark> and <mark>breathlessness</mark>, felt <mark>dizzy</mark>" in page
    assert "<mark>hand</mark>" not in page
    rows = [row for row in csv.reader(io.StringIO(to_csv(r))) if row and row[0] == "attention"]
    chest = next(row for row in rows if CHEST in row[-1])
    assert chest[4].startswith(MATCHED_NOTE) and chest[5] == "chest pain; breathlessness; dizzy"
    data = json.loads(to_json(r))
    jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(data)
    entry = next(
        a for a in data["attention"] if a["matched_words"] == ["chest pain", "breathlessness", "dizzy"]
    )
    assert entry["flags"][0]["kind"] == "note names a warning sign"


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        (CHEST, ("chest pain", "breathlessness", "dizzy")),
        ("pain in my chest", ("pain in my chest",)),
        ("chest fine, pain in neck", ()),  # two clauses: no chest pain
        ("pins and needles in my hand", ("pins and needles",)),
        ("Shortness of breath on the stairs", ("Shortness of breath",)),
        ("in and out breathing, all good", ()),
        ("Light pressure on the head", ()),
        ("headache getting worse", ("headache getting worse",)),
        ("headache better", ()),
        ("a sharp, shooting pain", ("shooting",)),
        ("sharp pain behind the ear", ("sharp pain",)),
        ("Nearly fainted", ("fainted",)),
        ("My calf is swollen", ("swollen",)),
        ("Felt good", ()),
    ],
)
def test_warning_signs_are_found_whatever_the_plan_says(note: str, expected: tuple[str, ...]) -> None:
    assert matched_words(note, {}) == expected


def test_body_parts_common_and_pain_words_never_come_from_the_plans_note() -> None:
    words = watch_words(TESTER_NOTE)
    assert set(words.values()) == {"tingling"}  # not "hand", "stop", "feel"
    assert watch_words("Tell me if the pain in your neck or shoulders gets worse.") == {}
    assert watch_words(None, ["Pain, tingling or numbness spreads into the arm or hand."]).keys() == {
        "tingl", "numb"}  # fmt: skip
    assert matched_words(HAND, words) == ()


def test_a_routines_stop_if_lines_give_words_to_watch_for() -> None:
    """A word only a routine's "stop if" line names ("clicking") raises a note: from the
    lines the command passes in (built-in routines) and from the plan's own routines."""
    note = "Jaw clicking again"
    records = [recorded_on(date(2026, 11, 26), 12, N, note=note)]
    plain = build_report(_plan(None), records, date(2026, 12, 3))
    assert plain.attention[0].matched == ()
    given = build_report(_plan(None), records, date(2026, 12, 3), stop_if=["Clicking or locking of the jaw."])
    assert given.attention[0].matched == ("clicking",)
    own = {**OWN_ROUTINE, "stop_if": ["Clicking or locking of the jaw."]}
    from_plan = build_report(_plan(None, [own]), records, date(2026, 12, 3))
    assert from_plan.attention[0].matched == ("clicking",)


def test_every_warning_sign_is_found_in_a_note_that_says_it() -> None:
    for sign in WARNING_SIGNS:
        said = sign.replace("…", "really")
        assert matched_words(f"Today: {said}.", {}), sign


@pytest.mark.parametrize(
    "note",
    [
        HAND,
        "Used the ball against the wall, less stress after",
        "Pressed too hard on the knot, ok now",
        "Breathing felt easier, good rest",
        "Changed the order, moved slowly",
        "Pain a bit better today, neck less stiff",
    ],
)
def test_everyday_notes_are_not_raised_by_the_built_in_routines_stop_if_lines(note: str) -> None:
    """Every built-in routine's "stop if" lines give words to watch for, but not the
    everyday ones a client writes in half their notes ("ball", "stress", "rest", "press")."""
    lines = [line for path in (ROOT / "routines").glob("*.json") for line in _stop_if(path)]
    assert len(lines) > 20
    words = watch_words(TESTER_NOTE, lines)
    assert {"tingl", "numb", "swallow"} <= words.keys()
    assert matched_words(note, words) == ()
    assert matched_words("Felt sick, with a curtain over one eye", words) == ("sick", "curtain")


def _stop_if(path: Path) -> list[str]:
    data = json.loads(path.read_text("utf-8"))
    return list(data.get("stop_if", [])) if isinstance(data, dict) else []
