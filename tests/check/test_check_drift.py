"""Drift, classified: the tests change what the browser shows and read every report."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext

from runbooks import _session
from runbooks._baselines import BaselineStore
from sandbox import CloudekaSandbox
from tests.check.conftest import BASELINE_ROOT, Portals
from tests.cli import Result, run_cli
from tests.conftest import EgressGuard

# What a vendor's release might do to the documented "Generate Cloud Token" button.
_FIND = (
    "[...document.querySelectorAll('button')].filter(b => b.textContent.trim() === "
    "'Generate Cloud Token' && !b.dataset.copy)"
)
ALTER = {
    "renamed": f"{_FIND}.forEach(b => {{ b.textContent = 'Create Cloud Token'; }})",
    "hidden": f"{_FIND}.forEach(b => {{ b.style.display = 'none'; }})",
    "duplicated": f"{_FIND}.filter(b => !b.dataset.copied).forEach(b => {{ "
    "b.dataset.copied = '1'; const c = b.cloneNode(true); c.dataset.copy = '1'; b.after(c); })",
}


def _alter_pages(monkeypatch: pytest.MonkeyPatch, guard: EgressGuard, script: str) -> None:
    watch = (
        f"new MutationObserver(() => {{ {script}; }}).observe(document, "
        "{subtree: true, childList: true});"
    )

    def hook(context: BrowserContext) -> None:
        context.add_init_script(watch)

    monkeypatch.setattr(_session, "context_hooks", [guard.install, hook])


def _check(
    baselines: Path, tmp_path: Path, *args: str
) -> tuple[Result, dict[str, Any], ET.Element, str]:
    out = tmp_path / "out"
    result = run_cli(
        "check",
        *args,
        "--baselines",
        str(baselines),
        "--junit",
        str(out / "junit.xml"),
        "--html",
        str(out / "report.html"),
        "--json",
        str(out / "summary.json"),
        "--recordings",
        str(tmp_path / "recordings"),
    )
    summary = json.loads((out / "summary.json").read_text())
    junit = ET.parse(out / "junit.xml").getroot()
    return result, summary, junit, (out / "report.html").read_text()


def _step(summary: dict[str, Any], number: str) -> dict[str, Any]:
    steps = [s for c in summary["checks"] for s in c["steps"] if s["step"] == number]
    assert len(steps) == 1, summary
    step: dict[str, Any] = steps[0]
    return step


def _failure(junit: ET.Element, number: str) -> str:
    for case in junit.iter("testcase"):
        if case.get("name", "").startswith(f"step {number}"):
            failure = case.find("failure")
            assert failure is not None, ET.tostring(case)
            return f"{failure.get('message')} {failure.text}"
    raise AssertionError(f"no test case for step {number}")


@pytest.mark.parametrize(
    ("change", "kind"),
    [
        ("renamed", "CONTROL_MISSING"),
        ("hidden", "CONTROL_MISSING"),
        ("duplicated", "CONTROL_AMBIGUOUS"),
    ],
)
def test_a_changed_control_is_drift_at_its_step(
    portals_env: Portals,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    egress_guard: EgressGuard,
    change: str,
    kind: str,
    skin: str,
) -> None:
    monkeypatch.setenv("RUNBOOK_TIMEOUT", "3")
    _alter_pages(monkeypatch, egress_guard, ALTER[change])
    before = portals_env.states()
    result, summary, junit, html = _check(portals_env.baselines, tmp_path, "gravitee-cloud-token")
    assert result.code == 1, result.text
    step = _step(summary, "6")
    assert step["kind"] == kind and step["status"] == "failed", step
    assert "Generate Cloud Token" in step["text"]
    assert step["guide_url"].startswith("https://documentation.gravitee.io/")
    label = {"CONTROL_MISSING": "control missing", "CONTROL_AMBIGUOUS": "control ambiguous"}
    assert label[kind] in _failure(junit, "6")
    assert label[kind] in html and "step 6" in html.lower()
    assert step["screenshot"] and Path(step["screenshot"]).exists()
    assert step["trace"] and Path(step["trace"]).name == "trace.zip"
    if change != "hidden":  # a hidden button leaves no trace in the accessibility tree
        assert _step(summary, "4")["kind"] == "STRUCTURE_CHANGED"
        assert "Generate Cloud Token" in _step(summary, "4")["diff"]
    assert "step 6" in result.err and label[kind] in result.err
    assert portals_env.states() == before
    secrets = portals_env.secrets()
    everything = result.text + json.dumps(summary) + ET.tostring(junit, "unicode") + html
    assert not [s for s in secrets if s in everything]


def test_an_unreachable_portal_is_could_not_check(
    portals_env: Portals, tmp_path: Path, egress_guard: EgressGuard
) -> None:
    egress_guard.allowed.add("127.0.0.1:9")  # nothing listens there: the portal is down
    result, summary, junit, html = _check(
        portals_env.baselines, tmp_path, "gravitee-cloud-token", "--target", "http://127.0.0.1:9"
    )
    assert result.code == 3, result.text
    assert summary["result"] == "unchecked"
    assert _step(summary, "1")["kind"] == "PORTAL_UNREACHABLE"
    assert "portal unreachable" in html


def test_an_expired_session_is_sign_in_refused(
    cloudeka_env: CloudekaSandbox, tmp_path: Path
) -> None:
    cloudeka_env.expire_sessions(path=r"^/api/tokens$")
    result, summary, junit, html = _check(
        BASELINE_ROOT / cloudeka_env.skin, tmp_path, "cloudeka-token"
    )
    assert result.code == 1, result.text
    step = _step(summary, "2")
    assert step["kind"] == "SIGN_IN_REFUSED", step
    assert "sign-in refused or expired" in _failure(junit, "2")


# What a vendor's release might do to every dialog: its title no longer names it.
NO_DIALOG_NAMES = (
    "document.querySelectorAll('[role=dialog], [role=alertdialog], dialog').forEach(d => {"
    " d.removeAttribute('aria-labelledby'); d.removeAttribute('aria-label'); })"
)


def test_a_control_found_only_by_a_later_way_than_reviewed_is_a_warning(
    portals_env: Portals,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    egress_guard: EgressGuard,
) -> None:
    baselines = tmp_path / "baselines"
    shutil.copytree(portals_env.baselines, baselines)
    reviewed = baselines / "gravitee-cloud-token" / "step-5.aria"
    # A baseline that does not say how its controls were found yet (as before `# ways:`).
    unsaid = [line for line in reviewed.read_text().splitlines() if not line.startswith("# ways")]
    reviewed.write_text("\n".join(unsaid) + "\n")
    update = run_cli(
        "check", "gravitee-cloud-token", "--baselines", str(baselines), "--update-baselines"
    )
    assert update.code == 0, update.text
    store = BaselineStore(baselines)
    approved = store.approve()
    assert approved == [reviewed], "only the step whose ways were not said has a candidate"
    step5 = reviewed.read_text()
    assert '"the Revoke Cloud Token pop-up window": [0, "dialog' in step5, step5
    original = (portals_env.baselines / "gravitee-cloud-token" / "step-5.aria").read_text()
    body = [line for line in step5.splitlines() if not line.startswith("# ")]
    assert body == [line for line in original.splitlines() if not line.startswith("# ")]

    _alter_pages(monkeypatch, egress_guard, NO_DIALOG_NAMES)
    before = portals_env.states()
    result, summary, junit, html = _check(baselines, tmp_path, "gravitee-cloud-token")
    # Step 4 opens the pop-up: it still works, found by the title it shows (a warning) ...
    step = _step(summary, "4")
    assert step["kind"] == "FALLBACK_ONLY" and step["status"] == "warning", step
    assert "the Revoke Cloud Token pop-up window only by a dialog showing" in step["found"]
    assert "found by dialog" in step["expected"], step
    assert "found only by a fallback strategy" in html
    assert "found only by a fallback strategy" in _failure_or_warning(junit, "4")
    # ... and the pop-up's own structure, where its name is gone, is drift at step 5.
    assert _step(summary, "5")["kind"] == "STRUCTURE_CHANGED"
    assert result.code == 1, result.text
    assert "1 warning(s)" in result.out
    assert portals_env.states() == before


def _failure_or_warning(junit: ET.Element, number: str) -> str:
    for case in junit.iter("testcase"):
        if case.get("name", "").startswith(f"step {number}"):
            return ET.tostring(case, "unicode")
    raise AssertionError(f"no test case for step {number}")
