"""What a runbook is: documented steps, parameters and a summary.

A runbook definition is data plus small functions; the engine does the rest
(printing, recording, delivering secrets, error handling), so that every mode
and every feature lives once. Nothing here imports the engine: the engine,
the guided panels and the console all build on these types.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Locator

    from runbooks._context import StepContext

__all__ = ["Param", "Preview", "Runbook", "SkipStep", "Step"]


class SkipStep(Exception):  # noqa: N818 - a signal, not an error
    """Raised by a step's action when the step has nothing to do here."""


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
        rehearse: The step's non-destructive version (opens its dialog, checks
            the labels, cancels), for modes that must not change the portal.
        screen: Where the step acts (a region or screen of the portal), for
            structure baselines and documentation screenshots.
        cannot_skip: Why a guided run does not offer to skip it (a later step
            needs what it does); None when skipping it breaks nothing.
    """

    number: str
    text: str
    action: Callable[[StepContext], None]
    destructive: bool = False
    reveals: bool = False
    conceals: bool = False
    preview: Callable[[StepContext], Preview] | None = None
    rehearse: Callable[[StepContext], None] | None = None
    screen: str | None = None
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


def _no_rows(ctx: StepContext) -> list[tuple[str, str]]:
    return []


def _no_check(params: Mapping[str, Any]) -> None:
    return None


def _no_key(params: Mapping[str, Any]) -> str:
    return ""


def _no_warnings(params: Mapping[str, Any]) -> list[str]:
    return []


@dataclass(frozen=True)
class Runbook:
    """An ordered list of documented steps for one portal.

    Args:
        name: What users type: `gravitee-cloud-token`.
        portal: Which portal it drives (`gravitee`).
        guide: The vendor guide it follows (title and URL).
        params: Its parameters.
        steps: Its steps, in the guide's order, verification last.
        doc: The definition module's `__doc__`: its first line is the title,
            the whole of it the description (unless those are given).
        title: One line for `runbook list`.
        description: A paragraph for `runbook show`.
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
    guide: str
    params: tuple[Param, ...]
    steps: tuple[Step, ...]
    doc: str | None = field(default=None, repr=False, compare=False)
    title: str = ""
    description: str = ""
    creates_secret: bool = True
    summary: Callable[[StepContext], list[tuple[str, str]]] = _no_rows
    check_params: Callable[[Mapping[str, Any]], None] = _no_check
    arrange: Callable[[Mapping[str, Any]], tuple[Step, ...]] | None = None
    lock_key: Callable[[Mapping[str, Any]], str] = _no_key
    warnings: Callable[[Mapping[str, Any]], list[str]] = _no_warnings

    def __post_init__(self) -> None:
        if self.doc:
            if not self.title:
                object.__setattr__(self, "title", self.doc.strip().splitlines()[0])
            if not self.description:
                object.__setattr__(self, "description", self.doc)

    def plan(self, params: Mapping[str, Any]) -> tuple[Step, ...]:
        """The steps a run with `params` takes, in order."""
        return self.arrange(params) if self.arrange else self.steps
