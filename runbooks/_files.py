"""Private files: written atomically, readable by their owner only."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["PRIVATE_MODE", "make_private_dir", "write_private"]

PRIVATE_MODE = 0o600


def write_private(path: Path, data: bytes | str) -> None:
    """Write `data` to `path` with mode 0600, atomically.

    The bytes go to a temporary file in the same folder, created 0600 from the
    start (never readable by others, not even for a moment), are flushed to
    disk, and then replace `path` in one rename: a reader sees the old file or
    the new one, never half of either.
    """
    payload = data.encode() if isinstance(data, str) else data
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, PRIVATE_MODE)  # mkstemp already uses 0600; say so explicitly
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def make_private_dir(path: Path) -> Path:
    """Create `path` (and parents) with mode 0700 for the leaf; return it."""
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path
