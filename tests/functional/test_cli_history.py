"""`coach history` and `coach stats` as a person runs them: the installed command, in a
subprocess, with COACH_HOME in a temporary folder."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import shutil
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from coach.breaks import append_break
from coach.records import SessionRecord, new_record


def coach_command() -> list[str]:
    found = shutil.which("coach", path=str(Path(sys.executable).parent)) or shutil.which("coach")
    return [found] if found else [sys.executable, "-m", "coach"]


class Coach:
    def __init__(self, home: Path) -> None:
        self.home = home
        self.env = {**os.environ, "COACH_HOME": str(home), "NO_COLOR": "1"}

    @property
    def history(self) -> Path:
        return self.home / "history.jsonl"

    def __call__(
        self, *args: str, stdin: Any = subprocess.DEVNULL, **env: str
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*coach_command(), *args],
            stdin=stdin,
            capture_output=True,
            text=True,
            env={**self.env, **env},
            timeout=60,
        )


@pytest.fixture
def coach(tmp_path: Path) -> Coach:
    return Coach(tmp_path / "home")


def rec(i: int, day: str = "2026-11-20", **changes: Any) -> SessionRecord:
    values: dict[str, Any] = {
        "routine": "neck-and-shoulders",
        "routine_title": "Neck and shoulder release",
        "routine_hash": "sha256:" + "0" * 64,
        "started_at": f"{day}T09:{i:02d}:00+01:00",
        "ended_at": f"{day}T09:{i + 5:02d}:00+01:00",
        "planned_seconds": 300,
        "active_seconds": 296.5,
        "completed": True,
        "steps_done": 6,
        "steps_total": 6,
        "pre": 7,
        "post": 3,
        "id": f"id{i:04d}",
    }
    values.update(changes)
    return new_record(**values)


def write_jsonl(path: Path, records: list[SessionRecord]) -> Path:
    path.write_text("".join(r.to_line() for r in records))
    return path


def test_an_empty_history_says_so_and_creates_nothing(coach: Coach) -> None:
    shown = coach("history")
    assert shown.returncode == 0 and "No sessions yet" in shown.stdout and shown.stderr == ""
    assert json.loads(coach("history", "--json").stdout) == []
    assert coach("history", "--csv").stdout.startswith("format,id,routine,")
    assert coach("stats").returncode == 0
    assert not coach.history.exists()


def test_import_then_export_as_json_gives_the_records_as_stored(coach: Coach, tmp_path: Path) -> None:
    records = [rec(i, note="ünïcødé ✓" if i == 1 else "") for i in range(3)]
    source = write_jsonl(tmp_path / "backup.jsonl", records)
    done = coach("history", "import", str(source))
    assert done.returncode == 0, done.stderr
    assert "Added 3 sessions; skipped 0" in done.stdout
    assert json.loads(coach("history", "--json").stdout) == [r.to_json() for r in records]
    again = coach("history", "import", str(source))
    assert "Added 0 sessions; skipped 3" in again.stdout
    assert stat.S_IMODE(coach.home.stat().st_mode) == 0o700
    assert stat.S_IMODE(coach.history.stat().st_mode) == 0o600


def test_csv_export_imports_into_another_home_unchanged(coach: Coach, tmp_path: Path) -> None:
    records = [rec(0, note='a "quoted", multi\nline note'), rec(1, plan="sam-neck", pre=None, post=None)]
    coach("history", "import", str(write_jsonl(tmp_path / "in.jsonl", records)))
    exported = tmp_path / "export.csv"
    exported.write_bytes(coach("history", "--csv").stdout.encode())
    other = Coach(tmp_path / "other")
    done = other("history", "import", str(exported))
    assert done.returncode == 0, done.stderr
    assert other("history", "--json").stdout == coach("history", "--json").stdout


def test_since_and_routine_select_and_the_output_is_oldest_first(coach: Coach, tmp_path: Path) -> None:
    records = [
        rec(3, "2026-11-22", routine="box-breathing", routine_title="Box breathing"),
        rec(1, "2026-11-20"),
        rec(2, "2026-11-21"),
    ]
    coach("history", "import", str(write_jsonl(tmp_path / "in.jsonl", records)))
    ids = [r["id"] for r in json.loads(coach("history", "--json").stdout)]
    assert ids == ["id0001", "id0002", "id0003"]
    since = json.loads(coach("history", "--json", "--since", "2026-11-21").stdout)
    assert [r["id"] for r in since] == ["id0002", "id0003"]
    box = json.loads(coach("history", "--json", "--routine", "box-breathing").stdout)
    assert [r["id"] for r in box] == ["id0003"]
    assert "No sessions match" in coach("history", "--routine", "nothing").stdout
    bad = coach("history", "--since", "last tuesday")
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr and "Traceback" not in bad.stderr


def test_the_table_fits_80_columns_and_shows_no_control_characters(coach: Coach, tmp_path: Path) -> None:
    records = [
        rec(0, routine_title="A very long routine title that goes on and on well past the column"),
        rec(1, routine_title="Evil \x1b[2J\x1b]0;title\x07 title", pre=None, completed=False, steps_done=2),
        rec(2, pre=10, post=10),
    ]
    coach("history", "import", str(write_jsonl(tmp_path / "in.jsonl", records[::2])))
    # An import refuses control characters; a line already in the file (an older
    # version's import, a hand edit) is shown with them made visible.
    with coach.history.open("a", encoding="utf-8") as history:
        history.write(records[1].to_line())
    shown = coach("history")
    lines = shown.stdout.splitlines()
    assert len(lines) == 4 and all(len(line) <= 80 for line in lines)
    assert "Evil ␛[2J␛]0;tit…" in lines[2]  # cut to the column, shown, never obeyed
    assert lines[0].split() == ["Date", "Routine", "Time", "Stress", "Outcome"]
    assert lines[1].startswith("2026-11-20") and "   4:57  " in lines[1]  # 296.5 s, as clocks show it
    assert "7 → 3 (a large drop)" in lines[1]  # the change's words, from coach.rating
    assert lines[1].endswith("completed")
    assert "\x1b" not in shown.stdout and "\x07" not in shown.stdout
    assert "– → 3  " in lines[2] and lines[2].endswith("stopped")  # no pre-rating: no words
    assert "10 → 10 (about the same)" in lines[3]


def test_the_table_fits_80_columns_with_the_longest_change_words(coach: Coach, tmp_path: Path) -> None:
    records = [rec(0, pre=0, post=10), rec(1, pre=10, post=0), rec(2, pre=5, post=4),
               rec(3, pre=6, post=4, routine_title="x" * 60)]  # fmt: skip
    coach("history", "import", str(write_jsonl(tmp_path / "in.jsonl", records)))
    lines = coach("history").stdout.splitlines()
    assert len(lines) == 5 and all(len(line) <= 80 for line in lines), lines
    assert "0 → 10 (a noticeable rise)" in lines[1] and "10 → 0 (a large drop)" in lines[2]
    assert "5 → 4 (about the same)" in lines[3] and "6 → 4 (a noticeable drop)" in lines[4]


def test_an_older_skipped_through_session_is_partly_done_and_no_streak(coach: Coach) -> None:
    """A line of an older Coach (no ran_to_end) that said completed for 4 s of 193 s."""
    coach.home.mkdir()
    line = (
        '{"format": 1, "id": "3f2b", "routine": "desk-break", "routine_title": "Desk break", '
        '"routine_hash": "sha256:abc", "plan": null, "started_at": "2026-11-26T09:12:03+01:00", '
        '"ended_at": "2026-11-26T09:12:07+01:00", "planned_seconds": 193, "active_seconds": 4.0, '
        '"completed": true, "steps_done": 0, "steps_total": 4, "pre": 5, "post": 5, "note": "", '
        '"pauses": 0, "skips": 4, "gentler": 0}\n'
    )
    coach.history.write_text(line)
    assert coach("history").stdout.splitlines()[1].endswith("partly done")
    stats = json.loads(coach("stats", "--json").stdout)
    assert stats["completed"] == 0 and stats["partly_done"] == 1 and stats["streak"]["longest"] == 0
    assert coach.history.read_text() == line  # reading never changes the line


def test_an_import_refuses_impossible_numbers_and_stats_stay_readable(coach: Coach, tmp_path: Path) -> None:
    good = rec(0).to_json()
    lines = [
        good,
        {**good, "id": "id0001", "active_seconds": 1e308},
        {**good, "id": "id0002", "active_seconds": 900, "ended_at": "2026-11-20T09:00:10+01:00"},
        {**good, "id": "id0003", "pain_area": "neck\x1b]0;pwned\x07"},
        {**good, "id": '=HYPERLINK("http://x","y")'},
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(obj) + "\n" for obj in lines))
    shown = coach("history", "import", str(source))
    assert shown.returncode == 1
    for number, reason in [(2, "active_seconds: 1e+308 is more than one session can hold"),
                           (3, "active_seconds: 900 s practised, but the session lasted 10 s"),
                           (4, "pain_area: expected a body area (e.g. neck) or null"),
                           (5, "id: expected an id as Coach writes")]:  # fmt: skip
        assert f"in.jsonl:{number}: {reason}" in shown.stderr, shown.stderr
    assert len(coach.history.read_text().splitlines()) == 1
    assert "\\u001b" not in coach.history.read_text() and "\x1b" not in coach.history.read_text()
    assert all(len(line) < 100 for line in coach("stats").stdout.splitlines())


def test_json_outputs_escape_characters_that_act_or_hide(coach: Coach) -> None:
    coach.home.mkdir()
    coach.history.write_text(rec(0, note="del\x7f", routine_title="t\x7f").to_line())
    for args in (["history", "--json"], ["stats", "--json"]):
        shown = coach(*args)
        assert shown.returncode == 0 and "\x7f" not in shown.stdout, args
    assert json.loads(coach("history", "--json").stdout)[0]["note"] == "del\x7f"


def test_garbage_lines_are_reported_on_stderr_with_numbers_and_skipped(coach: Coach) -> None:
    coach.home.mkdir()
    coach.history.write_bytes(rec(1).to_line().encode() + b"garbage\n\xff\xfe\n" + rec(2).to_line().encode())
    before = coach.history.read_bytes(), coach.history.stat().st_mtime_ns
    for args in (["history"], ["history", "--json"], ["stats"], ["stats", "--json"]):
        shown = coach(*args)
        assert shown.returncode == 0
        assert f"{coach.history}:2:" in shown.stderr and f"{coach.history}:3:" in shown.stderr
        assert shown.stderr.count("coach: ") == 2 and "Traceback" not in shown.stderr
    assert len(json.loads(coach("history", "--json").stdout)) == 2
    assert (coach.history.read_bytes(), coach.history.stat().st_mtime_ns) == before


def test_import_reports_bad_records_with_their_lines_and_exits_1(coach: Coach, tmp_path: Path) -> None:
    source = tmp_path / "mixed.jsonl"
    source.write_text(rec(1).to_line() + '{"format": 1, "id": "x"}\n' + rec(2).to_line() + "nonsense\n")
    done = coach("history", "import", str(source))
    assert done.returncode == 1
    assert f"{source}:2:" in done.stderr and f"{source}:4:" in done.stderr and "not imported" in done.stderr
    assert "Added 2 sessions" in done.stdout
    missing = coach("history", "import", str(tmp_path / "nope.csv"))
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_clear_without_yes_on_a_non_interactive_stdin_deletes_nothing(coach: Coach, tmp_path: Path) -> None:
    coach("history", "import", str(write_jsonl(tmp_path / "in.jsonl", [rec(1), rec(2)])))
    breaks = coach.home / "breaks.jsonl"  # the reminder's log: times and routine names
    for event in ("taken", "skipped"):
        append_break(breaks, event, at=datetime.now().astimezone(), routine="neck-release")
    before = coach.history.read_bytes(), breaks.read_bytes()
    refused = coach("history", "clear", stdin=subprocess.DEVNULL)
    assert refused.returncode == 1 and "--yes" in refused.stderr
    piped = coach("history", "clear", stdin=subprocess.PIPE)  # empty pipe: still not a terminal
    assert piped.returncode == 1
    assert (coach.history.read_bytes(), breaks.read_bytes()) == before
    done = coach("history", "clear", "--yes")
    assert done.returncode == 0 and "Deleted 2 sessions and the break log (2 breaks)." in done.stdout
    assert coach.history.read_bytes() == b"" and json.loads(coach("history", "--json").stdout) == []
    # "can delete it all" (DESIGN.md): no break is left for stats or status to count.
    assert breaks.read_bytes() == b"" and stat.S_IMODE(breaks.stat().st_mode) == 0o600
    status = json.loads(coach("status", "--json").stdout)
    assert status["breaks_today"] == {"taken": 0, "stopped": 0, "skipped": 0, "postponed": 0}
    assert "Breaks" not in coach("stats").stdout


@pytest.mark.parametrize(("answer", "deleted"), [(b"n\n", False), (b"\n", False), (b"y\n", True)])
def test_clear_asks_on_a_terminal(coach: Coach, tmp_path: Path, answer: bytes, deleted: bool) -> None:
    coach("history", "import", str(write_jsonl(tmp_path / "in.jsonl", [rec(1)])))
    controller, terminal = pty.openpty()
    try:
        child = subprocess.Popen(
            [*coach_command(), "history", "clear"],
            stdin=terminal,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=coach.env,
        )
        os.write(controller, answer)
        _out, err = child.communicate(timeout=60)
    finally:
        os.close(controller)
        os.close(terminal)
    assert b"Delete all 1 session" in err and b"and the break log (0 breaks)?" in err
    assert (coach.history.read_bytes() == b"") is deleted
    assert child.returncode == (0 if deleted else 1)


def test_stats_json_gives_the_figures(coach: Coach, tmp_path: Path) -> None:
    records = [
        rec(1, pre=7, post=3),
        rec(2, pre=6, post=5),
        rec(3, pre=None, post=None, routine="box", routine_title="Box"),
    ]
    coach("history", "import", str(write_jsonl(tmp_path / "in.jsonl", records)))
    figures = json.loads(coach("stats", "--json").stdout)
    assert figures["all_time"] == {"sessions": 3, "minutes": round(3 * 296.5 / 60, 2)}
    assert figures["change"]["rated_completed_sessions"] == 2 and figures["change"]["median"] == -2.5
    assert figures["change"]["responders"] == 1 and figures["streak"]["longest"] == 1
    assert {r["routine"]: r["sessions"] for r in figures["routines"]} == {"neck-and-shoulders": 2, "box": 1}
    text = coach("stats").stdout
    assert "3 in all" in text and "Responders   50%" in text and "Neck and shoulder release" in text
    assert all(len(line) <= 80 for line in text.splitlines())


def test_exports_survive_an_ascii_locale(coach: Coach, tmp_path: Path) -> None:
    coach(
        "history",
        "import",
        str(write_jsonl(tmp_path / "in.jsonl", [rec(1, note="café ✓", routine_title="Ça va")])),
    )
    env = {"LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "ascii", "PYTHONUTF8": "0"}
    for args in (["history"], ["history", "--csv"], ["history", "--json"], ["stats"]):
        shown = coach(*args, **env)
        assert shown.returncode == 0 and "Traceback" not in shown.stderr, shown.stderr
    assert "café ✓" in coach("history", "--csv", **env).stdout


def test_a_dead_sessions_journal_is_recorded_by_history_and_stats(coach: Coach) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    coach.home.mkdir()
    journal = coach.home / "session.journal.json"
    journal.write_text(
        json.dumps(
            {
                "journal": 1,
                "pid": dead.pid,
                "record_id": "feedface",
                "updated_at": "2026-11-26T09:14:00+01:00",
                "state": {
                    "routine": "jaw-release",
                    "routine_title": "Jaw release",
                    "routine_hash": "sha256:1",
                    "plan": None,
                    "started_at": "2026-11-26T09:12:00+01:00",
                    "planned_seconds": 290,
                    "active_seconds": 100.0,
                    "steps_done": 2,
                    "steps_total": 5,
                    "pre": 9,
                    "pauses": 0,
                    "skips": 1,
                    "gentler": 0,
                },
            }
        )
    )
    figures = coach("stats", "--json")
    assert "recorded an interrupted session: Jaw release" in figures.stderr
    assert json.loads(figures.stdout)["all_time"]["sessions"] == 1 and not journal.exists()
    (stored,) = json.loads(coach("history", "--json").stdout)
    assert stored["id"] == "feedface" and stored["completed"] is False and stored["pre"] == 9
    assert stored["post"] is None and stored["ended_at"] == "2026-11-26T09:14:00+01:00"


def test_history_and_stats_import_neither_pydantic_nor_textual(coach: Coach) -> None:
    probe = (
        "import sys; from coach.cli import main; sys.argv=['coach', *sys.argv[1:]]; code = main(); "
        "bad = [m for m in ('pydantic', 'textual') if m in sys.modules]; print(bad); sys.exit(code)"
    )
    for args in (["stats"], ["history", "--json"], ["history"]):
        shown = subprocess.run(
            [sys.executable, "-c", probe, *args], capture_output=True, text=True, env=coach.env, timeout=60
        )
        assert shown.returncode == 0 and shown.stdout.strip().endswith("[]"), shown.stdout + shown.stderr


def test_sessions_are_ordered_by_their_instant_when_offsets_differ() -> None:
    from datetime import date

    from coach.commands.history import select

    records = [
        rec(1, started_at="2026-11-20T08:30:00+00:00"),  # 09:30 in Berlin: the later one
        rec(2, started_at="2026-11-20T09:00:00+01:00"),
        rec(3, started_at="2026-11-19T23:30:00-08:00"),  # 07:30 UTC on the 20th: the first
    ]
    assert [records[i].id for i in select(records, since=None, routine=None)] == [
        "id0003",
        "id0002",
        "id0001",
    ]
    same = [rec(4, "2026-11-21"), rec(5, "2026-11-20")]
    assert [same[i].id for i in select(same, since=None, routine=None)] == ["id0005", "id0004"]
    # --since compares each session's own local date (id0003 was on the 19th where it was)
    assert [records[i].id for i in select(records, since=date(2026, 11, 20), routine=None)] == [
        "id0002",
        "id0001",
    ]


def test_spreadsheet_export_has_a_bom_dates_and_imports_back_exactly(coach: Coach, tmp_path: Path) -> None:
    records = [rec(0, note="café, crème brûlée"), rec(1, "2026-11-26", plan="sam-neck", pre=None, post=None)]
    coach("history", "import", str(write_jsonl(tmp_path / "in.jsonl", records)))
    plain = coach("history", "--csv").stdout
    data = subprocess.run(
        [*coach_command(), "history", "--spreadsheet"], capture_output=True, env=coach.env, timeout=60
    ).stdout
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8's byte-order mark: Excel then reads UTF-8
    text = data[3:].decode("utf-8")
    assert not text.startswith("\ufeff")  # one mark, not two
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0][:3] == ["started_local", "ended_local", "format"]
    # Every other column is plain CSV's, cell for cell.
    assert [row[2:] for row in rows] == list(csv.reader(io.StringIO(plain, newline="")))
    assert "café, crème brûlée" in text
    for row, record in zip(rows[1:], records, strict=True):
        started = datetime.strptime(row[0], "%Y-%m-%d %H:%M:%S")  # a date a spreadsheet reads
        ended = datetime.strptime(row[1], "%Y-%m-%d %H:%M:%S")
        # The wall-clock time where it was recorded, its offset left out.
        assert started == datetime.fromisoformat(record.started_at).replace(tzinfo=None)
        assert ended == datetime.fromisoformat(record.ended_at or "").replace(tzinfo=None)
    assert rows[2][0] == "2026-11-26 09:01:00"

    exported = tmp_path / "export.csv"
    exported.write_bytes(data)
    other = Coach(tmp_path / "other")
    done = other("history", "import", str(exported))
    assert done.returncode == 0 and "Added 2 sessions" in done.stdout, done.stderr
    assert other("history", "--json").stdout == coach("history", "--json").stdout
    assert coach("history", "--csv", "--spreadsheet").returncode == 2  # one form at a time


def _on_a_terminal(coach: Coach, *args: str, **env: str) -> tuple[int, bytes]:
    """Run `coach ARGS` with stdout and stderr on a pseudo-terminal; (exit code, its output)."""
    controller, terminal = pty.openpty()
    try:
        child = subprocess.Popen(
            [*coach_command(), *args], stdin=subprocess.DEVNULL, stdout=terminal, stderr=terminal,
            env={**coach.env, **env},
        )  # fmt: skip
        os.close(terminal)
        output = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # EIO: the terminal's last writer is gone
                break
            if not chunk:
                break
            output += chunk
        return child.wait(timeout=60), output
    finally:
        os.close(controller)


def test_the_table_goes_through_the_pager_on_a_terminal_when_it_is_longer_than_the_screen(
    coach: Coach, tmp_path: Path
) -> None:
    # 1200 rows: more than a pipe holds, so a pager that quits early breaks the pipe.
    records = [rec(i % 50, f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}", id=f"id{i:04d}") for i in range(1200)]
    coach("history", "import", str(write_jsonl(tmp_path / "in.jsonl", records)))
    plain = coach("history").stdout  # not a terminal: written straight out
    paged = tmp_path / "paged.txt"
    code, screen = _on_a_terminal(coach, "history", PAGER=f"tee {paged} >/dev/null", LINES="20")
    assert code == 0 and paged.read_text() == plain and len(plain.splitlines()) == 1201
    assert b"Traceback" not in screen
    # A pager quit after one screen (head exits): the command stops quietly.
    code, screen = _on_a_terminal(coach, "history", PAGER="head -n 5 >/dev/null", LINES="20")
    assert code == 0 and b"Traceback" not in screen and b"Broken pipe" not in screen
    # Short enough for the screen, or no pager wanted: no pager runs.
    for env in ({"LINES": "5000"}, {"PAGER": "", "LINES": "20"}, {"PAGER": "cat", "LINES": "20"}):
        code, screen = _on_a_terminal(coach, "history", **{"PAGER": f"tee {paged}.x", **env})
        assert code == 0 and not Path(f"{paged}.x").exists()
        assert screen.replace(b"\r\n", b"\n").decode() == plain


def test_a_cache_folder_that_cannot_be_used_costs_one_line_and_nothing_else(
    coach: Coach, tmp_path: Path
) -> None:
    coach("history", "import", str(write_jsonl(tmp_path / "in.jsonl", [rec(1), rec(2)])))
    expected = {args: coach(*args).stdout for args in (("history",), ("history", "--json"), ("stats",))}
    shutil.rmtree(coach.home / "cache")
    (coach.home / "cache").write_text("a file where the cache folder belongs")
    for args, stdout in expected.items():
        shown = coach(*args)
        assert shown.returncode == 0 and shown.stdout == stdout
        assert shown.stderr.count("\n") == 1 and "history index cannot be used" in shown.stderr
    assert (coach.home / "cache").read_text() == "a file where the cache folder belongs"


def test_a_deleted_index_is_rebuilt_and_loses_nothing(coach: Coach, tmp_path: Path) -> None:
    coach("history", "import", str(write_jsonl(tmp_path / "in.jsonl", [rec(i) for i in range(5)])))
    before = coach("history", "--json").stdout, coach("stats", "--json").stdout
    shutil.rmtree(coach.home / "cache")
    assert (coach("history", "--json").stdout, coach("stats", "--json").stdout) == before
    assert (coach.home / "cache" / "history-index.sqlite3").exists()
