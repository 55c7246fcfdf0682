"""What a person sees: the steps as they run, then a summary (rich).

All of it goes to standard error through the run's redactor, which leaves
standard output to the `stdout` sink and to `--json`.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from runbooks._model import Runbook, Step
from runbooks._secrets import Redactor

if TYPE_CHECKING:
    from rich.status import Status

__all__ = ["Reporter", "ScrubbingStream", "make_console", "print_block"]

#: Where output is not a terminal (a log, a pipe): lines up to this wide, never padded.
PIPED_WIDTH = 160
_TRAILING_SPACES = re.compile(r"[ \t]+(?=\n)")


class ScrubbingStream(io.TextIOBase):  # rich wants IO[str]; write() is what it uses
    """A text stream that masks every registered secret before writing it on.

    Where it is not a terminal, it also drops the spaces rich pads table rows
    with: a log or a `grep` gets the words, not a rectangle of blanks.
    """

    def __init__(self, stream: TextIO, redactor: Redactor) -> None:
        self._stream = stream
        self._redactor = redactor
        self._tty = stream.isatty()

    def write(self, text: str) -> int:
        scrubbed = self._redactor.scrub(text)
        if not self._tty:
            scrubbed = _TRAILING_SPACES.sub("", scrubbed)
        self._stream.write(scrubbed)
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()


def make_console(redactor: Redactor, stream: TextIO | None = None) -> Console:
    """A rich console on stderr (or `stream`) that never shows a secret.

    Lines of text are soft-wrapped (the terminal folds them; a log keeps them
    whole); panels and tables are printed with `print_block`, which wraps them
    to the width instead, so that nothing they say is cut.
    """
    target = stream if stream is not None else sys.stderr
    stream_ = ScrubbingStream(target, redactor)
    # Piped into a log, lines are not wrapped at a pretend 80 columns.
    width = None if stream_.isatty() else PIPED_WIDTH
    return Console(file=stream_, highlight=False, soft_wrap=True, width=width)  # type: ignore[arg-type]


def print_block(console: Console, renderable: RenderableType) -> None:
    """Print a panel or table wrapped to the console's width, never cut.

    The consoles soft-wrap (`soft_wrap=True`), and rich then renders a panel's
    text unwrapped and crops it at the border; wrapping is asked for here.
    """
    console.print(renderable, soft_wrap=False, overflow="fold")


def _duration(seconds: float) -> str:
    return f"{seconds:.1f}s"


class Reporter:
    """Prints a run's progress on a rich console."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self._status: Status | None = None

    def run_started(self, runbook: Runbook, target: str, sandbox: bool, run_dir: str) -> None:
        """The header: what runs, against what, recorded where."""
        self.console.print(Text.assemble((runbook.title, "bold"), f"  ({runbook.name})"))
        if sandbox:
            self.console.print(Text.assemble((" SANDBOX ", "black on yellow"), " ", target))
        else:
            self.console.print(Text(f"Target: {target}"))
        self.console.print(Text(f"Guide:  {runbook.guide}"))
        self.console.print(Text(f"Recording to {run_dir}\n", style="dim"))

    def note(self, text: str) -> None:
        """A line of information before the run starts (which settings file was read)."""
        self._stop_spinner()
        self.console.print(Text(text, style="dim"))

    def step_started(self, step: Step) -> None:
        """A spinner beside the step's number and wording."""
        self._status = self.console.status(Text(f"{step.number:>2}  {step.text}"), spinner="dots")
        self._status.start()

    def _stop_spinner(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None

    def close(self) -> None:
        """Stop a spinner left running (an interrupt mid-step), leaving a clean line."""
        self._stop_spinner()

    def step_finished(
        self, step: Step, status: str, seconds: float, note: str | None = None
    ) -> None:
        """✓, ✗ or – with the duration (and a note for skipped steps)."""
        self._stop_spinner()
        mark = {"done": ("✓", "green"), "failed": ("✗", "red")}.get(status, ("–", "dim"))
        line = Text.assemble(mark, " ")
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
        self.console.print(Text.assemble(("warning:", "yellow"), " ", text))

    def summary(self, rows: list[tuple[str, str]], *, ok: bool) -> None:
        """The closing table."""
        self._stop_spinner()
        table = Table(show_header=False, box=None, padding=(0, 2, 0, 0))
        table.add_column(style="bold", no_wrap=True)
        table.add_column(overflow="fold")  # paths are copied from here: never cut them
        for label, value in rows:
            table.add_row(label, Text(value))
        title = Text("Done", style="green") if ok else Text("Failed", style="red")
        self.console.print()
        self.console.print(title)
        print_block(self.console, table)
