"""The Coach app: a thin shell over the session engine, the history and the stats.

It paints the home screen first and loads the routines and the history in a worker, so the
first screen never waits for them. A session is one worker that walks the screens in turn:
first-run note (once), cautions, rating before, player, rating after, summary.

Timing comes from `services.clock` (injected; tests pass a fake one). Pydantic-using
modules are imported lazily, off the first paint.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from coach.settings import Settings, load_settings, save_settings
from coach.tui.screens.home import HomeScreen
from coach.tui.services import Services
from coach.tui.start import StartRequest

if TYPE_CHECKING:
    from coach.library import Library, RoutineInfo
    from coach.routine import Routine
    from coach.tui.facts import HomeFacts

CSS_PATH = Path(__file__).with_name("app.tcss")


class CoachApp(App[int]):
    CSS_PATH = CSS_PATH
    TITLE = "Coach"
    # Screens get -narrow below 60 columns (the home screen then hides the detail pane).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]
    BINDINGS = [
        Binding("question_mark", "help", "Help", show=False),
        Binding("ctrl+q", "quit", "Quit now", show=False, priority=True),
    ]

    def __init__(
        self,
        services: Services | None = None,
        *,
        start: StartRequest | None = None,
        mute: bool = False,
    ) -> None:
        super().__init__()
        self.services = services or Services()
        self.start_request = start
        self.settings: Settings = load_settings(self.services.settings_path)
        self.muted = mute or not self.settings.sound
        self.library: Library | None = None
        self.catalog: list[RoutineInfo] | None = None
        self.library_problems: list[str] = []
        self.facts: HomeFacts | None = None
        self.sound_notice: str | None = None
        self._routines: dict[tuple[str, str], Routine] = {}
        self._player: Any = None
        self.in_session = False

    # --- start -----------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        return HomeScreen()

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.load_data()

    @property
    def reduced_motion(self) -> bool:
        return self.settings.reduced_motion or self.animation_level == "none"

    @work(thread=True, exclusive=True, group="load")
    def load_data(self) -> None:
        """The routines (validated metadata from the cache: no pydantic when warm), then what
        the history says. Runs after the first paint."""
        library = self.services.library()
        infos = library.infos()
        self.call_from_thread(self._catalog_loaded, library, infos, list(library.problems))
        from coach.tui.data import home_facts

        facts = home_facts(self.services)
        self.call_from_thread(self._facts_loaded, facts)

    def _catalog_loaded(self, library: Library, infos: list[RoutineInfo], problems: list[str]) -> None:
        self.library = library
        self.catalog = infos
        self.library_problems = problems
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.show_catalog()
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
        from coach.tui.data import home_facts

        facts = home_facts(self.services, recover=False)
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
            message = getattr(exc, "message", None) or str(exc)
            self.notify(f"Cannot load {info.id}: {message.splitlines()[0]}", severity="error")
            return None
        self._routines[(info.id, info.path)] = routine
        return routine

    # --- settings --------------------------------------------------------------------------

    def change_settings(self, **changes: Any) -> None:
        self.settings = self.settings.with_(**changes)
        if "theme" in changes and changes["theme"] in self.available_themes:
            self.theme = changes["theme"]
        if "sound" in changes:
            self.muted = not changes["sound"]
        if self._player is not None:
            self._player.volume = self.settings.volume
            self._player.muted = self.muted
        try:
            save_settings(self.settings, self.services.settings_path)
        except OSError as exc:
            self.notify(f"Settings not saved: {exc.strerror or exc}", severity="warning")

    def watch_theme(self, theme: str) -> None:
        # The palette's theme picker changes the theme too: remember it.
        if getattr(self, "settings", None) is not None and theme != self.settings.theme:
            self.change_settings(theme=theme)

    def toggle_mute(self) -> bool:
        self.muted = not self.muted
        if self._player is not None:
            self._player.muted = self.muted
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
            self.refresh_facts()

    def session_clock(self, request: StartRequest | None) -> Callable[[], float]:
        """The clock the session runs on: the app's, sped up for a preview (--speed)."""
        clock = self.services.clock
        speed = request.speed if request is not None else 1.0
        if speed == 1.0:
            return clock
        origin = clock()
        return lambda: origin + (clock() - origin) * speed

    def new_practice(
        self, routine: Routine, info: RoutineInfo, *, pre: int | None, request: StartRequest | None
    ) -> Any:
        from coach.tui.practice_glue import new_practice

        return new_practice(self, routine, info, pre=pre, request=request)

    def end_practice(self, practice: Any, *, completed: bool, post: int | None = None, note: str = "") -> Any:
        from coach.tui.practice_glue import end_practice

        return end_practice(self, practice, completed=completed, post=post, note=note)

    def summary_for(self, practice: Any, record: Any, pre: int | None, post: int | None) -> Any:
        from coach.tui.practice_glue import summary_for

        return summary_for(self, practice, record, pre, post)

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
        try:
            from coach.tui.screens.plans import PlansScreen  # type: ignore[import-not-found]
        except ImportError:
            self.notify("Plans are not available in this version.", severity="warning")
            return
        if not self.in_session:
            self.push_screen(PlansScreen())

    def action_start_selected(self) -> None:
        home = self.screen
        if isinstance(home, HomeScreen):
            home.action_start()

    def action_ask_quit(self) -> None:
        from coach.tui.screens.confirm import ConfirmScreen

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
            yield SystemCommand("Settings", "Sound, volume, reduced motion, theme", self.action_settings)
        yield SystemCommand("Help", "Every key", self.action_help)
        yield SystemCommand("Theme", "Change the colours", self.action_change_theme)
        yield SystemCommand("Mute", "Sound on or off", self.toggle_mute)
        yield SystemCommand("Screenshot", "Save an SVG of this screen", self.action_screenshot_now)
        yield SystemCommand("Quit", "Leave Coach", self.action_ask_quit)

    def action_screenshot_now(self) -> None:
        self.set_timer(0.1, self.deliver_screenshot)
