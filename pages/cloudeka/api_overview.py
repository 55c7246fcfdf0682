"""Screens K2 and K3: the API Overview page and its Token tab with the token list table."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from pages._base import Screen
from pages._find import (
    Control,
    PageError,
    UnreadableValue,
    by_role,
    by_text,
    data_rows,
    message_rows,
    note_strategy,
)
from pages.cloudeka.dialogs import CreateTokenDialog

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

__all__ = ["ApiOverviewPage", "TokenRow", "TokenTab"]

EMPTY = "No data available"
# How the table may say "no expiry" (the vendor documents only that the token stays active).
_NEVER = frozenset({"", "-", "—", "never", "no expiration", "no expiry", "unlimited"})
_DATE_FORMATS = ("%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%Y-%m-%d", "%d/%m/%Y")


class TokenRow:
    """One row of the token list table.

    Args:
        row: The row.
        columns: The table's column headers, to find a cell by its column.
    """

    def __init__(self, row: Locator, columns: Sequence[str]) -> None:
        self.row = row
        self.cells = row.get_by_role("cell")
        self._columns = [" ".join(c.split()).lower() for c in columns]

    def _cell(self, word: str, default: int) -> Locator:
        # The columns are not documented: found by header text, in the replica's order else.
        what = f"the token list's {word}* column"
        for index, header in enumerate(self._columns):
            if word in header:
                note_strategy(self.row.page, what, f"header {header!r}")
                return self.cells.nth(index)
        note_strategy(self.row.page, what, f"position {default + 1}", rank=1)
        return self.cells.nth(default)

    def name(self) -> str:
        """The Token Name."""
        return " ".join(self._cell("name", 0).inner_text().split())

    def expires_text(self) -> str:
        """The expiry as shown."""
        return " ".join(self._cell("expir", 1).inner_text().split())

    def expires(self) -> date | None:
        """The Expired date, or None for a token that never expires.

        Raises:
            UnreadableValue: the cell shows neither a date nor "never" (a ValueError).
        """
        cell = self._cell("expir", 1)
        stamp = cell.locator("time[datetime]")  # HTML's machine-readable date, where there is one
        what = "the token's Expired date"
        if stamp.count():
            value = stamp.first.get_attribute("datetime") or ""
            try:
                parsed = date.fromisoformat(value[:10])
            except ValueError:  # not machine-readable after all: read what is shown
                pass
            else:
                note_strategy(self.row.page, what, "its <time datetime>")
                return parsed
        text = self.expires_text()
        if text.lower() in _NEVER:
            return None
        for fmt in _DATE_FORMATS:
            try:
                parsed = datetime.strptime(text.replace("Sept", "Sep"), fmt).date()
            except ValueError:
                continue
            note_strategy(self.row.page, what, f"its text as {fmt}", rank=1)
            return parsed
        raise UnreadableValue(what, text, "a date in a known format, nor a word for never")

    def created_text(self) -> str:
        """The creation date as shown."""
        return " ".join(self._cell("created", 2).inner_text().split())


class TokenTab(Screen):
    """The Token tab: New Token and the token list table."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        new_token = page.get_by_role("button", name=re.compile(r"^new token$", re.I))
        self.panel_control = Control(
            "the Token tab",
            by_role(page, "tabpanel", "Token"),
            (
                "the part around the New Token button",
                new_token.locator(
                    "xpath=ancestor::*[.//table or .//*[@role='table' or @role='grid']][1]"
                ),
            ),
        )
        self.panel = self.panel_control.any
        self.new_token_control = Control(
            "the New Token button",
            by_role(self.panel, "button", "New Token"),
            by_role(page, "button", re.compile(r"^new token$", re.I)),
        )
        self.new_token_button = self.new_token_control.any
        self.table_control = Control(
            "the token list table", by_role(self.panel, "table"), by_role(self.panel, "grid")
        )
        self.table = self.table_control.any
        self.headers = self.table.get_by_role("columnheader")
        # Data rows have more than one cell (a message row has one), and are not the empty state.
        self.rows = data_rows(self.table).filter(has_not_text=EMPTY)
        self.empty_rows = message_rows(self.table)

    def wait_until_loaded(self) -> TokenTab:
        """Wait for the tab and for the table's rows (or its empty state)."""
        self.panel_control.find()
        self.table_control.find()
        Control(
            "the token list table's rows",
            ("a token row", self.rows.first),
            ("the empty state", self.empty_rows.first),
        ).find()
        return self

    def rows_named(self, name: str) -> Locator:
        """The rows whose Token Name is exactly `name`."""
        return self.rows.filter(has=self.page.get_by_role("cell", name=name, exact=True))

    def tokens(self, name: str | None = None) -> list[TokenRow]:
        """The rows of the table (only those named `name`, if given), once loaded."""
        self.wait_until_loaded()
        columns = self.headers.all_inner_texts()
        rows = self.rows if name is None else self.rows_named(name)
        return [TokenRow(row, columns) for row in rows.all()]

    def wait_for_count(self, name: str, count: int) -> None:
        """Wait until `count` rows are named `name` (the table reloads after a change)."""
        from playwright.sync_api import expect

        try:
            expect(self.rows_named(name)).to_have_count(count)
        except AssertionError:
            shown = self.rows_named(name).count()
            raise PageError(
                f"the token list table shows {shown} tokens named {name!r}, not {count}"
            ) from None

    def new_token(self) -> CreateTokenDialog:
        """Click New Token; return the Create Token form."""
        self.new_token_control.find().click()
        return CreateTokenDialog(self.page).wait_until_open()


class ApiOverviewPage(Screen):
    """ "API Overview", reached from the profile menu; its Token tab lists the tokens."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.token_tab_control = Control(
            "the Token tab",
            by_role(page, "tab", "Token"),
            by_role(page, "tab", re.compile(r"^token$", re.I)),
        )
        self.token_tab = self.token_tab_control.any
        self.heading_control = Control(
            "the API Overview page",
            by_role(page, "heading", "API Overview"),
            by_text(page, "API Overview"),
        )
        self.heading = self.heading_control.any

    def wait_until_loaded(self) -> ApiOverviewPage:
        """Wait for the page's name and its Token tab."""
        self.heading_control.find()
        self.token_tab_control.find()
        return self

    def select_token_tab(self) -> TokenTab:
        """Select the Token tab; return it once its table has loaded."""
        self.token_tab_control.find().click()
        return TokenTab(self.page).wait_until_loaded()
