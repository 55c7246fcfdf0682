"""Drift, classified: what a failing documented step means for whoever reads the report.

A nightly check (issue #11) turns whatever stopped a step into one `Drift`
kind, so that a report says "control missing at step 5" rather than a
traceback, and a scheduler can tell drift (the vendor changed the UI: exit 1)
from "could not check" (the portal or the browser was not there: exit 3).

`classify` reads exceptions from the runbook error tree, the page objects'
`ControlNotFound` and Playwright's own errors (by their documented messages:
strict mode violations, ``net::ERR_*``, closed targets, refused WebSocket
connections).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import Enum, IntEnum
from pathlib import Path
from typing import Literal

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from pages import ControlAmbiguous, ControlNotFound
from runbooks._errors import (
    BrowserError,
    PortalError,
    RunbookError,
    StepFailed,
    TargetError,
)

__all__ = ["Classified", "Drift", "Severity", "StepResult", "classify"]


class Severity(IntEnum):
    """How bad a result is; reports take the worst. Ordered: higher is worse."""

    OK = 0
    WARNING = 1
    UNCHECKED = 2  # could not check: says nothing about the portal's UI
    FAILURE = 3


class Drift(Enum):
    """Why a documented step did not check out, as a report names it."""

    CONTROL_MISSING = ("control missing", Severity.FAILURE)
    CONTROL_AMBIGUOUS = ("control ambiguous", Severity.FAILURE)
    FALLBACK_ONLY = ("found only by a fallback strategy", Severity.WARNING)
    STRUCTURE_CHANGED = ("structure changed", Severity.FAILURE)
    SLOW = ("slow", Severity.FAILURE)
    SIGN_IN_REFUSED = ("sign-in refused or expired", Severity.FAILURE)
    PORTAL_UNREACHABLE = ("portal unreachable", Severity.UNCHECKED)
    BROWSER_UNAVAILABLE = ("browser or browser server unavailable", Severity.UNCHECKED)
    TOOL_DEFECT = ("tool defect", Severity.FAILURE)

    def __init__(self, label: str, severity: Severity) -> None:
        self.label = label
        self.severity = severity

    @property
    def retryable(self) -> bool:
        """Whether `--retries` may try the step again (timing and lost browsers only)."""
        return self in (Drift.SLOW, Drift.BROWSER_UNAVAILABLE)


@dataclass(frozen=True)
class Classified:
    """A classification: the kind, and what was looked for and found, in words."""

    kind: Drift
    expected: str = ""
    found: str = ""


_SEVERAL = re.compile(r"\b(?P<n>\d+) controls match\b")
_STRICT = re.compile(r"strict mode violation: (?P<what>.+?) resolved to (?P<n>\d+) elements")
_NET = re.compile(r"net::(ERR_[A-Z_]+)")
_WAITING = re.compile(r"waiting for (.+)")
_CLOSED = (
    "Target page, context or browser has been closed",
    "Target closed",
    "Browser has been closed",
    "Browser closed",
    "Connection closed",
    "browser has disconnected",
)
_NO_SERVER = re.compile(
    r"(ECONNREFUSED|WebSocket error|connect ECONN|ws(s)?://\S+.*(refused|closed))"
)
_SIGN_IN = re.compile(r"sign-in|signed (this run )?out|session expired|credentials", re.I)
_NAVIGATION = re.compile(r"\b(goto|wait_for_url|wait_for_load_state|waiting for navigation)", re.I)


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def _from_playwright(exc: PlaywrightError) -> Classified:
    message = exc.message
    strict = _STRICT.search(message)
    if strict:
        return Classified(
            Drift.CONTROL_AMBIGUOUS,
            expected=f"one control: {strict['what']}",
            found=f"{strict['n']} controls match",
        )
    net = _NET.search(message)
    if net:
        return Classified(Drift.PORTAL_UNREACHABLE, found=net.group(1))
    if any(text in message for text in _CLOSED) or _NO_SERVER.search(message):
        return Classified(Drift.BROWSER_UNAVAILABLE, found=_first_line(message))
    if isinstance(exc, PlaywrightTimeout):
        if _NAVIGATION.search(message):
            return Classified(Drift.SLOW, found=_first_line(message))
        waiting = _WAITING.search(message)
        return Classified(
            Drift.CONTROL_MISSING,
            expected=waiting.group(1).strip() if waiting else "",
            found="nothing before the timeout",
        )
    return Classified(Drift.TOOL_DEFECT, found=_first_line(message))


def _from_message(message: str, appeared_later: bool) -> Classified:
    """Classify a `StepFailed` that kept only its words."""
    strict = _STRICT.search(message)
    if strict or "strict mode violation" in message:
        found = f"{strict['n']} controls match" if strict else message
        return Classified(Drift.CONTROL_AMBIGUOUS, found=found)
    several = _SEVERAL.search(message)  # pages.ControlAmbiguous, in its words
    if several:
        return Classified(Drift.CONTROL_AMBIGUOUS, found=f"{several['n']} controls match")
    net = _NET.search(message)
    if net:
        return Classified(Drift.PORTAL_UNREACHABLE, found=net.group(1))
    if "browser was closed" in message or any(text in message for text in _CLOSED):
        return Classified(Drift.BROWSER_UNAVAILABLE, found=message)
    if message.endswith("did not appear") or "did not appear (" in message:
        if appeared_later:
            return Classified(Drift.SLOW, expected=message, found="it appeared after the timeout")
        return Classified(Drift.CONTROL_MISSING, expected=message, found="nothing")
    return Classified(Drift.TOOL_DEFECT, found=message)


def classify(exc: BaseException, *, appeared_later: bool = False) -> Classified:
    """Classify what stopped a step.

    Args:
        exc: The exception the step raised (a `StepFailed` is looked through to
            its cause or context, else classified by its words).
        appeared_later: The caller looked again with a longer timeout after a
            timeout and the control was there: the portal is slow, not changed.

    Returns:
        The drift kind, with what was expected and what was found.
    """
    if isinstance(exc, StepFailed):
        # The engine raises StepFailed `from None`: the original is still its context.
        cause = exc.__cause__ or exc.__context__
        if cause is not None:
            return classify(cause, appeared_later=appeared_later)
        return _from_message(str(exc.args[0]) if exc.args else "", appeared_later)
    if isinstance(exc, ControlAmbiguous):
        return Classified(
            Drift.CONTROL_AMBIGUOUS,
            expected=f"one control: {exc.what}",
            found=f"{exc.count} controls match",
        )
    if isinstance(exc, ControlNotFound):
        kind = Drift.SLOW if appeared_later else Drift.CONTROL_MISSING
        found = "it appeared after the timeout" if appeared_later else "nothing"
        return Classified(kind, expected=f"{exc.what} ({exc.locator})", found=found)
    if isinstance(exc, PlaywrightError):
        classified = _from_playwright(exc)
        if appeared_later and classified.kind is Drift.CONTROL_MISSING:
            return Classified(Drift.SLOW, classified.expected, "it appeared after the timeout")
        return classified
    if isinstance(exc, TargetError):
        return Classified(Drift.PORTAL_UNREACHABLE, found=str(exc))
    if isinstance(exc, BrowserError):
        return Classified(Drift.BROWSER_UNAVAILABLE, found=str(exc))
    if isinstance(exc, PortalError):
        if _SIGN_IN.search(str(exc)):
            return Classified(Drift.SIGN_IN_REFUSED, found=str(exc))
        # The portal does not show what the guide names (a gateway, a row): missing.
        return Classified(Drift.CONTROL_MISSING, found=str(exc))
    if isinstance(exc, AssertionError) and "Locator expected" in str(exc):
        # expect(...) on a control that is there but not as documented (disabled, text).
        visible = "to be visible" in str(exc)
        kind = Drift.CONTROL_MISSING if visible else Drift.STRUCTURE_CHANGED
        return Classified(kind, found=_first_line(str(exc)))
    if isinstance(exc, StepFailed | RunbookError):
        return Classified(Drift.TOOL_DEFECT, found=str(exc))
    return Classified(Drift.TOOL_DEFECT, found=f"{type(exc).__name__}: {_first_line(str(exc))}")


Status = Literal["passed", "flaky", "warning", "unchecked", "failed"]


@dataclass
class StepResult:
    """One documented step of one check, as every report shows it.

    Attributes:
        runbook: The runbook's name ("gravitee-cloud-token").
        portal: The portal or target checked ("sandbox", a URL, a gateway).
        step: The guide's step number ("5").
        text: The guide's wording of the step.
        guide_url: A link to the vendor's guide.
        kind: Why it did not check out; None when it did.
        expected: What was looked for, in words.
        found: What was found instead.
        diff: The structure diff (`structure changed`), else empty.
        screenshot: A masked screenshot of the failure, if one was taken.
        trace: The run's trace, kept for failures.
        duration: Seconds the step took (retries included).
        retries: How many times it was tried again.
        notes: Anything else worth a line in a report.
    """

    runbook: str
    portal: str
    step: str
    text: str
    guide_url: str = ""
    kind: Drift | None = None
    expected: str = ""
    found: str = ""
    diff: str = ""
    screenshot: Path | None = None
    trace: Path | None = None
    duration: float = 0.0
    retries: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def severity(self) -> Severity:
        """The kind's severity; OK when the step checked out."""
        return self.kind.severity if self.kind else Severity.OK

    @property
    def flaky(self) -> bool:
        """It checked out, but only after a retry."""
        return self.kind is None and self.retries > 0

    @property
    def status(self) -> Status:
        """passed, flaky, warning, unchecked or failed."""
        if self.kind is None:
            return "flaky" if self.retries else "passed"
        if self.kind.severity is Severity.WARNING:
            return "warning"
        if self.kind.severity is Severity.UNCHECKED:
            return "unchecked"
        return "failed"

    def scrubbed(self, scrub: Callable[[str], str]) -> StepResult:
        """A copy with every text field passed through `scrub` (the run's redactor).

        Reports are written from scrubbed results: what a portal showed
        (`found`, `diff`) may hold a secret.
        """
        return replace(
            self,
            text=scrub(self.text),
            expected=scrub(self.expected),
            found=scrub(self.found),
            diff=scrub(self.diff),
            notes=[scrub(n) for n in self.notes],
        )

    def describe(self) -> str:
        """One line: step, kind, what was expected and found."""
        if self.kind is None:
            return f"step {self.step} ({self.text}): ok"
        parts = [f"step {self.step} ({self.text}): {self.kind.label}"]
        if self.expected:
            parts.append(f"expected {self.expected}")
        if self.found:
            parts.append(f"found {self.found}")
        return "; ".join(parts)
