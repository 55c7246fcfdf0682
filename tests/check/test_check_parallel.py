"""Checks spread over two browser servers at once; one of them dies mid-run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from runbooks._baselines import BaselineStore
from runbooks._check.run import Check, CheckOptions, run_checks
from runbooks._config import load_settings
from runbooks._drift import Drift, StepResult
from runbooks._registry import get_runbook
from runbooks._reports import EXIT_UNCHECKED, exit_code
from runbooks._secrets import Redactor
from runbooks._session import LAUNCH_FLAGS, resolve_browser
from tests.check.conftest import Portals
from tests.cli import in_thread


class BrowserServer:
    """A real `playwright launch-server`, stopped with its whole process group."""

    def __init__(self, folder: Path, executable: str | None) -> None:
        config: dict[str, object] = {
            "headless": True,
            "host": "127.0.0.1",
            "args": [*LAUNCH_FLAGS, "--no-sandbox"],
        }
        if executable:
            config["executablePath"] = executable
        folder.mkdir()
        (folder / "server.json").write_text(json.dumps(config))
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "playwright",
                "launch-server",
                "--browser",
                "chromium",
                "--config",
                str(folder / "server.json"),
            ],
            stdout=subprocess.PIPE,
            text=True,
            # The server runs in a node child: only stopping the group stops it (and Chromium).
            start_new_session=True,
        )
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().strip()
        assert self.url.startswith("ws://127.0.0.1:"), self.url

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        if self.process.stdout is not None:
            self.process.stdout.close()


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[tuple[BrowserServer, BrowserServer]]:
    executable = resolve_browser(os.environ.get("RUNBOOK_BROWSER"), None).executable_path
    first = BrowserServer(tmp_path / "a", executable)
    try:
        second = BrowserServer(tmp_path / "b", executable)
    except BaseException:
        first.kill()
        raise
    try:
        yield first, second
    finally:
        first.kill()
        second.kill()


def test_checks_spread_over_two_servers_survive_one_dying(
    portals_env: Portals, servers: tuple[BrowserServer, BrowserServer], tmp_path: Path
) -> None:
    alive, doomed = servers
    checks = [
        Check(get_runbook("gravitee-cloud-token")),  # on alive
        Check(get_runbook("gravitee-cert-renewal")),  # on doomed
        Check(get_runbook("cloudeka-token")),  # on alive
        Check(get_runbook("gravitee-cloud-token"), "eu-staging-gw"),  # on doomed, after it died
    ]
    finished: list[str] = []

    def done(check: Check, results: list[StepResult]) -> None:
        finished.append(check.label)
        if len(finished) == 1 or check.runbook.name == "gravitee-cloud-token":
            doomed.kill()  # mid-run: checks are still running or waiting for it

    options = CheckOptions(
        store=BaselineStore(portals_env.baselines, collapse_rows=True),
        workers=2,
        connect=(alive.url, doomed.url),
        recordings=tmp_path / "recordings",
        done=done,
        # As a nightly job would run: a step slowed by a loaded machine is tried again
        # (a flaky pass has no kind); the dead server's checks stay unavailable.
        retries=1,
    )
    before = portals_env.states()
    results = in_thread(lambda: run_checks(checks, options, load_settings(), Redactor()))
    alive_runs = [
        r
        for r in results
        if r.runbook == "cloudeka-token"
        or (r.runbook == "gravitee-cloud-token" and "eu-staging-gw" not in r.portal)
    ]
    assert alive_runs and all(r.kind is None for r in alive_runs), [
        (r.step, r.kind, r.expected, r.found) for r in alive_runs if r.kind
    ]
    unavailable = [r for r in results if r.kind is Drift.BROWSER_UNAVAILABLE]
    # The check that came after the server died could not run: not drift.
    assert any("eu-staging-gw" in r.portal for r in unavailable), results
    assert not [r for r in results if r.kind not in (None, Drift.BROWSER_UNAVAILABLE)], results
    assert exit_code(results) == EXIT_UNCHECKED
    assert portals_env.states() == before
