"""Screen K0: "Sign In Now!", its refusal dialog, and the one-time-code step."""

from __future__ import annotations

import re

from playwright.sync_api import Page

from pages._waits import expect_visible

__all__ = ["LoginFailedDialog", "OneTimeCodePage", "SignInPage"]


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text[-1:] in (".", "!", "?") else text + "."


class LoginFailedDialog:
    """What a refused sign-in opens: "Login Failed", or the lock-out notice."""

    def __init__(self, page: Page) -> None:
        self.root = page.get_by_role("alertdialog")
        self.title = self.root.get_by_role("heading")
        # Only the paragraphs shown: role queries skip hidden ones.
        self.paragraphs = self.root.get_by_role("paragraph")
        self.ok_button = self.root.get_by_role("button", name="OK", exact=True)

    def reason(self) -> str:
        """The title and the message, as one line: "Login Failed: Please recheck ..."."""
        title = " ".join(self.title.inner_text().split())
        message = " ".join(_sentence(t) for t in self.paragraphs.all_inner_texts() if t.strip())
        return f"{title}: {message}" if message else title

    def dismiss(self) -> None:
        """Click OK."""
        self.ok_button.click()


class SignInPage:
    """Email Address, Password, Sign In (the vendor's labels, also its placeholders)."""

    PATH = "/sign-in"

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="Sign In Now!", exact=True)
        # The vendor's form has placeholders; a label, where there is one, names the same box.
        self.email = page.get_by_label("Email Address", exact=True).or_(
            page.get_by_placeholder("Email Address", exact=True)
        )
        self.password = page.get_by_label("Password", exact=True).or_(
            page.get_by_placeholder("Password", exact=True)
        )
        self.submit = page.get_by_role("button", name="Sign In", exact=True)
        self.failure = LoginFailedDialog(page)

    def open(self) -> SignInPage:
        """Go to the sign-in page."""
        self.page.goto(self.PATH)
        return self.wait_until_loaded()

    def wait_until_loaded(self) -> SignInPage:
        """Wait for "Sign In Now!"."""
        expect_visible(self.heading, "the Sign In Now! page")
        return self

    def sign_in(self, email: str, password: str) -> None:
        """Fill in the credentials and click Sign In; the portal decides what comes next."""
        self.email.fill(email)
        self.password.fill(password)
        self.submit.click()


class OneTimeCodePage:
    """Two-factor sign-in: the six-digit code from an authenticator app.

    The vendor documents the step and its error ("Invalid or expired OTP"), not its
    labels: the code box is found by any of the usual names for it.
    """

    ERROR = "Invalid or expired OTP"

    def __init__(self, page: Page) -> None:
        self.page = page
        # A role query, so that the step's box counts only while the step is shown.
        self.code = page.get_by_role(
            "textbox", name=re.compile(r"\bOTP\b|one-time|verification code", re.I)
        )
        self.verify_button = page.get_by_role("button", name=re.compile(r"^(Verify|Submit)$"))
        self.error = page.get_by_role("alert")

    def wait_until_loaded(self) -> OneTimeCodePage:
        """Wait for the code box."""
        expect_visible(self.code, "the one-time code field")
        return self

    def enter_code(self, code: str) -> None:
        """Type the code and submit it; the portal decides what comes next."""
        self.code.fill(code)
        self.verify_button.click()

    def error_text(self) -> str:
        """The refusal shown under the code box."""
        return " ".join(self.error.inner_text().split())
