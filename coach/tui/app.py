"""The Coach app: a thin shell over the session engine, the history and the stats.

It paints the home screen first and loads the routines and the history in a worker, so the
first screen never waits for them. A session is one worker that walks the screens in turn:
first-run note (once), cautions, rating before, player, rating after, summary.

Timing comes from `services.clock` (injected; tests pass a fake one). Pydantic-using
modules are imported lazily, off the first paint.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App, SystemCommand
from textual.notifications import SeverityLevel
from textual.screen import Screen

from coach.settings import KEPT_AS_IT_IS, Settings, read_settings, save_settings
from coach.start import StartRequest
from coach.text import visible, visible_lines
from coach.tui.keys import APP_KEYS, bindings
from coach.tui.screens.home import HomeScreen
from coach.tui.services import Services
from coach.tui.sigcont import guard_sigcont

if TYPE_CHECKING:
    from coach.history_view import HomeFacts
    from coach.library import Library, RoutineInfo
    from coach.routine import Routine

CSS_PATH = Path(__file__).with_name("app.tcss")


class CoachApp(App[int]):
    CSS_PATH = CSS_PATH
    TITLE = "Coach"
    # Screens get -narrow below 60 columns (the home screen then hides the detail pane).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]
    # Below 20 rows, screens get -short (the home screen drops its title lines).
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    BINDINGS = bindings(APP_KEYS)

    def __init__(
        self,
        services: Services | None = None,
        *,
        start: StartRequest | None = None,
        mute: bool = False,
        voice: bool | None = None,
        collector_paused: bool = False,
    ) -> None:
        super().__init__()
        # `coach` paused Python's cyclic garbage collector for the start (coach.tui.launch);
        # first_frame_shown turns it back on.
        self._collector_paused = collector_paused
        self.voice_flag = voice  # `coach run --voice` (True) / `--no-voice` (False)
        self.services = services or Services()
        self.start_request = start
        loaded = read_settings(self.services.settings_path)
        self.settings: Settings = loaded.settings
        # A settings file that is there but unreadable: told once, never written over.
        self.settings_problem: str | None = loaded.problem
        self.muted = mute or not self.settings.sound
        self.library: Library | None = None
        self.catalog: list[RoutineInfo] | None = None
        self.library_problems: list[str] = []
        self.facts: HomeFacts | None = None
        self.sound_notice: str | None = None
        self._routines: dict[tuple[str, str], Routine] = {}
        self._player: Any = None
        # The sound-preparation worker and the session may ask at once: one builds it.
        self._player_lock = threading.Lock()
        self.in_session = False
        self.leaving = False
        self._loading_started = False
        self._animation_level = self.animation_level
        self.practice: Any = None  # the practice on screen, if any (for signals and exit)
        self.practice_clock: Callable[[], float] = self.services.clock

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification of the app (screens' and widgets' `notify` come here): its
        text often quotes a routine id, a title or a file's problem, so it is shown as
        plain text with every control character visible, never read as markup (`markup`
        is accepted for Textual's signature and ignored)."""
        super().notify(
            visible_lines(message),
            title=visible(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    # --- start -----------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        return HomeScreen()

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self._animation_level = self.animation_level  # as TEXTUAL_ANIMATIONS set it
        self._apply_motion()
        if self.settings_problem is not None:
            self.notify(f"{self.settings_problem}; {KEPT_AS_IT_IS}", severity="warning", timeout=10)
        if not self.is_headless:
            self._catch_signals()
            # kill -STOP / -CONT: no second keyboard thread (one kept the process alive at exit)
            guard_sigcont(self._driver, lambda: self._repaint_after_resume(self))
        self.app_resume_signal.subscribe(self, self._repaint_after_resume)

    def _repaint_after_resume(self, _app: object) -> None:
        """After Ctrl+Z and `fg` the terminal's screen is blank, but Textual repaints only
        what changed since (nothing, on the home screen): lay out and paint it all again."""
        self.call_after_refresh(self._repaint_all)

    def _repaint_all(self) -> None:
        # Textual 8.2.8 has no public "repaint everything": mark the whole of every screen
        # in the stack dirty (a dialog shows the one under it), then lay out the top one,
        # which then sends a full update rather than the changes.
        for screen in self.screen_stack:
            for widget in screen.walk_children(with_self=True):
                widget.refresh()
            screen._compositor._dirty_regions.add(screen._compositor.size.region)
        self.screen._refresh_layout(self.size)

    def _catch_signals(self) -> None:
        """SIGTERM and SIGHUP (a closed terminal) record the session at once, then exit."""
        import signal

        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            try:
                loop.add_signal_handler(sig, self._on_signal, sig)
            except (NotImplementedError, RuntimeError, ValueError):
                pass

    def _on_signal(self, sig: int) -> None:
        import os
        import signal
        import threading

        self.record_unfinished()
        code = 128 + int(sig)
        if sig == signal.SIGHUP:
            # The terminal is gone: there is nothing to restore, and Textual's shutdown can
            # block for ever writing to it. The session is already on disk.
            os._exit(code)
        # SIGTERM: leave the terminal as it was, but never hang on the way out.
        watchdog = threading.Timer(3.0, os._exit, args=(code,))
        watchdog.daemon = True
        watchdog.start()
        self.exit(code)

    def record_unfinished(self) -> None:
        """A session still on screen is saved as stopped (Ctrl+Q, a signal, a crash)."""
        practice, self.practice = self.practice, None
        if practice is None:
            return
        try:
            practice.interrupt(self.practice_clock())
        except Exception as exc:  # the journal still holds it: the next start recovers it
            self.log.error(f"could not record the interrupted session: {exc}")

    def exit(self, result: int | None = None, return_code: int = 0, message: Any = None) -> None:
        self.leaving = True
        self.record_unfinished()
        super().exit(result, return_code, message)

    @property
    def reduced_motion(self) -> bool:
        return self.settings.reduced_motion or self._animation_level == "none"

    def _apply_motion(self) -> None:
        """The setting stops Textual's own animations too (smooth scrolling and the like)."""
        self.animation_level = "none" if self.settings.reduced_motion else self._animation_level

    def read_catalog_now(self) -> bool:
        """Read the routines on the event loop, before the first paint, when the validation
        cache is there (a few tens of ms, no pydantic), so that home's first frame is the
        list itself; True when the catalog is known. A first start (no cache: validation
        would block the paint) leaves it to `load_data`'s worker, as does any failure."""
        if self.catalog is not None:
            return True
        try:
            library = self.services.library()
            if library.cache_path is None or not library.cache_path.is_file():
                return False
            infos, problems = library.infos(), list(library.problems)
        except Exception:  # the worker reads them again and says what went wrong
            return False
        self.library, self.catalog, self.library_problems = library, infos, problems
        return True

    def first_frame_shown(self) -> None:
        """Called by the home screen once its first frame is out: the garbage collector,
        paused for the start by `coach` (coach.tui.launch.open_home), runs again."""
        if self._collector_paused:
            self._collector_paused = False
            import gc

            gc.enable()

    def start_loading(self) -> None:
        """Called by the home screen once it has painted (so the worker thread does not
        compete with the first frame); loads once."""
        if not self._loading_started:
            self._loading_started = True
            self.load_data()

    @work(thread=True, exclusive=True, group="load")
    def load_data(self) -> None:
        """First a session a crash left in the journal is saved (so a new one can start),
        then the routines (validated metadata from the cache: no pydantic when warm), then
        what the history says. Runs after the first paint."""
        from coach.history_view import home_facts, recover

        services = self.services
        recovered = recover(services.history_path, services.journal_path)
        library = self.services.library()
        try:
            infos = library.infos()
            problems = list(library.problems)
        except Exception as exc:  # a worker's exception would end the app with a traceback
            infos, problems = [], [f"cannot list the routines: {exc}"]
        self.call_from_thread(self._catalog_loaded, library, infos, problems)
        try:
            facts = home_facts(services.history_path, services.today(), recovered=recovered)
        except Exception as exc:  # the home screen must open whatever the history holds
            from coach.history_view import HomeFacts

            facts = HomeFacts(self.services.today(), error=f"cannot read the history: {exc}")
        self.call_from_thread(self._facts_loaded, facts)

    def reload_catalog(self) -> None:
        """Read the routines again (a plan imported or removed while the app runs: its own
        routines come and go); the home screen shows the new list when it arrives."""
        self._reload_catalog_worker()

    @work(thread=True, exclusive=True, group="catalog")
    def _reload_catalog_worker(self) -> None:
        library = self.services.library()
        try:
            infos = library.infos()
            problems = list(library.problems)
        except Exception as exc:  # keep what the home screen shows, and say why
            self.call_from_thread(self.notify, f"Cannot list the routines again: {exc}", severity="warning")
            return
        self.call_from_thread(self._catalog_loaded, library, infos, problems)

    def _catalog_loaded(self, library: Library, infos: list[RoutineInfo], problems: list[str]) -> None:
        if self.library is not None and library is not self.library:
            self._routines.clear()  # a plan's routine may have new content under the same key
        self.library = library
        self.catalog = infos
        self.library_problems = problems
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.show_catalog()

    def begin_requested_session(self) -> None:
        """`coach run ROUTINE`: the session starts at once; home loads only if shown."""
        if self.start_request is not None:
            request, self.start_request = self.start_request, None
            self.start_session(request.info, request)

    def _facts_loaded(self, facts: HomeFacts | None) -> None:
        self.facts = facts
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.show_facts(facts)

    def refresh_facts(self) -> None:
        self._refresh_facts_worker()

    @work(thread=True, exclusive=True, group="facts")
    def _refresh_facts_worker(self) -> None:
        from coach.history_view import home_facts

        try:
            facts = home_facts(self.services.history_path, self.services.today())
        except Exception:  # keep what the home screen shows
            return
        self.call_from_thread(self._facts_loaded, facts)

    # --- routines --------------------------------------------------------------------------

    def loaded_routine(self, info: RoutineInfo) -> Routine | None:
        return self._routines.get((info.id, info.path))

    async def load_routine(self, info: RoutineInfo) -> Routine | None:
        """The full routine (pydantic), validated in a thread; None if it cannot be read."""
        known = self.loaded_routine(info)
        if known is not None:
            return known
        library = self.library or self.services.library()
        try:
            routine = await asyncio.to_thread(library.load, info)
        except Exception as exc:  # a file changed or vanished since listing
            message = str(exc)  # a CoachError's str is its message
            self.notify(f"Cannot load {info.id}: {message.splitlines()[0]}", severity="error")
            return None
        self._routines[(info.id, info.path)] = routine
        return routine

    # --- settings --------------------------------------------------------------------------

    def change_settings(self, **changes: Any) -> None:
        self.settings = self.settings.with_(**changes)
        if "theme" in changes and changes["theme"] in self.available_themes:
            self.theme = changes["theme"]
        if "reduced_motion" in changes:
            self._apply_motion()
        if "sound" in changes:
            self.muted = not changes["sound"]
            if not self.muted:
                self.prepare_sound()
        if self._player is not None:
            self._player.volume = self.settings.volume
            self._player.muted = self.muted
            if "voice" in changes:
                from coach.voice import voice_level

                self._player.set_voice(voice_level(self.settings.voice, None))
        if self.settings_problem is not None:
            return  # the file could not be read: changes last this run, the file is kept
        try:
            save_settings(self.settings, self.services.settings_path)
        except OSError as exc:
            self.notify(f"Settings not saved: {exc.strerror or exc}", severity="warning")

    def watch_theme(self, theme: str) -> None:
        # The palette's theme picker changes the theme too: remember it.
        if theme != self.settings.theme:
            self.change_settings(theme=theme)

    def toggle_mute(self) -> bool:
        self.muted = not self.muted
        if self._player is not None:
            self._player.muted = self.muted
        if not self.muted:
            self.prepare_sound()
        return self.muted

    # --- the session -----------------------------------------------------------------------

    def start_session(self, info: RoutineInfo, request: StartRequest | None = None) -> None:
        if self.in_session:
            return
        self.in_session = True
        self._session_flow(info, request)

    @work(exclusive=True, group="session")
    async def _session_flow(self, info: RoutineInfo, request: StartRequest | None) -> None:
        from coach.tui.flow import run_flow

        try:
            await run_flow(self, info, request)
        finally:
            self.in_session = False
            if not self.leaving:
                for screen in self.screen_stack:
                    if isinstance(screen, HomeScreen):
                        screen.ensure_built()  # after `coach run`, home was never built
                self.refresh_facts()

    def session_clock(self, request: StartRequest | None) -> Callable[[], float]:
        """The clock the session runs on: the app's, sped up for a preview (--speed)."""
        clock = self.services.clock
        speed = request.speed if request is not None else 1.0
        if speed == 1.0:
            return clock
        origin = clock()
        return lambda: origin + (clock() - origin) * speed

    def sound_player(self) -> Any:
        """The one sound player of the app (built on first use), with the app's bell as the
        fallback. None when sound cannot be set up at all. Thread-safe: the sound-preparation
        worker and the session may ask at once, and one of them builds it."""
        with self._player_lock:
            if self._player is None:
                make = self.services.make_player
                try:
                    if make is not None:
                        self._player = make(self.bell)
                    else:
                        from coach.audio import Player
                        from coach.voice import voice_level

                        level = voice_level(self.settings.voice, self.voice_flag)
                        self._player = Player("auto", volume=self.settings.volume, muted=self.muted,
                                              bell=self.bell, voice=level)  # fmt: skip
                except Exception as exc:  # sound is never worth a crash
                    self.sound_notice = f"Sound unavailable ({exc})"
                    return None
            return self._player

    def remember_sound_notice(self, notice: str) -> None:
        """Keep what went wrong with the sound, for the settings screen to say too."""
        self.sound_notice = notice

    def prepare_sound(self) -> None:
        """Build the cues off the event loop while the person reads the first screens."""
        self._prepare_sound_worker()

    @work(thread=True, exclusive=True, group="sound")
    def _prepare_sound_worker(self) -> None:
        if not self.muted:  # built when sound is turned on: muted sessions need neither
            self._prepare_sound_now()

    def _prepare_sound_now(self) -> None:
        """Build the cues (in a worker thread); once built they are cached."""
        player = self.sound_player()
        if player is None:
            return
        try:
            player.prepare()
        except Exception:  # sound is never worth a crash
            pass

    async def current_streak(self) -> int | None:
        from coach.history_view import streak

        services = self.services
        return await asyncio.to_thread(lambda: streak(services.history_path, services.today()))

    # --- screens and actions ---------------------------------------------------------------

    def action_help(self) -> None:
        from coach.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_history(self) -> None:
        from coach.tui.screens.history import HistoryScreen

        if not self.in_session and not isinstance(self.screen, HistoryScreen):
            self.push_screen(HistoryScreen())

    def action_settings(self) -> None:
        from coach.tui.screens.settings import SettingsScreen

        if not self.in_session and not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen())

    def action_plans(self) -> None:
        from coach.tui.screens.plans import PlansScreen

        if not self.in_session:
            self.push_screen(PlansScreen())

    def action_start_selected(self) -> None:
        home = self.screen
        if isinstance(home, HomeScreen):
            home.action_start()

    def action_interrupt(self) -> None:
        """Ctrl+C: what `q` does where the person is: the player asks to end the session
        (saved as stopped), anywhere else Coach asks to quit. Never an exit without asking."""
        ask = getattr(self.screen, "action_ask_quit", None)
        if callable(ask):
            ask()
        else:
            self.action_ask_quit()

    def action_ask_quit(self) -> None:
        from coach.tui.dialogs.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit(0)

        if not isinstance(self.screen, ConfirmScreen):
            self.push_screen(ConfirmScreen("Quit Coach?", yes="Quit", no="Stay"), answered)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        if isinstance(screen, HomeScreen):
            yield SystemCommand("Start", "Start the selected routine", self.action_start_selected)
            yield SystemCommand("History", "Your sessions, ratings and what helped", self.action_history)
            yield SystemCommand("Plans", "Plans from your therapist", self.action_plans)
            yield SystemCommand("Settings", "Sound, voice, motion, theme, lead-in, default length",
                                self.action_settings)
        yield SystemCommand("Help", "Every key", self.action_help)
        yield SystemCommand("Theme", "Change the colours", self.action_change_theme)
        yield SystemCommand("Mute", "Sound on or off", self.toggle_mute)
        yield SystemCommand("Screenshot", "Save an SVG of this screen", self.action_screenshot_now)
        yield SystemCommand("Quit", "Leave Coach", self.action_ask_quit)

    def action_screenshot_now(self) -> None:
        self.set_timer(0.1, self.deliver_screenshot)
