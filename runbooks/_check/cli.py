"""`runbook check`: the nightly check that the documented procedures still work.

Every runbook (or the ones named) against every configured portal (the
sandbox where none is), to the brink and back: nothing is changed, no secret
is made. Exit codes: 0 all green, 1 drift or failure, 2 usage error, 3 could
not check (the portal or the browser was not reachable). One line on success.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
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

__all__ = ["add_commands", "check_command"]

EXAMPLES = """examples:
  runbook check
  runbook check gravitee-cloud-token --gateway eu-prod-gw --junit out/junit.xml \\
      --html out/report.html --json out/summary.json
  runbook check --all --workers 4 --connect ws://browsers-1:3000/,ws://browsers-2:3000/
  runbook check --update-baselines

exit codes: 0 all green, 1 drift or failure, 2 usage error, 3 could not check"""


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is below 0")
    return value


def add_commands(
    commands: Any, common: Callable[[argparse.ArgumentParser], None]
) -> argparse.ArgumentParser:
    """Add `check` to the command line's subcommands; return its parser."""
    check: argparse.ArgumentParser = commands.add_parser(
        "check",
        help="nightly: check that the documented steps still work, changing nothing",
        description=__doc__,
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("runbooks", nargs="*", metavar="RUNBOOK", help="default: every runbook")
    check.add_argument("--all", action="store_true", help="every runbook (the default)")
    check.add_argument(
        "--gateway",
        action="append",
        metavar="NAME",
        help="a gateway to check (repeatable; default: the first one the list shows)",
    )
    check.add_argument("--target", metavar="URL", help="portal base URL, or `sandbox`")
    check.add_argument("--junit", type=Path, metavar="PATH", help="write JUnit XML")
    check.add_argument("--html", type=Path, metavar="PATH", help="write one self-contained page")
    check.add_argument("--json", type=Path, metavar="PATH", help="write the JSON summary")
    check.add_argument(
        "--update-baselines",
        action="store_true",
        help="write candidates (<step>.aria.new) beside the baselines and say what changed",
    )
    check.add_argument(
        "--baselines", type=Path, metavar="DIR", help="structure baselines (default: checks/)"
    )
    check.add_argument(
        "--retries",
        type=_count,
        default=0,
        metavar="N",
        help="try a check again after a timeout or a lost browser (default: 0)",
    )
    check.add_argument(
        "--workers", type=_count, default=1, metavar="N", help="checks at once (default: 1)"
    )
    check.add_argument(
        "--connect", metavar="WS[,WS...]", help="Playwright browser servers, used in turn"
    )
    check.add_argument(
        "--webhook", metavar="URL", help="post the JSON summary when the result changes"
    )
    check.add_argument("--recordings", type=Path, metavar="DIR", help="default: recordings/")
    common(check)
    return check


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
