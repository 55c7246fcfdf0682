"""Nothing lost, nothing left behind (issue 14): resumes that reconcile with the portal."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sandbox import Fault, GraviteeSandbox
from tests.cli import run_cli
from tests.conftest import GuardedCli


def gateway(gravitee: GraviteeSandbox) -> dict[str, Any]:
    return next(g for g in gravitee.state()["gateways"] if g["name"] == "eu-prod-gw")


def audit(tmp_path: Path) -> list[dict[str, Any]]:
    path = tmp_path / "data" / "audit.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()]


def kill_when(
    cli: GuardedCli, args: list[str], ready: Callable[[], bool], what: str
) -> subprocess.CompletedProcess[bytes] | None:
    """Start the CLI and SIGKILL it as soon as `ready()` (a portal or journal condition)."""
    run = subprocess.Popen(
        [*cli.argv, *args], env=cli.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # waits on the portal's state, not a clock
            if ready():
                break
            if run.poll() is not None:
                pytest.fail(f"the run ended before {what}")
            time.sleep(0.02)
        else:
            pytest.fail(f"never {what}")
        run.send_signal(signal.SIGKILL)
    finally:
        run.wait(timeout=30)
    return None


def test_resuming_an_old_run_keeps_the_token_a_later_run_delivered(
    gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    out, ok = tmp_path / "out", tmp_path / "ok"
    flaky = f"cmd:sh -c 'cat > {out} && test -e {ok}'"
    first = run_cli("run", "gravitee-cloud-token", "--gateway", "eu-prod-gw", "--secret-to", flaky)
    assert first.code == 1, first.text
    (run_dir,) = Path("recordings").iterdir()

    sink = tmp_path / "token"
    second = run_cli(
        "run", "gravitee-cloud-token", "--gateway", "eu-prod-gw", "--secret-to", f"file:{sink}"
    )
    assert second.code == 0, second.text
    (delivered,) = [t["value"] for t in gateway(gravitee_env)["tokens"]]
    assert sink.read_text().strip() == delivered

    ok.touch()
    resumed = run_cli("resume", run_dir.name)
    assert resumed.code == 0, resumed.text
    active = [t["value"] for t in gateway(gravitee_env)["tokens"]]
    assert delivered in active, "the later run's delivered token was revoked"
    assert "cannot prove it made" in resumed.err
    assert out.read_text().strip() in active


def test_a_revoke_killed_after_the_portal_committed_is_audited_and_counted(
    guarded_cli: GuardedCli, gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    (original,) = [t["value"] for t in gateway(gravitee_env)["tokens"]]
    gravitee_env.latency = 1.5  # the table reloads slowly after the revoke commits
    args = ["run", "gravitee-cloud-token", "--gateway", "eu-prod-gw"]
    kill_when(
        guarded_cli,
        [*args, "--secret-to", f"file:{tmp_path}/token"],
        lambda: bool(gateway(gravitee_env)["revokedTokens"]),
        "revoked the old token",
    )
    gravitee_env.latency = 0
    intents = [a for a in audit(tmp_path) if a["event"] == "destructive-step-intent"]
    assert [a["step"] for a in intents] == ["5"], "the intent is audited before the action"
    (run_dir,) = Path("recordings").iterdir()
    resumed = run_cli("resume", run_dir.name)
    assert resumed.code == 0, resumed.text
    assert "1 old token(s)" in resumed.text, resumed.text
    state = gateway(gravitee_env)
    assert [t["value"] for t in state["revokedTokens"]] == [original]
    (active,) = state["tokens"]
    assert (tmp_path / "token").read_text().strip() == active["value"]


RENEW = ["run", "gravitee-cert-renewal"]


def test_a_renewal_failing_at_step_c_resumes_and_revokes_the_same_token(
    gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    keystore, sink = tmp_path / "client.p12", tmp_path / "password"
    gravitee_env.add_fault(Fault(method="DELETE", path=r"/account/tokens/", status=500, times=1))
    first = run_cli(*RENEW, "--keystore", str(keystore), "--secret-to", f"file:{sink}")
    assert first.code == 1, first.text
    assert keystore.exists() and sink.exists(), "the renewal itself was done"
    (made,) = gravitee_env.state()["accountTokens"]
    (run_dir,) = Path("recordings").iterdir()

    resumed = run_cli("resume", run_dir.name)
    assert resumed.code == 0, resumed.text
    state = gravitee_env.state()
    assert state["accountTokens"] == []
    assert [t["name"] for t in state["revokedAccountTokens"]] == [made["name"]]
    assert len(state["certificates"]) == 1, "the certificate was not renewed twice"


def test_a_renewal_killed_right_after_the_account_token_was_made(
    guarded_cli: GuardedCli, gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    keystore, sink = tmp_path / "client.p12", tmp_path / "password"
    gravitee_env.latency = 1.5  # the dialog shows the token only after the slow reply
    kill_when(
        guarded_cli,
        [*RENEW, "--keystore", str(keystore), "--secret-to", f"file:{sink}"],
        lambda: bool(gravitee_env.state()["accountTokens"]),
        "made the account token",
    )
    gravitee_env.latency = 0
    (orphan,) = gravitee_env.state()["accountTokens"]
    (run_dir,) = Path("recordings").iterdir()
    resumed = run_cli("resume", run_dir.name)
    assert resumed.code == 0, resumed.text
    state = gravitee_env.state()
    assert state["accountTokens"] == [], "an account token was left active"
    assert orphan["name"] in [t["name"] for t in state["revokedAccountTokens"]]
    assert keystore.exists()


def test_a_portal_500_right_after_sign_in_is_the_portals_error(
    gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    gravitee_env.add_fault(Fault(method="GET", path=r"/management/v2/gateways$", status=500))
    result = run_cli(
        "run",
        "gravitee-cloud-token",
        "--gateway",
        "eu-prod-gw",
        "--secret-to",
        f"file:{tmp_path}/t",
    )
    assert result.code == 1, result.text
    assert "500 Internal Server Error to GET /management/v2/gateways" in result.err, result.err
    assert "PASSWORD" not in result.err and "Traceback" not in result.text


def test_a_16_character_base32_totp_secret_is_accepted() -> None:
    import base64
    import hashlib
    import hmac
    import struct

    from runbooks.cloudeka._common import one_time_code

    secret = "JBSWY3DPEHPK3PXP"  # 80 bits, as many authenticator set-ups show
    before = int(time.time()) // 30
    code = one_time_code(secret)
    after = int(time.time()) // 30

    def rfc6238(counter: int) -> str:
        digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1)
        raw = digest.digest()
        offset = raw[-1] & 0xF
        return f"{(struct.unpack('>I', raw[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**6:06d}"

    assert code in {rfc6238(before), rfc6238(after)}
    with pytest.raises(ValueError):
        one_time_code("ABCDEFGH")  # 40 bits: too short to be a real secret


def open_sessions(sandbox_dir: Path) -> int:
    """Sessions the replica still honours (a signed-out cookie has none)."""
    import sqlite3

    (db,) = sandbox_dir.glob("*.sqlite3")
    with sqlite3.connect(db) as conn:
        (count,) = conn.execute("SELECT COUNT(*) FROM sessions").fetchone()
    return int(count)


def test_a_run_that_signed_in_signs_out(gravitee_env: GraviteeSandbox, tmp_path: Path) -> None:
    result = run_cli(
        "run",
        "gravitee-cloud-token",
        "--gateway",
        "eu-prod-gw",
        "--secret-to",
        f"file:{tmp_path}/t",
    )
    assert result.code == 0, result.text
    assert open_sessions(tmp_path / "gravitee") == 0, "the run's session cookie still works"
    assert "could not sign out" not in result.text


def test_a_cloudeka_run_signs_out_too(cloudeka_env: Any, tmp_path: Path) -> None:
    from datetime import date, timedelta

    expires = (date.today() + timedelta(days=30)).isoformat()
    result = run_cli(
        "run",
        "cloudeka-token",
        "--name",
        "ci-deploy",
        "--expires",
        expires,
        "--secret-to",
        f"file:{tmp_path}/t",
    )
    assert result.code == 0, result.text
    assert "could not sign out" not in result.text
    assert open_sessions(tmp_path / "cloudeka") == 0, "the run's session cookie still works"


def trace_events(trace: Path) -> list[dict[str, Any]]:
    import zipfile

    events = []
    with zipfile.ZipFile(trace) as archive:
        for name in archive.namelist():
            if name.endswith((".trace", ".network")):
                for line in archive.read(name).splitlines():
                    if line.strip():
                        events.append(json.loads(line))
    return events


def header_names(value: Any) -> set[str]:
    if isinstance(value, list):
        return {n for item in value for n in header_names(item)}
    if isinstance(value, dict):
        own = {value["name"].lower()} if isinstance(value.get("name"), str) else set()
        return own | {n for item in value.values() for n in header_names(item)}
    return set()


def test_a_killed_runs_trace_chunks_stay_private_and_are_swept(
    guarded_cli: GuardedCli, gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    def paused() -> bool:  # step 6 reveals a secret: tracing paused, a chunk written
        journals = list(Path("recordings").glob("*/run.json"))
        return bool(journals) and json.loads(journals[0].read_text())["steps"][5]["status"] in (
            "running",
            "done",
        )

    gravitee_env.latency = 1.5
    args = ["run", "gravitee-cloud-token", "--gateway", "eu-prod-gw", "--record", "on"]
    kill_when(guarded_cli, [*args, "--secret-to", f"file:{tmp_path}/token"], paused, "paused")
    gravitee_env.latency = 0
    chunks = list(Path("recordings").rglob(".trace-chunk-*"))
    assert chunks, "the killed run wrote a chunk"
    for chunk in chunks:
        assert chunk.parent.name.startswith(".partial-")
        assert chunk.parent.stat().st_mode & 0o777 == 0o700
    (run_dir,) = [p for p in Path("recordings").iterdir() if p.is_dir()]

    resumed = run_cli("resume", run_dir.name, "--record", "on")
    assert resumed.code == 0, resumed.text
    assert not list(Path("recordings").rglob(".trace-chunk-*")), "a chunk was left unscrubbed"
    assert not list(Path("recordings").rglob(".partial-*"))
    names = header_names(trace_events(run_dir / "trace.zip"))
    assert names, "the trace holds the network log"
    assert not names & {"cookie", "set-cookie", "authorization"}, names & {"cookie", "set-cookie"}


def test_a_cloudeka_key_never_delivered_is_deleted_and_made_again(
    cloudeka_env: Any, tmp_path: Path
) -> None:
    from datetime import date, timedelta

    out, ok = tmp_path / "out", tmp_path / "ok"
    flaky = f"cmd:sh -c 'cat > {out} && test -e {ok}'"
    expires = (date.today() + timedelta(days=30)).isoformat()
    args = ["run", "cloudeka-token", "--name", "ci-deploy", "--expires", expires]
    first = run_cli(*args, "--secret-to", flaky)
    assert first.code == 1, first.text
    (orphan,) = [t for t in cloudeka_env.state()["tokens"] if t["name"] == "ci-deploy"]
    (run_dir,) = Path("recordings").iterdir()

    ok.touch()
    resumed = run_cli("resume", run_dir.name)
    assert resumed.code == 0, resumed.text
    assert "already exists" not in resumed.text
    tokens = [t for t in cloudeka_env.state()["tokens"] if t["name"] == "ci-deploy"]
    listed = [t for t in tokens if t["revokedAt"] is None]
    (new,) = listed
    assert new["secret"] == out.read_text().strip() != orphan["secret"]
    assert [t["id"] for t in tokens if t["revokedAt"]] == [orphan["id"]]
    deletes = [a for a in audit(tmp_path) if a["event"] == "destructive-step"]
    assert any("never delivered" in str(a.get("what")) for a in deletes), deletes
