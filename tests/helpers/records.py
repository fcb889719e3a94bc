"""One history line read the way `HistoryStore.read` reads every line, for record tests."""

from __future__ import annotations

from coach.records import RecordError, SessionRecord, parse_block


def parse_line(line: str | bytes) -> SessionRecord:
    """The record on one line of history (UTF-8 bytes or text, with or without its newline),
    through `parse_block` (the fast path for canonical lines, the general one otherwise).

    Raises RecordError with the reason the reader reports for that line: "not UTF-8 text"
    as `HistoryStore.read` says it, or "a blank line" where the reader skips it silently.
    """
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError:
            raise RecordError("not UTF-8 text") from None
    records: list[SessionRecord] = []
    problems: list[tuple[int, str]] = []
    parse_block(line if line.endswith("\n") else line + "\n", 1, records, problems, None)
    if problems:
        raise RecordError(problems[0][1])
    if not records:
        raise RecordError("a blank line")
    return records[0]
