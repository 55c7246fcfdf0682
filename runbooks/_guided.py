"""Attended runs (`--guided`): the person sees each step and says go.

Before each step a panel shows the guide's number and wording and what the
tool is about to do; Enter does it, `s` skips it (only where skipping breaks
nothing later: never a destructive step, never one whose result a later step
needs, and the panel says why), `q` stops and leaves the run resumable. A
destructive step also needs its confirmation word typed, and the panel says
exactly which word; anything else aborts it.

Everything shown is built as `rich.text.Text`, never as markup: a prompt's
`[s]` or a step's wording reaches the terminal as written. Panels wrap (never
crop) at any width.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Protocol

from rich.panel import Panel
from rich.text import Text

from runbooks._model import Preview, Step
from runbooks._output import print_block

if TYPE_CHECKING:
    from rich.console import Console

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
        body = Text(step.text, style="bold")
        if preview is not None:
            body.append(f"\n\nAbout to: {preview.text}")
        if step.destructive and preview is not None and preview.word is not None:
            why = f" ({preview.word_is})" if preview.word_is else ""
            body.append("\n\nTo go ahead, type: ")
            body.append(preview.word, style="bold")
            body.append(why)
        elif not step.skippable and step.cannot_skip:
            body.append(f"\n\nNo skipping this step: {step.cannot_skip}.", style="dim")
        title = Text(f"Step {step.number}  ({position})")
        if step.destructive:
            title.append("  DESTRUCTIVE", style="bold red")
        style = "red" if step.destructive else "cyan"
        print_block(self.console, Panel(body, title=title, title_align="left", border_style=style))

    def before_step(self, step: Step, position: str, preview: Preview | None) -> Decision:
        self._panel(step, position, preview)
        if step.destructive and (preview is None or preview.word is not None):
            return Decision.DO  # the confirmation word is asked next; no skipping it
        prompt = "[Enter] do it, [s] skip, [q] stop > "
        if not step.skippable:
            prompt = "[Enter] do it, [q] stop > "
        while True:
            answer = self.read_line(prompt).strip().lower()
            if answer == "":
                return Decision.DO
            if answer == "s" and step.skippable:
                return Decision.SKIP
            if answer == "q":
                return Decision.STOP
            if answer == "s":
                why = step.cannot_skip or "it changes the portal"
                self.console.print(Text(f"Step {step.number} cannot be skipped: {why}."))
                self.console.print(Text("Press Enter to do it, or type q to stop."))
            else:
                self.console.print(Text(f"Press Enter, or type {'s or ' * step.skippable}q."))

    def confirm(self, step: Step, preview: Preview) -> str:
        word = preview.word or "yes"
        return self.read_line(f"Type {word} to go ahead (anything else aborts) > ").strip()

    def hand_off(self, message: str) -> None:
        self.read_line(f"{message} Press Enter when done > ")
