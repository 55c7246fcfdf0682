"""What a check records of each documented step: its result, its structure, its drift.

`CheckObserver` is told of the run like every record keeper; `snapshot` is
called by the check mode before each step acts, and compares the aria
snapshot of the region the step acts in (`Step.screen`) with its baseline.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from runbooks._baselines import BaselineStore, Comparison
from runbooks._drift import Drift, StepResult, classify
from runbooks._model import Runbook, Step
from runbooks._modes import Turn
from runbooks._observers import Observer, RunStart, StepEnd

__all__ = ["CheckObserver", "region"]

#: How long a region may take to settle before its snapshot is taken anyway (ms).
SETTLE_MS = 5_000


def region(page: Page, screen: str) -> Locator:
    """The region `screen` names: ``role:accessible name`` (``dialog:Create Token``) or a role.

    The role and the accessible name are assumptions (the guides name a section or a
    dialog by its title, never its markup), so each has a fallback, as the page objects'
    locators do: a dialog showing the title; the part of the page around the title's
    heading or text that holds a table. The page's ``main``
    landmark is an assumption too: the whole page stands in when there is none.
    """
    from pages._find import section

    role, _, name = screen.partition(":")
    if not name:
        landmark = page.get_by_role(role)  # type: ignore[arg-type]
        return landmark if landmark.count() == 1 else page.locator("body")
    pattern = re.compile(rf"^\s*{re.escape(name)}\s*$", re.IGNORECASE)
    ways = [page.get_by_role(role, name=pattern)]  # type: ignore[arg-type]
    if role in ("dialog", "alertdialog"):
        dialogs = page.get_by_role("dialog").or_(page.get_by_role("alertdialog"))
        ways.append(dialogs.filter(has=page.get_by_text(pattern)))
    else:
        holds = ".//table or .//*[@role='table' or @role='grid']"
        ways += [locator for _, locator in section(page, name, holds)[1:]]
    for way in ways:
        if way.count():
            return way
    return ways[0]


#: Whether no finite animation or transition is running. A component library's tab panel
#: slides in while the one it replaces slides out, both in the tree until the transition
#: ends; an endless one (a spinner) never ends, and is not waited for.
_STILL = """() => document.getAnimations().every(
    (a) => a.playState !== "running" || !a.effect
        || a.effect.getComputedTiming().endTime === Infinity)"""


def settle(page: Page, timeout_ms: float = SETTLE_MS) -> bool:
    """Wait until the page has no request in flight and nothing moving.

    Returns:
        False if a request was still in flight after `timeout_ms` (a slow page); an
        animation still running then is taken as it is.
    """
    try:
        # A real condition, not a pause: the portals render once their data requests end.
        page.wait_for_load_state("networkidle", timeout=timeout_ms)
    except PlaywrightError:
        return False
    # An animation longer than the run's timeout is part of the page: taken as it is.
    with contextlib.suppress(PlaywrightError):
        page.wait_for_function(_STILL, timeout=timeout_ms)
    return True


def settled_snapshot(page: Page, screen: str, timeout_ms: float = SETTLE_MS) -> str | None:
    """The region's aria snapshot once the page has settled; None if there is no such region."""
    settle(page, timeout_ms)
    try:
        found = region(page, screen)
        if found.count() == 0:
            return None
        return found.first.aria_snapshot(timeout=timeout_ms)
    except PlaywrightError:
        return None


class CheckObserver(Observer):
    """Keeps one check's step results.

    Args:
        runbook: The runbook checked.
        portal: What the reports call the portal (the target, and the gateway).
        store: The structure baselines; None compares nothing.
        update: Write candidates for every snapshot that differs (`--update-baselines`).
        timeout_ms: The run's timeout: a page still loading after it is slow.
    """

    def __init__(
        self,
        runbook: Runbook,
        portal: str,
        store: BaselineStore | None,
        *,
        update: bool = False,
        timeout_ms: float = SETTLE_MS,
    ) -> None:
        self.timeout_ms = timeout_ms
        #: Steps whose page was still loading when the run's timeout had passed.
        self.unsettled: set[str] = set()
        self.runbook = runbook
        self.portal = portal
        self.store = store
        self.update = update
        self.guide_url = _url(runbook.guide)
        self.results: list[StepResult] = []
        self.structure: dict[str, Comparison] = {}
        #: Each step's raw snapshot, for `--update-baselines` once the step has found its way.
        self.snapshots: dict[str, str] = {}
        self.folder: Path | None = None

    def snapshot(self, step: Step, turn: Turn) -> None:
        """Compare the region `step` acts in with its baseline (before the step acts)."""
        if self.store is None or step.screen is None:
            return
        if not settle(turn.ctx.page, self.timeout_ms):
            self.unsettled.add(step.number)
        text = settled_snapshot(turn.ctx.page, step.screen, self.timeout_ms)
        if text is None:
            return  # the step itself says what is missing
        self.snapshots[step.number] = text
        self.structure[step.number] = self.store.compare(self.runbook.name, step.number, text)

    def run_started(self, run: RunStart) -> None:
        self.folder = run.folder

    def step_finished(self, end: StepEnd) -> None:
        if not end.acted:
            return  # left out by the check: nothing to report of it
        result = StepResult(
            self.runbook.name,
            self.portal,
            end.step.number,
            end.step.text,
            guide_url=self.guide_url,
            duration=end.seconds,
        )
        if end.decision.kind == "rehearse":
            result.notes.append("rehearsed: nothing was changed")
        if end.note:
            result.notes.append(end.note)
        if end.status == "failed" and end.error is not None:
            appeared = self._appeared_later(end)
            classified = classify(end.error, appeared_later=appeared)
            result.kind = classified.kind
            result.expected = classified.expected or str(end.error)
            result.found = classified.found
            result.screenshot = self._screenshot(end.step)
        if self.update:
            self._update(end)
        self._structure(end.step, result)
        if result.kind is None:
            self._ways(end, result)
        self.results.append(result)

    def _update(self, end: StepEnd) -> None:
        """`--update-baselines`: a candidate where the structure or the ways differ."""
        snapshot = self.snapshots.get(end.step.number)
        if self.store is None or snapshot is None:
            return
        ways = dict(end.found) if end.status != "failed" else None
        self.structure[end.step.number] = self.store.update(
            self.runbook.name, end.step.number, snapshot, text=end.step.text, ways=ways
        )

    def _ways(self, end: StepEnd, result: StepResult) -> None:
        """Found, but no longer the way the baseline was: the early warning of drift."""
        if self.store is None or self.update or end.step.screen is None:
            return
        reviewed = self.store.ways(self.runbook.name, end.step.number)
        later = [
            (what, reviewed[what], now)
            for what, now in end.found.items()
            if what in reviewed and now.rank > reviewed[what].rank
        ]
        if later:
            result.kind = Drift.FALLBACK_ONLY
            result.expected = "; ".join(f"{what} found by {was.how}" for what, was, _ in later)
            result.found = "; ".join(f"{what} only by {now.how}" for what, _, now in later)

    def _structure(self, step: Step, result: StepResult) -> None:
        comparison = self.structure.get(step.number)
        if comparison is None:
            return
        if comparison.status != "match" or comparison.candidate is not None:
            result.notes.append(comparison.summary())
        if comparison.status == "changed" and result.kind is None and not self.update:
            result.kind = Drift.STRUCTURE_CHANGED
            result.expected = f"the structure in {comparison.baseline.name}"
            result.found = "a different structure (see the diff)"
            result.diff = comparison.diff

    def _appeared_later(self, end: StepEnd) -> bool:
        """After a control did not appear: is the step's region as its baseline, given time?"""
        if end.step.number in self.unsettled:
            return True
        comparison = self.structure.get(end.step.number)
        if end.page is None or end.step.screen is None or self.store is None:
            return False
        if comparison is not None and comparison.status == "match":
            return False  # it was there when the step began: not slowness
        text = settled_snapshot(end.page, end.step.screen, 3 * self.timeout_ms)
        if text is None:
            return False
        return self.store.compare(self.runbook.name, end.step.number, text).status == "match"

    def _screenshot(self, step: Step) -> Path | None:
        if self.folder is None:
            return None
        path = self.folder / "screenshots" / f"step-{step.number}-failed.png"
        return path if path.exists() else None


def _url(guide: str) -> str:
    found = re.search(r"https?://\S+", guide)
    return found.group(0) if found else ""
