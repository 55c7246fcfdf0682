"""`runbook sandbox`: serves every replica portal until Ctrl-C."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path


def test_sandbox_command_serves_the_replicas_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "runbooks", "sandbox", "--port", "0", "--data", str(tmp_path)],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert server.stderr is not None
    lines: list[str] = []
    try:
        for line in server.stderr:
            lines.append(line)
            if "Ctrl-C stops" in line:
                break
        text = "".join(lines)
        assert "SANDBOX" in text and "operator@sandbox.test" in text, text
        state_urls = re.findall(r"(http://127\.0\.0\.1:\d+/_sandbox/state)", text)
        assert state_urls, text
        for url in state_urls:
            with urllib.request.urlopen(url, timeout=10) as reply:
                assert isinstance(json.load(reply), dict)
    finally:
        server.send_signal(signal.SIGINT)
        code = server.wait(timeout=30)
        server.stderr.close()
    assert code == 130
    assert (tmp_path / "gravitee.sqlite3").exists(), "state kept in --data"
