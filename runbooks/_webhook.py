"""Post a check's JSON summary to a webhook, only when the result changed (issue #11).

A nightly job that posts every night trains people to ignore it; this posts
when the outcome differs from the previous run's: another overall result, or
another step failing or failing differently (durations do not count). The
previous run's fingerprint is kept in a small state file in the tool's data
folder. The first run with no state posts. A failed post leaves the state
as it was, so the next run tries again.

Webhook URLs often carry a credential (chat services put it in the path), so
no message here ever repeats the URL.
"""

from __future__ import annotations

import hashlib
import json
import os
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = ["Posted", "fingerprint", "post_if_changed"]


@dataclass(frozen=True)
class Posted:
    """What `post_if_changed` did.

    Attributes:
        sent: The summary was posted and accepted (a 2xx answer).
        reason: Why it was or was not posted, in words (never the URL).
        status: The webhook's HTTP status, when it answered.
    """

    sent: bool
    reason: str
    status: int | None = None


def fingerprint(summary: Mapping[str, Any]) -> str:
    """A digest of what a person would call "the result": not timings, not paths."""
    essence = [
        summary.get("result"),
        [
            [
                check.get("runbook"),
                check.get("portal"),
                check.get("result"),
                [[s.get("step"), s.get("status"), s.get("kind")] for s in check.get("steps", [])],
            ]
            for check in summary.get("checks", [])
        ],
    ]
    return hashlib.sha256(json.dumps(essence, sort_keys=True).encode()).hexdigest()


def _read_state(path: Path) -> str | None:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = state.get("fingerprint") if isinstance(state, dict) else None
    return value if isinstance(value, str) else None


def _write_state(path: Path, value: str, result: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps({"fingerprint": value, "result": result}) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def post_if_changed(
    url: str, summary: Mapping[str, Any], state: Path, *, timeout: float = 10.0
) -> Posted:
    """Post `summary` as JSON to `url` if its result differs from the last run's.

    Args:
        url: An http or https URL.
        summary: The JSON summary (`runbooks._reports.json_summary`).
        state: The state file (in the data folder), read and rewritten here.
        timeout: Seconds to wait for the webhook's answer.

    Raises:
        ValueError: `url` is not an http(s) URL (a usage error for the CLI).
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("the webhook must be an http:// or https:// URL")
    current = fingerprint(summary)
    previous = _read_state(state)
    if previous == current:
        return Posted(False, "the result is the same as the previous run's; not posted")
    body = json.dumps(summary, sort_keys=True).encode()
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "runbook-check"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # scheme checked above
            status = int(answer.status)
    except urllib.error.HTTPError as exc:
        return Posted(False, f"the webhook answered HTTP {exc.code}; will try again", exc.code)
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return Posted(False, f"the webhook could not be reached ({reason}); will try again")
    _write_state(state, current, summary.get("result"))
    why = "first run" if previous is None else "the result changed"
    return Posted(True, f"posted: {why}", status)
