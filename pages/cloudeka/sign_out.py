"""Signing out of Service Portal AI: the profile menu's sign-out item.

Not in the guide [I]: the menu is the one the guide opens for API; the item's words are an
assumption ("Sign out", else the usual "Log out"), and so is its role: found as the API item
is, a menu item first, then a link, a list item or an option (component libraries render a
menu's items as any of those), then its text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pages._find import Control, by_role, by_text
from pages._waits import expect_visible
from pages.cloudeka.portal import PortalPage
from pages.cloudeka.sign_in import SignInPage

if TYPE_CHECKING:
    from playwright.sync_api import Page

__all__ = ["SignOut"]

_WORDS = re.compile(r"^\s*(sign|log)\s*out\s*$", re.IGNORECASE)


class SignOut:
    """End the portal session, so that its cookie no longer opens anything."""

    def __init__(self, page: Page, profile_name: str | None = None) -> None:
        self.portal = PortalPage(page, profile_name)
        self.control = Control(
            "the profile menu's Sign out item",
            by_role(self.portal.menu, "menuitem", _WORDS),
            by_role(page, "menuitem", _WORDS),
            by_role(page, "link", _WORDS),
            by_role(page, "listitem", _WORDS),
            by_role(page, "option", _WORDS),
            by_text(page, _WORDS),
        )
        self.signed_out = SignInPage(page).heading

    def sign_out(self) -> None:
        """Open the profile menu, click sign out; wait for the sign-in page."""
        self.portal.open_profile_menu()
        self.control.find().click()
        expect_visible(self.signed_out, "the sign-in page after signing out")
