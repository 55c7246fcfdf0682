"""Screen K0: "Sign In Now!", its refusal dialog, and the one-time-code step."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pages._base import Screen
from pages._find import Control, by_label, by_placeholder, by_role, by_text
from pages.gravitee.sign_in import refusal_strategies

if TYPE_CHECKING:
    from playwright.sync_api import Page

__all__ = ["LoginFailedDialog", "OneTimeCodePage", "SignInPage"]


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text[-1:] in (".", "!", "?") else text + "."


class LoginFailedDialog(Screen):
    """What a refused sign-in opens: "Login Failed", or the lock-out notice."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        ok = page.get_by_role("button", name=re.compile(r"^ok$", re.I))
        self.root_control = Control(
            "the Login Failed dialog",
            ("alertdialog", page.get_by_role("alertdialog")),
            ("a dialog with an OK button", page.get_by_role("dialog").filter(has=ok)),
        )
        self.root = self.root_control.any
        self.title = self.root.get_by_role("heading")
        # Only the paragraphs shown: role queries skip hidden ones.
        self.paragraphs = self.root.get_by_role("paragraph")
        self.ok_button = self.root.get_by_role("button", name=re.compile(r"^ok$", re.I))

    def reason(self) -> str:
        """The title and the message as one line ("Login Failed: Please recheck ..."); "" when
        the dialog says nothing that can be read."""
        if self.title.count():
            title = " ".join(self.title.first.inner_text().split())
            texts = self.paragraphs.all_inner_texts()
        else:  # no heading: the dialog's lines, its buttons left out
            buttons = {b.strip().lower() for b in self.root.get_by_role("button").all_inner_texts()}
            lines = [line.strip() for line in self.root.inner_text().splitlines()]
            lines = [line for line in lines if line and line.lower() not in buttons]
            title, texts = (lines[0], lines[1:]) if lines else ("", [])
        message = " ".join(_sentence(t) for t in texts if t.strip())
        if not title:
            return message
        return f"{title}: {message}" if message else title

    def dismiss(self) -> None:
        """Click OK."""
        self.ok_button.click()


class SignInPage(Screen):
    """Email Address, Password, Sign In (the vendor's labels, also its placeholders)."""

    PATH = "/sign-in"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.heading_control = Control(
            "the Sign In Now! page",
            by_role(page, "heading", "Sign In Now!"),
            by_text(page, "Sign In Now!"),
        )
        self.heading = self.heading_control.any
        # The vendor's form has placeholders; a label, where there is one, names the same box.
        self.email_control = Control(
            "the Email Address field",
            by_label(page, "Email Address"),
            by_placeholder(page, "Email Address"),
            ("the field for an email address", page.locator("input[type=email]")),
        )
        self.password_control = Control(
            "the Password field",
            by_label(page, "Password"),
            by_placeholder(page, "Password"),
            ("the field for a password", page.locator("input[type=password]")),
        )
        self.submit_control = Control(
            "the Sign In button",
            by_role(page, "button", "Sign In"),
            by_role(page, "button", re.compile(r"^sign in$", re.I)),
        )
        self.email = self.email_control.any
        self.password = self.password_control.any
        self.submit = self.submit_control.any
        self.failure = LoginFailedDialog(page)

    def open(self) -> SignInPage:
        """Go to the sign-in page."""
        self.page.goto(self.PATH)
        return self.wait_until_loaded()

    def wait_until_loaded(self) -> SignInPage:
        """Wait for "Sign In Now!"."""
        self.heading_control.find()
        return self

    def sign_in(self, email: str, password: str) -> None:
        """Fill in the credentials and click Sign In; the portal decides what comes next."""
        self.email_control.find().fill(email)
        self.password_control.find().fill(password)
        self.submit_control.find().click()


class OneTimeCodePage(Screen):
    """Two-factor sign-in: the six-digit code from an authenticator app.

    The vendor documents the step and its error ("Invalid or expired OTP"), not its
    labels: the code box is found by any of the usual names for it, or by what it is for.
    """

    ERROR = "Invalid or expired OTP"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        code = re.compile(r"\bOTP\b|one-time|verification code|authentication code", re.I)
        self.code_control = Control(
            "the one-time code field",
            by_role(page, "textbox", code, exact=False),
            ("a field for a one-time code", page.locator("input[autocomplete=one-time-code]")),
        )
        self.code = self.code_control.any
        self.verify_control = Control(
            "the button that sends the code",
            by_role(page, "button", re.compile(r"^(Verify|Submit)$")),
            by_role(
                page, "button", re.compile(r"^(verify|submit|continue|confirm|sign in)$", re.I)
            ),
            (
                "the submit button of the form with the code",
                page.locator("form").filter(has=self.code).locator("[type=submit]"),
            ),
        )
        self.verify_button = self.verify_control.any
        self.error_control = Control("the one-time code's refusal", *refusal_strategies(page))
        self.error = self.error_control.any

    def wait_until_loaded(self) -> OneTimeCodePage:
        """Wait for the code box."""
        self.code_control.find()
        return self

    def enter_code(self, code: str) -> None:
        """Type the code and submit it; the portal decides what comes next."""
        self.code_control.find().fill(code)
        self.verify_control.find().click()

    def error_text(self) -> str:
        """The refusal shown with the code box ("" when nothing can be read)."""
        found = self.error_control.now()
        return " ".join((found.inner_text() if found else "").split())
