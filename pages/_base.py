"""What every screen and every shown-once secret dialog have in common."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pages._find import SAYS_SOMETHING, ControlNotFound, expect_gone, read_value

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

    from pages._find import Control, Strategy

__all__ = ["Screen", "SecretDialog", "secret_value_strategies"]


class Screen:
    """A screen or dialog of a portal: its page and the controls it looks for.

    Args:
        page: The browser page.
    """

    def __init__(self, page: Page) -> None:
        self.page = page


def secret_value_strategies(root: Locator) -> tuple[Strategy, ...]:
    """Ways to find where a dialog shows a value once: a read-only box, else a code block."""
    return (
        ("the dialog's text box", root.get_by_role("textbox")),
        ("the dialog's code", root.locator("code")),
        ("the dialog's preformatted text", root.locator("pre")),
    )


class SecretDialog(Screen):
    """A dialog that shows a new secret once (a token, a key) until it is closed.

    Subclasses set `root_control` (the dialog) and `value_control` (where the value shows).
    """

    root_control: Control
    value_control: Control

    @property
    def root(self) -> Locator:
        """The dialog, for `expect` and `is_visible`."""
        return self.root_control.any

    def _wait_for_value(self) -> None:
        from playwright.sync_api import expect

        self.root_control.find()
        shown = self.value_control.find()
        what = self.value_control.what
        try:
            if str(shown.evaluate("el => el.tagName")).lower() in ("input", "textarea"):
                expect(shown).not_to_have_value(re.compile(r"^\s*$"))
            else:
                expect(shown).to_have_text(SAYS_SOMETHING)
        except AssertionError:
            raise ControlNotFound(what, [f"{what}, not empty"]) from None

    def value(self) -> str:
        """The secret as shown (spaces and line breaks of the layout removed)."""
        return read_value(self.value_control.find())

    def wait_until_closed(self) -> None:
        """Wait for the dialog to go (its close animation included)."""
        expect_gone(self.root, self.root_control.what)
