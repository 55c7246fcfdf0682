"""Screen K1: any Service Portal AI page, with the profile name in the top-right corner."""

from __future__ import annotations

import json
import re

from playwright.sync_api import Page

from pages._waits import expect_visible
from pages.cloudeka.api_overview import ApiOverviewPage

__all__ = ["PortalPage"]

_NAME = re.compile(r'^- button ("(?:[^"\\]|\\.)*")', re.M)


class PortalPage:
    """The signed-in portal's header: the profile name opens a menu containing API.

    Args:
        page: The browser page.
        profile_name: The account's display name, which names the profile button. A run
            does not know it beforehand; without it, the button is the header's one menu
            button (`aria-haspopup`: an accessibility contract, not the replica's markup).
    """

    PATH = "/"

    def __init__(self, page: Page, profile_name: str | None = None) -> None:
        self.page = page
        self.header = page.get_by_role("banner")
        self.profile_button = (
            self.header.get_by_role("button", name=profile_name, exact=True)
            if profile_name
            else self.header.locator("button[aria-haspopup='menu'], button[aria-haspopup='true']")
        )
        self.menu = page.get_by_role("menu")
        self.api_item = self.menu.get_by_role("menuitem", name="API", exact=True)

    def open(self) -> None:
        """Go to the portal's start page (a signed-out browser lands on "Sign In Now!")."""
        self.page.goto(self.PATH)

    def wait_until_loaded(self) -> PortalPage:
        """Wait for the profile name in the header."""
        expect_visible(self.profile_button, "your profile name in the top-right corner")
        return self

    def profile_name(self) -> str:
        """The profile button's accessible name (its text without decorations like initials)."""
        snapshot = self.profile_button.aria_snapshot()  # - button "Sandbox Operator"
        found = _NAME.search(snapshot)
        return json.loads(found.group(1)) if found else self.profile_button.inner_text().strip()

    def open_profile_menu(self) -> None:
        """Click the profile name; wait for its menu."""
        self.profile_button.click()
        expect_visible(self.api_item, "the profile menu's API item")

    def open_api(self) -> ApiOverviewPage:
        """Click the profile name, then API; return the API Overview page."""
        self.open_profile_menu()
        self.api_item.click()
        return ApiOverviewPage(self.page).wait_until_loaded()
