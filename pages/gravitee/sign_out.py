"""Signing out of Gravitee Cloud: the header's sign-out link.

Not in the guides [I]: its words are an assumption, with the usual
alternative ("Log out") as a fallback.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page

from pages._waits import expect_visible
from pages.gravitee.sign_in import SignInPage

__all__ = ["SignOut"]

_WORDS = re.compile(r"^\s*(sign|log)\s*out\s*$", re.IGNORECASE)


class SignOut:
    """End the console session, so that its cookie no longer opens anything."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.link = page.get_by_role("link", name=_WORDS).or_(
            page.get_by_role("button", name=_WORDS)
        )
        self.signed_out = SignInPage(page).heading

    def sign_out(self) -> None:
        """Click sign out; wait for the sign-in page."""
        self.link.first.click()
        expect_visible(self.signed_out, "the Sign in page after signing out")
