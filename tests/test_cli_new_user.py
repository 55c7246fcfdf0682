"""The CLI as a new user meets it (#10): help, options, listings and messages.

In-process through `run_cli`: output is piped (not a terminal), as in a log or a cron job.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from runbooks._cert_cli import STATUS_EXIT_CODES
from runbooks._errors import EXIT_CODES
from sandbox import CloudekaSandbox, GraviteeSandbox
from tests.cli import Result, run_cli

README = Path(__file__).resolve().parent.parent / "README.md"
RUN = ("run", "gravitee-cloud-token", "--gateway", "eu-prod-gw")
CLASS_NAME = re.compile(r"\b(?:[A-Z][a-z]+)+(?:Error|Refused|Held|Stopped|Failed)\b|StepFailed")


def error_line(result: Result) -> str:
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert "Traceback" not in result.text
    assert not CLASS_NAME.search(lines[-1]), lines[-1]
    return lines[-1]


def no_trailing_spaces(text: str) -> None:
    padded = [line for line in text.splitlines() if line != line.rstrip()]
    assert not padded, padded


def readme_codes(heading: str) -> list[tuple[int, str]]:
    """The `| code | meaning |` rows of the README table under `heading`."""
    text = README.read_text()
    section = text[text.index(heading) :]
    rows = re.findall(r"^\| (\d+) \| (.+?) \|$", section, re.M)
    codes: list[tuple[int, str]] = []
    for code, meaning in rows:
        if codes and int(code) <= codes[-1][0]:
            break  # the next table
        codes.append((int(code), meaning))
    return codes


def test_the_readme_lists_the_codes_the_code_uses() -> None:
    assert readme_codes("### Exit codes") == list(EXIT_CODES)
    assert readme_codes("`runbook cert status` exits") == list(STATUS_EXIT_CODES)


def test_help_lists_the_exit_codes_and_a_bare_runbook_prints_it() -> None:
    bare = run_cli()
    assert bare.code == 0, bare.text
    for code, meaning in EXIT_CODES:
        assert re.search(rf"^\s+{code}\s+{re.escape(meaning)}$", bare.out, re.M), bare.out
    assert run_cli("--help").out.strip() == bare.out.strip()
    status_help = run_cli("cert", "status", "--help")
    for code, meaning in STATUS_EXIT_CODES:
        assert re.search(rf"^\s+{code}\s+{re.escape(meaning)}", status_help.out, re.M)
    version = run_cli("--version")
    assert version.code == 0 and re.fullmatch(r"runbook \d+\.\d+\.\d+\n", version.out)


def test_help_shows_the_choices_and_default_of_order() -> None:
    result = run_cli("run", "gravitee-cloud-token", "--help")
    said = " ".join(result.out.split())
    assert "one of: documented, safe; default: documented" in said


def test_list_and_show_are_aligned_and_unpadded() -> None:
    listed = run_cli("list")
    starts = {line.index(line.split("  ", 1)[1].strip()) for line in listed.out.splitlines()}
    assert len(starts) == 1, listed.out  # every title starts in the same column
    no_trailing_spaces(listed.out)
    shown = run_cli("show", "cloudeka-token")
    params = shown.out.split("Parameters:\n")[1].split("\n\n")[0].splitlines()
    assert len({len(re.match(r"\s*\S+(?: \S+)?\s+", p).group(0)) for p in params}) == 1  # type: ignore[union-attr]
    expires = next(p for p in params if "--expires" in p)
    assert "required unless --no-expiry" in expires and "optional" not in expires
    no_trailing_spaces(shown.out)


def test_env_file_before_the_subcommand_counts(tmp_path: Path) -> None:
    alt = tmp_path / "alt.env"
    alt.write_text("RUNBOOK_GRAVITEE_URL=https://gravitee.example.test\n")
    for argv in (
        ("--env-file", str(alt), *RUN, "--dry-run", "--secret-to", "stdout"),
        (*RUN, "--dry-run", "--secret-to", "stdout", "--env-file", str(alt)),
    ):
        result = run_cli(*argv)
        assert result.code == 0, result.text
        assert "Target: https://gravitee.example.test" in result.out, result.out
    missing = run_cli("--env-file", str(tmp_path / "nope.env"), *RUN, "--dry-run")
    assert missing.code == 2 and "nope.env not found" in error_line(missing)


def test_refused_before_a_browser_starts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    sink = ("--secret-to", f"file:{tmp_path}/token")
    garbage = run_cli(*RUN, *sink, "--connect", "garbage")
    assert garbage.code == 2 and "--connect 'garbage' is not a browser server" in error_line(
        garbage
    )
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    headed = run_cli(*RUN, *sink, "--headed")
    line = error_line(headed)
    assert headed.code == 2 and "there is no display" in line and "--headless" in line
    assert "xvfb-run" in line
    login = run_cli("login", "gravitee")
    assert login.code == 2 and "no Gravitee Cloud URL to sign in to" in error_line(login)
    assert "Sign in" not in login.err, "it never asked the person to sign in"
    assert not Path("recordings").exists()


def test_a_sandbox_run_says_why_and_runs_lists_it_whole(tmp_path: Path) -> None:
    result = run_cli(*RUN, "--secret-to", f"file:{tmp_path}/token")
    assert result.code == 0, result.text
    here = (Path.cwd() / ".env").resolve()
    assert f"No RUNBOOK_GRAVITEE_URL in the environment or in {here} (not found)" in result.err
    no_trailing_spaces(result.err)

    listed = run_cli("runs")
    assert listed.code == 0
    (run_dir,) = Path("recordings").iterdir()
    # The id `runbook resume` needs is there whole, on a line of its own, and the gateway too.
    assert re.search(rf"^\s+run id {run_dir.name}$", listed.out, re.M), listed.out
    assert "gateway / name" in listed.out and "eu-prod-gw" in listed.out
    assert "UTC" in listed.out
    no_trailing_spaces(listed.out)
    shown = run_cli("runs", "show", run_dir.name)
    assert re.search(r"Started \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", shown.out), shown.out
    summary = result.err.split("Done")[1]
    assert re.search(r"New token created\s+.+\(.*time zone", summary), summary


def test_no_resume_hint_where_a_resume_cannot_help(
    gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    result = run_cli(
        "run", "gravitee-cloud-token", "--gateway", "nope", "--secret-to", f"file:{tmp_path}/t"
    )
    line = error_line(result)
    assert result.code == 1 and line.startswith("error: no gateway named 'nope'"), line
    assert "runbook resume" not in result.err and line.count("recordings:") == 1
    listed = run_cli("runs")
    assert "yes" not in listed.out.split("run id")[0], listed.out


def test_a_run_that_never_started_is_not_resumable(tmp_path: Path) -> None:
    result = run_cli(*RUN, "--secret-to", f"file:{tmp_path}/t", "--connect", "ws://127.0.0.1:9/")
    line = error_line(result)
    assert result.code == 1 and "cannot reach the browser server" in line
    assert "runbook resume" not in line
    listed = run_cli("runs")
    assert "never started" in listed.out and "yes" not in listed.out.split("run id")[0]


def test_a_failed_delivery_says_what_is_left_and_resume_recovers(
    gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    first = run_cli(*RUN, "--secret-to", "cmd:false")
    line = error_line(first)
    assert first.code == 1, first.text
    (run_dir,) = Path("recordings").iterdir()
    assert "gateway eu-prod-gw the old token is revoked, so the gateway has no valid" in line
    assert "the new token is active in Gravitee Cloud and undelivered" in line
    assert line.count(f"runbook resume {run_dir.name}") == 1, line
    assert line.count("recordings:") == 1

    token = tmp_path / "token"
    resumed = run_cli("resume", run_dir.name, "--secret-to", f"file:{token}")
    assert resumed.code == 0, resumed.text
    (active,) = [
        t["value"]
        for g in gravitee_env.state()["gateways"]
        if g["name"] == "eu-prod-gw"
        for t in g["tokens"]
    ]
    assert token.read_text().strip() == active
    assert "1 old token(s), and 1 that an interrupted attempt generated" in resumed.err
    data = json.loads((run_dir / "run.json").read_text())
    assert data["sink_spec"] == f"file:{token}" and data["outcome"] == "succeeded"
    assert data["finished_at"] >= data["resumed_at"][-1].replace("+00:00", "Z")
    listed, shown = run_cli("runs"), run_cli("runs", "show", run_dir.name)
    assert "succeeded (resumed 1x)" in listed.out and "Outcome: succeeded (resumed 1x)" in shown.out


def test_a_target_that_is_not_the_portal(
    cloudeka: CloudekaSandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RUNBOOK_TIMEOUT", "3")
    monkeypatch.setenv("RUNBOOK_GRAVITEE_EMAIL", "someone@example.test")
    monkeypatch.setenv("RUNBOOK_GRAVITEE_PASSWORD", "x")
    result = run_cli(*RUN, "--target", cloudeka.url, "--secret-to", f"file:{tmp_path}/t")
    line = error_line(result)
    assert result.code == 1
    assert f"the page at {cloudeka.url} is not Gravitee Cloud's sign-in or console" in line
    assert "locator" not in line.lower() and "runbook resume" not in line


def test_keystores_stay_out_of_the_repository() -> None:
    import subprocess

    repo = README.parent
    names = ["cloud-client.p12", "cloud-client.p12.20261201T000000Z.bak", "certs/any.pem"]
    ignored = subprocess.run(
        ["git", "check-ignore", *names], cwd=repo, capture_output=True, text=True, check=False
    )
    assert ignored.stdout.split() == names, ignored.stderr
    # The README's examples make the folder they use before using it.
    text = README.read_text()
    assert text.index("mkdir -p certs") < text.index("--keystore certs/")
