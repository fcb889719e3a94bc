"""Process ids for the lock and journal tests, without starting a process."""

from __future__ import annotations

# Linux never hands out a pid at or above PID_MAX_LIMIT, 2**22 (include/linux/threads.h), and
# macOS stops at 99999, yet the number fits a pid_t: `os.kill(DEAD_PID, 0)` raises
# ProcessLookupError, exactly as for a process that has ended and been reaped.
DEAD_PID = 2**22 + 1


def dead_pid() -> int:
    """A pid no process has: what a session or a writer killed by SIGKILL leaves behind."""
    return DEAD_PID
