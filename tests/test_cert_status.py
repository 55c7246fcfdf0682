"""`runbook cert status`: what a nightly job reads, and the exit codes it acts on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli import Result, run_cli
from tests.test_keystore import PASSWORD, make_keystore, make_pem


@pytest.fixture
def env_file(tmp_path: Path) -> Path:
    """The dotenv file the renewal delivered the keystore password to."""
    path = tmp_path / ".env.gateway"
    path.write_text(f"OTHER=1\nCLOUD_KEYSTORE_PASSWORD='{PASSWORD}'\n")
    return path


def keystore(tmp_path: Path, days_left: float, name: str = "cloud-client.p12") -> Path:
    path = tmp_path / name
    path.write_bytes(make_keystore(days_left))
    return path


def status(path: Path, *args: str) -> Result:
    return run_cli("cert", "status", str(path), *args)


def one_line_error(result: Result) -> str:
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in result.text, result.text
    return lines[0]


@pytest.mark.parametrize(
    ("days_left", "code", "verdict"),
    [(200, 0, "OK: more than 30 days left"), (12, 1, "RENEW: 11 days left, 30 or fewer")],
)
def test_status_of_a_valid_and_an_expiring_keystore(
    tmp_path: Path, env_file: Path, days_left: float, code: int, verdict: str
) -> None:
    path = keystore(tmp_path, days_left - 0.5)

    result = status(path, "--password-from", f"env:{env_file}:CLOUD_KEYSTORE_PASSWORD")

    assert result.code == code, result.text
    assert str(path) in result.out and "PKCS#12, alias cockpit-client" in result.out
    for label in ("Subject", "Issuer", "Not before", "Not after", "Days left"):
        assert label in result.out
    assert "CN=test-client" in result.out
    assert f"Days left   {days_left - 1}" in result.out
    assert verdict in result.out
    assert PASSWORD not in result.text


def test_status_of_an_expired_keystore_is_3(tmp_path: Path, env_file: Path) -> None:
    path = keystore(tmp_path, -3.5)

    result = status(path, "--password-from", f"env:{env_file}:CLOUD_KEYSTORE_PASSWORD")

    # Its own code: 2 is a broken configuration or an unreadable keystore.
    assert result.code == 3, result.text
    assert "EXPIRED on" in result.out and "Days left   -4" in result.out


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (make_keystore()[:900], "is not a PKCS#12 keystore (truncated or corrupt)"),
        (b"not a keystore at all", "is not a PKCS#12 keystore"),
        (make_keystore(password="another-password"), "does not open with the password given"),
    ],
)
def test_a_corrupt_or_locked_keystore_is_unreadable(
    tmp_path: Path, env_file: Path, content: bytes, needle: str
) -> None:
    path = tmp_path / "cloud-client.p12"
    path.write_bytes(content)

    result = status(path, "--password-from", f"env:{env_file}:CLOUD_KEYSTORE_PASSWORD")

    assert result.code == 2
    error = one_line_error(result)
    assert error.startswith("error: ") and str(path) in error and needle in error
    assert "KeystoreError" not in error
    assert result.out == "" and PASSWORD not in result.text


def test_json_for_machines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEYSTORE_PW", PASSWORD)
    path = keystore(tmp_path, 20.5)

    result = status(path, "--password-env", "KEYSTORE_PW", "--warn-days", "7", "--json")

    assert result.code == 0, result.text
    data = json.loads(result.out)
    assert data["status"] == "ok" and data["daysLeft"] == 20 and data["warnDays"] == 7
    assert data["format"] == "PKCS#12" and data["alias"] == "cockpit-client" and data["hasKey"]
    assert data["subject"] == data["issuer"] == "CN=test-client"
    assert data["notAfter"].endswith("Z") and data["notBefore"] < data["notAfter"]
    assert result.err == "" and PASSWORD not in result.out


def test_json_says_unreadable_too(tmp_path: Path) -> None:
    path = tmp_path / "cloud-client.p12"
    path.write_bytes(b"\x00" * 64)

    result = status(path, "--json")

    assert result.code == 2
    assert json.loads(result.out)["status"] == "unreadable"
    assert one_line_error(result).startswith("error: ")


def test_pem_needs_no_password_and_a_file_source_works(tmp_path: Path) -> None:
    pem = tmp_path / "client.pem"
    pem.write_bytes(make_pem(45.5, with_key=True))
    secret_file = tmp_path / "pw.txt"
    secret_file.write_text(PASSWORD + "\n")
    p12 = keystore(tmp_path, 45.5)

    assert status(pem, "--json").code == 0
    assert json.loads(status(pem, "--json", "--warn-days", "60").out)["status"] == "due"
    assert status(p12, "--password-from", f"file:{secret_file}").code == 0


def test_a_keystore_that_needs_a_password_says_how_to_give_it(tmp_path: Path) -> None:
    result = status(keystore(tmp_path, 100))

    assert result.code == 2
    assert "without a password; give --password-from or --password-env" in one_line_error(result)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--password-from", "vault:x"], "bad --password-from"),
        (["--password-from", "env:missing.env:KEY"], "missing.env does not exist"),
        (["--password-env", "NO_SUCH_VARIABLE_SET"], "NO_SUCH_VARIABLE_SET: the variable is not"),
        (["--warn-days", "-1"], "--warn-days must be 0 or more"),
        (["--password-from", "x", "--password-env", "Y"], "not allowed with argument"),
    ],
)
def test_bad_options_exit_2(tmp_path: Path, args: list[str], needle: str) -> None:
    result = status(keystore(tmp_path, 100), *args)

    assert result.code == 2
    assert needle in one_line_error(result)


def test_a_missing_key_in_the_env_file(tmp_path: Path, env_file: Path) -> None:
    result = status(keystore(tmp_path, 100), "--password-from", f"env:{env_file}:NOPE")

    assert result.code == 2 and f"NOPE is not set in {env_file}" in one_line_error(result)


def test_a_missing_keystore_is_unreadable(tmp_path: Path) -> None:
    result = status(tmp_path / "nope.p12")

    assert result.code == 2 and "cannot read it" in one_line_error(result)
