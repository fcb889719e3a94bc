"""Every key of the app, declared once: one table per screen (and per widget that takes
keys), each row the key, the action, the footer's word and what the help says.

A screen's `BINDINGS` is `bindings(ITS_KEYS)`; the footer shows the rows whose `footer` is
true with their `word`; the help screen and `docs/keys.md` list `SECTIONS`, which name the
same rows again (by object, never by copying their text) in the order a person reads them.
Keys that Textual's own widgets handle (list movement, Tab, the command palette) have no
binding here; they are `Note`s, listed in the help only.

`python -m coach.tui.keys > docs/keys.md` writes the Markdown; a test keeps the two equal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from textual.binding import Binding


@dataclass(frozen=True)
class Key:
    """One action and the keys that do it.

    keys: Textual key names, comma-separated ("plus,equals_sign"). action: the Textual
    action ("toggle_pause", "app.help", "choose(3)"). word: the footer's word. help: what
    the help screen says ("" when another row says it). label: the key as the help names
    it ("+ or ="; default `keys`). footer: shown in the footer. key_display: the footer's
    name for the key ("+"). priority: checked before the focused widget's own keys.
    alternates: other (action, word) pairs on the same keys, for a footer word that follows
    the state (Pause / Resume); the screen's `check_action` enables exactly one of them."""

    keys: str
    action: str
    word: str
    help: str = ""
    label: str = ""
    footer: bool = True
    key_display: str | None = None
    priority: bool = False
    alternates: tuple[tuple[str, str], ...] = ()

    @property
    def shown_as(self) -> str:
        """The key as the help screen and docs/keys.md name it."""
        return self.label or self.keys

    def binding(self) -> Binding:
        return Binding(self.keys, self.action, self.word, show=self.footer,
                       key_display=self.key_display, priority=self.priority)  # fmt: skip


@dataclass(frozen=True)
class Note:
    """A key a Textual widget handles itself, described in the help (no binding here)."""

    label: str
    help: str

    @property
    def shown_as(self) -> str:
        return self.label


def bindings(keys: Iterable[Key]) -> list[Binding]:
    """A `BINDINGS` list from a table, in the table's order (the footer's order)."""
    out: list[Binding] = []
    for key in keys:
        main = key.binding()
        out.append(main)
        out += [replace(main, action=action, description=word) for action, word in key.alternates]
    return out


# --- keys most screens share --------------------------------------------------------------

HELP = Key("question_mark", "app.help", "Help", "this help", label="?")
BACK = Key("escape", "back", "Back", "back", label="Esc")
QUIT = Key("q", "app.ask_quit", "Quit", "quit (asks first)")
PALETTE = Note("Ctrl+P", "command palette: start, history, settings, theme, help, quit")

# --- the app (any screen) -------------------------------------------------------------------

QUIT_NOW = Key("ctrl+q", "quit", "Quit now", "quit at once (a session on screen is saved as stopped)",
               label="Ctrl+Q", footer=False, priority=True)  # fmt: skip
# Ctrl+Z suspends as in any terminal program (Textual binds nothing to it); a session comes
# back paused (the player pauses on suspend; the engine's time-away rule catches any other
# stop). Priority, so that it works over a dialog too: a modal screen hides the app's other
# bindings, and the `fg` and Enter typed next would otherwise answer the dialog.
SUSPEND = Key("ctrl+z", "suspend_process", "Suspend",
              "suspend to the shell (`fg` comes back; a session comes back paused)",
              label="Ctrl+Z", footer=False, priority=True)  # fmt: skip
# Ctrl+C asks, as `q` does: in a session, to end it (saved as stopped); elsewhere, to quit.
# Priority, so that a text field's own Ctrl+C (copy) does not swallow it.
INTERRUPT = Key("ctrl+c", "interrupt", "Quit", "end the session, or quit Coach (asks first, as q does)",
                label="Ctrl+C", footer=False, priority=True)  # fmt: skip
APP_KEYS = (
    replace(HELP, action="help", footer=False),  # for the screens that bind no `?` themselves
    QUIT_NOW,
    INTERRUPT,
    SUSPEND,
)

# --- home -----------------------------------------------------------------------------------

HOME_START = Key("enter", "start", "Start", "start the selected routine", label="Enter")
HOME_AGAIN = Key("r", "again", "Again", "the last routine again (at the length you chose then)")
HOME_LENGTH = Key("l", "length", "Length", "start the selected routine at another length (about 2-20 min)",
                  footer=False)
# Not in the footer: the search box says "Search  /" itself, and the footer keeps room for r and q.
HOME_SEARCH = Key("slash", "search", "Search", "search (Enter goes back to the list, Esc clears)", label="/",
                  footer=False)  # fmt: skip
HOME_INTAKE = Key("t", "intake", "Today", "what bothers you today: ←/→ move, Space or Enter picks",
                  footer=False)  # fmt: skip
HOME_HISTORY = Key("h", "history", "History", "history")
HOME_PLANS = Key("p", "plans", "Plans", "plans from your therapist")
HOME_SETTINGS = Key("s", "settings", "Settings", "settings")
HOME_KEYS = (
    HOME_START,
    HOME_AGAIN,
    HOME_LENGTH,
    HOME_SEARCH,
    HOME_INTAKE,
    HOME_HISTORY,
    HOME_PLANS,
    HOME_SETTINGS,
    HELP,
    QUIT,
    Key("escape", "clear_search", "Clear", footer=False),  # said in HOME_SEARCH's help
)
LIST_MOVE = Note("↑/↓", "choose a routine")
FILTERS = Note(
    "Tab", "to the filters: ←/→ area, kind, length; Enter lists the choices; ↑/↓ step; Backspace any"
)

# The home screen's widgets (their keys are described in HOME_INTAKE and FILTERS).
ROUTINE_LIST_KEYS = (Key("enter", "select", "Start"),)
CONCERN_PICKER_KEYS = (
    Key("left", "move(-1)", "Previous", footer=False),
    Key("right", "move(1)", "Next", footer=False),
    Key("space,enter", "toggle", "Toggle"),
    Key("backspace,delete", "clear", "Clear", footer=False),
)
FILTER_BAR_KEYS = (
    Key("left", "move(-1)", "Previous", footer=False),
    Key("right", "move(1)", "Next", footer=False),
    Key("up", "step(-1)", "Previous value", footer=False),
    Key("down", "step(1)", "Next value", footer=False),
    Key("enter,space", "choose", "Choose"),
    Key("backspace,delete", "clear", "Any", footer=False),
)

# --- notes: first run and cautions ----------------------------------------------------------

NOTICE_CONTINUE = Key("enter", "continue", "Continue", "I understand, continue", label="Enter")
NOTICE_KEYS = (NOTICE_CONTINUE, BACK, HELP)
CAUTIONS_KEYS = (replace(NOTICE_CONTINUE, word="I understand"), BACK, HELP)

# --- rating ---------------------------------------------------------------------------------

RATING_NUMBER = Key("0", "choose(0)", "0", "choose that number", label="0-9", footer=False)
RATING_TEN = Key("t", "choose(10)", "10", "choose 10", footer=False)
RATING_LESS = Key("left", "move(-1)", "Less", "less / more", label="←/→", footer=False)
RATING_CONFIRM = Key("enter", "confirm", "Confirm", "confirm", label="Enter")
RATING_SKIP = Key("s", "skip", "Skip", "skip the rating")
RATING_CAUTIONS = Key("c", "cautions", "Cautions", "the routine's cautions again (before a session)")
RATING_KEYS = (
    RATING_NUMBER,
    *(Key(str(n), f"choose({n})", str(n), footer=False) for n in range(1, 10)),  # RATING_NUMBER
    RATING_TEN,
    RATING_LESS,
    Key("right", "move(1)", "More", footer=False),  # said in RATING_LESS's help
    RATING_CONFIRM,
    RATING_SKIP,
    RATING_CAUTIONS,
    BACK,
    HELP,
)
NOTE_FIELD = Note("Tab", "the note (after the session)")

# --- the session (player) -------------------------------------------------------------------

PLAYER_KEYS = (
    # The footer shows only what can be done now, with the word for the state: Space is
    # Pause while running and Resume while paused; g shows only on a step with a gentler
    # version (Original once it is on); m is Mute or Unmute. The screen's check_action
    # enables exactly one binding of each pair. Nine keys fit in 80 columns.
    Key("space", "pause", "Pause", "pause / resume", label="Space", alternates=(("resume", "Resume"),)),
    Key("s", "skip", "Skip", "skip to the next step"),
    Key("b", "back", "Back", "back to the start of this step, or the one before"),
    Key(
        "plus,equals_sign",
        "extend",
        "30 s",
        "30 seconds more on this step",
        label="+ or =",
        key_display="+",
    ),
    Key("g", "gentler", "Gentler", "the gentler version of this step, where it has one (again: as written)",
        alternates=(("original", "Original"),)),
    Key("t", "too_much", "Too much", "too much: pause, then gentler, lighter, skip or end, and when to stop"),
    Key("m", "mute", "Mute", "sound on / off", alternates=(("unmute", "Unmute"),)),
    Key("q,escape", "ask_quit", "Quit", "end the session (asks; saved as stopped)", label="q"),
    # The player's own help action: the session pauses while the help is open.
    replace(HELP, action="help", help=""),
)

# The "too much" dialog: each choice only where it applies to the step (check_action).
TOO_MUCH_KEYS = (
    Key("g", "choose('gentler')", "Gentler", "the gentler version of this step"),
    Key("l", "choose('lighter')", "Lighter", "lighter pressure on this step"),
    Key("s", "choose('skip')", "Skip step", "skip this step"),
    Key("e", "choose('end')", "End", "end the session (saved as stopped)"),
    Key("r", "red_flags", "When to stop", "when to stop: this routine's red flags and the general ones"),
    Key("escape", "go_on", "Go on", "go on as before", label="Esc"),
)
# The dialog's scroll (focused on mount) takes these itself: Textual's VerticalScroll bindings.
TOO_MUCH_SCROLL = Note("↑/↓, PgUp/PgDn, Home/End", "scroll the dialog (the red flags, on a small terminal)")

# --- summary, history, settings -------------------------------------------------------------

SUMMARY_DONE = Key("enter,escape", "done", "Done", "done (summary)", label="Enter")
SUMMARY_KEYS = (SUMMARY_DONE, Key("h", "history", "History"), HELP, QUIT)
HISTORY_VIEW = Key("v", "next_view", "Next view",
                   "history: the next view (sessions, trend, what helped, calendar)")  # fmt: skip
HISTORY_VIEWS = tuple(
    Key(str(n), f"view('{name}')", word, footer=False)
    for n, (name, word) in enumerate(
        (("sessions", "Sessions"), ("trend", "Trend"), ("helped", "What helped"), ("calendar", "Calendar")), 1
    )
)
HISTORY_VIEW_NUMBER = Note("1-4", "history: sessions, trend, what helped, calendar")
HISTORY_KEYS = (BACK, HISTORY_VIEW, *HISTORY_VIEWS, HELP, QUIT)
# The History screen's table of sessions (coach.tui.widgets.session_table).
HISTORY_OPEN = Key("enter", "select_cursor", "Details", "history: the session's details, its whole note",
                   label="Enter")  # fmt: skip
HISTORY_PAGES = Note("PgUp/PgDn, Home/End",
                     "history: a screen of sessions up or down; the newest, the oldest")  # fmt: skip
HISTORY_TABLE_KEYS = (HISTORY_OPEN,)
SESSION_DETAIL_KEYS = (BACK, HELP, QUIT)
SETTINGS_KEYS = (BACK, HELP, replace(QUIT, footer=False))
VOLUME_CHANGE = Key("left,minus", "change(-1)", "Quieter", "volume (settings)", label="←/→", footer=False)
VOLUME_KEYS = (
    VOLUME_CHANGE,
    Key("right,plus,equals_sign", "change(1)", "Louder", footer=False),  # said in VOLUME_CHANGE's help
    Key("home", "set(0)", "Off", footer=False),
    Key("end", "set(100)", "Full", footer=False),
)

# --- dialogs --------------------------------------------------------------------------------

CONFIRM_KEYS = (Key("enter,y", "answer(True)", "Yes"), Key("escape,n", "answer(False)", "No"))
CHOICE_KEYS = (Key("escape", "cancel", "Cancel"),)
HELP_SCREEN_KEYS = (Key("escape,question_mark,q,enter", "close", "Close"),)

# --- what the help screen and docs/keys.md list, in reading order ---------------------------

SECTIONS: tuple[tuple[str, tuple[Key | Note, ...]], ...] = (
    ("Everywhere", (HELP, BACK, PALETTE, QUIT, INTERRUPT, QUIT_NOW, SUSPEND)),
    (
        "Home",
        (HOME_START, HOME_AGAIN, HOME_LENGTH, LIST_MOVE, HOME_INTAKE, HOME_SEARCH, FILTERS, HOME_HISTORY,
         HOME_PLANS, HOME_SETTINGS),
    ),
    ("Notes (first run, cautions)", (NOTICE_CONTINUE, BACK)),
    ("Rating", (RATING_NUMBER, RATING_TEN, RATING_LESS, RATING_CONFIRM, RATING_SKIP, RATING_CAUTIONS,
                NOTE_FIELD)),
    ("Session", tuple(key for key in PLAYER_KEYS if key.help)),
    ("Too much (t in a session)", (*TOO_MUCH_KEYS, TOO_MUCH_SCROLL)),
    ("Summary, history, settings", (SUMMARY_DONE, BACK, HISTORY_OPEN, HISTORY_PAGES, HISTORY_VIEW,
                                    HISTORY_VIEW_NUMBER, VOLUME_CHANGE)),
)

# The sections as (title, ((key as named, what it does), ...)): what the help screen shows.
KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = tuple(
    (title, tuple((row.shown_as, row.help) for row in rows)) for title, rows in SECTIONS
)


def markdown() -> str:
    """The sections as Markdown (docs/keys.md is this; a test keeps them equal)."""
    lines = [
        "# Keys of the app",
        "",
        "Every key of `coach` (the app) by screen; `?` shows the same list in the app, and the",
        "main actions are also in the command palette (Ctrl+P).",
    ]
    for section, keys in KEYS:
        lines += ["", f"## {section}", "", "| key | what it does |", "| --- | --- |"]
        lines += [f"| `{key}` | {what} |" for key, what in keys]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
