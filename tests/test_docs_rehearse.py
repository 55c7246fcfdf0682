"""`runbook docs --rehearse --target URL`: live images, the portal unchanged (#12 part 6)."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from runbooks._registry import RUNBOOKS
from sandbox import CloudekaSandbox
from tests.cli import run_cli
from tests.conftest import EgressGuard


def state(server: CloudekaSandbox) -> bytes:
    return bytes(urllib.request.urlopen(f"{server.url}/_sandbox/state", timeout=30).read())


def test_rehearse_captures_a_live_portal_without_changing_it(
    cloudeka: CloudekaSandbox,
    egress_guard: EgressGuard,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    # The sandbox given as --target URL: to runbook docs it is a live portal.
    monkeypatch.setenv("RUNBOOK_CLOUDEKA_EMAIL", cloudeka.EMAIL)
    monkeypatch.setenv("RUNBOOK_CLOUDEKA_PASSWORD", cloudeka.PASSWORD)
    egress_guard.allowed.update(cloudeka.hosts)
    name, out = "cloudeka-token", tmp_path / "shots"
    before = state(cloudeka)
    result = run_cli("docs", name, "--out", str(out), "--target", cloudeka.url, "--rehearse")
    assert result.code == 0, result.text
    assert state(cloudeka) == before, "a rehearsal changes nothing on the portal"
    steps = RUNBOOKS[name].steps
    for step in steps:
        assert (out / ".candidates" / name / f"step-{step.number}.png").exists(), step.number
    manifest = json.loads((out / ".candidates" / "manifest.json").read_text("utf-8"))
    sources = {
        step.number: manifest["images"][f"{name}/step-{step.number}.png"]["source"]
        for step in steps
    }
    # Up to the first change, and each rehearsed step, live; what only a completed
    # action shows (after the brink, no rehearsal), from the sandbox.
    brink = next(i for i, s in enumerate(steps) if s.changes_portal)
    expected = {
        s.number: "live" if i < brink or s.rehearse is not None else "sandbox"
        for i, s in enumerate(steps)
    }
    assert sources == expected
    assert "sandbox" in sources.values() and "live" in sources.values()
    shots = json.loads((out / ".candidates" / name / "captures.json").read_text("utf-8"))
    assert {n: s["source"] for n, s in shots.items()} == expected
