"""Deleting a token from the token list: the row's delete control and its confirmation.

Not in the guide [I]: everything here is an assumption. The row's control is found by a name
like "Delete" first, else as the row's only button (an icon button, as component libraries
render it, often has no name at all); the confirmation by a dialog named like a delete, else
a dialog with a Delete button.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pages._find import Control, by_role, expect_gone

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from pages.cloudeka.api_overview import TokenRow

__all__ = ["DeleteTokenDialog", "delete_token"]

_DELETE = re.compile(r"delete|remove|revoke|trash", re.IGNORECASE)
_DELETE_BUTTON = re.compile(r"^\s*(delete|remove|revoke)\s*$", re.IGNORECASE)


class DeleteTokenDialog:
    """The confirmation a delete asks for."""

    def __init__(self, page: Page) -> None:
        dialogs = page.get_by_role("dialog").or_(page.get_by_role("alertdialog"))
        button = page.get_by_role("button", name=_DELETE_BUTTON)
        self.root_control = Control(
            "the Delete Token confirmation",
            by_role(page, "dialog", _DELETE, exact=False),
            ("a dialog with a Delete button", dialogs.filter(has=button)),
        )
        self.root = self.root_control.any
        self.confirm_control = Control(
            "the confirmation's Delete button",
            by_role(self.root, "button", "Delete"),
            by_role(self.root, "button", _DELETE_BUTTON),
        )

    def wait_until_open(self) -> DeleteTokenDialog:
        """Wait for the confirmation."""
        self.root_control.find()
        return self

    def confirm(self) -> None:
        """Click Delete; wait until the confirmation closes."""
        self.confirm_control.find().click()
        expect_gone(self.root, self.root_control.what)


def delete_token(row: TokenRow) -> None:
    """Delete the token of `row` (its delete control, then Delete).

    Raises:
        ControlNotFound: the row offers no delete control (the portal may not allow it).
    """
    control = Control(
        "the token's Delete control",
        by_role(row.row, "button", _DELETE, exact=False),
        ("the row's only button", row.row.get_by_role("button")),
    )
    control.find().click()
    DeleteTokenDialog(row.row.page).wait_until_open().confirm()
