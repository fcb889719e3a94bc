"""`coach history` (table, --csv, --json; import; clear) and `coach stats`.

Handlers import the store and stats inside themselves: `coach --help` stays fast, and
nothing on these paths imports pydantic or Textual.
"""

from __future__ import annotations

import argparse
import os
import sys
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from coach.commands.output import add_output_options, check_output, output_format, write_output_stream
from coach.errors import CoachError, UsageError
from coach.text import duration_clock_spent, visible

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from coach.history import HistoryStore
    from coach.index import HistoryIndex
    from coach.records import LineProblem, SessionRecord
    from coach.stats import PracticeDay, Stats, WeekTrend

# At most this many unreadable lines are listed one by one; the rest are counted.
MAX_REPORTED = 20
# What `coach history` writes besides its table (--format, -o FILE): CSV, a JSON array, and
# CSV for spreadsheets (--spreadsheet).
EXPORT_FORMATS = ("csv", "json", "spreadsheet")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "history",
        help="the sessions: a table, CSV or JSON; import; clear",
        description="The sessions, oldest first. `coach history import FILE` merges a backup "
        "or another machine's history; `coach history clear` deletes it all.",
    )
    form = p.add_mutually_exclusive_group()
    form.add_argument("--csv", action="store_true", help="CSV with a header (import reads it)")
    form.add_argument("--json", action="store_true", help="a JSON array of the stored records")
    form.add_argument(
        "--spreadsheet",
        action="store_true",
        help="CSV for Excel, LibreOffice or Numbers: UTF-8 with a byte-order mark and two first "
        "columns of local times a spreadsheet reads as dates (import reads it too)",
    )
    p.add_argument(
        "--since", type=_iso_date, metavar="DATE", help="only sessions on or after DATE (YYYY-MM-DD)"
    )
    p.add_argument("--routine", metavar="ID", help="only sessions of this routine")
    # -o FILE: .csv or .json by its extension (--csv, --json, --spreadsheet or --format
    # say otherwise); atomically, owner-only, never over a file without --force.
    add_output_options(p, EXPORT_FORMATS, "table")
    p.set_defaults(func=cmd_history)
    actions = p.add_subparsers(dest="history_command", metavar="ACTION", parser_class=type(p))

    a = actions.add_parser(
        "import",
        help="merge records from JSON Lines, a JSON array or CSV (ids already there are skipped)",
        description="Merge records from JSON Lines, a JSON array (`coach history --json`) or CSV "
        "(`--csv`, `--spreadsheet`); records whose id is already there are skipped, and lines no "
        "session could have written are named and not imported. Control characters are never "
        "exported raw: a CSV export shows them as visible symbols (␛ for ESC), and they import "
        "back as those symbols; a JSON export keeps them escaped, and the import refuses them.",
    )
    a.add_argument("file", metavar="FILE", type=Path)
    a.set_defaults(func=cmd_import)

    a = actions.add_parser("clear", help="delete every session and the break log (asks first)")
    a.add_argument("-y", "--yes", action="store_true", help="do not ask")
    a.set_defaults(func=cmd_clear)

    p = sub.add_parser("stats", help="what the history says: sessions, streaks, changes")
    p.add_argument("--json", action="store_true", help="the figures as JSON, for scripts")
    p.add_argument(
        "--weeks", type=_weeks, default=WEEKS_SHOWN, metavar="N",
        help=f"weeks of the weekly stress trend, ending this week (default {WEEKS_SHOWN})",
    )  # fmt: skip
    p.set_defaults(func=cmd_stats)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date as YYYY-MM-DD") from None


# --- shared -------------------------------------------------------------------------------


def _warn(message: str) -> None:
    print(f"coach: {visible(message)}", file=sys.stderr)


def open_store() -> HistoryStore:
    """The history, after recording a session that a crash left in the journal."""
    from coach import paths
    from coach.history import HistoryStore
    from coach.journal import recover_for_reading
    from coach.rating import outcome

    store = HistoryStore(paths.history_file())
    # When the history cannot be written, reading still works and says so in one line.
    recovered = recover_for_reading(store, paths.journal_file(), _warn)
    if recovered is not None:
        _warn(
            f"recorded an interrupted session: {clean(recovered.routine_title or recovered.routine)}, "
            f"started {recovered.started_at} ({outcome(recovered)})"
        )
    return store


def report_problems(source: Path | str, problems: list[LineProblem], what: str) -> None:
    for line, reason in problems[:MAX_REPORTED]:
        _warn(f"{source}:{line}: {reason} ({what})")
    if len(problems) > MAX_REPORTED:
        _warn(f"{source}: {len(problems) - MAX_REPORTED} more lines like these ({what})")


@contextmanager
def open_history(store: HistoryStore) -> Iterator[HistoryIndex]:
    """The history's index (coach.index), brought up to date, for the length of the block.

    Unreadable lines are reported on stderr (on every run, from the index), and so is the
    one line that says the index could not be used (then it is built in memory). A rebuild
    that takes more than a second shows its progress on stderr when that is a terminal."""
    from coach.index import TerminalProgress, open_index

    with open_index(store.path, progress=TerminalProgress(sys.stderr)) as index:
        if index.note is not None:
            _warn(index.note)
        report_problems(store.path, index.problems(), "line skipped")
        yield index


def _no_collector() -> None:
    """A command reads the history, prints, and exits: everything it reads lives until then,
    so the cyclic collector would only walk 100,000 records again and again."""
    import gc

    gc.disable()


@contextmanager
def _utf8_stdout() -> Iterator[IO[str]]:
    """stdout as UTF-8 whatever the locale, for exports that must not lose a character."""
    import io

    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        yield sys.stdout
        return
    sys.stdout.flush()
    out = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
    try:
        yield out
        out.flush()
    finally:
        out.detach()


def _screen() -> IO[str]:
    """stdout for text meant to be read: a character the terminal's encoding lacks becomes
    ? instead of an error (exports use _utf8_stdout and lose nothing)."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="replace")
    return sys.stdout


# --- coach history ------------------------------------------------------------------------


def export_format(args: argparse.Namespace) -> str:
    """What `coach history` writes: "table", or one of EXPORT_FORMATS named by --csv,
    --json, --spreadsheet or --format, else by the -o FILE's extension (.csv, .json).
    Raises UsageError for a flag and a --format that disagree, or an -o FILE whose
    extension names no export (with the ones that do)."""
    flags = [name for name in EXPORT_FORMATS if getattr(args, name)]
    if flags:
        if args.format is not None and args.format != flags[0]:
            raise UsageError(f"--{flags[0]} and --format {args.format} name different formats; give one")
        args.format = flags[0]
    return output_format(args)


def cmd_history(args: argparse.Namespace) -> int:
    from coach.history import write_csv, write_json_array

    check_output(args)  # an existing -o FILE without --force is refused before any work
    form = export_format(args)
    store = open_store()
    _no_collector()
    with open_history(store) as index:
        chosen = {"since": args.since, "routine": args.routine}

        def export(out: IO[str]) -> None:
            if form == "json":  # the stored texts as they are: no records built, none serialised again
                write_json_array(index.texts(**chosen), out)
            else:
                write_csv(index.records(**chosen), out, spreadsheet=form == "spreadsheet")

        if args.output is not None:  # streamed into the temporary file, then renamed
            write_output_stream(args, export)
            count = index.count(**chosen)
            print(visible(f"Wrote {count} session{'' if count == 1 else 's'} to {args.output} ({form})."))
            return 0
        if form != "table":
            with _utf8_stdout() as out:
                export(out)
            return 0
        count = index.count(**chosen)
        if not count:
            filtered = args.since is not None or args.routine is not None
            print("No sessions match." if filtered else "No sessions yet: `coach run ROUTINE` starts one.")
            return 0
        out = _screen()
        show_paged(table_lines(index.records(**chosen), out), count + 1, out)
    return 0


def select(records: list[SessionRecord], *, since: date | None, routine: str | None) -> list[int]:
    """The indices of the records to show, oldest first (by the instant they started;
    ties keep file order). `since` compares local dates. The commands get this order from
    the index (coach.index); this is its reference on a list, for tests."""
    return select_rows(
        [r.started_at for r in records], [r.routine for r in records], since=since, routine=routine
    )


def select_rows(
    starts: list[str], routines: list[str], *, since: date | None, routine: str | None
) -> list[int]:
    """`select` on the started_at and routine of each record, by index."""
    from datetime import datetime

    keep: list[int] | range = range(len(starts))
    if routine is not None:
        keep = [i for i in keep if routines[i] == routine]
    if since is not None:
        first = since.isoformat()  # started_at begins with its local date, YYYY-MM-DD
        keep = [i for i in keep if starts[i][:10] >= first]
    chosen = [starts[i] for i in keep]
    if len({start[19:] for start in chosen}) <= 1:
        # One UTC offset (and form) throughout, the usual case: the text sorts as the time.
        order = sorted(range(len(chosen)), key=chosen.__getitem__)
    else:
        moments = [datetime.fromisoformat(start) for start in chosen]
        order = sorted(range(len(chosen)), key=moments.__getitem__)
    return [keep[j] for j in order]


# date 10, routine 17, time practised 7 ("1:02:03", coach.text.duration_clock_spent), stress 26
# ("0 → 10 (a noticeable rise)", the longest pair with its words from coach.rating),
# outcome 11 ("partly done"), with two spaces between: 79 columns. The time of day gave
# way to the change's words (the order of the rows still follows it; `--csv` and `--json`
# have it).
_ROUTINE_WIDTH = 17
_STRESS_WIDTH = 26


def table_lines(records: Iterable[SessionRecord], out: IO[str]) -> Iterator[str]:
    """The table of `coach history`: its header, then one line per record (each ending with
    a newline), made as they are read; characters `out` cannot encode get plain stand-ins."""
    arrow = _pick(out, "→", "->")
    dash = _pick(out, "–", "-")
    ellipsis = _pick(out, "…", "~")
    from coach.rating import classify, outcome

    yield f"{'Date':<10}  {'Routine':<{_ROUTINE_WIDTH}}  {'Time':>7}  {'Stress':<{_STRESS_WIDTH}}  Outcome\n"
    for r in records:
        when = r.started_at[:10]
        title = fit(encodable(clean(r.routine_title or r.routine), out), _ROUTINE_WIDTH, ellipsis)
        pre = dash if r.pre is None else str(r.pre)
        post = dash if r.post is None else str(r.post)
        meaning = classify(r.pre, r.post)
        stress = f"{pre} {arrow} {post}" + ("" if meaning is None else f" ({meaning})")
        done = "completed" if r.completed else outcome(r)
        yield f"{when:<10}  {title}  {_time_cell(r.active_seconds)}  {stress:<{_STRESS_WIDTH}}  {done}\n"


def show_paged(lines: Iterable[str], count: int, out: IO[str]) -> None:
    """Write `count` lines to `out`; through a pager when `out` is a terminal and they do
    not fit on its screen.

    The pager is $PAGER (run by the shell, as git does; empty: none), else `less` with
    LESS=FRX unless LESS is set (quit if one screen, keep colours, leave the text on the
    screen). Lines are fed to it as they are made: quitting the pager early stops the
    reading (its broken pipe ends the command quietly). Ctrl+C belongs to the pager while
    it runs. Without a pager the lines stream straight to `out`."""
    command = _pager_command(out, count)
    if command is None:
        _write_lines(lines, out)
        return
    import signal
    import subprocess

    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    out.flush()
    encoding = getattr(out, "encoding", None) or "utf-8"
    pager = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # the pager handles Ctrl+C itself
    try:
        assert pager.stdin is not None
        try:
            chunk: list[str] = []
            for line in lines:
                chunk.append(line)
                if len(chunk) >= 500:
                    pager.stdin.write("".join(chunk).encode(encoding, "replace"))
                    chunk.clear()
            pager.stdin.write("".join(chunk).encode(encoding, "replace"))
            pager.stdin.close()
        except BrokenPipeError:  # the person quit the pager before the end: done
            pass
        pager.wait()
    finally:
        try:
            if pager.stdin is not None:
                pager.stdin.close()
        except BrokenPipeError:
            pass
        signal.signal(signal.SIGINT, previous)


def _pager_command(out: IO[str], count: int) -> str | None:
    """The pager to run for `count` lines on `out`, or None to write them directly."""
    import shlex
    import shutil

    try:
        if not out.isatty():
            return None
    except (AttributeError, ValueError, OSError):
        return None
    if count < shutil.get_terminal_size().lines - 1:
        return None
    command = os.environ.get("PAGER")
    if command is None:
        return "less" if shutil.which("less") else None
    try:
        words = shlex.split(command)
    except ValueError:
        return None
    if not words or words[0] == "cat" or shutil.which(words[0]) is None:
        return None  # no pager, or one that is not there: the lines are not lost
    return command


def _write_lines(lines: Iterable[str], out: IO[str]) -> None:
    chunk: list[str] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= 1000:
            out.write("".join(chunk))
            chunk.clear()
    out.write("".join(chunk))


def _time_cell(seconds: float) -> str:
    """Time practised in seven columns, in the same whole seconds as the app's summary
    (coach.text.duration_clock_spent: "   4:57", "1:02:03"); a figure no session can have
    (a line written by hand, 10 hours or more) is "  >10 h" rather than a 300-digit number
    breaking the table."""
    return f"{duration_clock_spent(seconds):>7}" if seconds < 36_000 else "  >10 h"


def cells(text: str) -> int:
    """How many terminal cells `text` takes: 2 for a wide character (East Asian Wide or
    Fullwidth: CJK, most emoji), 0 for a combining mark, 1 for any other (Unicode UAX #11,
    as wcwidth counts them; `unicodedata` is enough: measured 0.2 ms to import, where rich's
    cell_len costs 25 ms in screenless commands). Issue 12: CJK titles counted as
    characters misaligned the tables and pushed them past 80 columns."""
    if text.isascii():
        return len(text)
    return sum(_char_cells(char) for char in text)


def _char_cells(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def encodable(text: str, out: IO[str] | None) -> str:
    """`text` as `out` will show it: a character its encoding lacks as "?" (as `_screen`
    writes it), so that `cells` counts what the terminal shows."""
    encoding = getattr(out, "encoding", None) or "utf-8"
    if text.isascii():
        return text
    try:
        text.encode(encoding)
        return text
    except UnicodeEncodeError:
        return text.encode(encoding, "replace").decode(encoding)
    except LookupError:
        return text


def fit(text: str, width: int, ellipsis: str = "…") -> str:
    """`text` in exactly `width` terminal cells (`cells`): cut with `ellipsis` at its end
    when longer, padded with spaces when shorter."""
    size = cells(text)
    if size > width:
        room = width - cells(ellipsis)
        kept: list[str] = []
        size = 0
        for char in text:
            step = _char_cells(char)
            if size + step > room:
                break
            kept.append(char)
            size += step
        text = "".join(kept) + ellipsis
        size += cells(ellipsis)
    return text + " " * (width - size)


def clean(text: str) -> str:
    """Text from a file, safe to print as one line (`coach.text.visible`): control
    characters, escape sequences and bidi controls are shown, never obeyed."""
    return visible(text)


def _pick(out: IO[str], fancy: str, plain: str) -> str:
    try:
        fancy.encode(getattr(out, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return plain
    return fancy


# --- coach history import / clear ------------------------------------------------------------


def cmd_import(args: argparse.Namespace) -> int:
    store = open_store()
    from coach.index import TerminalProgress

    result = store.import_file(args.file, progress=TerminalProgress(sys.stderr))
    report_problems(args.file, result.problems, "not imported")
    added = f"{result.added} session{'' if result.added == 1 else 's'}"
    print(f"Added {added}; skipped {result.skipped} already in the history.")
    if result.problems:
        count = len(result.problems)
        print(f"{count} record{' was' if count == 1 else 's were'} not valid and not imported (see above).")
        return 1
    return 0


def cmd_clear(args: argparse.Namespace) -> int:
    """Delete every session and the break log (coach/breaks.py: when breaks were taken or
    skipped, and their routines): "can delete it all" (DESIGN.md)."""
    from coach import paths
    from coach.breaks import clear_breaks, count_breaks
    from coach.text import plural

    store = open_store()
    breaks_path = paths.breaks_file()
    if not args.yes:
        if not _interactive():
            raise CoachError("nothing deleted: to clear the history without a question, add --yes")
        with open_history(store) as index:
            count = index.count()
        logged = count_breaks(breaks_path, date.today())
        breaks = sum((logged.all_time or {}).values()) + logged.unreadable
        if count == 0 and not store.path.exists() and breaks == 0:
            print("The history is already empty.")
            return 0
        sys.stderr.write(
            f"Delete all {count} session{'' if count == 1 else 's'} in {visible(str(store.path))} "
            f"and the break log ({plural(breaks, 'break')})? This cannot be undone. [y/N] "
        )
        sys.stderr.flush()
        answer = sys.stdin.readline().strip().lower()
        if answer not in ("y", "yes"):
            print("Nothing deleted.")
            return 1
    count = store.clear()
    breaks = clear_breaks(breaks_path)
    print(f"Deleted {plural(count, 'session')} and the break log ({plural(breaks, 'break')}).")
    return 0


def _interactive() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):
        return False


# --- coach stats --------------------------------------------------------------------------


def cmd_stats(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from coach import stats as st

    store = open_store()
    today = date.today()
    with open_history(store) as index:
        tallies = index.tallies()
    figures = st.summarise(tallies, today)
    weeks = st.weekly_trend(tallies, today - timedelta(weeks=args.weeks - 1), today)
    if args.json:
        import json

        from coach import breaks, paths
        from coach.text import json_visible

        # The weekly trend as the text shows it: every week of --weeks, medians and counts.
        figures_json = {
            **st.to_json(figures, weeks), "breaks": breaks.stats_json(paths.breaks_file(), date.today())
        }  # fmt: skip
        # ASCII (any terminal encoding prints it); json_visible escapes the DEL json leaves.
        print(json_visible(json.dumps(figures_json, indent=2)))
        return 0
    if not figures.all_time.sessions:
        print("No sessions yet: `coach run ROUTINE` starts one.")
        return 0
    out = _screen()
    practice = st.practice_days(tallies, today - timedelta(weeks=CALENDAR_WEEKS), today)
    out.write(format_stats(figures, out, weeks, practice))
    from coach import breaks, paths

    out.write(breaks.stats_text(paths.breaks_file(), date.today(), _pick(out, "·", "|")))
    return 0


# The width `coach stats` and `coach history` fit their lines to (terminal cells).
WIDTH = 80
# Weeks of the pre-session trend `coach stats` shows unless --weeks says (about a quarter).
WEEKS_SHOWN = 12
# Weeks of the practice calendar in `coach stats` (a column a week: fits 80 columns).
CALENDAR_WEEKS = 26


def _weeks(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 520:
        raise argparse.ArgumentTypeError(f"expected a number of weeks from 1 to 520, got {text!r}")
    return value


def format_stats(
    s: Stats,
    out: IO[str] | None = None,
    weeks: Sequence[WeekTrend] = (),
    days: Sequence[PracticeDay] | None = None,
) -> str:
    """The figures as text for an 80-column terminal; `weeks` (coach.stats.weekly_trend:
    every week of the period, oldest first) is drawn as the weekly trend, a line a week,
    empty weeks shown as gaps (coach.history_figures.trend_lines); `days` (None: no
    calendar) as the practice calendar of the last CALENDAR_WEEKS weeks."""
    from coach import history_figures as hf

    minus = "−" if out is None else _pick(out, "−", "-")
    bar_char = "█" if out is None else _pick(out, "█", "#")
    dot = "·" if out is None else _pick(out, "·", "|")

    def signed(value: float | None) -> str:
        # Medians and quartiles of whole-point changes are multiples of 0.25: shown exactly,
        # as in --json (2, 2.5, 2.25), never rounded to a different figure.
        if value is None:
            return "–" if out is None else _pick(out, "–", "-")
        text = f"{abs(round(value, 2)):g}"
        return (minus if value < 0 else "+" if value > 0 else "") + text

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    sessions = (
        f"Sessions     {s.all_time.sessions} in all ({_minutes(s.all_time.minutes)}) {dot} "
        f"{s.last_30_days.sessions} in the last 30 days {dot} {s.last_7_days.sessions} in the last 7"
    )
    if cells(sessions) > WIDTH:  # a long history's figures: the recent ones on a line of their own
        whole, recent = sessions.split(f" {dot} ", 1)
        sessions = f"{whole}\n{'':13}{recent}"
    lines = [
        sessions,
        f"Completed    {s.completed} of {s.all_time.sessions} {dot} {s.partly_done} partly done {dot} "
        f"{s.stopped} stopped",
        f"Streak       {plural(s.current_streak, 'day')} now {dot} longest {plural(s.longest_streak, 'day')}"
        " (days with a completed session)",
    ]
    if s.change is not None:
        c = s.change
        lines += [
            f"Change       median {signed(c.median)} points {dot} interquartile range "
            f"{signed(c.q1)} to {signed(c.q3)}",
            f"{'':13}over {plural(c.rated, 'completed session')} rated before and after",
            f"Responders   {s.responder_rate or 0.0:.0%} had a noticeable or large drop "
            f"({s.responders} of {c.rated})",
            f"{'':13}(reference thresholds from pain research, not a clinical measure)",
        ]
    else:
        lines.append("Change       no completed session has both ratings yet")
    ellipsis = "…" if out is None else _pick(out, "…", "~")
    # Each column as wide as its widest figure (a 1M history's "170610 of 200000"), the
    # routine's title gets what is left of 80 columns, 34 at most, cut with "…".
    rows = [
        (encodable(clean(r.title or r.routine), out), f"{r.completed} of {r.sessions}", f"{r.minutes:.0f}",
         signed(r.median_change), str(r.rated))
        for r in s.routines
    ]  # fmt: skip
    heads = ("Routine", "Completed", "Minutes", "Median", "Rated")
    widths = [max([cells(head), *(cells(row[i]) for row in rows)]) for i, head in enumerate(heads)]
    widths[0] = max(12, min(34, WIDTH - sum(widths[1:]) - 2 * (len(heads) - 1)))
    lines += [
        "",
        "By routine (Minutes, Median and Rated count its completed sessions only)",
        "  ".join(
            fit(head, width) if i == 0 else " " * (width - cells(head)) + head
            for i, (head, width) in enumerate(zip(heads, widths, strict=True))
        ).rstrip(),
    ]
    for row in rows:
        lines.append(
            "  ".join(
                fit(cell, width, ellipsis) if i == 0 else " " * (width - cells(cell)) + cell
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            )
        )
    if s.helped:
        lines += ["", "What helped most (median change over completed sessions with both ratings)"]
        for rank, r in enumerate(s.helped, 1):
            title = fit(encodable(clean(r.title or r.routine), out), 40, ellipsis)
            change = signed(r.median_change)
            lines.append(f"{rank:>2}. {title}  {change:>5}  ({plural(r.rated, 'session')})")
    if any(w.rated for w in weeks):
        lines += ["", "Stress before sessions, weekly median (0-10; n: sessions rated that week)"]
        dash = "–" if out is None else _pick(out, "–", "-")
        lines += hf.trend_lines(weeks, bar=bar_char, dash=dash)
    if days is not None:
        lines += ["", f"Practice days, the last {CALENDAR_WEEKS} weeks (a column a week, Monday at the top)"]
        calendar = hf.calendar_lines(days, s.today, CALENDAR_WEEKS)
        calendar.append(hf.calendar_summary(days, s.today, CALENDAR_WEEKS))
        if out is not None and _pick(out, "●", "#") == "#":  # a terminal that cannot show the marks
            ascii_marks = str.maketrans({hf.DAY_DONE: "#", hf.DAY_SOME: "o", hf.DAY_NONE: "."})
            calendar = [line.translate(ascii_marks) for line in calendar]
        lines += calendar
    return "\n".join(lines) + "\n"


def _minutes(minutes: float) -> str:
    if minutes < 60:
        return f"{minutes:.0f} min"
    hours, rest = divmod(round(minutes), 60)
    return f"{hours} h {rest} min"
