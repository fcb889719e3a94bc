"""`coach history -o FILE` as a person runs it (the installed command, COACH_HOME in a
temporary folder): the format its extension names unless a flag or --format says
otherwise, owner-only, never over a file without --force, an unknown extension refused
with the ones that work (DESIGN, Commands: output written with -o FILE)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from coach.records import SessionRecord, new_record
from tests.helpers.command import RunCoach


def rec(i: int, routine: str = "neck-and-shoulders", **changes: object) -> SessionRecord:
    values: dict[str, object] = {
        "routine": routine, "routine_title": routine.replace("-", " ").capitalize(),
        "routine_hash": "sha256:" + "0" * 64, "started_at": f"2026-11-2{i}T09:00:00+01:00",
        "ended_at": f"2026-11-2{i}T09:05:00+01:00", "planned_seconds": 300, "active_seconds": 296.5,
        "completed": True, "steps_done": 6, "steps_total": 6, "pre": 7, "post": 3, "id": f"id{i:04d}",
        "note": "=SUM(A1) ünïcødé",
    }  # fmt: skip
    values.update(changes)
    return new_record(**values)  # type: ignore[arg-type]


def imported(run_coach: RunCoach, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        "".join(r.to_line() for r in (rec(1), rec(2, "box-breathing"), rec(3))), encoding="utf-8"
    )
    done = run_coach("history", "import", str(source))
    assert done.returncode == 0, done.stderr


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_csv_and_json_by_extension_as_the_screen_export_and_owner_only(
    run_coach: RunCoach, tmp_path: Path
) -> None:
    imported(run_coach, tmp_path)
    out = tmp_path / "x.csv"
    done = run_coach("history", "--csv", "-o", str(out))  # the tester's command
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"Wrote 3 sessions to {out} (csv).\n"
    # (the subprocess's text reads \r\n as \n: the file is read the same way)
    assert out.read_text(encoding="utf-8") == run_coach("history", "--csv").stdout
    assert out.read_bytes().count(b"\r\n") == 4  # RFC 4180 lines, as on the screen
    assert mode(out) == 0o600
    by_name = tmp_path / "by-name.CSV"  # no flag: the extension says, whatever its case
    assert run_coach("history", "-o", str(by_name)).returncode == 0
    assert by_name.read_bytes() == out.read_bytes()
    as_json = tmp_path / "x.json"
    done = run_coach("history", "--routine", "box-breathing", "-o", str(as_json))
    assert done.returncode == 0, done.stderr
    assert "Wrote 1 session to" in done.stdout
    assert (
        as_json.read_text(encoding="utf-8")
        == run_coach("history", "--json", "--routine", "box-breathing").stdout
    )
    assert mode(as_json) == 0o600
    sheet = tmp_path / "sheet.csv"
    assert run_coach("history", "--spreadsheet", "-o", str(sheet)).returncode == 0
    assert sheet.read_bytes().startswith("\ufeff".encode())
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []  # no temporary left


def test_an_existing_file_is_refused_without_force_and_replaced_owner_only_with_it(
    run_coach: RunCoach, tmp_path: Path
) -> None:
    imported(run_coach, tmp_path)
    out = tmp_path / "x.csv"
    out.write_text("mine\n")
    os.chmod(out, 0o644)
    refused = run_coach("history", "-o", str(out))
    assert refused.returncode == 2
    assert refused.stderr == f"coach: {out}: already exists; add --force to replace it\n"
    assert out.read_text() == "mine\n" and mode(out) == 0o644
    done = run_coach("history", "-o", str(out), "--force")
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8").startswith("format,id,routine,") and mode(out) == 0o600


def test_an_extension_that_names_no_export_is_refused_with_the_ones_that_do(
    run_coach: RunCoach, tmp_path: Path
) -> None:
    imported(run_coach, tmp_path)
    for name in ("x.txt", "x.pdf", "noextension"):
        refused = run_coach("history", "-o", str(tmp_path / name))
        assert refused.returncode == 2, name
        assert refused.stderr.count("\n") == 1 and ".csv, .json" in refused.stderr, refused.stderr
        assert "--format csv|json|spreadsheet" in refused.stderr
        assert not (tmp_path / name).exists()
    # --format (or a flag) says otherwise: the file gets it whatever its name.
    assert run_coach("history", "--format", "json", "-o", str(tmp_path / "x.txt")).returncode == 0
    assert (tmp_path / "x.txt").read_text(encoding="utf-8").startswith("[")
    clash = run_coach("history", "--csv", "--format", "json", "-o", str(tmp_path / "y.json"))
    assert clash.returncode == 2 and "--csv and --format json name different formats" in clash.stderr
    assert not (tmp_path / "y.json").exists()
