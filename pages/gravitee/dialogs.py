"""Dialogs G3 ("Revoke Cloud Token") and G4 ("Copy your Cloud Token")."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pages._base import Screen, SecretDialog, secret_value_strategies
from pages._find import Control, by_role, expect_gone

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from pages._find import Strategy

__all__ = ["CopyCloudTokenDialog", "RevokeCloudTokenDialog", "dialog_strategies"]


def dialog_strategies(page: Page, title: str, button: str) -> tuple[Strategy, ...]:
    """A dialog the guide names: by its accessible name, its title's text, its button."""
    dialogs = page.get_by_role("dialog").or_(page.get_by_role("alertdialog"))
    return (
        by_role(page, "dialog", title),
        (f"a dialog showing {title!r}", dialogs.filter(has=page.get_by_text(title, exact=True))),
        (
            f"a dialog with the button {button!r}",
            dialogs.filter(has=page.get_by_role("button", name=button)),
        ),
    )


class RevokeCloudTokenDialog(Screen):
    """Type the confirmation word, then Revoke Token (or Cancel)."""

    WORD = "revoke"
    TITLE = "Revoke Cloud Token"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.root_control = Control(
            "the Revoke Cloud Token pop-up window",
            *dialog_strategies(page, self.TITLE, "Revoke Token"),
        )
        self.root = self.root_control.any
        # The dialog has one text box; its label is not documented.
        self.confirmation_control = Control(
            "the box to type revoke in",
            ("the pop-up's only text box", self.root.get_by_role("textbox")),
        )
        self.confirmation = self.confirmation_control.any
        self.revoke_control = Control(
            "the Revoke Token button",
            by_role(self.root, "button", "Revoke Token"),
            by_role(self.root, "button", re.compile(r"^revoke token$", re.I)),
        )
        self.revoke_button = self.revoke_control.any
        self.cancel_control = Control(
            "the pop-up's Cancel button",
            by_role(self.root, "button", "Cancel"),
            by_role(self.root, "button", re.compile(r"^(cancel|close)$", re.I)),
        )
        self.cancel_button = self.cancel_control.any

    def wait_until_open(self) -> RevokeCloudTokenDialog:
        """Wait for the pop-up."""
        self.root_control.find()
        return self

    def type_confirmation(self, word: str = WORD) -> None:
        """Type the confirmation word (the guide says: revoke)."""
        self.confirmation_control.find().fill(word)

    def revoke(self) -> None:
        """Click Revoke Token and wait for the pop-up to close."""
        self.revoke_control.find().click()
        expect_gone(self.root, self.root_control.what)

    def cancel(self) -> None:
        """Close the pop-up without revoking."""
        self.cancel_control.find().click()
        expect_gone(self.root, self.root_control.what)


class CopyCloudTokenDialog(SecretDialog):
    """Shows a new Cloud token once; Copy and Close puts it on the clipboard."""

    WARNING = "Store your Cloud token somewhere secure."
    TITLE = "Copy your Cloud Token"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.root_control = Control(
            "the Copy your Cloud Token pop-up window",
            *dialog_strategies(page, self.TITLE, "Copy and Close"),
        )
        self.value_control = Control(
            "the Cloud token in the pop-up", *secret_value_strategies(self.root)
        )
        self.token_field = self.value_control.any
        self.warning = self.root.get_by_text(self.WARNING)
        self.copy_control = Control(
            "the Copy and Close button",
            by_role(self.root, "button", "Copy and Close"),
            by_role(self.root, "button", re.compile(r"^copy and close$", re.I)),
        )
        self.copy_and_close_button = self.copy_control.any

    def wait_until_open(self) -> CopyCloudTokenDialog:
        """Wait for the pop-up and for the token in it."""
        self._wait_for_value()
        return self

    def token(self) -> str:
        """The token as shown in the pop-up."""
        return self.value()

    def copy_and_close(self) -> None:
        """Click Copy and Close and wait for the pop-up to close."""
        self.copy_control.find().click()
        self.wait_until_closed()
