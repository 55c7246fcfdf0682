"""`runbook check`: the nightly check that the documented procedures still work.

What it checks, its exit codes and its options: its `--help`, in `runbooks._cli_tools` (the
parser is built without importing this module). One line on success.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from rich.markup import escape

from runbooks._baselines import BaselineStore
from runbooks._check.run import Check, CheckOptions, run_checks
from runbooks._config import Settings
from runbooks._drift import StepResult
from runbooks._errors import UsageError
from runbooks._files import write_private
from runbooks._registry import RUNBOOKS, get_runbook
from runbooks._report_html import html_report
from runbooks._reports import (
    dumps,
    exit_code,
    json_summary,
    junit_xml,
    one_line,
    write_github_summary,
)
from runbooks._secrets import Redactor
from runbooks._webhook import post_if_changed

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["check_command"]


def _checks(args: argparse.Namespace) -> list[Check]:
    names = list(args.runbooks) or list(RUNBOOKS)
    if args.all and args.runbooks:
        raise UsageError("name runbooks or give --all, not both")
    checks: list[Check] = []
    for name in names:
        runbook = get_runbook(name)
        takes_gateway = any(p.name == "gateway" for p in runbook.params)
        gateways = args.gateway if takes_gateway and args.gateway else [None]
        checks += [Check(runbook, gateway) for gateway in gateways]
    if args.gateway and not any(c.gateway for c in checks):
        raise UsageError("--gateway: none of these runbooks acts on a gateway")
    return checks


def _store(args: argparse.Namespace, redactor: Redactor) -> BaselineStore:
    options: dict[str, Any] = {"scrub": redactor.scrub, "collapse_rows": True}
    if args.baselines is not None:
        return BaselineStore(args.baselines, **options)
    return BaselineStore.beside(args.env_file or Path(".env"), **options)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_private(path, text)


def _reports(
    args: argparse.Namespace,
    results: Sequence[StepResult],
    summary: dict[str, Any],
    settings: Settings,
    err: Console,
) -> None:
    if args.junit:
        _write(args.junit, junit_xml(results))
    if args.html:
        _write(args.html, html_report(results))
    if args.json:
        _write(args.json, dumps(summary))
    write_github_summary(results)
    if args.webhook:
        try:
            posted = post_if_changed(args.webhook, summary, settings.data_dir / "check-webhook")
        except ValueError as exc:
            raise UsageError(f"--webhook: {exc}") from None
        if not posted.sent and posted.status != 200 and "same" not in posted.reason:
            err.print(f"[yellow]webhook[/yellow]: {escape(posted.reason)}")


def check_command(
    args: argparse.Namespace, settings: Settings, redactor: Redactor, err: Console, out: TextIO
) -> int:
    """Run `runbook check`; return its exit code."""
    checks = _checks(args)
    if args.webhook and not args.webhook.startswith(("http://", "https://")):
        raise UsageError("--webhook must be an http:// or https:// URL")
    connect = tuple(filter(None, (args.connect or "").split(",")))
    options = CheckOptions(
        target=args.target,
        store=_store(args, redactor),
        update_baselines=args.update_baselines,
        retries=args.retries,
        workers=args.workers or 1,
        connect=connect,
        recordings=args.recordings,
    )
    started = datetime.now(UTC).isoformat(timespec="seconds")
    began = time.monotonic()
    results = [r.scrubbed(redactor.scrub) for r in run_checks(checks, options, settings, redactor)]
    duration = time.monotonic() - began
    summary = json_summary(results, started=started, duration=duration)
    _reports(args, results, summary, settings, err)
    for result in results:
        if result.status not in ("passed", "flaky"):
            err.print(
                f"{escape(result.runbook)} ({escape(result.portal)}): {escape(result.describe())}"
            )
    if args.update_baselines:
        waiting = options.store.candidates() if options.store else []
        for candidate in waiting:
            err.print(f"candidate: {candidate}")
        if waiting:
            err.print("review the candidates; rename each .aria.new to .aria to approve it")
    print(one_line(results, duration), file=out)
    return exit_code(results)
