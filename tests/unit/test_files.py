"""coach.files: opening Coach's own files safely, atomic private writes, `-o` output files,
and the removal of temporary files that dead processes left. No subprocess."""

from __future__ import annotations

import errno
import os
import signal
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach import files
from coach.errors import CoachError, UsageError
from coach.files import (
    UnsafePathError,
    ensure_private_dir,
    open_own,
    read_own_bytes,
    remove_stale_temporaries,
    write_output,
    write_private_atomic,
)
from tests.helpers.processes import DEAD_PID, dead_pid

ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="chown to another user needs root")




@pytest.fixture
def no_hang() -> Iterator[None]:
    """Fail (instead of hanging the run) if the test blocks for 5 s, as an open of a FIFO would."""

    def fail(*_: object) -> None:
        raise TimeoutError("blocked: a FIFO was opened without O_NONBLOCK")

    old = signal.signal(signal.SIGALRM, fail)
    signal.alarm(5)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# --- opening own files ---------------------------------------------------------------------


def test_a_fifo_is_refused_at_once_for_reading_and_writing(tmp_path: Path, no_hang: None) -> None:
    fifo = tmp_path / "history.jsonl"
    os.mkfifo(fifo)
    for flags in (os.O_RDONLY, os.O_RDWR | os.O_APPEND | os.O_CREAT, os.O_WRONLY):
        with pytest.raises(UnsafePathError) as caught:
            os.close(open_own(fifo, flags))
        assert str(caught.value) == (
            f"{fifo}: is a FIFO (named pipe), not a regular file; Coach uses regular files only"
        )
    with pytest.raises(UnsafePathError):
        read_own_bytes(fifo)


def test_a_symbolic_link_is_not_followed_and_its_target_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("someone's file\n")
    target.chmod(0o644)
    link = tmp_path / "history.jsonl"
    link.symlink_to(target)
    for flags in (os.O_RDONLY, os.O_RDWR | os.O_APPEND | os.O_CREAT):
        with pytest.raises(UnsafePathError, match="is a symbolic link; Coach does not follow links"):
            os.close(open_own(link, flags))
    dangling = tmp_path / "settings.json"
    dangling.symlink_to(tmp_path / "nowhere")
    with pytest.raises(UnsafePathError, match="is a symbolic link"):
        os.close(open_own(dangling, os.O_RDWR | os.O_CREAT))
    assert not (tmp_path / "nowhere").exists()
    assert stat.S_IMODE(target.stat().st_mode) == 0o644 and target.read_text() == "someone's file\n"


def test_a_folder_in_place_of_a_file_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "history.jsonl"
    folder.mkdir()
    for flags in (os.O_RDONLY, os.O_RDWR | os.O_CREAT):
        with pytest.raises(UnsafePathError) as caught:
            os.close(open_own(folder, flags))
        expected = f"{folder}: is a folder, not a regular file; Coach uses regular files only"
        assert str(caught.value) == expected


@ROOT_ONLY
def test_another_users_file_is_read_but_never_written(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    path.write_text("line\n")
    os.chown(path, 65534, 65534)
    path.chmod(0o666)
    assert read_own_bytes(path) == b"line\n"
    with pytest.raises(UnsafePathError) as caught:
        os.close(open_own(path, os.O_RDWR | os.O_APPEND))
    assert str(caught.value) == f"{path}: is owned by another user (uid 65534); Coach will not write to it"
    assert stat.S_IMODE(path.stat().st_mode) == 0o666  # not touched either


def test_a_written_file_is_made_0600_whatever_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    path.write_text("")
    path.chmod(0o644)
    os.close(open_own(path, os.O_RDWR | os.O_APPEND))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    fd = open_own(tmp_path / "new.jsonl", os.O_RDWR | os.O_CREAT)
    try:
        assert fcntl_flags(fd) & os.O_NONBLOCK == 0  # blocking again once known regular
    finally:
        os.close(fd)
    assert stat.S_IMODE((tmp_path / "new.jsonl").stat().st_mode) == 0o600


def fcntl_flags(fd: int) -> int:
    import fcntl

    return fcntl.fcntl(fd, fcntl.F_GETFL)


def test_read_own_bytes_reads_at_most_limit_plus_one(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(b"x" * 1000)
    assert read_own_bytes(path, 10) == b"x" * 11
    assert read_own_bytes(path) == b"x" * 1000
    with pytest.raises(FileNotFoundError):
        read_own_bytes(tmp_path / "missing.json")


def test_a_missing_file_under_a_missing_folder_is_just_missing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_own_bytes(tmp_path / "not-yet" / "history.jsonl")


# --- the data folder -------------------------------------------------------------------------


def test_data_folder_that_is_a_file_or_a_dangling_link_is_named(tmp_path: Path) -> None:
    a_file = tmp_path / "home"
    a_file.write_text("")
    with pytest.raises(UnsafePathError) as caught:
        ensure_private_dir(a_file)
    assert str(caught.value) == f"{a_file}: is a file, not a folder; Coach needs a folder there"
    with pytest.raises(UnsafePathError) as caught:
        ensure_private_dir(a_file / "plans")
    assert str(caught.value) == f"{a_file}: is a file, not a folder; Coach needs a folder there"
    with pytest.raises(UnsafePathError) as caught:
        read_own_bytes(a_file / "history.jsonl")
    assert str(caught.value) == f"{a_file}: is a file, not a folder; Coach needs a folder there"
    link = tmp_path / "link-home"
    link.symlink_to(tmp_path / "gone")
    with pytest.raises(UnsafePathError) as caught:
        ensure_private_dir(link)
    assert str(caught.value) == (
        f"{link}: is a symbolic link to {tmp_path / 'gone'}, which does not exist; Coach needs a folder there"
    )
    assert not (tmp_path / "gone").exists()


def test_data_folder_is_made_0700_and_a_link_to_a_folder_is_used_as_it_is(tmp_path: Path) -> None:
    made = ensure_private_dir(tmp_path / "a" / "b")
    assert stat.S_IMODE(made.stat().st_mode) == 0o700
    real = tmp_path / "real"
    real.mkdir(mode=0o755)
    real.chmod(0o755)
    link = tmp_path / "home"
    link.symlink_to(real)
    ensure_private_dir(link)  # the data folder a person gave as a link: used, mode left alone
    assert stat.S_IMODE(real.stat().st_mode) == 0o755
    write_private_atomic(link / "settings.json", b"{}")
    assert (real / "settings.json").read_bytes() == b"{}"
    assert stat.S_IMODE(real.stat().st_mode) == 0o755


@pytest.mark.parametrize("own", ["cache", "plans", "plans/deeper"])
def test_a_link_in_place_of_an_own_folder_is_never_written_through(tmp_path: Path, own: str) -> None:
    home = tmp_path / "home"
    home.mkdir()
    target = tmp_path / "elsewhere"
    target.mkdir()
    target.chmod(0o755)
    top = own.split("/")[0]
    (home / top).symlink_to(target)
    folder = home / own
    with pytest.raises(UnsafePathError) as caught:
        ensure_private_dir(folder, root=home)
    assert str(caught.value) == (
        f"{home / top}: is a symbolic link; Coach does not write through links in its own "
        "folders (move the link away; Coach makes the folder)"
    )
    with pytest.raises(UnsafePathError):
        write_private_atomic(folder / "x.json", b"{}", root=home)
    assert stat.S_IMODE(target.stat().st_mode) == 0o755
    assert list(target.iterdir()) == []
    # Without a root below which folders are Coach's own, the folder itself is the root.
    ensure_private_dir(home / top)
    assert stat.S_IMODE(target.stat().st_mode) == 0o755


def test_real_own_folders_below_the_root_are_made_and_kept_0700(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "plans").mkdir(parents=True)
    (home / "plans").chmod(0o755)
    write_private_atomic(home / "plans" / "p.json", b"{}", root=home)
    write_private_atomic(home / "cache" / "c.json", b"{}", root=home)
    assert stat.S_IMODE((home / "plans").stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "cache").stat().st_mode) == 0o700


# --- atomic private writes and stale temporaries ---------------------------------------------


def test_write_private_atomic_is_0600_and_leaves_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "data" / "settings.json"
    write_private_atomic(path, b"one")
    path.chmod(0o644)
    write_private_atomic(path, b"two")
    assert path.read_bytes() == b"two" and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]


def test_write_private_atomic_refuses_a_link_and_leaves_its_target(tmp_path: Path) -> None:
    target = tmp_path / "dotfiles-settings.json"
    target.write_text("{}")
    target.chmod(0o644)
    path = tmp_path / "settings.json"
    path.symlink_to(target)
    with pytest.raises(UnsafePathError, match="is a symbolic link"):
        write_private_atomic(path, b"new")
    assert path.is_symlink() and target.read_text() == "{}"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dotfiles-settings.json", "settings.json"]


def test_a_failed_atomic_write_keeps_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "settings.json"
    write_private_atomic(path, b"old")
    real_write = os.write

    def half_then_full(fd: int, data: bytes) -> int:
        if len(data) > 4:
            return real_write(fd, bytes(data[:4]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "write", half_then_full)
    with pytest.raises(OSError) as caught:
        write_private_atomic(path, b"a much longer new text")
    assert caught.value.errno == errno.ENOSPC
    assert path.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_stale_temporaries_of_dead_processes_go_and_live_ones_stay(tmp_path: Path) -> None:
    dead, live = dead_pid(), os.getppid()
    names = {
        f".settings-{dead}.tmp": False,  # Coach 0.x's shape, with a dead pid: removed
        f".settings.json.{dead}.tmp": False,
        f".settings.json.{10**20}.tmp": False,  # no pid is that large: nobody is writing it
        f".settings-{live}.tmp": True,  # a live writer: kept
        f".session.journal.json.{live}.tmp": True,
        "notes.tmp": True,  # not a temporary of Coach's shape
        ".settings-abc.tmp": True,  # no pid and not mkstemp's shape
    }
    for name in names:
        (tmp_path / name).write_text("partial")
    old_legacy = tmp_path / ".settings-k2j_x9zq.tmp"  # mkstemp, no pid, an hour old
    old_legacy.write_text("partial")
    os.utime(old_legacy, (time.time() - 7200, time.time() - 7200))
    young_legacy = tmp_path / ".settings-a1b2c3d4.tmp"
    young_legacy.write_text("partial")
    removed = remove_stale_temporaries(tmp_path)
    assert sorted(removed) == sorted(
        [f".settings-{dead}.tmp", f".settings.json.{dead}.tmp", f".settings.json.{10**20}.tmp",
         old_legacy.name]
    )
    for name, kept in names.items():
        assert (tmp_path / name).exists() is kept, name
    assert young_legacy.exists() and not old_legacy.exists()


def test_the_next_write_in_a_folder_removes_stale_temporaries(tmp_path: Path) -> None:
    dead = dead_pid()
    stale = tmp_path / f".plan-a.json.{dead}.tmp"
    stale.write_text("{")
    live = tmp_path / f".plan-b.json.{os.getppid()}.tmp"
    live.write_text("{")
    write_private_atomic(tmp_path / "plan-c.json", b"{}")
    assert not stale.exists() and live.exists()


# --- -o output files -------------------------------------------------------------------------


def test_output_refuses_an_existing_file_without_force(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    out.write_text("earlier report")
    with pytest.raises(UsageError) as caught:
        write_output(out, b"new", force=False)
    assert str(caught.value) == f"{out}: already exists; add --force to replace it"
    assert out.read_text() == "earlier report" and [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_output_with_force_is_0600_over_a_0644_file(tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    out.write_text("earlier")
    out.chmod(0o644)
    write_output(out, b"# new\n", force=True)
    assert out.read_bytes() == b"# new\n" and stat.S_IMODE(out.stat().st_mode) == 0o600
    fresh = tmp_path / "fresh.md"
    write_output(fresh, b"x", force=False)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh.md", "report.md"]


def test_output_over_a_link_replaces_the_link_not_its_target(tmp_path: Path) -> None:
    target = tmp_path / "target.md"
    target.write_text("keep")
    link = tmp_path / "report.md"
    link.symlink_to(target)
    with pytest.raises(UsageError, match="already exists"):
        write_output(link, b"new", force=False)
    write_output(link, b"new", force=True)
    assert not link.is_symlink() and link.read_bytes() == b"new" and target.read_text() == "keep"


def test_output_refuses_folders_devices_and_missing_folders(tmp_path: Path, no_hang: None) -> None:
    with pytest.raises(UsageError, match="is a folder; give a file name"):
        write_output(tmp_path, b"x", force=True)
    with pytest.raises(UsageError, match="is a character device; -o writes a regular file"):
        write_output(Path("/dev/null"), b"x", force=True)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(UsageError, match="is a FIFO"):
        write_output(fifo, b"x", force=True)
    with pytest.raises(UsageError, match="no such folder"):
        write_output(tmp_path / "no" / "report.md", b"x")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_failed_output_write_keeps_the_old_file_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report.html"
    out.write_text("<p>earlier whole report</p>")
    real_write = os.write

    def half_then_full(fd: int, data: bytes) -> int:
        if len(data) > 10:
            return real_write(fd, bytes(data[:10]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "write", half_then_full)
    with pytest.raises(CoachError) as caught:
        write_output(out, b"<html>" + b"x" * 5000, force=True)
    assert caught.value.exit_code == 1
    assert str(caught.value) == (
        f"{out}: cannot write (No space left on device); the existing file is unchanged"
    )
    assert out.read_text() == "<p>earlier whole report</p>"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_every_folder_made_for_a_file_is_0700(tmp_path: Path) -> None:
    existing = tmp_path / "existing"
    existing.mkdir()
    existing.chmod(0o755)
    old = os.umask(0o022)
    try:
        write_private_atomic(existing / "home" / "plans" / "p.json", b"{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE((existing / "home").stat().st_mode) == 0o700
    assert stat.S_IMODE((existing / "home" / "plans").stat().st_mode) == 0o700
    assert stat.S_IMODE(existing.stat().st_mode) == 0o755  # a folder Coach did not make is left alone


# --- a person's folder is theirs: -o cleans nothing there -------------------------------------

# Files a person may keep beside a report, each of a shape Coach's temporaries once had:
# the 0.x mkstemp shape (`.STEM-XXXXXXXX.tmp`), `.STEM-PID.tmp` and `.NAME.PID.tmp` with a
# pid no process has, and one with this very process's pid.
LOOKALIKES = (
    ".report-draft_v2.tmp", ".report-4000000.tmp", ".report.md.99999.tmp",
    f".report.md.{DEAD_PID}.tmp", f".report.md.{os.getpid()}.tmp", ".report-k2j_x9zq.tmp",
)  # fmt: skip


def _lookalikes(folder: Path) -> dict[str, bytes]:
    kept = {}
    for name in LOOKALIKES:
        (folder / name).write_bytes(f"the person's own {name}".encode())
        os.utime(folder / name, (time.time() - 7200, time.time() - 7200))  # "an hour old"
        kept[name] = (folder / name).read_bytes()
    return kept


def test_output_leaves_a_persons_lookalike_temporaries_alone(tmp_path: Path) -> None:
    kept = _lookalikes(tmp_path)
    write_output(tmp_path / "report.md", b"# report")
    write_output(tmp_path / "report.md", b"# report 2", force=True)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name != "report.md"} == kept
    assert (tmp_path / "report.md").read_bytes() == b"# report 2"


def test_a_failed_output_removes_only_its_own_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = _lookalikes(tmp_path)

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "write", full)
    with pytest.raises(CoachError, match="No space left on device"):
        write_output(tmp_path / "report.md", b"# report")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == kept
