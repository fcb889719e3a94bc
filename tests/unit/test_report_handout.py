"""The client's handout (coach.report.handout): what it holds, escaped, self-contained."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from coach.library import read_routine_file, routine_detail
from coach.report.handout import HandoutItem, HandoutRoutine, plan_handout, routine_handout
from coach.safety_note import PRESSURE
from coach.text import visible
from tests.helpers.command import ROOT
from tests.helpers.hostile import acts
from tests.helpers.report_plans import BUILT_IN, LONG_ID, OWN, PLAN, parse

# Anything that fetches or runs: the page must hold none of it.
EXTERNAL = re.compile(
    r"(?i)(https?:|//[a-z]|\bsrc\s*=|\bhref\s*=|url\s*\(|@import|<script|<link|<iframe"
    r"|<object|<embed|<img|\bon[a-z]+\s*=|javascript:)"
)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def tags(page: str) -> list[str]:
    parser = _Tags()
    parser.feed(page)
    parser.close()
    return parser.tags


def built_in(routine_id: str) -> HandoutRoutine:
    detail = routine_detail(read_routine_file(ROOT / "routines" / f"{routine_id}.json"))
    return HandoutRoutine(routine_id, detail, f"coach run {routine_id} --plan {LONG_ID}")


def long_plan_handout() -> str:
    plan = parse(PLAN)
    own = next(r for r in plan.routines if r.id == OWN["id"])
    routines = {r: built_in(r) for r in BUILT_IN}
    routines[OWN["id"]] = HandoutRoutine(f"{LONG_ID}/{OWN['id']}", routine_detail(own), "")
    items = [
        HandoutItem(routines[i.routine], i.schedule_text, i.note or "", i.per_week, i.days and tuple(i.days))
        for i in plan.items
    ]
    return plan_handout(plan, items)


def test_the_plan_handout_has_the_schedule_notes_and_every_routine_in_full() -> None:
    page = long_plan_handout()
    plan = parse(PLAN)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "@page { size: A4 portrait;" in page
    assert f"<h1>Home plan for {html.escape(plan.client)}</h1>" in page
    assert html.escape(plan.note or "", quote=True) in page  # the therapist's note
    assert "how much pain you feel in your <strong>neck</strong>" in page
    # The schedule: one row per item, with its schedule and note.
    schedule = page.split("<h2>Your schedule</h2>")[1].split("</table>")[0]
    assert schedule.count("<tr>") == 1 + len(plan.items)
    for item in plan.items:
        assert html.escape(item.schedule_text) in schedule
    assert "<td>Softer ball at first.</td>" in schedule and "Mon, Thu" in schedule
    # Every routine in full: its section, steps, cautions and stop-if.
    assert page.count('<section class="routine">') == 7
    own = page.split(f"({LONG_ID}/{OWN['id']})")[1]
    assert "Keep the ball off the spine itself." in own
    assert '<div class="box stop"><h3>Stop and get help if</h3>' in own  # as the app says
    assert "Tingling or numbness runs into the arm or hand." in own
    assert "3 × hold 8 s, release 4 s" in own  # reps
    assert "left side · light pressure" in own and "each side, left then right · firm pressure" in own
    assert "40 s)" in own and "per side)" in own  # timings
    assert "<em>If it is too much:</em> Stand further from the wall." in own
    # Body maps: the left upper back and both sides of it, each captioned with its steps.
    maps = own.split('<div class="maps">')[1].split("</div>")[0]
    assert maps.count('<figure class="body-map">') == 2
    assert "<figcaption>step 1: upper-back, left side, back</figcaption>" in maps
    assert "<figcaption>step 2: upper-back, back</figcaption>" in maps
    assert f"<code>coach run neck-and-shoulders --plan {LONG_ID}</code>" in page
    # Pressure is explained once, at the top (built-in routines' cautions repeat it: left out).
    assert page.count(html.escape(PRESSURE, quote=True)) == 1
    assert page.index(html.escape(PRESSURE, quote=True)) < page.index("<h2>Your schedule</h2>")


def test_a_handout_is_self_contained_and_has_no_script() -> None:
    for page in (long_plan_handout(), routine_handout(built_in("neck-and-shoulders"))):
        assert EXTERNAL.findall(page) == []
        assert page.count("<style>") == 1 and "script" not in tags(page)


HOSTILE_TEXTS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "\x1b]0;pwned\x07 \x1b[2J",
    "abc\u202edcba",
    "[link](http://evil.example) <a href='http://evil.example'>x</a>",
    "&amp; &lt;b&gt;",
]


def hostile_detail() -> dict[str, object]:
    """A routine_detail whose every text is hostile (the models refuse control characters in
    files, but a handout must be safe whatever it is given)."""
    text = " ".join(HOSTILE_TEXTS)
    step = {"type": "massage", "title": text, "pattern_name": None, "cycles": None, "area": "neck",
            "side": "each", "pressure": "firm", "sides": 2, "pass_seconds": 30.0, "instruction": text,
            "gentler": text, "gentler_pattern": None, "reps": text}  # fmt: skip
    return {"id": "x", "title": text, "summary": text, "total_seconds": 60.0, "areas": [text],
            "equipment": [text], "cautions": [text], "stop_if": [text], "steps": [step]}  # fmt: skip


def test_hostile_text_is_shown_as_text_never_as_markup_or_terminal_control() -> None:
    page = routine_handout(HandoutRoutine("x/<b>", hostile_detail(), "coach run <b>"))
    assert not any(acts(c) for c in page.replace("\n", ""))
    shown = html.escape(visible(" ".join(HOSTILE_TEXTS)), quote=True)
    assert EXTERNAL.findall(page.replace(shown, "")) == []  # only inside the escaped text
    found = tags(page)
    assert "script" not in found and "img" not in found and "a" not in found
    # "b" only as the body map's own marked cells.
    assert found.count("b") == page.count('<b class="marked">') + 1  # the lead's "#"
    assert page.count(shown) >= 8  # title, summary, areas, equipment, caution, stop-if, step, gentler


def test_a_routines_page_never_mentions_a_therapist_and_areas_read_as_words() -> None:
    """`coach show --html` has no therapist: its stop box says "get help", as the app does,
    and nothing on the page mentions one (issue 13); areas are words, not slugs."""
    plan = parse(PLAN)
    own = next(r for r in plan.routines if r.id == OWN["id"])  # upper back, with stop_if
    page = routine_handout(HandoutRoutine("upper-back", routine_detail(own), "coach run upper-back"))
    assert '<div class="box stop"><h3>Stop and get help if</h3>' in page
    assert "therapist" not in page.lower()
    assert "<dt>Areas</dt><dd>upper back</dd>" in page
    # The body map's text alternative: "marked: …", never "the upper back is marked".
    assert "marked with #: left side of the upper back." in page and " is marked" not in page


def test_the_pain_area_is_words_in_the_plan_handout() -> None:
    plan = parse({**PLAN, "pain": {"area": "lower-back"}})
    page = plan_handout(plan, [])
    assert "how much pain you feel in your <strong>lower back</strong>" in page
