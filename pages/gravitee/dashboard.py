"""Screen G1: the Dashboard, with the Gateways section."""

from __future__ import annotations

from playwright.sync_api import Page

from pages._waits import expect_visible
from pages.gravitee.gateway_details import GatewayDetailsPage

__all__ = ["DashboardPage"]


class DashboardPage:
    """The signed-in landing page listing the account's gateways."""

    PATH = "/"

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="Dashboard", level=1)
        self.menu = page.get_by_role("navigation")
        self.gateways = page.get_by_role("region", name="Gateways")
        self.gateways_table = self.gateways.get_by_role("table")
        self.gateway_links = self.gateways_table.get_by_role("link")
        self.empty_state = self.gateways.get_by_text("no Gateways deployed", exact=False)
        self.deploy_gateway = page.get_by_role("button", name="Deploy Gateway")

    def open(self) -> None:
        """Go to the Dashboard (the portal may send a signed-out browser to sign in)."""
        self.page.goto(self.PATH)

    def wait_until_loaded(self) -> DashboardPage:
        """Wait for the heading and for the gateways list to be loaded."""
        expect_visible(self.heading, "the Dashboard")
        expect_visible(self.gateway_links.first.or_(self.empty_state), "the Gateways list")
        return self

    def gateway_names(self) -> list[str]:
        """The names in the Gateways list, in the order shown."""
        self.wait_until_loaded()
        return [name.strip() for name in self.gateway_links.all_inner_texts()]

    def open_gateway(self, name: str) -> GatewayDetailsPage:
        """Click the gateway called `name`; return its details page."""
        self.gateways_table.get_by_role("link", name=name, exact=True).click()
        return GatewayDetailsPage(self.page).wait_until_loaded()
