"""Waiting for a page's own controls, with a name a person understands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pages._find import Control, ControlNotFound, PageError

if TYPE_CHECKING:
    from playwright.sync_api import Locator

__all__ = ["ControlNotFound", "expect_state", "expect_visible"]

State = Literal["visible", "enabled", "disabled"]


def expect_visible(locator: Locator, what: str, how: str = "") -> None:
    """Wait for `locator` to be visible; raise `ControlNotFound` naming `what`."""
    Control(what, (how or str(locator), locator)).find()


def expect_state(locator: Locator, what: str, state: State = "visible") -> None:
    """Wait until `locator` is visible, enabled or disabled; fail naming `what`.

    Unlike :func:`expect_visible` this keeps Playwright's strictness as it is (a
    union of screens, `a.or_(b)`, is one wait), and only says in words what was
    awaited: "the Revoke Token button did not become disabled", never a locator.

    Raises:
        ControlNotFound: `locator` did not appear.
        PageError: it appeared but did not reach `state`.
    """
    from playwright.sync_api import expect

    try:
        if state == "visible":
            expect(locator).to_be_visible()
        elif state == "enabled":
            expect(locator).to_be_enabled()
        else:
            expect(locator).to_be_disabled()
    except AssertionError as exc:
        if "strict mode violation" in str(exc):
            raise  # the engine says how many matched, in Playwright's words
        if state != "visible" and locator.count():
            raise PageError(f"{what} is there but did not become {state}") from None
        raise ControlNotFound(what, str(locator)) from None
