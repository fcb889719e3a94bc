"""Settings: sound, volume, voice, reduced motion, theme, the lead-in and the default length;
saved the moment they change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Select, Static, Switch

from coach.text import visible
from coach.tui.keys import SETTINGS_KEYS, bindings
from coach.tui.widgets.volume import Volume
from coach.voice import VOICE_LEVEL_NAMES, VOICE_LEVELS

if TYPE_CHECKING:
    from coach.tui.app import CoachApp


# The Select's value for "as written" (its values are strings: minutes as text otherwise).
AS_WRITTEN = "as-written"


def _number(minutes: float) -> int | float:
    return int(minutes) if minutes.is_integer() else minutes


def length_value(minutes: float | None) -> str:
    """The default-length Select's value for `minutes` (None: as written)."""
    return AS_WRITTEN if minutes is None else f"{_number(float(minutes))}"


def length_choices(current: float | None) -> list[tuple[str, str]]:
    """(label, value) of the default lengths: as written, then about each of home's length
    choices (`LENGTH_CHOICES`, the `l` key's), plus `current` when the file holds another
    number (it is kept, and shown, rather than changed)."""
    from coach.tui.screens.home import LENGTH_CHOICES

    minutes = {float(m) for m in LENGTH_CHOICES}
    if current is not None:
        minutes.add(float(current))
    return [("As written", AS_WRITTEN)] + [(f"About {m:g} min", length_value(m)) for m in sorted(minutes)]


class SettingsScreen(Screen[None]):
    DEFAULT_CSS = """
    /* --- settings --- */

#settings-page {
        padding: 1 2;
    }
    /* One row a setting and a row between, so that all of them and the notes fit 80x24. */
    .setting {
        height: auto;
        margin-bottom: 1;
    }
    .setting-label {
        width: 18;
    }
    /* The focused setting's name is marked: the one-row switch has no border to show it. */
    .setting:focus-within .setting-label {
        color: $accent;
        text-style: bold;
    }
    .setting Switch {
        border: none;
        height: 1;
        padding: 0 1;
    }
    .setting Switch:focus {
        border: none;
    }
    .setting-note {
        width: 1fr;
        padding-left: 2;
        color: $text-muted;
    }
    .setting Select {
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
        with VerticalScroll(id="settings-page"):
            yield Static(Content.styled("Settings", "bold $accent"), classes="page-title")
            with Horizontal(classes="setting"):
                yield Static("Sound", classes="setting-label")
                yield Switch(settings.sound, id="sound")
            with Horizontal(classes="setting"):
                yield Static("Volume", classes="setting-label")
                yield Volume(settings.volume, id="volume")
            with Horizontal(classes="setting"):
                yield Static("Voice", classes="setting-label")
                yield Select(
                    [(VOICE_LEVEL_NAMES[level], level) for level in VOICE_LEVELS],
                    value=settings.voice if settings.voice in VOICE_LEVELS else "off",
                    allow_blank=False,
                    id="voice",
                    compact=True,
                )
            with Horizontal(classes="setting"):
                yield Static("Reduced motion", classes="setting-label")
                yield Switch(settings.reduced_motion, id="reduced-motion")
            with Horizontal(classes="setting"):
                yield Static("Lead-in", classes="setting-label")
                yield Switch(settings.lead_in, id="lead-in")
                # The engine counts before the first step and after each resume (coach.session).
                yield Static("Count 3-2-1 at the start and after a pause", classes="setting-note")
            with Horizontal(classes="setting"):
                yield Static("Default length", classes="setting-label")
                yield Select(
                    length_choices(settings.default_minutes),
                    value=length_value(settings.default_minutes),
                    allow_blank=False,
                    id="default-length",
                    compact=True,
                )
                # coach.tui.flow.length_for: a therapist's routine keeps its dosage.
                yield Static("Plans run as written", classes="setting-note")
            with Horizontal(classes="setting"):
                yield Static("Theme", classes="setting-label")
                yield Select(
                    [(name, name) for name in themes],
                    value=settings.theme if settings.theme in themes else self.app.theme,
                    allow_blank=False,
                    id="theme",
                    compact=True,
                )
            sound_line = self._sound_line()
            yield Static(sound_line, id="sound-state", markup=False).set_styles(
                "display: none;" if not sound_line.plain else ""
            )
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

    @on(Select.Changed, "#voice")
    def _voice(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.coach.settings.voice:
            self.coach.change_settings(voice=event.value)

    @on(Switch.Changed, "#lead-in")
    def _lead_in(self, event: Switch.Changed) -> None:
        self.coach.change_settings(lead_in=event.value)

    @on(Select.Changed, "#default-length")
    def _default_length(self, event: Select.Changed) -> None:
        if not isinstance(event.value, str):
            return
        minutes = None if event.value == AS_WRITTEN else _number(float(event.value))
        if minutes != self.coach.settings.default_minutes:
            self.coach.change_settings(default_minutes=minutes)

    @on(Select.Changed, "#theme")
    def _theme(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.coach.settings.theme:
            self.coach.change_settings(theme=event.value)

    def action_back(self) -> None:
        self.dismiss(None)
