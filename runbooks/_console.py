"""The console reporter as an observer: the steps as they run, on the terminal."""

from __future__ import annotations

from runbooks._observers import Observer, RunEnd, RunStart, StepEnd, StepStart
from runbooks._output import Reporter

__all__ = ["ConsoleKeeper"]


class ConsoleKeeper(Observer):
    """Tells `Reporter` what happens: the header, each step's mark, the warnings."""

    def __init__(self, reporter: Reporter) -> None:
        self.reporter = reporter

    def run_started(self, run: RunStart) -> None:
        target = run.target
        self.reporter.run_started(run.runbook, target.label, target.sandbox, str(run.folder))
        for warning in run.warnings:
            self.reporter.warn(warning)

    def step_started(self, start: StepStart) -> None:
        self.reporter.step_started(start.step)

    def step_finished(self, end: StepEnd) -> None:
        if end.status == "stopped":
            return
        note = None if end.status == "failed" else end.note
        self.reporter.step_finished(end.step, end.status, end.seconds, note)

    def run_finished(self, end: RunEnd) -> None:
        if end.outcome == "succeeded":
            for warning in end.warnings:
                self.reporter.warn(warning)
