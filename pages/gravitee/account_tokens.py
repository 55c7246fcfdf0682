"""Screen C1: Settings > Account tokens, a table of the account's active tokens."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pages._base import Screen
from pages._find import Control, PageError, by_role, data_rows, message_rows, note_strategy
from pages.gravitee.account_token_dialogs import (
    GenerateAccountTokenDialog,
    RevokeAccountTokenDialog,
)
from pages.gravitee.gateway_details import bin_strategies

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

__all__ = ["AccountTokenRow", "AccountTokensPage"]

_COLUMNS = {
    # column: (header pattern, position in the documented order Name | Created | Created by)
    "name": (re.compile(r"^(token )?name$", re.I), 0),
    "created": (re.compile(r"^(created( at| on)?|creation( date)?|date( created)?)$", re.I), 1),
    "created by": (re.compile(r"^(created by|creator|owner)$", re.I), 2),
}


class AccountTokenRow:
    """One row of the Account tokens table: name, created, created by, trash icon.

    Args:
        row: The row.
        columns: The table's column headers (columns are found by header, else position).
    """

    def __init__(self, row: Locator, columns: Sequence[str] = ()) -> None:
        self.row = row
        self.cells = row.get_by_role("cell")
        self._columns = [" ".join(c.split()) for c in columns]
        self.trash_control = Control("the trash icon", *bin_strategies(row))
        self.trash = self.trash_control.any

    def _cell(self, column: str) -> Locator:
        pattern, position = _COLUMNS[column]
        for index, header in enumerate(self._columns):
            if pattern.match(header):
                note_strategy(self.row.page, f"the {column} column", f"header {header!r}")
                return self.cells.nth(index)
        note_strategy(self.row.page, f"the {column} column", f"position {position + 1}", rank=1)
        return self.cells.nth(position)

    def name(self) -> str:
        """The token's name."""
        return " ".join(self._cell("name").inner_text().split())

    def created_text(self) -> str:
        """The creation date as shown."""
        return " ".join(self._cell("created").inner_text().split())

    def created_by(self) -> str:
        """Who generated the token."""
        return " ".join(self._cell("created by").inner_text().split())

    def open_revoke_dialog(self) -> RevokeAccountTokenDialog:
        """Click the trash icon; return the revoke dialog."""
        self.trash_control.find().click()
        return RevokeAccountTokenDialog(self.row.page).wait_until_open()


class AccountTokensPage(Screen):
    """Settings > Account tokens: generate a token, or revoke one."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        title = re.compile(r"^Account tokens$", re.IGNORECASE)
        # "Generate Account Token" in the renewal guide, "Generate token" in the token guide.
        self.generate_control = Control(
            "the Generate Account Token button",
            by_role(page, "button", re.compile(r"^Generate( Account)? Token$", re.IGNORECASE)),
        )
        self.generate_button = self.generate_control.any
        self.heading_control = Control(
            "the Account tokens page",
            by_role(page, "heading", title, level=1),
            by_role(page, "heading", title),
            ("the Generate Account Token button", self.generate_button),
        )
        self.heading = self.heading_control.any
        self.table_control = Control(
            "the Account tokens table",
            by_role(page, "table", re.compile("Account tokens", re.IGNORECASE), exact=False),
            ("the page's only table", page.get_by_role("table")),
            ("the page's only grid", page.get_by_role("grid")),
        )
        self.table = self.table_control.any
        # Data rows are the ones with a trash button (not the header, not "no tokens").
        self.token_rows = data_rows(self.table).filter(has=page.get_by_role("button"))
        self.empty_rows = message_rows(self.table)

    def wait_until_loaded(self) -> AccountTokensPage:
        """Wait for the page and the table's rows."""
        self.heading_control.find()
        self.table_control.find()
        Control(
            "the Account tokens table's rows",
            ("a token row", self.token_rows.first),
            ("the empty state", self.empty_rows.first),
        ).find()
        return self

    def _columns(self) -> list[str]:
        return self.table.get_by_role("columnheader").all_inner_texts()

    def tokens(self) -> list[AccountTokenRow]:
        """The table's rows, once loaded."""
        self.wait_until_loaded()
        columns = self._columns()
        return [AccountTokenRow(row, columns) for row in self.token_rows.all()]

    def token_names(self) -> list[str]:
        """The active tokens' names, in the order shown."""
        return [row.name() for row in self.tokens()]

    def token(self, name: str) -> AccountTokenRow:
        """The row of the token called `name` (exactly)."""
        cell = self.page.get_by_role("cell", name=name, exact=True)
        return AccountTokenRow(self.token_rows.filter(has=cell), self._columns())

    def wait_for_token_count(self, count: int) -> None:
        """Wait until the table lists `count` tokens."""
        from playwright.sync_api import expect

        try:
            expect(self.token_rows).to_have_count(count)
        except AssertionError:
            shown = self.token_rows.count()
            raise PageError(f"the Account tokens table lists {shown} tokens, not {count}") from None

    def wait_until_gone(self, name: str) -> None:
        """Wait until the token called `name` is no longer listed (after a revoke)."""
        from playwright.sync_api import expect

        try:
            expect(self.token(name).row).to_have_count(0)
        except AssertionError:
            raise PageError(f"the token {name!r} is still listed after its revoke") from None

    def open_generate_dialog(self) -> GenerateAccountTokenDialog:
        """Click Generate Account Token; return the dialog asking for a name."""
        self.generate_control.find().click()
        return GenerateAccountTokenDialog(self.page).wait_until_open()
