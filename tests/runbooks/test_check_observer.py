"""The check observer on a real run of the sandbox: baselines, drift, reports, nothing changed."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from runbooks import Runbook, Step
from runbooks._baselines import BaselineStore
from runbooks._check_observer import CheckObserver
from runbooks._config import load_settings
from runbooks._drift import Drift
from runbooks._engine import Runner, RunOptions
from runbooks._errors import RunbookError
from runbooks._modes import Decision, Turn
from runbooks._output import Reporter, make_console
from runbooks._registry import get_runbook
from runbooks._reports import EXIT_DRIFT, EXIT_OK, exit_code, junit_xml
from runbooks._secrets import Redactor
from runbooks._sinks import parse_sink
from sandbox import GraviteeSandbox
from tests.cli import in_thread


class LookOnly:
    """A toy check mode: performs the steps that only look, skips the first that changes."""

    attended = False

    def __init__(self) -> None:
        self.stopped = False

    def plan(self, runbook: Runbook, params: Mapping[str, Any]) -> tuple[Step, ...]:
        return runbook.plan(params)

    def decide(self, step: Step, turn: Turn) -> Decision:
        self.stopped = self.stopped or step.changes_portal
        return Decision.skip("a check changes nothing") if self.stopped else Decision.perform()

    def hand_off(self, message: str) -> bool:
        return False


def check(
    gravitee: GraviteeSandbox,
    tmp_path: Path,
    kept: list[CheckObserver] | None = None,
    *,
    update: bool = False,
) -> CheckObserver:
    redactor = Redactor()
    store = BaselineStore(
        tmp_path / "checks", [gravitee.PASSWORD], scrub=redactor.scrub, collapse_rows=True
    )
    observer = CheckObserver(store, update=update, portal="sandbox", screenshots=tmp_path / "shots")
    if kept is not None:
        kept.append(observer)  # for a test whose run raises
    runner = Runner(load_settings(), Reporter(make_console(redactor, io.StringIO())), redactor)
    options = RunOptions(
        sink=parse_sink(f"file:{tmp_path}/token"), mode=LookOnly(), observers=(observer,)
    )
    params = {"gateway": "eu-prod-gw", "order": "documented"}
    in_thread(lambda: runner.run(get_runbook("gravitee-cloud-token"), params, options))
    return observer


def test_a_check_keeps_baselines_and_reports_a_changed_structure(
    gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    before = gravitee_env.state()
    first = check(gravitee_env, tmp_path, update=True)
    assert [(r.step, r.status) for r in first.results] == [(n, "passed") for n in "1234"]
    assert {c.status for c in first.comparisons} == {"missing"}
    store = BaselineStore(tmp_path / "checks")
    assert len(store.candidates()) == 4 and store.approve()
    written = "".join(p.read_text() for p in (tmp_path / "checks").rglob("*.aria"))
    assert gravitee_env.PASSWORD not in written and gravitee_env.EMAIL not in written
    assert 'dialog "Revoke Cloud Token"' in written, "step 4 left the revoke dialog open"
    assert 'button "Generate Cloud Token"' in written

    second = check(gravitee_env, tmp_path)
    assert {c.status for c in second.comparisons} == {"match"}
    assert exit_code(second.results) == EXIT_OK
    assert second.results[0].guide_url.startswith("https://documentation.gravitee.io/")

    # The vendor renames a documented button (here: the reviewed baseline says otherwise).
    baseline = store.path("gravitee-cloud-token", "3")
    baseline.write_text(baseline.read_text().replace("Generate Cloud Token", "Create Cloud Token"))
    third = check(gravitee_env, tmp_path)
    changed = [r for r in third.results if r.kind is not None]
    assert [(r.step, r.kind) for r in changed] == [("3", Drift.STRUCTURE_CHANGED)]
    assert '+    - button "Generate Cloud Token"' in changed[0].diff
    assert exit_code(third.results) == EXIT_DRIFT
    failure = ET.fromstring(junit_xml(third.results)).find(".//testcase/failure")
    assert failure is not None and "step 3" in (failure.get("message") or "")

    assert gravitee_env.state() == before, "a check changes nothing"
    assert not (tmp_path / "token").exists(), "and delivers nothing"


def test_a_failing_step_is_classified_with_a_screenshot(
    gravitee_env: GraviteeSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The portal answers after the timeout: the step's control never appears in time.
    monkeypatch.setenv("RUNBOOK_TIMEOUT", "1")
    gravitee_env.latency = 3
    observers: list[CheckObserver] = []
    with pytest.raises(RunbookError):
        check(gravitee_env, tmp_path, observers)
    (failed,) = [r for r in observers[0].results if r.kind is not None]
    assert failed.kind is Drift.CONTROL_MISSING, failed.describe()
    assert failed.screenshot is not None and failed.screenshot.exists()
    assert exit_code(observers[0].results) == EXIT_DRIFT
