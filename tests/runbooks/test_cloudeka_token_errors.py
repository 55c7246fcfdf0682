"""cloudeka-token's refusals: one line each, the right exit code, and no sink written.

A sink is written only when the portal really created the token.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import date, timedelta
from pathlib import Path

import pyotp
import pytest

from sandbox import CloudekaSandbox, Fault
from sandbox.cloudeka.db import MAX_FAILURES
from tests.cli import Result, run_cli

TODAY = date.today()
EXPIRES = (TODAY + timedelta(days=30)).isoformat()


def run(sink: Path, *args: str) -> Result:
    return run_cli("run", "cloudeka-token", *args, "--secret-to", f"file:{sink}")


def assert_one_line_error(result: Result, code: int, *needles: str) -> None:
    assert result.code == code, result.text
    error = [line for line in result.err.splitlines() if line.strip()][-1]
    for needle in needles:
        assert needle in error, result.err
    assert "Traceback" not in result.text


def token_names(sb: CloudekaSandbox) -> list[str]:
    return [t["name"] for t in sb.state()["tokens"]]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--expires", EXPIRES], "the following arguments are required: --name"),
        (["--name", " ", "--expires", EXPIRES], "--name is empty"),
        (["--name", "x"], "say when the token expires: --expires YYYY-MM-DD, or --no-expiry"),
        (["--name", "x", "--expires", EXPIRES, "--no-expiry"], "exclude each other"),
        (["--name", "x", "--expires", "30/06/2027"], "'30/06/2027' is not a date in the form"),
        (["--name", "x", "--expires", "2027-6-30"], "'2027-6-30' is not a date in the form"),
        (["--name", "x", "--expires", "2027-02-30"], "'2027-02-30' is not a date in the form"),
        (["--name", "x", "--expires", "20270630"], "'20270630' is not a date in the form"),
        (["--name", "x", "--expires", TODAY.isoformat()], f"is not after today ({TODAY})"),
        (["--name", "x", "--expires", "2020-01-01"], "2020-01-01 is not after today"),
    ],
)
def test_bad_parameters_are_refused_before_any_browser(
    args: list[str], needle: str, tmp_path: Path
) -> None:
    result = run(tmp_path / "key", *args)
    assert_one_line_error(result, 2, needle)
    assert not (tmp_path / "key").exists()
    assert not Path("recordings").exists(), "nothing ran"


def test_wrong_password_is_login_failed(
    cloudeka_env: CloudekaSandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RUNBOOK_CLOUDEKA_PASSWORD", "wrong-password-123")
    result = run(tmp_path / "key", "--name", "ci-deploy", "--expires", EXPIRES)
    assert_one_line_error(
        result,
        1,
        "error: sign-in refused: Login Failed: "
        "Please recheck the username and password and try again!",
        "RUNBOOK_CLOUDEKA_PASSWORD",
    )
    assert "wrong-password-123" not in result.text
    assert not (tmp_path / "key").exists()
    assert "recordings:" in result.err


def test_locked_account_says_so(cloudeka_env: CloudekaSandbox, tmp_path: Path) -> None:
    for _ in range(MAX_FAILURES):  # someone else's failed attempts
        body = json.dumps({"email": cloudeka_env.EMAIL, "password": "nope"}).encode()
        request = urllib.request.Request(
            f"{cloudeka_env.url}/api/auth/login", body, {"Content-Type": "application/json"}
        )
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(request, timeout=10)
    result = run(tmp_path / "key", "--name", "ci-deploy", "--expires", EXPIRES)
    assert_one_line_error(
        result,
        1,
        "sign-in refused: Yout Account Has Been Locked: "
        "Too many login attempts, wait for 30 Minutes.",
        "info@cloudeka.id",
    )
    assert not (tmp_path / "key").exists()


def test_wrong_one_time_code_secret(
    cloudeka_env: CloudekaSandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    cloudeka_env.enable_totp(pyotp.random_base32())
    monkeypatch.setenv("RUNBOOK_CLOUDEKA_TOTP_SECRET", pyotp.random_base32())  # another one
    result = run(tmp_path / "key", "--name", "ci-deploy", "--expires", EXPIRES)
    assert_one_line_error(
        result,
        1,
        "sign-in refused: Invalid or expired OTP (check RUNBOOK_CLOUDEKA_TOTP_SECRET)",
    )
    assert not (tmp_path / "key").exists()
    assert "ci-deploy" not in token_names(cloudeka_env)


def test_one_time_code_without_a_secret_or_a_terminal(
    cloudeka_env: CloudekaSandbox, tmp_path: Path
) -> None:
    cloudeka_env.enable_totp(pyotp.random_base32())
    result = run(tmp_path / "key", "--name", "ci-deploy", "--expires", EXPIRES)
    assert_one_line_error(
        result,
        2,
        "error: the portal asks for a one-time code: set RUNBOOK_CLOUDEKA_TOTP_SECRET "
        "or run in a terminal",
    )
    assert not (tmp_path / "key").exists()


def test_a_malformed_totp_secret(
    cloudeka_env: CloudekaSandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    cloudeka_env.enable_totp(pyotp.random_base32())
    monkeypatch.setenv("RUNBOOK_CLOUDEKA_TOTP_SECRET", "not-base32-at-all!")
    result = run(tmp_path / "key", "--name", "ci-deploy", "--expires", EXPIRES)
    assert_one_line_error(result, 2, "RUNBOOK_CLOUDEKA_TOTP_SECRET is not a base32 secret")
    assert "not-base32-at-all!" not in result.text
    assert not (tmp_path / "key").exists()


def test_a_duplicate_token_name_is_refused(cloudeka_env: CloudekaSandbox, tmp_path: Path) -> None:
    before = cloudeka_env.state()["tokens"]
    result = run(tmp_path / "key", "--name", "ci-nightly", "--no-expiry")
    assert_one_line_error(
        result, 1, "the portal refused the token 'ci-nightly': Token name already exists."
    )
    assert cloudeka_env.state()["tokens"] == before
    assert not (tmp_path / "key").exists()


def test_sign_in_expiring_at_confirm(cloudeka_env: CloudekaSandbox, tmp_path: Path) -> None:
    cloudeka_env.expire_sessions(method="POST", path=r"^/api/tokens$")
    result = run(tmp_path / "key", "--name", "ci-deploy", "--expires", EXPIRES)
    assert_one_line_error(
        result,
        1,
        "the portal signed this run out mid-way (session expired); a resume signs in again",
    )
    assert "ci-deploy" not in token_names(cloudeka_env)
    assert not (tmp_path / "key").exists()


def test_sign_in_expiring_while_the_token_list_loads(
    cloudeka_env: CloudekaSandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RUNBOOK_TIMEOUT", "3")
    cloudeka_env.expire_sessions(method="GET", path=r"^/api/tokens$")
    result = run(tmp_path / "key", "--name", "ci-deploy", "--expires", EXPIRES)
    assert_one_line_error(
        result,
        1,
        "the portal signed this run out mid-way (session expired); a resume signs in again",
    )
    assert not (tmp_path / "key").exists()


def test_a_key_the_portal_then_refuses_is_reported_but_kept(
    cloudeka_env: CloudekaSandbox, tmp_path: Path
) -> None:
    # The token was really created, so its key is delivered; the run still fails.
    cloudeka_env.add_fault(Fault(method="GET", path=r"^/api/v1/me$", status=401))
    result = run(tmp_path / "key", "--name", "ci-deploy", "--expires", EXPIRES)
    assert_one_line_error(
        result,
        1,
        "the portal refuses the new Secret API Key (GET /api/v1/me: 401)",
        f"delivered to {tmp_path / 'key'}",
    )
    (token,) = [t for t in cloudeka_env.state()["tokens"] if t["name"] == "ci-deploy"]
    assert (tmp_path / "key").read_text().strip() == token["secret"]
