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
    from runbooks._engine import RunContext

__all__ = ["Param", "Runbook", "Step"]


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
    """

    number: str
    text: str
    action: Callable[[RunContext], None]
    destructive: bool = False
    reveals: bool = False
    conceals: bool = False


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
    """

    name: str
    help: str
    required: bool = True
    metavar: str = "NAME"
    flag: bool = False
    default: str | None = None

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
