"""The player: the step, its instruction and side, a big countdown, step and routine
progress, what comes next; for breathing a shape that grows and shrinks with the breath,
for massage and stretch the body map, and for breaths and reps the pacer line.

It holds no timing of its own. Every redraw asks the practice (the session engine with its
journal, history and sound) for a snapshot at the injected clock's `now`; the interval timer
only decides when to redraw.

On a small terminal the pacer line (what to do now, its seconds, breath or rep n of m) is
the last thing to go: the stage above it (body map, shape, big clock, instruction) shrinks
and gives up its parts first (DESIGN, Guidance). The player's notices ("Sound off.", the
sound fallback) go to its status line, never over the countdown.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Protocol

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Digits, Footer, Static

from coach.session import LIGHTER
from coach.text import duration_clock, time_away_text, visible
from coach.tui.dialogs.confirm import ConfirmScreen
from coach.tui.keys import PLAYER_KEYS, bindings
from coach.tui.widgets.bar import Bar
from coach.tui.widgets.body_map import BodyMap
from coach.tui.widgets.breath_shape import BreathShape, fullness
from coach.tui.widgets.pacer import Pacer

REDRAW_SECONDS = 0.1
# How long a notice stays on the status line, in seconds of the session clock.
NOTICE_SECONDS = 4.0
SOUND_NOTICE_SECONDS = 12.0
SCALING_NOTICE_SECONDS = 15.0  # a length the routine cannot reach: two lines to read
GO_ON = " Press Space to go on."  # after the pause's words
# The stage's parts need this much room (cells) to be shown: the big clock is 3 rows of
# Digits; the body map is a fixed 16 x 12 figure (coach.bodymap) and keeps 30 columns
# beside it for the instruction; the breathing shape needs a few rows to read as round.
CLOCK_ROWS, CLOCK_COLUMNS = 3, 60
# Each of the instruction and the gentler text needs this many columns to stand side by side.
WORDS_COLUMNS = 30
# Columns between the instruction and the gentler text beside it (besides the instruction's
# own padding of 1): issue 14 found one space, which read as one sentence.
GENTLER_GAP = 2
MAP_ROWS, MAP_COLUMNS = 12, 16 + 2 + 30
SHAPE_ROWS, SHAPE_COLUMNS = 3, 56
# The footer names fewer keys on a narrow terminal (they all still work, and the help lists
# them), so that pause, too much, quit and help stay in view (issue 14: at 60 columns "q Quit"
# and "? Help" were cut off). Below FOOTER_FULL_COLUMNS the first group goes (the compact
# footer then needs at most 56 columns), below FOOTER_SHORT_COLUMNS the second (38 columns).
FOOTER_FULL_COLUMNS, FOOTER_SHORT_COLUMNS = 70, 56
FOOTER_OUT = (("back", "extend", "mute", "unmute"), ("skip", "gentler", "original"))


def _gentler_margin(both: bool, beside: bool) -> tuple[int, int, int, int]:
    """The gentler text's margin: a blank row above it below the instruction; beside it, a
    gap of GENTLER_GAP columns (with its heading on a row of its own, `_gentler_content`) so
    that the two never read as one sentence."""
    if not both:
        return (0, 0, 0, 0)
    return (0, 0, 0, GENTLER_GAP) if beside else (1, 0, 0, 0)


class PracticeLike(Protocol):
    """What the player needs: coach.practice.Practice provides it."""

    routine: Any

    def snapshot(self, now: float) -> Any: ...
    def poll(self, now: float) -> list[Any]: ...
    def start(self, now: float) -> bool: ...
    def toggle_pause(self, now: float) -> bool: ...
    def pause(self, now: float) -> bool: ...
    def hold(self, now: float) -> bool: ...
    def resume(self, now: float) -> bool: ...
    def skip(self, now: float) -> bool: ...
    def back(self, now: float) -> bool: ...
    def extend(self, now: float) -> bool: ...
    def toggle_gentler(self, now: float) -> bool: ...
    def too_much(self, now: float) -> bool: ...
    def relieve(self, now: float, choice: str) -> bool: ...
    def quit(self, now: float) -> bool: ...
    def sound_notice(self) -> str | None: ...


def shown_pressure(snap: Any) -> str | None:
    """The pressure the player shows now ("light", "medium", "firm"; None: the step has
    none): the step's (lowered by each "too much" → lighter), one level lighter again
    while the gentler version is on (gentler by its nature; the engine's LIGHTER scale)."""
    pressure = snap.pressure
    if pressure and snap.showing_gentler:
        pressure = LIGHTER.get(pressure, pressure)
    return pressure or None


SIDE_WORDS = {"left": "LEFT side", "right": "RIGHT side", "both": "both sides"}


class PlayerScreen(Screen[str]):
    """Dismisses "finished" or "quit"."""

    DEFAULT_CSS = """
    #player {
        height: 1fr;
        padding: 0 1;
    }
    #step-head {
        height: 1;
    }
    #step-title {
        width: 1fr;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    #step-side {
        width: auto;
    }
    #step-meta {
        height: 1;
        margin-bottom: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    #stage {
        height: 1fr;
        align-vertical: middle;
    }
    #body-map {
        margin-right: 2;
    }
    #words {
        width: 1fr;
        height: auto;
        max-height: 100%;
        overflow: hidden hidden;
    }
    #words > Static {
        padding-right: 1;
    }
    /* On a wide, short stage the gentler text stands beside the hand position. */
    #words.-beside {
        layout: horizontal;
    }
    #words.-beside > Static {
        width: 1fr;
    }
    #countdown {
        width: auto;
        min-width: 14;
        margin-left: 2;
        color: $accent;
    }
    PlayerScreen.-paused #countdown {
        color: $text-muted;
    }
    #breath-shape {
        width: 1fr;
        margin-right: 2;
    }
    /* A notice longer than the line (a length the routine cannot reach, time away) takes a
       second line for as long as it shows, instead of being cut or covering the title. */
    #state-line {
        height: auto;
        max-height: 2;
        text-overflow: ellipsis;
    }
    #next {
        height: 1;
        margin-top: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    PlayerScreen.-short #step-meta {
        margin-bottom: 0;
    }
    PlayerScreen.-short #next {
        margin-top: 0;
    }
    /* Toasts the app raises while a session runs (a recovered session, a journal problem)
       go to the top left, small: never over the countdown or the pacer line. */
    ToastRack {
        dock: top;
        align: left top;
        margin-bottom: 0;
    }
    /* Toast and ToastHolder's own defaults win over a screen's at equal weight. */
    ToastHolder {
        align-horizontal: left !important;
    }
    Toast {
        max-width: 50% !important;
        padding: 0 1 !important;
        margin-top: 0 !important;
    }
    """

    BINDINGS = bindings(PLAYER_KEYS)

    def __init__(
        self,
        practice: PracticeLike,
        clock: Callable[[], float],
        *,
        reduced_motion: Callable[[], bool] = lambda: False,
        phases_of: Callable[[], tuple[tuple[str, float], ...]] = lambda: (),
        on_mute: Callable[[], bool] | None = None,
        muted: Callable[[], bool] = lambda: False,
        preview: bool = False,
        on_sound_notice: Callable[[str], None] = lambda _notice: None,
    ) -> None:
        super().__init__()
        self.practice = practice
        self.clock = clock
        self.reduced_motion = reduced_motion
        self.phases_of = phases_of
        self.on_mute = on_mute
        self.muted = muted
        self.preview = preview
        self.on_sound_notice = on_sound_notice
        self._timer: Timer | None = None
        self._done = False
        self._last: dict[str, object] = {}
        # As last drawn: what the footer offers (check_action).
        self._paused = False
        self._has_gentler = False
        self._showing_gentler = False
        self._muted = False
        # The status line's notice and the clock reading it goes at.
        self._notice: tuple[str, float] | None = None
        self._queued: list[tuple[str, float]] = []  # notices waiting for the line (`say`)
        # The gentler version's heading and text, as last shown (`_gentler_content`).
        self._gentler_words = ("Gentler:", "")
        # Suspends so far: a dialog closed after one leaves the session paused (it comes back
        # paused, and the person resumes it with Space).
        self._suspends = 0
        # Real seconds the program did not run (SIGSTOP, a closed lid) before the pause on
        # screen, said while it lasts as the plain runner says it (coach.text.time_away_text).
        self._away: float | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="player"):
            with Horizontal(id="step-head"):
                yield Static("", id="step-title", markup=False)
                yield Static("", id="step-side", markup=False)
            yield Static("", id="step-meta", markup=False)
            with Horizontal(id="stage"):
                yield BodyMap(id="body-map")
                yield BreathShape(id="breath-shape")
                with Vertical(id="words"):
                    yield Static("", id="instruction", markup=False)
                    yield Static("", id="gentler", markup=False)
                yield Digits("0:00", id="countdown")
            yield Pacer(id="pacer")
            yield Static("", id="state-line", markup=False)
            yield Bar("Step   ", id="step-bar")
            yield Bar("Routine", id="routine-bar")
            yield Static("", id="next", markup=False)
        # Nine keys must fit in 80 columns, with the longest words (Resume, Original,
        # Unmute): the palette (Ctrl+P, in the help) is not named here.
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        # Widgets looked up once: the redraw runs ten times a second.
        self._w_title = self.query_one("#step-title", Static)
        self._w_side = self.query_one("#step-side", Static)
        self._w_meta = self.query_one("#step-meta", Static)
        self._w_stage = self.query_one("#stage", Horizontal)
        self._w_map = self.query_one(BodyMap)
        self._w_shape = self.query_one(BreathShape)
        self._w_words = self.query_one("#words", Vertical)
        self._w_instruction = self.query_one("#instruction", Static)
        self._w_gentler = self.query_one("#gentler", Static)
        self._w_countdown = self.query_one(Digits)
        self._w_pacer = self.query_one(Pacer)
        self._w_status = self.query_one("#state-line", Static)
        self._w_step_bar = self.query_one("#step-bar", Bar)
        self._w_routine_bar = self.query_one("#routine-bar", Bar)
        self._w_next = self.query_one("#next", Static)
        self._w_pacer.reduced = self.reduced_motion()
        self._w_map.display = False
        self._w_shape.display = False
        self._w_gentler.display = False
        if self.practice.snapshot(self.clock()).state == "ready":
            self.practice.start(self.clock())
        # The first frame is drawn before the first cue plays (the first poll plays it):
        # opening a sound device can take a second (a sound server starting), and until this
        # screen has painted, the one under it (home, under `coach run`) would stay in view.
        self._draw(self.practice.snapshot(self.clock()))
        self.call_after_refresh(self.redraw)
        self._timer = self.set_interval(REDRAW_SECONDS, self.redraw)
        # Ctrl+Z (App.action_suspend_process) or App.suspend(): time away is not exercise.
        self.app.app_suspend_signal.subscribe(self, self._pause_for_suspend)
        self.app.app_resume_signal.subscribe(self, self._pause_for_suspend)

    def _pause_for_suspend(self, _app: object) -> None:
        """Pause as the app is suspended, and make sure it is paused when it comes back."""
        if self._done:
            return
        self._suspends += 1
        if self.practice.pause(self.clock()):
            self.redraw()

    # --- drawing ---------------------------------------------------------------------------

    def _changed(self, key: str, value: object) -> bool:
        """Whether what a widget shows changes (only then is it touched: cheap redraws)."""
        if self._last.get(key, ...) == value:
            return False
        self._last[key] = value
        return True

    def redraw(self) -> None:
        if self._done:
            return
        now = self.clock()
        events = self.practice.poll(now)
        if events:
            self._sound_notice()
            for event in events:
                if event.kind == "paused" and getattr(event, "away", False):
                    self._away = (event.seconds or 0.0) / getattr(self.practice, "speed", 1.0)
        snap = self.practice.snapshot(now)
        if snap.state in ("finished", "quit"):
            self._end("finished" if snap.state == "finished" else "quit")
            return
        self._draw(snap)

    def say(self, notice: str, seconds: float = NOTICE_SECONDS, *, after: bool = False) -> None:
        """Show `notice` on the status line for `seconds` (never a toast over the countdown).
        `after`: wait until the notice showing now has had its time (one line holds one
        notice: the sound notice must not wipe out "can be stretched to about 4 min")."""
        if after and self._notice is not None and self.clock() < self._notice[1]:
            self._queued.append((visible(notice), seconds))
            return
        self._notice = (visible(notice), self.clock() + seconds)
        self._last.pop("status", None)

    def _sound_notice(self) -> None:
        notice = self.practice.sound_notice()
        if notice:
            self.say(notice, SOUND_NOTICE_SECONDS, after=True)
            self.on_sound_notice(notice)

    def _step(self, snap: Any) -> Any:
        """The routine's step on screen (its own instruction, area and red flags)."""
        try:
            return self.practice.routine.steps[snap.step_number - 1]
        except (AttributeError, IndexError):
            return None

    def _draw(self, snap: Any) -> None:
        step = self._step(snap)
        if self._changed("title", (snap.step_number, snap.step_count, snap.title)):
            number = f"Step {snap.step_number} of {snap.step_count}  "
            self._w_title.update(Content.assemble((number, "$text-muted"), (visible(snap.title), "bold")))
        if self._changed("side", (snap.side, snap.pass_number, snap.pass_count)):
            side = SIDE_WORDS.get(snap.side or "", "")
            if snap.pass_count > 1:
                side = f"{side} ({snap.pass_number}/{snap.pass_count})"
            self._w_side.update(Content.styled(f" {side} ", "bold reverse $warning") if side else Content(""))
        muted = self.muted()
        pressure = self._pressure(snap)
        if self._changed("meta", (snap.step_number, pressure, muted)):
            meta = [snap.step_type]
            if pressure:
                meta.append(pressure)
            if self.preview:
                meta.append("preview, not recorded")
            if muted:
                meta.append("sound off")
            self._w_meta.update(Content.styled(" · ".join(meta), "$text-muted"))
        original = (getattr(step, "instruction", None) or "") if step is not None else snap.instruction
        if self._changed("instruction", (original, snap.showing_gentler, snap.gentler_text, pressure)):
            self._show_instruction(original, snap)
        self._draw_stage(snap, step)
        countdown = duration_clock(snap.step_seconds_left)
        if self._changed("countdown", countdown):
            self._w_countdown.update(countdown)
        self._draw_pacer(snap)
        self._draw_status(snap)
        self._draw_footer(snap, muted)
        left = duration_clock(snap.routine_seconds_left)
        if self._changed("seconds", (countdown, left)):
            # The bars move with the whole seconds, in the same frame as the countdown: the
            # other nine redraws of a second then repaint only the pacer and the shape.
            self._w_step_bar.set(snap.step_progress, countdown)
            self._w_routine_bar.set(snap.routine_progress, left + " left")
        if self._changed("next", snap.next_title):
            upcoming = snap.next_title
            self._w_next.update(Content.assemble(("Next: ", "$text-muted"), visible(upcoming)) if upcoming
                                else Content.styled("Last step", "$text-muted"))  # fmt: skip

    @staticmethod
    def _pressure(snap: Any) -> str:
        """The pressure to use now, in words: lighter after "too much" → lighter, and one
        level lighter while the gentler version is on (it is gentler by its nature; the
        engine's LIGHTER scale)."""
        pressure = shown_pressure(snap)
        if not pressure:
            return ""
        if snap.showing_gentler:
            return f"{pressure} pressure (gentler)"
        if snap.pressure_lowered:
            return f"{pressure} pressure (lighter, as you chose)"
        return f"{pressure} pressure"

    def _show_instruction(self, original: str, snap: Any) -> None:
        self._w_instruction.update(Content(visible(original)))  # routine text: shown, never obeyed
        self._w_instruction.display = bool(original)
        gentler = snap.gentler_text if snap.showing_gentler else ""
        label = "Gentler:"
        pressure = self._pressure(snap)
        if pressure:
            label = f"Gentler, {pressure.removesuffix(' (gentler)')}:"
        self._gentler_words = (label, visible(gentler))
        if gentler:
            self._w_gentler.update(self._gentler_content(beside=self._w_words.has_class("-beside")))
        self._w_gentler.display = bool(gentler)
        self._last.pop("beside", None)  # the stage lays the two out again
        self._last.pop("gentler-first", None)

    def _gentler_content(self, *, beside: bool) -> Content:
        """The gentler text with its heading ("Gentler, light pressure:"): on a row of its
        own beside the instruction, at the start of the text below it."""
        label, text = self._gentler_words
        return Content.assemble((label, "bold $text-success"), "\n" if beside else " ", text)

    def _draw_stage(self, snap: Any, step: Any) -> None:
        """What the stage has room for: the figure (body map or shape), the instruction and
        the big clock, each shown only when it fits; the pacer line below never depends on it."""
        width, height = self._w_stage.size.width, self._w_stage.size.height
        if not width and not height:
            return  # not laid out yet: the first frame keeps the instruction and the clock
        area = getattr(step, "area", None) if step is not None else None
        side = snap.side if snap.side in ("left", "right") else (None if snap.side == "each" else snap.side)
        breathing = snap.phase is not None
        reduced = self.reduced_motion()
        show_map = bool(area) and area != "breath" and height >= MAP_ROWS and width >= MAP_COLUMNS
        show_shape = breathing and not reduced and height >= SHAPE_ROWS and width >= SHAPE_COLUMNS
        if self._changed("map", (show_map, area, side)):
            self._w_map.display = show_map
            if show_map:
                self._w_map.show(area, side)
        if self._changed("shape-shown", show_shape):
            self._w_shape.display = show_shape
        if show_shape:
            phase = snap.phase
            top_up = any(breath == "top-up" for breath, _ in self.phases_of())
            self._w_shape.show(fullness(phase.breath, phase.progress, top_up), paused=snap.state == "paused")
        # The big clock goes first on a short or narrow stage (the step bar still shows the
        # seconds); the instruction goes when there is no row left for it.
        clock = height >= CLOCK_ROWS and width >= CLOCK_COLUMNS
        if self._changed("clock-shown", clock):
            self._w_countdown.display = clock
        # The gentler text beside the hand position when both fit side by side; below it
        # otherwise (a blank row between).
        both = self._w_instruction.display and self._w_gentler.display
        beside = both and self._w_words.size.width >= 2 * WORDS_COLUMNS
        if self._changed("beside", (beside, both)):
            self._w_words.set_class(beside, "-beside")
            if both:
                self._w_gentler.update(self._gentler_content(beside=beside))
            self._w_gentler.styles.margin = _gentler_margin(both, beside)
        # Stacked on a stage too short for both, the chosen (gentler) version comes first.
        needed = self._w_instruction.outer_size.height + self._w_gentler.outer_size.height
        first = both and not beside and needed > height
        if self._changed("gentler-first", first):
            if first:
                self._w_words.move_child(self._w_gentler, before=self._w_instruction)
                self._w_gentler.styles.margin = 0
                self._w_instruction.styles.margin = (1, 0, 0, 0)
            else:
                self._w_words.move_child(self._w_instruction, before=self._w_gentler)
                self._w_instruction.styles.margin = 0
                self._w_gentler.styles.margin = _gentler_margin(both, beside)
        if self._changed("words-shown", height >= 1):
            self._w_words.display = height >= 1

    def _draw_pacer(self, snap: Any) -> None:
        pacer = self._w_pacer
        phase, rep = snap.phase, snap.rep
        if self._changed("pacer-shown", phase is not None or rep is not None):
            pacer.display = phase is not None or rep is not None
        reduced = self.reduced_motion()
        if reduced != pacer.reduced:
            pacer.reduced = reduced
        if phase is not None:
            if self._changed("pacer-pattern", (snap.step_number, snap.pass_number, snap.showing_gentler)):
                pacer.set_pattern(self.phases_of())
            pacer.show_breath(phase.breath, phase.seconds_left, phase.cycle, phase.cycles)
        elif rep is not None:
            pacer.show_rep(rep.label, rep.seconds_left, rep.rep, rep.reps)

    def _draw_status(self, snap: Any) -> None:
        """The status line: the lead-in count or the pause, then the notice, if any."""
        paused = snap.state == "paused"
        words = ""
        if snap.leading_in:
            words = f"Get ready: {max(1, math.ceil(snap.lead_in_left - 1e-9))}"
        elif paused and self._away is not None:
            words = time_away_text(self._away) + GO_ON
        elif paused:
            words = "Paused." + GO_ON
        if not paused:
            self._away = None  # resumed: a later pause is the person's own
        notice = self._notice
        if notice is not None and self.clock() >= notice[1]:
            self._notice = notice = None
            if self._queued:
                text, seconds = self._queued.pop(0)
                self._notice = notice = (text, self.clock() + seconds)
        text = notice[0] if notice is not None else ""
        if self._changed("status", (words, text)):
            parts: list[tuple[str, str] | str] = []
            if words:
                parts.append((words, "bold $warning"))
            if text:
                parts.append(("    " if words else "", ""))
                parts.append((text, "$text-muted"))
            self._w_status.update(Content.assemble(*parts))
        if self._changed("paused", paused):
            self.set_class(paused, "-paused")

    def _draw_footer(self, snap: Any, muted: bool) -> None:
        """Refresh the footer when what it offers changes (check_action reads these)."""
        state = (snap.state == "paused", snap.has_gentler, snap.showing_gentler, muted)
        if self._changed("footer", state):
            self._paused, self._has_gentler, self._showing_gentler, self._muted = state
            self.refresh_bindings()

    # --- commands --------------------------------------------------------------------------

    def _command(self, command: Callable[[float], object]) -> None:
        """Run one of the practice's commands (given the time now) and redraw; nothing once
        the session has ended."""
        if self._done:
            return
        command(self.clock())
        self.redraw()

    def _footer_out(self) -> frozenset[str]:
        """The actions the footer leaves out at the screen's width (FOOTER_OUT)."""
        width = self.size.width
        out: set[str] = set()
        if width < FOOTER_FULL_COLUMNS:
            out.update(FOOTER_OUT[0])
        if width < FOOTER_SHORT_COLUMNS:
            out.update(FOOTER_OUT[1])
        return frozenset(out)

    @property
    def active_bindings(self) -> dict[str, Any]:
        """Textual's active bindings, less those the footer leaves out at this width (the
        footer reads this; the keys themselves are dispatched from BINDINGS and still act)."""
        active = super().active_bindings
        out = self._footer_out()
        if not out:
            return active
        return {key: bound for key, bound in active.items() if bound.binding.action not in out}

    def on_resize(self) -> None:
        if self._changed("footer-out", self._footer_out()):
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer offers only what can be done now, with the word for the state
        (PLAYER_KEYS): Pause or Resume, Gentler or Original (only on a step that has a
        gentler version), Mute or Unmute."""
        if action == "pause":
            return not self._paused
        if action == "resume":
            return self._paused
        if action == "gentler":
            return self._has_gentler and not self._showing_gentler
        if action == "original":
            return self._has_gentler and self._showing_gentler
        if action == "mute":
            return self.on_mute is not None and not self._muted
        if action == "unmute":
            return self.on_mute is not None and self._muted
        return True

    def action_pause(self) -> None:
        self._command(self.practice.toggle_pause)

    def action_resume(self) -> None:
        self._command(self.practice.toggle_pause)

    def action_skip(self) -> None:
        self._command(self.practice.skip)

    def action_back(self) -> None:
        self._command(self.practice.back)

    def action_extend(self) -> None:
        self._command(self.practice.extend)

    def action_gentler(self) -> None:
        self._command(self.practice.toggle_gentler)

    def action_original(self) -> None:
        self._command(self.practice.toggle_gentler)

    def action_mute(self) -> None:
        if self.on_mute is not None:
            muted = self.on_mute()
            self.say("Sound off." if muted else "Sound on.")
        self._last.pop("meta", None)
        self.redraw()

    def action_unmute(self) -> None:
        self.action_mute()

    def action_too_much(self) -> None:
        """Too much: pause at once, then the person's choice goes to the practice (and the
        record's `discomfort` list). Esc goes on: the session runs again if `t` paused it."""
        from coach.tui.dialogs.too_much import TooMuchScreen

        if self._done:
            return
        now = self.clock()
        was_running = self.practice.snapshot(now).state == "running"
        if not self.practice.too_much(now):
            return
        self.redraw()
        snap = self.practice.snapshot(self.clock())
        step = self._step(snap)
        suspends = self._suspends
        # "Lighter" from the pressure on screen (gentler already lightens it): offered only
        # when there is a lighter one than that.
        choices = tuple(snap.relief_choices)
        shown = shown_pressure(snap)
        pressure = None
        if shown in LIGHTER:
            pressure = (shown, LIGHTER[shown])
        else:
            choices = tuple(choice for choice in choices if choice != "lighter")
        gentler = getattr(step, "gentler", None) if step is not None else None
        gentler_text = gentler if isinstance(gentler, str) else getattr(gentler, "text", "") or ""

        def chosen(choice: str | None) -> None:
            if self._done:
                return
            if choice is not None:
                self._command(lambda now: self.practice.relieve(now, choice))
                if self._suspends != suspends:  # Ctrl+Z meanwhile: it comes back paused
                    self._command(self.practice.pause)
            elif was_running and self._suspends == suspends:
                self._command(self.practice.resume)
            else:
                self.redraw()

        stop_if = getattr(getattr(self.practice, "routine", None), "stop_if", ()) or ()
        self.app.push_screen(
            TooMuchScreen(choices, step_title=snap.title, pressure=pressure,
                          gentler_text=gentler_text, stop_if=stop_if),
            chosen,
        )  # fmt: skip

    def action_help(self) -> None:
        """Reading the keys is not doing the step: the clock stops while help is open."""
        from coach.tui.screens.help import HelpScreen

        # A stop, not a pause the person made: not counted in the record's `pauses`.
        paused_here = not self._done and self.practice.hold(self.clock())
        suspends = self._suspends

        def closed(_: object) -> None:
            if paused_here and self._suspends == suspends:
                self._command(self.practice.resume)

        self.app.push_screen(HelpScreen(), closed)

    def action_ask_quit(self) -> None:
        if self._done:
            return

        # The clock stops while the question is open (not counted in `pauses`: the person
        # did not pause); "Go on" resumes only what it stopped.
        paused_here = self.practice.hold(self.clock())
        suspends = self._suspends

        def answered(yes: bool | None) -> None:
            if yes:
                self._command(self.practice.quit)
            elif paused_here and self._suspends == suspends:
                self._command(self.practice.resume)
            else:
                self.redraw()

        detail = "" if self.preview else "It is saved in your history as stopped."
        question = ConfirmScreen("End this session now?", detail, yes="End it", no="Go on")
        self.app.push_screen(question, answered)

    def _end(self, how: str) -> None:
        self._done = True
        if self._timer is not None:
            self._timer.stop()
        self.dismiss(how)
