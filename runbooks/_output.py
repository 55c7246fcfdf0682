"""What a person sees: the steps as they run, then a summary (rich).

All of it goes to standard error through the run's redactor, which leaves
standard output to the `stdout` sink and to `--json`.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from typing import TextIO

from rich.console import Console
from rich.status import Status
from rich.table import Table
from rich.text import Text

from runbooks._model import Runbook, Step
from runbooks._secrets import Redactor

__all__ = ["Reporter", "ScrubbingStream", "make_console"]


class ScrubbingStream(io.TextIOBase):  # rich wants IO[str]; write() is what it uses
    """A text stream that masks every registered secret before writing it on."""

    def __init__(self, stream: TextIO, redactor: Redactor) -> None:
        self._stream = stream
        self._redactor = redactor

    def write(self, text: str) -> int:
        self._stream.write(self._redactor.scrub(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()


def make_console(redactor: Redactor, stream: TextIO | None = None) -> Console:
    """A rich console on stderr (or `stream`) that never shows a secret."""
    target = stream if stream is not None else sys.stderr
    stream_ = ScrubbingStream(target, redactor)
    # Piped into a log, lines are not wrapped at a pretend 80 columns.
    width = None if stream_.isatty() else 160
    return Console(file=stream_, highlight=False, soft_wrap=True, width=width)  # type: ignore[arg-type]


def _duration(seconds: float) -> str:
    return f"{seconds:.1f}s"


class Reporter:
    """Prints a run's progress on a rich console."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self._status: Status | None = None

    def run_started(self, runbook: Runbook, target: str, sandbox: bool, run_dir: str) -> None:
        """The header: what runs, against what, recorded where."""
        self.console.print(f"[bold]{runbook.title}[/bold]  ({runbook.name})")
        if sandbox:
            self.console.print(f"[black on yellow] SANDBOX [/] {target}")
        else:
            self.console.print(f"Target: {target}")
        self.console.print(f"Guide:  {runbook.guide}")
        self.console.print(f"[dim]Recording to {run_dir}[/dim]\n")

    def step_started(self, step: Step) -> None:
        """A spinner beside the step's number and wording."""
        self._status = self.console.status(Text(f"{step.number:>2}  {step.text}"), spinner="dots")
        self._status.start()

    def _stop_spinner(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None

    def step_finished(
        self, step: Step, status: str, seconds: float, note: str | None = None
    ) -> None:
        """✓, ✗ or – with the duration (and a note for skipped steps)."""
        self._stop_spinner()
        mark = {"done": "[green]✓[/green]", "failed": "[red]✗[/red]"}.get(status, "[dim]–[/dim]")
        line = Text.from_markup(f"{mark} ")
        line.append(f"{step.number:>2}  {step.text}")
        line.append(f"  {_duration(seconds)}", style="dim")
        if note:
            line.append(f"  ({note})", style="yellow")
        self.console.print(line)

    def asker(self, ask: Callable[[str], str]) -> Callable[[str], str]:
        """`ask`, with the spinner stopped while the person types."""

        def asking(question: str) -> str:
            status = self._status
            if status is not None:
                status.stop()
            try:
                return ask(question)
            finally:
                if status is not None:
                    status.start()

        return asking

    def warn(self, text: str) -> None:
        """A warning line."""
        self._stop_spinner()
        self.console.print(f"[yellow]warning:[/yellow] {text}")

    def summary(self, rows: list[tuple[str, str]], *, ok: bool) -> None:
        """The closing table."""
        self._stop_spinner()
        table = Table(show_header=False, box=None, padding=(0, 2, 0, 0))
        table.add_column(style="bold", no_wrap=True)
        table.add_column(overflow="fold")  # paths are copied from here: never cut them
        for label, value in rows:
            table.add_row(label, Text(value))
        title = "[green]Done[/green]" if ok else "[red]Failed[/red]"
        self.console.print(f"\n{title}")
        self.console.print(table)
