"""Attended runs (`--guided`): the person sees each step and says go.

Before each step a panel shows the guide's number and wording and what the
tool is about to do; Enter does it, `s` skips it (never a destructive one),
`q` stops and leaves the run resumable. A destructive step also needs its
confirmation word typed; anything else aborts it.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Protocol

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

from runbooks._model import Preview, Step

__all__ = ["Attendant", "Decision", "GuidedAttendant", "Unattended"]


class Decision(Enum):
    """What the person decided before a step."""

    DO = "do"
    SKIP = "skip"
    STOP = "stop"


class Attendant(Protocol):
    """Who says go before each step."""

    guided: bool

    def before_step(self, step: Step, position: str, preview: Preview | None) -> Decision:
        """Do, skip or stop before `step`."""
        ...

    def confirm(self, step: Step, preview: Preview) -> str:
        """What the person typed to confirm a destructive step."""
        ...

    def hand_off(self, message: str) -> None:
        """Let the person do something in the browser; return when they say so."""
        ...


class Unattended:
    """A run from a terminal or a job: every step goes ahead as planned."""

    guided = False

    def before_step(self, step: Step, position: str, preview: Preview | None) -> Decision:
        return Decision.DO

    def confirm(self, step: Step, preview: Preview) -> str:
        return "(unattended run)"

    def hand_off(self, message: str) -> None:
        return None


class GuidedAttendant:
    """Asks the person at the terminal before each step.

    Args:
        console: Where the panels go.
        read_line: Reads one line the person typed (after showing a prompt).
    """

    guided = True

    def __init__(self, console: Console, read_line: Callable[[str], str]) -> None:
        self.console = console
        self.read_line = read_line

    def _panel(self, step: Step, position: str, preview: Preview | None) -> None:
        body = f"[bold]{escape(step.text)}[/bold]"
        if preview is not None:
            body += f"\n\nAbout to: {escape(preview.text)}"
        title = f"Step {step.number}  ({position})"
        style = "red" if step.destructive else "cyan"
        if step.destructive:
            title += "  DESTRUCTIVE"
        self.console.print(Panel(body, title=title, title_align="left", border_style=style))

    def before_step(self, step: Step, position: str, preview: Preview | None) -> Decision:
        self._panel(step, position, preview)
        if step.destructive and (preview is None or preview.word is not None):
            return Decision.DO  # the confirmation word is asked next; no skipping it
        while True:
            answer = self.read_line("[Enter] do it, [s] skip, [q] stop > ").strip().lower()
            if answer == "":
                return Decision.DO
            if answer == "s":
                return Decision.SKIP
            if answer == "q":
                return Decision.STOP
            self.console.print("Press Enter, or type s or q.")

    def confirm(self, step: Step, preview: Preview) -> str:
        word = preview.word or "yes"
        return self.read_line(f"Type {word} to go ahead (anything else aborts) > ").strip()

    def hand_off(self, message: str) -> None:
        self.read_line(f"{message} Press Enter when done > ")
