"""What a runbook is: documented steps, parameters and a summary.

A runbook definition is data plus small functions; the engine does the rest
(printing, recording, delivering secrets, error handling), so that every mode
and every feature lives once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Locator

    from runbooks._engine import RunContext

__all__ = ["Param", "Preview", "Runbook", "Step"]


@dataclass(frozen=True)
class Preview:
    """What a step is about to do, for the person watching a guided run.

    Args:
        text: In words, exactly what will happen (for a destructive step: what
            will be destroyed, e.g. the gateway and the token's creation date).
        element: The control about to be acted on; highlighted in the browser.
        word: For a destructive step, what the person must type to go ahead.
        word_is: What that word is and why it is asked ("the gateway's name"),
            for the panel: the person is told exactly what to type.
    """

    text: str
    element: Locator | None = None
    word: str | None = None
    word_is: str | None = None


@dataclass(frozen=True)
class Step:
    """One documented step of a vendor guide.

    Args:
        number: The guide's number ("1" … "7"), or "V" for its verification.
        text: The guide's wording.
        action: Performs the step through page objects.
        destructive: Revokes or deletes something.
        reveals: Puts a secret on screen (tracing pauses from its start).
        conceals: Takes the secret off screen (tracing resumes after it).
        preview: Says what the step is about to do (guided runs show it; a
            destructive step's preview also names what the person confirms).
        cannot_skip: Why a guided run does not offer to skip it (a later step
            needs what it does); None when skipping it breaks nothing.
    """

    number: str
    text: str
    action: Callable[[RunContext], None]
    destructive: bool = False
    reveals: bool = False
    conceals: bool = False
    preview: Callable[[RunContext], Preview] | None = None
    cannot_skip: str | None = None

    @property
    def skippable(self) -> bool:
        """Whether a guided run offers to skip it: never a destructive step."""
        return self.cannot_skip is None and not self.destructive

    @property
    def changes_portal(self) -> bool:
        """Whether the step changes the portal (and is never repeated on resume)."""
        return self.destructive or self.reveals or self.conceals


@dataclass(frozen=True)
class Param:
    """A runbook parameter, exposed as `--<name>` on the command line.

    Args:
        name: The parameter's name (`gateway`; `no_expiry` becomes `--no-expiry`).
        help: One line for `--help` and `runbook show`.
        required: Must be given (ignored for flags).
        metavar: The value's placeholder in help texts.
        flag: A yes/no switch that takes no value (False unless given).
        default: The value when not given.
        choices: The only values allowed, if the set is closed.
        instead_of: The option that may be given instead of this one (exactly
            one of the two is needed: `--expires` or `--no-expiry`).
    """

    name: str
    help: str
    required: bool = True
    metavar: str = "NAME"
    flag: bool = False
    default: str | None = None
    choices: tuple[str, ...] | None = None
    instead_of: str | None = None

    @property
    def option(self) -> str:
        """The command-line option: `--gateway`."""
        return "--" + self.name.replace("_", "-")


@dataclass(frozen=True)
class Runbook:
    """An ordered list of documented steps for one portal.

    Args:
        name: What users type: `gravitee-cloud-token`.
        portal: Which portal it drives (`gravitee`).
        title: One line for `runbook list`.
        guide: The vendor guide it follows (title and URL).
        description: A paragraph for `runbook show`.
        params: Its parameters.
        steps: Its steps, in the guide's order, verification last.
        creates_secret: Whether a run produces a secret that needs a sink.
        summary: Rows (label, value) for the end-of-run summary.
        check_params: Refuses bad parameters before anything starts.
        arrange: The steps in the order a run takes them (default: as listed).
        lock_key: What a run changes within the portal (a gateway's name): two
            runs on the same portal and key never run at once.
        warnings: Warnings the parameters already call for (a token that never
            expires); printed as the run starts.
    """

    name: str
    portal: str
    title: str
    guide: str
    description: str
    params: tuple[Param, ...]
    steps: tuple[Step, ...]
    creates_secret: bool = True
    summary: Callable[[RunContext], list[tuple[str, str]]] = field(default=lambda ctx: [])
    check_params: Callable[[Mapping[str, Any]], None] = field(default=lambda params: None)
    arrange: Callable[[Mapping[str, Any]], tuple[Step, ...]] | None = None
    lock_key: Callable[[Mapping[str, Any]], str] = field(default=lambda params: "")
    warnings: Callable[[Mapping[str, Any]], list[str]] = field(default=lambda params: [])

    def plan(self, params: Mapping[str, Any]) -> tuple[Step, ...]:
        """The steps a run with `params` takes, in order."""
        return self.arrange(params) if self.arrange else self.steps
