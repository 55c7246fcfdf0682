"""The Dashboard opens the gateway named exactly, never one whose name begins the same."""

from __future__ import annotations

from playwright.sync_api import expect

from pages.gravitee import DashboardPage
from sandbox import GraviteeSandbox


def test_the_dashboard_opens_the_exact_name_not_a_prefix_of_it(
    dashboard: DashboardPage, gravitee: GraviteeSandbox
) -> None:
    gravitee.add_gateway("eu-prod")  # a prefix of eu-prod-gw, listed last
    dashboard.page.reload()
    dashboard.wait_until_loaded()
    assert "eu-prod" in dashboard.gateway_names()
    details = dashboard.open_gateway("eu-prod-gw")
    expect(details.general_details).to_contain_text("eu-prod-gw")
    assert f"/gateways/{_id(gravitee, 'eu-prod-gw')}" in details.page.url


def _id(sandbox: GraviteeSandbox, name: str) -> str:
    return str(next(g["id"] for g in sandbox.state()["gateways"] if g["name"] == name))
