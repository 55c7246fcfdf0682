"""Screen C1's way in: Settings, reached from the console's menu."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pages._base import Screen
from pages._find import Control, by_role, by_text
from pages.gravitee.account_tokens import AccountTokensPage

if TYPE_CHECKING:
    from playwright.sync_api import Page

__all__ = ["SettingsPage"]


class SettingsPage(Screen):
    """The account's Settings, with its sub-menu (General, Account tokens)."""

    PATH = "/settings"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        # The console's menu entry ("Select Settings from the menu").
        self.menu_control = Control(
            "the menu entry Settings",
            by_role(page, "link", "Settings"),
            by_role(page, "link", re.compile(r"^settings$", re.I)),
        )
        self.menu_entry = self.menu_control.any
        # The guides spell it "Account tokens" and "Account Tokens".
        entry = re.compile(r"^Account tokens$", re.IGNORECASE)
        self.account_tokens_control = Control(
            "the Account tokens page's entry",
            by_role(page, "link", entry),
            by_role(page, "tab", entry),
            by_role(page, "menuitem", entry),
            by_text(page, entry),
        )
        self.account_tokens_link = self.account_tokens_control.any
        # The page's title is not documented; what the guide names next on it is.
        self.heading_control = Control(
            "the Settings page",
            by_role(page, "heading", "Settings", level=1),
            ("the Account tokens entry", self.account_tokens_link),
        )
        self.heading = self.heading_control.any

    def open(self) -> SettingsPage:
        """Go to Settings by its address."""
        self.page.goto(self.PATH)
        return self.wait_until_loaded()

    def open_from_menu(self) -> SettingsPage:
        """Select Settings from the console's menu."""
        self.menu_control.find().click()
        return self.wait_until_loaded()

    def wait_until_loaded(self) -> SettingsPage:
        """Wait for Settings (its way to the Account tokens page)."""
        self.heading_control.find()
        return self

    def open_account_tokens(self) -> AccountTokensPage:
        """Go to the Account tokens page."""
        self.account_tokens_control.find().click()
        return AccountTokensPage(self.page).wait_until_loaded()
