"""Waiting for a page's own controls, with a name a person understands."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, expect

__all__ = ["ControlNotFound", "expect_visible"]

_WAITING_FOR = re.compile(r"waiting for (.+)")


class ControlNotFound(AssertionError):
    """A control a page waits for did not appear.

    Args:
        what: The control in the guide's words ("the Cloud Tokens table").
        locator: How it was looked for (Playwright's description).
    """

    def __init__(self, what: str, locator: str) -> None:
        super().__init__(f"{what} did not appear (looked for {locator})")
        self.what = what
        self.locator = locator


def expect_visible(locator: Locator, what: str) -> None:
    """Wait for `locator` to be visible; raise `ControlNotFound` naming `what`."""
    try:
        expect(locator).to_be_visible()
    except AssertionError as exc:
        found = _WAITING_FOR.search(str(exc))
        raise ControlNotFound(what, found.group(1).strip() if found else str(locator)) from None
