"""The settings file: defaults, round trip, atomic private writes, tolerance of bad files."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from coach import paths
from coach.settings import Settings, load_settings, read_settings, save_settings
from tests.helpers.processes import dead_pid


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "nope.json")
    assert settings == Settings()
    assert settings.sound is True and settings.first_run_seen is False
    assert 0 <= settings.volume <= 100


def test_round_trip_is_private_and_atomic(tmp_path: Path) -> None:
    path = tmp_path / "data" / "settings.json"
    wanted = Settings(sound=False, volume=35, reduced_motion=True, theme="nord", first_run_seen=True)
    save_settings(wanted, path)
    assert load_settings(path) == wanted
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]  # no temporary left


def test_settings_file_lives_in_coach_home(coach_home: Path) -> None:
    assert paths.settings_file() == coach_home / "settings.json"


@pytest.mark.parametrize(
    "content",
    [b"", b"{", b"[]", b"null", b"\xff\xfe", b"{" * 5000 + b"}" * 5000, b"x" * 200_000],
)
def test_broken_file_gives_defaults(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    assert load_settings(path) == Settings()


def test_a_bad_field_falls_back_alone(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"sound": "yes", "volume": 250, "reduced_motion": True,
                                "theme": 7, "first_run_seen": 1}))  # fmt: skip
    loaded = read_settings(path)
    settings = loaded.settings
    assert settings.sound is True  # "yes" is not a boolean: default
    assert settings.volume == Settings().volume  # 250 is out of range: default, not clamped
    assert settings.reduced_motion is True
    assert settings.theme == Settings().theme
    assert settings.first_run_seen is False  # 1 is not true
    # Each wrong value is named, and the file keeps the person's values: never written over.
    assert loaded.problem == (
        f'{path}: sound is "yes", not true or false; first_run_seen is 1, not true or false; '
        "volume is 250, not a number from 0 to 100; theme is 7, not a theme name"
    )
    assert not loaded.writable


@pytest.mark.parametrize("volume", [float("nan"), float("inf"), -5, "50", True])
def test_odd_volumes(tmp_path: Path, volume: object) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"volume": volume}))
    assert 0 <= load_settings(path).volume <= 100


def test_unknown_keys_survive_a_save(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"sound": False, "future_option": [1, 2]}))
    settings = load_settings(path).with_(volume=10)
    save_settings(settings, path)
    saved = json.loads(path.read_text())
    assert saved["future_option"] == [1, 2]
    assert saved["sound"] is False and saved["volume"] == 10


def test_a_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "settings.json"
    save_settings(Settings(volume=20), path)

    def boom(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("coach.files.os.replace", boom)
    with pytest.raises(OSError):
        save_settings(Settings(volume=90), path)
    assert load_settings(path).volume == 20
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_a_save_removes_temporaries_of_dead_processes_and_keeps_live_ones(tmp_path: Path) -> None:
    import os
    dead_owner = dead_pid()  # its process has ended: the file is stale
    dead = tmp_path / f".settings-{dead_owner}.tmp"  # what a SIGKILL mid-save left
    dead.write_text('{"volume": ')
    live = tmp_path / f".settings-{os.getppid()}.tmp"  # a process that may be writing now
    live.write_text('{"volume": ')
    save_settings(Settings(volume=30), tmp_path / "settings.json")
    assert not dead.exists() and live.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["settings.json", live.name])


def test_a_fifo_or_a_link_as_settings_gives_the_defaults_without_blocking(tmp_path: Path) -> None:
    import os
    import signal

    fifo = tmp_path / "settings.json"
    os.mkfifo(fifo)
    signal.alarm(5)  # a blocking open would hang here: fail instead
    try:
        assert load_settings(fifo) == Settings()
    finally:
        signal.alarm(0)
    with pytest.raises(OSError, match="not a regular file"):
        save_settings(Settings(volume=5), fifo)
    other = tmp_path / "other.json"
    other.write_text('{"volume": 3}')
    link = tmp_path / "link.json"
    link.symlink_to(other)
    assert load_settings(link) == Settings()  # not followed
    with pytest.raises(OSError, match="is a symbolic link"):
        save_settings(Settings(volume=5), link)
    assert other.read_text() == '{"volume": 3}'


def test_a_missing_file_is_no_problem_but_a_broken_one_is_named(tmp_path: Path) -> None:
    from coach.settings import read_settings

    assert read_settings(tmp_path / "settings.json").problem is None
    assert read_settings(tmp_path / "settings.json").writable
    path = tmp_path / "settings.json"
    path.write_text('{"sound": false, "volume": 20, "theme": "nord", "first_run_seen": true,}')
    loaded = read_settings(path)
    assert loaded.settings == Settings() and not loaded.writable
    assert loaded.problem is not None and loaded.problem.startswith(f"{path}:1:")
    assert "trailing comma" in loaded.problem


@pytest.mark.parametrize("shape", ["folder", "fifo", "dangling link", "bigint", "array"])
def test_a_settings_file_that_is_there_but_unusable_is_not_writable(tmp_path: Path, shape: str) -> None:
    import os

    from coach.settings import read_settings

    path = tmp_path / "settings.json"
    if shape == "folder":
        path.mkdir()
    elif shape == "fifo":
        os.mkfifo(path)
    elif shape == "dangling link":
        path.symlink_to(tmp_path / "gone.json")
    elif shape == "bigint":
        path.write_text('{"volume": ' + "9" * 5000 + "}")
    else:
        path.write_text("[]")
    loaded = read_settings(path)
    assert loaded.settings == Settings()
    assert loaded.problem is not None and str(path) in loaded.problem
    assert not loaded.writable


@pytest.mark.parametrize("level", ["off", "titles", "instructions", "breaths"])
def test_voice_levels_round_trip(tmp_path: Path, level: str) -> None:
    path = tmp_path / "settings.json"
    save_settings(Settings(voice=level), path)
    assert json.loads(path.read_text())["voice"] == level
    assert load_settings(path).voice == level


def test_voice_is_off_by_default_and_a_bad_voice_falls_back_alone(tmp_path: Path) -> None:
    assert Settings().voice == "off"
    path = tmp_path / "settings.json"
    for bad, shown in (("loud", '"loud"'), (["titles"], '["titles"]'), (True, "true")):
        path.write_text(json.dumps({"voice": bad, "volume": 40}))
        loaded = read_settings(path)
        assert loaded.settings.voice == "off" and loaded.settings.volume == 40
        assert loaded.problem == f"{path}: voice is {shown}, not one of off, titles, instructions, breaths"
