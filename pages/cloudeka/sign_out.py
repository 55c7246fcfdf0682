"""Signing out of Service Portal AI: the profile menu's sign-out item.

Not in the guide [I]: the menu is the one the guide opens for API; the item's
words are an assumption, with the usual alternative ("Log out") as a fallback.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

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
        self.item = self.portal.menu.get_by_role("menuitem", name=_WORDS)
        self.signed_out = SignInPage(page).heading

    def sign_out(self) -> None:
        """Open the profile menu, click sign out; wait for the sign-in page."""
        self.portal.open_profile_menu()
        self.item.first.click()
        expect_visible(self.signed_out, "the sign-in page after signing out")
