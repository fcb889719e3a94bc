"""Settings: sound, volume, reduced motion and theme; saved the moment they change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Select, Static, Switch

from coach.text import visible
from coach.tui.keys import SETTINGS_KEYS, bindings
from coach.tui.widgets.volume import Volume

if TYPE_CHECKING:
    from coach.tui.app import CoachApp


class SettingsScreen(Screen[None]):
    DEFAULT_CSS = """
    /* --- settings --- */

#settings-page {
        padding: 1 2;
    }
    .setting {
        height: 3;
    }
    .setting-label {
        width: 18;
        padding-top: 1;
    }
    .setting Volume {
        margin-top: 1;
    }
    .setting Select {
        margin-top: 1;
        width: 30;
    }
    #sound-state, #settings-where {
        margin-top: 1;
    }
    """

    BINDINGS = bindings(SETTINGS_KEYS)

    @property
    def coach(self) -> CoachApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        settings = self.coach.settings
        themes = sorted(self.app.available_themes)
        with Vertical(id="settings-page"):
            yield Static(Content.styled("Settings", "bold $accent"), classes="page-title")
            with Horizontal(classes="setting"):
                yield Static("Sound", classes="setting-label")
                yield Switch(settings.sound, id="sound")
            with Horizontal(classes="setting"):
                yield Static("Volume", classes="setting-label")
                yield Volume(settings.volume, id="volume")
            with Horizontal(classes="setting"):
                yield Static("Reduced motion", classes="setting-label")
                yield Switch(settings.reduced_motion, id="reduced-motion")
            with Horizontal(classes="setting"):
                yield Static("Theme", classes="setting-label")
                yield Select(
                    [(name, name) for name in themes],
                    value=settings.theme if settings.theme in themes else self.app.theme,
                    allow_blank=False,
                    id="theme",
                    compact=True,
                )
            yield Static(self._sound_line(), id="sound-state", markup=False)
            yield Static(
                Content.styled(
                    self._where()
                    + " Reduced motion shows the breathing pacer as words and a still bar "
                    "(TEXTUAL_ANIMATIONS=none does the same).",
                    "$text-muted",
                ),
                id="settings-where",
            )
        yield Footer()

    def _where(self) -> str:
        """Where changes go: saved at once, or, when the settings file could not be read (it
        is kept as it is), for this run only."""
        name = visible(self.coach.services.settings_path.name)
        if self.coach.settings_problem is not None:
            return f"{name} could not be read and is kept as it is: changes last until you quit."
        return f"Saved at once in {name}, in your data folder."

    def _sound_line(self) -> Content:
        notice = self.coach.sound_notice
        return Content.styled(visible(notice), "$text-warning") if notice else Content("")

    def on_mount(self) -> None:
        self.query_one("#sound", Switch).focus()

    @on(Switch.Changed, "#sound")
    def _sound(self, event: Switch.Changed) -> None:
        self.coach.change_settings(sound=event.value)

    @on(Switch.Changed, "#reduced-motion")
    def _motion(self, event: Switch.Changed) -> None:
        self.coach.change_settings(reduced_motion=event.value)

    @on(Volume.Changed)
    def _volume(self, event: Volume.Changed) -> None:
        self.coach.change_settings(volume=event.value)

    @on(Select.Changed, "#theme")
    def _theme(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.coach.settings.theme:
            self.coach.change_settings(theme=event.value)

    def action_back(self) -> None:
        self.dismiss(None)
