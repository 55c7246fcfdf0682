"""The command lines of the tools beside the runbooks: `cert status`, `check` and `docs`.

Here, not in the tools' modules, so that `runbooks._cli_parser` builds the whole parser without
importing a tool (the keystore reader, the check runner, the docs capture): a tool's module is
imported only when its command runs. Each tool's description is its `--help` text.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = [
    "CERT_STATUS_HELP",
    "CHECK_HELP",
    "DOCS_HELP",
    "STATUS_EXIT_CODES",
    "add_cert",
    "add_check",
    "add_docs",
]

Common = Callable[[argparse.ArgumentParser], None]

# --- runbook cert status ----------------------------------------------------------------------

CERT_STATUS_HELP = """\
`runbook cert status`: how long until a keystore's certificate must be renewed.

A nightly job runs it and acts on the exit code (`STATUS_EXIT_CODES`): 0 more
than `--warn-days` days are left, 1 that many or fewer (renewal is due), 2 it
cannot be checked (bad options, a password source that is missing or empty, a
file that is not a keystore or does not open), 3 the certificate has expired.
`--json` prints one JSON object for machines. The keystore's password is never
printed.
"""
CERT_EXAMPLE = (
    "runbook cert status certs/cloud-client.p12 "
    "--password-from env:.env.gateway:CLOUD_KEYSTORE_PASSWORD --warn-days 30"
)
#: `runbook cert status`'s exit codes, with their meaning (its --help and the README list them).
STATUS_EXIT_CODES: tuple[tuple[int, str], ...] = (
    (0, "more than --warn-days days left"),
    (1, "--warn-days days or fewer left: renewal is due"),
    (2, "cannot be checked: bad options, password source or keystore file"),
    (3, "the certificate has expired"),
)


def add_cert(commands: Any, common: Common) -> argparse.ArgumentParser:
    """Add `cert status` to the command line's subcommands; return the `cert` parser."""
    cert: argparse.ArgumentParser = commands.add_parser(
        "cert", help="check a keystore's certificate"
    )
    common(cert)
    actions = cert.add_subparsers(dest="cert_command", metavar="COMMAND", parser_class=type(cert))
    actions.required = True
    status = actions.add_parser(
        "status",
        help="when the certificate expires; exit 0 ok, 1 renewal due, 2 unreadable, 3 expired",
        description=CERT_STATUS_HELP,
        epilog=f"example:\n  {CERT_EXAMPLE}\n\nexit codes:\n"
        + "\n".join(f"  {code:<4} {meaning}" for code, meaning in STATUS_EXIT_CODES),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    status.add_argument("path", type=Path, metavar="PATH", help="a PKCS#12 keystore or a PEM file")
    source = status.add_mutually_exclusive_group()
    source.add_argument(
        "--password-from",
        metavar="SOURCE",
        help="the keystore password: env:PATH:KEY (a dotenv file) or file:PATH (PEM needs none)",
    )
    source.add_argument(
        "--password-env", metavar="VAR", help="the environment variable holding the password"
    )
    status.add_argument(
        "--warn-days",
        type=int,
        default=30,
        metavar="N",
        help="renewal is due with N days or fewer left (default: 30)",
    )
    status.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    common(status)
    return cert


# --- runbook check ---------------------------------------------------------------------------

CHECK_HELP = """\
`runbook check`: the nightly check that the documented procedures still work.

Every runbook (or the ones named) against every configured portal (the
sandbox where none is), to the brink and back: nothing is changed, no secret
is made. Exit codes: 0 all green, 1 drift or failure, 2 usage error, 3 could
not check (the portal or the browser was not reachable). One line on success.
"""
CHECK_EXAMPLES = """examples:
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


def add_check(commands: Any, common: Common) -> argparse.ArgumentParser:
    """Add `check` to the command line's subcommands; return its parser."""
    check: argparse.ArgumentParser = commands.add_parser(
        "check",
        help="nightly: check that the documented steps still work, changing nothing",
        description=CHECK_HELP,
        epilog=CHECK_EXAMPLES,
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


# --- runbook docs ----------------------------------------------------------------------------

DOCS_HELP = """\
`runbook docs`: documentation screenshots, reviewed like code (issue #12).

``runbook docs RUNBOOK|--all --out DIR`` runs each runbook on a fresh sandbox
under the docs mode and writes one candidate image per documented step;
``runbook docs review DIR`` compares them with the approved set (one HTML
page) and exits 0 unchanged, 1 changed, 2 error; ``runbook docs approve DIR
[RUNBOOK[:STEP] ...]`` moves candidates into the approved set and rewrites
each runbook's Markdown guide. Nothing approved is overwritten without it.
"""
DOCS_USAGE = """\
examples:
  runbook docs gravitee-cloud-token --param gateway=eu-prod-gw --out docs/screenshots
  runbook docs --all --out docs/screenshots --scale 2
  runbook docs review docs/screenshots    # exit 0 unchanged, 1 changed, 2 error
  runbook docs approve docs/screenshots [gravitee-cloud-token:5 ...]
"""


def add_docs(commands: Any, common: Common) -> argparse.ArgumentParser:
    """Add `docs` (with its `review` and `approve` forms) to the subcommands."""
    docs: argparse.ArgumentParser = commands.add_parser(
        "docs",
        help="documentation screenshots: capture, review, approve",
        description=DOCS_HELP,
        epilog=DOCS_USAGE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    docs.add_argument(
        "words",
        nargs="*",
        metavar="RUNBOOK | review DIR | approve DIR [SEL ...]",
        help="a runbook to capture; or review/approve a screenshots folder",
    )
    docs.add_argument("--all", action="store_true", help="capture every runbook")
    docs.add_argument("--out", type=Path, metavar="DIR", help="the screenshots folder")
    docs.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a runbook parameter (default: the runbook's docs example)",
    )
    docs.add_argument("--scale", type=float, default=1.0, help="device scale factor (default 1)")
    docs.add_argument("--viewport", default="1280x800", metavar="WxH", help="default 1280x800")
    docs.add_argument("--color-scheme", choices=("light", "dark"), default="light")
    docs.add_argument(
        "--crop", type=int, metavar="PX", help="crop to the step's control with PX of padding"
    )
    docs.add_argument(
        "--rehearse", action="store_true", help="capture a live portal without changing it"
    )
    docs.add_argument("--target", metavar="URL", help="a live portal (needs --rehearse)")
    common(docs)
    return docs
