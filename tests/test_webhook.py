"""The webhook poster, against a local http.server on 127.0.0.1 (no other hosts)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from runbooks._drift import Drift, StepResult
from runbooks._reports import json_summary
from runbooks._webhook import post_if_changed


class Hook(ThreadingHTTPServer):
    received: list[dict[str, Any]]
    answer: int


class Handler(BaseHTTPRequestHandler):
    server: Hook

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        assert self.headers["Content-Type"] == "application/json"
        self.server.received.append(json.loads(self.rfile.read(length)))
        self.send_response(self.server.answer)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def hook(monkeypatch: pytest.MonkeyPatch) -> Iterator[Hook]:
    for proxy in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.delenv(proxy, raising=False)
    server = Hook(("127.0.0.1", 0), Handler)
    server.received, server.answer = [], 204
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def summary(kind: Drift | None, duration: float = 1.0) -> dict[str, Any]:
    step = StepResult(
        "gravitee-cloud-token", "sandbox", "4", "Click the bin icon.", kind=kind, duration=duration
    )
    return json_summary([step])


def test_posts_only_when_the_result_changes(hook: Hook, tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{hook.server_address[1]}/hooks/secret-path"
    state = tmp_path / "data" / "check-webhook.json"
    first = post_if_changed(url, summary(None), state)
    assert first.sent and first.status == 204 and first.reason == "posted: first run"
    again = post_if_changed(url, summary(None, duration=9.0), state)
    assert not again.sent, "another duration is not another result"
    drift = post_if_changed(url, summary(Drift.CONTROL_MISSING), state)
    assert drift.sent and drift.reason == "posted: the result changed"
    other = post_if_changed(url, summary(Drift.CONTROL_AMBIGUOUS), state)
    assert other.sent, "failing differently is a change"
    assert [r["result"] for r in hook.received] == ["passed", "failed", "failed"]
    assert hook.received[1]["checks"][0]["steps"][0]["kind"] == "CONTROL_MISSING"
    assert all("secret-path" not in p.reason for p in (first, again, drift, other))


def test_a_refused_post_is_tried_again_next_run(hook: Hook, tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{hook.server_address[1]}/"
    state = tmp_path / "state.json"
    hook.answer = 500
    refused = post_if_changed(url, summary(None), state)
    assert not refused.sent and refused.status == 500 and not state.exists()
    hook.answer = 200
    assert post_if_changed(url, summary(None), state).sent
    assert len(hook.received) == 2


def test_unreachable_webhook_and_bad_urls(tmp_path: Path, hook: Hook) -> None:
    port = hook.server_address[1]
    hook.shutdown()
    hook.server_close()
    down = post_if_changed(f"http://127.0.0.1:{port}/x", summary(None), tmp_path / "s.json")
    assert not down.sent and "could not be reached" in down.reason
    with pytest.raises(ValueError, match="http"):
        post_if_changed("file:///etc/passwd", summary(None), tmp_path / "s.json")
