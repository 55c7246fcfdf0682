"""Running checks: one runbook against one portal (and gateway), retried, in parallel.

Each check is an ordinary run of the engine under `CheckMode`, with a sink
that refuses every secret and a `CheckObserver` keeping its step results.
Checks run in threads, each with its own Playwright (the sync API wants one
per thread), spread over the `--connect` browser servers in turn.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from importlib.metadata import version
from pathlib import Path
from typing import Any

from rich.console import Console

from runbooks._baselines import BaselineStore
from runbooks._check.mode import CheckMode, NoSink
from runbooks._check.observer import CheckObserver
from runbooks._config import Settings
from runbooks._drift import Severity, StepResult, classify
from runbooks._engine import Runner, RunOptions
from runbooks._errors import RunbookError, UsageError
from runbooks._model import Runbook
from runbooks._output import Reporter
from runbooks._secrets import Redactor

__all__ = ["Check", "CheckOptions", "run_checks"]


@dataclass(frozen=True)
class Check:
    """One check: a runbook, and the gateway it looks at (None: the first listed)."""

    runbook: Runbook
    gateway: str | None = None

    @property
    def label(self) -> str:
        return f"{self.runbook.name} {self.gateway}" if self.gateway else self.runbook.name


@dataclass(frozen=True)
class CheckOptions:
    """How every check of a night runs."""

    target: str | None = None
    store: BaselineStore | None = None
    update_baselines: bool = False
    retries: int = 0
    workers: int = 1
    connect: tuple[str, ...] = ()
    recordings: Path | None = None
    #: Told each check's label and results as it ends (progress).
    done: Callable[[Check, list[StepResult]], None] | None = None


def _params(check: Check, folder: Path) -> dict[str, Any]:
    runbook = check.runbook
    given = {"gateway": check.gateway, "folder": folder}
    params: dict[str, Any] = {p.name: (False if p.flag else p.default) for p in runbook.params}
    if runbook.check_with is not None:
        params.update(runbook.check_with(given))
    missing = [p.option for p in runbook.params if p.required and not p.flag and not params[p.name]]
    if missing:
        raise UsageError(f"{runbook.name} cannot be checked without {', '.join(missing)}")
    return params


def _portal(check: Check, target: str | None, settings: Settings) -> str:
    configured = settings.get(f"{check.runbook.portal.upper()}_URL")
    where = target or configured or "sandbox"
    return f"{where} {check.gateway}" if check.gateway else where


def _attempt(
    check: Check,
    options: CheckOptions,
    settings: Settings,
    redactor: Redactor,
    connect: str | None,
) -> list[StepResult]:
    portal = _portal(check, options.target, settings)
    observer = CheckObserver(
        check.runbook,
        portal,
        options.store,
        update=options.update_baselines,
        timeout_ms=settings.timeout_ms,
    )
    quiet = Reporter(Console(file=io.StringIO(), width=200))
    runner = Runner(settings, quiet, redactor)
    with tempfile.TemporaryDirectory(prefix="runbook-check-") as scratch:
        try:
            params = _params(check, Path(scratch))
            # A check's summary is its results: the runbook's own speaks of what it made.
            runner.run(
                replace(check.runbook, summary=_no_summary),
                params,
                RunOptions(
                    target=options.target,
                    sink=NoSink(),
                    connect=connect,
                    recordings=options.recordings,
                    mode=CheckMode(before_step=observer.snapshot),
                    observers=(observer,),
                ),
            )
        except RunbookError as exc:
            if not any(r.kind for r in observer.results):
                # It stopped before any step could fail: the portal, the browser, the sign-in.
                observer.results.append(_before_steps(check, portal, observer, exc))
    trace = observer.folder / "trace.zip" if observer.folder else None
    if trace is not None and trace.exists():  # kept for failures: how to see what happened
        for result in observer.results:
            if result.kind is not None:
                result.trace = trace
    return observer.results


def _no_summary(ctx: object) -> list[tuple[str, str]]:
    return []


def _before_steps(
    check: Check, portal: str, observer: CheckObserver, exc: RunbookError
) -> StepResult:
    classified = classify(exc)
    step = check.runbook.steps[0]
    found = classified.found or str(exc)
    if "version" in found.lower() and "mismatch" in found.lower():
        found += (
            f"; this client is Playwright {version('playwright')}: the browser server must "
            "run the same version"
        )
    return StepResult(
        check.runbook.name,
        portal,
        step.number,
        step.text,
        guide_url=observer.guide_url,
        kind=classified.kind,
        expected=classified.expected or "the portal and a browser to check it with",
        found=found,
    )


def check_one(
    check: Check,
    options: CheckOptions,
    settings: Settings,
    redactor: Redactor,
    connect: str | None = None,
) -> list[StepResult]:
    """One check, tried again up to `options.retries` times after a timeout or a lost browser."""
    tries = 0
    while True:
        results = _attempt(check, options, settings, redactor, connect)
        bad = [r for r in results if r.kind is not None and r.severity >= Severity.UNCHECKED]
        if not bad or tries >= options.retries or not all(r.kind.retryable for r in bad if r.kind):
            break
        tries += 1
    if tries:
        note = f"tried {tries + 1} times (after a timeout or a lost browser)"
        results = [replace(r, retries=tries, notes=[*r.notes, note]) for r in results]
    return results


def run_checks(
    checks: Sequence[Check], options: CheckOptions, settings: Settings, redactor: Redactor
) -> list[StepResult]:
    """Every check, `options.workers` at a time; results in the order of `checks`."""
    endpoints: list[str | None] = list(options.connect) or [settings.connect]

    def one(index: int) -> list[StepResult]:
        check = checks[index]
        results = check_one(check, options, settings, redactor, endpoints[index % len(endpoints)])
        if options.done is not None:
            options.done(check, results)
        return results

    workers = max(1, min(options.workers, len(checks)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="check") as pool:
        batches = list(pool.map(one, range(len(checks))))
    return [result for batch in batches for result in batch]
