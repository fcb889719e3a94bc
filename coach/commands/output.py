"""`-o FILE`, `--force` and `--format` for every command that writes a file a person asked
for (`plan report`, and the handouts): one way to add the options, pick the format and
write the file (DESIGN, Commands: atomically, readable by its owner only, in the format
its extension names unless `--format` says otherwise, never over a file without --force).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    from collections.abc import Callable

# File name endings and the format each names (lower-cased before looking up).
EXTENSIONS = {
    ".md": "md",
    ".markdown": "md",
    ".txt": "md",
    ".html": "html",
    ".htm": "html",
    ".csv": "csv",
    ".json": "json",
}


def add_output_options(parser: Any, formats: tuple[str, ...], default: str) -> None:
    """Add `--format` (one of `formats`; by default the -o file's extension, else
    `default`), `-o/--output FILE` and `--force` to an argparse parser."""
    parser.add_argument(
        "--format", choices=formats, default=None,
        help=f"default: the extension of -o FILE, else {default}",
    )  # fmt: skip
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE",
        help="write to FILE (owner-only, atomically) instead of the screen",
    )  # fmt: skip
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")
    parser.set_defaults(default_format=default, output_formats=formats)


def output_format(args: argparse.Namespace) -> str:
    """The format to write: `--format` if given; else the one the -o file's extension names;
    else (on the screen) the command's default. Raises UsageError, one line, for an -o FILE
    whose extension names no format this command writes (report.pdf, report.report)."""
    if args.format is not None:
        return str(args.format)
    if args.output is not None:
        suffix = Path(args.output).suffix.lower()
        named = EXTENSIONS.get(suffix)
        if named is None or named not in args.output_formats:
            from coach.errors import UsageError

            offered = ", ".join(e for e, f in EXTENSIONS.items() if f in args.output_formats)
            what = f"'{suffix}'" if suffix else "no extension"
            raise UsageError(
                f"{args.output}: cannot tell the format from {what}; name the file {offered}, "
                f"or add --format {'|'.join(args.output_formats)}"
            )
        return named
    return str(args.default_format)


def check_output(args: argparse.Namespace) -> None:
    """Refuse at once (before any work) an -o FILE that exists without --force, is a
    folder or a special file, or whose folder is missing. Raises UsageError."""
    if args.output is not None:
        from coach.files import check_output_path

        check_output_path(args.output, force=bool(args.force))


def write_output_text(args: argparse.Namespace, text: str) -> None:
    """Write `text` (UTF-8, newlines as given) to `args.output` with `coach.files.write_output`.
    Raises UsageError (exists without --force, a folder, a missing folder) or CoachError
    (the write failed; an old file is unchanged)."""
    from coach.files import write_output

    write_output(args.output, text.encode("utf-8"), force=bool(args.force))


def write_output_stream(args: argparse.Namespace, fill: Callable[[IO[str]], object]) -> None:
    """Write to `args.output` what `fill` writes to the text file (UTF-8, newlines as given)
    it is handed, streamed into the temporary file (`coach.files.write_output`): an export
    of a million sessions is never held in memory. Raises as `write_output_text`; whatever
    `fill` raises leaves nothing behind."""
    import io

    from coach.files import write_output

    def write(binary: BinaryIO) -> None:
        text = io.TextIOWrapper(binary, encoding="utf-8", newline="")
        try:
            fill(text)
            text.flush()
        finally:
            text.detach()  # the binary file is write_output's to sync and close

    write_output(args.output, write, force=bool(args.force))
