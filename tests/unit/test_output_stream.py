"""`-o FILE` written as a stream (coach.files.write_output given a function,
coach.commands.output.write_output_stream): what the function writes lands whole, 0600,
by rename; whatever it raises midway leaves an old file as it was and no temporary."""

from __future__ import annotations

import argparse
import stat
from pathlib import Path
from typing import IO

import pytest

from coach.commands.output import write_output_stream
from coach.errors import CoachError
from coach.files import write_output


def args_for(path: Path, *, force: bool = False) -> argparse.Namespace:
    return argparse.Namespace(output=path, force=force)


def test_a_stream_lands_whole_and_owner_only(tmp_path: Path) -> None:
    out = tmp_path / "sessions.csv"
    lines = [f"row {i},ünïcødé\r\n" for i in range(50_000)]  # several of the 1 MiB buffers

    def fill(text: IO[str]) -> None:
        for line in lines:
            text.write(line)

    write_output_stream(args_for(out), fill)
    assert out.read_bytes() == "".join(lines).encode("utf-8")  # newlines as given
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sessions.csv"]


@pytest.mark.parametrize(
    "error", [CoachError("the history went away"), OSError(28, "No space left on device")]
)
def test_a_failure_midway_leaves_the_old_file_and_no_temporary(tmp_path: Path, error: Exception) -> None:
    out = tmp_path / "sessions.csv"
    out.write_text("the old export\n")

    def fill(text: IO[str]) -> None:
        text.write("x" * (3 << 20))  # past the buffer: some of it is on disk already
        raise error

    with pytest.raises(CoachError):
        write_output_stream(args_for(out, force=True), fill)
    assert out.read_text() == "the old export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sessions.csv"]


def test_bytes_still_work_as_before(tmp_path: Path) -> None:
    write_output(tmp_path / "a.json", b"[]\n")
    assert (tmp_path / "a.json").read_bytes() == b"[]\n"
