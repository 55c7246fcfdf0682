"""Screen C1: Settings > Account tokens, a table of the account's active tokens."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from pages._waits import expect_visible
from pages.gravitee.account_token_dialogs import (
    GenerateAccountTokenDialog,
    RevokeAccountTokenDialog,
)

__all__ = ["AccountTokenRow", "AccountTokensPage"]


class AccountTokenRow:
    """One row of the Account tokens table: name, created, created by, trash icon."""

    def __init__(self, row: Locator) -> None:
        self.row = row
        cells = row.get_by_role("cell")
        # Columns by position, as documented: Name | Created | Created by | actions.
        self.name_cell = cells.nth(0)
        self.created_cell = cells.nth(1)
        self.created_by_cell = cells.nth(2)
        # The trash icon is icon-only and the only button in its row.
        self.trash = row.get_by_role("button")

    def name(self) -> str:
        """The token's name."""
        return self.name_cell.inner_text().strip()

    def created_text(self) -> str:
        """The creation date as shown."""
        return self.created_cell.inner_text().strip()

    def created_by(self) -> str:
        """Who generated the token."""
        return self.created_by_cell.inner_text().strip()

    def open_revoke_dialog(self) -> RevokeAccountTokenDialog:
        """Click the trash icon; return the revoke dialog."""
        self.trash.click()
        return RevokeAccountTokenDialog(self.row.page).wait_until_open()


class AccountTokensPage:
    """Settings > Account tokens: generate a token, or revoke one."""

    PATH = "/settings/account-tokens"

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role(
            "heading", name=re.compile(r"^Account tokens$", re.IGNORECASE), level=1
        )
        # "Generate Account Token" in the renewal guide, "Generate token" in the token guide.
        self.generate_button = page.get_by_role(
            "button", name=re.compile(r"^Generate( Account)? Token$", re.IGNORECASE)
        )
        self.table = page.get_by_role("table", name=re.compile("Account tokens", re.IGNORECASE))
        # Data rows are the ones with a trash button (not the header, not "no tokens").
        self.token_rows = self.table.get_by_role("row").filter(has=page.get_by_role("button"))
        self.empty_rows = self.table.get_by_role("row").filter(has_text="No account tokens")

    def open(self) -> AccountTokensPage:
        """Go to the page by its address."""
        self.page.goto(self.PATH)
        return self.wait_until_loaded()

    def wait_until_loaded(self) -> AccountTokensPage:
        """Wait for the heading and the table's rows."""
        expect_visible(self.heading, "the Account tokens page")
        expect_visible(self.token_rows.first.or_(self.empty_rows), "the Account tokens table")
        return self

    def tokens(self) -> list[AccountTokenRow]:
        """The table's rows, once loaded."""
        self.wait_until_loaded()
        return [AccountTokenRow(row) for row in self.token_rows.all()]

    def token_names(self) -> list[str]:
        """The active tokens' names, in the order shown."""
        return [row.name() for row in self.tokens()]

    def token(self, name: str) -> AccountTokenRow:
        """The row of the token called `name` (exactly)."""
        cell = self.page.get_by_role("cell", name=name, exact=True)
        return AccountTokenRow(self.token_rows.filter(has=cell))

    def wait_for_token_count(self, count: int) -> None:
        """Wait until the table lists `count` tokens."""
        expect(self.token_rows).to_have_count(count)

    def wait_until_gone(self, name: str) -> None:
        """Wait until the token called `name` is no longer listed (after a revoke)."""
        expect(self.token(name).row).to_have_count(0)

    def open_generate_dialog(self) -> GenerateAccountTokenDialog:
        """Click Generate Account Token; return the dialog asking for a name."""
        self.generate_button.click()
        return GenerateAccountTokenDialog(self.page).wait_until_open()
