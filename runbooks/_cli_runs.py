"""`runbook run`, `resume` and `runs`: the commands about runs (`runbooks._cli` calls them).

Imported only when one of them runs. A run's browser (Playwright) is imported
by the engine only when the run opens it: `runbook run ... --dry-run` does not.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from rich.text import Text

from runbooks._config import check_recordings
from runbooks._engine import Runner, RunOptions
from runbooks._errors import UsageError
from runbooks._guided import Attendant, GuidedAttendant, Unattended
from runbooks._output import make_console
from runbooks._registry import PORTALS, get_runbook
from runbooks._runs import find_runs, is_resumable, load_run, outcome_of, started
from runbooks._sinks import StdoutSink, parse_sink
from runbooks._targets import resolve_url
from runbooks._views import show_plan, show_run, show_runs

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from typing import TextIO

    from rich.console import Console

    from runbooks._config import Settings
    from runbooks._output import Reporter
    from runbooks._secrets import Redactor

__all__ = ["check_connect", "check_display", "resume", "run", "runs"]


def check_connect(connect: str | None) -> None:
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
    args: argparse.Namespace,
    err: Console,
    out: TextIO,
    sink_spec: str | None,
    ask: Callable[[str], str] | None,
) -> RunOptions:
    """RunOptions from the command line shared by `run` and `resume`."""
    sink = parse_sink(sink_spec) if sink_spec else None
    if args.recordings is not None:
        check_recordings(args.recordings, "--recordings")
    if isinstance(sink, StdoutSink):
        sink = StdoutSink(out)
    check_connect(args.connect)
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
        ask=ask,
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


def run(
    args: argparse.Namespace,
    settings: Settings,
    redactor: Redactor,
    reporter: Reporter,
    out: TextIO,
    ask: Callable[[str], str] | None,
) -> int:
    """`runbook run RUNBOOK ...` (`--dry-run`: its plan, and no browser)."""
    err = reporter.console
    runbook = get_runbook(args.runbook)
    params = {p.name: getattr(args, p.name) for p in runbook.params}
    options = _options(args, err, out, args.secret_to, ask)
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


def resume(
    args: argparse.Namespace,
    settings: Settings,
    redactor: Redactor,
    reporter: Reporter,
    out: TextIO,
    ask: Callable[[str], str] | None,
) -> int:
    """`runbook resume RUN_ID`: the rest of a failed or interrupted run."""
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
    options = _options(args, err, out, args.secret_to or data.get("sink_spec"), ask)
    err.print(Text(f"Resuming {args.run_id}: steps that changed the portal are not repeated."))
    runner = Runner(settings, reporter, redactor)
    result = runner.run(runbook, params, options, resume=journal)
    reporter.summary(result.summary, ok=True)
    return 0


def runs(args: argparse.Namespace, settings: Settings, redactor: Redactor, out: Console) -> int:
    """`runbook runs`: recent runs; `runbook runs show RUN_ID`: one of them."""
    recordings = args.recordings or settings.recordings_dir
    if args.show:
        if not args.run_id:
            raise UsageError("runbook runs show needs a RUN_ID (see `runbook runs`)")
        show_run(out, load_run(recordings, args.run_id, redactor).as_dict())
    else:
        show_runs(out, find_runs(recordings))
    return 0
