"""Signing out of Gravitee Cloud: the console's sign-out control.

Not in the guides [I]: everything here is an assumption. The words ("Sign out", else the usual
"Log out") are tried as the control's accessible name first; an Angular Material console shows
an icon button whose only words are its tooltip (an `aria-describedby` message, no name), so the
tooltip and a `title` come next, and a link to a sign-out address last.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pages._find import Control, by_role
from pages._waits import expect_visible
from pages.gravitee.sign_in import SignInPage

if TYPE_CHECKING:
    from playwright.sync_api import Page

__all__ = ["SignOut"]

_WORDS = re.compile(r"^\s*(sign|log)\s*out\s*$", re.IGNORECASE)

# A link or button whose description (a Material tooltip's hidden message) says sign/log out.
_LOWER = "translate(normalize-space(.), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
_TOOLTIP = (
    "xpath=//*[self::a or self::button or @role='button' or @role='link' or @role='menuitem']"
    f"[@aria-describedby = //*[{_LOWER} = 'sign out' or {_LOWER} = 'log out'"
    f" or {_LOWER} = 'logout' or {_LOWER} = 'signout']/@id]"
)
_HREF = 'a[href*="logout" i], a[href*="log-out" i], a[href*="signout" i], a[href*="sign-out" i]'


class SignOut:
    """End the console session, so that its cookie no longer opens anything."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.control = Control(
            "the console's Sign out",
            by_role(page, "link", _WORDS),
            by_role(page, "button", _WORDS),
            by_role(page, "menuitem", _WORDS),
            ("a control whose tooltip says sign out", page.locator(_TOOLTIP)),
            ("a control titled sign out", page.get_by_title(_WORDS)),
            ("a link to a sign-out address", page.locator(_HREF)),
        )
        self.signed_out = SignInPage(page).heading

    def sign_out(self) -> None:
        """Click sign out; wait for the sign-in page."""
        self.control.find().click()
        expect_visible(self.signed_out, "the Sign in page after signing out")
