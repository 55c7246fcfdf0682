"""The nightly check's record keeper: a result and a structure comparison per step (#11).

An `Observer` for the engine's step loop. For each step that ran it takes an
aria snapshot of the region the step left on screen, compares it with the
step's reviewed baseline (or writes a candidate, with ``update``), and keeps
a `StepResult`: passed, structure changed (with the diff), or the classified
failure with a masked screenshot. Reports are written from `results`
(`runbooks._reports`, `runbooks._report_html`) after the run.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from runbooks._baselines import BaselineStore, Comparison
from runbooks._drift import Drift, StepResult, classify
from runbooks._model import Step
from runbooks._observers import Observer, RunStart, StepEnd

__all__ = ["CheckObserver", "default_region"]

_URL = re.compile(r"https?://\S+")


def default_region(page: Page, step: Step) -> Locator:
    """Where a step's structure is read: the one open dialog, else the whole page.

    A dialog's role is an assumption the guides do not state, so the page is
    the fallback. `Step.screen` is not used yet: the definitions do not set it.
    """
    dialogs = page.get_by_role("dialog").filter(visible=True)
    return dialogs if dialogs.count() == 1 else page.locator("body")


class CheckObserver(Observer):
    """Keeps a `StepResult` per step that ran, comparing structure with baselines.

    Args:
        store: The baselines (with the run's secrets and redactor).
        update: Write candidates for changed or missing baselines (``--update-baselines``).
        portal: How reports name the portal; default: the target's URL.
        region: Picks the locator whose aria snapshot is compared after a step.
        screenshots: Where masked screenshots of failures go; none if None.
    """

    def __init__(
        self,
        store: BaselineStore,
        *,
        update: bool = False,
        portal: str | None = None,
        region: Callable[[Page, Step], Locator] = default_region,
        screenshots: Path | None = None,
    ) -> None:
        self.store = store
        self.update = update
        self.portal = portal
        self.region = region
        self.screenshots = screenshots
        self.results: list[StepResult] = []
        self.comparisons: list[Comparison] = []
        self._runbook = ""
        self._guide = ""

    def run_started(self, run: RunStart) -> None:
        self._runbook = run.runbook.name
        self.portal = self.portal or run.target.url
        found = _URL.search(run.runbook.guide)
        self._guide = found.group() if found else ""

    def step_finished(self, end: StepEnd) -> None:
        if end.status not in ("done", "failed"):
            return  # skipped or stopped: nothing was looked at
        result = StepResult(
            self._runbook,
            self.portal or "",
            end.step.number,
            end.step.text,
            self._guide,
            duration=end.seconds,
        )
        if end.status == "failed" and end.error is not None:
            classified = classify(end.error)
            result.kind, result.expected = classified.kind, classified.expected
            result.found = classified.found
            result.screenshot = self._screenshot(end)
        elif end.page is not None:
            self._compare(end.page, end.step, result)
        self.results.append(result)

    def _compare(self, page: Page, step: Step, result: StepResult) -> None:
        try:
            snapshot = self.region(page, step).aria_snapshot()
        except PlaywrightError as exc:
            result.notes.append(f"no structure read: {str(exc).splitlines()[0]}")
            return
        name = self._runbook
        if self.update:
            comparison = self.store.update(name, step.number, snapshot, text=step.text)
        else:
            comparison = self.store.compare(name, step.number, snapshot)
        self.comparisons.append(comparison)
        if comparison.status == "changed" and not self.update:
            result.kind = Drift.STRUCTURE_CHANGED
            result.expected = f"the reviewed structure ({comparison.baseline.name})"
            result.found = "another structure (see the diff)"
            result.diff = comparison.diff
        elif comparison.status != "match":
            result.notes.append(comparison.summary())

    def _screenshot(self, end: StepEnd) -> Path | None:
        if self.screenshots is None or end.page is None:
            return None
        path = self.screenshots / f"{self._runbook}-step-{end.step.number}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            end.page.screenshot(path=path, mask=list(end.masks))
        except PlaywrightError:
            return None  # the browser is gone: the drift says so already
        return path
