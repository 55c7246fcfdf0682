"""The `runbook` command: the only module that prints to the terminal or exits.

Exit codes: `runbooks._errors.EXIT_CODES` (shown by `runbook --help`).
Every `RunbookError` is caught here, once, and shown as one line in words;
`--debug` adds the traceback. Ctrl-C anywhere is one line and exit 130.

The parser is `runbooks._cli_parser`; a subcommand's module is imported only
when that subcommand runs (`runbooks._cli_runs`: run, resume, runs;
`runbooks._cli_portals`: login, sandbox; `_cert_cli`, `_check.cli`,
`_docs_cli`), and rich only when something is printed with it: `runbook
--help` imports neither the engine nor Playwright nor rich.
"""

from __future__ import annotations

import contextlib
import sys
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from runbooks._cli_parser import build_parser
from runbooks._config import load_settings
from runbooks._errors import RunbookError
from runbooks._secrets import Redactor

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Sequence

    from rich.console import Console
    from rich.text import Text

    from runbooks._output import Reporter

__all__ = ["main"]


class _Consoles:
    """The command's rich consoles and reporter, each made when first used.

    Both consoles mask every secret the redactor knows; standard output is
    `out`, standard error `err` (where the reporter writes).
    """

    def __init__(self, redactor: Redactor, out: TextIO, err: TextIO) -> None:
        self.redactor = redactor
        self.out_stream = out
        self.err_stream = err

    @cached_property
    def err(self) -> Console:
        from runbooks._output import make_console

        return make_console(self.redactor, self.err_stream)

    @cached_property
    def out(self) -> Console:
        from runbooks._output import make_console

        # Piped output is for machines and logs: no wrapping at a pretend 80 columns.
        return make_console(self.redactor, self.out_stream)

    @cached_property
    def reporter(self) -> Reporter:
        from runbooks._output import Reporter

        return Reporter(self.err)


def _terminal_asker(err: Console) -> Callable[[str], str] | None:
    """Hidden-input questions at the terminal, or None when stdin is not one."""
    if not sys.stdin.isatty():
        return None
    from rich.prompt import Prompt
    from rich.text import Text

    # As written (Text), never as markup: a question is text from a definition.
    return lambda question: Prompt.ask(Text(question), password=True, console=err)


def _error_line(exc: RunbookError) -> Text:
    """One line in words: what happened, the recordings once, and how to go on when it helps."""
    from rich.text import Text

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
    from runbooks._runs import is_resumable

    return isinstance(data, dict) and is_resumable(data)


def _interrupted(exc: BaseException) -> bool:
    """Whether `exc` was raised while a Ctrl-C was unwinding (cleanup that failed after it)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__context__
    return False


def _dispatch(args: argparse.Namespace, redactor: Redactor, consoles: _Consoles) -> int:
    settings = load_settings(args.env_file)
    if args.command == "list":
        from runbooks._registry import RUNBOOKS
        from runbooks._views import show_list

        show_list(consoles.out, list(RUNBOOKS.values()))
        return 0
    if args.command == "show":
        from runbooks._registry import get_runbook
        from runbooks._views import show_runbook

        show_runbook(consoles.out, get_runbook(args.name))
        return 0
    if args.command == "sandbox":
        from runbooks._cli_portals import sandbox

        return sandbox(args, settings, consoles.err)
    if args.command == "cert":
        from runbooks._cert_cli import cert_status

        return cert_status(args, consoles.out, redactor)
    if args.command == "check":
        from runbooks._check.cli import check_command

        return check_command(args, settings, redactor, consoles.err, consoles.out_stream)
    if args.command == "docs":
        from runbooks._docs_cli import docs_command

        return docs_command(args, settings, redactor, consoles.err, consoles.out)
    if args.command == "runs":
        from runbooks._cli_runs import runs

        return runs(args, settings, redactor, consoles.out)
    if args.command == "login":
        from runbooks._cli_portals import login

        return login(args, settings, consoles.err)
    from runbooks._cli_runs import resume, run

    # Looked up here, in this module, when the command runs (tests replace it).
    ask = _terminal_asker(consoles.err)
    command = resume if args.command == "resume" else run
    return command(args, settings, redactor, consoles.reporter, consoles.out_stream, ask)


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line; return the exit code."""
    redactor = Redactor()
    out_stream = stdout if stdout is not None else sys.stdout
    consoles = _Consoles(redactor, out_stream, stderr if stderr is not None else sys.stderr)
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
            from rich.text import Text

            consoles.out.print(Text(parser.format_help().rstrip()))
            return 0
        return _dispatch(args, redactor, consoles)
    except RunbookError as exc:
        consoles.reporter.close()
        if exc.exit_code == 130:  # see _on_interrupt
            _quiet_asyncio()
        if debug:
            consoles.err.print_exception()
        consoles.err.print(_error_line(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        return _on_interrupt(consoles.reporter, debug)
    except Exception as exc:
        if not _interrupted(exc):
            raise
        return _on_interrupt(consoles.reporter, debug)


def _quiet_asyncio() -> None:
    """Playwright's event loop may report, at exit, futures the interrupt left unread."""
    import logging

    logging.getLogger("asyncio").setLevel(logging.CRITICAL)


def _on_interrupt(reporter: Reporter, debug: bool) -> int:
    """Ctrl-C outside a run (or before its journal existed): one line, exit 130."""
    from rich.text import Text

    reporter.close()
    if debug:
        reporter.console.print_exception()
    _quiet_asyncio()
    reporter.console.print(Text.assemble(("interrupted", "yellow"), ": nothing more was done"))
    return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
