"""Past runs, read back from their journals (`runbook runs`, `runbook resume`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from runbooks._errors import UsageError
from runbooks._journal import Journal
from runbooks._lock import process_alive
from runbooks._secrets import Redactor

__all__ = ["RESUMABLE", "find_runs", "is_resumable", "load_run"]

#: Outcomes a run can be resumed from.
RESUMABLE = ("failed", "interrupted", "stopped", "aborted")


def is_resumable(data: dict[str, Any]) -> bool:
    """Whether `runbook resume` can continue this run."""
    outcome = data.get("outcome")
    if outcome == "running":
        # Still "running" in its journal but its process is gone: killed.
        pid = data.get("pid")
        return not (isinstance(pid, int) and process_alive(pid))
    return outcome in RESUMABLE


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
