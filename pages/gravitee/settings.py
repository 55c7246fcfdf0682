"""Screen C1's way in: Settings, reached from the console's menu."""

from __future__ import annotations

import re

from playwright.sync_api import Page

from pages._waits import expect_visible
from pages.gravitee.account_tokens import AccountTokensPage

__all__ = ["SettingsPage"]


class SettingsPage:
    """The account's Settings, with its sub-menu (General, Account tokens)."""

    PATH = "/settings"

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="Settings", level=1, exact=True)
        # The console's menu entry ("Select Settings from the menu").
        self.menu_entry = page.get_by_role("link", name="Settings", exact=True)
        # The guides spell it "Account tokens" and "Account Tokens".
        self.account_tokens_link = page.get_by_role(
            "link", name=re.compile(r"^Account tokens$", re.IGNORECASE)
        )

    def open(self) -> SettingsPage:
        """Go to Settings by its address."""
        self.page.goto(self.PATH)
        return self.wait_until_loaded()

    def open_from_menu(self) -> SettingsPage:
        """Select Settings from the console's menu."""
        self.menu_entry.click()
        return self.wait_until_loaded()

    def wait_until_loaded(self) -> SettingsPage:
        """Wait for the Settings heading."""
        expect_visible(self.heading, "the Settings page")
        return self

    def open_account_tokens(self) -> AccountTokensPage:
        """Go to the Account tokens page."""
        self.account_tokens_link.click()
        return AccountTokensPage(self.page).wait_until_loaded()
