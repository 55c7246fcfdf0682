"""Bad input through the real CLI: one line in words, exit 2, no traceback, nothing touched."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox import GraviteeSandbox
from tests.cli import Result, run_cli

RUN = ("run", "gravitee-cloud-token", "--gateway", "eu-prod-gw")


def one_line(result: Result) -> str:
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert result.code == 2, result.text
    assert len(lines) == 1 and "Traceback" not in result.text, result.text
    return lines[0]


def nothing_touched(work: Path, data: Path) -> None:
    assert sorted(p.name for p in work.iterdir()) == sorted(_INPUTS), list(work.iterdir())
    assert not data.exists(), "no data folder, lock, audit line or sandbox state"


_INPUTS = {"afile", "bad.env", "bad-sink.env"}


@pytest.fixture
def work(clean_environ: Path) -> Path:
    (clean_environ / "afile").write_text("not a folder\n")
    (clean_environ / "bad.env").write_bytes(b"RUNBOOK_GRAVITEE_EMAIL=caf\xe9@example.com\n")
    (clean_environ / "bad-sink.env").write_bytes(b"OTHER=caf\xe9\n")
    return clean_environ


@pytest.mark.parametrize(
    ("env", "args", "needle"),
    [
        ({"RUNBOOK_TIMEOUT": "nan"}, (*RUN, "--secret-to", "stdout"), "not a finite number"),
        ({"RUNBOOK_TIMEOUT": "inf"}, (*RUN, "--secret-to", "stdout"), "not a finite number"),
        (
            {},
            (*RUN, "--secret-to", "stdout", "--recordings", "afile"),
            "--recordings afile is a file, not a folder",
        ),
        (
            {"RUNBOOK_RECORDINGS": "afile/runs"},
            (*RUN, "--secret-to", "stdout"),
            "is under afile, which is a file",
        ),
        (
            {},
            (*RUN, "--secret-to", "stdout", "--env-file", "bad.env"),
            "env file bad.env is not UTF-8 text (byte 0xe9 on line 1)",
        ),
        ({}, (*RUN, "--secret-to", "file:~nosuchuser/x"), "cannot expand '~nosuchuser'"),
        (
            {"RUNBOOK_GRAVITEE_URL": "http://[::1"},
            (*RUN, "--secret-to", "stdout"),
            "RUNBOOK_GRAVITEE_URL 'http://[::1' is not a valid URL",
        ),
        ({}, ("sandbox", "--port", "99999"), "99999 is not a port (0 to 65535)"),
        ({}, ("sandbox", "--port", "0", "--latency", "-1"), "finite number of seconds, 0 or more"),
        ({}, ("sandbox", "--port", "0", "--latency", "nan"), "finite number of seconds, 0 or more"),
        (
            {},
            (*RUN, "--secret-to", "env:bad-sink.env:CLOUD_TOKEN"),
            "sink bad-sink.env is not UTF-8 text (byte 0xe9 on line 1)",
        ),
        (
            {},
            ("cert", "status", "x.p12", "--password-from", "env:bad-sink.env:PW"),
            "bad-sink.env is not UTF-8 text",
        ),
    ],
)
def test_bad_input_is_one_line_exit_2_and_touches_nothing(
    work: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    args: tuple[str, ...],
    needle: str,
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    # --target sandbox: were the input accepted, the run would start a replica and a browser.
    extra = (
        ("--target", "sandbox") if args[0] == "run" and "RUNBOOK_GRAVITEE_URL" not in env else ()
    )
    line = one_line(run_cli(*args, *extra))
    assert needle in line, line
    nothing_touched(work, tmp_path / "data")


def test_a_non_utf8_dotenv_sink_stops_before_the_browser_starts(
    gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    sink = tmp_path / "gateway.env"
    sink.write_bytes(b"OTHER=caf\xe9\nCLOUD_TOKEN=old\n")
    before = gravitee_env.state()
    line = one_line(run_cli(*RUN, "--secret-to", f"env:{sink}:CLOUD_TOKEN"))
    assert "is not UTF-8 text" in line
    assert gravitee_env.state() == before, "nothing revoked, nothing generated"
    assert not Path("recordings").exists(), "no run started, so nothing to resume"
    assert sink.read_bytes() == b"OTHER=caf\xe9\nCLOUD_TOKEN=old\n"
