"""The journal: `run.json`, rewritten atomically after every step.

It is what `runbook runs` and resuming read back, and what a person reads
after a failure. It never holds a secret: every text passes the run's
redactor, and secrets are simply never put in it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from runbooks._files import write_private
from runbooks._secrets import Redactor

__all__ = ["Journal", "StepStatus", "utcnow"]

StepStatus = Literal["pending", "running", "done", "failed", "skipped"]


def utcnow() -> datetime:
    """The current time in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


class Journal:
    """The record of one run, kept on disk as `run.json`."""

    def __init__(self, path: Path, redactor: Redactor, **header: Any) -> None:
        self.path = path
        self._redactor = redactor
        self.data: dict[str, Any] = {
            **header,
            "started_at": _iso(utcnow()),
            "finished_at": None,
            "outcome": "running",
            "error": None,
            "steps": [],
            "facts": {},
        }

    @classmethod
    def load(cls, path: Path, redactor: Redactor) -> Journal:
        """Read back a journal written by an earlier run (to resume it)."""
        journal = cls.__new__(cls)
        journal.path = path
        journal._redactor = redactor
        journal.data = json.loads(path.read_text())
        return journal

    def add_step(self, number: str, text: str, **flags: bool) -> dict[str, Any]:
        """Declare a step (status pending); return its entry."""
        entry: dict[str, Any] = {"number": number, "text": text, "status": "pending", **flags}
        entry.update(started_at=None, duration_s=None, note=None)
        self.data["steps"].append(entry)
        return entry

    def step(self, number: str) -> dict[str, Any]:
        """The entry of step `number`."""
        return next(s for s in self.data["steps"] if s["number"] == number)

    def mark(self, number: str, status: StepStatus, **fields: Any) -> None:
        """Update a step's status (and fields) and save."""
        entry = self.step(number)
        entry["status"] = status
        if status == "running":
            entry["started_at"] = _iso(utcnow())
        entry.update(fields)
        self.save()

    def set_fact(self, key: str, value: Any) -> None:
        """Record a non-secret fact learned during the run (a creation date)."""
        self.data["facts"][key] = value
        self.save()

    def finish(self, outcome: str, error: str | None = None, **fields: Any) -> None:
        """Record the outcome and save."""
        self.data.update(outcome=outcome, error=error, finished_at=_iso(utcnow()), **fields)
        self.save()

    def save(self) -> None:
        """Write the journal atomically, mode 0600, with every secret scrubbed."""
        text = json.dumps(self.data, indent=2, default=str)
        write_private(self.path, self._redactor.scrub(text) + "\n")
