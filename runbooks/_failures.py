"""Playwright's failures, said in one line that names the step."""

from __future__ import annotations

import re

from pages import PageError
from runbooks._errors import RunbookError, StepFailed, TargetError
from runbooks._model import Step

__all__ = ["as_runbook_error", "first_line"]

_WAITING_FOR = re.compile(r"waiting for (.+)")
_NET_ERROR = re.compile(r"net::(ERR_[A-Z_]+)")
#: How Playwright says the browser went away (closed, crashed, its connection dropped).
_BROWSER_GONE = ("has been closed", "Target crashed", "Browser closed", "Connection closed")


def first_line(error: BaseException | str) -> str:
    """The first line of an error's message (Playwright's run to a call log), or its type."""
    text = str(error).strip()
    if text:
        return text.splitlines()[0]
    return type(error).__name__ if isinstance(error, BaseException) else ""


def _what_was_looked_for(message: str) -> str:
    found = _WAITING_FOR.search(message)
    return found.group(1).strip() if found else first_line(message)


def as_runbook_error(exc: Exception, step: Step, url: str) -> RunbookError:
    """Turn a failure inside `step` (against the portal at `url`) into one clear error."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    if isinstance(exc, RunbookError):
        return exc
    message = str(exc)
    net = _NET_ERROR.search(message)
    if net:
        return TargetError(f"cannot reach {url} ({net.group(1)}); is the portal up?")
    if any(sign in message for sign in _BROWSER_GONE):
        return StepFailed("the browser was closed or lost", step=step.number, text=step.text)
    if isinstance(exc, PageError):  # says the control in the guide's words
        return StepFailed(str(exc), step=step.number, text=step.text)
    if "strict mode violation" in message:
        # Not missing: more than one control matched. Say so, with Playwright's words
        # (an `expect` puts them below its own first line).
        line = next(x for x in message.splitlines() if "strict mode violation" in x)
        return StepFailed(line.removeprefix("Error: ").strip(), step=step.number, text=step.text)
    if isinstance(exc, PlaywrightTimeout | AssertionError):
        looked_for = _what_was_looked_for(message)
        return StepFailed(f"{looked_for} did not appear", step=step.number, text=step.text)
    return StepFailed(first_line(exc), step=step.number, text=step.text)
