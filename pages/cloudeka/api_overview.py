"""Screens K2 and K3: the API Overview page and its Token tab with the token list table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from playwright.sync_api import Locator, Page, expect

from pages._waits import expect_visible
from pages.cloudeka.dialogs import CreateTokenDialog

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
        index = next((i for i, c in enumerate(self._columns) if word in c), default)
        return self.cells.nth(index)

    def name(self) -> str:
        """The Token Name."""
        return " ".join(self._cell("name", 0).inner_text().split())

    def expires_text(self) -> str:
        """The expiry as shown."""
        return " ".join(self._cell("expir", 1).inner_text().split())

    def expires(self) -> date | None:
        """The Expired date, or None for a token that never expires.

        Raises:
            ValueError: the cell shows neither a date nor "never".
        """
        cell = self._cell("expir", 1)
        stamp = cell.locator("time")  # HTML's machine-readable date, where there is one
        if stamp.count():
            value = stamp.first.get_attribute("datetime")
            if value:
                return date.fromisoformat(value[:10])
        text = self.expires_text()
        if text.lower() in _NEVER:
            return None
        for fmt in _DATE_FORMATS:
            try:
                return datetime.strptime(text.replace("Sept", "Sep"), fmt).date()
            except ValueError:
                continue
        raise ValueError(f"unrecognised expiry {text!r}")

    def created_text(self) -> str:
        """The creation date as shown."""
        return " ".join(self._cell("created", 2).inner_text().split())


class TokenTab:
    """The Token tab: New Token and the token list table."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.panel = page.get_by_role("tabpanel", name="Token")
        self.new_token_button = self.panel.get_by_role("button", name="New Token", exact=True)
        self.table = self.panel.get_by_role("table")
        self.headers = self.table.get_by_role("columnheader")
        # Data rows have cells (the header row has column headers), and are not the empty state.
        self.rows = (
            self.table.get_by_role("row")
            .filter(has=page.get_by_role("cell"))
            .filter(has_not_text=EMPTY)
        )
        self.empty_rows = self.table.get_by_role("row").filter(has_text=EMPTY)

    def wait_until_loaded(self) -> TokenTab:
        """Wait for the tab and for the table's rows (or its empty state)."""
        expect_visible(self.panel, "the Token tab")
        expect_visible(self.rows.first.or_(self.empty_rows), "the token list table")
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
        expect(self.rows_named(name)).to_have_count(count)

    def new_token(self) -> CreateTokenDialog:
        """Click New Token; return the Create Token form."""
        self.new_token_button.click()
        return CreateTokenDialog(self.page).wait_until_open()


class ApiOverviewPage:
    """ "API Overview", reached from the profile menu; its Token tab lists the tokens."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="API Overview", exact=True)
        self.token_tab = page.get_by_role("tab", name="Token", exact=True)

    def wait_until_loaded(self) -> ApiOverviewPage:
        """Wait for the page's heading and its Token tab."""
        expect_visible(self.heading, "the API Overview page")
        expect_visible(self.token_tab, "the Token tab")
        return self

    def select_token_tab(self) -> TokenTab:
        """Select the Token tab; return it once its table has loaded."""
        self.token_tab.click()
        return TokenTab(self.page).wait_until_loaded()
