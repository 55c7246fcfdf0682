"""The `runbook` command: the only module that prints to the terminal or exits.

Exit codes: `runbooks._errors.EXIT_CODES` (shown by `runbook --help`).
Every `RunbookError` is caught here, once, and shown as one line in words;
`--debug` adds the traceback. Ctrl-C anywhere is one line and exit 130.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import threading
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO
from urllib.parse import urlsplit

from rich.prompt import Prompt
from rich.text import Text

from runbooks._cert_cli import add_commands as add_cert_commands
from runbooks._cert_cli import cert_status
from runbooks._check.cli import add_commands as add_check_commands
from runbooks._check.cli import check_command
from runbooks._config import Settings, check_recordings, load_settings, port_number, seconds
from runbooks._docs_cli import add_commands as add_docs_commands
from runbooks._docs_cli import docs_command
from runbooks._engine import Runner, RunOptions
from runbooks._errors import EXIT_CODES, RunbookError, UsageError
from runbooks._guided import Attendant, GuidedAttendant, Unattended
from runbooks._login import login
from runbooks._model import Runbook
from runbooks._output import Reporter, make_console
from runbooks._portal import SandboxServer
from runbooks._recording import RECORD_MODES
from runbooks._registry import PORTALS, RUNBOOKS, get_runbook
from runbooks._runs import find_runs, is_resumable, load_run, outcome_of, started
from runbooks._secrets import Redactor
from runbooks._sinks import SINK_FORMS, StdoutSink, parse_sink
from runbooks._targets import resolve_url
from runbooks._views import show_list, show_plan, show_run, show_runbook, show_runs

if TYPE_CHECKING:
    from rich.console import Console

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
    try:
        return version("runbook")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


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
    parser.add_argument("--version", action="version", version=f"runbook {_version()}")
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
    add_cert_commands(commands, _common)
    add_check_commands(commands, _common)
    add_docs_commands(commands, _common)
    return parser


def _list(out: Console) -> int:
    show_list(out, list(RUNBOOKS.values()))
    return 0


def _show(out: Console, name: str) -> int:
    show_runbook(out, get_runbook(name))
    return 0


def _terminal_asker(err: Console) -> Callable[[str], str] | None:
    """Hidden-input questions at the terminal, or None when stdin is not one."""
    if not sys.stdin.isatty():
        return None
    # As written (Text), never as markup: a question is text from a definition.
    return lambda question: Prompt.ask(Text(question), password=True, console=err)


def _check_connect(connect: str | None) -> None:
    """Refuse a `--connect` that is not a browser server's URL, before a browser starts."""
    if connect is None:
        return
    parts = urlsplit(connect)
    if parts.scheme not in ("ws", "wss", "http", "https") or not parts.hostname:
        raise UsageError(
            f"--connect {connect!r} is not a browser server's URL: give ws://HOST:PORT/PATH "
            "as `playwright launch-server` prints it"
        )


def check_display(headed: bool, connect: str | None, environ: dict[str, str] | None = None) -> None:
    """Refuse a visible browser where there is no display to show it on (before launching).

    A remote browser server (`--connect`) has its own display. Only Linux and
    the BSDs need DISPLAY or WAYLAND_DISPLAY; macOS and Windows always have one.
    """
    env = os.environ if environ is None else environ
    if not headed or connect or sys.platform in ("darwin", "win32"):
        return
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return
    raise UsageError(
        "there is no display to show the browser on (DISPLAY is not set): add --headless "
        "to keep the browser hidden, or run the command under `xvfb-run`"
    )


def _read_line(err: Console) -> Callable[[str], str]:
    """What the person types, after a prompt shown as written (never as markup)."""

    def read(prompt: str) -> str:
        try:
            return err.input(Text(prompt))
        except (KeyboardInterrupt, EOFError):
            err.print()  # end the prompt's line before the one that says what happened
            raise KeyboardInterrupt from None

    return read


def _options(
    args: argparse.Namespace, err: Console, out: TextIO, sink_spec: str | None
) -> RunOptions:
    """RunOptions from the command line shared by `run` and `resume`."""
    sink = parse_sink(sink_spec) if sink_spec else None
    if args.recordings is not None:
        check_recordings(args.recordings, "--recordings")
    if isinstance(sink, StdoutSink):
        sink = StdoutSink(out)
    _check_connect(args.connect)
    # A guided run is watched: the browser is visible unless asked otherwise.
    headed = (args.headed or args.guided) and not args.headless
    attendant: Attendant = Unattended()
    if args.guided:
        if not sys.stdin.isatty():
            raise UsageError("--guided needs a terminal to answer in; run it from one")
        attendant = GuidedAttendant(err, _read_line(err))
    if not getattr(args, "dry_run", False):
        check_display(headed, args.connect or os.environ.get("RUNBOOK_CONNECT"))
    return RunOptions(
        target=args.target,
        sink=sink,
        sink_spec=sink_spec,
        record=args.record,
        headed=headed,
        connect=args.connect,
        recordings=args.recordings,
        ask=_terminal_asker(err),
        attendant=attendant,
    )


def _settings_note(
    args: argparse.Namespace, settings: Settings, portal_name: str, reporter: Reporter
) -> None:
    """Say why a run goes to the sandbox when nobody asked for it: no URL configured."""
    portal = PORTALS[portal_name]
    if args.target is not None or resolve_url(portal, settings, None) is not None:
        return
    path = (args.env_file or Path(".env")).resolve()
    found = "" if path.is_file() else " (not found)"
    reporter.note(
        f"No {portal.env_prefix}_URL in the environment or in {path}{found}: "
        "using the embedded sandbox."
    )


def _run(
    args: argparse.Namespace,
    settings: Settings,
    redactor: Redactor,
    reporter: Reporter,
    out: TextIO,
) -> int:
    err = reporter.console
    runbook = get_runbook(args.runbook)
    params = {p.name: getattr(args, p.name) for p in runbook.params}
    options = _options(args, err, out, args.secret_to)
    runner = Runner(settings, reporter, redactor)
    if args.dry_run:
        runner.check(runbook, params, options)
        portal = PORTALS[runbook.portal]
        url = resolve_url(portal, settings, args.target)
        target = url or f"the embedded {portal.title} sandbox, started for the run"
        sink = options.sink.describe() if options.sink else None
        plan_out = make_console(redactor, out)
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
    runner.check(runbook, params, options)  # a refusal comes first, alone on its line
    _settings_note(args, settings, runbook.portal, reporter)
    result = runner.run(runbook, params, options)
    reporter.summary(result.summary, ok=True)
    return 0


def _resume(
    args: argparse.Namespace,
    settings: Settings,
    redactor: Redactor,
    reporter: Reporter,
    out: TextIO,
) -> int:
    err = reporter.console
    recordings = args.recordings or settings.recordings_dir
    journal = load_run(recordings, args.run_id, redactor)
    data = journal.as_dict()
    if not is_resumable(data):
        raise UsageError(
            f"run {args.run_id} is {outcome_of(data)}: there is nothing to resume"
            + ("; start a new run" if not started(data) else "")
        )
    runbook = get_runbook(str(data["runbook"]))
    params = dict(data.get("parameters") or {})
    if args.target is None:
        args.target = "sandbox" if data["target"].get("sandbox") else data["target"]["url"]
    args.recordings = recordings
    options = _options(args, err, out, args.secret_to or data.get("sink_spec"))
    err.print(Text(f"Resuming {args.run_id}: steps that changed the portal are not repeated."))
    runner = Runner(settings, reporter, redactor)
    result = runner.run(runbook, params, options, resume=journal)
    reporter.summary(result.summary, ok=True)
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
    url = resolve_url(portal, settings, args.target)
    if url is None:  # checked before saying "sign in": there is nothing to sign in to
        raise UsageError(
            f"no {portal.title} URL to sign in to: set {portal.env_prefix}_URL (in .env or the "
            "environment) or pass --target URL (the URL `runbook sandbox` prints works too)"
        )
    _check_connect(args.connect)
    check_display(not args.headless, args.connect or settings.connect)
    err.print(
        Text(
            f"Sign in to {portal.title} at {url} in the browser window; "
            "this waits until you are in."
        )
    )
    path = login(
        portal,
        settings,
        target=args.target,
        headed=not args.headless,
        connect=args.connect,
        wait_s=args.wait,
    )
    err.print(
        Text.assemble(
            ("Signed in.", "green"), f" Saved the sign-in to {path} (mode 600); runs reuse it."
        )
    )
    return 0


def _sandbox(args: argparse.Namespace, settings: Settings, err: Console) -> int:
    data = args.data or settings.data_dir / "sandbox"
    servers: list[SandboxServer] = []
    port = args.port
    try:
        for portal in PORTALS.values():
            try:
                chosen = args.skin or settings.sandbox_skin
                skin = {"skin": chosen} if chosen else {}  # a replica may have a single skin
                servers.append(portal.start_sandbox(data, args.host, port, args.latency, **skin))
            except OSError as exc:
                raise UsageError(
                    f"cannot serve {portal.title} on {args.host}:{port}: {exc.strerror}; try --port"
                ) from None
            port = port + portal.ports if port else 0
        err.print(
            Text.assemble(
                (" SANDBOX ", "black on yellow"), " replica portals, for tests and demos\n"
            )
        )
        for portal, server in zip(PORTALS.values(), servers, strict=True):
            shown = getattr(server, "skin", None)
            skin_note = f"  ({shown} skin)" if shown else ""
            err.print(Text.assemble((portal.title, "bold"), f"  {server.url}{skin_note}"))
            rows = []
            auth_url = getattr(server, "auth_url", None)
            if auth_url:
                rows.append(("sign-in page", str(auth_url)))
            rows += [
                ("email", server.EMAIL),
                ("password", server.PASSWORD),
                ("state (read-only)", f"{server.url}/_sandbox/state"),
                (
                    "run against it",
                    f"--target {server.url}  (with {portal.env_prefix}_EMAIL "
                    f"and {portal.env_prefix}_PASSWORD set as above)",
                ),
            ]
            for label, value in rows:
                err.print(Text(f"  {label:<18} {value}"))
            err.print()
        err.print(Text(f"State kept in {data}. Ctrl-C stops."))
        try:
            threading.Event().wait()  # until Ctrl-C
        except KeyboardInterrupt:
            # The way to stop it: said in words, no traceback; still exit 130 (interrupted),
            # the code every command gives Ctrl-C and that scripts wrapping it read.
            err.print(Text("Sandbox stopped."))
            return 130
    finally:
        for server in servers:
            server.stop()
    return 0


def _error_line(exc: RunbookError) -> Text:
    """One line in words: what happened, the recordings once, and how to go on when it helps."""
    label = {
        "stopped": "stopped",
        "aborted": "not confirmed",
        "refused": "refused",
        "interrupted": "interrupted",
    }.get(exc.outcome, "error")
    message = str(exc)
    line = Text.assemble((f"{label}: ", "red"), message)
    if exc.recordings:
        line.append(f" (recordings: {exc.recordings})", style="dim")
    if exc.resume_id and exc.resumable and _can_resume(exc) and "runbook resume" not in message:
        line.append(f" To go on: runbook resume {exc.resume_id}", style="bold")
    return line


def _can_resume(exc: RunbookError) -> bool:
    """What `runbook runs` will say about the run: the journal decides, not the error alone."""
    if not exc.recordings:
        return False
    try:
        import json

        data = json.loads((Path(exc.recordings) / "run.json").read_text())
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and is_resumable(data)


def _interrupted(exc: BaseException) -> bool:
    """Whether `exc` was raised while a Ctrl-C was unwinding (cleanup that failed after it)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__context__
    return False


def _dispatch(
    args: argparse.Namespace,
    redactor: Redactor,
    reporter: Reporter,
    out: Console,
    out_stream: TextIO,
) -> int:
    err = reporter.console
    settings = load_settings(args.env_file)
    if args.command == "list":
        return _list(out)
    if args.command == "show":
        return _show(out, args.name)
    if args.command == "sandbox":
        return _sandbox(args, settings, err)
    if args.command == "cert":
        return cert_status(args, out, redactor)
    if args.command == "check":
        return check_command(args, settings, redactor, err, out_stream)
    if args.command == "docs":
        return docs_command(args, settings, redactor, err, out)
    if args.command == "runs":
        return _runs(args, settings, redactor, out)
    if args.command == "login":
        return _login(args, settings, err)
    if args.command == "resume":
        return _resume(args, settings, redactor, reporter, out_stream)
    return _run(args, settings, redactor, reporter, out_stream)


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line; return the exit code."""
    redactor = Redactor()
    err = make_console(redactor, stderr)
    out_stream = stdout if stdout is not None else sys.stdout
    # Piped output is for machines and logs: no wrapping at a pretend 80 columns.
    out = make_console(redactor, out_stream)
    reporter = Reporter(err)
    arguments = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in arguments
    try:
        parser = build_parser()
        try:
            # --help and --version print to the command's standard output (as given).
            with contextlib.redirect_stdout(out_stream):
                args = parser.parse_args(arguments)
        except SystemExit as done:  # --help and --version: printed, and done
            return done.code if isinstance(done.code, int) else 0
        if args.command is None:
            out.print(Text(parser.format_help().rstrip()))
            return 0
        return _dispatch(args, redactor, reporter, out, out_stream)
    except RunbookError as exc:
        reporter.close()
        if exc.exit_code == 130:  # see _on_interrupt
            logging.getLogger("asyncio").setLevel(logging.CRITICAL)
        if debug:
            err.print_exception()
        err.print(_error_line(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        return _on_interrupt(reporter, debug)
    except Exception as exc:
        if not _interrupted(exc):
            raise
        return _on_interrupt(reporter, debug)


def _on_interrupt(reporter: Reporter, debug: bool) -> int:
    """Ctrl-C outside a run (or before its journal existed): one line, exit 130."""
    reporter.close()
    if debug:
        reporter.console.print_exception()
    # Playwright's event loop may report, at exit, futures the interrupt left unread.
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    reporter.console.print(Text.assemble(("interrupted", "yellow"), ": nothing more was done"))
    return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
