"""The client's printable handout: one self-contained HTML page for A4 portrait.

`plan_handout` (for `coach plan handout ID -o FILE.html`) gives the plan's schedule, a
tick-box grid per week (coach.report.week_grid), the therapist's notes, the pain rating it
asks for, and every routine of the plan;
`routine_handout` (for `coach show ROUTINE --html -o FILE.html`) gives one routine. A
routine shows its summary, length, equipment, cautions and "stop if", then each step with
its timing, side, pressure, reps, instruction and gentler version, then a body map per area
(coach.bodymap.render_html). Pressure is explained once, at the top (coach.safety_note).

Routines come as `coach.library.routine_detail` dicts (plain data, no models), so a warm
`coach show --html` needs no pydantic. Every text from a file is escaped
(`coach.text.html_text`); the page holds no script and no external reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from coach.text import day_text, duration_about, duration_words, html_text
from coach.vocabulary import area_words

_CSS = """
@page { size: A4 portrait; margin: 14mm 13mm; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: #1b1b1b; max-width: 184mm; margin: 1.5em auto; padding: 0 1em; }
h1 { font-size: 17pt; margin: 0 0 .3em; overflow-wrap: anywhere; }
h2 { font-size: 13.5pt; margin: 1.4em 0 .3em; border-bottom: 2px solid #888; padding-bottom: .1em;
     break-after: avoid; overflow-wrap: anywhere; }
h3 { font-size: 11pt; margin: 1em 0 .3em; break-after: avoid; }
p, li, dd { overflow-wrap: anywhere; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15em 1em; margin: 0 0 .6em; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; font-size: 10pt; margin: .3em 0; }
th, td { border: 1px solid #bbb; padding: .25em .4em; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: #f0f0f0; }
td small { display: block; color: #555; font-size: 8.5pt; }
code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 9pt; }
.box { border: 1px solid #999; border-radius: 4px; padding: .3em .8em; margin: .6em 0; break-inside: avoid; }
.box.stop { border: 2px solid #b3261e; }
.box h3 { margin-top: .3em; }
.box ul { margin: .2em 0; padding-left: 1.2em; }
ol.steps { padding-left: 1.6em; margin: .3em 0; }
ol.steps li { margin: 0 0 .55em; break-inside: avoid; }
.how { color: #333; font-size: 9.5pt; }
.gentler { font-size: 9.5pt; color: #333; margin: .1em 0 0; }
.muted { color: #555; }
section.routine { break-before: auto; }
.maps { display: flex; flex-wrap: wrap; gap: .6em 1.4em; margin: .4em 0; break-inside: avoid; }
figure.body-map { margin: 0; break-inside: avoid; }
figure.body-map pre { font: 8.5pt/1.1 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
                      margin: 0; padding: .3em .4em; border: 1px solid #ccc; }
figure.body-map b.marked { background: #ffd6d1; color: #8a1c14; }
figure.body-map figcaption { font-size: 8.5pt; color: #444; max-width: 40mm; }
footer { margin-top: 2em; font-size: 8.5pt; color: #555; }
@media print { body { margin: 0; max-width: none; padding: 0; } }
"""

_SIDES = {
    "each": "each side, left then right",
    "both": "both sides",
    "left": "left side",
    "right": "right side",
}


def _h(text: str) -> str:
    return html_text(text)


@dataclass(frozen=True)
class HandoutRoutine:
    """A routine for the handout: the id the client types (`PLAN/ID` for a plan's own), its
    `routine_detail` dict, and how to start it (a command line, or "" to leave it out)."""

    listed_id: str
    detail: dict[str, Any]
    start: str = ""


def _step_numbers(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"step {numbers[0]}"
    return "steps " + ", ".join(str(n) for n in numbers)


def body_maps_html(steps: Sequence[dict[str, Any]]) -> str:
    """One body map per distinct area and side of the massage and stretch steps, captioned
    with the step numbers; "" for a routine without such steps (breathing and rest only)."""
    from coach import bodymap

    groups: dict[tuple[str, str | None], list[int]] = {}
    for number, step in enumerate(steps, 1):
        area = step.get("area")
        if step.get("type") in ("massage", "stretch") and area in bodymap.AREA_PARTS:
            one_side = step.get("side") in ("left", "right") and area not in bodymap.UNSIDED
            groups.setdefault((area, step["side"] if one_side else None), []).append(number)
    if not groups:
        return ""
    figures = []
    for (area, side), numbers in groups.items():
        figure = bodymap.render_html(area, side)
        # The steps it is for, inside the caption bodymap wrote ("neck, back").
        figures.append(figure.replace("<figcaption>", f"<figcaption>{_h(_step_numbers(numbers))}: ", 1))
    lead = (
        f'<p class="how">Body maps: <b>{bodymap.MARK}</b> marks where to work; R and L are your right '
        "and left.</p>"
    )
    return lead + '<div class="maps">' + "".join(figures) + "</div>"


def _step_html(step: dict[str, Any]) -> str:
    kind = step.get("type", "")
    facts: list[str] = []
    if kind == "breathing":
        cycles = step.get("cycles")
        # The pattern with its counts ("box: inhale 4 s, hold 4 s, …"): a client on paper needs them.
        facts += ["breathing", str(step.get("pattern_name"))] + ([f"{cycles} breaths"] if cycles else [])
    else:
        facts.append(str(kind))
    if step.get("side") in _SIDES:
        facts.append(_SIDES[step["side"]])
    if step.get("pressure"):
        facts.append(f"{step['pressure']} pressure")
    if step.get("reps"):
        facts.append(str(step["reps"]))
    seconds = float(step.get("pass_seconds") or 0)
    timing = duration_words(seconds) + (" per side" if (step.get("sides") or 1) > 1 else "")
    out = [f'<li><strong>{_h(step.get("title", ""))}</strong> <span class="muted">({_h(timing)})</span>']
    out.append(f'<div class="how">{_h(" · ".join(facts))}</div>')
    if step.get("instruction"):
        out.append(f"<div>{_h(step['instruction'])}</div>")
    if step.get("gentler"):
        pattern = step.get("gentler_pattern")
        gentler = f"{pattern}. {step['gentler']}" if pattern else step["gentler"]
        out.append(f'<p class="gentler"><em>If it is too much:</em> {_h(gentler)}</p>')
    out.append("</li>")
    return "".join(out)


def _cautions(cautions: Sequence[str]) -> list[str]:
    """The cautions less the pressure scale the page explains once at the top: a caution
    that starts with it (built-in routines carry it) keeps only the rest of its text."""
    from coach.safety_note import PRESSURE

    out = []
    for caution in cautions:
        if caution.startswith(PRESSURE):
            caution = caution[len(PRESSURE) :].strip()
        if caution:
            out.append(caution)
    return out


def routine_section(routine: HandoutRoutine, heading: str = "h2") -> list[str]:
    """A routine as a <section>: title and id, length, summary, equipment, cautions, stop if,
    the steps in order and the body maps."""
    d = routine.detail
    total = float(d.get("total_seconds") or 0)
    out = [
        '<section class="routine">',
        f'<{heading}>{_h(d.get("title", ""))} <span class="muted">({_h(routine.listed_id)})</span>'
        f"</{heading}>",
    ]
    facts = [("Length", f"{duration_words(total)} ({duration_about(total)})")]
    if d.get("areas"):
        facts.append(("Areas", ", ".join(area_words(a) for a in d["areas"])))
    if d.get("equipment"):
        facts.append(("You need", ", ".join(d["equipment"])))
    if routine.start:
        facts.append(("Start it with", routine.start))
    out.append('<dl class="facts">')
    for key, value in facts:
        shown = f"<code>{_h(value)}</code>" if key == "Start it with" else _h(value)
        out.append(f"<dt>{_h(key)}</dt><dd>{shown}</dd>")
    out.append("</dl>")
    if d.get("summary"):
        out.append(f"<p>{_h(d['summary'])}</p>")
    cautions = _cautions(d.get("cautions") or [])
    if cautions:
        out += [
            '<div class="box"><h3>Cautions</h3><ul>',
            *(f"<li>{_h(c)}</li>" for c in cautions),
            "</ul></div>",
        ]
    if d.get("stop_if"):
        out += [
            # As the app's caution screen says: some of these need help at once, not a message.
            '<div class="box stop"><h3>Stop and get help if</h3><ul>',
            *(f"<li>{_h(c)}</li>" for c in d["stop_if"]),
            "</ul></div>",
        ]
    out += ["<h3>Steps</h3>", '<ol class="steps">', *(_step_html(s) for s in d.get("steps", [])), "</ol>"]
    maps = body_maps_html(d.get("steps", []))
    if maps:
        out.append(maps)
    out.append("</section>")
    return out


def _uses_pressure(routines: Sequence[HandoutRoutine]) -> bool:
    return any(s.get("pressure") for r in routines for s in r.detail.get("steps", []))


def _page(
    title: str, body: list[str], routines: Sequence[HandoutRoutine], *, therapist: bool = True, css: str = ""
) -> str:
    """The whole page: `body`'s heading, the how-to box, the rest of `body`; `css` is added
    to the page's style. Without a `therapist` (a routine's page, `coach show --html`) no
    line mentions one."""
    from coach.safety_note import INTRO, PRESSURE

    intro = INTRO if therapist else INTRO.replace("a doctor or therapist", "a doctor")
    how = ['<div class="box">', f"<p>{_h(intro)}</p>"]
    if _uses_pressure(routines):
        how.append(f"<p>{_h(PRESSURE)}</p>")  # said once, where pressure first appears
    how.append("<p>Each step shows its timing; “each side” means the step runs once on the left, "
               "then once on the right, with a cue to switch. “If it is too much” is the gentler "
               "way to do a step; in Coach, press t at any moment.</p></div>")  # fmt: skip
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_h(title)}</title>",
            f"<style>{_CSS}{css}</style>",
            "</head>",
            "<body>",
            *body[:1],
            *how,
            *body[1:],
            "<footer>Made with Coach. Self-care, not medical advice.</footer>",
            "</body>",
            "</html>",
            "",
        ]
    )


def routine_handout(routine: HandoutRoutine) -> str:
    """One routine as a printable page (`coach show ROUTINE --html`)."""
    title = str(routine.detail.get("title", routine.listed_id))
    body = [f"<h1>{_h(title)}</h1>", *routine_section(routine)[2:-1]]  # the page's h1 replaces the h2
    return _page(title, body, [routine], therapist=False)


@dataclass(frozen=True)
class HandoutItem:
    """A plan item for the handout: the routine, how often ("5 times a week", "Mon, Thu"),
    the therapist's note for it ("" for none), and the item's `per_week` or `days` (weekday
    codes), which the tick-box week grid counts (`coach.report.week_grid`; with neither,
    its rows have a box on every plan day and no target). `routine_id` is the item's routine
    as the plan names it, which the grid looks up in each stored version of the plan."""

    routine: HandoutRoutine
    schedule: str
    note: str = ""
    per_week: int | None = None
    days: tuple[str, ...] | None = None
    routine_id: str | None = None


def plan_handout(plan: Any, items: Sequence[HandoutItem], versions: Sequence[Any] | None = None) -> str:
    """The client's handout for `plan` (a coach.plan.Plan or anything with its fields: id,
    client, therapist.name/contact, starts, ends, note, pain): the schedule table, the
    therapist's notes, the pain rating it asks for, a tick-box grid per week of the plan
    (`coach.report.week_grid`; with the plan's stored `versions`, oldest first, each week
    as the version in force then asked), then every item's routine in full."""
    from coach.report.week_grid import GRID_CSS, GridRow, week_grid_html

    therapist = plan.therapist.name + (f" ({plan.therapist.contact})" if plan.therapist.contact else "")
    title = f"Home plan for {plan.client}"
    body = [f"<h1>{_h(title)}</h1>", '<dl class="facts">']
    facts = [
        ("From", therapist),
        ("Dates", f"{day_text(plan.starts)} to {day_text(plan.ends)}"),
        ("Plan", plan.id),
    ]
    body += [f"<dt>{_h(k)}</dt><dd>{_h(v)}</dd>" for k, v in facts]
    body.append("</dl>")
    if plan.note:
        body += ['<div class="box"><h3>Your therapist\'s note</h3>', f"<p>{_h(plan.note)}</p></div>"]
    pain = getattr(plan, "pain", None)
    if pain is not None:
        body.append(
            f"<p>Before and after each session, Coach asks how much pain you feel in your "
            f"<strong>{_h(area_words(str(pain.area)))}</strong>: 0 is no pain, 10 the worst pain you "
            "can imagine.</p>"
        )
    body += [
        "<h2>Your schedule</h2>",
        "<table>",
        '<colgroup><col style="width:38%"><col style="width:20%"><col style="width:42%"></colgroup>',
        "<tr><th>Routine</th><th>How often</th><th>Note</th></tr>",
    ]
    for item in items:
        r = item.routine
        length = duration_about(float(r.detail.get("total_seconds") or 0))
        name = str(r.detail.get("title", r.listed_id))
        body.append(
            f"<tr><td>{_h(name)}<small>{_h(r.listed_id)}, {_h(length)}</small>"
            f"</td><td>{_h(item.schedule)}</td><td>{_h(item.note)}</td></tr>"
        )
    body += [
        "</table>",
        '<p class="muted">Start a session from the plan in Coach (the plans screen), or with the '
        "command under each routine, so that it counts towards your plan. Weeks run Monday to "
        "Sunday.</p>",
    ]
    rows = [
        GridRow(str(i.routine.detail.get("title", i.routine.listed_id)), i.per_week, i.days, i.routine_id)
        for i in items
    ]
    body += week_grid_html(plan.starts, plan.ends, rows, versions)
    for item in items:
        body += routine_section(item.routine)
    return _page(title, body, [i.routine for i in items], css=GRID_CSS if rows else "")
