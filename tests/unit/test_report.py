"""The plan report in its four formats: content, escaping, and a self-contained HTML page."""

from __future__ import annotations

import csv
import html
import io
import itertools
import json
import re
from datetime import date, timedelta

import jsonschema
import pytest

from coach.library import builtin_routine_ids
from coach.plan import parse_plan
from coach.records import SessionRecord, record_from_json
from coach.report import build_report, chart_svg, render, to_csv, to_html, to_json, to_markdown
from coach.report.attention import (
    MATCHED_NOTE,
    NOTE,
    PAIN_ROSE,
    PARTLY_DONE,
    STOPPED,
    TOO_MUCH,
    matched_words,
    watch_words,
)
from coach.report.schema import REPORT_SCHEMA
from coach.report.wording import percent
from tests.helpers.command import ROOT
from tests.helpers.plans import BASE, recorded_on, text_of, the_plan
from tests.helpers.report_plans import long_report

NASTY = "<script>alert(1)</script> | *stars* =SUM(A1) [link](http://evil.example)"
TITLES = {"neck-and-shoulders": "Neck and shoulder release"}


def records() -> list[SessionRecord]:
    n, k = "neck-and-shoulders", "kim-breathing"
    d = date
    return [
        recorded_on(d(2026, 11, 26), 12, n, pre=7, post=4, note="Shoulders looser after.", gentler=1),
        recorded_on(d(2026, 11, 26), 21, k, pre=5, post=4),
        recorded_on(d(2026, 11, 28), 12, n, pre=6, post=6),
        recorded_on(d(2026, 11, 30), 12, n, pre=3, post=2, note=NASTY),
        recorded_on(d(2026, 12, 1), 12, n, pre=8, post=None, completed=False, note="Phone rang."),
        recorded_on(d(2026, 12, 1), 13, n, plan=None, pre=9, post=1),  # not from the plan
    ]


def report():  # type: ignore[no-untyped-def]
    return build_report(the_plan(), records(), date(2026, 12, 3), TITLES)


def test_figures() -> None:
    r = report()
    assert len(r.sessions) == 5  # the session without the plan id is not in it
    assert [s.change for s in r.sessions] == [-3, -1, 0, -1, None]
    assert len(r.rated) == 4 and len(r.rated_completed) == 4
    # changes -3 -1 0 -1: sorted -3 -1 -1 0; inclusive quartiles at 0.75, 1.5, 2.25
    assert r.change_spread == (-1.5, -1.0, -0.75) and r.median_change == -1.0
    # responders: 7->4 (3 points, 43 %); not 3->2 (1 point), 5->4, 6->6
    assert r.responders == 1 and r.responder_rate == 0.25
    assert [s.outcome for s in r.sessions] == ["completed"] * 4 + ["stopped"]
    assert [s.meaning for s in r.sessions] == [
        "a noticeable drop", "about the same", "about the same", "about the same", ""
    ]  # fmt: skip
    assert [s.note for s in r.notes] == ["Shoulders looser after.", NASTY, "Phone rang."]
    assert r.title_of("kim-breathing") == "Kim's evening breaths"  # from the plan's own routines


def test_markdown() -> None:
    text = to_markdown(report())
    assert text.startswith("# Home plan report: kim-2026\n")
    for expected in (
        "- **Client:** Kim",
        "- **Therapist:** Jo Park (jo\\@example\\.com)",  # no autolink from a file's text
        "- **Period:** Thu 26 Nov 2026 to Wed 16 Dec 2026 (21 days, touching 4 calendar weeks); running",
        "- **Report made:** Thu 3 Dec 2026, counting sessions up to that day",
        "- **Adherence:** 4 of 7 sessions due so far were done (57 %); 4 completed sessions in the "
        "plan's period in all.",
        "- **Sessions:** 4 completed, 0 partly done, 1 stopped in the plan's period.",
        "- **Stress (0-10):** median change -1 points (interquartile range -1.5 to -0.75) over 4 completed "
        "sessions with both ratings (after minus before; negative is calmer); a noticeable or large drop "
        "(at least 2 points and 30 % of the rating before) in 1 of 4 (25 %); reference thresholds from "
        "pain research, not a clinical measure of stress.",
        "| Neck and shoulder release (neck-and-shoulders) | 5 times a week | 3 | 5 | 60 % | 3 |  |",
        "| Kim's evening breaths (kim-breathing) | Mon, Thu | 1 | 2 | 50 % | 1 | Before bed. |",
        "- One version: the plan has not changed since it was imported.",
        "| Mon 23 Nov | Thu 26 Nov – Sun 29 Nov (part week) | 2/3 | 1/1 | 75 % | over |",
        "| Mon 30 Nov | Mon 30 Nov – Sun 6 Dec | 1/2 | 0/1 | 33 % | in progress, 3 due so far |",
        "| Mon 14 Dec | Mon 14 Dec – Wed 16 Dec (part week) | – | – | – | to come |",
        "| Thu 26 Nov | 12:05 | Neck and shoulders | 5.0 | completed | 7 | 4 | −3 (a noticeable drop) | 1 "
        "|  | Shoulders looser after. |",
        "| Tue 1 Dec | 12:05 | Neck and shoulders | 5.0 | stopped | 8 |  |  | 0 |  | Phone rang. |",
        "## For your attention\n\n- Tue 1 Dec 12:05, Neck and shoulders: stopped early after step 2 of 5 "
        "(5 of 5 min practised); note: “Phone rang.”\n",
        "- Thu 26 Nov, Neck and shoulders: Shoulders looser after.",
    ):
        assert expected in text, expected
    # A note is text, not markup: its pipe cannot split the table, its tags and link are inert.
    assert (
        "\\<script\\>alert(1)\\</script\\> \\| \\*stars\\* =SUM(A1) "
        "\\[link\\](http\\://evil\\.example)" in text
    )
    assert "<script>" not in text


def test_csv() -> None:
    text = to_csv(report())
    rows = list(csv.reader(io.StringIO(text)))
    plan_rows = {r[1]: r[2] for r in rows if r and r[0] == "plan"}
    assert plan_rows["client"] == "Kim" and plan_rows["therapist"] == "Jo Park"
    assert plan_rows["starts"] == "2026-11-26" and plan_rows["ends"] == "2026-12-16"
    assert plan_rows["sessions_due_so_far"] == "7" and plan_rows["sessions_done_of_due"] == "4"
    assert plan_rows["adherence_pct"] == "57" and plan_rows["median_change"] == "-1"
    assert (plan_rows["change_q1"], plan_rows["change_q3"]) == ("-1.5", "-0.75")
    assert plan_rows["responders"] == "1" and plan_rows["responder_pct"] == "25"
    assert plan_rows["rated_completed_sessions"] == "4"
    weeks = [r for r in rows if r and r[0] == "week"]
    assert len(weeks) == 8  # 4 weeks x 2 items
    assert weeks[0] == [
        "week",
        "2026-11-23",
        "2026-11-26",
        "2026-11-29",
        "past",
        "neck-and-shoulders",
        "3",
        "3",
        "2",
        "2",
    ]
    items = [r for r in rows if r and r[0] == "item"]
    assert items[1] == [
        "item",
        "kim-breathing",
        "Kim's evening breaths",
        "Mon, Thu",
        "6",
        "2",
        "1",
        "1",
        "50",
        "Before bed.",
    ]
    sessions = [r for r in rows if r and r[0] == "session"]
    assert len(sessions) == 5
    assert sessions[0] == [
        "session",
        "2026-11-26T12:05:00+01:00",
        "neck-and-shoulders",
        "Neck and shoulders",
        "5.0",
        "true",
        "completed",
        "7",
        "4",
        "-3",
        "a noticeable drop",
        "",
        "",
        "",
        "1",
        "",
        "Shoulders looser after.",
    ]
    assert sessions[3][-1] == NASTY  # kept whole; it does not start with a formula sign
    assert sessions[4][5:10] == ["false", "stopped", "8", "", ""]


def test_csv_defuses_formulas() -> None:
    r = build_report(
        the_plan(), [recorded_on(date(2026, 11, 26), 9, "neck-and-shoulders", note="=1+1")], date(2026, 12, 3)
    )
    sessions = [row for row in csv.reader(io.StringIO(to_csv(r))) if row and row[0] == "session"]
    assert sessions[0][-1] == "'=1+1"


EXTERNAL = re.compile(
    r"(?i)(https?:|//[a-z]|\bsrc\s*=|\bhref\s*=|url\s*\(|@import|<script|<link|<iframe"
    r"|<object|<embed|<img|\bon[a-z]+\s*=|javascript:)"
)


def test_html_is_one_self_contained_printable_page() -> None:
    page = to_html(report())
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "@page { size: A4 portrait;" in page
    # Nothing fetched, nothing run: the only link-looking text is the note, escaped.
    found = EXTERNAL.findall(page.replace(html_escaped(NASTY), ""))
    assert found == []
    assert html_escaped(NASTY) in page
    assert page.count("<svg") == 1 and page.count("<style>") == 1
    assert page.count("<circle") == 4 + 1 and page.count("<rect") >= 4 + 1  # 4 rated sessions + legend
    for expected in (
        "<dt>Client</dt><dd>Kim</dd>",
        "<dt>Therapist</dt><dd>Jo Park (jo@example.com)</dd>",
        "4 of 7 sessions due so far were done (57 %)",
        "median change -1 points (interquartile range -1.5 to -0.75)",
        "in 1 of 4 (25 %)",
        '<td class="w">completed</td>',
        '<td class="w">stopped</td>',
        '<tr class="note"><td colspan="7">Note: Shoulders looser after.</td></tr>',
        "<td>7 → 4<small>−3 (a noticeable drop)</small></td>",
        "Kim&#x27;s evening breaths",
        '<th class="n"><span class="nowrap">23 Nov</span><small>Thu–Sun</small></th>',
        '<td class="n muted">now</td>',
    ):
        assert expected in page, expected


def html_escaped(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def test_html_chart_without_ratings_says_so() -> None:
    page = to_html(build_report(the_plan(), [], date(2026, 11, 20)))
    assert "No session with both ratings yet" in page
    assert "nothing was due yet" in page and "No session of this plan is recorded yet." in page
    assert "not started yet" in page


def partly_done_report():  # type: ignore[no-untyped-def]
    """The fixture with its 28 Nov session partly done: it reached the end, too little practised."""
    changed = []
    for record in records():
        if record.started_at.startswith("2026-11-28"):
            record = record_from_json({**record.to_json(), "completed": False, "ran_to_end": True})
        changed.append(record)
    return build_report(the_plan(), changed, date(2026, 12, 3), TITLES)


def test_a_partly_done_session_is_shown_as_such_in_every_format() -> None:
    r = partly_done_report()
    outcomes = [s.outcome for s in r.sessions]
    assert outcomes == ["completed", "completed", "partly done", "completed", "stopped"]
    # Not completed, so it is out of the adherence and the change figures.
    assert r.adherence.done == 3 and len(r.rated_completed) == 3 and len(r.rated) == 4
    md_text = to_markdown(r)
    row = "| Sat 28 Nov | 12:05 | Neck and shoulders | 5.0 | partly done | 6 | 6 | 0 (about the same) | 0 |  |  |"  # noqa: E501
    assert row in md_text
    assert "- **Sessions:** 3 completed, 1 partly done, 1 stopped in the plan's period." in md_text
    assert '<td class="w">partly done</td>' in to_html(r)
    rows = [row for row in csv.reader(io.StringIO(to_csv(r))) if row and row[0] == "session"]
    assert [row[5:7] for row in rows] == [
        ["true", "completed"], ["true", "completed"], ["false", "partly done"], ["true", "completed"],
        ["false", "stopped"],
    ]  # fmt: skip
    data = json.loads(to_json(r))
    assert [(x["completed"], x["outcome"]) for x in data["sessions"]][2] == (False, "partly done")
    assert data["change"]["rated_completed_sessions"] == 3 and data["adherence"]["completed_sessions"] == 3


def test_json_has_the_same_figures_as_the_other_formats() -> None:
    r = report()
    data = json.loads(to_json(r))
    assert data["plan"] == "kim-2026" and data["report_date"] == "2026-12-03"
    assert data["change"] == {
        "rated_completed_sessions": 4,
        "median": -1.0,
        "q1": -1.5,
        "q3": -0.75,
        "responders": 1,
        "responder_rate": 0.25,
        "thresholds": "reference thresholds from pain research, not a clinical measure of stress",
    }
    assert data["adherence"]["sessions_due_so_far"] == 7 and data["adherence"]["sessions_done_of_due"] == 4
    first = data["sessions"][0]
    assert (first["outcome"], first["change"]) == ("completed", -3)
    assert first["change_meaning"] == "a noticeable drop"
    assert data["sessions"][3]["note"] == NASTY  # data, kept whole


def test_render_dispatch() -> None:
    r = report()
    assert render(r, "md") == to_markdown(r)
    assert render(r, "html") == to_html(r)
    assert render(r, "csv") == to_csv(r)
    assert render(r, "json") == to_json(r)
    with pytest.raises(ValueError):
        render(r, "pdf")


def test_md_and_html_session_rows_say_what_the_change_means() -> None:
    """The Change cell is the number and its words from coach.rating, as in the CSV report."""
    r = report()
    md_text, html_text = to_markdown(r), to_html(r)
    for words in ("−3 (a noticeable drop)", "0 (about the same)", "−1 (about the same)"):
        assert words in md_text and words in html_text, words
    rows = [line for line in md_text.splitlines() if line.startswith("| Tue 1 Dec")]
    assert "| 8 |  |  |" in rows[0]  # no post-rating: no change and no words


def test_json_report_escapes_characters_that_act_or_hide() -> None:
    hostile = "a\u009b2J b\u202ec d\u2028e f\x7f"
    changed = [
        recorded_on(date(2026, 11, 26), 12, "neck-and-shoulders", pre=7, post=4, note=hostile),
    ]
    text = to_json(build_report(the_plan(), changed, date(2026, 12, 3), TITLES))
    assert not any(ch in text for ch in "\u009b\u202e\u2028\x7f")
    assert "\\u009b" in text and "\\u202e" in text and "\\u2028" in text and "\\u007f" in text
    assert json.loads(text)["sessions"][0]["note"] == hostile  # the same value


# --- for your attention, versions, pain, the long plan (tests/helpers/report_plans.py) ----------


def test_attention_lists_what_matters_first_and_marks_the_note_the_therapist_asked_for() -> None:
    r = long_report()
    found = r.attention
    kinds = [[f.kind for f in entry.flags] for entry in found]
    # The note that answers the plan's note ("tell me if you feel tingling"), then pain that
    # rose, then "too much", then partly done; everything flagged is listed, once.
    assert kinds == [
        [MATCHED_NOTE, TOO_MUCH, STOPPED],
        [PAIN_ROSE, NOTE],
        [TOO_MUCH],
        [PARTLY_DONE],
    ]
    first = found[0]
    # "hand" is a body part: only "tingling" names a warning sign.
    assert first.matched == ("tingling",) and first.session.note == "Stopped: tingling in right hand"
    assert (
        first.flags[1].text
        == 'pressed "too much" at step 2 (Hold the tender spot), 1 min 2 s in; ended the session'
    )
    assert first.flags[2].text == "stopped early after step 2 of 6 (1.5 of 5 min practised)"
    assert found[1].flags[0].text == "neck pain rose from 2 to 5 (0-10)"
    assert found[2].flags[0].text.endswith("chose the gentler version")
    md_text = to_markdown(r)
    html_page = to_html(r)
    # First in every format: before the summary.
    assert md_text.index("## For your attention") < md_text.index("## Summary")
    assert html_page.index("For your attention") < html_page.index("<h2>Summary</h2>")
    assert "**Wed 13 Jan 12:05, Coherent breathing: note: “Stopped: tingling in right hand”" in md_text
    assert "(names a warning sign: tingling)" in md_text
    assert "<mark>tingling</mark> in right hand" in html_page
    rows = [row for row in csv.reader(io.StringIO(to_csv(r))) if row and row[0] == "attention"]
    assert rows[0][4:6] == ["note names a warning sign; too much; stopped", "tingling"]
    assert [a["flags"][0]["kind"] for a in json.loads(to_json(r))["attention"]] == [
        MATCHED_NOTE, PAIN_ROSE, TOO_MUCH, PARTLY_DONE
    ]  # fmt: skip


def test_watch_words_match_forms_of_a_word_and_skip_common_ones() -> None:
    words = watch_words("Stop if you feel tingling or numbness in the arm. Little and often.")
    assert set(words.values()) == {"tingling", "numbness"}  # "stop", "feel", "little", "often": common
    assert matched_words("It tingled, then went numb", words) == ("tingled", "numb")
    assert matched_words("Felt good, stopped early", words) == ()
    assert watch_words(None) == {} and watch_words("") == {}


def test_a_note_with_a_character_reference_name_is_not_marked_inside_the_reference() -> None:
    r = build_report(
        parse_plan(
            text_of({**BASE, "note": "Tell me about any quot or amp."}), "p.json", builtin_routine_ids()
        ),
        [recorded_on(date(2026, 11, 26), 12, "neck-and-shoulders", note='"quot" & stuff')],
        date(2026, 12, 3),
    )
    page = to_html(r)
    assert "&quot;<mark>quot</mark>&quot; &amp; stuff" in page


def test_items_table_counts_agree_with_the_percentage() -> None:
    r = long_report()
    md_text = to_markdown(r)
    for item, total in r.item_totals:
        assert total.share == (total.credited / total.expected if total.expected else None)
        row = next(
            line for line in md_text.splitlines() if line.startswith("| ") and f"({item.routine})" in line
        )
        cells = [c.strip() for c in row.strip("|").split(" | ")]
        assert cells[2:6] == [str(total.credited), str(total.expected), percent(total.share), str(total.done)]
    # The removed item keeps its sessions: 5 completed, 2 of them counted (its 5 weeks at once a week).
    chest = dict((i.routine, t) for i, t in r.item_totals)["chest-and-upper-back"]
    assert (chest.credited, chest.expected, chest.done) == (2, 5, 5)


def test_every_plan_change_is_listed_with_its_date_in_every_format() -> None:
    r = long_report()
    lines = [
        "Version 1, in force from Mon 4 Jan 2027 (the plan's start; first imported on Fri 1 Jan 2027)",
        "Version 2, in force from Wed 10 Feb 2027",
        "from Wed 10 Feb: chest-and-upper-back removed (was 1 a week)",
        "from Wed 10 Feb: neck-and-shoulders 4 → 5 a week",
    ]
    md_text, page, text_csv = to_markdown(r), to_html(r), to_csv(r)
    for line in lines:
        assert line in md_text and html_escaped(line) in page, line
    changes = [row for row in csv.reader(io.StringIO(text_csv)) if row and row[0] == "change"]
    assert [row[4:8] for row in changes] == [
        ["item removed", "chest-and-upper-back", "1 a week", ""],
        ["per_week", "neck-and-shoulders", "4", "5"],
    ]
    data = json.loads(to_json(r))
    assert [len(v["changes"]) for v in data["versions"]] == [0, 2]
    assert data["versions"][1]["effective"] == "2027-02-10"
    assert data["versions"][1]["changes"][1]["description"] == lines[3]
    # The week the change fell in says both versions count in it.
    assert "<small>version 1+2</small>" in page and "<small>version 2</small>" in page


def test_pain_is_shown_beside_stress_when_the_plan_asks() -> None:
    r = long_report()
    assert r.pain_area == "neck" and len(r.pain_rose) == 1 and r.pain_median == -1.0
    md_text, page = to_markdown(r), to_html(r)
    assert "- **Pain (0-10):** neck: median change -1 points over 33 completed sessions" in md_text
    assert "| Stress (0-10)" not in md_text and "| Change | Pain | Gentler |" in md_text
    assert '<th>Stress</th><th class="n">Pain</th>' in page
    assert '<td class="n">2 → 5</td>' in page
    data = json.loads(to_json(r))
    assert data["pain"] == {"area": "neck", "rated_completed_sessions": 33, "median_change": -1.0,
                            "sessions_pain_rose": 1}  # fmt: skip
    # A plan that asks for no pain rating has no pain column.
    assert "Pain" not in to_markdown(report()).split("## Sessions")[1]
    assert json.loads(to_json(report()))["pain"] is None


def test_the_weekly_table_is_split_every_8_weeks_with_every_cell() -> None:
    r = long_report()
    page = to_html(r)
    tables = re.findall(r'<table class="weeks">.*?</table>', page, re.S)
    assert len(tables) == 2 and len(r.adherence.weeks) == 16
    for table, weeks in zip(tables, (r.adherence.weeks[:8], r.adherence.weeks[8:]), strict=True):
        assert table.count("<col ") == 1 + 8
        for week in weeks:
            assert f'<span class="nowrap">{week.monday.day} {week.monday:%b}</span>' in table
        assert (
            table.count("<tr>") + table.count('<tr class="total">') == 1 + 7 + 2
        )  # head, items, share, state
        rows = re.findall(r"<tr><td>[^<]*<small>.*?</tr>", table)  # the item rows
        cells = [c for row in rows for c in re.findall(r'<td class="n">(\d+/\d+|–)</td>', row)]
        assert cells == [w.items[i].cell_text for i in range(7) for w in weeks]


def test_chart_labels_stand_apart() -> None:
    svg = chart_svg(long_report())
    xs = [float(x) for x in re.findall(r'<text x="([\d.]+)" y="212" text-anchor="middle">', svg)]
    assert len(xs) >= 6  # 17 Mondays, every second one labelled
    assert all(b - a >= 56 for a, b in itertools.pairwise(xs)) and max(xs) <= 680 - 12 - 20


def test_json_report_follows_its_documented_schema() -> None:
    validator = jsonschema.Draft202012Validator(REPORT_SCHEMA, format_checker=jsonschema.FormatChecker())
    validator.check_schema(REPORT_SCHEMA)
    for r in (long_report(), report(), partly_done_report(), build_report(the_plan(), [], date(2026, 11, 1))):
        data = json.loads(to_json(r))
        errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
        assert errors == [], [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    # The schema is strict: a misspelt field is an error.
    data = json.loads(to_json(report()))
    data["sessions"][0]["pian_pre"] = 3
    assert not validator.is_valid(data)


def test_the_published_schema_file_is_the_code_schema() -> None:
    published = json.loads((ROOT / "docs" / "report.schema.json").read_text("utf-8"))
    assert published == REPORT_SCHEMA, "run: python -m coach.report.schema > docs/report.schema.json"


# --- issue 13: a short list, plain wording, figures that agree ----------------------------------


def _with_pain(record: SessionRecord, pre: int, post: int, area: str = "lower-back") -> SessionRecord:
    return record_from_json({**record.to_json(), "pain_area": area, "pain_pre": pre, "pain_post": post})


def test_only_a_noticeable_pain_rise_is_flagged_and_the_area_is_words() -> None:
    """DESIGN's rule for a rise: +2 and (from 0, or at least 30 % of the pain before)."""
    n = "neck-and-shoulders"
    rows = [
        _with_pain(recorded_on(date(2026, 11, 26), 9, n), 3, 4),  # +1: about the same
        _with_pain(recorded_on(date(2026, 11, 27), 9, n), 8, 10),  # +2 is 25 % of 8: small
        _with_pain(recorded_on(date(2026, 11, 28), 9, n), 0, 2),  # from 0: noticeable
        _with_pain(recorded_on(date(2026, 11, 29), 9, n), 4, 6),  # +2 is 50 % of 4: noticeable
    ]
    r = build_report(the_plan(), rows, date(2026, 12, 3), TITLES)
    flagged = [[f.text for f in e.flags] for e in r.attention]
    assert flagged == [["lower back pain rose from 0 to 2 (0-10)"],
                       ["lower back pain rose from 4 to 6 (0-10)"]]  # fmt: skip
    assert len(r.pain_rose) == 2
    assert "pain rose noticeably (at least 2 points and 30 % of the pain before) during 2 sessions" in (
        to_markdown(r))  # fmt: skip


def test_the_attention_list_is_cut_after_the_most_important_on_a_long_plan() -> None:
    from coach.report.attention import SHOWN

    n = "neck-and-shoulders"
    days = [date(2026, 11, 26) + timedelta(days=i) for i in range(20)]
    rows = [recorded_on(day, 9, n, note=f"Note {i}.") for i, day in enumerate(days)]
    rows.append(recorded_on(date(2026, 12, 16), 10, n, completed=False))  # stopped: more important
    r = build_report(the_plan(), rows, date(2026, 12, 20), TITLES)
    assert len(r.attention) == 21 and SHOWN == 12
    md_text = to_markdown(r)
    section = md_text.split("## For your attention")[1].split("## Summary")[0]
    bullets = [line for line in section.splitlines() if line.startswith("- ")]
    assert len(bullets) == 13 and "stopped early" in bullets[0]
    assert bullets[-1] == "- and 9 more sessions: see the sessions table"
    page = to_html(r)
    box = page.split('<section class="attention">')[1].split("</section>")[0]
    assert box.count("<li") == 13 and "and 9 more sessions: see the sessions table</li>" in box
    assert len(json.loads(to_json(r))["attention"]) == 21  # a therapist's tools get them all


def test_a_session_stopped_in_its_first_step_is_said_plainly() -> None:
    stopped = record_from_json({**recorded_on(date(2026, 11, 30), 9, "neck-and-shoulders", completed=False)
                                .to_json(), "steps_done": 0, "steps_total": 4, "active_seconds": 0.0,
                                "planned_seconds": 84})  # fmt: skip
    (entry,) = build_report(the_plan(), [stopped], date(2026, 12, 3), TITLES).attention
    assert entry.flags[0].text == "stopped before the first step ended (0 of 1.4 min practised)"


def test_the_summary_counts_sessions_in_the_plans_period_like_the_adherence_line() -> None:
    before = recorded_on(date(2026, 11, 20), 9, "neck-and-shoulders")  # before the plan's first day
    r = build_report(the_plan(), [*records(), before], date(2026, 12, 3), TITLES)
    text = to_markdown(r)
    assert "4 completed sessions in the plan's period in all" in text
    assert ("- **Sessions:** 4 completed, 0 partly done, 1 stopped in the plan's period; 1 more session "
            "outside it (listed under Sessions, not counted).") in text  # fmt: skip


def test_the_period_line_after_new_dates_names_the_span_the_weekly_table_covers() -> None:
    from coach.plan_versions import PlanVersion

    v1 = the_plan()  # Thu 26 Nov to Wed 16 Dec 2026
    v2 = parse_plan(text_of({**BASE, "starts": "2026-12-07", "ends": "2027-01-10"}), "p.json",
                    builtin_routine_ids())  # fmt: skip
    versions = (PlanVersion(1, v1.starts, "", v1), PlanVersion(2, date(2026, 12, 3), "", v2))
    r = build_report(v2, records(), date(2026, 12, 20), TITLES, versions)
    assert r.adherence.weeks[0].first == date(2026, 11, 26)  # version 1's days are in the table
    period = ("from version 2 (in force from Thu 3 Dec 2026): Mon 7 Dec 2026 to Sun 10 Jan 2027 (35 days); "
              "the weekly table covers Thu 26 Nov 2026 to Sun 10 Jan 2027, each day by the version in "
              "force on it (7 calendar weeks with plan days)")  # fmt: skip
    assert f"- **Period:** {period}; running" in to_markdown(r)
    assert html.escape(period) in to_html(r)
