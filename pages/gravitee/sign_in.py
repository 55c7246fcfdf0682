"""Screen G0: the Gravitee Cloud sign-in page (served on its own origin)."""

from __future__ import annotations

from playwright.sync_api import Page

from pages._waits import expect_visible

__all__ = ["SignInPage"]


class SignInPage:
    """Sign in with email and password; Google, GitHub and SSO are also offered."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="Sign in", exact=True)
        self.email = page.get_by_label("Email", exact=True)
        self.password = page.get_by_label("Password", exact=True)
        self.submit = page.get_by_role("button", name="Sign in", exact=True)
        self.google = page.get_by_role("button", name="Google")
        self.github = page.get_by_role("button", name="GitHub")
        self.sso = page.get_by_role("link", name="Sign in with your company SSO")
        self.error = page.get_by_role("alert")

    def wait_until_loaded(self) -> SignInPage:
        """Wait for the sign-in form."""
        expect_visible(self.heading, "the Sign in page")
        return self

    def sign_in(self, email: str, password: str) -> None:
        """Fill in the credentials and submit; the portal decides what comes next."""
        self.email.fill(email)
        self.password.fill(password)
        self.submit.click()
