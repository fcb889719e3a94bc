"""What the plain runner says: the words for engine events, breath cycles, reps, the "too
much" choices and the summary. Pure functions and one small stateful `Teller`; no I/O.

Written to be heard by a screen reader: one line per step, per side switch, per breath
cycle ("Breath 3 of 12: in 4, hold 7, out 8") and per rep ("Rep 2 of 5: hold 8, release 4"),
instead of one per phase (issue 14: 99 "Breathe in / Top up / Breathe out" lines in a
5-minute step, with no count). A person who wants every phase asks for it (`phases`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from coach import safety_note
from coach.breathing import BREATH_WORDS
from coach.rating import change_phrase, session_outcome
from coach.text import duration_spoken, length_minutes, plural, whole_seconds

if TYPE_CHECKING:
    from coach.practice import Practice
    from coach.records import SessionRecord
    from coach.routine import Routine
    from coach.session import Event, Snapshot

# A breath phase inside a cycle line: "in 4, hold 7, out 8" (coach.breathing's phase names).
CYCLE_WORDS = {"inhale": "in", "top-up": "top up", "hold": "hold", "exhale": "out", "hold-out": "hold"}
# The lead-in count's line (coach.session.LEAD_IN_SECONDS: a count of 3, 2, 1).
STARTING = "Starting in 3, 2, 1."
GOING_ON = "Going on in 3, 2, 1."
NOTE_PROMPT = "Anything to note? (Enter to skip) "


spoken_seconds = duration_spoken  # coach.text: the one place where seconds become words


def part_seconds(seconds: float) -> str:
    """A breath phase's or a rep's hold or release length read aloud: `spoken_seconds` of
    it to a hundredth (a pattern's own figures, 5.5 or 0.75, stay as written; float noise
    such as 3.9999999999 never reaches a listener as digits)."""
    return spoken_seconds(round(seconds, 2))


def header_line(title: str, steps: int, seconds: float) -> str:
    """The runner's first line: "Box breathing: 4 steps, about 5 minutes (4 minutes 43
    seconds)." The rounded length comes first because it is the number every other screen
    and `coach list` give ("about 5 min", `coach.text.length_minutes`) and what a listener
    needs to decide; the exact length follows in brackets for whoever times it. Spelled
    out ("minutes", not "min", which a screen reader may say as a word). A whole number of
    minutes ("2 minutes", a scaled session) and anything under a minute ("45 seconds")
    are said once, exactly: "about" would add nothing there, or round up to a minute."""
    return f"{title}: {plural(steps, 'step')}, {length_spoken(seconds)}."


def length_spoken(seconds: float) -> str:
    """A routine's length read aloud (see `header_line`): "about 5 minutes (4 minutes 43
    seconds)", "2 minutes", "45 seconds"."""
    exact = spoken_seconds(seconds)
    whole = round(seconds)
    if whole < 60 or whole % 60 == 0:
        return exact
    about = length_minutes(seconds)
    return f"about {plural(about, 'minute')} ({exact})"


def cycle_words(pattern: Sequence[tuple[str, float]]) -> str:
    """One breathing cycle in words: (("inhale", 4), ("hold", 7), ("exhale", 8)) → "in 4,
    hold 7, out 8"; seconds as given (5.5 stays 5.5)."""
    return ", ".join(f"{CYCLE_WORDS.get(breath, breath)} {seconds:g}" for breath, seconds in pattern)


def gentler_text(step: Any) -> str:
    """A step's gentler text (massage and stretch: the text; breathing: its `text`), or ""."""
    gentler = getattr(step, "gentler", None)
    if gentler is None:
        return ""
    return gentler if isinstance(gentler, str) else str(gentler.text)


def event_line(event: Event, routine: Routine) -> str | None:
    """The line a person hears for an event that needs no state (a step, a side switch, a
    phase, the end), or None for events that need no line here."""
    step = routine.steps[event.step_number - 1]
    seconds = event.seconds or 0.0
    if event.kind == "step_started":
        head = [f"Step {event.step_number} of {len(routine.steps)}: {step.title}"]
        if event.side in ("left", "right"):
            head.append(f"{event.side} side")
        elif event.side == "both":
            head.append("both sides")
        # The engine's count for the pass as it is now (after `+`, or a gentler pattern),
        # not the written one: "Rep 1 of 9" must not follow "3 reps".
        if step.type == "breathing":
            cycles = event.cycles or step.resolved_cycles  # type: ignore[union-attr]
            head.append(plural(cycles, "breath"))
        reps = getattr(step, "reps", None)
        if reps is not None:
            head.append(plural(event.cycles or reps.count, "rep"))
        head.append(spoken_seconds(seconds))
        text = ", ".join(head) + "."
        instruction = getattr(step, "instruction", None)
        if instruction:
            text += " " + instruction
        pressure = getattr(step, "pressure", None)
        if pressure:
            text += f" Pressure: {pressure}."
        gentler = gentler_text(step)
        if gentler:
            text += " Gentler option: " + gentler
        return text
    if event.kind == "side_switched":
        return f"Switch to the {event.side} side."
    if event.kind == "phase_changed" and event.breath:
        return f"{BREATH_WORDS.get(event.breath, event.breath)}, {part_seconds(seconds)}"
    if event.kind == "time_warning":
        return f"{spoken_seconds(seconds).capitalize()} left."
    if event.kind == "extended":
        return f"{spoken_seconds(seconds).capitalize()} more on this step."
    if event.kind == "skipped":
        return "Skipped."
    if event.kind == "rewound":
        return "Back."
    if event.kind == "finished":
        return f"Finished: {routine.title}."
    return None


class Teller:
    """Turns the engine's events into lines, keeping what a line depends on: which cycle
    (breath or rep) was last told, whether a lead-in is the first or follows a resume, and
    whether a "too much → skip" is passing over the rest of a step (its passes are not
    told one by one).

    `phases`: also a line for every breath phase and every rep's release (the person asked
    for them: `--phases`, or the voice level "breaths").
    """

    def __init__(self, routine: Routine, *, phases: bool = False) -> None:
        self.routine = routine
        self.phases = phases
        self._cycle: tuple[int, int, int] | None = None  # (step, pass, cycle) last told
        self._started = False  # a step has been told: a later lead-in follows a resume
        self._lead_told = False  # this lead-in's line was said
        self._skipping = False  # "too much → skip": the step's passes go by untold

    def lines(self, event: Event, pattern: Sequence[tuple[str, float]] = ()) -> list[str]:
        """The lines for `event`; `pattern` is one cycle of the breathing pattern the
        event's pass follows now (for "Breath n of m: in 4, out 6")."""
        kind = event.kind
        if self._skipping:
            if kind not in ("step_started", "finished", "quit"):
                return []
            self._skipping = False
        if kind == "lead_in":
            if self._lead_told:
                return []
            self._lead_told = True
            return [GOING_ON if self._started else STARTING]
        if kind == "resumed":
            self._lead_told = False
            return []
        if kind in ("step_started", "side_switched"):
            self._started = True
            self._cycle = None
        if kind == "phase_changed":
            return self._breath(event, pattern)
        if kind in ("rep_hold", "rep_release"):
            return self._rep(event)
        if kind == "relief_chosen":
            if event.choice == "skip":
                self._skipping = True
                return ["Skipping this step."]
            return ["Ending the session."] if event.choice == "end" else []
        if kind == "gentler_changed":
            step = self.routine.steps[event.step_number - 1]
            if event.on:
                return [f"Gentler version: {gentler_text(step)}"]
            instruction = getattr(step, "instruction", None)
            return ["The usual version again." + (f" {instruction}" if instruction else "")]
        line = event_line(event, self.routine)
        return [] if line is None else [line]

    def _new_cycle(self, event: Event) -> bool:
        number = event.cycle if event.kind == "phase_changed" else event.rep
        key = (event.step_number, event.pass_number, number)
        if key == self._cycle:
            return False
        self._cycle = key
        return True

    def _breath(self, event: Event, pattern: Sequence[tuple[str, float]]) -> list[str]:
        words = BREATH_WORDS.get(event.breath or "", event.breath)
        phase = f"{words}, {part_seconds(event.seconds or 0.0)}"
        if not self._new_cycle(event):
            return [phase] if self.phases else []
        count = f"Breath {event.cycle} of {event.cycles}"
        if self.phases:
            return [f"{count}. {phase}"]
        return [f"{count}: {cycle_words(pattern)}" if pattern else f"{count}."]

    def _rep(self, event: Event) -> list[str]:
        step = self.routine.steps[event.step_number - 1]
        reps = getattr(step, "reps", None)
        seconds = part_seconds(event.seconds or 0.0)
        if event.kind == "rep_release":
            return [f"Release, {seconds}"] if self.phases else []
        if not self._new_cycle(event):
            return []
        if self.phases or reps is None:
            return [f"Rep {event.rep} of {event.reps}. Hold, {seconds}"]
        return [f"Rep {event.rep} of {event.reps}: hold {reps.hold:g}, release {reps.release:g}"]


# --- "too much" -------------------------------------------------------------------------------


def relief_words(choice: str, step: Any, snapshot: Snapshot) -> str:
    """One numbered choice after "too much", e.g. "Lighter pressure: light instead of medium"."""
    if choice == "gentler":
        return f"The gentler version: {gentler_text(step)}"
    if choice == "lighter":
        from coach.session import LIGHTER

        pressure = snapshot.pressure or ""
        return f"Lighter pressure: {LIGHTER.get(pressure, pressure)} instead of {pressure}."
    if choice == "skip":
        return "Skip this step."
    return "End the session."


def red_flags(routine: Routine) -> list[str]:
    """When to stop: the routine's own `stop_if`, then the general rules of the first-run
    note (coach/safety_note.py: stop the step; get medical help)."""
    lines: list[str] = []
    if routine.stop_if:
        lines.append("This routine says: stop if")
        lines += [f"- {flag}" for flag in routine.stop_if]
    for heading, items in safety_note.SECTIONS[:2]:  # stop the step; get medical help
        lines.append(heading)
        lines += [f"- {item}" for item in items]
    return lines


def cautions_read_line(count: int, ref: str) -> str:
    """The one line that stands for a routine's `count` cautions when the person read these
    very ones before (coach.usual: the app's caution screen or an earlier plain session):
    "This routine has 3 cautions you have read; coach show neck-and-shoulders prints them
    again." `ref`: the routine as `coach show` takes it (an id, PLAN/ID or a path), quoted
    for a shell when it needs to be. A command to type rather than a key: it works on a
    terminal, from a pipe and with the ratings given up front alike."""
    import shlex

    command = f"coach show {shlex.quote(ref)}"
    return f"This routine has {plural(count, 'caution')} you have read; {command} prints them again."


def where_line(snapshot: Snapshot) -> str:
    """Where the session is (the answer to Enter): "Step 2 of 6: Knead, left side, 25 seconds
    left of this step, 4 minutes 10 seconds left in all." Paused and lead-in are said first."""
    parts = [f"Step {snapshot.step_number} of {snapshot.step_count}: {snapshot.title}"]
    if snapshot.side in ("left", "right"):
        parts.append(f"{snapshot.side} side")
    parts.append(f"{spoken_seconds(round(snapshot.step_seconds_left))} left of this step")
    parts.append(f"{spoken_seconds(round(snapshot.routine_seconds_left))} left in all")
    text = ", ".join(parts) + "."
    if snapshot.too_much:
        return "Paused for too much. " + text
    if snapshot.paused:
        return "Paused. " + text
    return text


# --- the summary ------------------------------------------------------------------------------


def summary_line(
    practice: Practice,
    record: SessionRecord | None,
    post: int | None,
    now: float,
    *,
    unused_post: int | None = None,
) -> str:
    """The last line of a plain session: how it ended (completed, partly done, stopped), the
    steps and the time practised against the plan (extensions included), the change in
    words (coach.rating; "from 7 to 3", which reads well aloud, not an arrow), the pain
    change for a plan that asks, and whether it was saved, e.g. "Summary: Partly done, 0 of
    4 steps, 4 seconds of 3 minutes 13 seconds practised. … it does not count towards your
    streak." `unused_post`: a `--post` given up front for a session that was stopped: it
    describes an end that never came, so it is not recorded, and the line says so. A
    stopped session (it did not reach its end) is asked no rating after, so the line says
    nothing of a stress change then.
    """
    session = practice.session
    # The recorded figure, in the whole seconds every view shows (coach.text.whole_seconds).
    practised = record.active_seconds if record is not None else session.active_seconds(now)
    active = spoken_seconds(whole_seconds(practised))
    planned = spoken_seconds(round(session.planned_with_extensions))
    done = f"{session.steps_done} of {plural(session.steps_total, 'step')}, {active} of {planned} practised"
    if practice.preview:
        return f"Summary: {done}. A preview: nothing was recorded."
    how = session_outcome(session, record)
    pre = practice.pre
    if pre is not None and post is not None:
        stress = f"Stress from {pre} to {post}, {change_phrase(pre, post)}."
    elif unused_post is not None:
        stress = f"The after-rating given up front (--post {unused_post}) is not used for a stopped session."
    elif not session.ran_to_end:
        stress = ""  # stopped: no rating after was asked, none was skipped
    else:
        stress = "No stress change to show (a rating was skipped)."
    pain_pre = record.pain_pre if record is not None else None
    pain_post = record.pain_post if record is not None else None
    if pain_pre is not None and pain_post is not None:
        stress = f"{stress} Pain from {pain_pre} to {pain_post}.".lstrip()
    if record is None:
        saved = "Not saved."
    elif how == "completed":
        saved = "Saved to your history."
    else:
        saved = f"Saved to your history as {how}; it does not count towards your streak."
    return " ".join(part for part in (f"Summary: {how.capitalize()}, {done}.", stress, saved) if part)
