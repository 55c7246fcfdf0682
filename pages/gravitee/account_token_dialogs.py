"""Dialogs C2 (name the token), C3 ("Generate Token", shown once) and C4 (revoke)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from pages._waits import ControlNotFound, expect_visible

__all__ = ["GenerateAccountTokenDialog", "GeneratedTokenDialog", "RevokeAccountTokenDialog"]

_ACCOUNT_URL = re.compile(r"https?://[^\s/\"'<>]+/management/accounts/[^\s/\"'<>]+")
REVOKE_LABEL = "I understand the consequences, revoke this token"


class GeneratedTokenDialog:
    """Shows a new account token once, with a curl example holding the account's URL."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.root = page.get_by_role("dialog", name="Generate Token", exact=True)
        self.token_field = self.root.get_by_role("textbox")
        self.warning = self.root.get_by_text(re.compile("copy your Account Token", re.IGNORECASE))
        self.example = self.root.get_by_role("region", name="Example")
        self.copy_button = self.root.get_by_role("button", name="Copy", exact=True)
        self.close_button = self.root.get_by_role("button", name="Close", exact=True)

    def wait_until_open(self) -> GeneratedTokenDialog:
        """Wait for the dialog and for the token in it."""
        expect_visible(self.root, "the Generate Token dialog")
        expect(self.token_field).not_to_have_value("")
        return self

    def token(self) -> str:
        """The account token as shown."""
        return self.token_field.input_value().strip()

    def example_url(self) -> str:
        """The account URL in the Example section (`https://<env>/management/accounts/<id>`)."""
        expect_visible(self.example, "the Example section")
        found = _ACCOUNT_URL.search(self.example.inner_text())
        if found is None:
            raise ControlNotFound("the account URL in the Example section", _ACCOUNT_URL.pattern)
        return found.group(0)

    def close(self) -> None:
        """Click Close; the token cannot be shown again."""
        self.close_button.click()
        expect(self.root).to_be_hidden()


class GenerateAccountTokenDialog:
    """Asks for the new token's name; Generate stays disabled while it is empty."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.root = page.get_by_role("dialog", name="Generate Account Token", exact=True)
        self.name_field = self.root.get_by_role("textbox", name="Name")
        self.generate_button = self.root.get_by_role("button", name="Generate", exact=True)
        self.cancel_button = self.root.get_by_role("button", name="Cancel", exact=True)
        self.error = self.root.get_by_role("alert")

    def wait_until_open(self) -> GenerateAccountTokenDialog:
        """Wait for the dialog."""
        expect_visible(self.root, "the Generate Account Token dialog")
        return self

    def generate(self, name: str) -> None:
        """Name the token and click Generate; wait for the portal's answer.

        The answer is the Generate Token dialog, or, when the portal refuses
        (the limit of active tokens), `error` saying why.
        """
        self.name_field.fill(name)
        self.generate_button.click()
        shown = GeneratedTokenDialog(self.page).root
        expect_visible(shown.or_(self.error), "the Generate Token dialog")

    def error_text(self) -> str:
        """What the portal said when it refused, on one line."""
        return " ".join(self.error.inner_text().split())

    def cancel(self) -> None:
        """Close without generating."""
        self.cancel_button.click()
        expect(self.root).to_be_hidden()


class RevokeAccountTokenDialog:
    """Type the token's name in Confirm, then click the revoke button (C4)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        # Its title is not documented; its button is.
        self.root = page.get_by_role("dialog").filter(
            has=page.get_by_role("button", name=REVOKE_LABEL)
        )
        self.confirm_field = self.root.get_by_role("textbox", name="Confirm")
        self.revoke_button = self.root.get_by_role("button", name=REVOKE_LABEL)
        self.cancel_button = self.root.get_by_role("button", name="Cancel", exact=True)

    def wait_until_open(self) -> RevokeAccountTokenDialog:
        """Wait for the dialog."""
        expect_visible(self.root, "the revoke account token dialog")
        return self

    def type_name(self, name: str) -> None:
        """Enter the token's name in the Confirm field."""
        self.confirm_field.fill(name)

    def revoke(self) -> None:
        """Click "I understand the consequences, revoke this token"; wait for the dialog to go."""
        self.revoke_button.click()
        expect(self.root).to_be_hidden()

    def cancel(self) -> None:
        """Close without revoking."""
        self.cancel_button.click()
        expect(self.root).to_be_hidden()
