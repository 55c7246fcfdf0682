"""Guided runs and Ctrl-C in a real terminal (a pseudo-terminal), at the widths people use.

What is checked is what a person reads: the text that reached the terminal,
with the colours and cursor moves taken out.
"""

from __future__ import annotations

import io
import json
import re
import urllib.request
from pathlib import Path

import pexpect
import pytest

from sandbox import GraviteeSandbox
from tests.conftest import GuardedCli

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
BOX = re.compile(r"[│╭╮╰╯─]")


def spawn(
    cli: GuardedCli, *args: str, width: int = 160, env: dict[str, str] | None = None
) -> tuple[pexpect.spawn[str], io.StringIO]:
    """`runbook ARGS` in a terminal `width` columns wide; also returns what it printed."""
    environ = {**(env if env is not None else cli.env), "COLUMNS": str(width)}
    child = pexpect.spawn(
        cli.argv[0],
        [*cli.argv[1:], *args],
        env=environ,
        encoding="utf-8",
        timeout=60,
        dimensions=(50, width),
    )
    seen = io.StringIO()
    child.logfile_read = seen
    return child, seen


def guided(
    cli: GuardedCli, tmp_path: Path, width: int = 160
) -> tuple[pexpect.spawn[str], io.StringIO]:
    return spawn(
        cli,
        "run",
        "gravitee-cloud-token",
        "--gateway",
        "eu-prod-gw",
        "--guided",
        "--headless",
        "--secret-to",
        f"file:{tmp_path}/token",
        width=width,
    )


def plain(seen: io.StringIO) -> str:
    """The terminal's text without colours and cursor moves."""
    return ANSI.sub("", seen.getvalue()).replace("\r\n", "\n")


def words(text: str) -> str:
    """Panel text with its borders taken out and its lines joined: what it says."""
    return " ".join(BOX.sub(" ", text).split())


def journal() -> dict[str, object]:
    (run_dir,) = Path("recordings").iterdir()
    data: dict[str, object] = json.loads((run_dir / "run.json").read_text())
    return data


def finish(child: pexpect.spawn[str]) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus if child.exitstatus is not None else -1)


@pytest.mark.parametrize("width", [60, 80])
def test_a_guided_run_reads_whole_at_narrow_widths(
    guarded_cli: GuardedCli, gravitee_env: GraviteeSandbox, tmp_path: Path, width: int
) -> None:
    child, seen = guided(guarded_cli, tmp_path, width)
    # Step 1: its result is needed, so there is no [s] to press, and s says why.
    child.expect_exact("[Enter] do it, [q] stop > ")
    child.sendline("s")
    child.expect_exact("Step 1 cannot be skipped: every later step works in the signed-in console")
    child.expect_exact("[Enter] do it, [q] stop > ")
    child.sendline("")
    for _ in range(3):  # open the gateway, Cloud Tokens, the bin icon: none can be skipped
        child.expect_exact("[Enter] do it, [q] stop > ")
        child.sendline("")
    child.expect_exact("Type eu-prod-gw to go ahead")
    child.sendline("eu-prod-gw")
    for _ in range(2):  # generate, copy and close
        child.expect_exact("[Enter] do it, [q] stop > ")
        child.sendline("")
    child.expect_exact("[Enter] do it, [s] skip, [q] stop > ")  # V: nothing needs it
    child.sendline("")
    child.expect("Done")
    assert finish(child) == 0, plain(seen)

    text = plain(seen)
    said = words(text)
    (created,) = journal()["facts"]["old_tokens_created_at"]  # type: ignore[index]
    # The destructive panel names the token by its creation date, whole, and the word to type.
    assert f"created {created}" in said, said
    assert "the gateway loses its link to the Cloud until it uses the new token" in said
    assert "To go ahead, type: eu-prod-gw (the gateway's name, not revoke" in said
    assert "No skipping this step: step 7 delivers the token it generates." in said
    # Nothing is cut at the border: every panel line fits the terminal.
    for line in text.splitlines():
        if line.startswith(("│", "╭", "╰")):
            assert len(line.rstrip()) <= width, line


def test_skipping_is_offered_only_where_it_breaks_nothing(
    guarded_cli: GuardedCli, gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    child, seen = spawn(
        guarded_cli,
        "run",
        "gravitee-cloud-token",
        "--gateway",
        "eu-prod-gw",
        "--order",
        "safe",
        "--guided",
        "--headless",
        "--secret-to",
        f"file:{tmp_path}/token",
    )
    for _ in range(4):  # 1, 2, 3, 6
        child.expect_exact("[Enter] do it, [q] stop > ")
        child.sendline("")
    child.expect_exact("[Enter] do it, [q] stop > ")  # 7: delivers the token
    child.sendline("s")
    child.expect_exact("Step 7 cannot be skipped: it delivers the new token")
    child.sendline("q")
    assert finish(child) == 3, plain(seen)
    assert "Traceback" not in plain(seen)
    # The run stopped before 7 and can go on: the token of step 6 is not lost.
    assert journal()["outcome"] == "stopped"


def test_ctrl_c_during_a_step(
    guarded_cli: GuardedCli, gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    # Every management API reply takes 3 s: step 2 is still at work when Ctrl-C comes.
    request = urllib.request.Request(
        f"{gravitee_env.url}/_sandbox/latency",
        data=json.dumps({"seconds": 3}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    urllib.request.urlopen(request, timeout=10).close()
    child, seen = spawn(
        guarded_cli,
        "run",
        "gravitee-cloud-token",
        "--gateway",
        "eu-prod-gw",
        "--secret-to",
        f"file:{tmp_path}/token",
    )
    child.expect("Navigate to the Gateways section")  # step 2's spinner
    child.sendintr()
    assert finish(child) == 130, plain(seen)
    text = plain(seen)
    assert "Traceback" not in text and "Future exception" not in text, text
    assert "TargetClosedError" not in text and "connection closed" not in text.lower()
    (line,) = [line for line in text.splitlines() if "interrupted" in line]
    # One line, on a line of its own (the spinner's line was finished), and how to go on.
    assert line.lstrip("\r").startswith("interrupted: Ctrl-C during step 2"), repr(line)
    data = journal()
    assert data["outcome"] == "interrupted"
    assert f"To go on: runbook resume {data['run_id']}" in line
    assert gravitee_env.state() is not None  # the replica never saw a revoke
    assert not (tmp_path / "token").exists()


def test_ctrl_c_at_a_prompt(
    guarded_cli: GuardedCli, gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    child, seen = guided(guarded_cli, tmp_path)
    child.expect_exact("[Enter] do it, [q] stop > ")
    child.sendline("")
    child.expect_exact("[Enter] do it, [q] stop > ")  # step 2's prompt
    child.sendintr()
    assert finish(child) == 130, plain(seen)
    text = plain(seen)
    assert "Traceback" not in text and "Future exception" not in text, text
    (line,) = [line for line in text.splitlines() if "interrupted" in line]
    assert line.startswith("interrupted: Ctrl-C during step 2"), repr(line)
    assert journal()["outcome"] == "interrupted"
    # The journal is one `runbook resume` can continue, and `runbook runs` says so.
    listed = spawn(guarded_cli, "runs")[0]
    listed.expect("interrupted")
    listed.expect("yes")
    assert finish(listed) == 0


def test_guided_without_a_display_says_so_before_a_browser_starts(
    guarded_cli: GuardedCli, gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    env = {k: v for k, v in guarded_cli.env.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    child, seen = spawn(
        guarded_cli,
        "run",
        "gravitee-cloud-token",
        "--gateway",
        "eu-prod-gw",
        "--guided",
        "--secret-to",
        f"file:{tmp_path}/token",
        env=env,
    )
    assert finish(child) == 2, plain(seen)
    text = plain(seen)
    assert "there is no display" in text and "--headless" in text and "xvfb-run" in text
    assert "Chromium" not in text and "Traceback" not in text
    assert not Path("recordings").exists(), "refused before anything started"


def test_the_sandbox_prints_each_portals_own_target(
    guarded_cli: GuardedCli, gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    child, seen = spawn(guarded_cli, "sandbox", "--port", "0", "--data", str(tmp_path / "sb"))
    child.expect("Ctrl-C stops")
    child.sendintr()
    assert finish(child) == 130, plain(seen)  # Ctrl-C: interrupted, as for every command
    text = plain(seen)
    urls = re.findall(r"^(?:Gravitee Cloud|Cloudeka Service Portal AI)\s+(http://\S+)", text, re.M)
    targets = re.findall(r"run against it\s+--target (http://\S+)", text)
    assert len(urls) == 2 and targets == urls, text
    assert "Traceback" not in text


def test_a_guided_renewal_says_what_each_step_does(
    guarded_cli: GuardedCli, gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    from tests.test_keystore import make_keystore

    certs = tmp_path / "certs"
    certs.mkdir()
    keystore = certs / "cloud-client.p12"
    keystore.write_bytes(make_keystore(days_left=10))
    child, seen = spawn(
        guarded_cli,
        "run",
        "gravitee-cert-renewal",
        "--keystore",
        str(keystore),
        "--guided",
        "--headless",
        "--secret-to",
        f"file:{tmp_path}/password",
        width=80,
    )
    for _ in range(5):
        child.expect_exact("[Enter] do it, [q] stop > ")
        child.sendline("")
    child.expect_exact("Type renewcert-")
    child.sendline("no")  # refuse the revoke: the renewal is done, the token stays
    assert finish(child) == 4, plain(seen)
    said = words(plain(seen))
    panels = re.split(r"Step (?=[1-5C] \()", said)[1:]
    assert [p[0] for p in panels] == ["1", "2", "3", "4", "5", "C"], said
    for panel in panels:
        assert "About to: " in panel, panel
    step4, step5 = panels[3], panels[4]
    assert "nothing to do in Postman: the tool sends this request itself, in step 5" in step4
    assert "/certificate/renewcert" in step4
    # (A long path is folded to the width, not cut: compare without the folds' spaces.)
    squeezed = "".join(step5.split())
    assert f"REPLACEthekeystoreat{keystore}" in squeezed and ".bak" in step5
