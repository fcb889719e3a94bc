"""The one way into a session, for both shells (the plain runner and the app).

In this order (the lock and recovery before anything is asked):

    request, notes = request_from_args(args, library, plans_dir)   # routine, plan, ratings, speed
    # request.plan: the plan it counts towards (`attribute`); request.candidates: several
    # active plans include it and none was named (the app asks, the plain runner counts none)
    opened = open_session(request.info.title, history_path=…, journal_path=…,
                          preview=request.preview, started=wall())   # the lock, then recovery
    …the shell asks (first-run note, cautions, pre-rating)…
    practice = opened.practice(routine, pre=7, plan=request.plan, player=player, wall=wall,
                               on_problem=tell, routine_id=request.info.id,   # PLAN/ID
                               pain_area=request.pain_area, pain_pre=…)  # store + journal + player
    …the session…
    opened.release()                                                 # or the process ends

`open_session` raises `coach.journal.SessionRunning` (a CoachError, exit 1) at once when
another process holds the session lock, with a sentence such as "A session is already
running: Box breathing, started 09:12, in another window." Bad values are UsageErrors
(exit 2), one line each. No Textual, no printing: the shells say what they are given.
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.errors import CoachError, UsageError

if TYPE_CHECKING:
    from coach.audio import Player
    from coach.history import HistoryStore
    from coach.journal import SessionLock
    from coach.library import Library, PlanFacts, RoutineInfo
    from coach.practice import Practice
    from coach.records import SessionRecord
    from coach.routine import Routine

def _boottime_clock() -> Callable[[], float] | None:
    """time.clock_gettime on CLOCK_BOOTTIME, where the system has it (Linux), else None."""
    clock_id = getattr(time, "CLOCK_BOOTTIME", None)
    if clock_id is None:
        return None
    try:
        time.clock_gettime(clock_id)
    except OSError:  # an old kernel without it
        return None
    return functools.partial(time.clock_gettime, clock_id)


_SESSION_CLOCK: Callable[[], float] = _boottime_clock() or time.monotonic


def session_clock() -> float:
    """The one session clock of both shells, in seconds from an arbitrary origin.

    Monotonic, and it keeps counting while the machine is suspended: Linux's
    CLOCK_MONOTONIC stops during a suspend (a closed laptop lid), so that time would show
    neither as time away nor in `ended_at`. CLOCK_BOOTTIME (clock_gettime(2)) includes
    it; where there is none, time.monotonic (whose platforms count suspend or not as
    their own monotonic clock does)."""
    return _SESSION_CLOCK()


# --speed: a preview runs at most this many times faster (a 20-minute routine in 12 s).
MAX_SPEED = 100.0


@dataclass(frozen=True)
class StartRequest:
    """A session asked for with more than a routine: `coach run ROUTINE` (given ratings,
    speed, leave after) or a plan's item (its plan id)."""

    info: RoutineInfo
    pre: int | None = None  # given up front: the shell does not ask
    post: int | None = None
    plan: str | None = None  # the plan the session counts towards (see `attribute`)
    speed: float = 1.0  # > 1 previews faster and records nothing
    # Several active plans include the routine and none was named: the app asks which
    # (or none); the plain runner counts none (`Attribution.notice` says so).
    candidates: tuple[str, ...] = ()
    no_plan: bool = False  # `--no-plan`: the session counts towards no plan
    # The pain rating the session's plan asks for: the area (None: not asked), and the
    # ratings given up front (0-10, `--pain-pre` / `--pain-post`), else asked by the shell.
    pain_area: str | None = None
    pain_pre: int | None = None
    pain_post: int | None = None
    exit_after: bool = False  # `coach run`: leave the app when the session ends
    # `--minutes N`: the routine scaled to about N minutes (`coach.scaling`); None: as written.
    minutes: float | None = None
    # The lock and recovery, when `coach run` took them before the app took the screen.
    opened: OpenSession | None = field(default=None, compare=False)

    @property
    def preview(self) -> bool:
        """Any speed but 1: a preview, which records nothing and takes no lock."""
        return self.speed != 1.0


# --- the checks -----------------------------------------------------------------------------


def check_rating(name: str, value: object) -> int | None:
    """A stress rating given up front (`--pre`, `--post`): None, or a whole number 0–10
    (the 0-10 stress scale). Raises UsageError naming the option."""
    if value is None:
        return None
    if type(value) is not int or not 0 <= value <= 10:
        raise UsageError(f"--{name} must be a whole number from 0 to 10, got {value!r}")
    return value


def check_speed(value: object) -> float:
    """`--speed`: None (1, a real session) or a number from 1 to MAX_SPEED. Raises
    UsageError for anything else (0, negative, above 100, nan, infinite)."""
    if value is None:
        return 1.0
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UsageError(f"--speed must be a number from 1 to {MAX_SPEED:g}, got {value!r}")
    speed = float(value)
    if not (math.isfinite(speed) and 1.0 <= speed <= MAX_SPEED):
        raise UsageError(f"--speed must be a number from 1 to {MAX_SPEED:g}, got {speed:g}")
    return speed


def resolve_routine(library: Library, ref: str, *, plan: str | None = None) -> RoutineInfo:
    """ROUTINE as `coach run` takes it: an id, `PLAN/ID` for a plan's own routine, or a
    path (`coach.library.Library.find`). With `plan`, a bare id is looked up among that
    plan's own routines first. Raises UsageError when there is no such routine."""
    return library.find(ref, plan=plan)


# --- which plan a session counts towards (DESIGN.md, Plans) ----------------------------------


@dataclass(frozen=True)
class Attribution:
    """The plan a session counts towards, and why.

    `plan`: the plan's id, or None. `candidates`: the active plans that include the
    routine when there are several and none was named (then `plan` is None: the app asks,
    the plain runner counts none). `chosen`: "named" (`--plan`, or started from the plan),
    "only" (the routine is an item of exactly one active plan), "several", "none" (no
    active plan includes it) or "opted-out" (`--no-plan`). `pain_area`: the area the
    plan asks a pain rating for, or None."""

    plan: str | None
    chosen: str
    candidates: tuple[str, ...] = ()
    pain_area: str | None = None

    def notice(self, routine_id: str, names: Mapping[str, str] | None = None) -> str | None:
        """The one line a shell says before the pre-rating, or None: which plan the
        session counts towards when it was not named, or why it counts towards none.
        `names`: how to name each candidate plan (`coach.plan_candidates.candidate_words`:
        "sam-neck (Sam R., from Jo Park)"); the id alone where it has none."""
        if self.chosen == "only":
            return f"This session counts towards plan '{self.plan}' (--no-plan keeps it out)."
        if self.chosen == "several":
            named = [(names or {}).get(plan_id, plan_id) for plan_id in self.candidates]
            return (f"'{routine_id}' is in {len(self.candidates)} active plans "
                    f"({'; '.join(named)}): this session counts towards none of them; "
                    "run it with --plan ID to count it")  # fmt: skip
        return None


def includes(plan: PlanFacts, info: RoutineInfo) -> bool:
    """The routine is one of `plan`'s items, matched exactly: an item that names one of
    the plan's own routines means `PLAN/ID` (that routine only); an item that names any
    other id means the built-in routine (or the user's routine that replaces it) with that
    id. So a user's routine that merely shares an id with a plan's own routine is not the
    plan's, and a routine run from a path is nobody's item (issue 13)."""
    items = {item.routine for item in plan.items}
    if info.plan is not None:
        return info.plan == plan.id and info.inner_id in items
    own = set(plan.own_routines)
    return info.source in ("built-in", "user") and info.id in items and info.id not in own


def attribute(
    info: RoutineInfo,
    plans: Sequence[PlanFacts],
    today: date,
    *,
    plan: str | None = None,
    no_plan: bool = False,
) -> Attribution:
    """Which plan a session of `info` counts towards, as DESIGN.md (Plans) says: the plan
    it was started from (`plan`: `--plan`, or the app's plan screen); else the one active
    plan (on `today`, the local date) that includes it; none when several do (the app
    asks, the plain runner names them) or none does; none with `no_plan` (`--no-plan`).
    `plans` are the stored plans (`coach.library.list_plan_facts`), for the active ones
    and the pain area a plan asks about. Pure: no files, no clock."""
    by_id = {facts.id: facts for facts in plans}
    if no_plan:
        return Attribution(None, "opted-out")
    if plan is not None:
        named = by_id.get(plan)
        return Attribution(plan, "named", pain_area=named.pain_area if named is not None else None)
    found = [facts for facts in plans if facts.is_active(today) and includes(facts, info)]
    if len(found) == 1:
        return Attribution(found[0].id, "only", pain_area=found[0].pain_area)
    if found:
        return Attribution(None, "several", candidates=tuple(sorted(facts.id for facts in found)))
    return Attribution(None, "none")


def stored_plans(library: Library, plans_dir: Path) -> tuple[list[PlanFacts], list[str]]:
    """The stored plans as plain facts (`coach.library.list_plan_facts`, through the
    library's validation cache: no pydantic on a warm run), and a line per unreadable one."""
    from coach.library import ValidationCache, list_plan_facts

    cache = ValidationCache.open(library.cache_path)
    try:
        return list_plan_facts(plans_dir, cache)
    finally:
        cache.save()


# "Pain in your …": the two areas whose sentence words (coach.vocabulary.area_words) do not fit.
_PAIN_WORDS = {"whole-body": "body", "breath": "chest when you breathe"}


def pain_question(area: str) -> str:
    """The pain question of a plan that asks about `area` (DESIGN.md, Stress rating: 0 =
    no pain, 10 = worst pain imaginable, the numeric rating scale's anchors); the area in
    words ("lower back"), as the handout names it."""
    from coach.vocabulary import area_words

    words = _PAIN_WORDS.get(area) or area_words(area)
    return f"Pain in your {words} right now, 0 = no pain, 10 = worst pain imaginable"


def request_from_args(
    args: Any,
    library: Library,
    plans_dir: Path,
    *,
    exit_after: bool = True,
    today: date | None = None,
    plan_asked: bool = False,
) -> tuple[StartRequest, list[str]]:
    """`coach run`'s arguments (routine, pre, post, plan, no_plan, pain_pre, pain_post,
    speed, minutes; `default_minutes`, the settings' default length, used without --minutes
    when the session counts towards no plan) checked once for both shells: the request, and
    notes to show (the plan note, which plan the session counts towards:
    `Attribution.notice`). `today`: the local date
    that decides which plans are active (default: today). `plan_asked`: the shell asks
    which plan when several include the routine (the app), so no note says it counts
    towards none. An unknown plan or routine, a
    rating outside 0–10, a speed outside 1–100, --plan with --no-plan, or --minutes for a
    session that counts towards a plan (its routines run as written; a length `--last`
    remembered, `minutes_remembered`, is left out with a note) raises UsageError."""
    pre = check_rating("pre", getattr(args, "pre", None))
    post = check_rating("post", getattr(args, "post", None))
    pain_pre = check_rating("pain-pre", getattr(args, "pain_pre", None))
    pain_post = check_rating("pain-post", getattr(args, "pain_post", None))
    speed = check_speed(getattr(args, "speed", None))
    from coach.scaling import check_minutes

    minutes = check_minutes(getattr(args, "minutes", None))
    plan = getattr(args, "plan", None)
    no_plan = bool(getattr(args, "no_plan", False))
    if plan is not None and no_plan:
        raise UsageError("give --plan ID or --no-plan, not both")
    info = resolve_routine(library, args.routine, plan=plan)
    notes: list[str] = []
    if plan is not None:
        from coach.plan_store import plan_note_for

        # An unknown plan stops here; the routine is named as the listing names it (PLAN/ID).
        note = plan_note_for(plans_dir, plan, info.id)
        if note is not None and speed == 1.0:  # a preview records nothing: no note
            notes.append(note)
    preview = speed != 1.0
    plans: list[PlanFacts] = []
    if not no_plan and not preview:
        plans, problems = stored_plans(library, plans_dir)
        notes.extend(problems)
    found = attribute(info, plans, date.today() if today is None else today, plan=plan, no_plan=no_plan)
    names = None
    if found.chosen == "several" and not plan_asked:
        from coach.plan_candidates import candidate_words, plan_candidates

        names = {c.id: candidate_words(c) for c in plan_candidates(plans_dir, found.candidates)}
    # The app asks which plan (`plan_asked`): "counts towards none of them" would be wrong there.
    if not preview and not (plan_asked and found.chosen == "several"):
        if (notice := found.notice(info.id, names)) is not None:
            notes.append(notice)
    if found.pain_area is None and not preview and (pain_pre is not None or pain_post is not None):
        notes.append("--pain-pre and --pain-post are for a plan that asks for a pain rating; "
                     "this session's plan does not, so they are not kept")  # fmt: skip
        pain_pre = pain_post = None
    if minutes is not None and found.plan is not None and not preview:
        # A plan's routines run as the therapist wrote them (issue 13): a shortened session
        # would count as a full one. The length `--last` remembered is left out, and said.
        if not getattr(args, "minutes_remembered", False):
            raise UsageError(
                f"the routines of plan '{found.plan}' run as written, and this session counts towards "
                "it: leave out --minutes, or add --no-plan to practise a shorter version outside the plan"
            )
        notes.append(f"This session counts towards plan '{found.plan}', so it runs as written "
                     "(not at the length you chose last time).")  # fmt: skip
        minutes = None
    if minutes is None and found.plan is None:  # no length chosen: the settings' default length
        minutes = check_minutes(getattr(args, "default_minutes", None))  # a plan's session: as written
    request = StartRequest(info=info, pre=pre, post=post, plan=found.plan, speed=speed, exit_after=exit_after,
                           candidates=found.candidates, no_plan=no_plan, pain_area=found.pain_area,
                           pain_pre=pain_pre, pain_post=pain_post, minutes=minutes)  # fmt: skip
    return request, notes


# --- the lock, the recovery, the practice ---------------------------------------------------


@dataclass
class OpenSession:
    """A session that may start: this process holds the session lock (none for a
    preview) and a crashed session was recovered first (`recovered`, to be told once)."""

    preview: bool
    lock: SessionLock | None = None
    store: HistoryStore | None = None
    journal_path: Path | None = None
    recovered: SessionRecord | None = None

    def practice(
        self,
        routine: Routine,
        *,
        pre: int | None,
        plan: str | None,
        player: Player | None,
        wall: Callable[[], datetime] | None = None,
        on_problem: Callable[[str], None] | None = None,
        speed: float = 1.0,
        routine_id: str | None = None,
        pain_area: str | None = None,
        pain_pre: int | None = None,
        lead_in: float = 0.0,
    ) -> Practice:
        """The practice both shells run: the history store and the crash journal (none for
        a preview), and the player. `on_problem` is told once if the journal cannot be
        written (the session goes on). `speed`: the session clock's speed (a preview), so
        that time away is measured in real seconds. `routine_id`: the id the record names
        (the listing's, `PLAN/ID` for a plan's own routine; default the routine's id).
        `pain_area`/`pain_pre`: the pain rating the session's plan asks for (0-10).
        `lead_in`: seconds of lead-in count (`Practice`; the shells pass
        `coach.session.LEAD_IN_SECONDS` when the `lead_in` setting is on)."""
        from coach.practice import Practice

        if self.lock is not None and not self.lock.held:
            raise RuntimeError("OpenSession.practice() after release()")
        journal = None
        if self.store is not None and self.journal_path is not None:
            from coach.journal import Journal

            journal = Journal(self.journal_path, now=wall, on_problem=on_problem)
        extra: dict[str, Any] = {} if wall is None else {"wall": wall}
        return Practice(
            routine,
            pre=pre,
            plan=None if self.preview else plan,
            store=self.store,
            journal=journal,
            player=player,
            speed=speed,
            routine_id=routine_id,
            pain_area=None if self.preview else pain_area,
            pain_pre=None if self.preview else pain_pre,
            lead_in=lead_in,
            **extra,
        )

    def release(self) -> None:
        """The session is over (or abandoned): another may start. Safe to call twice."""
        if self.lock is not None:
            self.lock.release()


def open_session(
    title: str,
    *,
    history_path: Path,
    journal_path: Path,
    preview: bool,
    started: datetime,
    on_problem: Callable[[str], None] | None = None,
) -> OpenSession:
    """Take the session lock for a session of `title` and recover a crashed session.

    Raises SessionRunning (CoachError) at once when another session holds the lock;
    CoachError when the lock file is not Coach's own, when a crashed session cannot be
    saved to the history (a new session would overwrite its journal), or when the history
    cannot be appended to (`check_history_appendable`: a session that can never be
    recorded does not start). `on_problem` is
    told of a journal that could not be read (it is set aside).

    A preview (`--speed` above 1) takes no lock and recovers nothing: it neither reads nor
    writes the journal or the history, so it cannot collide with a running session, and
    someone may preview a routine while a session runs in another window.
    """
    if preview:
        return OpenSession(preview=True)
    from coach.history import HistoryStore
    from coach.journal import SessionLock, lock_path_for, recover_journal

    lock = SessionLock.acquire(lock_path_for(journal_path), title=title, started=started)
    store = HistoryStore(history_path)
    try:
        recovered = recover_journal(store, journal_path, on_problem=on_problem, lock=lock)
    except (CoachError, OSError) as exc:
        lock.release()
        reason = exc.message if isinstance(exc, CoachError) else (exc.strerror or str(exc))
        raise CoachError(
            f"an interrupted session could not be saved to the history ({reason}); "
            "a new session would overwrite it, so none starts until the history can be written"
        ) from None
    except BaseException:
        lock.release()
        raise
    try:
        check_history_appendable(history_path)
    except BaseException:
        lock.release()
        raise
    return OpenSession(preview=False, lock=lock, store=store, journal_path=journal_path,
                       recovered=recovered)  # fmt: skip


def check_history_appendable(path: Path) -> None:
    """Refuse a session whose record could never be saved, before anything is asked.

    The history at `path` must be a regular file of this user that this user may write, or
    be missing in a folder that exists and can be written (or that can be made: the nearest
    existing folder on the way is writable). Nothing is written: the checks are lstat,
    `coach.files.check_replaceable` and access(2). Raises CoachError (exit 1), one sentence
    naming the path and the problem.
    """
    import os
    import stat

    from coach.files import UnsafePathError, check_replaceable, kind_of

    def refuse(problem: str) -> CoachError:
        return CoachError(f"{problem}; no session starts, since it could not be saved to the history")

    try:
        check_replaceable(path)  # a link, a FIFO, a folder, another user's file
    except UnsafePathError as exc:
        raise refuse(exc.message) from None
    except OSError as exc:
        raise refuse(f"{path}: cannot be checked ({exc.strerror or exc})") from None
    if os.path.lexists(path):
        if not os.access(path, os.W_OK, follow_symlinks=False):
            raise refuse(f"{path}: the history file is read-only")
        return
    for folder in path.parents:  # the nearest folder that is there must take a new file
        try:
            mode = os.stat(folder).st_mode
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise refuse(f"{folder}: cannot be checked ({exc.strerror or exc})") from None
        if not stat.S_ISDIR(mode):
            raise refuse(f"{folder}: is {kind_of(mode)}, not a folder")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise refuse(f"{folder}: the data folder is read-only, so the history cannot be created")
        return
