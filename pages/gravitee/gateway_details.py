"""Screen G2: Hybrid Gateway Details, with General Details and Cloud Tokens."""

from __future__ import annotations

from datetime import UTC, datetime

from playwright.sync_api import Locator, Page, expect

from pages._waits import expect_visible
from pages.gravitee.dialogs import CopyCloudTokenDialog, RevokeCloudTokenDialog

__all__ = ["CloudTokenRow", "GatewayDetailsPage"]

# How the table may render "the date and time that you created the Cloud token"
# when no machine-readable datetime is present.
_TEXT_FORMATS = (
    "%b %d, %Y, %I:%M:%S %p",
    "%b %d, %Y, %I:%M %p",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
)


class CloudTokenRow:
    """One row of the Cloud Tokens table."""

    def __init__(self, row: Locator) -> None:
        self.row = row
        # The bin is an icon-only button and the only button in its row: found
        # by role within the row, it needs no accessible name.
        self.bin = row.get_by_role("button")
        self.created = row.get_by_role("cell").first

    def created_text(self) -> str:
        """The creation date and time as shown."""
        return self.created.inner_text().strip()

    def created_at(self) -> datetime:
        """The creation date and time (UTC), from `<time datetime>` or the text."""
        stamp = self.created.locator("time")
        if stamp.count():
            value = stamp.first.get_attribute("datetime")
            if value:
                return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
        text = self.created_text()
        for fmt in _TEXT_FORMATS:
            try:
                return datetime.strptime(text, fmt).replace(tzinfo=UTC)
            except ValueError:
                continue
        raise ValueError(f"unrecognised Cloud token date {text!r}")

    def open_revoke_dialog(self) -> RevokeCloudTokenDialog:
        """Click the bin icon; return the Revoke Cloud Token pop-up."""
        self.bin.click()
        return RevokeCloudTokenDialog(self.row.page).wait_until_open()


class GatewayDetailsPage:
    """The details of one hybrid gateway."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="Hybrid Gateway Details", level=1)
        self.general_details = page.get_by_role("region", name="General Details")
        self.cloud_tokens = page.get_by_role("region", name="Cloud Tokens")
        self.tokens_table = self.cloud_tokens.get_by_role("table")
        # Data rows are the ones with a bin button (not the header, not "no tokens").
        self.token_rows = self.tokens_table.get_by_role("row").filter(
            has=page.get_by_role("button")
        )
        self.empty_rows = self.tokens_table.get_by_role("row").filter(has_text="No Cloud tokens")
        self.generate_button = self.cloud_tokens.get_by_role("button", name="Generate Cloud Token")

    def wait_until_loaded(self) -> GatewayDetailsPage:
        """Wait for the heading and the General Details section."""
        expect_visible(self.heading, "the Hybrid Gateway Details screen")
        expect_visible(self.general_details, "the General Details section")
        return self

    def go_to_cloud_tokens(self) -> GatewayDetailsPage:
        """Bring the Cloud Tokens section into view and wait for its table."""
        self.cloud_tokens.scroll_into_view_if_needed()
        expect_visible(self.cloud_tokens, "the Cloud Tokens section")
        expect_visible(self.token_rows.first.or_(self.empty_rows), "the Cloud Tokens table's rows")
        return self

    def tokens(self) -> list[CloudTokenRow]:
        """The rows of the Cloud Tokens table, once loaded."""
        self.go_to_cloud_tokens()
        return [CloudTokenRow(row) for row in self.token_rows.all()]

    def wait_for_token_count(self, count: int) -> None:
        """Wait until the table shows `count` tokens (after a revoke or a generate)."""
        expect(self.token_rows).to_have_count(count)

    def generate_cloud_token(self) -> CopyCloudTokenDialog:
        """Click Generate Cloud Token; return the Copy your Cloud Token pop-up."""
        self.generate_button.click()
        return CopyCloudTokenDialog(self.page).wait_until_open()
