"""`--retries`: a timeout or a lost browser is tried again; a flaky pass is reported as such."""

from __future__ import annotations

from pathlib import Path

import pytest

from runbooks._check import run
from runbooks._check.run import Check, CheckOptions, check_one
from runbooks._config import load_settings
from runbooks._drift import Drift, StepResult
from runbooks._registry import get_runbook
from runbooks._reports import json_summary, one_line
from runbooks._secrets import Redactor


def _attempts(*kinds: Drift | None) -> list[list[StepResult]]:
    return [[StepResult("cloudeka-token", "sandbox", "2", "Token tab", kind=k)] for k in kinds]


@pytest.mark.parametrize(
    ("kinds", "retries", "tries", "status"),
    [
        ((Drift.SLOW, None), 2, 2, "flaky"),
        ((Drift.BROWSER_UNAVAILABLE, Drift.BROWSER_UNAVAILABLE, None), 1, 2, "unchecked"),
        ((Drift.CONTROL_MISSING, None), 3, 1, "failed"),  # drift is not retried
        ((Drift.SLOW, None), 0, 1, "failed"),
    ],
)
def test_retries_only_timeouts_and_lost_browsers(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    kinds: tuple[Drift | None, ...],
    retries: int,
    tries: int,
    status: str,
) -> None:
    attempts = _attempts(*kinds)
    calls: list[int] = []

    def attempt(*args: object) -> list[StepResult]:
        calls.append(1)
        return attempts[len(calls) - 1]

    monkeypatch.setattr(run, "_attempt", attempt)
    options = CheckOptions(retries=retries)
    results = check_one(Check(get_runbook("cloudeka-token")), options, load_settings(), Redactor())
    assert len(calls) == tries
    assert [r.status for r in results] == [status]
    if status == "flaky":
        assert json_summary(results)["counts"]["flaky"] == 1
        assert "1 flaky" in one_line(results, 1.0)
        assert "tried 2 times" in results[0].notes[-1]
