"""Screen G1: the Dashboard, with the Gateways section."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pages._base import Screen
from pages._find import Control, by_role, data_rows, message_rows, section
from pages.gravitee.gateway_details import GatewayDetailsPage

if TYPE_CHECKING:
    from playwright.sync_api import Page

__all__ = ["DashboardPage"]


class DashboardPage(Screen):
    """The signed-in landing page listing the account's gateways.

    Documented: the menu entry "Dashboard", the "Gateways" section, "Deploy Gateway", the
    empty state "no Gateways deployed". Not documented: the page's title, how the section
    and its list are marked up, whether a gateway's name is a link.
    """

    PATH = "/"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.menu = page.get_by_role("navigation")
        # "Select Dashboard from the menu": the entry is on every signed-in page.
        self.heading_control = Control(
            "the Dashboard",
            by_role(page, "heading", "Dashboard", level=1),
            (
                "the menu entry Dashboard",
                self.menu.get_by_role("link", name="Dashboard", exact=True),
            ),
        )
        self.gateways_control = Control("the Gateways section", *section(page, "Gateways"))
        self.gateways = self.gateways_control.any
        self.table_control = Control(
            "the Gateways list", by_role(self.gateways, "table"), by_role(self.gateways, "grid")
        )
        self.gateways_table = self.table_control.any
        self.rows = data_rows(self.gateways_table)
        self.gateway_links = self.gateways_table.get_by_role("link")
        self.empty_state = self.gateways.get_by_text("no Gateways deployed", exact=False).or_(
            message_rows(self.gateways_table)
        )
        self.deploy_gateway = page.get_by_role("button", name="Deploy Gateway")
        self.heading = self.heading_control.any

    def open(self) -> None:
        """Go to the Dashboard (the portal may send a signed-out browser to sign in)."""
        self.page.goto(self.PATH)

    def wait_until_loaded(self) -> DashboardPage:
        """Wait for the Gateways section and its list (rows, or its empty state)."""
        self.heading_control.find()
        self.gateways_control.find()
        self.table_control.find()
        Control(
            "the Gateways list's rows",
            ("a gateway row", self.rows.first),
            ("the empty state", self.empty_state.first),
        ).find()
        return self

    def _name_cells(self) -> list[str]:
        headers = [
            " ".join(h.split()).lower()
            for h in self.gateways_table.get_by_role("columnheader").all_inner_texts()
        ]
        index = headers.index("name") if "name" in headers else 0
        return [
            " ".join(r.get_by_role("cell").nth(index).inner_text().split()) for r in self.rows.all()
        ]

    def gateway_names(self) -> list[str]:
        """The names in the Gateways list, in the order shown."""
        self.wait_until_loaded()
        links = self.gateway_links.all_inner_texts()
        return [name.strip() for name in links] if links else self._name_cells()

    def gateway_control(self, name: str) -> Control:
        """The gateway called `name` in the list: its link, else its row's cell of that name.

        Exactly that name: never one whose name begins with it.
        """
        return Control(
            f"the Gateway {name}",
            by_role(self.gateways_table, "link", name),
            (
                "the row of that name",
                self.gateways_table.get_by_role("cell", name=name, exact=True),
            ),
        )

    def open_gateway(self, name: str) -> GatewayDetailsPage:
        """Click the gateway called `name` (exactly: never one whose name begins with it)."""
        self.wait_until_loaded()
        self.gateway_control(name).find().click()
        return GatewayDetailsPage(self.page).wait_until_loaded()
