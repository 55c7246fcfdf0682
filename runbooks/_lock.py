"""One rotation at a time per target: a lock file per portal and gateway (or token).

The lock file holds the run id and process id of its holder. A lock whose
process is gone (killed, crashed, machine restarted) is stale: the next run
clears it and says so.

The key names the portal by URL, and one portal has many spellings
(`http://Host:80/./`, `http://host`): every URL in a key is normalised first,
so that two spellings of one gateway can never be rotated at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import posixpath
import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from runbooks._errors import LockHeld
from runbooks._files import PRIVATE_MODE, make_private_dir
from runbooks._journal import utcnow

__all__ = ["hold_lock", "normalise_key", "normalise_url", "process_alive"]

_DEFAULT_PORTS = {"http": 80, "https": 443}
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S+")


def normalise_url(url: str) -> str:
    """One spelling per portal: scheme and host lower case, no default port, a clean path.

    `http://H:80/a/./b/../` and `http://h/a` are the same portal; a URL that
    does not parse is kept as it is.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 address goes back in brackets
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    path = posixpath.normpath(unquote(parts.path)) if parts.path else ""
    path = "" if path in (".", "/") else path.rstrip("/")
    return urlunsplit((scheme, netloc, path, parts.query, ""))


def normalise_key(key: str) -> str:
    """`key` with every URL in it normalised (`normalise_url`)."""
    return _URL.sub(lambda match: normalise_url(match.group()), key)


def process_alive(pid: int) -> bool:
    """Whether process `pid` exists on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, it is someone else's
    return True


def _holder(path: Path) -> dict[str, object] | None:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


@contextmanager
def hold_lock(folder: Path, key: str, run_id: str) -> Iterator[str | None]:
    """Hold the lock for `key` while the block runs.

    Yields:
        A note when a stale lock was cleared (for the person), else None.

    Raises:
        LockHeld: a live run holds it; the message names that run.
    """
    key = normalise_key(key)
    make_private_dir(folder)
    path = folder / (hashlib.sha256(key.encode()).hexdigest()[:24] + ".lock")
    me = {
        "key": key,
        "run_id": run_id,
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": utcnow().isoformat(),
    }
    note = None
    for _ in range(2):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
            break
        except FileExistsError:
            holder = _holder(path) or {}
            pid = holder.get("pid")
            same_host = holder.get("host") == socket.gethostname()
            if isinstance(pid, int) and same_host and process_alive(pid):
                raise LockHeld(
                    f"run {holder.get('run_id')} (process {pid}, since {holder.get('since')}) "
                    f"is rotating {key}; wait for it to finish"
                ) from None
            # Its process is gone: the lock is stale.
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            note = f"cleared a stale lock left by run {holder.get('run_id')} (process gone)"
    else:  # pragma: no cover - another process took it between unlink and open
        raise LockHeld(f"another run just took the lock on {key}; try again")
    try:
        with os.fdopen(fd, "w") as handle:
            json.dump(me, handle)
        yield note
    finally:
        with contextlib.suppress(FileNotFoundError):
            if (_holder(path) or {}).get("run_id") == run_id:
                path.unlink()
