"""The session-end check: a test run that leaves a process running fails."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, body: str) -> pytest.RunResult:
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    monkeypatch.setenv("LEFTOVERS_GRACE_S", "0.5")  # a sleep is not on its way out
    pytester.makepyfile(test_inner=body)
    return pytester.runpytest_subprocess("-p", "tests.leftovers", "-p", "no:cacheprovider")


def test_a_child_left_running_fails_the_suite(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _run(
        pytester,
        monkeypatch,
        "import subprocess\n\ndef test_leaks():\n    subprocess.Popen(['sleep', '301'])\n",
    )
    result.assert_outcomes(passed=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*processes the tests started are still running*", "*sleep 301*"])


def test_an_orphaned_grandchild_fails_the_suite(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The shape of the browser-server leak: the child exits, its own child lives on.
    result = _run(
        pytester,
        monkeypatch,
        "import subprocess\n\ndef test_leaks():\n"
        "    subprocess.run(['sh', '-c', 'sleep 302 >/dev/null 2>&1 &'], check=True)\n",
    )
    result.assert_outcomes(passed=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*sleep 302*"])


def test_a_run_that_cleans_up_passes(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _run(
        pytester,
        monkeypatch,
        "import subprocess\n\ndef test_tidy():\n"
        "    child = subprocess.Popen(['sleep', '303'])\n    child.kill()\n    child.wait()\n",
    )
    result.assert_outcomes(passed=1)
    assert result.ret == pytest.ExitCode.OK
