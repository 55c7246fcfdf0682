"""K4 the "Create Token" form, K5 the notification, K6 the dialog with the Secret API Key."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import Page, expect

from pages._waits import expect_visible

__all__ = ["CreateTokenDialog", "Notification", "SecretApiKeyDialog"]


class CreateTokenDialog:
    """Token Name and Expired date (empty: the token never expires), then Confirm."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.root = page.get_by_role("dialog", name="Create Token")
        self.token_name = self.root.get_by_label("Token Name")
        # Not exact: the guide writes both "Expired date" and "Expired Date".
        self.expired_date = self.root.get_by_label("Expired date")
        self.confirm_button = self.root.get_by_role("button", name="Confirm", exact=True)
        self.cancel_button = self.root.get_by_role("button", name="Cancel", exact=True)
        self.error = self.root.get_by_role("alert")

    def wait_until_open(self) -> CreateTokenDialog:
        """Wait for the form."""
        expect_visible(self.root, "the Create Token form")
        return self

    def fill(self, name: str, expires: date | None) -> None:
        """Fill in the token details; no date leaves Expired date empty."""
        self.token_name.fill(name)
        self.expired_date.fill(expires.isoformat() if expires else "")

    def confirm(self) -> None:
        """Click Confirm; the portal answers with the new key or an error in the form."""
        self.confirm_button.click()

    def error_text(self) -> str:
        """Why the portal refused the details, as the form shows it."""
        return " ".join(self.error.inner_text().split())

    def cancel(self) -> None:
        """Close the form without creating anything."""
        self.cancel_button.click()
        expect(self.root).to_be_hidden()


class Notification:
    """A transient notification, e.g. "Token has been successfully created"."""

    CREATED = "Token has been successfully created"

    def __init__(self, page: Page, text: str = CREATED) -> None:
        self.text = text
        self.root = page.get_by_role("status").or_(page.get_by_role("alert")).filter(has_text=text)

    def wait_until_shown(self) -> None:
        """Wait for the notification."""
        expect_visible(self.root, f"the notification “{self.text}”")


class SecretApiKeyDialog:
    """Shows the new token's Secret API Key once, with Copy and Close."""

    def __init__(self, page: Page) -> None:
        self.page = page
        # The dialog's title is not documented; its Copy button is.
        self.root = page.get_by_role("dialog").filter(
            has=page.get_by_role("button", name="Copy", exact=True)
        )
        self.key_field = self.root.get_by_role("textbox")
        self.copy_button = self.root.get_by_role("button", name="Copy", exact=True)
        self.close_button = self.root.get_by_role("button", name="Close", exact=True)

    def wait_until_open(self) -> SecretApiKeyDialog:
        """Wait for the dialog and for the key in it."""
        expect_visible(self.root, "the dialog box showing the Secret API Key")
        expect(self.key_field).not_to_have_value("")
        return self

    def secret(self) -> str:
        """The Secret API Key as shown."""
        return self.key_field.input_value().strip()

    def copy(self) -> None:
        """Click Copy (the portal puts the key on the clipboard)."""
        self.copy_button.click()

    def close(self) -> None:
        """Click Close and wait for the dialog to go; the key is not shown again."""
        self.close_button.click()
        expect(self.root).to_be_hidden()
