"""Private files: written atomically, readable by their owner only.

A path the person names may be a symbolic link (a dotenv file kept in a
dotfiles repository, a keystore linked from where a client reads it): writes
go through the link to the file it names, so the link stays a link and the
file it points at holds the new value. Anything that is not a regular file (a
FIFO, a device, a socket) is refused rather than replaced.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from runbooks._errors import UsageError

__all__ = [
    "PRIVATE_DIR_MODE",
    "PRIVATE_MODE",
    "check_folder",
    "check_regular",
    "expand_path",
    "make_private_dir",
    "prove_writable",
    "real_path",
    "write_private",
]

PRIVATE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


def expand_path(text: str, option: str) -> Path:
    """`text` as a path, `~` and `~user` expanded.

    Raises:
        UsageError: `~user` names no user on this machine.
    """
    try:
        return Path(text).expanduser()
    except RuntimeError:
        raise UsageError(
            f"{option} {text!r}: cannot expand {text.split('/')[0]!r} (no such user's home)"
        ) from None


def real_path(path: Path) -> Path:
    """The file `path` names once every symbolic link is followed (it may not exist yet)."""
    return Path(os.path.realpath(path))


def check_regular(path: Path, what: str) -> None:
    """Refuse `path` if it exists (through links) and is not a regular file.

    Raises:
        UsageError: it is a FIFO, a device, a socket or a folder.
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UsageError(f"{what} {path}: cannot read it ({exc.strerror})") from None
    if stat.S_ISDIR(mode):
        raise UsageError(f"{what} {path} is a folder; name a file")
    if not stat.S_ISREG(mode):
        raise UsageError(
            f"{what} {path} is not a regular file (a FIFO, device or socket); name a plain file"
        )


def write_private(path: Path, data: bytes | str) -> None:
    """Write `data` to `path` with mode 0600, atomically.

    The bytes go to a temporary file in the same folder as the file `path`
    names (following symbolic links, so a link keeps pointing at the new
    value), created 0600 from the start (never readable by others, not even
    for a moment), are flushed to disk, and then replace that file in one
    rename: a reader sees the old file or the new one, never half of either.

    Raises:
        OSError: the write failed; `path` is as it was.
        UsageError: `path` exists and is not a regular file.
    """
    target = real_path(path)
    check_regular(target, "file")
    payload = data.encode() if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, PRIVATE_MODE)  # mkstemp already uses 0600; say so explicitly
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def prove_writable(path: Path) -> None:
    """Create and remove a private temporary file beside the file `path` names.

    The folder's permission bits do not tell everything (a read-only mount, a
    quota, root on a network share): trying is the only proof.

    Raises:
        OSError: the folder does not take a new file.
    """
    target = real_path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".probe", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(b"\n" * 64)
            handle.flush()
            os.fsync(handle.fileno())
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def make_private_dir(path: Path) -> Path:
    """Create `path` with mode 0700, and any missing parents 0700 too; return it.

    Folders that already exist keep their mode, except `path` itself, which
    is tightened: what the tool keeps there (journals, traces, locks) is
    private.
    """
    check_folder(path, "folder")
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=PRIVATE_DIR_MODE)
            os.chmod(folder, PRIVATE_DIR_MODE)  # whatever the umask
    os.chmod(path, PRIVATE_DIR_MODE)
    return path


def check_folder(path: Path, what: str) -> None:
    """Refuse a folder path that names a file, or lies under one.

    Raises:
        UsageError: `path`, or the nearest of its parents that exists, is not a folder.
    """
    existing = next((p for p in (path, *path.parents) if p.exists()), None)
    if existing is not None and not existing.is_dir():
        where = "is" if existing == path else f"is under {existing}, which is"
        raise UsageError(f"{what} {path} {where} a file, not a folder; name a folder")
