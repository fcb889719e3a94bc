"""The app's one sound player is built once, also when the sound-preparation thread and the
session ask for it at the same moment (issue 14: two players, two sound devices opened)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from tests.helpers.tui import Env, FakePlayer

# How long the first build waits for a second one to begin beside it (seconds). It only
# bounds how long the test looks for the fault: with the lock, no second build ever begins.
OVERLAP_SECONDS = 1.0
JOIN_SECONDS = 60.0


def test_two_threads_asking_at_once_get_the_same_player_built_once(tmp_path: Path) -> None:
    env = Env(tmp_path)
    builds: list[FakePlayer] = []
    second_build = threading.Event()

    def slow_make(bell: Any) -> FakePlayer:
        builds.append(player := FakePlayer())
        if len(builds) == 1:
            second_build.wait(OVERLAP_SECONDS)  # opening a sound device takes a while
        else:
            second_build.set()
        return player

    env.services.make_player = slow_make
    app = env.app()
    got: list[Any] = [None, None]
    start = threading.Barrier(2)

    def ask(slot: int) -> None:
        start.wait()
        got[slot] = app.sound_player()

    threads = [threading.Thread(target=ask, args=(slot,)) for slot in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_SECONDS)
    assert not any(thread.is_alive() for thread in threads)
    assert len(builds) == 1
    assert got[0] is got[1] is builds[0]
    assert app.sound_player() is builds[0]  # and later asks get it too
