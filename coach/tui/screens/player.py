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
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Digits, Footer, Static

from coach.tui.screens.confirm import ConfirmScreen
from coach.tui.text import clock as clock_text
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


SIDE_WORDS = {"left": "LEFT side", "right": "RIGHT side", "both": "both sides"}


class PlayerScreen(Screen[str]):
    """Dismisses "finished" or "quit"."""

    BINDINGS = [
        Binding("space", "toggle_pause", "Pause"),
        Binding("s", "skip", "Skip"),
        Binding("b", "back", "Back"),
        Binding("plus,equals_sign", "extend", "30 s more", key_display="+"),
        Binding("g", "gentler", "Gentler"),
        Binding("m", "mute", "Mute"),
        Binding("q,escape", "ask_quit", "Quit"),
        Binding("question_mark", "app.help", "Help"),
    ]

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
    ) -> None:
        super().__init__()
        self.practice = practice
        self.clock = clock
        self.reduced_motion = reduced_motion
        self.phases_of = phases_of
        self.on_mute = on_mute
        self.muted = muted
        self.preview = preview
        self._timer: Timer | None = None
        self._done = False
        self._last: dict[str, object] = {}

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
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Pacer).reduced = self.reduced_motion()
        if self.practice.snapshot(self.clock()).state == "ready":
            self.practice.start(self.clock())
        self.redraw()
        self._timer = self.set_interval(REDRAW_SECONDS, self.redraw)

    # --- drawing ---------------------------------------------------------------------------

    def _set(self, key: str, value: object, apply: Callable[[], None]) -> None:
        """Touch a widget only when what it shows changes (cheap redraws, low CPU)."""
        if self._last.get(key) != value:
            self._last[key] = value
            apply()

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
        take = getattr(self.practice, "sound_notice", None)
        notice = take() if take is not None else None
        if notice:
            self.notify(notice, severity="warning", timeout=6)

    def _draw(self, snap: Any) -> None:
        title = Content.assemble(
            (f"Step {snap.step_number} of {snap.step_count}  ", "$text-muted"), (snap.title, "bold")
        )
        self._set("title", (snap.step_number, snap.title),
                  lambda: self.query_one("#step-title", Static).update(title))  # fmt: skip
        side = SIDE_WORDS.get(snap.side or "", "")
        if snap.pass_count > 1:
            side = f"{side} ({snap.pass_number}/{snap.pass_count})"
        self._set("side", side, lambda: self.query_one("#step-side", Static).update(
            Content.styled(f" {side} ", "bold reverse $warning") if side else Content("")))  # fmt: skip
        meta = [snap.step_type]
        if snap.pressure:
            meta.append(f"{snap.pressure} pressure")
        if snap.has_gentler and not snap.showing_gentler:
            meta.append("g: gentler version")
        if self.preview:
            meta.append("preview, not recorded")
        if self.muted():
            meta.append("sound off")
        meta_text = " · ".join(meta)
        self._set("meta", meta_text, lambda: self.query_one("#step-meta", Static).update(
            Content.styled(meta_text, "$text-muted")))  # fmt: skip
        instruction = (snap.instruction, snap.showing_gentler)
        self._set("instruction", instruction, lambda: self._show_instruction(*instruction))
        countdown = clock_text(snap.step_seconds_left)
        self._set("countdown", countdown, lambda: self.query_one(Digits).update(countdown))
        self._draw_pacer(snap)
        state = "Paused. Press Space to go on." if snap.state == "paused" else ""
        self._set("state", state, lambda: self._show_state(state))
        self.query_one("#step-bar", Bar).set(snap.step_progress, clock_text(snap.step_seconds_left))
        self.query_one("#routine-bar", Bar).set(
            snap.routine_progress, clock_text(snap.routine_seconds_left) + " left"
        )
        next_text = snap.next_title
        self._set("next", next_text, lambda: self.query_one("#next", Static).update(
            Content.assemble(("Next: ", "$text-muted"), next_text) if next_text
            else Content.styled("Last step", "$text-muted")))  # fmt: skip
        self.set_class(snap.state == "paused", "-paused")

    def _show_instruction(self, text: str, gentler: bool) -> None:
        body = Content.assemble(("Gentler: ", "bold $success"), text) if gentler else Content(text)
        self.query_one("#instruction", Static).update(body)

    def _show_state(self, state: str) -> None:
        self.query_one("#state-line", Static).update(Content.styled(state, "bold $warning") if state else "")

    def _draw_pacer(self, snap: Any) -> None:
        pacer = self.query_one(Pacer)
        phase = snap.phase
        pacer.display = phase is not None
        if phase is None:
            return
        reduced = self.reduced_motion()
        if reduced != pacer.reduced:
            pacer.reduced = reduced
            pacer.refresh()
        phases = self.phases_of()
        if phases != pacer.phases:
            pacer.set_pattern(phases)
        pacer.show(phase.breath, phase.progress, phase.seconds_left, phase.cycle, phase.cycles)

    # --- commands --------------------------------------------------------------------------

    def _command(self, name: str) -> None:
        if self._done:
            return
        getattr(self.practice, name)(self.clock())
        self.redraw()

    def action_toggle_pause(self) -> None:
        self._command("toggle_pause")

    def action_skip(self) -> None:
        self._command("skip")

    def action_back(self) -> None:
        self._command("back")

    def action_extend(self) -> None:
        self._command("extend")

    def action_gentler(self) -> None:
        snap = self.practice.snapshot(self.clock())
        if not snap.has_gentler:
            self.notify("This step has no gentler version.", timeout=3)
            return
        self._command("toggle_gentler")

    def action_mute(self) -> None:
        if self.on_mute is not None:
            muted = self.on_mute()
            self.notify("Sound off." if muted else "Sound on.", timeout=2)
        self._last.pop("meta", None)
        self.redraw()

    def action_ask_quit(self) -> None:
        if self._done:
            return

        # The clock stops while the question is open; "Go on" resumes only what it paused.
        paused_here = self.practice.pause(self.clock())

        def answered(yes: bool | None) -> None:
            if yes:
                self._command("quit")
            elif paused_here:
                self._command("resume")

        detail = "" if self.preview else "It is saved in your history as not completed."
        question = ConfirmScreen("End this session now?", detail, yes="End it", no="Go on")
        self.app.push_screen(question, answered)

    def _end(self, how: str) -> None:
        self._done = True
        if self._timer is not None:
            self._timer.stop()
        self.dismiss(how)
