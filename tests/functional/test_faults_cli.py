"""Faults through the installed `coach`, as an unlucky user meets them: a full disk (a
64 KiB tmpfs), odd data folders (a file, a dangling link, a FIFO, a folder or a link in
place of the history, another user's history), `-o` files, and temporary files that
killed processes left. No traceback, no hang, one-line errors, nothing lost."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.history import HistoryStore
from coach.records import new_record
from tests.helpers.command import coach_command
from tests.helpers.plans import EXAMPLE

PLAN_ID = "sam-neck-2026-12"
TINY = {  # one quick breath: 1 s
    "format": 1, "id": "tiny", "title": "Tiny routine",
    "steps": [{"type": "breathing", "title": "One quick breath", "cycles": 1,
               "pattern": {"phases": [{"breath": "inhale", "seconds": 0.5},
                                      {"breath": "exhale", "seconds": 0.5}]}}],
}  # fmt: skip


def coach(home: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The installed command with COACH_HOME=home; a hang fails the test (TimeoutExpired)."""
    return subprocess.run(
        [*coach_command(), *args], capture_output=True, text=True, stdin=subprocess.DEVNULL,
        env={**os.environ, "COACH_HOME": str(home)}, timeout=timeout,
    )  # fmt: skip


def assert_clean_failure(result: subprocess.CompletedProcess[str], *codes: int) -> list[str]:
    """No traceback; the exit code is one of `codes`; every line on stderr is Coach's own
    sentence. Returns the stderr lines."""
    assert "Traceback" not in result.stderr and "Error:" not in result.stderr, result.stderr
    assert result.returncode in codes, (result.returncode, result.stderr)
    lines = result.stderr.splitlines()
    assert all(line.startswith("coach: ") or line.startswith("/") for line in lines), lines
    return lines


INDEX_NOTE = "the history index cannot be used"


def without_index_note(lines: list[str]) -> list[str]:
    """Stderr lines but the index's one-line note: on a full disk the index cannot take the
    new lines and a reader falls back to the file, saying so (DESIGN, The index)."""
    return [line for line in lines if INDEX_NOTE not in line]


def record(n: int, note: str = "") -> str:
    return new_record(
        routine="neck-and-shoulders", routine_title="Neck", routine_hash="sha256:" + "0" * 64,
        started_at="2026-11-26T09:00:00+01:00", ended_at="2026-11-26T09:05:00+01:00",
        planned_seconds=300, active_seconds=300.0, completed=True, steps_done=6,
        steps_total=6, pre=7, post=3, id=f"imported-{n}", note=note,
    ).to_line()  # fmt: skip


def assert_every_line_reads_back(history: Path, count: int) -> None:
    raw = history.read_bytes()
    assert raw == b"" or raw.endswith(b"\n"), "a torn last line"
    assert all(json.loads(line) for line in raw.splitlines())
    result = HistoryStore(history).read()
    assert result.problems == [] and len(result.records) == count


# --- a full disk ----------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Path]:
    """A 1 MiB tmpfs, unmounted afterwards whatever happens. Large enough for what the
    setup writes (the plan, the history, its index with its WAL and 32 KiB -shm, the
    routines cache); each test then fills it with `fill`."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", str(mount_point)],
        capture_output=True, text=True,
    )  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    request.addfinalizer(lambda: subprocess.run(["umount", "-l", str(mount_point)], check=False))
    yield mount_point


def fill(folder: Path) -> None:
    """Take every free byte of the file system that holds `folder` (`folder/filler` grows)."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        for size in (4096, 1):
            try:
                while True:
                    os.write(fd, b"x" * size)
            except OSError:
                pass
    finally:
        os.close(fd)


def seed_history(path: Path, count: int) -> None:
    """`count` records whose file ends exactly on a 4 KiB page, so the tmpfs has no slack
    left in the history's last page once it is full (an append must then fail)."""
    lines = [record(n) for n in range(count)]
    size = sum(len(line.encode()) for line in lines)
    pad = -size % 4096
    lines[-1] = record(count - 1, note="n" * pad)
    path.write_text("".join(lines))
    path.chmod(0o600)
    assert path.stat().st_size % 4096 == 0


def test_a_full_disk_gives_one_line_errors_and_loses_nothing(small_disk: Path, tmp_path: Path) -> None:
    home = small_disk / "home"
    assert coach(home, "plan", "import", str(EXAMPLE)).returncode == 0
    report = small_disk / "report.html"
    first = coach(home, "plan", "report", PLAN_ID, "-o", str(report))
    assert first.returncode == 0, first.stderr
    earlier = report.read_bytes()
    seed_history(home / "history.jsonl", 10)
    routine = tmp_path / "tiny.json"
    routine.write_text(json.dumps(TINY))
    backup = tmp_path / "backup.jsonl"
    backup.write_text("".join(record(n) for n in range(100, 300)))  # 200 records, ~90 KB
    fill(small_disk)
    with open(small_disk / "filler", "r+b") as filler:  # free 8 KiB: the import writes part of it
        filler.truncate(filler.seek(0, os.SEEK_END) - 8192)

    imported = coach(home, "history", "import", str(backup))
    (line,) = assert_clean_failure(imported, 1)
    assert line == (
        f"coach: {home / 'history.jsonl'}: none of the 200 new sessions was imported "
        "(No space left on device); the history is as it was"
    )
    assert_every_line_reads_back(home / "history.jsonl", 10)  # cut back: no torn line
    fill(small_disk)  # now not a byte is left

    ran = coach(home, "run", str(routine), "--plain", "--pre", "5", "--post", "3", "--mute")
    lines = assert_clean_failure(ran, 1)
    assert lines and "No space left on device" in lines[-1]
    assert_every_line_reads_back(home / "history.jsonl", 10)

    again = coach(home, "plan", "report", PLAN_ID, "-o", str(report), "--force")
    (line,) = without_index_note(assert_clean_failure(again, 1))
    assert line == f"coach: {report}: cannot write (No space left on device); the existing file is unchanged"
    assert report.read_bytes() == earlier
    fresh = coach(home, "plan", "report", PLAN_ID, "-o", str(small_disk / "new.html"))
    assert_clean_failure(fresh, 1)
    assert not (small_disk / "new.html").exists()
    leftovers = [p.name for p in [*small_disk.iterdir(), *home.iterdir()] if p.name.endswith(".tmp")]
    assert leftovers == []

    shown = coach(home, "history", "--json")  # the history still reads, all of it
    assert shown.returncode == 0 and len(json.loads(shown.stdout)) == 10
    # The index, which cannot grow on a full disk, falls back: at most its one-line note.
    assert without_index_note(shown.stderr.splitlines()) == [] and len(shown.stderr.splitlines()) <= 1


# --- odd data folders -----------------------------------------------------------------------


def one_record_file(tmp_path: Path) -> Path:
    path = tmp_path / "one.jsonl"
    path.write_text(record(1))
    return path


COMMANDS = (("history",), ("stats",), ("history", "--csv"), ("history", "import", "ONE"),
            ("history", "clear", "--yes"), ("plan", "list"), ("due",))  # fmt: skip


def run_all(home: Path, tmp_path: Path) -> dict[str, subprocess.CompletedProcess[str]]:
    one = str(one_record_file(tmp_path))
    results = {}
    for args in COMMANDS:
        argv = [one if a == "ONE" else a for a in args]
        results[" ".join(args)] = coach(home, *argv, timeout=60)
    return results


@pytest.mark.parametrize("kind", ["file", "dangling-link"])
def test_a_data_folder_that_is_not_a_folder_is_named_in_one_line(tmp_path: Path, kind: str) -> None:
    home = tmp_path / "home"
    if kind == "file":
        home.write_text("not a folder\n")
        message = f"coach: {home}: is a file, not a folder; Coach needs a folder there"
    else:
        home.symlink_to(tmp_path / "gone")
        message = (
            f"coach: {home}: is a symbolic link to {tmp_path / 'gone'}, which does not exist; "
            "Coach needs a folder there"
        )
    for name, result in run_all(home, tmp_path).items():
        lines = assert_clean_failure(result, 0, 1, 2)
        if name in ("history", "stats", "history --csv", "history import ONE", "history clear --yes"):
            assert result.returncode in (1, 2) and lines == [message], (name, lines)
    if kind == "file":
        assert home.read_text() == "not a folder\n"
    else:
        assert not (tmp_path / "gone").exists()


@pytest.mark.parametrize("kind", ["fifo", "folder", "link"])
def test_a_history_that_is_not_a_regular_file_is_named_and_never_hangs(tmp_path: Path, kind: str) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    history = home / "history.jsonl"
    target = tmp_path / "elsewhere.jsonl"
    target.write_text(record(0))
    target.chmod(0o644)
    if kind == "fifo":
        os.mkfifo(history)
        what = "is a FIFO (named pipe), not a regular file; Coach uses regular files only"
    elif kind == "folder":
        history.mkdir()
        what = "is a folder, not a regular file; Coach uses regular files only"
    else:
        history.symlink_to(target)
        what = (
            "is a symbolic link; Coach does not follow links in place of its own files "
            "(move the link away or replace it with the file)"
        )
    for name, result in run_all(home, tmp_path).items():  # each within 20 s, or TimeoutExpired
        if name in ("plan list", "due"):  # no plan imported: the history is not read
            assert_clean_failure(result, 0)
            continue
        lines = assert_clean_failure(result, 1, 2)
        assert lines == [f"coach: {history}: {what}"], (name, lines)
    assert target.read_text() == record(0) and stat.S_IMODE(target.stat().st_mode) == 0o644
    kept = {"fifo": stat.S_ISFIFO, "folder": stat.S_ISDIR, "link": stat.S_ISLNK}[kind]
    assert kept(history.lstat().st_mode)  # left as it was


@pytest.mark.skipif(os.geteuid() != 0, reason="chown to another user needs root")
def test_another_users_history_is_read_and_never_written(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    history = home / "history.jsonl"
    history.write_text(record(0))
    os.chown(history, 65534, 65534)
    history.chmod(0o666)
    before = history.read_bytes()
    message = f"coach: {history}: is owned by another user (uid 65534); Coach will not write to it"
    for name, result in run_all(home, tmp_path).items():
        lines = assert_clean_failure(result, 0, 1)
        if name in ("history import ONE", "history clear --yes"):
            assert result.returncode == 1 and lines == [message], (name, lines)
        else:
            assert result.returncode == 0, (name, lines)
    assert coach(home, "history", "--json").stdout.count('"imported-0"') == 1
    assert history.read_bytes() == before
    assert history.stat().st_uid == 65534 and stat.S_IMODE(history.stat().st_mode) == 0o666


# --- -o FILE ----------------------------------------------------------------------------------


def test_output_refuses_an_existing_file_and_force_makes_it_0600(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert coach(home, "plan", "import", str(EXAMPLE)).returncode == 0
    out = tmp_path / "report.md"
    out.write_text("the therapist's earlier copy\n")
    out.chmod(0o644)
    refused = coach(home, "plan", "report", PLAN_ID, "-o", str(out))
    assert refused.returncode == 2
    assert refused.stderr == f"coach: {out}: already exists; add --force to replace it\n"
    assert out.read_text() == "the therapist's earlier copy\n" and stat.S_IMODE(out.stat().st_mode) == 0o644
    forced = coach(home, "plan", "report", PLAN_ID, "-o", str(out), "--force")
    assert forced.returncode == 0 and forced.stdout == f"Wrote {out} (md).\n"
    assert out.read_text().startswith(f"# Home plan report: {PLAN_ID}\n")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "report.md"]


def test_output_format_follows_the_extension_unless_format_says_otherwise(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert coach(home, "plan", "import", str(EXAMPLE)).returncode == 0
    starts = {"html": "<!DOCTYPE html>", "csv": "section,field,value", "md": "# Home plan report"}
    for name, fmt in (("r.html", "html"), ("R.HTM", "html"), ("r.csv", "csv"), ("r.md", "md")):
        made = coach(home, "plan", "report", PLAN_ID, "-o", str(tmp_path / name))
        assert made.returncode == 0 and made.stdout == f"Wrote {tmp_path / name} ({fmt}).\n", made.stderr
        assert (tmp_path / name).read_text().startswith(starts[fmt]), name
    unknown = coach(home, "plan", "report", PLAN_ID, "-o", str(tmp_path / "r.report"))  # no guess
    assert unknown.returncode == 2 and unknown.stderr.count("\n") == 1 and "'.report'" in unknown.stderr
    assert not (tmp_path / "r.report").exists()
    told = coach(home, "plan", "report", PLAN_ID, "--format", "csv", "-o", str(tmp_path / "x.html"))
    assert told.returncode == 0 and (tmp_path / "x.html").read_text().startswith(starts["csv"])


# --- stale temporary files ----------------------------------------------------------------------


def test_a_plan_import_removes_temporaries_killed_processes_left(tmp_path: Path) -> None:
    home = tmp_path / "home"
    plans = home / "plans"
    plans.mkdir(parents=True)
    child = subprocess.Popen(["true"])
    child.wait()
    dead = [plans / f".{PLAN_ID}-{child.pid}.tmp", plans / f".{PLAN_ID}.json.{child.pid}.tmp"]
    for path in dead:
        path.write_text("{")
    live = plans / f".other.json.{os.getpid()}.tmp"  # this test's own pid: alive
    live.write_text("{")
    assert coach(home, "plan", "import", str(EXAMPLE)).returncode == 0
    assert not any(path.exists() for path in dead) and live.exists()


def test_new_with_o_is_atomic_0600_and_needs_force_over_a_file(tmp_path: Path) -> None:
    home = tmp_path / "home"
    out = tmp_path / "mine.json"
    out.write_text("my own routine, not a starter\n")
    refused = coach(home, "new", "routine", "my-one", "-o", str(out))
    assert refused.returncode == 2
    assert refused.stderr == f"coach: {out}: already exists; add --force to replace it\n"
    assert out.read_text() == "my own routine, not a starter\n"
    made = coach(home, "new", "routine", "my-one", "-o", str(out), "--force")
    assert made.returncode == 0, made.stderr
    assert json.loads(out.read_text())["id"] == "my-one" and stat.S_IMODE(out.stat().st_mode) == 0o600
    assert coach(home, "validate", str(out)).returncode == 0
