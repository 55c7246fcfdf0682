"""The CLI's commands and every bad-input error: one line, the right exit code."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest

from runbooks._registry import RUNBOOKS
from sandbox import GraviteeSandbox
from tests.cli import Result, run_cli
from tests.conftest import EgressGuard

CLASS_NAME = re.compile(
    r"\b[A-Z][a-z]+[A-Z]\w*(Error|Refused|Held|Stopped|Failed)\b|\bStepFailed\b"
)


def assert_one_line_error(result: Result, code: int, *needles: str) -> None:
    assert result.code == code, result.text
    lines = [line for line in result.err.splitlines() if line.strip()]
    error = lines[-1]
    for needle in needles:
        assert needle in error, result.err
    assert "Traceback" not in result.text
    assert not CLASS_NAME.search(error), f"a Python class name in the error line: {error}"


def test_list_shows_every_runbook() -> None:
    result = run_cli("list")
    assert result.code == 0
    for name, runbook in RUNBOOKS.items():
        assert name in result.out and runbook.title in result.out


def test_show_prints_the_guide_steps_in_order() -> None:
    result = run_cli("show", "gravitee-cloud-token")
    assert result.code == 0, result.text
    steps = RUNBOOKS["gravitee-cloud-token"].steps
    positions = [result.out.index(f"{s.number:>2}. {s.text[:30]}") for s in steps]
    assert positions == sorted(positions)
    assert "--gateway" in result.out and "destructive" in result.out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["frobnicate"], "invalid choice"),
        (["show", "nope"], "no runbook called 'nope'"),
        (["run", "nope"], "invalid choice"),
        (["run", "gravitee-cloud-token", "--secret-to", "stdout"], "--gateway"),
        (["run", "gravitee-cloud-token", "--gateway", "x", "--record", "sometimes"], "--record"),
        (["run", "gravitee-cloud-token", "--gateway", "x"], "--secret-to"),
        (["run", "gravitee-cloud-token", "--gateway", "x", "--secret-to", "vault:x"], "bad sink"),
        (
            ["run", "gravitee-cloud-token", "--gateway", "x", "--secret-to", "file:no/such/dir/t"],
            "does not exist",
        ),
        (
            ["run", "gravitee-cloud-token", "--gateway", " ", "--secret-to", "stdout"],
            "--gateway is empty",
        ),
        (
            [
                "run",
                "gravitee-cloud-token",
                "--gateway",
                "x",
                "--secret-to",
                "stdout",
                "--target",
                "ftp://x",
            ],
            "not an http(s) URL",
        ),
        (
            [
                "run",
                "gravitee-cloud-token",
                "--gateway",
                "x",
                "--secret-to",
                "stdout",
                "--target",
                "https://x.test",
            ],
            "RUNBOOK_GRAVITEE_EMAIL is not set",
        ),
        (
            [
                "run",
                "gravitee-cloud-token",
                "--gateway",
                "x",
                "--secret-to",
                "stdout",
                "--env-file",
                "none.env",
            ],
            "not found",
        ),
    ],
)
def test_usage_errors_exit_2_before_any_browser(
    args: list[str], needle: str, tmp_path: Path
) -> None:
    result = run_cli(*args)
    assert_one_line_error(result, 2, needle)
    assert not Path("recordings").exists(), "nothing ran"


def test_debug_shows_the_traceback() -> None:
    result = run_cli(
        "run", "gravitee-cloud-token", "--gateway", "x", "--secret-to", "vault:x", "--debug"
    )
    assert result.code == 2 and "Traceback" in result.err


def test_wrong_credentials(
    gravitee_env: GraviteeSandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RUNBOOK_GRAVITEE_PASSWORD", "wrong-password-123")
    result = run_cli(
        "run",
        "gravitee-cloud-token",
        "--gateway",
        "eu-prod-gw",
        "--secret-to",
        f"file:{tmp_path}/t",
    )
    assert_one_line_error(result, 1, "error: ", "sign-in refused", "Wrong email or password.")
    assert "wrong-password-123" not in result.text
    assert not (tmp_path / "t").exists()


def test_unknown_gateway_lists_the_ones_that_exist(
    gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    result = run_cli(
        "run", "gravitee-cloud-token", "--gateway", "eu-prod", "--secret-to", f"file:{tmp_path}/t"
    )
    assert_one_line_error(
        result, 1, "no gateway named 'eu-prod'", "eu-prod-gw, eu-staging-gw, us-prod-gw"
    )
    assert not (tmp_path / "t").exists()
    assert "recordings:" in result.err


def test_no_browser(
    gravitee_env: GraviteeSandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RUNBOOK_BROWSER", str(tmp_path / "no-such-chrome"))
    result = run_cli(
        "run",
        "gravitee-cloud-token",
        "--gateway",
        "eu-prod-gw",
        "--secret-to",
        f"file:{tmp_path}/t",
    )
    assert_one_line_error(result, 1, "error: ", "RUNBOOK_BROWSER")


def test_portal_unreachable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, egress_guard: EgressGuard
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    egress_guard.allowed.add(f"127.0.0.1:{port}")  # a closed port on this machine, on purpose
    monkeypatch.setenv("RUNBOOK_GRAVITEE_EMAIL", "a@b.test")
    monkeypatch.setenv("RUNBOOK_GRAVITEE_PASSWORD", "whatever-123")
    result = run_cli(
        "run",
        "gravitee-cloud-token",
        "--gateway",
        "eu-prod-gw",
        "--secret-to",
        f"file:{tmp_path}/t",
        "--target",
        f"http://127.0.0.1:{port}",
    )
    assert_one_line_error(result, 1, "error: ", f"cannot reach http://127.0.0.1:{port}")


def test_a_control_that_never_appears_names_the_step(
    gravitee_env: GraviteeSandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RUNBOOK_TIMEOUT", "3")
    from sandbox import Fault

    gravitee_env.add_fault(Fault(method="GET", path=r"/cloud-tokens$", status=500, times=100))
    result = run_cli(
        "run",
        "gravitee-cloud-token",
        "--gateway",
        "eu-prod-gw",
        "--secret-to",
        f"file:{tmp_path}/t",
    )
    assert_one_line_error(
        result, 1, "error: ", "step 3", "the Cloud Tokens table's rows did not appear"
    )
    assert not (tmp_path / "t").exists()
    (run_dir,) = Path("recordings").iterdir()
    assert (run_dir / "trace.zip").exists(), "a failed run keeps its trace by default"
    assert list(run_dir.glob("screenshots/*failed.png"))
