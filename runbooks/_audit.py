"""The audit log: one JSON line per run and per destructive step.

Append-only (opened with O_APPEND, never rewritten), mode 0600, by default in
the user's data folder (`RUNBOOK_AUDIT_LOG` to move it). It says who did what
to which target, and what they typed to confirm; never a secret.
"""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path
from typing import Any

from runbooks._files import PRIVATE_MODE, make_private_dir
from runbooks._journal import utcnow
from runbooks._secrets import Redactor

__all__ = ["AuditLog"]


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry in some containers
        return str(os.getuid()) if hasattr(os, "getuid") else "unknown"


class AuditLog:
    """Appends audit records for one run.

    Args:
        path: The JSON-lines file.
        redactor: Scrubs secrets from every line, should one slip into a field.
        run: Fields every line of this run carries (run id, runbook, target, parameters).
    """

    def __init__(self, path: Path, redactor: Redactor, **run: Any) -> None:
        self.path = path
        self._redactor = redactor
        self._run = run

    def record(self, event: str, **fields: Any) -> None:
        """Append one line: `event` is "run" or "destructive-step"."""
        line = {
            "time": utcnow().isoformat().replace("+00:00", "Z"),
            "user": _user(),
            "event": event,
            **self._run,
            **fields,
        }
        text = self._redactor.scrub(json.dumps(line, default=str)) + "\n"
        if not self.path.parent.exists():  # a folder of our own: private (0700)
            make_private_dir(self.path.parent)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, PRIVATE_MODE)
        try:
            os.write(fd, text.encode())
        finally:
            os.close(fd)
