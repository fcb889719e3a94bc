"""Writing a small private file so that a crash leaves the old version or the new one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from coach.paths import ensure_private_dir


def write_private_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data`: a temporary file beside it (mode 0600, whatever the
    umask), fsync, rename. The folder is made private if it is new. Raises OSError."""
    ensure_private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
