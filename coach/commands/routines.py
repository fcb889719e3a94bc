"""Screenless routine commands: list, show, validate, schema, new."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from coach.errors import CoachError, UsageError, shown_error
from coach.text import duration_about, duration_words, json_visible, length_minutes, visible
from coach.vocabulary import STEP_TYPES as KINDS


def register(sub: Any) -> None:
    p = sub.add_parser("list", help="list the routines")
    p.add_argument("--area", help="only routines for this body area (e.g. neck)")
    p.add_argument("--kind", choices=KINDS, help="only routines with a step of this kind")
    p.add_argument("--max-minutes", type=float, metavar="N",
                   help="only routines listed as about N minutes or less")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("show", help="show a routine's steps, timings and cautions")
    p.add_argument("routine", metavar="ROUTINE",
                   help="a routine id, PLAN/ID for a plan's own routine, or a path to a .json file")
    p.add_argument("--html", action="store_true", help="a printable handout page (HTML) instead of text")
    p.add_argument("-o", "--output", type=Path, metavar="FILE",
                   help="with --html: write to FILE (owner-only, atomically) instead of the screen")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("validate", help="check routine and plan files")
    p.add_argument("files", metavar="FILE", nargs="+", type=Path)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("schema", help="print the JSON Schema of routines, plans or the JSON plan report")
    p.add_argument("which", choices=("routine", "plan", "report"),
                   help="routine or plan: the files a therapist writes; report: the shape of "
                        "`coach plan report --format json` (docs/report.schema.json)")  # fmt: skip
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("new", help="write a valid starter routine or plan file")
    p.add_argument("which", choices=("routine", "plan"))
    p.add_argument("id", metavar="ID")
    p.add_argument("-o", "--output", type=Path, help="where to write (default: ID.json here)")
    p.add_argument("--force", action="store_true", help="replace the file if it exists")
    p.set_defaults(func=cmd_new)


def _report_problems(problems: list[str]) -> None:
    for line in problems:
        print(f"coach: {visible(line)}", file=sys.stderr)


def cmd_list(args: argparse.Namespace) -> int:
    from coach.library import Library
    from coach.vocabulary import AREAS

    if args.area and args.area not in AREAS:
        raise UsageError(f"unknown area '{args.area}'; areas are: {', '.join(AREAS)}")
    library = Library.default()
    infos = library.infos()
    _report_problems(library.problems)
    if args.area:
        infos = [i for i in infos if args.area in i.areas]
    if args.kind:
        infos = [i for i in infos if args.kind in i.kinds]
    if args.max_minutes is not None:
        # The same rounding as the listing: "about 3 min" is within --max-minutes 3.
        infos = [i for i in infos if length_minutes(i.seconds) <= args.max_minutes]
    if args.json:
        text = json.dumps([i.as_json() for i in infos], ensure_ascii=False, indent=2)
        sys.stdout.write(json_visible(text) + "\n")
        return 0
    if not infos:
        print("No routines match.")
        return 0
    width = max(len(i.id) for i in infos)
    for info in infos:
        shown = ""
        if info.source != "built-in":
            shown = f"  [{info.source}" + (f", replaces {info.shadows}" if info.shadows else "") + "]"
        print(visible(f"{info.id:<{width}}  {duration_about(info.seconds):>12}  {info.title}"
                      f"  ({', '.join(info.areas)}){shown}"))  # fmt: skip
    return 0


def _side_text(side: str | None) -> str:
    return {"each": "each side", "both": "both sides", "left": "left", "right": "right"}.get(
        side or "", ""
    )


def _step_numbers(numbers: list[int]) -> str:
    """[1, 2, 3, 5] -> "steps 1-3, 5"; [4] -> "step 4"."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and runs[-1][-1] == n - 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    text = ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)
    return f"step{'s' if len(numbers) > 1 else ''} {text}"


def _body_maps(steps: list[dict[str, Any]]) -> list[str]:
    """One body map per distinct area and side of the massage and stretch steps, side by
    side across the terminal, each captioned with its steps; nothing for a routine without
    such steps. An each-side or both-sides step marks both sides."""
    import shutil

    from coach import bodymap

    groups: dict[tuple[str, str | None], list[int]] = {}
    for number, step in enumerate(steps, 1):
        if step["type"] in ("massage", "stretch") and step.get("area") in bodymap.AREA_PARTS:
            one_side = step["side"] in ("left", "right") and step["area"] not in bodymap.UNSIDED
            side = step["side"] if one_side else None
            groups.setdefault((step["area"], side), []).append(number)
    if not groups:
        return []
    figures = []
    for (area, side), numbers in groups.items():
        drawn = bodymap.render(area, side)
        seen = f"{side} side, {drawn.view}" if side else f"{drawn.view} view"
        figures.append((drawn, [_step_numbers(numbers), area, seen]))
    width = shutil.get_terminal_size((80, 24)).columns
    lead = f"Body map ({bodymap.MARK} marks the area; R and L are the person's right and left):"
    return ["", lead, "", *bodymap.side_by_side(figures, width)]


def cmd_show(args: argparse.Namespace) -> int:
    from coach.library import Library

    if args.output is not None and not args.html:
        raise UsageError("-o FILE writes the printable handout: add --html")
    if args.output is not None:
        from coach.files import check_output_path

        check_output_path(args.output, force=args.force)  # refused before any work
    library = Library.default()
    info = library.find(args.routine)
    _report_problems(library.problems)  # a broken file beside it: said, and skipped
    # The cached `routine_detail` (plain data): a warm `show` loads no pydantic.
    routine = library.detail(info)
    if args.html:
        return _show_html(args, info.id, routine)
    # The listing's id: PLAN/ID for a plan's own routine, as `coach run` takes it.
    out = [f"{routine['title']}  ({info.id}, {duration_about(routine['total_seconds'])})"]
    if routine["summary"]:
        out.append(routine["summary"])
    if routine["areas"]:
        out.append("Areas: " + ", ".join(routine["areas"]))
    if routine["equipment"]:
        out.append("You need: " + ", ".join(routine["equipment"]))
    if info.shadows:
        out.append(f"Note: this {info.source} routine replaces the {info.shadows} one with this id.")
    if routine["cautions"]:
        out.append("")
        out.append("Cautions:")
        out.extend(f"  - {c}" for c in routine["cautions"])
    if routine.get("stop_if"):
        out.append("")
        out.append("Stop if:")
        out.extend(f"  - {c}" for c in routine["stop_if"])
    out.append("")
    out.append("Steps:")
    for number, step in enumerate(routine["steps"], 1):
        detail = [step["type"]]
        if step["type"] == "breathing":
            cycles = step["cycles"]
            detail.append(f"{step['pattern_name']}, {cycles} cycle{'' if cycles == 1 else 's'}")
        side = _side_text(step["side"])
        if side:
            detail.append(side)
        if step["pressure"]:
            detail.append(f"{step['pressure']} pressure")
        if step.get("reps"):
            detail.append(step["reps"])
        per_side = " per side" if step["sides"] > 1 else ""
        out.append(f"  {number:>2}. {step['title']}  [{', '.join(detail)}]  "
                   f"{duration_words(step['pass_seconds'])}{per_side}")  # fmt: skip
        if step["instruction"]:
            out.append(f"      {step['instruction']}")
        if step["gentler"] and step.get("gentler_pattern"):
            out.append(f"      Gentler: {step['gentler_pattern']}. {step['gentler']}")
        elif step["gentler"]:
            out.append(f"      Gentler: {step['gentler']}")
    out.append("")
    total = routine["total_seconds"]
    out.append(f"Total: {duration_words(total)} ({duration_about(total)})")
    out.extend(_body_maps(routine["steps"]))
    print("\n".join(visible(line) for line in out))
    return 0


def _show_html(args: argparse.Namespace, listed_id: str, routine: dict[str, Any]) -> int:
    """`coach show ROUTINE --html [-o FILE]`: the routine's printable handout page."""
    from coach.report.handout import HandoutRoutine, routine_handout

    page = routine_handout(HandoutRoutine(listed_id, routine, f"coach run {listed_id}"))
    if args.output is None:
        sys.stdout.write(page)
        return 0
    from coach.files import write_output

    write_output(args.output, page.encode("utf-8"), force=args.force)  # atomic, 0600
    print(visible(f"Wrote {args.output} (open it in a browser to print)."))
    return 0


def _looks_like_plan(data: bytes) -> bool:
    from coach.jsonsource import JSONProblem, parse_json

    try:
        obj = parse_json(data, "")
    except JSONProblem:
        return False  # the routine reader reports it, located
    return isinstance(obj, dict) and ("items" in obj or "client" in obj)


def cmd_validate(args: argparse.Namespace) -> int:
    from coach import paths
    from coach.files import error_text, read_user_bytes
    from coach.library import CACHE_NAME, ValidationCache
    from coach.validation import InvalidDocument

    cache = ValidationCache.open(paths.cache_dir() / CACHE_NAME)
    bad = 0
    try:
        for path in args.files:
            try:
                data = read_user_bytes(path)  # a FIFO or a device is refused, not waited on
            except OSError as exc:
                if isinstance(exc, IsADirectoryError):
                    reason = "is a folder, not a file"
                else:  # the system's words ("Permission denied") in the lower case of every message
                    reason = error_text(exc).removeprefix(f"{path}: ")
                    reason = reason[:1].lower() + reason[1:]
                print(visible(f"{path}:1:1: $: cannot read: {reason}"), file=sys.stderr)
                bad += 1
                continue
            kind = "plan" if _looks_like_plan(data) else "routine"
            try:
                cache.check(data, str(path), kind)
            except InvalidDocument as exc:
                print(shown_error(exc), file=sys.stderr)
                bad += 1
                continue
            print(visible(f"{path}: ok ({kind})"))
    finally:
        cache.save()
    if bad:
        print(f"{bad} of {len(args.files)} file(s) invalid", file=sys.stderr)
    return 1 if bad else 0


def cmd_schema(args: argparse.Namespace) -> int:
    # The routine and plan schemas ship as files beside the built-in routines (a test keeps
    # them equal to the models): printing the file keeps pydantic off this path.
    if args.which in ("routine", "plan"):
        from coach.paths import builtin_routines_dir

        shipped = builtin_routines_dir() / f"{args.which}.schema.json"
        try:
            text = shipped.read_text("utf-8")
        except OSError:
            text = ""
        if text:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
            return 0
    print(json.dumps(_schema_for(args.which), indent=2, ensure_ascii=False))
    return 0


def starter_routine(routine_id: str) -> dict[str, Any]:
    return {
        "$schema": "./routine.schema.json",
        "format": 1,
        "id": routine_id,
        "title": "My routine",
        "summary": "What this routine is for, in one sentence.",
        "areas": ["shoulders", "breath"],
        "tags": ["desk"],
        "equipment": [],
        "cautions": ["Stop if anything hurts, tingles or feels numb."],
        "steps": [
            {"type": "massage", "title": "Knead the tops of the shoulders",
             "instruction": "Grip the muscle between neck and shoulder with the opposite hand and "
                            "squeeze slowly, moving outwards.",
             "seconds": 30, "area": "shoulders", "side": "each", "pressure": "medium",
             "technique": "kneading", "gentler": "Use flat fingers and small light circles instead."},
            {"type": "breathing", "title": "Slow breaths", "pattern": "coherent", "cycles": 6},
            {"type": "rest", "title": "Notice how you feel", "seconds": 20},
        ],
    }  # fmt: skip


def _schema_for(which: str) -> dict[str, Any]:
    """The JSON Schema of routines, plans (generated from the models) or the JSON report
    (`coach.report.schema.REPORT_SCHEMA`: plain data, no pydantic)."""
    if which == "report":
        from coach.report.schema import REPORT_SCHEMA

        return REPORT_SCHEMA
    if which == "routine":
        from coach.routine import routine_json_schema

        return routine_json_schema()
    try:
        from coach.plan import plan_json_schema  # type: ignore[import-not-found]
    except ImportError:
        raise CoachError("plans are not available in this build") from None
    return plan_json_schema()


def _write_schema_beside(target: Path, which: str) -> None:
    """The starter names `./<which>.schema.json` so editors can help; put it there."""
    schema_path = target.parent / f"{which}.schema.json"
    if not schema_path.exists():
        try:
            schema_path.write_text(json.dumps(_schema_for(which), indent=2) + "\n", "utf-8")
        except OSError:
            pass  # the starter is still valid without it


def cmd_new(args: argparse.Namespace) -> int:
    import re

    from coach.routine import ID_PATTERN

    if not re.fullmatch(ID_PATTERN, args.id):
        raise UsageError(
            f"'{args.id}' is not a valid id: use 2-64 lower-case letters, digits and '-'"
        )
    if args.which == "routine":
        obj = starter_routine(args.id)
    else:
        try:
            from coach.plan import starter_plan  # type: ignore[import-not-found]
        except ImportError:
            raise CoachError("plans are not available in this build") from None
        obj = starter_plan(args.id)
    target = args.output or Path(f"{args.id}.json")
    text = json.dumps(obj, indent=2, ensure_ascii=False) + "\n"
    from coach.files import check_output_path, write_output

    check_output_path(target, force=args.force)  # never over someone's file without --force
    _write_schema_beside(target, args.which)
    write_output(target, text.encode("utf-8"), force=args.force)  # atomic, 0600
    print(visible(f"Wrote {target}. Check it with: coach validate {target}"))
    return 0
