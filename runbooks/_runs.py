"""Past runs, read back from their journals (`runbook runs`, `runbook resume`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from runbooks._errors import UsageError
from runbooks._journal import Journal
from runbooks._lock import process_alive
from runbooks._secrets import Redactor

__all__ = ["RESUMABLE", "find_runs", "is_resumable", "load_run", "outcome_of", "started"]

#: Outcomes a run can be resumed from.
RESUMABLE = ("failed", "interrupted", "stopped", "aborted")


def started(data: dict[str, Any]) -> bool:
    """Whether any step of the run began (a run refused before its browser never did)."""
    return any(step.get("status") not in (None, "pending") for step in data.get("steps", []))


def _killed(data: dict[str, Any]) -> bool:
    """Still "running" in its journal, but its process is gone."""
    pid = data.get("pid")
    return data.get("outcome") == "running" and not (isinstance(pid, int) and process_alive(pid))


def is_resumable(data: dict[str, Any]) -> bool:
    """Whether `runbook resume` can continue this run.

    Not when no step ever began (nothing to go on from: start a new run), nor
    when the journal says that the error that ended it is not one a resume
    gets past (an unknown gateway, a name the portal already has).
    """
    if not started(data) or data.get("resumable") is False:
        return False
    return _killed(data) or data.get("outcome") in RESUMABLE


def outcome_of(data: dict[str, Any]) -> str:
    """The run's outcome in words; `runbook runs` and `runbook runs show` both say this."""
    outcome = str(data.get("outcome"))
    if _killed(data):
        return "interrupted (process gone)"
    if outcome in RESUMABLE and not started(data):
        return f"{outcome} (never started)"
    resumed = data.get("resumed_at") or []
    if resumed and outcome != "running":
        return f"{outcome} (resumed {len(resumed)}x)"
    return outcome


def find_runs(recordings: Path, limit: int = 20) -> list[dict[str, Any]]:
    """The newest runs' journals, newest first."""
    runs = []
    for path in recordings.glob("*/run.json"):
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            continue  # a journal being written, or not ours
        if isinstance(data, dict) and "run_id" in data:
            runs.append(data)
    runs.sort(key=lambda d: str(d.get("started_at")), reverse=True)
    return runs[:limit]


def load_run(recordings: Path, run_id: str, redactor: Redactor) -> Journal:
    """The journal of run `run_id`.

    Raises:
        UsageError: there is no such run.
    """
    path = recordings / run_id / "run.json"
    if "/" in run_id or not path.is_file():
        raise UsageError(f"no run {run_id!r} in {recordings}; `runbook runs` lists them")
    return Journal.load(path, redactor)
