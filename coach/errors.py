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
