"""The journal: `run.json`, rewritten atomically after every step.

It is what `runbook runs` and resuming read back, and what a person reads
after a failure. It never holds a secret: every text passes the run's
redactor, and secrets are simply never put in it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypedDict, cast

from runbooks._files import write_private
from runbooks._secrets import Redactor

__all__ = ["Journal", "JournalData", "StepEntry", "StepStatus", "TargetEntry", "utcnow"]

StepStatus = Literal["pending", "running", "done", "failed", "skipped"]


class TargetEntry(TypedDict):
    """Where the run went."""

    url: str
    sandbox: bool


class StepEntry(TypedDict, total=False):
    """One step's record."""

    number: str
    text: str
    status: StepStatus
    destructive: bool
    reveals: bool
    started_at: str | None
    duration_s: float | None
    note: str | None
    #: The step showed a secret that has not reached its sink yet.
    undelivered: bool
    delivered: bool
    #: What the person typed to allow a destructive step, and what it destroyed.
    confirmation: str | None
    what: str | None
    #: How each control was found ({control: strategy}, `pages.take_strategies`).
    strategies: dict[str, str]


class JournalData(TypedDict, total=False):
    """`run.json`."""

    run_id: str
    runbook: str
    portal: str
    target: TargetEntry
    parameters: dict[str, Any]
    sink: str | None
    sink_spec: str | None
    guided: bool
    started_at: str
    finished_at: str | None
    #: When the journal was last written (a killed run: when it was last alive).
    saved_at: str
    outcome: str
    error: str | None
    steps: list[StepEntry]
    facts: dict[str, Any]
    pid: int
    resumed_at: list[str]
    warnings: list[str]
    trace: str
    #: Where the run's secret went (the sink, in words), once delivered.
    delivered_to: str
    #: False when the error that ended the run is one a resume would meet again.
    resumable: bool


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
        data: dict[str, Any] = {
            **header,
            "started_at": _iso(utcnow()),
            "finished_at": None,
            "outcome": "running",
            "error": None,
            "steps": [],
            "facts": {},
        }
        self.data = cast(JournalData, data)

    @classmethod
    def load(cls, path: Path, redactor: Redactor) -> Journal:
        """Read back a journal written by an earlier run (to resume it)."""
        journal = cls.__new__(cls)
        journal.path = path
        journal._redactor = redactor
        journal.data = cast(JournalData, json.loads(path.read_text()))
        return journal

    def as_dict(self) -> dict[str, Any]:
        """The journal's data as a plain dict (for views that read any journal)."""
        return cast(dict[str, Any], self.data)

    @property
    def started_at(self) -> datetime:
        """When the run first started (the same after a resume)."""
        return datetime.fromisoformat(self.data["started_at"].replace("Z", "+00:00"))

    def add_step(self, number: str, text: str, **flags: bool) -> StepEntry:
        """Declare a step (status pending); return its entry."""
        entry: StepEntry = {"number": number, "text": text, "status": "pending"}
        entry.update(cast(StepEntry, flags))
        entry["started_at"] = entry["duration_s"] = entry["note"] = None
        self.data["steps"].append(entry)
        return entry

    def step(self, number: str) -> StepEntry:
        """The entry of step `number`."""
        return next(s for s in self.data["steps"] if s["number"] == number)

    def mark(self, number: str, status: StepStatus, **fields: Any) -> None:
        """Update a step's status (and fields) and save."""
        entry = self.step(number)
        entry["status"] = status
        if status == "running":
            entry["started_at"] = _iso(utcnow())
        entry.update(cast(StepEntry, fields))
        self.save()

    def set_fact(self, key: str, value: Any) -> None:
        """Record a non-secret fact learned during the run (a creation date)."""
        self.data["facts"][key] = value
        self.save()

    def finish(self, outcome: str, error: str | None = None) -> None:
        """Record the outcome and save."""
        self.data["outcome"], self.data["error"] = outcome, error
        self.data["finished_at"] = _iso(utcnow())
        self.save()

    def restart(
        self, *, resumed: bool = False, target: TargetEntry | None = None, **now: Any
    ) -> None:
        """A new attempt begins (first or resumed): running again, under what it uses now.

        Args:
            resumed: The attempt resumes the run (its time is added to `resumed_at`).
            target: Where this attempt goes (a resume may go elsewhere).
            now: This attempt's `sink`, `sink_spec`, `guided`, `pid` (what run.json
                and `runbook runs` show after a resume is the last attempt's).
        """
        if resumed:
            # The end of the interrupted attempt's window (fact `interrupted_at`):
            # what the portal shows as made after it is not that attempt's.
            seen = self.data.get("finished_at") or self.data.get("saved_at")
            self.data["facts"]["interrupted_at"] = seen
            self.data.setdefault("resumed_at", []).append(utcnow().isoformat())
        if target is not None:
            self.data["target"] = target
        self.data.update(now)  # type: ignore[typeddict-item]
        self.data["outcome"], self.data["error"] = "running", None
        self.data["finished_at"] = None
        self.data.pop("resumable", None)

    def settle(self, *, resumable: bool) -> None:
        """Record whether `runbook resume` can get past what ended the run; save."""
        if not resumable:
            self.data["resumable"] = False
            self.save()

    def where_interrupted(self) -> str:
        """`Ctrl-C during step 3`: the step that was running, else the next one."""
        steps = self.data["steps"]
        where = next((s["number"] for s in steps if s["status"] in ("running", "pending")), None)
        return f"Ctrl-C during step {where}" if where else "Ctrl-C"

    def save(self) -> None:
        """Write the journal atomically, mode 0600, with every secret scrubbed.

        Stamped with the time: a killed run's last save is when it was last seen
        alive, the end of the window in which it can have made anything.
        """
        self.data["saved_at"] = _iso(utcnow())
        text = json.dumps(self.data, indent=2, default=str)
        write_private(self.path, self._redactor.scrub(text) + "\n")
