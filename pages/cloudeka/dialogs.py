"""K4 the "Create Token" form, K5 the notification, K6 the dialog with the Secret API Key."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from pages._base import Screen, SecretDialog, secret_value_strategies
from pages._find import Control, by_label, by_role, expect_gone
from pages.gravitee.dialogs import dialog_strategies
from pages.gravitee.sign_in import refusal_strategies

if TYPE_CHECKING:
    from playwright.sync_api import Page

__all__ = ["CreateTokenDialog", "Notification", "SecretApiKeyDialog"]


class CreateTokenDialog(Screen):
    """Token Name and Expired date (empty: the token never expires), then Confirm."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.root_control = Control(
            "the Create Token form", *dialog_strategies(page, "Create Token", "Confirm")
        )
        self.root = self.root_control.any
        self.name_control = Control(
            "the Token Name field",
            by_label(self.root, "Token Name"),
            by_label(self.root, re.compile(r"^\s*token name", re.I), exact=False),
        )
        self.token_name = self.name_control.any
        # Not exact: the guide writes both "Expired date" and "Expired Date".
        self.date_control = Control(
            "the Expired date field",
            by_label(self.root, "Expired date", exact=False),
            by_label(self.root, re.compile(r"expir", re.I), exact=False),
            ("the form's date field", self.root.locator("input[type=date]")),
        )
        self.expired_date = self.date_control.any
        self.confirm_control = Control(
            "the Confirm button",
            by_role(self.root, "button", "Confirm"),
            by_role(self.root, "button", re.compile(r"^confirm$", re.I)),
        )
        self.confirm_button = self.confirm_control.any
        self.cancel_button = self.root.get_by_role("button", name=re.compile(r"^cancel$", re.I))
        self.error_control = Control(
            "the Create Token form's error",
            *((how, self.root.locator(loc)) for how, loc in refusal_strategies(page)),
        )
        self.error = self.error_control.any

    def wait_until_open(self) -> CreateTokenDialog:
        """Wait for the form."""
        self.root_control.find()
        return self

    def fill(self, name: str, expires: date | None) -> None:
        """Fill in the token details; no date leaves Expired date empty."""
        self.name_control.find().fill(name)
        self.date_control.find().fill(expires.isoformat() if expires else "")

    def confirm(self) -> None:
        """Click Confirm; the portal answers with the new key or an error in the form."""
        self.confirm_control.find().click()

    def error_text(self) -> str:
        """Why the portal refused the details, as the form shows it ("" when unreadable)."""
        found = self.error_control.now()
        return " ".join((found.inner_text() if found else "").split())

    def cancel(self) -> None:
        """Close the form without creating anything."""
        self.cancel_button.click()
        expect_gone(self.root, self.root_control.what)


class Notification:
    """A transient notification, e.g. "Token has been successfully created"."""

    CREATED = "Token has been successfully created"

    def __init__(self, page: Page, text: str = CREATED) -> None:
        self.text = text
        shown = re.compile(re.escape(text), re.I)
        self.control = Control(
            f"the notification \u201c{text}\u201d",
            ("status with that text", page.get_by_role("status").filter(has_text=shown)),
            ("alert with that text", page.get_by_role("alert").filter(has_text=shown)),
            ("a live region with that text", page.locator("[aria-live]").filter(has_text=shown)),
        )
        self.root = self.control.any

    def wait_until_shown(self) -> None:
        """Wait for the notification."""
        self.control.find()


class SecretApiKeyDialog(SecretDialog):
    """Shows the new token's Secret API Key once, with Copy and Close."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        # The dialog's title is not documented; its Copy button is.
        copy = page.get_by_role("button", name=re.compile(r"^copy$", re.I))
        self.root_control = Control(
            "the dialog box showing the Secret API Key",
            ("a dialog with the Copy button", page.get_by_role("dialog").filter(has=copy)),
            (
                "an alert dialog with the Copy button",
                page.get_by_role("alertdialog").filter(has=copy),
            ),
        )
        root = self.root_control.any
        self.value_control = Control("the Secret API Key", *secret_value_strategies(root))
        self.key_field = self.value_control.any
        self.copy_control = Control(
            "the Copy button",
            by_role(root, "button", "Copy"),
            ("Copy, any case", root.get_by_role("button", name=re.compile(r"^copy$", re.I))),
        )
        self.copy_button = self.copy_control.any
        self.close_control = Control(
            "the Close button",
            by_role(root, "button", "Close"),
            ("Close, any case", root.get_by_role("button", name=re.compile(r"^close$", re.I))),
        )
        self.close_button = self.close_control.any

    def wait_until_open(self) -> SecretApiKeyDialog:
        """Wait for the dialog and for the key in it."""
        self._wait_for_value()
        return self

    def secret(self) -> str:
        """The Secret API Key as shown."""
        return self.value()

    def copy(self) -> None:
        """Click Copy (the portal puts the key on the clipboard)."""
        self.copy_control.find().click()

    def close(self) -> None:
        """Click Close and wait for the dialog to go; the key is not shown again."""
        self.close_control.find().click()
        self.wait_until_closed()
