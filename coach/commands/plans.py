"""Therapist plans on the command line: `coach plan import|list|remove|report|handout` and
`coach due`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.commands.output import add_output_options, check_output, output_format, write_output_text
from coach.text import day_text, duration_about, plural, short_day, visible

if TYPE_CHECKING:
    from coach.adherence import DueItem
    from coach.plan import Plan
    from coach.plan_plain_store import StoredPlainPlan
    from coach.plan_versions import PlanVersion
    from coach.records import SessionRecord


def register(sub: Any) -> None:
    plan = sub.add_parser("plan", help="therapist plans: import, list, remove, report, handout")
    plan.set_defaults(func=cmd_list)
    actions = plan.add_subparsers(dest="plan_command", metavar="ACTION", parser_class=type(plan))

    p = actions.add_parser("import", help="check a plan file and keep it (changed: a new version from today)")
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

    p = actions.add_parser("handout", help="the client's printable handout (HTML): schedule, notes, steps")
    p.add_argument("id", metavar="ID")
    add_output_options(p, ("html",), "html")
    p.set_defaults(func=cmd_handout)

    p = sub.add_parser("due", help="what the active plans ask for today")
    p.add_argument("--date", type=_iso_date, metavar="YYYY-MM-DD", help="another day instead of today")
    p.set_defaults(func=cmd_due)


def _iso_date(text: str) -> date:
    """`--date`: YYYY-MM-DD only (not the other forms Python reads, such as 20261201), and a
    day of the calendar; the two mistakes are told apart, as `coach validate` tells them."""
    import re

    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        raise argparse.ArgumentTypeError(f"'{text}' is not a date as YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date in the calendar") from None


def _plans_dir() -> Path:
    from coach import paths

    return paths.plans_dir()


def _warn(lines: list[str]) -> None:
    for line in lines:
        print(f"coach: {visible(line)}", file=sys.stderr)


def read_history(plan_ids: Iterable[str]) -> list[SessionRecord]:
    """The sessions of these plans (file order), after recovering a session a crash left in
    the journal; read from the history index (coach.index), not the whole file. Lines that
    cannot be read are reported on stderr and skipped."""
    from coach import paths
    from coach.index import open_index

    history, journal = paths.history_file(), paths.journal_file()
    if journal.exists():
        # Only a crash leaves a journal: the history store and the record parser are
        # loaded for it alone (`coach due` runs often and parses nothing otherwise).
        from coach.history import HistoryStore
        from coach.journal import recover_for_reading

        # When the history cannot be written, reading still works and says so in one line.
        recover_for_reading(HistoryStore(history), journal, lambda message: _warn([message]))
    else:
        from coach.files import remove_stale_temporaries

        remove_stale_temporaries(journal.parent)  # what recovery does first, journal or not
    with open_index(history) as index:
        _warn([index.note] if index.note else [])
        _warn([f"{history}:{line}: {reason} (line skipped)" for line, reason in index.problems()])
        return index.plan_records(plan_ids)


def _span(plan: Plan) -> str:
    return f"{day_text(plan.starts)} to {day_text(plan.ends)}"


def cmd_import(args: argparse.Namespace) -> int:
    from coach.library import Library
    from coach.plan_store import import_plan

    result = import_plan(args.file, _plans_dir())
    plan = result.plan
    if result.unchanged:
        print(
            visible(
                f"Plan '{plan.id}' is already imported with this same content (version "
                f"{len(result.versions)}); nothing changed."
            )
        )
        return 0
    own_ids = ", ".join(f"{plan.id}/{r.id}" for r in plan.routines)  # as `coach list` and `run` name them
    own = f", {plural(len(plan.routines), 'routine')} of its own ({own_ids})"
    items = plural(len(plan.items), "item")
    summary = f"for {plan.client} from {plan.therapist.name}: {_span(plan)}, {items}" + (
        own if plan.routines else ""
    )
    if result.versions and len(result.versions) > 1:
        new = result.versions[-1]
        print(
            visible(
                f"Stored version {new.number} of plan '{plan.id}' {summary}, in force from "
                f"{day_text(new.effective)}. Earlier weeks keep the targets they had; every "
                "earlier version is kept."
            )
        )
        for change in result.changes:
            print(visible(f"  {change.description}"))
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
        info = used.get(f"{plan.id}/{routine.id}")  # a plan's own routines are PLAN/ID: never hidden
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
    from coach import paths
    from coach.adherence import adherence
    from coach.library import CACHE_NAME, ValidationCache
    from coach.plan_version_files import list_version_facts

    # Through the validation cache, as `coach due`: a warm `plan list` loads no pydantic.
    cache = ValidationCache.open(paths.cache_dir() / CACHE_NAME)
    try:
        stored, problems = list_version_facts(_plans_dir(), cache)
    finally:
        cache.save()
    _warn(problems)
    if not stored:
        print("No plans imported. A therapist's plan is added with: coach plan import FILE")
        return 0
    records = read_history(entry.plan.id for entry in stored)
    today = date.today()
    width = max(len(s.plan.id) for s in stored)
    for entry in stored:
        plan = entry.plan
        a = adherence(plan, records, today, entry.versions)
        share = (
            "nothing due yet" if a.share is None else f"{a.share * 100:.0f} % ({a.credited} of {a.expected})"
        )
        status = "upcoming" if today < plan.starts else ("ended" if today > plan.ends else "active")
        print(
            visible(
                f"{plan.id:<{width}}  {status:<8}  {short_day(plan.starts)} – "
                f"{short_day(plan.ends)} {plan.ends.year}  {entry.client} (from {entry.therapist}), "
                f"{plural(len(plan.items), 'item')}, {_versions_text(entry.versions)}, adherence {share}"
            )
        )
    return 0


def _versions_text(versions: Sequence[PlanVersion[Any]]) -> str:
    """ "1 version" or "3 versions, last changed Tue 24 Nov 2026" (`plan list`)."""
    if len(versions) == 1:
        return "1 version"
    return f"{len(versions)} versions, last changed {day_text(versions[-1].effective)}"


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


def _load_plain(plan_id: str, problems: list[str]) -> StoredPlainPlan:
    """The stored plan through the validation cache: a warm run loads no pydantic."""
    from coach import paths
    from coach.library import CACHE_NAME, ValidationCache
    from coach.plan_plain_store import load_plain_plan

    cache = ValidationCache.open(paths.cache_dir() / CACHE_NAME)
    try:
        return load_plain_plan(_plans_dir(), plan_id, cache, problems)
    finally:
        cache.save()


def routine_stop_if(plan_id: str, routines: Iterable[str]) -> list[str]:
    """The "stop if" lines of `routines` (plan item ids) as the library has them; a routine
    missing or unreadable here gives none (the report still comes out)."""
    from coach.errors import CoachError
    from coach.library import Library, item_routine_id

    library = Library.default()
    infos = {info.id: info for info in library.infos()}
    out: list[str] = []
    for routine in dict.fromkeys(routines):
        info = infos.get(item_routine_id(plan_id, routine, infos))
        if info is None:
            continue
        try:
            out += [str(line) for line in library.detail(info).get("stop_if") or ()]
        except (CoachError, OSError):
            continue
    return out


def cmd_report(args: argparse.Namespace) -> int:
    from coach.report import build_report, render

    check_output(args)  # an existing file without --force is refused before any work
    fmt = output_format(args)  # --format, else the -o file's extension, else md
    problems: list[str] = []
    stored = _load_plain(args.id, problems)  # every version: weeks count by theirs
    _warn(problems)
    records = read_history([stored.plan.id])
    used = [i.routine for v in stored.all_versions for i in v.plan.items]  # every version's items
    stop_if = routine_stop_if(stored.plan.id, used)  # notes that name one are flagged first
    report = build_report(stored.plan, records, date.today(), routine_titles(), stored.all_versions, stop_if)
    text = render(report, fmt)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    # Atomic, 0600 (it holds health notes), never over a file without --force.
    write_output_text(args, text)
    print(visible(f"Wrote {args.output} ({fmt})."))
    return 0


def cmd_handout(args: argparse.Namespace) -> int:
    from coach.errors import CoachError
    from coach.library import Library, item_routine_id
    from coach.report.handout import HandoutItem, HandoutRoutine, plan_handout

    check_output(args)
    output_format(args)  # only HTML: an -o FILE named otherwise is refused here
    problems: list[str] = []
    stored = _load_plain(args.id, problems)
    plan = stored.plan
    _warn(problems)
    library = Library.default()
    infos = {info.id: info for info in library.infos()}
    items = []
    for item in plan.items:
        listed = item_routine_id(plan.id, item.routine, infos)  # PLAN/ID for the plan's own
        info = infos.get(listed)
        if info is None:
            raise CoachError(f"plan '{plan.id}': its routine '{item.routine}' is not available here")
        start = f"coach run {listed} --plan {plan.id}"
        routine = HandoutRoutine(listed, library.detail(info), start)
        days = None if item.days is None else tuple(item.days)  # for the handout's week grid
        note = item.note or ""
        items.append(HandoutItem(routine, item.schedule_text, note, item.per_week, days, item.routine))
    text = plan_handout(plan, items, stored.all_versions)  # past weeks keep the targets they had
    if args.output is None:
        sys.stdout.write(text)
        return 0
    write_output_text(args, text)  # atomic, 0600, never over a file without --force
    print(visible(f"Wrote {args.output} (the handout for {plan.client}; open it in a browser to print)."))
    return 0


def due_lines(today: date, day_word: str = "today") -> tuple[list[tuple[DueItem, str]], list[str]]:
    """(item, its one line) for every item due `today` across the stored plans, and the
    problems met reading them."""
    from coach import paths
    from coach.adherence import completed_dates, due_on, own_routine_ids
    from coach.library import CACHE_NAME, Library, ValidationCache, item_routine_id
    from coach.plan_version_files import list_version_facts
    from coach.plan_versions import version_on

    # Plain facts of every version through the validation cache: a warm `coach due` loads
    # no pydantic, and a plan edited by hand since its import is validated again (keyed on
    # its content). Each day counts by the version in force on it.
    cache = ValidationCache.open(paths.cache_dir() / CACHE_NAME)
    try:
        stored, problems = list_version_facts(_plans_dir(), cache)
    finally:
        cache.save()
    active = [entry.versions for entry in stored if version_on(entry.versions, today).plan.is_active(today)]
    if not active:
        return [], problems
    records = read_history(versions[-1].plan.id for versions in active)
    infos = {info.id: info for info in Library.default().infos()}
    out = []
    for versions in active:
        plan = versions[-1].plan
        sessions = completed_dates(plan.id, records, own_routine_ids(plan, versions))
        for due in due_on(plan, today, sessions, versions):
            listed = item_routine_id(plan.id, due.routine, infos)  # PLAN/ID for the plan's own
            info = infos.get(listed)
            what = f"{info.title} ({listed}, {duration_about(info.seconds)})" if info else listed
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


def upcoming_plans(day: date) -> list[tuple[str, date]]:
    """(plan id, first day) of the stored plans that have not started by `day`, soonest
    first: what `coach due` names when nothing is due yet."""
    from coach import paths
    from coach.library import CACHE_NAME, ValidationCache
    from coach.plan_version_files import list_version_facts

    cache = ValidationCache.open(paths.cache_dir() / CACHE_NAME)
    try:
        stored, _problems = list_version_facts(_plans_dir(), cache)  # told once by due_lines
    finally:
        cache.save()
    found = [(entry.plan.id, entry.plan.starts) for entry in stored if entry.plan.starts > day]
    return sorted(found, key=lambda pair: (pair[1], pair[0]))


def _starts_text(upcoming: list[tuple[str, date]]) -> str:
    """ "plan 'sam-neck' starts on Tue 1 Dec 2026", or for several "plans start later:
    'a' on Tue 1 Dec 2026, 'b' on …"."""
    if len(upcoming) == 1:
        plan_id, starts = upcoming[0]
        return f"plan '{plan_id}' starts on {day_text(starts)}"
    return "plans start later: " + ", ".join(f"'{p}' on {day_text(s)}" for p, s in upcoming)


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
            return 0
        shown = day_text(today)
        nothing = f"Nothing due today, {shown}" if when == "today" else f"Nothing due on {shown}"
        upcoming = upcoming_plans(today)
        print(visible(f"{nothing}; {_starts_text(upcoming)}." if upcoming else f"{nothing}."))
        return 0
    print(f"Due {when} {day_text(today)}:" if when == "on" else f"Due today, {day_text(today)}:")
    for due, line in lines:
        print(f"  {'done ' if due.is_done else 'to do'}  {visible(line)}")
    if today >= date.today():  # a day gone by cannot be practised any more
        print("Start one with: coach run ROUTINE --plan PLAN")
    return 0
