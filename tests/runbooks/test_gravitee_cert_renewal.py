"""gravitee-cert-renewal end to end: the real CLI, real Chromium, the replica portal."""

from __future__ import annotations

import base64
import json
import stat
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from dotenv import dotenv_values

from runbooks._keystore import check_usable, open_pkcs12
from sandbox import Fault, GraviteeSandbox
from tests.cli import Result, run_cli
from tests.sandbox.test_gravitee_api import sign_in
from tests.sandbox.test_gravitee_renewcert import create_token
from tests.test_keystore import make_keystore

RENEWAL = "gravitee-cert-renewal"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def one_line_error(result: Result, code: int, *needles: str) -> str:
    assert result.code == code, result.text
    lines = [line for line in result.err.splitlines() if line.strip()]
    for needle in needles:
        assert needle in lines[-1], result.err
    assert "Traceback" not in result.text
    return lines[-1]


@pytest.fixture
def certs(tmp_path: Path) -> Path:
    """The installation's certificate folder, holding the keystore about to expire."""
    folder = tmp_path / "certs"
    folder.mkdir()
    (folder / "cloud-client.p12").write_bytes(make_keystore(days_left=10))
    return folder


def renew(keystore: Path, secret_to: str, *extra: str) -> Result:
    return run_cli("run", RENEWAL, "--keystore", str(keystore), "--secret-to", secret_to, *extra)


def files_and_entries(folder: Path) -> list[tuple[str, bytes]]:
    """Every file under `folder`, and every entry of every zip (the trace) among them."""
    blobs = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        assert mode(path) == 0o600, path
        blobs.append((str(path), path.read_bytes()))
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                blobs += [(f"{path}:{name}", archive.read(name)) for name in archive.namelist()]
    return blobs


def test_renewal_installs_the_issued_keystore_and_no_secret_leaks(
    gravitee_env: GraviteeSandbox, certs: Path, tmp_path: Path
) -> None:
    keystore = certs / "cloud-client.p12"
    old = keystore.read_bytes()
    sink = tmp_path / ".env.gateway"
    sink.write_text("OTHER=kept\n")
    recordings = tmp_path / "recordings"
    today = f"{datetime.now(UTC):%Y-%m-%d}"
    # Someone's token already has the default name: the run must pick another, and leave it be.
    cookie, _ = sign_in(gravitee_env)
    theirs = create_token(gravitee_env, cookie, f"renewcert-{today}")

    result = renew(
        keystore,
        f"env:{sink}:CLOUD_KEYSTORE_PASSWORD",
        "--record",
        "on",
        "--recordings",
        str(recordings),
    )

    assert result.code == 0, result.text
    delivered = dotenv_values(sink)
    password = delivered["CLOUD_KEYSTORE_PASSWORD"]
    assert password and delivered["OTHER"] == "kept"
    content = keystore.read_bytes()
    info = open_pkcs12(content, password)  # opens with the delivered password
    check_usable(info)
    state = gravitee_env.state()
    (issued,) = state["certificates"]
    assert (info.serial, info.sha256, info.subject) == (
        issued["serial"],
        issued["sha256"],
        issued["subject"],
    )
    assert timedelta(days=364) < info.not_after - datetime.now(UTC) <= timedelta(days=365)
    assert info.alias == "cockpit-client" and mode(keystore) == 0o600
    (backup,) = certs.glob("cloud-client.p12.*.bak")
    assert backup.read_bytes() == old and mode(backup) == 0o600
    assert sorted(p.name for p in certs.iterdir()) == sorted([keystore.name, backup.name])
    # The temporary token is revoked; the other one is untouched.
    assert [t["id"] for t in state["accountTokens"]] == [theirs["id"]]
    (revoked,) = state["revokedAccountTokens"]
    assert revoked["name"] == f"renewcert-{today}-2"
    for number in ("1", "2", "3", "4", "5", "C"):
        assert f"✓ {number:>2}  " in result.err, result.err
    not_after = f"{info.not_after:%Y-%m-%d %H:%M:%S} UTC (364 days from now)"
    summary = (
        issued["serial"],
        issued["subject"],
        not_after,
        backup.name,
        "CLOUD_KEYSTORE_PASSWORD",
    )
    for shown in summary:
        assert shown in result.err, result.err

    # Nothing secret in the recordings (every file, every trace entry) or on the console.
    encoded = base64.b64encode(content).decode()
    needles = {
        "account token": revoked["value"].encode(),
        "keystore password": password.encode(),
        "keystore content": encoded.encode(),
        "a slice of the content": encoded[300:360].encode(),
        "raw keystore bytes": content[200:260],
    }
    (run_dir,) = recordings.iterdir()
    blobs = files_and_entries(run_dir)
    assert {Path(name).name for name, _ in blobs} >= {"run.json", "trace.zip"}
    for name, blob in blobs:
        for what, needle in needles.items():
            assert needle not in blob, f"{what} found in {name}"
    for what, needle in needles.items():
        if what != "raw keystore bytes":
            assert needle.decode() not in result.text, f"{what} printed"
    # The trace is there, with the stretches before and after the secret, and
    # without the renewal request itself.
    traces = [blob for name, blob in blobs if name.endswith(".trace")]
    assert len(traces) >= 2
    entries = [blob for name, blob in blobs if ".zip:" in name]
    assert any(b"/management/v2/account/tokens" in blob for blob in entries)
    assert not any(b"/certificate/renewcert" in blob for blob in entries)
    journal = json.loads((run_dir / "run.json").read_text())
    assert journal["outcome"] == "succeeded"
    assert [s["status"] for s in journal["steps"]] == ["done"] * 6


def test_keep_account_token_and_a_first_keystore(
    gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    folder = tmp_path / "fresh"
    folder.mkdir()
    keystore = folder / "client.p12"

    result = renew(
        keystore,
        f"file:{tmp_path}/password.txt",
        "--keep-account-token",
        "--token-name",
        "ci-renewal",
    )

    assert result.code == 0, result.text
    password = (tmp_path / "password.txt").read_text().strip()
    assert not open_pkcs12(keystore.read_bytes(), password).expired()
    assert [p.name for p in folder.iterdir()] == ["client.p12"]  # nothing to back up
    state = gravitee_env.state()
    assert [t["name"] for t in state["accountTokens"]] == ["ci-renewal"]
    assert state["revokedAccountTokens"] == []
    assert "–  C" in result.err and "--keep-account-token" in result.err
    assert "ci-renewal kept" in result.err and "none (no file yet)" in result.err


def _reply(content: bytes, password: str) -> dict[str, Any]:
    return {
        "alias": "cockpit-client",
        "storePassword": password,
        "keyPassword": password,
        "type": "PKCS12",
        "content": base64.b64encode(content).decode(),
    }


_GOOD = make_keystore(365, "right-password-123")
BAD_REPLIES = {
    "invalid JSON": (200, '{"alias": "cockpit-client", "content": ', "is not valid JSON"),
    "wrong password": (
        200,
        _reply(_GOOD, "wrong-but-secret-4321"),
        "does not open with the password given",
    ),
    "truncated content": (
        200,
        _reply(_GOOD[: len(_GOOD) // 2], "right-password-123"),
        "is not a PKCS#12 keystore (truncated or corrupt)",
    ),
    "401": (401, None, "the renewal API answered 401: it did not accept the account token"),
    "404": (404, None, "the renewal API answered 404: it knows no account 3f0c7a52-"),
}


@pytest.mark.parametrize("case", list(BAD_REPLIES))
def test_a_bad_reply_leaves_the_keystore_untouched(
    gravitee_env: GraviteeSandbox, certs: Path, tmp_path: Path, case: str
) -> None:
    status, body, needle = BAD_REPLIES[case]
    gravitee_env.add_fault(Fault(method="POST", path=r"/renewcert$", status=status, body=body))
    keystore = certs / "cloud-client.p12"
    old = keystore.read_bytes()
    sink = tmp_path / ".env.gateway"

    result = renew(keystore, f"env:{sink}:CLOUD_KEYSTORE_PASSWORD")

    error = one_line_error(result, 1, "error: ", needle)
    assert f"the keystore at {keystore} was not changed" in error
    (left,) = gravitee_env.state()["accountTokens"]
    assert f"account token {left['name']!r} is left in Settings > Account tokens" in error
    assert keystore.read_bytes() == old
    assert [p.name for p in certs.iterdir()] == [keystore.name]
    assert not sink.exists()
    assert "✗  5" in result.err
    assert "wrong-but-secret-4321" not in result.text and left["value"] not in result.text


def test_the_token_limit_names_the_tokens_and_changes_nothing(
    gravitee_env: GraviteeSandbox, certs: Path, tmp_path: Path
) -> None:
    cookie, _ = sign_in(gravitee_env)
    names = [f"ci-{number}" for number in range(10)]
    for name in names:
        create_token(gravitee_env, cookie, name)
    keystore = certs / "cloud-client.p12"
    old = keystore.read_bytes()

    result = renew(keystore, f"file:{tmp_path}/password.txt")

    one_line_error(
        result,
        1,
        "the account has 10 active account tokens (" + ", ".join(names) + ")",
        "revoke one in Settings > Account tokens (trash icon) and run again",
    )
    assert keystore.read_bytes() == old and not (tmp_path / "password.txt").exists()
    assert [t["name"] for t in gravitee_env.state()["accountTokens"]] == names


def test_a_failed_delivery_leaves_the_keystore_untouched(
    gravitee_env: GraviteeSandbox, certs: Path
) -> None:
    keystore = certs / "cloud-client.p12"
    old = keystore.read_bytes()

    result = renew(keystore, "cmd:false")

    one_line_error(result, 1, "error: ", f"the keystore at {keystore} was not changed")
    assert keystore.read_bytes() == old
    assert [p.name for p in certs.iterdir()] == [keystore.name]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--keystore", "no/such/folder/k.p12", "--secret-to", "stdout"], "does not exist"),
        (["--keystore", ".", "--secret-to", "stdout"], "is a folder"),
        (["--keystore", "k.p12", "--token-name", " x", "--secret-to", "stdout"], "--token-name"),
        (["--keystore", "k.p12"], "--secret-to"),
        (["--secret-to", "stdout"], "--keystore"),
    ],
)
def test_bad_input_is_refused_before_any_browser(args: list[str], needle: str) -> None:
    result = run_cli("run", RENEWAL, *args)

    one_line_error(result, 2, needle)
    assert not Path("recordings").exists(), "nothing ran"


def test_backups_are_bounded_and_the_summary_says_so(
    gravitee_env: GraviteeSandbox, certs: Path, tmp_path: Path
) -> None:
    keystore = certs / "cloud-client.p12"
    # Earlier renewals' backups: four of them, older than this run's.
    older = [certs / f"cloud-client.p12.2026010{n}T000000Z.bak" for n in range(1, 5)]
    for path in older:
        path.write_bytes(b"an old keystore")
    result = renew(keystore, f"file:{tmp_path}/password")
    assert result.code == 0, result.text
    kept = sorted(p.name for p in certs.glob("cloud-client.p12.*.bak"))
    assert len(kept) == 3, kept
    assert kept[:2] == [older[2].name, older[3].name]  # the newest old ones, and this run's
    said = " ".join(result.err.split())
    assert "the 3 newest backups are kept; removed the oldest:" in said
    assert older[0].name in said and older[1].name in said
