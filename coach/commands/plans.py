"""Therapist plans on the command line: `coach plan import|list|remove|report` and `coach due`."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.commands.output import add_output_options, check_output, output_format, write_output_text
from coach.text import day_text, short_day, visible

if TYPE_CHECKING:
    from coach.adherence import DueItem
    from coach.plan import Plan
    from coach.records import SessionRecord


def register(sub: Any) -> None:
    plan = sub.add_parser("plan", help="therapist plans: import, list, remove, report")
    plan.set_defaults(func=cmd_list)
    actions = plan.add_subparsers(dest="plan_command", metavar="ACTION", parser_class=type(plan))

    p = actions.add_parser("import", help="check a plan file and keep a copy (replaces an older version)")
    p.add_argument("file", metavar="FILE", type=Path)
    p.set_defaults(func=cmd_import)

    p = actions.add_parser("list", help="the imported plans, with adherence so far")
    p.set_defaults(func=cmd_list)

    p = actions.add_parser("remove", help="forget an imported plan (its sessions stay in the history)")
    p.add_argument("id", metavar="ID")
    p.set_defaults(func=cmd_remove)

    p = actions.add_parser("report", help="a report for the therapist: adherence, sessions, ratings, notes")
    p.add_argument("id", metavar="ID")
    add_output_options(p, ("md", "html", "csv", "json"), "md")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("due", help="what the active plans ask for today")
    p.add_argument("--date", type=_iso_date, metavar="YYYY-MM-DD", help="another day instead of today")
    p.set_defaults(func=cmd_due)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date as YYYY-MM-DD") from None


def _plans_dir() -> Path:
    from coach import paths

    return paths.plans_dir()


def _warn(lines: list[str]) -> None:
    for line in lines:
        print(f"coach: {visible(line)}", file=sys.stderr)


def read_history() -> list[SessionRecord]:
    """The history's records, after recovering a session a crash left in the journal.
    Lines that cannot be read are reported on stderr and skipped."""
    from coach import paths
    from coach.history import HistoryStore
    from coach.journal import recover_for_reading

    store = HistoryStore(paths.history_file())
    # When the history cannot be written, reading still works and says so in one line.
    recover_for_reading(store, paths.journal_file(), lambda message: _warn([message]))
    result = store.read()
    _warn([f"{store.path}:{line}: {reason} (line skipped)" for line, reason in result.problems])
    return list(result.records)


def _duration(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes >= 1 else f"{round(seconds)} s"


def _span(plan: Plan) -> str:
    return f"{day_text(plan.starts)} to {day_text(plan.ends)}"


def cmd_import(args: argparse.Namespace) -> int:
    from coach.library import Library
    from coach.plan_store import import_plan

    result = import_plan(args.file, _plans_dir())
    plan = result.plan
    if result.unchanged:
        print(visible(f"Plan '{plan.id}' is already imported from this same file; nothing changed."))
        return 0
    own = f", {len(plan.routines)} routine(s) of its own ({', '.join(r.id for r in plan.routines)})"
    summary = f"for {plan.client} from {plan.therapist.name}: {_span(plan)}, {len(plan.items)} item(s)" + (
        own if plan.routines else ""
    )
    if result.replaced is not None:
        old = result.replaced
        print(
            visible(
                f"Replaced plan '{plan.id}' with the new version {summary}. "
                f"(The earlier version ran {_span(old)} with {len(old.items)} item(s); sessions "
                "already done still count.)"
            )
        )
    else:
        print(visible(f"Imported plan '{plan.id}' {summary}."))
    today = date.today()
    if plan.ends < today:
        print(f"Note: this plan ended on {plan.ends.isoformat()}; nothing of it is due any more.")
    elif plan.starts > today:
        print(f"It starts on {plan.starts.isoformat()}.")
    library = Library.default()
    used = {info.id: info for info in library.infos()}
    for routine in plan.routines:
        info = used.get(routine.id)
        if info is not None and info.source != f"plan:{plan.id}":
            _warn(
                [
                    f"routine '{routine.id}' of this plan is hidden by the {info.source} routine "
                    f"with the same id ({info.path})"
                ]
            )
    print("See what is due today with: coach due")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from coach.adherence import adherence
    from coach.plan_store import list_plans

    stored, problems = list_plans(_plans_dir())
    _warn(problems)
    if not stored:
        print("No plans imported. A therapist's plan is added with: coach plan import FILE")
        return 0
    records = read_history()
    today = date.today()
    width = max(len(s.plan.id) for s in stored)
    for entry in stored:
        plan = entry.plan
        a = adherence(plan, records, today)
        share = (
            "nothing due yet" if a.share is None else f"{a.share * 100:.0f} % ({a.credited} of {a.expected})"
        )
        print(
            visible(
                f"{plan.id:<{width}}  {plan.status(today):<8}  {short_day(plan.starts)} – "
                f"{short_day(plan.ends)} {plan.ends.year}  {plan.client} (from {plan.therapist.name}), "
                f"{len(plan.items)} item(s), adherence {share}"
            )
        )
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from coach.plan_store import remove_plan

    plan = remove_plan(_plans_dir(), args.id)
    print(visible(f"Removed plan '{plan.id}' ({plan.client}, {_span(plan)}). "
                  "Its sessions stay in your history."))
    return 0


def routine_titles() -> dict[str, str]:
    """Titles of the routines a plan may name: every usable routine (built-in, plans', own)."""
    from coach.library import Library

    return {info.id: info.title for info in Library.default().infos()}


def cmd_report(args: argparse.Namespace) -> int:
    from coach.plan_store import load_plan
    from coach.report import build_report, render

    fmt = output_format(args)  # --format, else the -o file's extension, else md
    check_output(args)  # an existing file without --force is refused before any work
    stored = load_plan(_plans_dir(), args.id)
    records = read_history()
    report = build_report(stored.plan, records, date.today(), routine_titles())
    text = render(report, fmt)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    # Atomic, 0600 (it holds health notes), never over a file without --force.
    write_output_text(args, text)
    print(visible(f"Wrote {args.output} ({fmt})."))
    return 0


def due_lines(today: date, day_word: str = "today") -> tuple[list[tuple[DueItem, str]], list[str]]:
    """(item, its one line) for every item due `today` across the stored plans, and the
    problems met reading them."""
    from coach import paths
    from coach.adherence import completed_dates, due_on
    from coach.library import CACHE_NAME, Library, ValidationCache, list_plan_facts

    # Plain facts through the validation cache: a warm `coach due` loads no pydantic, and
    # a plan edited by hand since its import is validated again (keyed on its content).
    cache = ValidationCache.open(paths.cache_dir() / CACHE_NAME)
    try:
        stored, problems = list_plan_facts(_plans_dir(), cache)
    finally:
        cache.save()
    active = [plan for plan in stored if plan.is_active(today)]
    if not active:
        return [], problems
    records = read_history()
    infos = {info.id: info for info in Library.default().infos()}
    out = []
    for plan in active:
        for due in due_on(plan, today, completed_dates(plan.id, records)):
            info = infos.get(due.routine)
            what = f"{info.title} ({due.routine}, {_duration(info.seconds)})" if info else due.routine
            out.append(
                (
                    due,
                    f"{what}: {due_status(due, day_word)}"
                    + (f" Note: {due.item.note}" if due.item.note else "")
                    + f" [plan {plan.id}]",
                )
            )
    return out, problems


def due_status(due: DueItem, day_word: str = "today") -> str:
    """ "due today", "done today", "2 of 5 this week so far"…, ending with a full stop."""
    week = f"{due.done_this_week} of {due.target_this_week} this week"
    if due.item.days is not None:
        return f"done {day_word} ({week})." if due.is_done else f"due {day_word} ({week} so far)."
    if due.is_done:
        return f"done for this week ({week})."
    return f"{week} so far."


def cmd_due(args: argparse.Namespace) -> int:
    today = args.date or date.today()
    lines, problems = due_lines(today, "today" if args.date is None else "that day")
    _warn(problems)
    when = "today" if args.date is None else "on"
    if not lines:
        stored_any = _plans_dir().is_dir() and any(_plans_dir().glob("*.json"))
        if not stored_any:
            print(
                "Nothing due: no plan is imported. A therapist's plan is added with: coach plan import FILE"
            )
        else:
            print(
                f"Nothing due {when}, {day_text(today)}."
                if when == "today"
                else f"Nothing due on {day_text(today)}."
            )
        return 0
    print(f"Due {when} {day_text(today)}:" if when == "on" else f"Due today, {day_text(today)}:")
    for due, line in lines:
        print(f"  {'done ' if due.is_done else 'to do'}  {visible(line)}")
    print("Start one with: coach run ROUTINE --plan PLAN")
    return 0
