"""--order safe: the new token exists and is delivered before the old one is revoked."""

from __future__ import annotations

import json
from pathlib import Path

from sandbox import GraviteeSandbox
from tests.cli import run_cli


def test_safe_order_generates_first_and_names_old_and_new(
    gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    gw = next(g for g in gravitee_env.state()["gateways"] if g["name"] == "eu-prod-gw")
    (original,) = gw["tokens"]
    result = run_cli(
        "run",
        "gravitee-cloud-token",
        "--gateway",
        "eu-prod-gw",
        "--order",
        "safe",
        "--secret-to",
        f"file:{tmp_path}/t",
    )
    assert result.code == 0, result.text
    gw = next(g for g in gravitee_env.state()["gateways"] if g["name"] == "eu-prod-gw")
    (active,) = gw["tokens"]
    assert (tmp_path / "t").read_text().strip() == active["value"]
    assert [t["value"] for t in gw["revokedTokens"]] == [original["value"]]
    # The new token was made before the old one was revoked.
    assert active["createdAt"] <= gw["revokedTokens"][0]["revokedAt"]
    journal = json.loads(next(Path("recordings").glob("*/run.json")).read_text())
    assert [s["number"] for s in journal["steps"]] == ["1", "2", "3", "6", "7", "4", "5", "V"]
    bin_step = next(s for s in journal["steps"] if s["number"] == "4")
    assert "old token: created" in bin_step["note"] and "new token: created" in bin_step["note"]
    assert "old token: created" in result.err


def test_runs_show_lists_the_steps(gravitee_env: GraviteeSandbox, tmp_path: Path) -> None:
    run_cli("run", "gravitee-cloud-token", "--gateway", "nope", "--secret-to", f"file:{tmp_path}/t")
    (run_dir,) = Path("recordings").iterdir()
    shown = run_cli("runs", "show", run_dir.name)
    assert shown.code == 0, shown.text
    # An unknown gateway: a resume would meet it again, so it is not offered (#10).
    assert "Outcome: failed" in shown.out and "resumable" not in shown.out
    assert "✓  1  Sign in to Gravitee Cloud." in shown.out and "✗  2" in shown.out
    assert "no gateway named 'nope'" in shown.out
