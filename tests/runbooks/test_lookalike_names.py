"""A gateway whose name begins with another's is never picked for it (on every skin)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sandbox import GraviteeSandbox
from tests.cli import run_cli


def gateway(state: dict[str, Any], name: str) -> dict[str, Any]:
    return next(g for g in state["gateways"] if g["name"] == name)


def test_the_named_gateway_is_rotated_and_its_look_alike_untouched(
    gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    # A name that a prefix match (or a substring match) would take for eu-prod-gw.
    gravitee_env.add_gateway("eu-prod-gw-canary")
    before = gravitee_env.state()
    old = gateway(before, "eu-prod-gw")["tokens"][0]["value"]

    result = run_cli(
        "run", "gravitee-cloud-token", "--gateway", "eu-prod-gw",
        "--secret-to", f"file:{tmp_path / 'token'}",
    )  # fmt: skip

    assert result.code == 0, result.text
    after = gravitee_env.state()
    (active,) = gateway(after, "eu-prod-gw")["tokens"]
    assert active["value"] != old
    assert active["value"] in (tmp_path / "token").read_text()
    assert (
        gateway(after, "eu-prod-gw-canary")["tokens"]
        == gateway(before, "eu-prod-gw-canary")["tokens"]
    )
    assert gateway(after, "eu-prod-gw-canary")["revokedTokens"] == []
