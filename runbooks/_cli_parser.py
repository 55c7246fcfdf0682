"""The `runbook` command line: its parser, built without importing any command.

`runbooks._cli` imports a subcommand's module (the engine, the keystore reader,
the check and docs tools) only when that subcommand runs; building the parser
needs none of them, only the runbooks' parameters and a few constants. The
parsers of `cert`, `check` and `docs` are in `runbooks._cli_tools`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from runbooks._cli_tools import add_cert, add_check, add_docs
from runbooks._config import port_number, seconds
from runbooks._errors import EXIT_CODES, UsageError
from runbooks._recording import RECORD_MODES
from runbooks._registry import PORTALS, RUNBOOKS
from runbooks._sinks import SINK_FORMS

if TYPE_CHECKING:
    from collections.abc import Sequence

    from runbooks._model import Runbook

__all__ = ["EPILOG", "build_parser", "exit_codes_text"]

EPILOG = """\
examples:
  runbook list
  runbook show gravitee-cloud-token
  runbook run gravitee-cloud-token --gateway eu-prod-gw --secret-to env:.env.gateway:CLOUD_TOKEN
  runbook run gravitee-cloud-token --gateway eu-prod-gw --guided --order safe --secret-to stdout
  runbook runs
  runbook resume RUN_ID
  runbook login gravitee
  runbook run gravitee-cert-renewal --keystore certs/cloud-client.p12 --secret-to env:.env:KS_PASS
  runbook cert status certs/cloud-client.p12 --password-from env:.env:KS_PASS
  runbook sandbox
"""


def exit_codes_text() -> str:
    """The exit codes, as `runbook --help` lists them."""
    lines = [f"  {code:<4} {meaning}" for code, meaning in EXIT_CODES]
    return (
        "exit codes:\n"
        + "\n".join(lines)
        + "\n  (runbook cert status has its own: see its --help)\n"
    )


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("runbook")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


class _Version(argparse.Action):
    """`--version` as argparse's own action does it, the version looked up only when asked."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        kwargs = {"help": "show program's version number and exit", **kwargs}
        super().__init__(
            option_strings, argparse.SUPPRESS, nargs=0, default=argparse.SUPPRESS, **kwargs
        )

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> NoReturn:
        print(f"runbook {_version()}", file=sys.stdout)  # standard output, then exit 0
        parser.exit()


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line through the error boundary."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def _common(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """--debug and --env-file, before or after the subcommand alike.

    A subcommand's copy has no default (SUPPRESS): otherwise its None would
    overwrite what was given before the subcommand.
    """
    default: Any = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--debug",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="show tracebacks of errors",
    )
    parser.add_argument(
        "--env-file",
        type=Path,
        metavar="PATH",
        default=default,
        help="dotenv file (default: .env in the current folder)",
    )


def _run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--secret-to",
        metavar="SINK",
        help=f"where the new secret goes: {SINK_FORMS}",
    )
    parser.add_argument(
        "--target",
        metavar="URL",
        help="portal base URL, or `sandbox` (default: the configured URL, else the sandbox)",
    )
    parser.add_argument(
        "--record",
        choices=RECORD_MODES,
        default="retain-on-failure",
        help="keep the Playwright trace (default: retain-on-failure)",
    )
    parser.add_argument("--recordings", type=Path, metavar="DIR", help="default: recordings/")
    parser.add_argument("--headed", action="store_true", help="show the browser window")
    parser.add_argument(
        "--connect", metavar="WS_URL", help="drive a remote Playwright browser server"
    )
    parser.add_argument(
        "--guided",
        action="store_true",
        help="attended: show each step and wait for Enter; type a word to confirm destructive ones",
    )
    parser.add_argument(
        "--headless", action="store_true", help="no browser window, even with --guided"
    )


def _add_runbook(runs: Any, runbook: Runbook) -> None:
    usage = " ".join(
        p.option if p.flag else f"{p.option} {p.metavar}" for p in runbook.params if p.required
    )
    parser = runs.add_parser(
        runbook.name,
        help=runbook.title,
        description=runbook.description,
        epilog=f"example:\n  runbook run {runbook.name} {usage} --secret-to env:.env:KEY",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    for param in runbook.params:
        if param.flag:
            parser.add_argument(param.option, dest=param.name, action="store_true", help=param.help)
        else:
            extra = []
            if param.choices:
                extra.append(f"one of: {', '.join(param.choices)}")
            if param.default is not None:
                extra.append(f"default: {param.default}")
            parser.add_argument(
                param.option,
                dest=param.name,
                required=param.required,
                metavar=param.metavar,
                default=param.default,
                choices=param.choices,
                help=param.help + (f" ({'; '.join(extra)})" if extra else ""),
            )
    _run_options(parser)
    parser.add_argument(
        "--dry-run", action="store_true", help="print the plan and stop; no browser starts"
    )
    _common(parser)


def build_parser() -> argparse.ArgumentParser:
    """The whole command line."""
    parser = _Parser(
        prog="runbook",
        description="Rotate credentials in vendor portals by their documented steps.",
        epilog=EPILOG + "\n" + exit_codes_text(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(parser, top=True)
    parser.add_argument("--version", action=_Version)
    # Not required: a bare `runbook` prints the help (main sees command None).
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    _common(commands.add_parser("list", help="list the runbooks"))
    show = commands.add_parser("show", help="show a runbook's steps and parameters")
    show.add_argument("name", metavar="RUNBOOK")
    _common(show)
    run = commands.add_parser(
        "run",
        help="run a runbook",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(run)
    runs = run.add_subparsers(dest="runbook", metavar="RUNBOOK", parser_class=_Parser)
    runs.required = True
    for runbook in RUNBOOKS.values():
        _add_runbook(runs, runbook)
    resume = commands.add_parser(
        "resume",
        help="continue a failed or interrupted run where it stopped",
        epilog="example:\n  runbook runs\n  runbook resume 20261123T141233Z-gravitee-cloud-token-ab12",  # noqa: E501
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    resume.add_argument("run_id", metavar="RUN_ID", help="as `runbook runs` lists it")
    _run_options(resume)
    _common(resume)
    history = commands.add_parser(
        "runs",
        help="list recent runs, or show one (`runbook runs show RUN_ID`)",
        epilog="example:\n  runbook runs\n  runbook runs show RUN_ID",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    history.add_argument("show", nargs="?", choices=["show"], help=argparse.SUPPRESS)
    history.add_argument("run_id", nargs="?", metavar="RUN_ID", help="with show: the run")
    history.add_argument("--recordings", type=Path, metavar="DIR", help="default: recordings/")
    _common(history)
    login = commands.add_parser(
        "login",
        help="sign in to a portal in a visible browser and keep the signed-in state for runs",
        epilog="example:\n  runbook login gravitee",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    login.add_argument("portal", choices=sorted(PORTALS), metavar="PORTAL", help=", ".join(PORTALS))
    login.add_argument("--target", metavar="URL", help="portal base URL (default: configured)")
    login.add_argument("--headless", action="store_true", help="no window (for tests)")
    login.add_argument("--connect", metavar="WS_URL", help="a remote Playwright browser server")
    login.add_argument(
        "--wait", type=float, default=600, metavar="SECONDS", help="how long to wait (default 600)"
    )
    _common(login)
    sandbox = commands.add_parser("sandbox", help="serve the replica portals for a look around")
    sandbox.add_argument("--host", default="127.0.0.1", help="default: 127.0.0.1")
    sandbox.add_argument(
        "--port",
        type=port_number,
        default=8800,
        help="first port; the portals take the next ones in turn (default: 8800; 0: any free)",
    )
    sandbox.add_argument(
        "--latency", type=seconds, default=0.0, help="seconds added to API replies"
    )
    sandbox.add_argument("--data", type=Path, metavar="DIR", help="state folder")
    sandbox.add_argument(
        "--skin",
        choices=("plain", "framework", "material", "vuetify"),
        help="markup: plain HTML, or the vendors' component libraries (framework = material "
        "for Gravitee, vuetify for Cloudeka); default RUNBOOK_SANDBOX_SKIN, else plain",
    )
    _common(sandbox)
    add_cert(commands, _common)
    add_check(commands, _common)
    add_docs(commands, _common)
    return parser
