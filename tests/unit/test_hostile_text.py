"""Hostile text in the core: `coach.text` (terminal, Markdown, HTML, CSV, JSON), the history's
CSV export and import, the import's refusal of hidden characters, and the plan report.

No screen and no subprocess here: the command line is tests/functional/test_hostile_text_cli.py,
the app tests/functional/test_hostile_text_tui.py, the fuzzing tests/functional/test_hostile_text_fuzz.py.
"""

from __future__ import annotations

import copy
import csv
import html
import io
import json
import sys
import unicodedata
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from typing import Any

import pytest

from coach import text as T
from coach.history import parse_import_text, write_csv
from coach.library import builtin_routine_ids
from coach.plan import parse_plan
from coach.records import RecordError, check_import_text, new_record, parse_block, record_from_json
from coach.report import build_report, to_csv, to_html, to_markdown
from tests.helpers.hostile import acts
from tests.helpers.plans import BASE, text_of

# Each kind of hostile text the issue names.
HOSTILE: dict[str, str] = {
    "osc-title": "\x1b]0;pwned\x07",
    "clear-screen": "\x1b[2J",
    "csi-colour": "\x1b[31mred\x1b[0m",
    "c1-csi": "\x9b2J",
    "bidi-override": "abc\u202edcba",
    "bidi-isolate": "x\u2066y\u2069",
    "formula": '=HYPERLINK("http://x","y")',
    "md-link": "[link](http://evil)",
    "md-image": "![img](http://evil/x.png)",
    "script": "<script>alert(1)</script>",
    "table": "| a | b |",
    "heading": "# heading",
    "list": "- item",
    "emphasis": "*bold* _it_ `code`",
    "lone-surrogate": "before\ud800after",
    "hidden-tags": "ok\U000e0069\U000e0067\U000e006e",
    "line-break": "one\ntwo\rthree",
}
FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "'quoted", "'=x", "'"]
# --- visible ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", HOSTILE)
def test_visible_leaves_nothing_that_acts_and_drops_nothing(name: str) -> None:
    raw = HOSTILE[name]
    shown = T.visible(raw)
    assert not any(acts(c) for c in shown)
    assert "\x1b" not in shown and "\x07" not in shown and "\n" not in shown
    # Every ordinary character is still there, in order.
    plain = [c for c in raw if not acts(c)]
    rest = iter(shown)
    assert all(c in rest for c in plain)


def test_visible_stand_ins() -> None:
    assert T.visible("\x1b]0;pwned\x07") == "␛]0;pwned␇"
    assert T.visible("\x1b[2J") == "␛[2J"
    assert T.visible("a\u202eb") == "a<U+202E>b"
    assert T.visible("\x9b") == "<U+009B>"
    assert T.visible("\x7f\x00") == "␡␀"
    assert T.visible("x\ud800") == "x<U+D800>"
    assert T.visible("1\n2\t3") == "1␊2␉3"
    assert T.visible("tag\U000e0041") == "tag<U+E0041>"


def test_visible_returns_ordinary_text_as_it_is() -> None:
    for text in ("Neck and shoulder release", "Épaules – 30 s", "肩こり", "نفس عميق", "👩‍⚕️ doc",
                 "a\u200cb", ""):  # fmt: skip
        assert T.visible(text) is text
        assert T.visible_lines(text) is text


def test_visible_lines_keeps_line_feeds_and_tabs_only() -> None:
    assert T.visible_lines("one\ntwo\tthree") == "one\ntwo\tthree"
    assert T.visible_lines("a\r\nb\x1b[2J\u202e") == "a␍\nb␛[2J<U+202E>"


def test_character_sets_match_unicodedata() -> None:
    """The written-out sets in coach.text are exactly Cc, Cf (but ZWNJ, ZWJ), Cs, Zl, Zp of
    this Python's Unicode database: every code point is checked. (The sets follow Unicode
    15, so a few format characters newer than this Python's database are unassigned here.)"""
    wrong = []
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        replaced = T.hidden_character(char) is not None
        if replaced != acts(char) and not (replaced and unicodedata.category(char) == "Cn"):
            wrong.append(f"U+{code:04X} {unicodedata.category(char)}")
    assert wrong == []


def test_hidden_character_and_its_description() -> None:
    assert T.hidden_character("fine text") is None
    assert T.hidden_character("a\x1b]0") == "\x1b"
    assert T.describe_hidden("\x1b") == "a control character U+001B"
    assert T.describe_hidden("\x9b") == "a control character U+009B"
    assert T.describe_hidden("\u202e") == "a bidirectional control U+202E"
    assert T.describe_hidden("\ud800") == "a lone surrogate U+D800"
    assert T.describe_hidden("\u200b") == "an invisible format character U+200B"


def test_visible_is_fast_on_a_large_table() -> None:
    """100,000 history cells, a tenth of them hostile: well under a second (measured about
    0.03 s; the bound leaves room for a busy machine)."""
    import time

    cells = ["Neck and shoulder release", "after a long call", "Épaules"] * 30_000
    cells += list(HOSTILE.values()) * 600
    start = time.perf_counter()
    shown = [T.visible(c) for c in cells]
    assert time.perf_counter() - start < 1.0
    assert not any(acts(c) for cell in shown for c in cell)


# --- Markdown -----------------------------------------------------------------------------


def _markdown(source: str) -> str:
    import markdown_it  # installed with Textual, which renders Markdown with it
    return markdown_it.MarkdownIt("commonmark").enable("table").render(source)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(markup: str) -> _Tags:
    parser = _Tags()
    parser.feed(markup)
    parser.close()
    return parser


@pytest.mark.parametrize("name", HOSTILE)
def test_markdown_text_makes_no_structure(name: str) -> None:
    shown = T.markdown_text(HOSTILE[name])
    # As a paragraph: one <p> and nothing else, and it reads as the visible text.
    para = _parse(_markdown(shown))
    assert para.tags == ["p"]
    assert "".join(para.text).strip() == T.visible(HOSTILE[name]).strip()
    # As a table cell: still one row of one cell.
    table = _parse(_markdown(f"| head |\n| --- |\n| {shown} |\n"))
    assert table.tags.count("td") == 1 and "a" not in table.tags and "script" not in table.tags


# What a viewer with autolinks (GitHub, or markdown-it's linkify) links with no Markdown at
# all, and an emoji shortcode: shown as written in a report's note, never as a link.
LINKISH = ["see http://evil.example/x.html now", "HTTPS://EVIL.COM", "mailto:a@b.com", "write to x@evil.com",
           "www.evil.com", "go to evil.com or пример.рф", "ftp://files.evil.org", ":smile: :+1:"]  # fmt: skip


@pytest.mark.parametrize("text", LINKISH)
def test_markdown_text_makes_no_autolink(text: str) -> None:
    import markdown_it

    shown = T.markdown_text(text)
    rendered = markdown_it.MarkdownIt("gfm-like").render(shown)  # linkify on
    page = _parse(rendered)
    assert page.tags == ["p"], rendered
    assert "".join(page.text).strip() == text
    if ":" in text and "smile" in text:
        assert "\\:smile:" in shown and "\\:+1:" in shown  # no shortcode left for an emoji


# --- HTML ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", HOSTILE)
def test_html_text_is_text_in_content_and_attributes(name: str) -> None:
    shown = T.html_text(HOSTILE[name])
    page = _parse(f'<p title="{shown}">{shown}</p>')
    assert page.tags == ["p"]
    assert "".join(page.text) == T.visible(HOSTILE[name])
    assert '"' not in shown and "<" not in shown


# --- CSV ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", FORMULAS)
def test_csv_cell_defuses_and_restores(text: str) -> None:
    cell = T.csv_cell(text)
    assert cell[:1] not in T.CSV_FORMULA_START
    assert cell.startswith("'")
    assert T.csv_restore(cell) == text


def test_csv_cell_shows_a_leading_tab_or_return_instead() -> None:
    assert T.csv_cell("\t=1") == "␉=1" and T.csv_cell("\r=1") == "␍=1"
    assert T.csv_cell("plain") == "plain" and T.csv_restore("plain") == "plain"


# --- JSON ---------------------------------------------------------------------------------


# --- the history: import refuses, export defuses ------------------------------------------


def record_obj(**changes: Any) -> dict[str, Any]:
    started = datetime(2026, 11, 26, 9, 0).astimezone()
    obj = {
        "format": 1, "id": "rec-1", "routine": "neck-release", "routine_title": "Neck release",
        "routine_hash": "sha256:" + "0" * 64, "plan": None, "started_at": started.isoformat(),
        "ended_at": (started + timedelta(minutes=5)).isoformat(), "planned_seconds": 300,
        "active_seconds": 296.5, "completed": True, "steps_done": 3, "steps_total": 3, "pre": 7,
        "post": 3, "note": "", "pauses": 0, "skips": 0, "gentler": 0,
    }  # fmt: skip
    obj.update(changes)
    return obj


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("note", "\x1b]0;pwned\x07", "note has a control character U+001B"),
        ("note", "\x9b2J", "note has a control character U+009B"),
        ("routine_title", "abc\u202edcba", "routine_title has a bidirectional control U+202E"),
        ("routine", "neck\ud800", "routine has a lone surrogate U+D800"),
        ("plan", "p\x07", "plan has a control character U+0007"),
        ("id", "a\u200bb", "id has an invisible format character U+200B"),
    ],
)
def test_import_refuses_hidden_characters_naming_line_and_field(field: str, value: str, reason: str) -> None:
    good = record_obj()
    bad = record_obj(**{"id": "rec-2", field: value})
    lines = json.dumps(good) + "\n" + json.dumps(bad) + "\n"
    records, problems = parse_import_text(lines)
    assert [r.id for r in records] == ["rec-1"]
    assert problems == [(2, reason)]
    # A JSON array: the element's line.
    records, problems = parse_import_text("[\n" + json.dumps(good) + ",\n" + json.dumps(bad) + "\n]\n")
    assert [r.id for r in records] == ["rec-1"] and problems == [(3, reason)]


def test_import_refuses_in_csv_too() -> None:
    good = record_from_json(record_obj())
    out = io.StringIO()
    write_csv([good], out)
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    row["id"], row["note"] = "rec-2", "bell\x07"
    more = io.StringIO()
    writer = csv.DictWriter(more, fieldnames=list(row))
    writer.writerow(row)
    records, problems = parse_import_text(out.getvalue() + more.getvalue())
    assert [r.id for r in records] == ["rec-1"]
    assert problems == [(3, "note has a control character U+0007")]


def test_reading_the_history_keeps_such_a_line() -> None:
    """Reading is not importing: a line already in the history is shown (made visible)."""
    records: list[Any] = []
    problems: list[tuple[int, str]] = []
    parse_block(json.dumps(record_obj(note="\x1b[2J")) + "\n", 1, records, problems, None)
    assert problems == [] and records[0].note == "\x1b[2J"
    with pytest.raises(RecordError, match="control character U\\+001B"):
        check_import_text(records[0])


def test_a_typed_note_is_written_visible_so_it_imports() -> None:
    record = new_record(
        routine="neck-release", routine_title="Neck release", routine_hash="sha256:0",
        started_at="2026-11-26T09:00:00+01:00", ended_at="2026-11-26T09:05:00+01:00",
        planned_seconds=300, active_seconds=300.0, completed=True, steps_done=3, steps_total=3,
        pre=None, post=None, note=T.visible("pasted \x1b[31m"), pauses=0, skips=0, gentler=0,
    )  # fmt: skip
    check_import_text(record)


def test_history_csv_defuses_every_text_cell_and_import_restores_it() -> None:
    texts = {
        "id": "=1+1",
        "routine": '=HYPERLINK("http://x","y")',
        "routine_title": "+SUM(A1:A9)",
        "routine_hash": "@sha",
        "plan": "-plan",
        "note": "'already quoted",
    }
    original = [
        record_from_json(record_obj(**texts)),
        record_from_json(record_obj(id="rec-9", note="-3 then +2")),
    ]
    out = io.StringIO()
    write_csv(original, out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    header, cells = rows[0], rows[1:]
    for row in cells:
        for name, cell in zip(header, row, strict=True):
            assert cell[:1] not in T.CSV_FORMULA_START, (name, cell)
    assert cells[0][header.index("routine")] == "'" + texts["routine"]
    # Numbers stay numbers: not quoted, not prefixed.
    assert cells[0][header.index("active_seconds")] == "296.5"
    assert cells[0][header.index("pre")] == "7"
    # A formula in the id, routine, hash or plan was never written by a session: refused,
    # line named; the second record round-trips exactly.
    records, problems = parse_import_text(out.getvalue())
    reason = "id: expected an id as Coach writes (lowercase letters, digits and -), got '=1+1'"
    assert problems == [(2, reason)]
    assert [r.to_json() for r in records] == [original[1].to_json()]
    # Formulas in the free text (title, note) are defused on export and restored on import.
    text_only = record_from_json(record_obj(routine_title="+SUM(A1:A9)", note="'already quoted"))
    out = io.StringIO()
    write_csv([text_only], out)
    assert "'+SUM(A1:A9)" in out.getvalue() and "''already quoted" in out.getvalue()
    records, problems = parse_import_text(out.getvalue())
    assert problems == [] and [r.to_json() for r in records] == [text_only.to_json()]


def test_history_csv_shows_control_characters_of_a_stored_line() -> None:
    stored = record_from_json(record_obj(note="\x1b]0;pwned\x07", routine_title="abc\u202edcba"))
    out = io.StringIO()
    write_csv([stored], out)
    assert not any(acts(c) for c in out.getvalue().replace("\r\n", ""))
    assert "␛]0;pwned␇" in out.getvalue() and "abc<U+202E>dcba" in out.getvalue()


# --- the plan report ----------------------------------------------------------------------


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def hostile_plan() -> Any:
    """A plan's text fields hold what a plan may hold (the model refuses control and bidi
    characters there): markup, links, formulas, table pipes and headings."""
    obj = copy.deepcopy(BASE)
    obj["client"] = '=HYPERLINK("http://x","y")'
    obj["therapist"] = {"name": "[link](http://evil)", "contact": "<script>alert(1)</script>"}
    obj["note"] = "# heading | a | b |"
    obj["items"][0]["note"] = "-1 *bold* <b>x</b>"
    return parse_plan(text_of(obj), "plan.json", builtin_routine_ids())


def hostile_records() -> list[Any]:
    out = []
    for number, (name, text) in enumerate(HOSTILE.items()):
        started = datetime(2026, 11, 27, 9, 0).astimezone() + timedelta(hours=number)
        obj = record_obj(id=f"rec-{number}", plan="kim-2026", note=text, routine_title=text,
                         started_at=started.isoformat(),
                         ended_at=(started + timedelta(minutes=5)).isoformat())  # fmt: skip
        if name == "formula":
            obj["routine"] = text  # a routine id from an imported line is any string
        out.append(record_from_json(obj))
    return out


def report() -> Any:
    return build_report(hostile_plan(), hostile_records(), date(2026, 12, 3), {})


def test_markdown_report_has_no_injected_structure() -> None:
    source = to_markdown(report())
    assert not any(acts(c) for c in source.replace("\n", ""))
    page = _parse(_markdown(source))
    assert "a" not in page.tags and "script" not in page.tags and "img" not in page.tags
    assert "b" not in page.tags and "code" not in page.tags
    assert page.tags.count("em") == 1  # the report's own footer only
    assert page.tags.count("h1") == 1  # the report's own title only
    # Every table row has as many cells as its header.
    for table in source.split("\n\n"):
        lines = [line for line in table.splitlines() if line.startswith("|")]
        if lines:
            widths = {len(_split_row(line)) for line in lines}
            assert len(widths) == 1, lines


def _split_row(line: str) -> list[str]:
    cells, cell, escaped = [], "", False
    for char in line.strip()[1:-1]:
        if char == "|" and not escaped:
            cells.append(cell)
            cell = ""
        else:
            cell += char
        escaped = char == "\\" and not escaped
    return [*cells, cell]


def test_html_report_is_escaped() -> None:
    page_text = to_html(report())
    assert not any(acts(c) for c in page_text.replace("\n", ""))
    page = _parse(page_text)
    assert "script" not in page.tags and "a" not in page.tags and "b" not in page.tags
    assert html.escape("<script>alert(1)</script>") in page_text


def test_csv_report_defuses_every_text_cell() -> None:
    rows = list(csv.reader(io.StringIO(to_csv(report()))))
    header: list[str] = []
    found_routine = False
    for row in rows:
        if not row:
            header = []
            continue
        if not header:
            header = row
            continue
        for name, cell in zip(header, row, strict=False):
            # A number is a number (-4 is not a formula); any other cell is defused.
            assert cell[:1] not in T.CSV_FORMULA_START or _is_number(cell), (name, cell)
            assert not any(acts(c) for c in cell), (name, cell)
        if row[0] == "session" and row[header.index("routine")] == "'" + HOSTILE["formula"]:
            found_routine = True
    assert found_routine, "the session's routine cell was not defused"
