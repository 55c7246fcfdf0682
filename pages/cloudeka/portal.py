"""Screen K1: any Service Portal AI page, with the profile name in the top-right corner."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from pages._base import Screen
from pages._find import Control, by_role, by_text
from pages.cloudeka.api_overview import ApiOverviewPage

if TYPE_CHECKING:
    from playwright.sync_api import Page

__all__ = ["PortalPage"]

_NAME = re.compile(r'^- button ("(?:[^"\\]|\\.)*")', re.M)
_MENU_BUTTON = "button[aria-haspopup='menu'], button[aria-haspopup='true']"


class PortalPage(Screen):
    """The signed-in portal's header: the profile name opens a menu containing API.

    Args:
        page: The browser page.
        profile_name: The account's display name, which names the profile button. A run
            does not know it beforehand; without it, the button is the header's one menu
            button (`aria-haspopup`: an accessibility contract, not the replica's markup).
    """

    PATH = "/"

    def __init__(self, page: Page, profile_name: str | None = None) -> None:
        super().__init__(page)
        self.header = page.get_by_role("banner")
        menu_button = ("the header's menu button", self.header.locator(_MENU_BUTTON))
        if profile_name:
            self.profile_control = Control(
                "your profile name in the top-right corner",
                by_role(self.header, "button", profile_name),
                by_role(self.header, "button", profile_name, exact=False),
            )
        else:
            self.profile_control = Control("your profile name in the top-right corner", menu_button)
        self.profile_button = self.profile_control.any
        self.menu = page.get_by_role("menu")
        # A menu's items: menuitem by ARIA; component libraries often render links or
        # list items in a popup instead.
        self.api_control = Control(
            "the profile menu's API item",
            by_role(self.menu, "menuitem", "API"),
            by_role(page, "menuitem", "API"),
            by_role(page, "link", "API"),
            by_role(page, "listitem", "API"),
            by_text(page, "API"),
        )
        self.api_item = self.api_control.any

    def open(self) -> None:
        """Go to the portal's start page (a signed-out browser lands on "Sign In Now!")."""
        self.page.goto(self.PATH)

    def wait_until_loaded(self) -> PortalPage:
        """Wait for the profile name in the header."""
        self.profile_control.find()
        return self

    def profile_name(self) -> str:
        """The profile button's accessible name (its text without decorations like initials)."""
        button = self.profile_control.find()
        snapshot = button.aria_snapshot()  # - button "Sandbox Operator"
        found = _NAME.search(snapshot)
        return (
            json.loads(found.group(1)) if found else " ".join((button.text_content() or "").split())
        )

    def open_profile_menu(self) -> None:
        """Click the profile name; wait for its menu."""
        self.profile_control.find().click()
        self.api_control.find()

    def open_api(self) -> ApiOverviewPage:
        """Click the profile name, then API; return the API Overview page."""
        self.open_profile_menu()
        self.api_control.find().click()
        return ApiOverviewPage(self.page).wait_until_loaded()
