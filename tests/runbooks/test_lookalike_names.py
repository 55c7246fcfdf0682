"""A gateway whose name begins with another's is never picked for it (on every skin)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sandbox import GraviteeSandbox
from tests.cli import run_cli


def gateway(state: dict[str, Any], name: str) -> dict[str, Any]:
    return next(g for g in state["gateways"] if g["name"] == name)


# How step 2 finds the gateway on each skin: its name is a link in the plain table; in the
# Angular Material one a row is clicked, and the journal says the fallback did it.
FOUND_BY = {"plain": 'link "eu-prod-gw"', "framework": "the row of that name"}


def test_the_named_gateway_is_rotated_and_its_look_alike_untouched(
    gravitee_env: GraviteeSandbox, tmp_path: Path, skin: str
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
    # The journal keeps, per step, the way each control was found.
    (run,) = Path("recordings").iterdir()
    steps = {s["number"]: s for s in json.loads((run / "run.json").read_text())["steps"]}
    assert steps["2"]["strategies"]["the Gateway eu-prod-gw"] == FOUND_BY[skin]
    assert "the bin icon" in steps["4"]["strategies"]
