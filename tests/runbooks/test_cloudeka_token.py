"""cloudeka-token end to end: the real CLI, real Chromium, the replica portal."""

from __future__ import annotations

import json
import stat
import urllib.error
import urllib.request
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyotp
import pytest
from dotenv import dotenv_values

from sandbox import CloudekaSandbox
from tests.cli import Result, run_cli

EXPIRES = (date.today() + timedelta(days=400)).isoformat()


def new_tokens(sb: CloudekaSandbox, name: str) -> list[dict[str, Any]]:
    return [t for t in sb.state()["tokens"] if t["name"] == name]


def api_status(sb: CloudekaSandbox, key: str) -> int:
    request = urllib.request.Request(
        f"{sb.url}/api/v1/me", headers={"Authorization": f"Bearer {key}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return int(reply.status)
    except urllib.error.HTTPError as error:
        return error.code


def assert_every_step_done(result: Result) -> None:
    for number in ("1", "2", "3", "4", "5", "6", "7", "V"):
        assert f"✓ {number:>2}  " in result.err, result.err


def test_token_with_an_expiry_is_delivered_and_works(tmp_path: Path) -> None:
    # No portal configured: the run starts the embedded sandbox, as a first-time user's does.
    sink = tmp_path / ".env.ci"
    result = run_cli(
        "run",
        "cloudeka-token",
        "--name",
        "ci-deploy",
        "--expires",
        EXPIRES,
        "--secret-to",
        f"env:{sink}:CLOUDEKA_TOKEN",
    )
    assert result.code == 0, result.text
    assert "SANDBOX" in result.err and "Cloudeka Service Portal AI replica" in result.err
    # Its state persists in the data folder (beside the Gravitee replica's): look there.
    with CloudekaSandbox(tmp_path / "data" / "sandbox") as portal:
        (token,) = new_tokens(portal, "ci-deploy")
        assert api_status(portal, token["secret"]) == 200
    assert dotenv_values(sink) == {"CLOUDEKA_TOKEN": token["secret"]}
    assert stat.S_IMODE(sink.stat().st_mode) == 0o600
    assert token["expiredAt"] == EXPIRES and token["revokedAt"] is None
    assert_every_step_done(result)
    assert "never expires" not in result.err
    (run_dir,) = Path("recordings").iterdir()
    facts = json.loads((run_dir / "run.json").read_text())["facts"]
    # What the token list table showed for the new row ("30 Jun 2027"; "Sept" in en-GB).
    shown = datetime.strptime(facts["expires_shown"].replace("Sept", "Sep"), "%d %b %Y")
    assert shown.date().isoformat() == EXPIRES
    assert facts["api_check"] == f"accepted (GET /api/v1/me answered 200 for {portal.EMAIL})"
    assert facts["signed_in_as"] == portal.DISPLAY_NAME
    assert token["secret"] not in result.text


def test_no_expiry_with_two_factor_sign_in_warns_and_works(
    cloudeka_env: CloudekaSandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secret = pyotp.random_base32()
    cloudeka_env.enable_totp(secret)
    # As an authenticator app shows it: lower case, in groups of four.
    shown = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)).lower()
    monkeypatch.setenv("RUNBOOK_CLOUDEKA_TOTP_SECRET", shown)
    sink = tmp_path / "secrets" / "break-glass.key"
    sink.parent.mkdir()
    recordings = tmp_path / "rec"
    result = run_cli(
        "run",
        "cloudeka-token",
        "--name",
        "break-glass",
        "--no-expiry",
        "--recordings",
        str(recordings),
        "--secret-to",
        f"file:{sink}",
    )
    assert result.code == 0, result.text
    (token,) = new_tokens(cloudeka_env, "break-glass")
    assert sink.read_text().strip() == token["secret"]
    assert token["expiredAt"] is None
    assert api_status(cloudeka_env, token["secret"]) == 200
    assert_every_step_done(result)
    # The warning comes before the first step, and again at the end.
    warning = "warning: the token never expires"
    assert result.err.index(warning) < result.err.index("✓  1")
    assert result.err.rindex(warning) > result.err.index("✓  V")
    (run_dir,) = recordings.iterdir()
    journal = json.loads((run_dir / "run.json").read_text())
    assert any("never expires" in w for w in journal["warnings"])
    assert journal["parameters"] == {"name": "break-glass", "expires": None, "no_expiry": True}


def test_one_time_code_is_asked_at_the_terminal_without_a_totp_secret(
    cloudeka_env: CloudekaSandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secret = pyotp.random_base32()
    cloudeka_env.enable_totp(secret)
    questions: list[str] = []

    def asker(_console: object) -> Any:
        def ask(question: str) -> str:
            questions.append(question)
            return pyotp.TOTP(secret).now()

        return ask

    monkeypatch.setattr("runbooks._cli._terminal_asker", asker)
    result = run_cli(
        "run",
        "cloudeka-token",
        "--name",
        "asked",
        "--expires",
        EXPIRES,
        "--secret-to",
        f"file:{tmp_path}/k",
    )
    assert result.code == 0, result.text
    assert questions == ["One-time code"]
    (token,) = new_tokens(cloudeka_env, "asked")
    assert (tmp_path / "k").read_text().strip() == token["secret"]


def test_nothing_secret_leaks_into_recordings_or_output(
    cloudeka_env: CloudekaSandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    totp_secret = pyotp.random_base32()
    cloudeka_env.enable_totp(totp_secret)
    monkeypatch.setenv("RUNBOOK_CLOUDEKA_TOTP_SECRET", totp_secret)
    recordings = tmp_path / "recordings"
    result = run_cli(
        "run",
        "cloudeka-token",
        "--name",
        "leak-check",
        "--expires",
        EXPIRES,
        "--record",
        "on",
        "--recordings",
        str(recordings),
        "--secret-to",
        f"file:{tmp_path}/key.txt",
    )
    assert result.code == 0, result.text
    (token,) = new_tokens(cloudeka_env, "leak-check")
    key = token["secret"]
    assert (tmp_path / "key.txt").read_text().strip() == key
    (run_dir,) = recordings.iterdir()
    files = [p for p in run_dir.rglob("*") if p.is_file()]
    assert run_dir / "trace.zip" in files and run_dir / "run.json" in files
    assert len([p for p in files if p.suffix == ".png"]) == 8  # one per step
    needles = [key.encode(), key[5:].encode(), cloudeka_env.PASSWORD.encode(), totp_secret.encode()]
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        blobs = [path.read_bytes()]
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                blobs += [archive.read(name) for name in archive.namelist()]
        for blob in blobs:
            for needle in needles:
                assert needle not in blob, f"secret found in {path}"
    for needle in (key, cloudeka_env.PASSWORD, totp_secret):
        assert needle not in result.text
    journal = json.loads((run_dir / "run.json").read_text())
    assert journal["outcome"] == "succeeded"
    assert [s["status"] for s in journal["steps"]] == ["done"] * 8
    with zipfile.ZipFile(run_dir / "trace.zip") as archive:
        # Recorded before step 4 and after step 7: the secret's stretch is a gap.
        assert len([n for n in archive.namelist() if n.endswith(".trace")]) >= 2
