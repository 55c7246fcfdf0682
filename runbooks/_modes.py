"""Modes: who decides each step, and how.

A mode plans the steps and decides each one: perform it, rehearse it (its
non-destructive version), skip it with a reason, or stop the run. The step
loop only carries out decisions; a new mode (a nightly check, documentation
captures) is a new class here or in a test, not an `if` in the loop.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from runbooks._context import StepContext
from runbooks._errors import ConfirmationRefused, RunbookError, RunStopped
from runbooks._guided import Attendant, GuidedAttendant, Unattended
from runbooks._guided import Decision as Say
from runbooks._journal import JournalData
from runbooks._model import Preview, Runbook, Step

__all__ = [
    "Decision",
    "Mode",
    "PersonMode",
    "ResumeMode",
    "Turn",
    "done_before",
    "guided",
    "unattended",
]

Kind = Literal["perform", "rehearse", "skip", "stop"]


@dataclass(frozen=True)
class Decision:
    """What happens to one step.

    Args:
        kind: perform, rehearse, skip, or stop (the run ends before the step).
        reason: Why it is skipped (shown beside it) or stopped.
        done: A skipped step that counts as done (it was, by the run resumed).
        confirmation: What the person typed to allow a destructive step.
        what: What a destructive step destroys, in words (for the audit log).
        error: For stop: the error that ends the run.
    """

    kind: Kind
    reason: str | None = None
    done: bool = False
    confirmation: str | None = None
    what: str | None = None
    error: RunbookError | None = None

    @classmethod
    def perform(cls, *, confirmation: str | None = None, what: str | None = None) -> Decision:
        """Carry the step out."""
        return cls("perform", confirmation=confirmation, what=what)

    @classmethod
    def rehearse(cls) -> Decision:
        """Carry out its non-destructive version (`Step.rehearse`)."""
        return cls("rehearse")

    @classmethod
    def skip(cls, reason: str, *, done: bool = False) -> Decision:
        """Leave it out, saying why."""
        return cls("skip", reason=reason, done=done)

    @classmethod
    def stop(
        cls, error: RunbookError, *, confirmation: str | None = None, what: str | None = None
    ) -> Decision:
        """End the run before the step with `error`."""
        return cls("stop", reason=str(error), confirmation=confirmation, what=what, error=error)


@dataclass(frozen=True)
class Turn:
    """Where a step stands in its run, for a mode deciding it."""

    index: int
    plan: tuple[Step, ...]
    run_id: str
    ctx: StepContext

    @property
    def position(self) -> str:
        """`3 of 8`."""
        return f"{self.index} of {len(self.plan)}"


class Mode(Protocol):
    """Plans a run's steps and decides each one."""

    #: Someone watches and can act in the browser (guided runs).
    attended: bool

    def plan(self, runbook: Runbook, params: Mapping[str, Any]) -> tuple[Step, ...]:
        """The steps, in the order the run takes them."""
        ...

    def decide(self, step: Step, turn: Turn) -> Decision:
        """Perform, rehearse, skip or stop `step`."""
        ...

    def hand_off(self, message: str) -> bool:
        """Let the person act in the browser; False when nobody is there."""
        ...


class PersonMode:
    """Every step as planned, with an attendant's say-so (none for an unattended run).

    Args:
        attendant: Who says go: `Unattended` (a job) or `GuidedAttendant` (a person).
    """

    def __init__(self, attendant: Attendant) -> None:
        self.attendant = attendant
        self.attended = attendant.guided

    def plan(self, runbook: Runbook, params: Mapping[str, Any]) -> tuple[Step, ...]:
        return runbook.plan(params)

    def hand_off(self, message: str) -> bool:
        if not self.attended:
            return False
        self.attendant.hand_off(message)
        return True

    def decide(self, step: Step, turn: Turn) -> Decision:
        from playwright.sync_api import Error as PlaywrightError

        preview = None
        if step.preview is not None and (self.attended or step.destructive):
            # Needed to show the person, or to say in the audit log what was destroyed.
            preview = step.preview(turn.ctx)
        if self.attended and preview is not None and preview.element is not None:
            with contextlib.suppress(PlaywrightError):
                preview.element.highlight()
        said = self.attendant.before_step(step, turn.position, preview)
        if said is Say.STOP:
            return Decision.stop(
                RunStopped(f"stopped before step {step.number}; nothing of it was done")
            )
        if said is Say.SKIP:
            return Decision.skip("skipped by the person")
        preview = preview or Preview(step.text, word=step.number)
        if not (step.destructive and preview.word is not None):
            return Decision.perform()
        typed = self.attendant.confirm(step, preview)
        if self.attended and typed != (preview.word or "yes"):
            refused = ConfirmationRefused(
                f"step {step.number} was not done: you typed {typed!r}, the panel asked for "
                f"{preview.word!r}; nothing was changed"
            )
            return Decision.stop(refused, confirmation=typed, what=preview.text)
        return Decision.perform(confirmation=typed, what=preview.text)


def unattended() -> PersonMode:
    """A run from a terminal or a job: every step goes ahead as planned."""
    return PersonMode(Unattended())


def guided(attendant: GuidedAttendant) -> PersonMode:
    """An attended run: the person sees each step and says go."""
    return PersonMode(attendant)


class ResumeMode:
    """Continues an interrupted run: never repeats a step that changed the portal.

    Args:
        inner: How the steps that are done again are decided (unattended or guided).
        journal: The interrupted run's journal data.
    """

    def __init__(self, inner: Mode, journal: JournalData) -> None:
        self.inner = inner
        self.journal = journal
        self.attended = inner.attended

    def plan(self, runbook: Runbook, params: Mapping[str, Any]) -> tuple[Step, ...]:
        # The journal keeps the parameters, so the order is the interrupted run's.
        return self.inner.plan(runbook, params)

    def hand_off(self, message: str) -> bool:
        return self.inner.hand_off(message)

    def decide(self, step: Step, turn: Turn) -> Decision:
        if done_before(step, turn.plan, self.journal):
            return Decision.skip("done before; not repeated", done=True)
        return self.inner.decide(step, turn)


def _entry(journal: JournalData, number: str) -> Mapping[str, Any]:
    return next(s for s in journal["steps"] if s["number"] == number)


def done_before(step: Step, steps: tuple[Step, ...], journal: JournalData) -> bool:
    """Whether a resumed run skips `step`: it changed the portal and finished before.

    Steps that only look or navigate are done again (the new browser has to
    get back to where the run was). A step that showed a secret counts as done
    only once that secret was delivered; the step that closed its dialog
    counts as done as soon as the secret was delivered.
    """
    if not step.changes_portal:
        return False
    entry = _entry(journal, step.number)
    if step.conceals:
        index = steps.index(step)
        shown = [s for s in steps[:index] if s.reveals]
        return entry["status"] == "done" or (
            bool(shown) and bool(_entry(journal, shown[-1].number).get("delivered"))
        )
    if step.reveals:
        if entry.get("delivered"):
            return True  # the portal made it and its holder has it, even if the step then failed
        # A secret the run only used itself (an account token) is gone with the
        # old browser: unless its window closed, the step must show a new one.
        index = steps.index(step)
        closing = [s for s in steps[index:] if s.conceals]
        window_closed = not closing or _entry(journal, closing[0].number)["status"] == "done"
        return bool(entry["status"] == "done" and not entry.get("undelivered") and window_closed)
    return bool(entry["status"] == "done")
