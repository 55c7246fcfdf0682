"""`.env.example` lists every RUNBOOK_* key the code reads."""

from __future__ import annotations

import re
from pathlib import Path

from runbooks._registry import PORTALS

ROOT = Path(__file__).resolve().parent.parent


def test_env_example_lists_every_key() -> None:
    listed = set(re.findall(r"^(RUNBOOK_[A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    read = {
        "RUNBOOK_" + key
        for path in (ROOT / "runbooks").rglob("*.py")
        for key in re.findall(r"(?:self|settings)\.get\(\"([A-Z_]+)\"\)", path.read_text())
    }
    for portal in PORTALS.values():
        read |= set(portal.env_keys)
    assert read - listed == set()
    assert {"RUNBOOK_BROWSER", "RUNBOOK_CONNECT", "RUNBOOK_TIMEOUT"} <= read
