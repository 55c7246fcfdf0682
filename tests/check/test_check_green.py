"""`runbook check` on the sandbox: every runbook green, nothing changed, nothing delivered."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from runbooks._check.mode import CheckMode
from runbooks._config import load_settings
from runbooks._engine import Runner, RunOptions
from runbooks._output import Reporter, make_console
from runbooks._registry import get_runbook
from runbooks._secrets import Redactor
from runbooks._sinks import parse_sink
from tests.check.conftest import Portals
from tests.cli import in_thread, run_cli

RUNBOOKS = ("gravitee-cloud-token", "gravitee-cert-renewal", "cloudeka-token")


def _outputs(folder: Path) -> str:
    return "\n".join(
        p.read_text(errors="replace") for p in sorted(folder.rglob("*")) if p.is_file()
    )


def test_a_check_of_every_runbook_is_green_and_changes_nothing(
    portals_env: Portals, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    summary_md = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary_md))
    before = portals_env.states()
    result = run_cli(
        "check",
        "--baselines",
        str(portals_env.baselines),
        "--junit",
        str(out / "junit.xml"),
        "--html",
        str(out / "report.html"),
        "--json",
        str(out / "summary.json"),
        "--recordings",
        str(tmp_path / "recordings"),
    )
    assert result.code == 0, result.text
    # Byte for byte: no token revoked, generated or created, on either replica.
    assert portals_env.states() == before
    # One line on success, so that cron mails only failures.
    assert result.out.strip().count("\n") == 0
    assert result.out.startswith("runbook check: passed: 3 check(s)")
    summary = json.loads((out / "summary.json").read_text())
    assert summary["schema_version"] == 1 and summary["exit_code"] == 0
    checked = {c["runbook"]: c for c in summary["checks"]}
    assert set(checked) == set(RUNBOOKS)
    steps = {name: [s["step"] for s in c["steps"]] for name, c in checked.items()}
    # To the brink (the first change is rehearsed) and no further.
    assert steps == {
        "gravitee-cloud-token": ["1", "2", "3", "4", "5", "6"],
        "gravitee-cert-renewal": ["1", "2", "3", "4"],
        "cloudeka-token": ["1", "2", "3", "4"],
    }
    notes = [n for c in summary["checks"] for s in c["steps"] for n in s["notes"]]
    # The baselines matched: no candidate, no structure change.
    assert not [n for n in notes if "candidate" in n or "structure" in n or "baseline" in n], notes
    assert not list(portals_env.baselines.rglob("*.aria.new"))
    assert any("refused an unauthenticated request (401)" in n for n in notes)
    cases = ET.parse(out / "junit.xml").getroot().iter("testcase")
    assert len(list(cases)) == 14
    assert "passed" in summary_md.read_text()
    secrets = portals_env.secrets()
    everything = result.text + _outputs(out) + _outputs(tmp_path / "recordings")
    assert secrets and not [s for s in secrets if s in everything]


def test_a_check_delivers_nothing_even_with_a_sink(portals_env: Portals, tmp_path: Path) -> None:
    sink = tmp_path / "token"
    redactor = Redactor()
    runner = Runner(load_settings(), Reporter(make_console(redactor, None)), redactor)
    before = portals_env.states()
    options = RunOptions(sink=parse_sink(f"file:{sink}"), mode=CheckMode())
    params = {"gateway": "eu-prod-gw", "order": "documented"}
    in_thread(lambda: runner.run(get_runbook("gravitee-cloud-token"), params, options))
    assert not sink.exists()
    assert portals_env.states() == before


def test_update_baselines_writes_candidates_and_says_what_changed(
    portals_env: Portals, tmp_path: Path
) -> None:
    baselines = tmp_path / "baselines"
    shutil.copytree(portals_env.baselines, baselines)
    step = baselines / "gravitee-cloud-token" / "step-5.aria"
    step.write_text(step.read_text().replace('"Revoke Token"', '"Delete Token"'))
    approved = step.read_text()
    result = run_cli(
        "check", "gravitee-cloud-token", "--baselines", str(baselines), "--update-baselines"
    )
    assert result.code == 0, result.text
    candidate = step.with_name("step-5.aria.new")
    assert '"Revoke Token"' in candidate.read_text()
    assert step.read_text() == approved  # nothing overwritten silently
    assert f"candidate: {candidate}" in result.err


def test_usage_errors_exit_2(portals_env: Portals) -> None:
    assert run_cli("check", "no-such-runbook").code == 2
    assert run_cli("check", "--webhook", "ftp://example.invalid/").code == 2
    assert run_cli("check", "cloudeka-token", "--gateway", "x").code == 2
