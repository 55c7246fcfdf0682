"""The step loop: knows no mode and no record.

For each planned step the mode decides (perform, rehearse, skip, stop); the
loop carries the decision out, tells the observers, and hands the shown
secrets their cues. Every mode's run comes through here unchanged.
"""

from __future__ import annotations

import time
from typing import NoReturn

from pages import take_found
from runbooks._errors import RunbookError
from runbooks._failures import as_runbook_error
from runbooks._model import SkipStep, Step
from runbooks._modes import Decision, Mode, Turn
from runbooks._observers import Observer, StepEnd, StepOutcome, StepStart
from runbooks._run_context import RunContext
from runbooks._shown import ShownSecrets

__all__ = ["StepLoop"]


def _step_failures() -> tuple[type[Exception], ...]:
    """What a step's failure is: Playwright's, a failed expectation, or ours.

    Called only when an exception is matched: this module imports without
    Playwright (the engine's `check` serves `--dry-run`, which starts no browser).
    """
    from playwright.sync_api import Error as PlaywrightError

    return (PlaywrightError, AssertionError, RunbookError)


class StepLoop:
    """Runs planned steps under a mode.

    Args:
        mode: Decides each step.
        ctx: What the steps' actions get.
        shown: Owns the secrets the portal shows.
        observers: Keep the records.
        run_id: The run's id (modes name it in what they say).
    """

    def __init__(
        self,
        mode: Mode,
        ctx: RunContext,
        shown: ShownSecrets,
        observers: Observer,
        run_id: str,
    ) -> None:
        self.mode = mode
        self.ctx = ctx
        self.shown = shown
        self.observers = observers
        self.run_id = run_id

    def run(self, plan: tuple[Step, ...]) -> None:
        """Every step of `plan`, in order.

        Raises:
            RunbookError: a step failed, or the mode stopped the run.
        """
        for index, step in enumerate(plan, start=1):
            self.ctx.begin_step(step.number)
            try:
                decision = self.mode.decide(step, Turn(index, plan, self.run_id, self.ctx))
            except _step_failures() as exc:
                self._fail(step, index, Decision.perform(), time.monotonic(), exc)
            if decision.kind == "rehearse" and step.rehearse is None:
                # Never the real action in its place: that is what a rehearsal avoids.
                decision = Decision.skip("it has no rehearsal")
            if decision.kind == "stop":
                self._finish(step, index, "stopped", decision)
                assert decision.error is not None
                raise decision.error
            if decision.kind == "skip":
                status: StepOutcome = "done" if decision.done else "skipped"
                self._finish(step, index, status, decision, note=decision.reason)
                continue
            self._act(step, index, decision)

    def _act(self, step: Step, index: int, decision: Decision) -> None:
        action = step.rehearse if decision.kind == "rehearse" else step.action
        assert action is not None  # run() turned a missing rehearsal into a skip
        self.observers.step_started(StepStart(step, index, decision))
        self.shown.step_started(step)
        began = time.monotonic()
        try:
            action(self.ctx)
            self.shown.check_done(step)
        except SkipStep as skip:
            self._finish(step, index, "skipped", decision, began, note=str(skip))
            return
        except _step_failures() as exc:
            self._fail(step, index, decision, began, exc)
        note = "; ".join(self.ctx.notes) or None
        self._finish(step, index, "done", decision, began, note=note)
        self.shown.step_ended(step)

    def _fail(
        self, step: Step, index: int, decision: Decision, began: float, exc: Exception
    ) -> NoReturn:
        error = as_runbook_error(exc, step, self.ctx.target.url)
        error = self.ctx.server_errors.explain(error, step)
        self._finish(step, index, "failed", decision, began, error=error)
        # Nothing lost: a secret the portal showed once goes to its sink even
        # though the step failed after reading it.
        self.shown.salvage(step, error)
        raise error from None

    def _finish(
        self,
        step: Step,
        index: int,
        status: StepOutcome,
        decision: Decision,
        began: float | None = None,
        *,
        note: str | None = None,
        error: RunbookError | None = None,
    ) -> None:
        seconds = time.monotonic() - began if began is not None else 0.0
        page = self.ctx.page
        end = StepEnd(
            step,
            index,
            status,
            decision,
            seconds=seconds,
            note=note,
            error=error,
            page=page,
            masks=self.shown.masks,
            # Taken every step, so that a step is never credited with an earlier one's finds.
            found=take_found(page),
        )
        self.observers.step_finished(end)
