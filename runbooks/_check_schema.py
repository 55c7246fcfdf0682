"""The documented shape of `runbook check --json` (JSON Schema 2020-12), and exit codes.

``schema_version`` changes whenever a field changes meaning or goes away;
fields may be added without a new version. A step's ``kind`` is a
`runbooks._drift.Drift` name (``CONTROL_MISSING`` …), null when it checked out.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "EXIT_DRIFT",
    "EXIT_OK",
    "EXIT_UNCHECKED",
    "EXIT_USAGE",
    "RESULTS",
    "SCHEMA_VERSION",
    "STATUSES",
    "SUMMARY_SCHEMA",
]

EXIT_OK = 0
EXIT_DRIFT = 1
EXIT_USAGE = 2
EXIT_UNCHECKED = 3
SCHEMA_VERSION = 1

RESULTS = ["passed", "warning", "unchecked", "failed"]
STATUSES = ["passed", "flaky", "warning", "unchecked", "failed"]

_TEXT = {"type": "string"}
_PATH = {"type": ["string", "null"]}
_STEP_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["step", "text", "status", "kind", "duration", "retries"],
    "properties": {
        "step": _TEXT,
        "text": _TEXT,
        "guide_url": _TEXT,
        "status": {"enum": STATUSES},
        "kind": {"type": ["string", "null"], "description": "Drift name, e.g. CONTROL_MISSING"},
        "kind_label": _TEXT,
        "expected": _TEXT,
        "found": _TEXT,
        "diff": _TEXT,
        "screenshot": _PATH,
        "trace": _PATH,
        "duration": {"type": "number", "minimum": 0},
        "retries": {"type": "integer", "minimum": 0},
        "notes": {"type": "array", "items": _TEXT},
    },
}
#: The documented shape of `json_summary`'s result (JSON Schema 2020-12).
SUMMARY_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "runbook check summary",
    "type": "object",
    "additionalProperties": False,
    "required": ["schema_version", "result", "exit_code", "counts", "checks"],
    "properties": {
        "schema_version": {"const": SCHEMA_VERSION},
        "result": {"enum": RESULTS, "description": "The worst result of any step"},
        "exit_code": {"enum": [EXIT_OK, EXIT_DRIFT, EXIT_UNCHECKED]},
        "started": {"type": "string", "description": "ISO 8601, UTC"},
        "duration": {"type": "number", "minimum": 0},
        "counts": {
            "type": "object",
            "additionalProperties": False,
            "required": STATUSES,
            "properties": {s: {"type": "integer", "minimum": 0} for s in STATUSES},
        },
        "checks": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["runbook", "portal", "result", "duration", "steps"],
                "properties": {
                    "runbook": _TEXT,
                    "portal": _TEXT,
                    "result": {"enum": RESULTS},
                    "duration": {"type": "number", "minimum": 0},
                    "steps": {"type": "array", "items": _STEP_SCHEMA},
                },
            },
        },
    },
}
