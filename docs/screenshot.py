"""Regenerate docs/player.svg: the app's own SVG screenshot of the player, breathing in.

    .venv/bin/python docs/screenshot.py

It runs the app headless on the built-in neck-and-shoulders routine with a fake clock and
an empty data folder, so the picture is the same every time.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from coach.library import Library  # noqa: E402
from coach.start import StartRequest  # noqa: E402
from coach.tui.app import CoachApp  # noqa: E402
from coach.tui.services import Services  # noqa: E402


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Silent:
    """A sound player that plays nothing (the screenshot needs no sound device)."""

    muted = False
    volume = 70

    def play(self, cue: str) -> None:
        pass

    def prepare(self) -> None:
        pass

    def take_notice(self) -> None:
        return None

    def drain(self, timeout: float | None = None) -> None:
        pass


async def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="coach-shot-"))
    # No lead-in: the picture is of breathing, not of the 3-2-1 count.
    (root / "settings.json").write_text('{"first_run_seen": true, "lead_in": false}')
    clock = Clock()
    start = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    library = Library.default()
    services = Services(
        clock=clock,
        today=lambda: date(2026, 11, 26),
        wall_now=lambda: start + timedelta(seconds=clock.now - 100),
        library=lambda: library,
        settings_path=root / "settings.json",
        history_path=root / "history.jsonl",
        journal_path=root / "journal.json",
        plans_dir=root / "plans",
        make_player=lambda bell: Silent(),
    )
    info = library.find("neck-and-shoulders")
    app = CoachApp(services, start=StartRequest(info, pre=7, exit_after=True))
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(200):
            if type(app.screen).__name__ == "CautionsScreen":
                await pilot.press("enter")
            if type(app.screen).__name__ == "PlayerScreen":
                break
            await pilot.pause(0.05)
        screen = app.screen
        routine = screen.practice.routine
        # Skip to the first breathing step, then 1.4 s into its second breath (breathing in).
        while screen.practice.snapshot(clock()).step_type != "breathing":
            await pilot.press("s")
        step = routine.steps[screen.practice.snapshot(clock()).step_number - 1]
        cycle = sum(seconds for _, seconds in step.phases)
        # In steps the engine expects: a jump of more than 2 s counts as time away (a pause).
        target = clock.now + cycle + 1.4
        while clock.now < target:
            clock.now = min(target, clock.now + 0.5)
            screen.redraw()
            await pilot.pause(0.01)
        await pilot.pause(0.2)
        app.save_screenshot(filename="player.svg", path=str(HERE))
        screen.practice.record(clock())  # leave no journal behind
    shutil.rmtree(root, ignore_errors=True)
    print(HERE / "player.svg")


if __name__ == "__main__":
    asyncio.run(main())
