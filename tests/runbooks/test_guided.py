"""Guided runs through a pseudo-terminal: the real CLI, keys sent to it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pexpect

from sandbox import GraviteeSandbox
from tests.conftest import GuardedCli

PROMPT = r"\[Enter\] do it"
CONFIRM = r"Type eu-prod-gw to go ahead"


def spawn(cli: GuardedCli, *args: str) -> pexpect.spawn[str]:
    argv = [
        *cli.argv[1:],
        "run",
        "gravitee-cloud-token",
        "--gateway",
        "eu-prod-gw",
        "--guided",
        "--headless",
        *args,
    ]
    child = pexpect.spawn(
        cli.argv[0], argv, env=cli.env, encoding="utf-8", timeout=60, dimensions=(50, 160)
    )
    return child


def active(gravitee: GraviteeSandbox) -> list[str]:
    gw = next(g for g in gravitee.state()["gateways"] if g["name"] == "eu-prod-gw")
    return [t["value"] for t in gw["tokens"]]


def audit_lines(tmp_path: Path) -> list[dict[str, object]]:
    path = tmp_path / "data" / "audit.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()]


def go_through(child: pexpect.spawn[str], count: int) -> None:
    for _ in range(count):
        child.expect(PROMPT)
        child.sendline("")


def test_guided_run_confirms_the_destructive_step(
    guarded_cli: GuardedCli, gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    old = active(gravitee_env)
    child = spawn(guarded_cli, "--secret-to", f"file:{tmp_path}/token")
    child.expect("Step 1")
    go_through(child, 4)  # sign in, open the gateway, Cloud Tokens, the bin icon
    child.expect("DESTRUCTIVE")
    child.expect("created")  # the panel names the token about to go, by creation date
    child.expect(CONFIRM)
    child.sendline("eu-prod-gw")
    go_through(child, 3)  # generate, copy and close, verification
    child.expect("Done")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    (new,) = active(gravitee_env)
    assert new not in old and (tmp_path / "token").read_text().strip() == new
    lines = audit_lines(tmp_path)
    (step,) = [line for line in lines if line["event"] == "destructive-step"]
    assert step["confirmation"] == "eu-prod-gw" and step["outcome"] == "done"
    assert "eu-prod-gw" in str(step["what"])


def test_guided_run_aborts_on_a_wrong_confirmation(
    guarded_cli: GuardedCli, gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    before = gravitee_env.state()
    child = spawn(guarded_cli, "--secret-to", f"file:{tmp_path}/token")
    go_through(child, 4)
    child.expect(CONFIRM)
    child.sendline("eu-prod")
    child.expect("not confirmed")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 4  # confirmation refused: its own code
    assert gravitee_env.state() == before, "nothing changed in the portal"
    assert not (tmp_path / "token").exists()
    (step,) = [line for line in audit_lines(tmp_path) if line["event"] == "destructive-step"]
    assert step["confirmation"] == "eu-prod" and step["outcome"] == "aborted"


def test_guided_run_skips_a_step_the_person_skips(
    guarded_cli: GuardedCli, gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    child = spawn(guarded_cli, "--secret-to", f"file:{tmp_path}/token")
    go_through(child, 4)
    child.expect(CONFIRM)
    child.sendline("eu-prod-gw")
    go_through(child, 2)
    child.expect(PROMPT)  # the verification
    child.sendline("s")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    (run_dir,) = Path("recordings").iterdir()
    journal = json.loads((run_dir / "run.json").read_text())
    verification = journal["steps"][-1]
    assert (verification["status"], verification["note"]) == ("skipped", "skipped by the person")
    assert [s["status"] for s in journal["steps"][:-1]] == ["done"] * 7


def test_guided_run_stops_and_resumes(
    guarded_cli: GuardedCli, gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    old = active(gravitee_env)
    child = spawn(guarded_cli, "--secret-to", f"file:{tmp_path}/token")
    go_through(child, 2)
    child.expect(PROMPT)
    child.sendline("q")
    child.expect("runbook resume")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 3  # stopped by the person: its own code
    assert active(gravitee_env) == old
    (run_dir,) = Path("recordings").iterdir()
    resumed = subprocess.run(
        [*guarded_cli.argv, "resume", run_dir.name],
        env=guarded_cli.env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert "done before; not repeated" not in resumed.stderr  # nothing had changed yet
    (new,) = active(gravitee_env)
    assert new not in old and (tmp_path / "token").read_text().strip() == new
