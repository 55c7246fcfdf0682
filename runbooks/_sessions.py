"""Saved sign-in states (`runbook login`), kept outside the repository.

A saved state is Playwright's storage state (cookies and local storage) plus
when it was saved, in `<data dir>/sessions/`, mode 0600: whoever reads it is
signed in as the person who saved it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from runbooks._files import make_private_dir, write_private
from runbooks._journal import utcnow

__all__ = ["SavedSession", "saved_session_path"]


def saved_session_path(data_dir: Path, portal: str, url: str) -> Path:
    """Where the saved sign-in for `portal` at `url` lives."""
    digest = hashlib.sha256(url.rstrip("/").encode()).hexdigest()[:12]
    return data_dir / "sessions" / f"{portal}-{digest}.json"


@dataclass(frozen=True)
class SavedSession:
    """A saved sign-in state on disk."""

    path: Path

    @property
    def exists(self) -> bool:
        """Whether one was saved."""
        return self.path.is_file()

    def saved_at(self) -> datetime | None:
        """When it was saved."""
        try:
            return datetime.fromisoformat(json.loads(self.path.read_text())["saved_at"])
        except (OSError, ValueError, KeyError):
            return None

    def storage_state(self) -> dict[str, Any]:
        """The Playwright storage state to start a browser context from."""
        data = json.loads(self.path.read_text())
        state: dict[str, Any] = data["storage_state"]
        return state

    def save(self, storage_state: dict[str, Any]) -> None:
        """Write the state (0600, atomically) with the time it was saved."""
        make_private_dir(self.path.parent)
        payload = {"saved_at": utcnow().isoformat(), "storage_state": storage_state}
        write_private(self.path, json.dumps(payload))
