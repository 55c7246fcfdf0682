"""The fault matrix (issue 14): every runbook, every step, every fault, then `runbook resume`.

For each case the real CLI runs in its own process against a fresh replica;
during the chosen step the case injects its fault: a portal 500 on the next
API call, SIGKILL, SIGKILL right after the portal's state changed (a commit),
Ctrl-C (SIGINT), or every session ended. The run is then resumed until it
succeeds (once), and the replica's own state must show: exactly one new
credential, held by the sink; the old one revoked; nothing the run made left
active; the keystore whole; every destructive step's intent in the audit log.
Every file the runs wrote (each entry of each zip) and their console output
are then scanned for every value the replica issued and the password, in
every encoding a browser uses: none may be there.

`make test` runs every step of every runbook with one fault each, the kinds in
turn (`FAULT_MATRIX` unset); `make faults` runs every fault at every step
(`FAULT_MATRIX=full`). With `FAULT_MATRIX_REPORT=path`, each case appends a
JSON line with its figures there.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from runbooks._keystore import open_pkcs12
from runbooks._registry import RUNBOOKS
from runbooks._secrets import encode_forms
from sandbox import CloudekaSandbox, Fault, GraviteeSandbox

REPO = Path(__file__).resolve().parents[2]
FAULTS = ("500", "kill", "kill-after-commit", "sigint", "session")
#: The replicas' JSON APIs (a 500 there is "the step's own API call" failing).
API = r"^/(management|api)/"
EXPIRES = (date.today() + timedelta(days=30)).isoformat()


@dataclass(frozen=True)
class Spec:
    """How to run one runbook in the matrix, and what its replica must show afterwards."""

    portal: str
    args: tuple[str, ...]


SPECS = {
    "gravitee-cloud-token": Spec("gravitee", ("--gateway", "eu-prod-gw")),
    "gravitee-cert-renewal": Spec("gravitee", ("--keystore", "{tmp}/client.p12")),
    "cloudeka-token": Spec("cloudeka", ("--name", "ci-deploy", "--expires", EXPIRES)),
}


def _cases() -> list[tuple[str, str, str]]:
    if os.environ.get("FAULT_MATRIX") == "full":
        return [
            (name, step.number, fault)
            for name in SPECS
            for step in RUNBOOKS[name].steps
            for fault in FAULTS
        ]
    # The default suite (CI): every step of every runbook meets one fault, the kinds taken
    # in turn so that each runbook meets every kind, plus the cases that found defects
    # (issue 14). The whole product is `make faults`: five times as long.
    defects = [
        ("gravitee-cloud-token", "6", "kill-after-commit"),
        ("gravitee-cert-renewal", "3", "kill-after-commit"),
        ("cloudeka-token", "4", "kill-after-commit"),
    ]
    diagonal = [
        (name, step.number, FAULTS[(index + offset) % len(FAULTS)])
        for offset, name in enumerate(SPECS)
        for index, step in enumerate(RUNBOOKS[name].steps)
    ]
    return defects + [case for case in diagonal if case not in defects]


@pytest.fixture
def replica(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    portal = request.node.callspec.params["runbook"]
    kind = GraviteeSandbox if SPECS[portal].portal == "gravitee" else CloudekaSandbox
    with kind(tmp_path / "replica") as server:
        yield server


def _env(replica: Any, portal: str, tmp_path: Path) -> dict[str, str]:
    prefix = f"RUNBOOK_{portal.upper()}"
    return {
        **os.environ,
        "PYTHONPATH": str(REPO),
        f"{prefix}_URL": replica.url,
        f"{prefix}_EMAIL": replica.EMAIL,
        f"{prefix}_PASSWORD": replica.PASSWORD,
        "RUNBOOK_TEST_ALLOWED_HOSTS": ",".join(replica.hosts),
        "RUNBOOK_TEST_EGRESS_LOG": str(tmp_path / "egress.log"),
        "COLUMNS": "160",
    }


def _journal() -> dict[str, Any] | None:
    found = list(Path("recordings").glob("*/run.json"))
    return json.loads(found[0].read_text()) if found else None


def _status(number: str) -> str | None:
    journal = _journal()
    if journal is None:
        return None
    return next((s["status"] for s in journal["steps"] if s["number"] == number), None)


def _wait(condition: Callable[[], bool], run: subprocess.Popen[str]) -> bool:
    """Until `condition()` or the run ends; False if it ended first."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # waits on the journal or the portal, not a clock
        if condition():
            return True
        if run.poll() is not None:
            return False
        time.sleep(0.02)
    return False


def _inject(fault: str, number: str, replica: Any, run: subprocess.Popen[str]) -> None:
    if not _wait(lambda: _status(number) in ("running", "done", "failed"), run):
        return  # the run ended before the step (a fault of an earlier case's kind)
    if fault == "500":
        replica.add_fault(Fault(method="*", path=API, status=500, times=1))
    elif fault == "kill":
        run.send_signal(signal.SIGKILL)
    elif fault == "sigint":
        run.send_signal(signal.SIGINT)
    elif fault == "session":
        replica.expire_sessions()
    elif fault == "kill-after-commit":
        before = json.dumps(replica.state(), sort_keys=True)
        _wait(
            lambda: (
                json.dumps(replica.state(), sort_keys=True) != before
                or _status(number) != "running"
            ),
            run,
        )
        run.send_signal(signal.SIGKILL)


def _values(replica: Any, portal: str) -> set[str]:
    """Every secret value the replica issued, and the password."""
    state = replica.state()
    found = {replica.PASSWORD}
    if portal == "gravitee":
        for gw in state["gateways"]:
            found |= {t["value"] for t in [*gw["tokens"], *gw["revokedTokens"]]}
        for key in ("accountTokens", "revokedAccountTokens"):
            found |= {t["value"] for t in state.get(key, [])}
    else:
        found |= {t["secret"] for t in state["tokens"] if t.get("secret")}
    return found


def _forms(values: set[str]) -> set[bytes]:
    forms: set[bytes] = set()
    for value in values:
        forms |= {form.encode() for form in encode_forms(value)}
        forms |= {base64.b64encode(value.encode()), base64.urlsafe_b64encode(value.encode())}
    return forms


def _leaks(roots: list[Path], skip: set[Path], text: str, forms: set[bytes]) -> list[str]:
    found = [f"console: {len(text)} chars"] if any(f in text.encode() for f in forms) else []
    for root in roots:
        for path in root.rglob("*"):
            if not path.is_file() or path in skip or path.name.startswith("client.p12"):
                continue
            data = path.read_bytes()
            blobs = [(str(path), data)]
            if zipfile.is_zipfile(path):
                with zipfile.ZipFile(path) as archive:
                    blobs += [(f"{path}!{n}", archive.read(n)) for n in archive.namelist()]
            found += [where for where, blob in blobs if any(f in blob for f in forms)]
    return found


def _check_gravitee_token(replica: Any, sink: Path, original: Any, audit: list[Any]) -> list[str]:
    problems = []
    gw = next(g for g in replica.state()["gateways"] if g["name"] == "eu-prod-gw")
    active = [t["value"] for t in gw["tokens"]]
    if len(active) != 1:
        problems.append(f"{len(active)} active tokens")
    if not sink.exists() or sink.read_text().strip() not in active:
        problems.append("the sink does not hold the active token")
    if [t["value"] for t in gw["revokedTokens"]].count(original) != 1:
        problems.append("the old token was not revoked exactly once")
    if not any(a["event"] == "destructive-step-intent" for a in audit):
        problems.append("the revoke is not in the audit log")
    return problems


def _check_renewal(replica: Any, sink: Path, keystore: Path, audit: list[Any]) -> list[str]:
    problems = []
    state = replica.state()
    if state["accountTokens"]:
        problems.append(f"{len(state['accountTokens'])} account token(s) left active")
    try:
        info = open_pkcs12(keystore.read_bytes(), sink.read_text().strip())
        if info.expired():
            problems.append("the keystore holds an expired certificate")
    except Exception as exc:  # any failure to open is a partial or mismatched keystore
        problems.append(f"the keystore does not open with the delivered password ({exc})")
    if state.get("revokedAccountTokens") and not any(
        a["event"] == "destructive-step-intent" or a.get("confirmation") == "(resume clean-up)"
        for a in audit
    ):
        problems.append("a revoke is not in the audit log")
    return problems


def _check_cloudeka(replica: Any, sink: Path) -> list[str]:
    listed = [
        t for t in replica.state()["tokens"] if t["name"] == "ci-deploy" and not t["revokedAt"]
    ]
    if len(listed) != 1:
        return [f"{len(listed)} listed tokens named ci-deploy"]
    if not sink.exists() or sink.read_text().strip() != listed[0]["secret"]:
        return ["the sink does not hold the listed token's key"]
    return []


@pytest.mark.slow
@pytest.mark.parametrize(("runbook", "step", "fault"), _cases())
def test_fault_then_resume(
    replica: Any, tmp_path: Path, runbook: str, step: str, fault: str
) -> None:
    spec = SPECS[runbook]
    sink = tmp_path / "secret"
    env = _env(replica, spec.portal, tmp_path)
    args = [a.format(tmp=tmp_path) for a in spec.args]
    cli = [sys.executable, "-m", "tests.guarded_cli"]
    original = None
    if runbook == "gravitee-cloud-token":
        (original,) = [
            t["value"]
            for g in replica.state()["gateways"]
            if g["name"] == "eu-prod-gw"
            for t in g["tokens"]
        ]
    values = _values(replica, spec.portal)
    replica.latency = 0.3  # each step takes long enough to be caught in it
    run = subprocess.Popen(
        [*cli, "run", runbook, *args, "--record", "on", "--secret-to", f"file:{sink}"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _inject(fault, step, replica, run)
        out, err = run.communicate(timeout=180)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    replica.latency = 0
    replica.clear_faults()
    console = out + err
    resumed = None
    if run.returncode != 0:
        journal = _journal()
        assert journal is not None, console
        resumed = subprocess.run(
            [*cli, "resume", journal["run_id"], "--record", "on"],
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        console += resumed.stdout + resumed.stderr
    audit_path = Path(os.environ["RUNBOOK_DATA_DIR"]) / "audit.jsonl"
    audit = (
        [json.loads(x) for x in audit_path.read_text().splitlines()] if audit_path.exists() else []
    )
    if runbook == "gravitee-cloud-token":
        problems = _check_gravitee_token(replica, sink, original, audit)
    elif runbook == "gravitee-cert-renewal":
        problems = _check_renewal(replica, sink, tmp_path / "client.p12", audit)
    else:
        problems = _check_cloudeka(replica, sink)
    values |= _values(replica, spec.portal)
    leaks = _leaks(
        [Path.cwd(), Path(os.environ["RUNBOOK_DATA_DIR"])], {sink}, console, _forms(values)
    )
    report = os.environ.get("FAULT_MATRIX_REPORT")
    if report:
        with open(report, "a") as lines:
            figures = {"case": f"{runbook}/{step}/{fault}", "problems": problems, "leaks": leaks}
            lines.write(json.dumps(figures) + "\n")
    resumed_ok = resumed is None or resumed.returncode == 0
    assert resumed_ok, f"the resume failed: {resumed.stderr if resumed else ''}"
    assert not problems, (problems, console)
    assert not leaks, leaks
