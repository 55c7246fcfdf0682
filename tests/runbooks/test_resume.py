"""Resume: a run that fails at any step, or is killed, finishes without repeating a change."""

from __future__ import annotations

import dataclasses
import json
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from runbooks import PortalError, StepContext, _registry
from runbooks.gravitee import cloud_token
from sandbox import GraviteeSandbox
from tests.cli import run_cli
from tests.conftest import GuardedCli

NUMBERS = [step.number for step in cloud_token.STEPS]


def gateway(gravitee: GraviteeSandbox) -> dict[str, Any]:
    return next(g for g in gravitee.state()["gateways"] if g["name"] == "eu-prod-gw")


def fail_once(
    number: str, when: str, monkeypatch: pytest.MonkeyPatch, name: str = "gravitee-cloud-token"
) -> None:
    """Make step `number` of runbook `name` fail once, before or after its action's work."""
    failed: list[bool] = []

    def wrap(action: Callable[[StepContext], None]) -> Callable[[StepContext], None]:
        def flaky(ctx: StepContext) -> None:
            if when == "after":
                action(ctx)
            if not failed:
                failed.append(True)
                raise PortalError(f"injected failure {when} step {number}")
            if when == "before":
                action(ctx)

        return flaky

    runbook = _registry.RUNBOOKS[name]
    steps = tuple(
        dataclasses.replace(s, action=wrap(s.action)) if s.number == number else s
        for s in runbook.steps
    )
    if name == cloud_token.RUNBOOK.name:
        monkeypatch.setattr(cloud_token, "STEPS", steps)  # its --order arranges these
    monkeypatch.setitem(_registry.RUNBOOKS, name, dataclasses.replace(runbook, steps=steps))


def audit(tmp_path: Path) -> list[dict[str, Any]]:
    return [
        json.loads(line) for line in (tmp_path / "data" / "audit.jsonl").read_text().splitlines()
    ]


@pytest.mark.parametrize("when", ["before", "after"])
@pytest.mark.parametrize("number", NUMBERS)
def test_resume_after_a_failure_at_each_step(
    gravitee_env: GraviteeSandbox,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    number: str,
    when: str,
) -> None:
    (original,) = [t["value"] for t in gateway(gravitee_env)["tokens"]]
    sink = tmp_path / "token"
    fail_once(number, when, monkeypatch)

    first = run_cli(
        "run", "gravitee-cloud-token", "--gateway", "eu-prod-gw", "--secret-to", f"file:{sink}"
    )
    assert first.code == 1 and f"injected failure {when} step {number}" in first.err, first.text
    (run_dir,) = Path("recordings").iterdir()
    assert f"runbook resume {run_dir.name}" in first.err

    second = run_cli("resume", run_dir.name)
    assert second.code == 0, second.text

    state = gateway(gravitee_env)
    (active,) = state["tokens"]
    assert sink.read_text().strip() == active["value"]
    # No step done twice: the old token was revoked once and one new token was made.
    assert [t["value"] for t in state["revokedTokens"]] == [original]
    revokes = [
        a for a in audit(tmp_path) if a["event"] == "destructive-step" and a["outcome"] == "done"
    ]
    assert len(revokes) <= 1
    journal = json.loads((run_dir / "run.json").read_text())
    assert journal["outcome"] == "succeeded" and len(journal["resumed_at"]) == 1


def test_resume_after_the_process_is_killed(
    guarded_cli: GuardedCli, gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    (original,) = [t["value"] for t in gateway(gravitee_env)["tokens"]]
    gravitee_env.latency = 1.5  # time to be killed between revoke and generate
    run = subprocess.Popen(
        [
            *guarded_cli.argv,
            "run",
            "gravitee-cloud-token",
            "--gateway",
            "eu-prod-gw",
            "--secret-to",
            f"file:{tmp_path}/token",
        ],
        env=guarded_cli.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:  # a test waits on the journal, not on a clock
            journals = list(Path("recordings").glob("*/run.json"))
            if journals and json.loads(journals[0].read_text())["steps"][4]["status"] == "done":
                break
            time.sleep(0.05)
        else:
            pytest.fail("the revoke step never finished")
        run.send_signal(signal.SIGKILL)
    finally:
        run.wait(timeout=30)
    gravitee_env.latency = 0
    assert gateway(gravitee_env)["tokens"] == [], "killed after the revoke, before the generate"
    (run_dir,) = Path("recordings").iterdir()

    listed = run_cli("runs")
    assert run_dir.name in listed.out and "interrupted (process gone)" in listed.out

    resumed = run_cli("resume", run_dir.name)
    assert resumed.code == 0, resumed.text
    assert "cleared a stale lock" in resumed.err
    state = gateway(gravitee_env)
    (active,) = state["tokens"]
    assert (tmp_path / "token").read_text().strip() == active["value"]
    assert [t["value"] for t in state["revokedTokens"]] == [original]


def test_a_finished_run_is_not_resumed(gravitee_env: GraviteeSandbox, tmp_path: Path) -> None:
    done = run_cli(
        "run",
        "gravitee-cloud-token",
        "--gateway",
        "eu-prod-gw",
        "--secret-to",
        f"file:{tmp_path}/t",
    )
    assert done.code == 0, done.text
    (run_dir,) = Path("recordings").iterdir()
    again = run_cli("resume", run_dir.name)
    assert again.code == 2 and "nothing to resume" in again.err
    missing = run_cli("resume", "no-such-run")
    assert missing.code == 2 and "runbook runs" in missing.err


def test_resume_a_certificate_renewal_whose_request_failed(
    gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    from dotenv import dotenv_values

    from runbooks._keystore import open_pkcs12
    from sandbox import Fault

    keystore = tmp_path / "client.p12"
    sink = tmp_path / ".env.gateway"
    gravitee_env.add_fault(Fault(method="POST", path=r"/renewcert$", status=503, times=1))
    first = run_cli(
        "run",
        "gravitee-cert-renewal",
        "--keystore",
        str(keystore),
        "--secret-to",
        f"env:{sink}:PASSWORD",
    )
    assert first.code == 1, first.text
    assert not keystore.exists() and not sink.exists()
    (run_dir,) = Path("recordings").iterdir()

    resumed = run_cli("resume", run_dir.name)
    assert resumed.code == 0, resumed.text
    password = dotenv_values(sink)["PASSWORD"]
    assert password and not open_pkcs12(keystore.read_bytes(), password).expired()
    state = gravitee_env.state()
    # The first attempt's token (its value lost with the old browser) and the
    # resumed attempt's one are both revoked: no account token is left behind.
    assert state["accountTokens"] == []
    assert len(state["revokedAccountTokens"]) == 2
    assert "left behind by the interrupted attempt" in resumed.err


@pytest.mark.parametrize(
    "number", [s.number for s in _registry.RUNBOOKS["gravitee-cert-renewal"].steps]
)
def test_a_certificate_renewal_failing_after_each_step_renews_once(
    gravitee_env: GraviteeSandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, number: str
) -> None:
    from runbooks._keystore import open_pkcs12

    keystore, sink = tmp_path / "client.p12", tmp_path / "password"
    fail_once(number, "after", monkeypatch, "gravitee-cert-renewal")
    args = ("--keystore", str(keystore), "--secret-to", f"file:{sink}")
    first = run_cli("run", "gravitee-cert-renewal", *args)
    assert first.code == 1 and f"injected failure after step {number}" in first.err, first.text
    installed = keystore.read_bytes() if keystore.exists() else None
    (run_dir,) = Path("recordings").iterdir()

    resumed = run_cli("resume", run_dir.name)
    assert resumed.code == 0, resumed.text
    # A renewal installed before the failure is the renewal: not issued again.
    if number in ("5", "C"):
        assert keystore.read_bytes() == installed
    info = open_pkcs12(keystore.read_bytes(), sink.read_text().strip())
    assert not info.expired()
    state = gravitee_env.state()
    assert state["accountTokens"] == []
    # One account token per attempt that generated one, each revoked; none after the renewal.
    assert len(state["revokedAccountTokens"]) == (2 if number in ("3", "4") else 1)
