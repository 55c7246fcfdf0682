"""The observers that keep a run's records: the journal, the recorder, the audit log."""

from __future__ import annotations

from typing import Any

from runbooks._audit import AuditLog
from runbooks._journal import Journal, StepEntry
from runbooks._observers import Observer, RunEnd, StepEnd, StepStart
from runbooks._recording import Recorder
from runbooks._secrets import Redactor

__all__ = ["AuditKeeper", "JournalKeeper", "RecorderKeeper"]


class JournalKeeper(Observer):
    """Keeps `run.json`: each step's status, timing and notes, and the outcome."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal

    def step_started(self, start: StepStart) -> None:
        entry = self.journal.step(start.step.number)
        if start.decision.confirmation is not None:
            entry["confirmation"] = start.decision.confirmation
        if start.decision.what is not None:
            entry["what"] = start.decision.what
        self.journal.mark(start.step.number, "running")

    def step_finished(self, end: StepEnd) -> None:
        number = end.step.number
        if end.status == "stopped":
            if end.decision.confirmation is not None:
                self.journal.step(number)["confirmation"] = end.decision.confirmation
            self.journal.save()
            return
        if end.status == "done" and not end.acted:
            return  # done by the run this one resumes: its record stands
        fields: dict[str, Any] = {}
        if end.acted:
            fields["duration_s"] = round(end.seconds, 2)
            if end.page is not None:  # the nightly check's early warning of drift
                fields["strategies"] = {what: found.how for what, found in end.found.items()}
        if end.status != "failed":
            fields["note"] = end.note
        self.journal.mark(number, end.status, **fields)

    def secret_shown(self, step: str | None, label: str) -> None:
        if step is not None:
            self.journal.step(step)["undelivered"] = True
        self.journal.save()

    def secret_delivered(self, step: str | None, label: str, where: str) -> None:
        self.journal.data["delivered_to"] = where
        if step is not None:
            entry: StepEntry = self.journal.step(step)
            entry["undelivered"], entry["delivered"] = False, True
        self.journal.save()

    def run_finished(self, end: RunEnd) -> None:
        if (self.journal.path.parent / "trace.zip").exists():
            self.journal.data["trace"] = "trace.zip"
        self.journal.finish(end.outcome, end.error)


class RecorderKeeper(Observer):
    """A screenshot per step, named by its number; the trace, kept as the mode says."""

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder

    def step_finished(self, end: StepEnd) -> None:
        if end.page is None or not end.acted or end.status == "skipped":
            return
        name = f"step-{end.step.number}"
        if end.status == "failed":
            name += "-failed"
        self.recorder.screenshot(end.page, name, end.masks)

    def run_finished(self, end: RunEnd) -> None:
        self.recorder.finish(failed=end.outcome != "succeeded")


class AuditKeeper(Observer):
    """Two audit lines per destructive step (its intent, then its outcome) and one per run.

    The intent is written before the action: a process killed right after the
    portal committed a revoke leaves no outcome line, but the intent says what
    was about to be destroyed, by whom, confirmed how.
    """

    def __init__(self, audit: AuditLog, redactor: Redactor) -> None:
        self.audit = audit
        self._redactor = redactor
        self.finished = False

    def step_started(self, start: StepStart) -> None:
        if not start.step.destructive or start.decision.kind != "perform":
            return  # a rehearsal destroys nothing
        self.audit.record(
            "destructive-step-intent",
            step=start.step.number,
            what=start.decision.what,
            confirmation=start.decision.confirmation,
        )

    def step_finished(self, end: StepEnd) -> None:
        if not end.step.destructive or end.decision.kind == "rehearse":
            return  # a rehearsal destroys nothing
        decision, number = end.decision, end.step.number
        if end.status == "stopped" and decision.confirmation is not None:
            self.audit.record(
                "destructive-step",
                step=number,
                what=decision.what,
                confirmation=decision.confirmation,
                outcome="aborted",
            )
        elif end.status == "done" and end.acted:
            self.audit.record(
                "destructive-step",
                step=number,
                what=decision.what,
                confirmation=decision.confirmation,
                outcome="done",
            )
        elif end.status == "failed":
            self.audit.record(
                "destructive-step",
                step=number,
                confirmation=decision.confirmation,
                outcome="failed",
                error=self._redactor.scrub(str(end.error)),
            )

    def destroyed(self, step: str | None, what: str) -> None:
        self.audit.record(
            "destructive-step",
            step=step or "?",
            what=what,
            confirmation="(resume clean-up)",
            outcome="done",
        )

    def run_finished(self, end: RunEnd) -> None:
        if self.finished:
            return
        self.finished = True
        fields: dict[str, Any] = {"outcome": end.outcome}
        if end.error is not None:
            fields["error"] = self._redactor.scrub(end.error)
        self.audit.record("run", **fields)
