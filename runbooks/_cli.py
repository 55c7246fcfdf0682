"""The `runbook` command: the only module that prints to the terminal or exits.

Exit codes: 0 done, 1 a run failed, 2 bad usage, 130 interrupted (Ctrl-C).
Every `RunbookError` is caught here, once, and shown as one line; `--debug`
adds the traceback.
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

from rich.console import Console
from rich.markup import escape
from rich.prompt import Prompt

from runbooks._cert_cli import add_commands as add_cert_commands
from runbooks._cert_cli import cert_status
from runbooks._config import Settings, check_recordings, load_settings, port_number, seconds
from runbooks._docs_cli import add_commands as add_docs_commands
from runbooks._docs_cli import docs_command
from runbooks._engine import Runner, RunOptions
from runbooks._errors import RunbookError, UsageError
from runbooks._guided import Attendant, GuidedAttendant, Unattended
from runbooks._login import login
from runbooks._model import Runbook
from runbooks._output import Reporter, make_console
from runbooks._portal import SandboxServer
from runbooks._recording import RECORD_MODES
from runbooks._registry import PORTALS, RUNBOOKS, get_runbook
from runbooks._runs import RESUMABLE, find_runs, is_resumable, load_run
from runbooks._secrets import Redactor
from runbooks._sinks import SINK_FORMS, StdoutSink, parse_sink
from runbooks._targets import resolve_url
from runbooks._views import show_plan, show_run, show_runbook, show_runs

__all__ = ["main"]

EPILOG = """\
examples:
  runbook list
  runbook show gravitee-cloud-token
  runbook run gravitee-cloud-token --gateway eu-prod-gw --secret-to env:.env.gateway:CLOUD_TOKEN
  runbook run gravitee-cloud-token --gateway eu-prod-gw --guided --order safe --secret-to stdout
  runbook runs
  runbook resume RUN_ID
  runbook login gravitee
  runbook run gravitee-cert-renewal --keystore cloud.p12 --secret-to env:.env:KEYSTORE_PASSWORD
  runbook cert status cloud.p12 --password-from env:.env:KEYSTORE_PASSWORD --warn-days 30
  runbook sandbox
"""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line through the error boundary."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    parser.add_argument("--env-file", type=Path, metavar="PATH", help="dotenv file (default: .env)")


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
            parser.add_argument(
                param.option,
                dest=param.name,
                required=param.required,
                metavar=param.metavar,
                default=param.default,
                choices=param.choices,
                help=param.help,
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
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True
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
    _common(sandbox)
    add_cert_commands(commands, _common)
    add_docs_commands(commands, _common)
    return parser


def _list(out: Console) -> int:
    for runbook in RUNBOOKS.values():
        out.print(f"[bold]{runbook.name}[/bold]  {escape(runbook.title)}")
    return 0


def _show(out: Console, name: str) -> int:
    show_runbook(out, get_runbook(name))
    return 0


def _terminal_asker(err: Console) -> Callable[[str], str] | None:
    """Hidden-input questions at the terminal, or None when stdin is not one."""
    if not sys.stdin.isatty():
        return None
    return lambda question: Prompt.ask(question, password=True, console=err)


def _options(
    args: argparse.Namespace, err: Console, out: TextIO, sink_spec: str | None
) -> RunOptions:
    """RunOptions from the command line shared by `run` and `resume`."""
    sink = parse_sink(sink_spec) if sink_spec else None
    if args.recordings is not None:
        check_recordings(args.recordings, "--recordings")
    if isinstance(sink, StdoutSink):
        sink = StdoutSink(out)
    attendant: Attendant = Unattended()
    if args.guided:
        if not sys.stdin.isatty():
            raise UsageError("--guided needs a terminal to answer in; run it from one")
        attendant = GuidedAttendant(err, lambda prompt: err.input(prompt))
    return RunOptions(
        target=args.target,
        sink=sink,
        sink_spec=sink_spec,
        record=args.record,
        # A guided run is watched: the browser is visible unless asked otherwise.
        headed=(args.headed or args.guided) and not args.headless,
        connect=args.connect,
        recordings=args.recordings,
        ask=_terminal_asker(err),
        attendant=attendant,
    )


def _run(
    args: argparse.Namespace, settings: Settings, redactor: Redactor, err: Console, out: TextIO
) -> int:
    runbook = get_runbook(args.runbook)
    params = {p.name: getattr(args, p.name) for p in runbook.params}
    options = _options(args, err, out, args.secret_to)
    runner = Runner(settings, Reporter(err), redactor)
    if args.dry_run:
        runner.check(runbook, params, options)
        portal = PORTALS[runbook.portal]
        url = resolve_url(portal, settings, args.target)
        target = url or f"the embedded {portal.title} sandbox, started for the run"
        sink = options.sink.describe() if options.sink else None
        plan_out = Console(file=out, highlight=False, soft_wrap=True)
        show_plan(
            plan_out,
            runbook,
            params,
            target=target,
            sink=sink,
            guided=args.guided,
            warnings=runbook.warnings(params),
        )
        return 0
    result = runner.run(runbook, params, options)
    Reporter(err).summary(result.summary, ok=True)
    return 0


def _resume(
    args: argparse.Namespace, settings: Settings, redactor: Redactor, err: Console, out: TextIO
) -> int:
    recordings = args.recordings or settings.recordings_dir
    journal = load_run(recordings, args.run_id, redactor)
    data = journal.as_dict()
    if not is_resumable(data):
        raise UsageError(f"run {args.run_id} is {data.get('outcome')}: there is nothing to resume")
    runbook = get_runbook(str(data["runbook"]))
    params = dict(data.get("parameters") or {})
    if args.target is None:
        args.target = "sandbox" if data["target"].get("sandbox") else data["target"]["url"]
    args.recordings = recordings
    options = _options(args, err, out, args.secret_to or data.get("sink_spec"))
    err.print(f"Resuming {args.run_id}: steps that changed the portal are not repeated.")
    runner = Runner(settings, Reporter(err), redactor)
    result = runner.run(runbook, params, options, resume=journal)
    Reporter(err).summary(result.summary, ok=True)
    return 0


def _runs(args: argparse.Namespace, settings: Settings, redactor: Redactor, out: Console) -> int:
    recordings = args.recordings or settings.recordings_dir
    if args.show:
        if not args.run_id:
            raise UsageError("runbook runs show needs a RUN_ID (see `runbook runs`)")
        show_run(out, load_run(recordings, args.run_id, redactor).as_dict())
    else:
        show_runs(out, find_runs(recordings))
    return 0


def _login(args: argparse.Namespace, settings: Settings, err: Console) -> int:
    portal = PORTALS[args.portal]
    err.print(f"Sign in to {portal.title} in the browser window; this waits until you are in.")
    path = login(
        portal,
        settings,
        target=args.target,
        headed=not args.headless,
        connect=args.connect,
        wait_s=args.wait,
    )
    err.print(f"[green]Signed in.[/green] Saved the sign-in to {path} (mode 600); runs reuse it.")
    return 0


def _sandbox(args: argparse.Namespace, settings: Settings, err: Console) -> int:
    data = args.data or settings.data_dir / "sandbox"
    servers: list[SandboxServer] = []
    port = args.port
    try:
        for portal in PORTALS.values():
            try:
                servers.append(portal.start_sandbox(data, args.host, port, args.latency))
            except OSError as exc:
                raise UsageError(
                    f"cannot serve {portal.title} on {args.host}:{port}: {exc.strerror}; try --port"
                ) from None
            port = port + portal.ports if port else 0
        err.print("[black on yellow] SANDBOX [/] replica portals, for tests and demos\n")
        for portal, server in zip(PORTALS.values(), servers, strict=True):
            err.print(f"[bold]{portal.title}[/bold]  {server.url}")
            auth_url = getattr(server, "auth_url", None)
            if auth_url:
                err.print(f"  sign-in page       {auth_url}")
            err.print(f"  email              {server.EMAIL}")
            err.print(f"  password           {server.PASSWORD}")
            err.print(f"  state (read-only)  {server.url}/_sandbox/state\n")
        err.print(f"State kept in {data}. Ctrl-C stops.")
        err.print(
            "Run against one: set RUNBOOK_<PORTAL>_EMAIL and _PASSWORD as above and pass "
            f"--target {servers[0].url}"
        )
        threading.Event().wait()  # until Ctrl-C
    finally:
        for server in servers:
            server.stop()
    return 0


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line; return the exit code."""
    redactor = Redactor()
    err = make_console(redactor, stderr)
    out_stream = stdout if stdout is not None else sys.stdout
    # Piped output is for machines and logs: no wrapping at a pretend 80 columns.
    width = None if out_stream.isatty() else 200
    out = Console(file=out_stream, highlight=False, soft_wrap=True, width=width)
    arguments = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in arguments
    try:
        args = build_parser().parse_args(arguments)
        settings = load_settings(args.env_file)
        if args.command == "list":
            return _list(out)
        if args.command == "show":
            return _show(out, args.name)
        if args.command == "sandbox":
            return _sandbox(args, settings, err)
        if args.command == "cert":
            return cert_status(args, out, redactor)
        if args.command == "docs":
            return docs_command(args, settings, redactor, err, out)
        if args.command == "runs":
            return _runs(args, settings, redactor, out)
        if args.command == "login":
            return _login(args, settings, err)
        if args.command == "resume":
            return _resume(args, settings, redactor, err, out_stream)
        return _run(args, settings, redactor, err, out_stream)
    except RunbookError as exc:
        if debug:
            err.print_exception()
        where = exc.recordings
        suffix = f" [dim](recordings: {where})[/dim]" if where else ""
        if exc.resume_id and exc.outcome in RESUMABLE:
            suffix += f" [dim](continue: runbook resume {exc.resume_id})[/dim]"
        err.print(f"[red]{type(exc).__name__}[/red]: {escape(str(exc))}{suffix}")
        return exc.exit_code
    except KeyboardInterrupt:
        err.print("[yellow]interrupted[/yellow]")
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
