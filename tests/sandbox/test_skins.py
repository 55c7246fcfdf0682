"""The sandbox skins: chosen by argument, setting or command line; same API and state."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from sandbox import CloudekaSandbox, GraviteeSandbox
from sandbox._server import resolve_skin


def test_skin_names_and_their_aliases(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_skin(None) == "plain"  # the default
    assert resolve_skin("material") == resolve_skin("vuetify") == resolve_skin("framework")
    monkeypatch.setenv("RUNBOOK_SANDBOX_SKIN", "Vuetify")
    assert resolve_skin(None) == "framework"
    assert resolve_skin("plain") == "plain"  # the argument wins over the setting
    with pytest.raises(ValueError, match="unknown sandbox skin 'bootstrap'"):
        resolve_skin("bootstrap")


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as reply:
        return str(reply.read().decode())


def test_both_skins_serve_one_state_and_their_own_markup(tmp_path: Path) -> None:
    with GraviteeSandbox(tmp_path, skin="plain") as plain:
        before = plain.state()
        page = _get(plain.url + "/static/gateway.js")
        assert "mat-table" not in page
    # The same state folder under the other skin: same data, other markup.
    with GraviteeSandbox(tmp_path, skin="material") as material:
        assert material.skin == "framework"
        assert material.state() == before
        assert "mat-dialog-container" in _get(material.url + "/static/mat.js")
    with CloudekaSandbox(tmp_path, skin="vuetify") as vuetify:
        assert "Vuetify v3." in _get(vuetify.url + "/static/vuetify.min.js")[:200]
        assert (
            "MIT"
            in (
                Path(__file__).parents[2] / "sandbox/cloudeka/vuetify/LICENSE-vuetify.txt"
            ).read_text()
        )


def test_a_replica_starts_once_and_stops_twice(tmp_path: Path) -> None:
    sandbox = CloudekaSandbox(tmp_path, skin="framework")
    with sandbox:
        with pytest.raises(RuntimeError, match="already running"):
            sandbox.start()
        assert sandbox.hosts == (sandbox.url.removeprefix("http://"),)
    sandbox.stop()  # idempotent
    with pytest.raises(RuntimeError, match="not running"):
        _ = sandbox.url


def test_sandbox_command_takes_a_skin(tmp_path: Path) -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "runbooks", "sandbox", "--port", "0", "--data", str(tmp_path),
         "--skin", "material"],
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert server.stderr is not None
    lines: list[str] = []
    try:
        for line in server.stderr:
            lines.append(line)
            if "Ctrl-C stops" in line:
                break
        text = "".join(lines)
        assert text.count("(framework skin)") == 2, text
        state = re.findall(r"(http://127\.0\.0\.1:\d+/_sandbox/state)", text)[0]
        with urllib.request.urlopen(state, timeout=10) as reply:
            assert isinstance(json.load(reply), dict)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
        server.stderr.close()
