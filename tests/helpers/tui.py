"""Helpers for the app's Pilot and snapshot tests (no tests here): a fake clock, a fake
sound player, a fixed set of routines and a fixed history, all under a tmp folder.

Everything a screen shows comes from here, so snapshots do not change when the built-in
routines or today's date do.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from coach.library import Library
from coach.start import StartRequest
from coach.tui.app import CoachApp
from coach.tui.services import Services

ZONE = timezone(timedelta(hours=1))
TODAY = date(2026, 11, 26)
WALL_START = datetime(2026, 11, 26, 9, 12, 0, tzinfo=ZONE)
SIZE = (80, 24)
UNTIL_SECONDS = 60.0  # a generous bound: a condition that holds returns at once


class FakeClock:
    """Monotonic seconds that move only when a test says so."""

    def __init__(self, start: float = 1000.0) -> None:
        self.start = start
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FakePlayer:
    def __init__(self) -> None:
        self.played: list[str] = []
        self.muted = False
        self.volume = 70
        self.notice: str | None = None

    def play(self, cue: str) -> None:
        if not self.muted:
            self.played.append(cue)

    def prepare(self) -> None:
        pass

    def drain(self, timeout: float | None = None) -> None:
        pass

    def take_notice(self) -> str | None:
        notice, self.notice = self.notice, None
        return notice


def _routine(rid: str, title: str, steps: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"format": 1, "id": rid, "title": title, "steps": steps, **extra}


NECK = _routine(
    "neck-release",
    "Neck and shoulder release",
    [
        {"type": "massage", "title": "Knead the upper trapezius", "seconds": 30, "area": "shoulders",
         "side": "each", "pressure": "medium", "technique": "kneading",
         "instruction": "Hook the fingers of the opposite hand over the top of the shoulder and "
                        "squeeze the muscle slowly, as if kneading dough.",
         "gentler": "Use flat fingers and lighter circles instead."},
        {"type": "breathing", "title": "Slow breaths", "pattern": "coherent", "cycles": 2,
         "instruction": "Breathe in through the nose, out through the mouth."},
        {"type": "rest", "title": "Notice the difference", "seconds": 10},
    ],
    summary="A few minutes for the muscles that hold up your head at a screen.",
    areas=["neck", "shoulders", "breath"],
    tags=["desk"],
    cautions=["Never press on the front or sides of the neck.",
              "Stop if you feel tingling or numbness in the arm."],
)  # fmt: skip
BREATH = _routine(
    "slow-breaths",
    "Slow breaths",
    [
        {"type": "breathing", "title": "Box breathing", "pattern": "box", "cycles": 3,
         "instruction": "In, hold, out, hold: four counts each."},
        {"type": "rest", "title": "Breathe normally", "seconds": 10},
    ],
    summary="Box breathing for a calmer minute.",
    areas=["breath"],
)  # fmt: skip
FEET = _routine(
    "feet-ball",
    "Feet with a ball",
    [
        {"type": "massage", "title": "Roll the sole", "seconds": 60, "area": "feet", "side": "left",
         "pressure": "firm", "instruction": "Roll a tennis ball from heel to toes."},
        {"type": "stretch", "title": "Calf stretch", "seconds": 30, "area": "legs",
         "instruction": "Step back and press the heel down."},
    ],
    summary="Wake up tired feet.",
    areas=["feet", "legs"],
    equipment=["a tennis ball"],
)  # fmt: skip
MARKUP = _routine(
    "markup-literal",
    "[bold red]x[/]",
    [
        {"type": "massage", "title": "[i]Press[/i] here", "seconds": 20, "area": "jaw",
         "instruction": "Say [b]hello[/b] and $accent without markup.", "gentler": "[link=x]soft[/link]"},
        {"type": "rest", "title": "Rest [dim]now[/dim]", "seconds": 10},
    ],
    summary="Text with [brackets] shown as typed.",
    areas=["jaw"],
)  # fmt: skip
ROUTINES = (NECK, BREATH, FEET)


def write_routines(folder: Path, routines: tuple[dict[str, Any], ...] = ROUTINES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for routine in routines:
        (folder / f"{routine['id']}.json").write_text(json.dumps(routine, indent=1), encoding="utf-8")
    return folder


def history_line(day: int, routine: str, title: str, pre: int | None, post: int | None,
                 *, completed: bool = True, minutes: int = 3, note: str = "") -> str:  # fmt: skip
    started = datetime(2026, 11, day, 9, 0, tzinfo=ZONE)
    return json.dumps({
        "format": 1, "id": f"rec-{day}-{routine}", "routine": routine, "routine_title": title,
        "routine_hash": "sha256:0", "plan": None, "started_at": started.isoformat(),
        "ended_at": (started + timedelta(minutes=minutes)).isoformat(), "planned_seconds": minutes * 60,
        "active_seconds": float(minutes * 60), "completed": completed, "steps_done": 3,
        "steps_total": 3, "pre": pre, "post": post, "note": note, "pauses": 0, "skips": 0, "gentler": 0,
    }) + "\n"  # fmt: skip


HISTORY = "".join(
    [
        history_line(17, "neck-release", "Neck and shoulder release", 7, 4),
        history_line(19, "slow-breaths", "Slow breaths", 6, 5),
        history_line(20, "neck-release", "Neck and shoulder release", 8, 4, note="after a long call"),
        history_line(22, "feet-ball", "Feet with a ball", 5, 3),
        history_line(23, "slow-breaths", "Slow breaths", 7, None, completed=False),
        history_line(24, "neck-release", "Neck and shoulder release", 6, 3),
        history_line(25, "slow-breaths", "Slow breaths", 5, 2),
        history_line(26, "neck-release", "Neck and shoulder release", 7, 3),
    ]
)


class Env:
    """One app's world: its folder, clock, sound and services."""

    def __init__(
        self,
        root: Path,
        *,
        history: str | None = None,
        first_run_seen: bool = True,
        routines: tuple[dict[str, Any], ...] = ROUTINES,
        settings: dict[str, Any] | None = None,
    ) -> None:
        self.root = root
        self.clock = FakeClock()
        self.player = FakePlayer()
        self.builtin = write_routines(root / "builtin", routines)
        root.mkdir(parents=True, exist_ok=True)
        self.history_path = root / "history.jsonl"
        if history is not None:
            self.history_path.write_text(history, encoding="utf-8")
        self.settings_path = root / "settings.json"
        self.settings_path.write_text(
            # No lead-in unless a test asks for it: the tests count the session's seconds.
            json.dumps({"first_run_seen": first_run_seen, "lead_in": False, **(settings or {})}),
            encoding="utf-8",
        )
        self.services = Services(
            clock=self.clock,
            today=lambda: TODAY,
            wall_now=self.wall_now,
            zone=ZONE,  # times shown as at +01:00 whatever this machine's zone
            library=self.library,
            settings_path=self.settings_path,
            history_path=self.history_path,
            journal_path=root / "session.journal.json",
            plans_dir=root / "plans",
            usual_path=root / "usual.json",
            make_player=self._make_player,
        )

    def wall_now(self) -> datetime:
        return WALL_START + timedelta(seconds=self.clock() - self.clock.start)

    def library(self) -> Library:
        return Library(builtin_dir=self.builtin, user_dir=self.root / "user", plans_dir=None,
                       cache_path=self.root / "cache.json")  # fmt: skip

    def _make_player(self, bell: Callable[[], None]) -> FakePlayer:
        return self.player

    def app(self, *, start: str | None = None, pre: int | None = None, post: int | None = None,
            speed: float = 1.0, mute: bool = False) -> CoachApp:  # fmt: skip
        request = None
        if start is not None:
            request = StartRequest(
                self.library().find(start), pre=pre, post=post, speed=speed, exit_after=True
            )
        return CoachApp(self.services, start=request, mute=mute)

    def records(self) -> list[dict[str, Any]]:
        if not self.history_path.exists():
            return []
        return [json.loads(line) for line in self.history_path.read_text().splitlines() if line.strip()]


async def until(
    pilot: Pilot[Any], condition: Callable[[], bool], what: str = "", tries: int | None = None
) -> None:
    """Let the app run until `condition` holds (workers, screen changes).

    By default it waits up to UNTIL_SECONDS of wall-clock time, so a loaded CI machine
    does not fail a test that is merely slow; `tries` (20 ms pauses) is for a test that
    checks something happens *before* a timer would have done it."""
    deadline = time.monotonic() + UNTIL_SECONDS
    count = 0
    while True:
        if condition():
            return
        count += 1
        if (tries is not None and count >= tries) or (tries is None and time.monotonic() >= deadline):
            break
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what or condition}")


async def loaded(pilot: Pilot[Any]) -> None:
    app = pilot.app
    await until(pilot, lambda: app.catalog is not None and app.facts is not None, "the home data")
    await pilot.pause()


async def on_screen(pilot: Pilot[Any], name: str) -> None:
    await until(pilot, lambda: type(pilot.app.screen).__name__ == name, f"the {name}")
    await pilot.pause()


async def advance(pilot: Pilot[Any], env: Env, seconds: float) -> None:
    """Move the fake clock and redraw the player as its timer would: at least every second
    (a longer gap between two looks is time away, and pauses the session)."""
    screen = pilot.app.screen
    redraw = getattr(screen, "redraw", None)
    left = seconds
    while left > 0:
        step = min(1.0, left)
        env.clock.advance(step)
        left -= step
        if redraw is not None and pilot.app.screen is screen:
            redraw()
    await pilot.pause()


def text_of(app: CoachApp, selector: str) -> str:
    """The plain text a Static shows."""
    widget = app.screen.query_one(selector)
    return str(widget.render())


async def into_player(pilot: Pilot[Any], pre: str = "7") -> None:
    """From home with the first routine highlighted: Enter, acknowledge, rate, play."""
    await loaded(pilot)
    await pilot.press("enter")
    await until(pilot, lambda: type(pilot.app.screen).__name__ in ("CautionsScreen", "RatingScreen"))
    if type(pilot.app.screen).__name__ == "CautionsScreen":
        await pilot.press("enter")
    await on_screen(pilot, "RatingScreen")
    await pilot.press(pre, "enter")
    await on_screen(pilot, "PlayerScreen")


async def open_history(pilot: Pilot[Any]) -> Any:
    """From home, `h`: the History screen's session table once its first page and the
    figures above it are drawn."""
    await loaded(pilot)
    await pilot.press("h")
    await on_screen(pilot, "HistoryScreen")
    table = pilot.app.screen.query_one("#history-table")
    await until(pilot, lambda: table.row_count > 0 and table.total > 0 and table.target is None, "a page")
    await until(pilot, lambda: "session" in text_of(pilot.app, "#history-head"), "the figures")
    return table
