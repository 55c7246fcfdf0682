"""Waiting for a page's own controls, with a name a person understands."""

from __future__ import annotations

from playwright.sync_api import Locator

from pages._find import Control, ControlNotFound

__all__ = ["ControlNotFound", "expect_visible"]


def expect_visible(locator: Locator, what: str, how: str = "") -> None:
    """Wait for `locator` to be visible; raise `ControlNotFound` naming `what`."""
    Control(what, (how or str(locator), locator)).find()
