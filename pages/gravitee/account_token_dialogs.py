"""Dialogs C2 (name the token), C3 ("Generate Token", shown once) and C4 (revoke)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pages._base import Screen, SecretDialog, secret_value_strategies
from pages._find import Control, ControlNotFound, by_label, by_role, by_text, expect_gone
from pages.gravitee.sign_in import refusal_strategies

if TYPE_CHECKING:
    from playwright.sync_api import Page

__all__ = ["GenerateAccountTokenDialog", "GeneratedTokenDialog", "RevokeAccountTokenDialog"]

_ACCOUNT_URL = re.compile(r"https?://[^\s/\"'<>]+/management/accounts/[^\s/\"'<>]+")
REVOKE_LABEL = "I understand the consequences, revoke this token"


class GeneratedTokenDialog(SecretDialog):
    """Shows a new account token once, with a curl example holding the account's URL."""

    TITLE = "Generate Token"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        dialogs = page.get_by_role("dialog")
        self.root_control = Control(
            "the Generate Token dialog",
            by_role(page, "dialog", self.TITLE),
            (
                "a dialog showing 'Generate Token'",
                dialogs.filter(has=page.get_by_text(self.TITLE, exact=True)),
            ),
            (
                "a dialog with an Example",
                dialogs.filter(has=page.get_by_text("Example", exact=True)),
            ),
        )
        root = self.root_control.any
        # The token is the first value shown; the Example's code comes after it.
        self.value_control = Control(
            "the Account Token in the dialog",
            *((how, loc.first) for how, loc in secret_value_strategies(root)),
        )
        self.token_field = self.value_control.any
        self.warning = root.get_by_text(re.compile("copy your Account Token", re.IGNORECASE))
        self.example_control = Control(
            "the Example section",
            by_role(root, "region", "Example"),
            (
                "the part around the title 'Example'",
                root.get_by_text("Example", exact=True).locator(
                    "xpath=ancestor::*[.//code or .//pre][1]"
                ),
            ),
        )
        self.example = self.example_control.any
        self.copy_button = root.get_by_role(
            "button", name=re.compile(r"^copy( to clipboard)?$", re.I)
        )
        self.close_control = Control(
            "the dialog's Close button",
            by_role(root, "button", "Close"),
            by_role(root, "button", re.compile(r"^(close|done)$", re.I)),
        )
        self.close_button = self.close_control.any

    def wait_until_open(self) -> GeneratedTokenDialog:
        """Wait for the dialog and for the token in it."""
        self._wait_for_value()
        return self

    def token(self) -> str:
        """The account token as shown."""
        return self.value()

    def example_url(self) -> str:
        """The account URL in the Example section (`https://<env>/management/accounts/<id>`)."""
        found = _ACCOUNT_URL.search(self.example_control.find().inner_text())
        if found is None:
            raise ControlNotFound("the account URL in the Example section", [_ACCOUNT_URL.pattern])
        return found.group(0)

    def close(self) -> None:
        """Click Close; the token cannot be shown again."""
        self.close_control.find().click()
        self.wait_until_closed()

    def close_if_open(self) -> None:
        """Close the dialog unless the portal has closed it already (a session it ended)."""
        if not self.root.is_visible():
            return
        try:
            self.close()
        except ControlNotFound:
            if self.root.is_visible():
                raise  # still open: its Close button is what is missing


class GenerateAccountTokenDialog(Screen):
    """Asks for the new token's name; Generate stays disabled while it is empty."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        generate = page.get_by_role("button", name="Generate", exact=True)
        self.root_control = Control(
            "the dialog to name the Account Token",
            by_role(page, "dialog", "Generate Account Token"),
            ("a dialog with the Generate button", page.get_by_role("dialog").filter(has=generate)),
        )
        self.root = self.root_control.any
        self.name_control = Control(
            "the token's name field",
            by_role(self.root, "textbox", "Name"),
            by_label(self.root, re.compile(r"name", re.I), exact=False),
            ("the dialog's only text box", self.root.get_by_role("textbox")),
        )
        self.name_field = self.name_control.any
        self.generate_control = Control(
            "the Generate button",
            by_role(self.root, "button", "Generate"),
            by_role(self.root, "button", re.compile(r"^generate$", re.I)),
        )
        self.generate_button = self.generate_control.any
        self.cancel_button = self.root.get_by_role("button", name=re.compile(r"^cancel$", re.I))
        self.error_control = Control("the dialog's error", *refusal_strategies(page))
        self.error = self.error_control.any

    def wait_until_open(self) -> GenerateAccountTokenDialog:
        """Wait for the dialog."""
        self.root_control.find()
        return self

    def generate(self, name: str) -> None:
        """Name the token and click Generate; wait for the portal's answer.

        The answer is the Generate Token dialog, or, when the portal refuses
        (the limit of active tokens), `error` saying why.
        """
        self.name_control.find().fill(name)
        self.generate_control.find().click()
        shown = GeneratedTokenDialog(self.page).root_control
        Control(
            "the Generate Token dialog", *shown.strategies, *self.error_control.strategies
        ).find()

    def error_text(self) -> str:
        """What the portal said when it refused, on one line ("" when nothing can be read)."""
        found = self.error_control.now()
        return " ".join((found.inner_text() if found else "").split())

    def cancel(self) -> None:
        """Close without generating."""
        self.cancel_button.click()
        expect_gone(self.root, self.root_control.what)


class RevokeAccountTokenDialog(Screen):
    """Type the token's name in Confirm, then click the revoke button (C4)."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        # Its title is not documented; its button is.
        self.root_control = Control(
            "the revoke account token dialog",
            (
                f"a dialog with the button {REVOKE_LABEL!r}",
                page.get_by_role("dialog").filter(
                    has=page.get_by_role("button", name=REVOKE_LABEL)
                ),
            ),
            (
                "a dialog showing that button's words",
                page.get_by_role("dialog").filter(has=by_text(page, REVOKE_LABEL)[1]),
            ),
        )
        self.root = self.root_control.any
        self.confirm_control = Control(
            "the Confirm field",
            by_role(self.root, "textbox", "Confirm"),
            by_label(self.root, re.compile(r"confirm", re.I), exact=False),
            ("the dialog's only text box", self.root.get_by_role("textbox")),
        )
        self.confirm_field = self.confirm_control.any
        self.revoke_control = Control(
            f"the {REVOKE_LABEL!r} button",
            by_role(self.root, "button", REVOKE_LABEL),
            by_role(self.root, "button", re.compile(re.escape(REVOKE_LABEL), re.I), exact=False),
        )
        self.revoke_button = self.revoke_control.any
        self.cancel_button = self.root.get_by_role("button", name=re.compile(r"^cancel$", re.I))

    def wait_until_open(self) -> RevokeAccountTokenDialog:
        """Wait for the dialog."""
        self.root_control.find()
        return self

    def type_name(self, name: str) -> None:
        """Enter the token's name in the Confirm field."""
        self.confirm_control.find().fill(name)

    def revoke(self) -> None:
        """Click "I understand the consequences, revoke this token"; wait for the dialog to go."""
        self.revoke_control.find().click()
        expect_gone(self.root, self.root_control.what)

    def cancel(self) -> None:
        """Close without revoking."""
        self.cancel_button.click()
        expect_gone(self.root, self.root_control.what)
