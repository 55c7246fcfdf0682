"""Dialogs G3 ("Revoke Cloud Token") and G4 ("Copy your Cloud Token")."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from pages._waits import expect_visible

__all__ = ["CopyCloudTokenDialog", "RevokeCloudTokenDialog"]


class RevokeCloudTokenDialog:
    """Type the confirmation word, then Revoke Token (or Cancel)."""

    WORD = "revoke"

    def __init__(self, page: Page) -> None:
        self.page = page
        self.root = page.get_by_role("dialog", name="Revoke Cloud Token")
        # The dialog has one text box; its label is not documented.
        self.confirmation = self.root.get_by_role("textbox")
        self.revoke_button = self.root.get_by_role("button", name="Revoke Token")
        self.cancel_button = self.root.get_by_role("button", name="Cancel")

    def wait_until_open(self) -> RevokeCloudTokenDialog:
        """Wait for the pop-up."""
        expect_visible(self.root, "the Revoke Cloud Token pop-up window")
        return self

    def type_confirmation(self, word: str = WORD) -> None:
        """Type the confirmation word (the guide says: revoke)."""
        self.confirmation.fill(word)

    def revoke(self) -> None:
        """Click Revoke Token and wait for the pop-up to close."""
        self.revoke_button.click()
        expect(self.root).to_be_hidden()

    def cancel(self) -> None:
        """Close the pop-up without revoking."""
        self.cancel_button.click()
        expect(self.root).to_be_hidden()


class CopyCloudTokenDialog:
    """Shows a new Cloud token once; Copy and Close puts it on the clipboard."""

    WARNING = "Store your Cloud token somewhere secure."

    def __init__(self, page: Page) -> None:
        self.page = page
        self.root = page.get_by_role("dialog", name="Copy your Cloud Token")
        self.token_field = self.root.get_by_role("textbox")
        self.warning = self.root.get_by_text(self.WARNING)
        self.copy_and_close_button = self.root.get_by_role("button", name="Copy and Close")

    def wait_until_open(self) -> CopyCloudTokenDialog:
        """Wait for the pop-up and for the token in it."""
        expect_visible(self.root, "the Copy your Cloud Token pop-up window")
        expect(self.token_field).not_to_have_value("")
        return self

    def token(self) -> str:
        """The token as shown in the pop-up."""
        return self.token_field.input_value().strip()

    def copy_and_close(self) -> None:
        """Click Copy and Close and wait for the pop-up to close."""
        self.copy_and_close_button.click()
        expect(self.root).to_be_hidden()
