"""One rotation at a time per target, and the audit trail of every run."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from runbooks._errors import LockHeld
from runbooks._lock import hold_lock, normalise_url
from sandbox import GraviteeSandbox
from tests.cli import Result, run_cli

RUN = ("run", "gravitee-cloud-token", "--gateway", "eu-prod-gw")


def test_a_second_run_on_the_same_gateway_is_refused(
    gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    gravitee_env.latency = 0.7  # the first run is still going when the second starts
    results: dict[str, Result] = {}
    first = threading.Thread(
        target=lambda: results.update(first=run_cli(*RUN, "--secret-to", f"file:{tmp_path}/a"))
    )
    first.start()
    locks = tmp_path / "data" / "locks"
    while first.is_alive() and not list(locks.glob("*.lock")):
        first.join(0.05)  # wait for the first run to hold its lock
    second = run_cli(*RUN, "--secret-to", f"file:{tmp_path}/b")
    first.join()
    assert results["first"].code == 0, results["first"].text
    # Its own exit code (5), and the outcome in words, not the class's name.
    assert second.code == 5 and "refused: " in second.err, second.text
    assert "LockHeld" not in second.err
    run_id = json.loads(next(Path("recordings").glob("*/run.json")).read_text())["run_id"]
    assert f"run {run_id}" in second.err and "gateway eu-prod-gw" in second.err
    assert not (tmp_path / "b").exists()


def test_another_gateway_is_not_locked(gravitee_env: GraviteeSandbox, tmp_path: Path) -> None:
    with hold_lock(
        tmp_path / "data" / "locks",
        "gravitee:" + gravitee_env.url + " gateway eu-prod-gw",
        "other-run",
    ):
        result = run_cli(
            "run",
            "gravitee-cloud-token",
            "--gateway",
            "us-prod-gw",
            "--secret-to",
            f"file:{tmp_path}/t",
        )
    assert result.code == 0, result.text


def test_a_stale_lock_is_cleared(gravitee_env: GraviteeSandbox, tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    key = f"gravitee:{gravitee_env.url} gateway eu-prod-gw"
    locks = tmp_path / "data" / "locks"
    with hold_lock(locks, key, "crashed-run"):
        (lock,) = locks.glob("*.lock")
        data = json.loads(lock.read_text())
        stale = lock.read_text().replace(str(data["pid"]), dead.stdout.strip())
    lock.write_text(stale)  # as a killed run leaves it
    result = run_cli(*RUN, "--secret-to", f"file:{tmp_path}/t")
    assert result.code == 0, result.text
    assert "cleared a stale lock left by run crashed-run" in result.err
    assert not list(locks.glob("*.lock")), "released at the end"


def audit(tmp_path: Path) -> list[dict[str, Any]]:
    return [
        json.loads(line) for line in (tmp_path / "data" / "audit.jsonl").read_text().splitlines()
    ]


def test_audit_log_has_a_line_per_run_and_destructive_step(
    gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    ok = run_cli(*RUN, "--secret-to", f"file:{tmp_path}/t")
    bad = run_cli(
        "run", "gravitee-cloud-token", "--gateway", "nope", "--secret-to", f"file:{tmp_path}/u"
    )
    assert (ok.code, bad.code) == (0, 1)
    lines = audit(tmp_path)
    assert [(line["event"], line.get("outcome")) for line in lines] == [
        ("destructive-step-intent", None),  # written before the action
        ("destructive-step", "done"),
        ("run", "succeeded"),
        ("run", "failed"),
    ]
    assert lines[0]["step"] == "5" and lines[0]["confirmation"] == "(unattended run)"
    step = lines[1]
    assert step["step"] == "5" and step["confirmation"] == "(unattended run)"
    assert step["parameters"] == {"gateway": "eu-prod-gw", "order": "documented"}
    assert step["user"] and step["run_id"] == lines[2]["run_id"] != lines[3]["run_id"]
    assert "eu-prod-gw" in step["what"] and "created" in step["what"]
    path = tmp_path / "data" / "audit.jsonl"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    token = (tmp_path / "t").read_text().strip()
    assert token not in text and gravitee_env.PASSWORD not in text


def test_dry_run_prints_the_plan_and_starts_nothing(tmp_path: Path) -> None:
    result = run_cli(
        *RUN, "--order", "safe", "--secret-to", f"env:{tmp_path}/.env:TOKEN", "--dry-run"
    )
    assert result.code == 0, result.text
    order = [
        line.split(".")[0].strip()
        for line in result.out.splitlines()
        if line[:4].strip()[:1].isalnum() and line.startswith("  ")
    ]
    assert order == ["1", "2", "3", "6", "7", "4", "5", "V"], result.out
    assert "embedded Gravitee Cloud sandbox" in result.out and "TOKEN in" in result.out
    assert "order=safe" in result.out and "Dry run" in result.out
    assert not Path("recordings").exists() and not (tmp_path / "data" / "sandbox").exists()


@pytest.mark.parametrize(
    ("typed", "same_as"),
    [
        ("http://127.0.0.1:8800/./", "http://127.0.0.1:8800"),
        ("HTTP://Portal.Example:80/a/../", "http://portal.example"),
        ("https://portal.example:443/x/./y/", "https://portal.example/x/y"),
        ("http://[::1]:8800//", "http://[::1]:8800"),
    ],
)
def test_the_lock_key_normalises_the_portal_url(typed: str, same_as: str, tmp_path: Path) -> None:
    assert normalise_url(typed) == same_as
    with (
        hold_lock(tmp_path / "locks", f"gravitee:{same_as} gateway eu-prod-gw", "first"),
        pytest.raises(LockHeld, match="run first"),
        hold_lock(tmp_path / "locks", f"gravitee:{typed} gateway eu-prod-gw", "second"),
    ):
        pass  # pragma: no cover - the second lock is refused


def test_different_ports_and_paths_are_different_portals() -> None:
    assert normalise_url("http://h:8800") != normalise_url("http://h:8801")
    assert normalise_url("https://h/tenant-a") != normalise_url("https://h/tenant-b")


def test_the_locks_folder_is_private(tmp_path: Path) -> None:
    with hold_lock(tmp_path / "data" / "locks", "k", "run"):
        pass
    assert stat.S_IMODE((tmp_path / "data" / "locks").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
