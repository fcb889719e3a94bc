"""The player: the step, its instruction and side, a big countdown, step and routine
progress, what comes next, and for breathing the pacer.

It holds no timing of its own. Every redraw asks the practice (the session engine with its
journal, history and sound) for a snapshot at the injected clock's `now`; the interval timer
only decides when to redraw.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Digits, Footer, Static

from coach.text import duration_clock, visible
from coach.tui.dialogs.confirm import ConfirmScreen
from coach.tui.keys import PLAYER_KEYS, bindings
from coach.tui.widgets.bar import Bar
from coach.tui.widgets.pacer import Pacer

REDRAW_SECONDS = 0.1


class PracticeLike(Protocol):
    """What the player needs: coach.practice.Practice provides it."""

    def snapshot(self, now: float) -> Any: ...
    def poll(self, now: float) -> list[Any]: ...
    def start(self, now: float) -> bool: ...
    def toggle_pause(self, now: float) -> bool: ...
    def pause(self, now: float) -> bool: ...
    def resume(self, now: float) -> bool: ...
    def skip(self, now: float) -> bool: ...
    def back(self, now: float) -> bool: ...
    def extend(self, now: float) -> bool: ...
    def toggle_gentler(self, now: float) -> bool: ...
    def quit(self, now: float) -> bool: ...
    def sound_notice(self) -> str | None: ...


SIDE_WORDS = {"left": "LEFT side", "right": "RIGHT side", "both": "both sides"}


class PlayerScreen(Screen[str]):
    """Dismisses "finished" or "quit"."""

    DEFAULT_CSS = """
    /* --- player --- */

#player {
        height: 1fr;
        padding: 0 1;
    }
    #step-head {
        height: auto;
    }
    #step-title {
        width: 1fr;
    }
    #step-side {
        width: auto;
    }
    #step-meta {
        height: 1;
        margin-bottom: 1;
    }
    #stage {
        height: 1fr;
        align-vertical: middle;
    }
    #step-body {
        height: auto;
        max-height: 10;
        margin-bottom: 1;
    }
    #instruction-box {
        width: 1fr;
        height: auto;
        max-height: 10;
    }
    #instruction {
        padding-right: 1;
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
    #state-line {
        height: 1;
    }
    #next {
        height: 1;
        margin-top: 1;
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
        self._paused = False  # as last drawn: which of Pause / Resume the footer offers
        # Suspends so far: a dialog closed after one leaves the session paused (it comes back
        # paused, and the person resumes it with Space).
        self._suspends = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="player"):
            with Horizontal(id="step-head"):
                yield Static("", id="step-title", markup=False)
                yield Static("", id="step-side", markup=False)
            yield Static("", id="step-meta", markup=False)
            with Vertical(id="stage"):
                with Horizontal(id="step-body"):
                    with VerticalScroll(id="instruction-box", can_focus=False):
                        yield Static("", id="instruction", markup=False)
                    yield Digits("0:00", id="countdown")
                yield Pacer(id="pacer")
            yield Static("", id="state-line", markup=False)
            yield Bar("Step   ", id="step-bar")
            yield Bar("Routine", id="routine-bar")
            yield Static("", id="next", markup=False)
        # Eight keys must fit in 80 columns, with Resume as the longest word: the palette
        # (Ctrl+P, in the help) is not named here.
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        # Widgets looked up once: the redraw runs ten times a second.
        self._w_title = self.query_one("#step-title", Static)
        self._w_side = self.query_one("#step-side", Static)
        self._w_meta = self.query_one("#step-meta", Static)
        self._w_instruction = self.query_one("#instruction", Static)
        self._w_countdown = self.query_one(Digits)
        self._w_pacer = self.query_one(Pacer)
        self._w_state = self.query_one("#state-line", Static)
        self._w_step_bar = self.query_one("#step-bar", Bar)
        self._w_routine_bar = self.query_one("#routine-bar", Bar)
        self._w_next = self.query_one("#next", Static)
        self._w_pacer.reduced = self.reduced_motion()
        if self.practice.snapshot(self.clock()).state == "ready":
            self.practice.start(self.clock())
        self.redraw()
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
        if self.practice.poll(now):
            self._sound_notice()
        snap = self.practice.snapshot(now)
        if snap.state in ("finished", "quit"):
            self._end("finished" if snap.state == "finished" else "quit")
            return
        self._draw(snap)

    def _sound_notice(self) -> None:
        notice = self.practice.sound_notice()
        if notice:
            self.notify(visible(notice), severity="warning", timeout=6, markup=False)
            self.on_sound_notice(notice)

    def _draw(self, snap: Any) -> None:
        if self._changed("title", (snap.step_number, snap.step_count, snap.title)):
            number = f"Step {snap.step_number} of {snap.step_count}  "
            self._w_title.update(Content.assemble((number, "$text-muted"), (visible(snap.title), "bold")))
        if self._changed("side", (snap.side, snap.pass_number, snap.pass_count)):
            side = SIDE_WORDS.get(snap.side or "", "")
            if snap.pass_count > 1:
                side = f"{side} ({snap.pass_number}/{snap.pass_count})"
            self._w_side.update(Content.styled(f" {side} ", "bold reverse $warning") if side else Content(""))
        muted = self.muted()
        if self._changed("meta", (snap.step_number, snap.showing_gentler, muted)):
            meta = [snap.step_type]
            if snap.pressure:
                meta.append(f"{snap.pressure} pressure")
            if snap.has_gentler and not snap.showing_gentler:
                meta.append("g: gentler version")
            if self.preview:
                meta.append("preview, not recorded")
            if muted:
                meta.append("sound off")
            self._w_meta.update(Content.styled(" · ".join(meta), "$text-muted"))
        if self._changed("instruction", (snap.instruction, snap.showing_gentler)):
            self._show_instruction(snap.instruction, snap.showing_gentler)
        countdown = duration_clock(snap.step_seconds_left)
        if self._changed("countdown", countdown):
            self._w_countdown.update(countdown)
        self._draw_pacer(snap)
        paused = snap.state == "paused"
        if self._changed("paused", paused):
            words = "Paused. Press Space to go on." if paused else ""
            self._w_state.update(Content.styled(words, "bold $warning"))
            self.set_class(paused, "-paused")
            self._paused = paused
            self.refresh_bindings()  # the footer's Pause becomes Resume, and back
        left = duration_clock(snap.routine_seconds_left)
        if self._changed("seconds", (countdown, left)):
            # The bars move with the whole seconds, in the same frame as the countdown: the
            # other nine redraws of a second then repaint only the pacer.
            self._w_step_bar.set(snap.step_progress, countdown)
            self._w_routine_bar.set(snap.routine_progress, left + " left")
        if self._changed("next", snap.next_title):
            upcoming = snap.next_title
            self._w_next.update(Content.assemble(("Next: ", "$text-muted"), visible(upcoming)) if upcoming
                                else Content.styled("Last step", "$text-muted"))  # fmt: skip

    def _show_instruction(self, text: str, gentler: bool) -> None:
        text = visible(text)  # routine text: shown, never obeyed
        body = Content.assemble(("Gentler: ", "bold $success"), text) if gentler else Content(text)
        self._w_instruction.update(body)

    def _draw_pacer(self, snap: Any) -> None:
        pacer = self._w_pacer
        phase = snap.phase
        if self._changed("pacer-shown", phase is not None):
            pacer.display = phase is not None
        if phase is None:
            return
        reduced = self.reduced_motion()
        if reduced != pacer.reduced:
            pacer.reduced = reduced
            pacer.refresh()
        if self._changed("pacer-step", (snap.step_number, snap.pass_number)):
            pacer.set_pattern(self.phases_of())
        pacer.show(phase.breath, phase.progress, phase.seconds_left, phase.cycle, phase.cycles)

    # --- commands --------------------------------------------------------------------------

    def _command(self, command: Callable[[float], object]) -> None:
        """Run one of the practice's commands (given the time now) and redraw; nothing once
        the session has ended."""
        if self._done:
            return
        command(self.clock())
        self.redraw()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Space is Pause while running and Resume while paused (PLAYER_KEYS): only the one
        that fits the state is enabled, so the footer shows its word."""
        if action == "pause":
            return not self._paused
        if action == "resume":
            return self._paused
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
        snap = self.practice.snapshot(self.clock())
        if not snap.has_gentler:
            self.notify("This step has no gentler version.", timeout=3)
            return
        self._command(self.practice.toggle_gentler)

    def action_mute(self) -> None:
        if self.on_mute is not None:
            muted = self.on_mute()
            self.notify("Sound off." if muted else "Sound on.", timeout=2)
        self._last.pop("meta", None)
        self.redraw()

    def action_help(self) -> None:
        """Reading the keys is not doing the step: the clock stops while help is open."""
        from coach.tui.screens.help import HelpScreen

        paused_here = not self._done and self.practice.pause(self.clock())
        suspends = self._suspends

        def closed(_: object) -> None:
            if paused_here and self._suspends == suspends:
                self._command(self.practice.resume)

        self.app.push_screen(HelpScreen(), closed)

    def action_ask_quit(self) -> None:
        if self._done:
            return

        # The clock stops while the question is open; "Go on" resumes only what it paused.
        paused_here = self.practice.pause(self.clock())
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
