"""Observers: what keeps the records of a run, told of its lifecycle.

The step loop announces the run, each step's start and finish (with its
outcome) and the run's end; the journal, the recorder, the audit log and the
console reporter each keep their own record from those calls, as
pytest-playwright's artifacts recorder does. The loop names none of them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from runbooks._model import Runbook, Step

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

    from pages import Found
    from runbooks._errors import RunbookError
    from runbooks._modes import Decision
    from runbooks._targets import Target

__all__ = ["Observer", "Observers", "RunEnd", "RunStart", "StepEnd", "StepStart"]

StepOutcome = Literal["done", "failed", "skipped", "stopped"]


@dataclass(frozen=True)
class RunStart:
    """A run begins (or resumes): what runs, against what, recorded where."""

    run_id: str
    runbook: Runbook
    params: Mapping[str, Any]
    target: Target
    folder: Path
    resumed: bool
    #: Said before the first step: a cleared stale lock, a parameter's warning.
    warnings: Sequence[str] = ()


@dataclass(frozen=True)
class StepStart:
    """A step is about to be performed or rehearsed."""

    step: Step
    index: int
    decision: Decision


@dataclass(frozen=True)
class StepEnd:
    """A step finished: done, failed, skipped, or stopped before it began."""

    step: Step
    index: int
    status: StepOutcome
    decision: Decision
    seconds: float = 0.0
    note: str | None = None
    error: RunbookError | None = None
    #: The page as the step left it, and what to paint over in a capture of it.
    page: Page | None = None
    masks: Sequence[Locator] = ()
    #: How each control the step looked for was found, and that way's rank.
    found: Mapping[str, Found] = field(default_factory=dict)

    @property
    def acted(self) -> bool:
        """Whether the step's action (or its rehearsal) ran at all."""
        return self.decision.kind in ("perform", "rehearse") and self.status != "stopped"


@dataclass(frozen=True)
class RunEnd:
    """The run ended: succeeded, failed, stopped, interrupted…"""

    outcome: str
    error: str | None = None
    warnings: Sequence[str] = field(default_factory=tuple)


class Observer:
    """Base for observers: every call does nothing unless overridden."""

    def run_started(self, run: RunStart) -> None:
        """The run begins."""

    def step_started(self, start: StepStart) -> None:
        """A step begins."""

    def step_finished(self, end: StepEnd) -> None:
        """A step finished (or was skipped, or the run stopped before it)."""

    def secret_shown(self, step: str | None, label: str) -> None:
        """The portal showed a secret that must be delivered (during `step`)."""

    def secret_delivered(self, step: str | None, label: str, where: str) -> None:
        """That secret reached its sink."""

    def destroyed(self, step: str | None, what: str) -> None:
        """A step destroyed `what` beyond what it confirmed (a resume's clean-up)."""

    def run_finished(self, end: RunEnd) -> None:
        """The run ended; the browser is still open."""


class Observers(Observer):
    """Several observers, told in order."""

    def __init__(self, observers: Sequence[Observer]) -> None:
        self.observers = list(observers)

    def run_started(self, run: RunStart) -> None:
        for observer in self.observers:
            observer.run_started(run)

    def step_started(self, start: StepStart) -> None:
        for observer in self.observers:
            observer.step_started(start)

    def step_finished(self, end: StepEnd) -> None:
        for observer in self.observers:
            observer.step_finished(end)

    def secret_shown(self, step: str | None, label: str) -> None:
        for observer in self.observers:
            observer.secret_shown(step, label)

    def secret_delivered(self, step: str | None, label: str, where: str) -> None:
        for observer in self.observers:
            observer.secret_delivered(step, label, where)

    def destroyed(self, step: str | None, what: str) -> None:
        for observer in self.observers:
            observer.destroyed(step, what)

    def run_finished(self, end: RunEnd) -> None:
        for observer in self.observers:
            observer.run_finished(end)
