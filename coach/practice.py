"""A session being practised: the engine plus its journal, history and sound.

Every front end (the plain runner, the Textual app) drives one `Practice` the same way:

    practice = Practice(routine, pre=7, store=HistoryStore(path), journal=Journal(path), player=player)
    practice.start(now)                 # begins the crash journal
    events = practice.poll(now)         # on each redraw or wake-up: plays cues, keeps the journal
    practice.skip(now) ...              # the engine's commands, same names and arguments
    record = practice.record(now, post=3, note="")   # at the end, or after quit: one history line

No printing, no Textual, no clock of its own: `now` comes from the caller's monotonic clock
and wall-clock dates from `wall`. Without a store it records nothing (a preview).

Time the program did not run is a pause (the engine's rule, `coach.session.AWAY_SECONDS`):
a front end must call at least every second or so while a session runs (a redraw, a
wake-up), or sleep exactly until `next_due`. The record's `ended_at` is `started_at` plus
the monotonic time from the start to the end, so a wall-clock jump cannot move it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from coach.errors import CoachError
from coach.session import AWAY_SECONDS, EXTEND_SECONDS, Event, Session, Snapshot

if TYPE_CHECKING:
    from coach.audio import Player
    from coach.history import HistoryStore
    from coach.journal import Journal
    from coach.records import SessionRecord
    from coach.routine import Routine

# Sound for each event; breaths by their direction.
CUE_FOR_EVENT = {"step_started": "bell", "side_switched": "switch", "finished": "finish",
                 "lead_in": "tick", "rep_hold": "tick", "rep_release": "tick"}
CUE_FOR_BREATH = {
    "inhale": "inhale",
    "top-up": "inhale",
    "exhale": "exhale",
    "hold": "hold",
    "hold-out": "hold",
}
# When a poll brings several events (a stall, a command), one cue plays: the most telling
# one. A step or side that starts with a breath or a rep's hold is the exception: the bell
# (or the switch) first, then that breath's tone or the hold's tick, FIRST_CUE_AFTER later.
CUE_PRIORITY = ("finish", "switch", "bell", "inhale", "exhale", "hold", "tick")
# Real seconds from the bell to the first breath's tone or hold's tick: the bell's strike has
# faded to about a tenth by then (coach.audio: a 0.16 s decay), so both are heard, in order
# (DESIGN.md, Guidance: a tick at each rep's hold, a rising tone to breathe in).
FIRST_CUE_AFTER = 0.35
# A breath cue this late (active seconds) would mislead: the next breath is nearly due.
STALE_BREATH_SECONDS = 1.0
# Between state changes, the journal's active time is refreshed this often (seconds).
JOURNAL_EVERY = 5.0


def _local_now() -> datetime:
    return datetime.now().astimezone()


class Practice:
    """One session of one routine. Commands mirror `Session`'s and return its answer."""

    def __init__(
        self,
        routine: Routine,
        *,
        pre: int | None = None,
        plan: str | None = None,
        store: HistoryStore | None = None,
        journal: Journal | None = None,
        player: Player | None = None,
        wall: Callable[[], datetime] = _local_now,
        routine_hash: str | None = None,
        speed: float = 1.0,
        away_after: float | None = AWAY_SECONDS,
        routine_id: str | None = None,
        pain_area: str | None = None,
        pain_pre: int | None = None,
        lead_in: float = 0.0,
    ) -> None:
        """`speed`: how many times faster than real time the caller's clock runs (a
        preview); `away_after`: real seconds of gap that count as time away (None: never).
        `routine_id`: the id the record names (`PLAN/ID` for a plan's own routine; default
        the routine's id). `pain_area`, `pain_pre`: the pain rating a plan asks for (0-10).
        `lead_in`: seconds of lead-in count before the first step and after each resume
        (`coach.session.LEAD_IN_SECONDS` when the person's `lead_in` setting is on; 0, the
        default, for none). Session seconds, like every other length: a preview at speed N
        passes it N times faster, so a preview stays a quick look."""
        self.routine = routine
        self.routine_id = routine_id or routine.id
        self.pain_area = pain_area
        self.pain_pre = pain_pre
        self.speed = speed
        self.session = Session(routine, away_after=None if away_after is None else away_after * speed,
                               lead_in=lead_in)  # fmt: skip
        # "Too much" presses, for the record: step (1-based), title, at (active seconds, one
        # decimal) and choice (None until `relieve`).
        self.discomfort: list[dict[str, Any]] = []
        self.pre = pre
        self.plan = plan
        self.store = store
        self.journal = journal if store is not None else None
        self.player = player
        self.wall = wall
        self._routine_hash = routine_hash
        self.started_at: datetime | None = None
        self.recorded: SessionRecord | None = None
        self._done = False
        self._journaled: dict[str, Any] = {}
        self._journaled_at = -math.inf
        # The first breath's tone or hold's tick of a step, waiting for its bell to ring out:
        # (the session time it is due, the cue). See `_play`.
        self._first_cue: tuple[float, str] | None = None

    # --- what front ends read -----------------------------------------------------------

    @property
    def preview(self) -> bool:
        """True when nothing is recorded (no history store: `--speed`)."""
        return self.store is None

    @property
    def state(self) -> str:
        """The engine's state: ready, running, paused, finished or quit."""
        return self.session.state

    @property
    def over(self) -> bool:
        """Finished or quit."""
        return self.session.over

    @property
    def ran_to_end(self) -> bool:
        """The session reached its end (time ran out on the last pass, or it was skipped)."""
        return self.session.ran_to_end

    @property
    def completed(self) -> bool:
        """Over, reached its end and practised ≥ 80 % of `planned_with_extensions`
        (`coach.session.is_completed`); what the record says."""
        return self.session.completed

    @property
    def planned_with_extensions(self) -> float:
        """Planned seconds of the routine plus every second `+` added."""
        return self.session.planned_with_extensions

    @property
    def current_phases(self) -> tuple[tuple[str, float], ...]:
        """One cycle of the current step's breathing pattern as it is now (the gentler one
        once switched), for a pacer; () if the step is not breathing."""
        if self.session.current.reps:
            return ()
        return self.session.current_phases

    def snapshot(self, now: float) -> Snapshot:
        """`Session.snapshot` at `now` (monotonic seconds)."""
        return self.session.snapshot(now)

    def next_due(self, now: float, *, wake_by: float | None = None) -> float | None:
        """`Session.next_due`: when the next event is due, and the wake-up it plans; or, if
        sooner, when a step's first tone is due after its bell (`FIRST_CUE_AFTER`)."""
        due = self.session.next_due(now, wake_by=wake_by)
        if due is not None and self._first_cue is not None:
            due = min(due, max(now, self._first_cue[0]))
        return due

    def sound_notice(self) -> str | None:
        """The sound fallback's notice, the first time it is asked for after it is set."""
        return self.player.take_notice() if self.player is not None else None

    # --- commands ------------------------------------------------------------------------

    def prepare(self) -> None:
        """Begin the crash journal now (it syncs to disk), so that `start` costs nothing
        and the first step begins on time. Raises JournalError if another session runs.
        `start` calls it when the front end has not."""
        if self.journal is None or self.journal.active or self._done:
            return
        self.started_at = self.wall()
        self.journal.begin(self._state(0.0))
        self._journaled = {**self._counters(), "over": False, "extended": 0.0}
        self._journaled_at = -math.inf

    def start(self, now: float) -> bool:
        """Start the session (and its journal, if `prepare` has not)."""
        if self.session.state != "ready":
            return False
        self.prepare()
        self.session.start(now)
        if self.started_at is None:  # no journal: nothing took the time yet
            self.started_at = self.wall()
        self._journaled_at = now
        return True

    def poll(self, now: float, *, sync: bool = True) -> list[Event]:
        """The events since the last poll, with their cue played and the journal kept.
        `sync=False` leaves the journal for a `sync(now)` after the front end has shown the
        events (a journal write waits for the disk)."""
        events = self.session.poll(now)
        if events:
            self._play(events, now)
        elif self._first_cue is not None:
            self._play_first_cue(now)
        if sync:
            self.sync(now)
        return events

    def pause(self, now: float) -> bool:
        """The engine command of the same name at `now` (monotonic seconds); when it acts,
        the journal and the cues follow (`sync`). Returns whether it acted; so do the
        commands below."""
        return self._command(self.session.pause, now)

    def hold(self, now: float) -> bool:
        """`Session.hold` (a stop not counted in `pauses`: a question or the help is open),
        then `sync`; `resume` ends it."""
        return self._command(self.session.hold, now)

    def resume(self, now: float) -> bool:
        """`Session.resume`, then `sync`."""
        return self._command(self.session.resume, now)

    def toggle_pause(self, now: float) -> bool:
        """`Session.toggle_pause`, then `sync`."""
        return self._command(self.session.toggle_pause, now)

    def skip(self, now: float) -> bool:
        """`Session.skip`, then `sync`."""
        return self._command(self.session.skip, now)

    def back(self, now: float) -> bool:
        """`Session.back`, then `sync`."""
        return self._command(self.session.back, now)

    def extend(self, now: float, seconds: float = EXTEND_SECONDS) -> bool:
        """`Session.extend` by `seconds` (30 by default: the `+` key), then `sync`."""
        return self._command(lambda t: self.session.extend(t, seconds), now)

    def toggle_gentler(self, now: float) -> bool:
        """`Session.toggle_gentler`, then `sync`."""
        return self._command(self.session.toggle_gentler, now)

    def too_much(self, now: float) -> bool:
        """`Session.too_much`: pause and wait for `relieve`; the press is kept in
        `discomfort` (and journaled at once) with its step, title and active time."""
        if not self.session.too_much(now):
            return False
        seg = self.session.current
        self.discomfort.append({
            "step": seg.step_index + 1,
            "title": self.routine.steps[seg.step_index].title,
            "at": self._active(now),
            "choice": None,
        })  # fmt: skip
        self.sync(now)
        return True

    def relief_choices(self, now: float) -> tuple[str, ...]:
        """`Session.relief_choices`: what the person may choose after "too much" now."""
        return self.session.relief_choices(now)

    def relieve(self, now: float, choice: str) -> bool:
        """`Session.relieve` with gentler|lighter|skip|end; the choice is kept with the last
        press in `discomfort`, then `sync`."""
        if not self.session.relieve(now, choice):
            return False
        if self.discomfort:
            self.discomfort[-1]["choice"] = choice
        self.sync(now)
        return True

    def quit(self, now: float) -> bool:
        """End the session early. It is recorded (as stopped, or partly done) by `record`."""
        return self._command(self.session.quit, now)

    # --- the end -------------------------------------------------------------------------

    def record(
        self, now: float, *, post: int | None = None, note: str = "", pain_post: int | None = None
    ) -> SessionRecord | None:
        """Write the session to the history, once, with `completed` and `ran_to_end` as
        `coach.session.is_completed` decides them. Quits a session still
        running. Returns the record, or None for a preview or a session that never started."""
        if not self.session.over:
            self.session.quit(now)
        if self._done:
            return self.recorded
        self._done = True
        if not self.session.started:
            if self.journal is not None:
                self.journal.abandon()
            return None
        if self.store is None:
            return None
        record = self._build_record(now, post=post, note=note,
                                    pain_post=pain_post if self.pain_area is not None else None)  # fmt: skip
        self._journal_the_end(record)
        try:
            self.store.append(record)
        except OSError as exc:
            # The journal stays: the next coach command records the session from it.
            raise CoachError(
                f"could not save the session to {self.store.path}: {exc.strerror or exc}"
            ) from None
        if self.journal is not None:
            self.journal.finish()
        self.recorded = record
        return record

    def _journal_the_end(self, record: SessionRecord) -> None:
        """Keep the record's end in the journal just before the append: if the append
        fails (a full disk at the very end), recovery writes this very record, post and
        note included. A journal that cannot be written is told once (Journal) and skipped."""
        journal = self.journal
        if journal is None or not journal.active:
            return
        journal.update({**self._counters(), "active_seconds": record.active_seconds,
                        "ran_to_end": record.ran_to_end, "completed": record.completed,
                        "ended_at": record.ended_at, "post": record.post, "note": record.note,
                        "pain_post": record.pain_post,
                        "extended_seconds": round(self.session.extended_seconds, 1)})  # fmt: skip

    def interrupt(self, now: float) -> SessionRecord | None:
        """SIGTERM, SIGHUP, Ctrl+C: end now and record the session (its outcome word: stopped,
        or partly done or completed if it had reached its end)."""
        return self.record(now)

    def close(self, timeout: float = 1.0) -> None:
        """Let the last cue play out (the player itself stays usable: the app owns it)."""
        if self.player is not None:
            try:
                self.player.drain(timeout)
            except Exception:  # sound is never worth a crash at the end of a session
                pass

    # --- inside --------------------------------------------------------------------------

    def _command(self, command: Callable[[float], bool], now: float) -> bool:
        acted = command(now)
        if acted:
            self.sync(now)
        return acted

    def _counters(self) -> dict[str, Any]:
        s = self.session
        # planned_seconds: a gentler breathing pattern changes the pass's length, and the plan
        # (coach.session): the journal follows, so a recovered record matches the session's.
        return {"steps_done": s.steps_done, "pauses": s.pauses, "skips": s.skips, "gentler": s.gentler_used,
                "discomfort": [dict(entry) for entry in self.discomfort],
                "planned_seconds": round(s.planned_seconds)}  # fmt: skip

    def _state(self, now: float) -> dict[str, Any]:
        started = self.started_at or self.wall()
        return {
            "routine": self.routine_id,
            "routine_title": self.routine.title,
            "routine_hash": self.routine_hash,
            "plan": self.plan,
            "started_at": _timestamp(started),
            "planned_seconds": round(self.session.planned_seconds),
            "active_seconds": self._active(now),
            "steps_total": self.session.steps_total,
            "pre": self.pre,
            "pain_area": self.pain_area,
            "pain_pre": self.pain_pre if self.pain_area is not None else None,
            **self._counters(),
        }

    def _active(self, now: float) -> float:
        return round(self.session.active_seconds(now), 1)

    @property
    def routine_hash(self) -> str:
        """"sha256:<hex>" of the routine's canonical JSON (`coach.library.routine_bytes_hash`:
        key order and spacing do not change it), computed once, when the record needs it."""
        if self._routine_hash is None:
            from coach.library import routine_bytes_hash

            self._routine_hash = routine_bytes_hash(self.routine)
        return self._routine_hash

    def sync(self, now: float) -> None:
        """Keep the journal close to the truth: at once when a counter changes, and every
        JOURNAL_EVERY seconds for the active time. Not after the session is recorded."""
        journal = self.journal
        if journal is None or not journal.active or self._done:
            return
        counters = {**self._counters(), "over": self.over, "extended": self.session.extended_seconds}
        if counters == self._journaled and (self.over or now - self._journaled_at < JOURNAL_EVERY):
            return
        journal.update({**self._counters(), "active_seconds": self._active(now),
                        "ran_to_end": self.session.ran_to_end,
                        "extended_seconds": round(self.session.extended_seconds, 1)})  # fmt: skip
        self._journaled = counters
        self._journaled_at = now

    def _play(self, events: list[Event], now: float) -> None:
        """One cue for a poll's events (the most telling, CUE_PRIORITY), then the voice.
        A step or side starting with a breath or a rep's hold: the bell (or switch) now, and
        that breath's tone or the hold's tick FIRST_CUE_AFTER real seconds later, at the
        first poll from then (`next_due` wakes a sleeping runner for it). Newer events, a
        pause or the end drop a first cue still waiting."""
        self._first_cue = None
        if self.player is None:
            return
        active = self.session.active_seconds(now)
        cues = set()
        starts: set[float] = set()  # active times of a step's or side's start
        first: str | None = None
        for event in events:
            cue = CUE_FOR_EVENT.get(event.kind)
            if event.kind == "phase_changed" and event.breath is not None:
                cue = None
                if active - event.at <= STALE_BREATH_SECONDS:
                    cue = CUE_FOR_BREATH.get(event.breath)
            if event.kind in ("step_started", "side_switched"):
                starts.add(event.at)
            elif event.kind in ("phase_changed", "rep_hold") and event.at in starts and cue is not None:
                first = cue  # the step's first breath or hold: after its bell, not lost
                continue
            if cue is not None:
                cues.add(cue)
        played = next((cue for cue in CUE_PRIORITY if cue in cues), None)
        if played is not None:
            self._cue(played)
        tone_at = 0.0
        # Not while paused or counting in: the breath has not begun yet (the engine tells a
        # step's first breath only once its time runs; a poll that brings a pause too drops it).
        running = self.session.state == "running" and not self.session.snapshot(now).leading_in
        if first is not None and played in ("bell", "switch") and running:
            self._first_cue = (now + FIRST_CUE_AFTER * self.speed, first)
            played, tone_at = first, FIRST_CUE_AFTER
        voice = getattr(self.player, "voice", None)  # coach.voice: speaks after the tone
        if voice is not None:
            try:
                voice.follow(events, self.routine, played, tone_at=tone_at)
            except Exception:  # speech is never worth a crash
                pass

    def _play_first_cue(self, now: float) -> None:
        """The waiting first cue of a step (`_play`), once due; dropped if the session is no
        longer running or it is more than STALE_BREATH_SECONDS late."""
        assert self._first_cue is not None
        due, cue = self._first_cue
        if self.session.state != "running":
            self._first_cue = None
        elif now >= due:
            self._first_cue = None
            if now - due <= STALE_BREATH_SECONDS * self.speed:
                self._cue(cue)

    def _cue(self, cue: str) -> None:
        if self.player is None:
            return
        try:
            self.player.play(cue)
        except Exception:  # a cue is never worth a crash
            pass

    def _build_record(
        self, now: float, *, post: int | None, note: str, pain_post: int | None = None
    ) -> SessionRecord:
        from coach.records import new_record

        session = self.session
        state = self._state(now)
        record_id = self.journal.record_id if self.journal is not None else None
        started = self.started_at or self.wall()
        return new_record(
            **state,
            id=record_id,
            ended_at=_timestamp(started + timedelta(seconds=self._elapsed(now))),
            completed=session.completed,
            ran_to_end=session.ran_to_end,
            post=post,
            note=note,
            pain_post=pain_post,
        )

    def _elapsed(self, now: float) -> float:
        """Real seconds from the start to the end of the session, on the monotonic clock."""
        session = self.session
        if session.started_clock is None:
            return 0.0
        end = session.ended_clock if session.ended_clock is not None else now
        return max(0.0, end - session.started_clock) / self.speed


def _timestamp(moment: datetime) -> str:
    from coach.records import timestamp

    return timestamp(moment)
