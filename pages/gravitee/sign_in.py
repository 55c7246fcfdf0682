"""Screen G0: the Gravitee Cloud sign-in page (served on its own origin)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pages._base import Screen
from pages._find import SAYS_SOMETHING, Control, by_label, by_placeholder, by_role

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from pages._find import Strategy

__all__ = ["SignInPage", "refusal_strategies"]

# The element an invalid field names as its description (aria-describedby): where component
# libraries put a form's error when they give it no alert role.
_INVALID_FIELD_MESSAGE = "xpath=//*[@id = //*[@aria-invalid='true']/@aria-describedby]"
# An alert that says something, unless it is how a valid field describes itself: libraries
# announce a field's hint in the same live region as its errors (Vuetify's v-input details).
_ALERT_NOT_HINT = (
    "xpath=//*[@role='alert' and normalize-space()"
    " and not(@id and @id = //*[not(@aria-invalid='true')]/@aria-describedby)]"
)


def refusal_strategies(page: Page) -> tuple[Strategy, ...]:
    """Ways to find what a form says when it refuses: only elements that say something."""
    return (
        ("alert with text, not a valid field's hint", page.locator(_ALERT_NOT_HINT)),
        (
            "the message of a field marked invalid",
            page.locator(_INVALID_FIELD_MESSAGE).filter(has_text=SAYS_SOMETHING),
        ),
    )


class SignInPage(Screen):
    """Sign in with email and password; Google, GitHub and SSO are also offered.

    Documented: the page's "Sign in" wording, email and password fields, Google and GitHub
    sign-in, the "Sign in with your company SSO" link. The fields' exact labels and the
    submit button's words are not: they have fallbacks.
    """

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        password = page.locator("input[type=password]")
        self.heading_control = Control(
            "the Sign in page",
            by_role(page, "heading", "Sign in"),
            ("the password field", password),
        )
        self.email_control = Control(
            "the email field",
            by_label(page, "Email"),
            by_label(page, re.compile(r"^e-?mail( address)?$", re.I)),
            ("the field for an email address", page.locator("input[type=email]")),
            by_placeholder(page, re.compile("e-?mail", re.I)),
        )
        self.password_control = Control(
            "the password field",
            by_label(page, "Password"),
            ("the field for a password", password),
        )
        self.submit_control = Control(
            "the Sign in button",
            by_role(page, "button", "Sign in"),
            by_role(page, "button", re.compile(r"^(sign|log) ?in$", re.I)),
            (
                "the submit button of the form with the password",
                page.locator("form").filter(has=password).locator("[type=submit]"),
            ),
        )
        self.error_control = Control(
            "the sign-in refusal",
            *refusal_strategies(page),
        )
        self.heading = self.heading_control.any
        self.email = self.email_control.any
        self.password = self.password_control.any
        self.submit = self.submit_control.any
        self.google = page.get_by_role("button", name=re.compile(r"^(sign in with )?google$", re.I))
        self.github = page.get_by_role("button", name=re.compile(r"^(sign in with )?github$", re.I))
        self.sso = page.get_by_role("link", name="Sign in with your company SSO")
        self.error = self.error_control.any

    def wait_until_loaded(self) -> SignInPage:
        """Wait for the sign-in form."""
        self.heading_control.find()
        return self

    def sign_in(self, email: str, password: str) -> None:
        """Fill in the credentials and submit; the portal decides what comes next."""
        self.email_control.find().fill(email)
        self.password_control.find().fill(password)
        self.submit_control.find().click()

    def error_text(self) -> str:
        """What the page says about the refusal, on one line ("" when nothing can be read)."""
        found = self.error_control.now()
        return " ".join((found.inner_text() if found else "").split())
