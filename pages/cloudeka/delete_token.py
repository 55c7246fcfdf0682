"""Deleting a token from the token list: the row's delete control and its confirmation.

Not in the guide [I]: the control is found by its accessible name ("Delete",
as the replica and most portals word it), the confirmation by the dialog's
name and its Delete button.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page

from pages._waits import expect_visible
from pages.cloudeka.api_overview import TokenRow

__all__ = ["DeleteTokenDialog", "delete_token"]

_DELETE = re.compile(r"delete", re.IGNORECASE)


class DeleteTokenDialog:
    """The confirmation a delete asks for."""

    def __init__(self, page: Page) -> None:
        self.root = page.get_by_role("dialog", name=_DELETE)
        self.confirm_button = self.root.get_by_role("button", name="Delete", exact=True)
        self.error = self.root.get_by_role("alert")

    def wait_until_open(self) -> DeleteTokenDialog:
        """Wait for the confirmation."""
        expect_visible(self.root, "the Delete Token confirmation")
        return self

    def confirm(self) -> None:
        """Click Delete; wait until the confirmation closes."""
        self.confirm_button.click()
        self.root.wait_for(state="hidden")


def delete_token(row: TokenRow) -> None:
    """Delete the token of `row` (its delete control, then Delete).

    Raises:
        ControlNotFound: the row offers no delete control (the portal may not allow it).
    """
    control = row.row.get_by_role("button", name=_DELETE)
    expect_visible(control, "the token's Delete control")
    control.click()
    DeleteTokenDialog(row.row.page).wait_until_open().confirm()
