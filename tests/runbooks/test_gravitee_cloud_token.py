"""gravitee-cloud-token end to end: the real CLI, real Chromium, the replica portal."""

from __future__ import annotations

import json
import stat
import zipfile
from pathlib import Path
from typing import Any

import pytest
from dotenv import dotenv_values

from sandbox import GraviteeSandbox
from tests.cli import run_cli


def gateway(state: dict[str, Any], name: str) -> dict[str, Any]:
    return next(g for g in state["gateways"] if g["name"] == name)


def test_rotation_delivers_the_token_the_portal_now_holds(
    gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    before = gravitee_env.state()
    old = gateway(before, "eu-prod-gw")["tokens"][0]["value"]
    sink = tmp_path / ".env.gateway"

    result = run_cli(
        "run",
        "gravitee-cloud-token",
        "--gateway",
        "eu-prod-gw",
        "--secret-to",
        f"env:{sink}:CLOUD_TOKEN",
    )

    assert result.code == 0, result.text
    after = gravitee_env.state()
    (active,) = gateway(after, "eu-prod-gw")["tokens"]
    assert dotenv_values(sink) == {"CLOUD_TOKEN": active["value"]}
    assert active["value"] != old
    assert old in [t["value"] for t in gateway(after, "eu-prod-gw")["revokedTokens"]]
    assert stat.S_IMODE(sink.stat().st_mode) == 0o600
    for other in ("eu-staging-gw", "us-prod-gw"):
        assert gateway(after, other)["tokens"] == gateway(before, other)["tokens"]
    # Every documented step ran, in the guide's order, and the summary says where it went.
    for number in ("1", "2", "3", "4", "5", "6", "7", "V"):
        assert f"✓ {number:>2}  " in result.err, result.err
    assert "CLOUD_TOKEN in" in result.err and "eu-prod-gw" in result.err


def test_nothing_of_the_token_leaks_into_recordings_or_output(
    gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    recordings = tmp_path / "recordings"
    result = run_cli(
        "run",
        "gravitee-cloud-token",
        "--gateway",
        "eu-staging-gw",
        "--record",
        "on",
        "--recordings",
        str(recordings),
        "--secret-to",
        f"file:{tmp_path}/token.txt",
    )
    assert result.code == 0, result.text
    token = gateway(gravitee_env.state(), "eu-staging-gw")["tokens"][0]["value"]
    assert (tmp_path / "token.txt").read_text().strip() == token
    (run_dir,) = recordings.iterdir()
    files = [p for p in run_dir.rglob("*") if p.is_file()]
    assert run_dir / "trace.zip" in files and run_dir / "run.json" in files
    assert len([p for p in files if p.suffix == ".png"]) == 8  # one per step
    needles = [token.encode(), token.split(".")[2].encode(), gravitee_env.PASSWORD.encode()]
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        blobs = [path.read_bytes()]
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                blobs += [archive.read(name) for name in archive.namelist()]
        for blob in blobs:
            for needle in needles:
                assert needle not in blob, f"secret found in {path}"
    assert token not in result.text and gravitee_env.PASSWORD not in result.text
    journal = json.loads((run_dir / "run.json").read_text())
    assert journal["outcome"] == "succeeded"
    assert journal["parameters"] == {"gateway": "eu-staging-gw", "order": "documented"}
    assert [s["status"] for s in journal["steps"]] == ["done"] * 8
    # The trace is one zip holding the stretches recorded around the secret.
    with zipfile.ZipFile(run_dir / "trace.zip") as archive:
        assert len([n for n in archive.namelist() if n.endswith(".trace")]) >= 2


def test_stdout_sink_is_the_only_way_to_the_terminal(gravitee_env: GraviteeSandbox) -> None:
    result = run_cli(
        "run", "gravitee-cloud-token", "--gateway", "us-prod-gw", "--secret-to", "stdout"
    )
    assert result.code == 0, result.text
    token = gateway(gravitee_env.state(), "us-prod-gw")["tokens"][0]["value"]
    assert result.out == token + "\n"
    assert token not in result.err


def test_without_a_configured_portal_the_run_uses_the_embedded_sandbox(tmp_path: Path) -> None:
    result = run_cli(
        "run",
        "gravitee-cloud-token",
        "--gateway",
        "eu-prod-gw",
        "--secret-to",
        f"file:{tmp_path}/t.txt",
    )
    assert result.code == 0, result.text
    assert "SANDBOX" in result.err
    # Its state persists in the data folder: a restarted sandbox holds the delivered token.
    with GraviteeSandbox(tmp_path / "data" / "sandbox") as again:
        (active,) = gateway(again.state(), "eu-prod-gw")["tokens"]
    assert (tmp_path / "t.txt").read_text().strip() == active["value"]


def test_a_gateway_without_a_token_gets_one(gravitee_env: GraviteeSandbox, tmp_path: Path) -> None:
    first = run_cli(
        "run",
        "gravitee-cloud-token",
        "--gateway",
        "eu-prod-gw",
        "--secret-to",
        f"file:{tmp_path}/a",
    )
    assert first.code == 0, first.text
    second = run_cli(
        "run",
        "gravitee-cloud-token",
        "--gateway",
        "eu-prod-gw",
        "--secret-to",
        f"file:{tmp_path}/b",
    )
    assert second.code == 0, second.text
    (active,) = gateway(gravitee_env.state(), "eu-prod-gw")["tokens"]
    assert (tmp_path / "b").read_text().strip() == active["value"]
    assert (tmp_path / "a").read_text() != (tmp_path / "b").read_text()


@pytest.mark.parametrize("record", ["off", "retain-on-failure"])
def test_no_trace_is_kept_for_a_successful_run_unless_asked(
    gravitee_env: GraviteeSandbox, tmp_path: Path, record: str
) -> None:
    result = run_cli(
        "run",
        "gravitee-cloud-token",
        "--gateway",
        "eu-prod-gw",
        "--record",
        record,
        "--recordings",
        str(tmp_path / "rec"),
        "--secret-to",
        f"file:{tmp_path}/t",
    )
    assert result.code == 0, result.text
    (run_dir,) = (tmp_path / "rec").iterdir()
    assert not (run_dir / "trace.zip").exists()
    assert not list(run_dir.glob(".trace-chunk-*"))


def test_a_machine_in_another_time_zone_reads_the_table_as_in_utc(
    gravitee_env: GraviteeSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Eight hours behind UTC: a table read in the machine's zone would show the new token
    # created hours before the run began, and step V would find no token of this run.
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    result = run_cli(
        "run",
        "gravitee-cloud-token",
        "--gateway",
        "eu-prod-gw",
        "--secret-to",
        f"file:{tmp_path}/t",
    )
    assert result.code == 0, result.text
    assert "in the browser's time zone, UTC" in result.err, result.err
