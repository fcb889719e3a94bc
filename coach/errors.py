"""The one error type the program shows to people: a message, never a traceback."""


class CoachError(Exception):
    """A problem with the user's input or files, shown as one line on stderr.

    `exit_code` is what the command returns: 1 for invalid data, 2 for usage errors
    (a missing file, an unknown routine id, a bad option value).
    """

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message


class UsageError(CoachError):
    def __init__(self, message: str) -> None:
        super().__init__(message, exit_code=2)


def shown_error(exc: CoachError) -> str:
    """A CoachError as printed: located problems (FILE:LINE:COL: …, one per line) read like a
    compiler's, without a prefix; any other message is one sentence after "coach: ". The
    message may quote a path, an id or a field from a file: each line is shown in its
    one-line form (`coach.text.visible`), so a line break or tab in a file name cannot start
    a line of its own (located problems put the file name in that form when they are made)."""
    from coach.text import visible

    if getattr(exc, "located", False):
        return "\n".join(visible(line) for line in exc.message.split("\n"))
    return f"coach: {visible(exc.message)}"
