"""Browser resolution, and driving a remote Playwright browser server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Playwright

from runbooks._errors import BrowserError
from runbooks._session import LAUNCH_FLAGS, open_session, resolve_browser
from sandbox import GraviteeSandbox
from tests.cli import in_thread
from tests.leftovers import descendants, stop_tree


def test_runbook_browser_path_wins(tmp_path: Path) -> None:
    exe = tmp_path / "my-chrome"
    exe.write_text("")
    choice = resolve_browser(str(exe), managed_path=None)
    assert (choice.executable_path, choice.source) == (str(exe), "RUNBOOK_BROWSER")


def test_runbook_browser_channel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    choice = resolve_browser("msedge", managed_path=None)
    assert choice.channel == "msedge" and choice.executable_path is None


def test_runbook_browser_unknown_is_an_error() -> None:
    with pytest.raises(BrowserError, match="neither a file nor a channel"):
        resolve_browser("/nope/browser", managed_path=None)


def test_managed_browser_before_system(tmp_path: Path) -> None:
    managed = tmp_path / "chrome"
    managed.write_text("")
    assert resolve_browser(None, str(managed)).source == "playwright"


def test_no_browser_at_all_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(BrowserError, match="playwright install chromium"):
        resolve_browser(None, managed_path="/nope")


@contextmanager
def launch_server(tmp_path: Path, playwright: Playwright) -> Iterator[subprocess.Popen[str]]:
    """A real `playwright launch-server` on 127.0.0.1, stopped with everything it started."""
    choice = resolve_browser(os.environ.get("RUNBOOK_BROWSER"), playwright.chromium.executable_path)
    config: dict[str, object] = {
        "headless": True,
        "host": "127.0.0.1",
        "args": [*LAUNCH_FLAGS, "--no-sandbox"],
    }
    if choice.executable_path:
        config["executablePath"] = choice.executable_path
    (tmp_path / "server.json").write_text(json.dumps(config))
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "playwright",
            "launch-server",
            "--browser",
            "chromium",
            "--config",
            str(tmp_path / "server.json"),
        ],
        stdout=subprocess.PIPE,
        text=True,
        # Its own process group: `python -m playwright` runs node, which runs Chromium,
        # and stopping the python wrapper alone would leave both running.
        start_new_session=True,
    )
    try:
        yield server
    finally:
        stop_tree(server.pid)
        server.wait(timeout=30)
        if server.stdout is not None:
            server.stdout.close()


def _ws_url(server: subprocess.Popen[str]) -> str:
    assert server.stdout is not None
    line = server.stdout.readline().strip()
    assert line.startswith("ws://127.0.0.1:"), line
    return line


@pytest.fixture
def browser_server(tmp_path: Path, playwright: Playwright) -> Iterator[str]:
    """A real `playwright launch-server` on 127.0.0.1; yields its ws:// URL."""
    with launch_server(tmp_path, playwright) as server:
        yield _ws_url(server)


def test_a_stopped_browser_server_leaves_no_process(tmp_path: Path, playwright: Playwright) -> None:
    before = set(descendants())
    with launch_server(tmp_path, playwright) as server:
        _ws_url(server)  # printed once its browser runs
        started = {p: c for p, c in descendants().items() if p not in before}
        commands = " ".join(started.values())
        assert "node" in commands and "chrom" in commands, started
    still = {p: c for p, c in descendants().items() if p in started}
    assert not still, f"left running: {still}"


def test_session_drives_a_remote_browser_server(
    browser_server: str, gravitee: GraviteeSandbox
) -> None:
    def drive() -> tuple[str | None, str, str]:
        with open_session(base_url=gravitee.url, connect=browser_server) as session:
            session.page.goto("/")
            session.page.evaluate("navigator.clipboard.writeText('remote-ok')")
            copied = str(session.page.evaluate("navigator.clipboard.readText()"))
            return session.remote, session.page.url, copied

    remote, url, copied = in_thread(drive)
    assert remote == browser_server
    # The remote browser followed the redirect to the sign-in origin, with clipboard rights.
    assert url.startswith(gravitee.auth_url)
    assert copied == "remote-ok"


def test_unreachable_browser_server_is_a_browser_error() -> None:
    def drive() -> None:
        with open_session(base_url="http://127.0.0.1:9", connect="ws://127.0.0.1:9/nothing"):
            pass

    with pytest.raises(BrowserError, match="cannot reach the browser server"):
        in_thread(drive)
