"""Fixtures shared by every test: sandboxes, browser settings, a clean environment
and the no-egress guard."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Playwright, Route

from runbooks import _session
from runbooks._session import context_options, launch_options, resolve_browser
from sandbox import CloudekaSandbox, GraviteeSandbox
from sandbox._server import SandboxServer

# The suite fails if a process the tests started is still running at the end.
pytest_plugins = ["pytester", "tests.leftovers"]


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No RUNBOOK_* from the developer's shell or .env; state and recordings in tmp."""
    for key in list(os.environ):
        if key.startswith("RUNBOOK_") and key != "RUNBOOK_BROWSER":
            monkeypatch.delenv(key)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("RUNBOOK_DATA_DIR", str(tmp_path / "data"))
    return work


class EgressGuard:
    """Aborts, and remembers, any browser request to a host that is not a sandbox's."""

    def __init__(self) -> None:
        self.allowed: set[str] = set()
        self.violations: list[str] = []

    def install(self, context: BrowserContext) -> None:
        context.route("**/*", self._route)

    def _route(self, route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc not in self.allowed:
            self.violations.append(url)
            route.abort("blockedbyclient")
        else:
            route.continue_()


@pytest.fixture(autouse=True)
def egress_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[EgressGuard]:
    """Fail any test whose browser asks for a host other than a sandbox's."""
    guard = EgressGuard()
    real_start = SandboxServer.start

    def start(self: SandboxServer) -> None:
        real_start(self)
        guard.allowed.add(self.netloc)

    # Every replica portal serves through SandboxServer: whatever a test starts is allowed.
    monkeypatch.setattr(SandboxServer, "start", start)
    monkeypatch.setattr(_session, "context_hooks", [guard.install])
    yield guard
    assert not guard.violations, (
        f"the browser asked for hosts outside the sandbox: {guard.violations}"
    )


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], playwright: Playwright
) -> dict[str, Any]:
    """Launch the browser the product would launch (Playwright's, else the system's)."""
    choice = resolve_browser(os.environ.get("RUNBOOK_BROWSER"), playwright.chromium.executable_path)
    return {**launch_options(choice), **browser_type_launch_args}


@pytest.fixture
def gravitee(tmp_path: Path, egress_guard: EgressGuard) -> Iterator[GraviteeSandbox]:
    """A fresh Gravitee Cloud replica with its seed data."""
    with GraviteeSandbox(tmp_path / "gravitee") as server:
        yield server


@pytest.fixture
def context(
    new_context: Callable[..., BrowserContext],
    gravitee: GraviteeSandbox,
    egress_guard: EgressGuard,
) -> BrowserContext:
    """pytest-playwright's context, set up as the product sets up its own."""
    ctx = new_context(**context_options(gravitee.url))
    egress_guard.install(ctx)
    return ctx


@pytest.fixture
def gravitee_env(gravitee: GraviteeSandbox, monkeypatch: pytest.MonkeyPatch) -> GraviteeSandbox:
    """Configure the running replica as the Gravitee target, as a user would in .env."""
    monkeypatch.setenv("RUNBOOK_GRAVITEE_URL", gravitee.url)
    monkeypatch.setenv("RUNBOOK_GRAVITEE_EMAIL", gravitee.EMAIL)
    monkeypatch.setenv("RUNBOOK_GRAVITEE_PASSWORD", gravitee.PASSWORD)
    return gravitee


@dataclass
class GuardedCli:
    """How to start the real CLI in another process, egress-guarded (tests.guarded_cli)."""

    argv: list[str]
    env: dict[str, str]
    egress_log: Path

    def violations(self) -> list[str]:
        return self.egress_log.read_text().split() if self.egress_log.exists() else []


@pytest.fixture
def guarded_cli(gravitee_env: GraviteeSandbox, tmp_path: Path) -> Iterator[GuardedCli]:
    """The CLI as a subprocess against the running replica; fails the test on egress."""
    repo = Path(__file__).resolve().parent.parent
    env = {
        **os.environ,
        "PYTHONPATH": str(repo),
        "RUNBOOK_TEST_ALLOWED_HOSTS": ",".join(gravitee_env.hosts),
        "RUNBOOK_TEST_EGRESS_LOG": str(tmp_path / "egress.log"),
        "COLUMNS": "160",
    }
    cli = GuardedCli([sys.executable, "-m", "tests.guarded_cli"], env, tmp_path / "egress.log")
    yield cli
    assert not cli.violations(), f"the CLI's browser left the sandbox: {cli.violations()}"


@pytest.fixture
def cloudeka(tmp_path: Path, egress_guard: EgressGuard) -> Iterator[CloudekaSandbox]:
    """A fresh Cloudeka Service Portal AI replica (two-factor sign-in off: `enable_totp`)."""
    with CloudekaSandbox(tmp_path / "cloudeka") as server:
        yield server


@pytest.fixture
def cloudeka_env(cloudeka: CloudekaSandbox, monkeypatch: pytest.MonkeyPatch) -> CloudekaSandbox:
    """Configure the running replica as the Cloudeka target, as a user would in .env."""
    monkeypatch.setenv("RUNBOOK_CLOUDEKA_URL", cloudeka.url)
    monkeypatch.setenv("RUNBOOK_CLOUDEKA_EMAIL", cloudeka.EMAIL)
    monkeypatch.setenv("RUNBOOK_CLOUDEKA_PASSWORD", cloudeka.PASSWORD)
    return cloudeka
