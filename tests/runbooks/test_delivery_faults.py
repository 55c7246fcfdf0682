"""Delivery faults: a sink that does not take the secret, and names the portal would change.

Real CLI, real Chromium, the replica portals.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from sandbox import CloudekaSandbox, GraviteeSandbox
from tests.cli import Result, run_cli

EXPIRES = (date.today() + timedelta(days=400)).isoformat()


def gateway(sb: GraviteeSandbox) -> dict[str, Any]:
    return next(g for g in sb.state()["gateways"] if g["name"] == "eu-prod-gw")


def last_line(result: Result) -> str:
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert "Traceback" not in result.text, result.text
    return lines[-1]


def test_cmd_false_after_the_revoke_says_the_gateway_state_and_the_way_out(
    gravitee_env: GraviteeSandbox,
) -> None:
    (original,) = gateway(gravitee_env)["tokens"]
    result = run_cli(
        "run", "gravitee-cloud-token", "--gateway", "eu-prod-gw", "--secret-to", "cmd:false"
    )
    assert result.code == 1, result.text
    (run_id,) = [p.name for p in Path("recordings").iterdir()]
    line = last_line(result)
    assert "'false' exited with 1" in line
    assert "the old token is revoked, so the gateway has no valid Cloud token" in line
    assert "the new token is active in Gravitee Cloud and undelivered" in line
    assert "resuming this run recovers" in line
    # The CLI's one resume hint (#10): once, at the end.
    assert line.endswith(f"To go on: runbook resume {run_id}")
    # Exactly the state it describes.
    gw = gateway(gravitee_env)
    assert [t["value"] for t in gw["revokedTokens"]] == [original["value"]]
    assert len(gw["tokens"]) == 1 and gw["tokens"][0]["value"] != original["value"]


@pytest.mark.parametrize("command", ["true", "head -c 0"])
def test_a_command_that_reads_nothing_is_not_a_delivery(
    gravitee_env: GraviteeSandbox, command: str
) -> None:
    result = run_cli(
        "run",
        "gravitee-cloud-token",
        "--gateway",
        "eu-prod-gw",
        "--order",
        "safe",
        "--secret-to",
        f"cmd:{command}",
    )
    assert result.code == 1, result.text
    assert "Token delivered" not in result.text
    line = last_line(result)
    assert "exited 0 but read none of the secret" in line
    assert "the old token is not revoked and still works" in line
    # Safe order: the old token was not revoked for a new one nobody holds.
    assert gateway(gravitee_env)["revokedTokens"] == []


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("x" * 51, "--name is 51 characters; the portal takes 50 at most"),
        ("ci\ndeploy", "U+000A"),
        ("ci-\u202edeploy", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("ci\u200bdeploy", "U+200B"),
    ],
)
def test_a_name_the_portal_would_change_is_refused_before_the_browser_starts(
    cloudeka_env: CloudekaSandbox, tmp_path: Path, name: str, needle: str
) -> None:
    before = cloudeka_env.state()["tokens"]
    result = run_cli(
        "run",
        "cloudeka-token",
        "--name",
        name,
        "--expires",
        EXPIRES,
        "--secret-to",
        f"file:{tmp_path}/key",
    )
    assert result.code == 2, result.text
    assert needle in last_line(result)
    assert cloudeka_env.state()["tokens"] == before
    assert not Path("recordings").exists() and not (tmp_path / "key").exists()


def test_fifty_characters_is_still_a_name(cloudeka_env: CloudekaSandbox, tmp_path: Path) -> None:
    name = "n" * 50
    result = run_cli(
        "run",
        "cloudeka-token",
        "--name",
        name,
        "--expires",
        EXPIRES,
        "--secret-to",
        f"file:{tmp_path}/key",
    )
    assert result.code == 0, result.text
    assert [t["name"] for t in cloudeka_env.state()["tokens"] if t["name"] == name] == [name]


def test_an_expiry_ten_years_away_is_warned_as_effectively_never(tmp_path: Path) -> None:
    far = run_cli(
        "run",
        "cloudeka-token",
        "--name",
        "ci",
        "--expires",
        "9999-12-31",
        "--secret-to",
        f"file:{tmp_path}/key",
        "--dry-run",
    )
    assert far.code == 0, far.text
    assert "--expires 9999-12-31 is more than 10 years away, effectively never" in far.text
    near = run_cli(
        "run",
        "cloudeka-token",
        "--name",
        "ci",
        "--expires",
        EXPIRES,
        "--secret-to",
        f"file:{tmp_path}/key",
        "--dry-run",
    )
    assert near.code == 0 and "effectively never" not in near.text
