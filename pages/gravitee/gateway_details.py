"""Screen G2: Hybrid Gateway Details, with General Details and Cloud Tokens."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
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
    section,
)
from pages.gravitee.dialogs import CopyCloudTokenDialog, RevokeCloudTokenDialog

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

__all__ = ["CloudTokenRow", "GatewayDetailsPage", "bin_strategies", "parse_date_time"]

# How a table may render "the date and time that you created the Cloud token" when no
# machine-readable datetime is present (tried in order; all read as UTC).
_TEXT_FORMATS = (
    "%b %d, %Y, %I:%M:%S %p",
    "%b %d, %Y, %I:%M %p",
    "%d %b %Y, %H:%M:%S",
    "%d %b %Y, %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%m/%d/%Y, %H:%M",
)
# A creation-date column: "Created", "Created at", "Creation date", "Date created"...
_CREATED_HEADER = re.compile(r"^(created( at| on)?|creation( date)?|date( created)?)$", re.I)
_BIN_NAME = re.compile(r"revoke|delete|remove|bin|trash", re.I)


def bin_strategies(row: Locator) -> tuple[tuple[str, Locator], ...]:
    """A row's bin (trash) icon: a button named like one, else the row's only button."""
    return (
        by_role(row, "button", _BIN_NAME, exact=False),
        ("the row's only button", row.get_by_role("button")),
    )


def parse_date_time(cell: Locator, what: str) -> datetime:
    """A date and time from a cell: `<time datetime>`, else its text in a known format."""
    stamp = cell.locator("time[datetime]")
    if stamp.count():
        value = stamp.first.get_attribute("datetime") or ""
        try:
            stamped = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
        except ValueError:  # not machine-readable after all: read what is shown
            pass
        else:
            note_strategy(cell.page, what, "its <time datetime>")
            return stamped
    text = " ".join(cell.inner_text().split())
    for fmt in _TEXT_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
        note_strategy(cell.page, what, f"its text as {fmt}", rank=1)
        return parsed
    raise UnreadableValue(what, text, "a date and time in a known format")


class CloudTokenRow:
    """One row of the Cloud Tokens table.

    Args:
        row: The row.
        columns: The table's column headers (to find the creation date by its column).
    """

    def __init__(self, row: Locator, columns: Sequence[str] = ()) -> None:
        self.row = row
        self.cells = row.get_by_role("cell")
        self._columns = [" ".join(c.split()) for c in columns]
        self.bin_control = Control("the bin icon", *bin_strategies(row))
        self.bin = self.bin_control.any

    @property
    def created(self) -> Locator:
        """The cell with the creation date and time (its column is not documented)."""
        what = "the Cloud token's creation date"
        for index, header in enumerate(self._columns):
            if _CREATED_HEADER.match(header):
                note_strategy(self.row.page, what, f"column {header!r}")
                return self.cells.nth(index)
        with_time = self.cells.filter(has=self.row.page.locator("time"))
        if with_time.count():
            note_strategy(self.row.page, what, "the cell with a <time>", rank=1)
            return with_time.first
        for index, text in enumerate(self.cells.all_inner_texts()):
            if any(_parses(text, fmt) for fmt in _TEXT_FORMATS):
                note_strategy(self.row.page, what, "the first cell showing a date", rank=2)
                return self.cells.nth(index)
        raise PageError(f"{what} is in no column (columns: {', '.join(self._columns) or 'none'})")

    def created_text(self) -> str:
        """The creation date and time as shown."""
        return " ".join(self.created.inner_text().split())

    def created_at(self) -> datetime:
        """The creation date and time (UTC), from `<time datetime>` or the text."""
        return parse_date_time(self.created, "the date and time that you created the Cloud token")

    def open_revoke_dialog(self) -> RevokeCloudTokenDialog:
        """Click the bin icon; return the Revoke Cloud Token pop-up."""
        self.bin_control.find().click()
        return RevokeCloudTokenDialog(self.row.page).wait_until_open()


def _parses(text: str, fmt: str) -> bool:
    try:
        datetime.strptime(" ".join(text.split()), fmt)
    except ValueError:
        return False
    return True


class GatewayDetailsPage(Screen):
    """The details of one hybrid gateway.

    Documented: the title "Hybrid Gateway Details", the sections "General Details" and
    "Cloud Tokens", a table with the creation date and time, a bin icon per row, "Generate
    Cloud Token". Not documented: the title's level, the sections' markup, the columns.
    """

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        title = "Hybrid Gateway Details"
        self.heading_control = Control(
            f"the {title} screen",
            by_role(page, "heading", title, level=1),
            by_role(page, "heading", title),
            by_text(page, title),
        )
        self.general_control = Control(
            "the General Details section",
            *section(page, "General Details", holds=".//*[normalize-space(text())='Environment']"),
        )
        self.cloud_tokens_control = Control(
            "the Cloud Tokens section",
            *section(
                page,
                "Cloud Tokens",
                holds=".//table or .//*[@role='table'] or .//*[@role='grid']",
            ),
        )
        self.heading = self.heading_control.any
        self.general_details = self.general_control.any
        self.cloud_tokens = self.cloud_tokens_control.any
        self.table_control = Control(
            "the Cloud Tokens table",
            by_role(self.cloud_tokens, "table"),
            by_role(self.cloud_tokens, "grid"),
        )
        self.tokens_table = self.table_control.any
        # Data rows are the ones with a bin button (not the header, not "no tokens").
        self.token_rows = data_rows(self.tokens_table).filter(has=page.get_by_role("button"))
        self.empty_rows = message_rows(self.tokens_table)
        self.generate_control = Control(
            "the Generate Cloud Token button",
            by_role(self.cloud_tokens, "button", "Generate Cloud Token"),
            by_role(page, "button", re.compile(r"^generate cloud token$", re.I)),
        )
        self.generate_button = self.generate_control.any

    def wait_until_loaded(self) -> GatewayDetailsPage:
        """Wait for the title and the General Details section."""
        self.heading_control.find()
        self.general_control.find()
        return self

    def go_to_cloud_tokens(self) -> GatewayDetailsPage:
        """Bring the Cloud Tokens section into view and wait for its table's rows."""
        self.cloud_tokens_control.find().scroll_into_view_if_needed()
        self.table_control.find()
        Control(
            "the Cloud Tokens table's rows",
            ("a token row", self.token_rows.first),
            ("the empty state", self.empty_rows.first),
        ).find()
        return self

    def tokens(self) -> list[CloudTokenRow]:
        """The rows of the Cloud Tokens table, once loaded."""
        self.go_to_cloud_tokens()
        columns = self.tokens_table.get_by_role("columnheader").all_inner_texts()
        return [CloudTokenRow(row, columns) for row in self.token_rows.all()]

    def wait_for_token_count(self, count: int) -> None:
        """Wait until the table shows `count` tokens (after a revoke or a generate)."""
        from playwright.sync_api import expect

        try:
            expect(self.token_rows).to_have_count(count)
        except AssertionError:
            shown = self.token_rows.count()
            raise PageError(f"the Cloud Tokens table shows {shown} tokens, not {count}") from None

    def generate_cloud_token(self) -> CopyCloudTokenDialog:
        """Click Generate Cloud Token; return the Copy your Cloud Token pop-up."""
        self.generate_control.find().click()
        return CopyCloudTokenDialog(self.page).wait_until_open()
