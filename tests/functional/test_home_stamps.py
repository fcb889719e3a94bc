"""coach.tui.stamps: the cheap looks home takes at the files other windows change. Each
kind of change a person makes gives a different stamp; nothing else does."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from coach.tui.stamps import file_stamp, folder_stamp, home_stamps


def test_an_append_a_replacement_and_a_removal_change_a_files_stamp(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    assert file_stamp(path) is None
    path.write_text("one\n")
    first = file_stamp(path)
    assert first is not None and first == file_stamp(path)  # nothing changed: the same
    with path.open("a") as file:
        file.write("two\n")
    appended = file_stamp(path)
    assert appended != first
    (tmp_path / "new").write_text("one\ntwo\n")
    os.replace(tmp_path / "new", path)  # a clear or an import: another inode
    assert file_stamp(path) != appended
    path.unlink()
    assert file_stamp(path) is None


def test_a_routine_added_edited_in_place_or_removed_changes_the_folders_stamp(tmp_path: Path) -> None:
    folder = tmp_path / "routines"
    assert folder_stamp(None) is None and folder_stamp(folder) is None
    folder.mkdir()
    empty = folder_stamp(folder)
    assert empty is not None and empty[1] == frozenset()
    (folder / "mine.json").write_text('{"title": "a"}')
    added = folder_stamp(folder)
    assert added != empty and {name for name, *_ in added[1]} == {"mine.json"}
    # Written in place (the folder itself need not change): the file's size and time do.
    own_before = added[0]
    with (folder / "mine.json").open("w") as file:
        file.write('{"title": "a longer title"}')
    edited = folder_stamp(folder)
    assert edited != added and edited[0] == own_before
    (folder / "notes.txt").write_text("not a routine")
    os.mkfifo(folder / "pipe.json")  # stat'ed, never opened: no blocking
    assert folder_stamp(folder) != edited
    (folder / "mine.json").unlink()
    assert "mine.json" not in {name for name, *_ in folder_stamp(folder)[1]}  # type: ignore[index]


def test_home_stamps_change_with_the_day(tmp_path: Path) -> None:
    history, usual = tmp_path / "history.jsonl", tmp_path / "usual.json"
    today = home_stamps(history, usual, None, date(2026, 11, 26))
    assert today == home_stamps(history, usual, None, date(2026, 11, 26))
    assert today != home_stamps(history, usual, None, date(2026, 11, 27))  # past midnight
