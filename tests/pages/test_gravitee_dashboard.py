"""Screen G1: the Dashboard's Gateways list."""

from __future__ import annotations

from playwright.sync_api import expect

from pages.gravitee import DashboardPage
from sandbox import GraviteeSandbox

SEEDED = ["eu-prod-gw", "eu-staging-gw", "us-prod-gw"]


def test_dashboard_lists_the_gateways_with_the_documented_columns(dashboard: DashboardPage) -> None:
    assert sorted(dashboard.gateway_names()) == SEEDED
    for column in ("Configuration", "Provider", "Region", "Version", "Environment", "Status"):
        expect(dashboard.gateways_table.get_by_role("columnheader", name=column)).to_be_visible()
    expect(dashboard.deploy_gateway).to_be_visible()


def test_dashboard_waits_for_a_slow_api(
    dashboard: DashboardPage, gravitee: GraviteeSandbox
) -> None:
    gravitee.latency = 1.0
    dashboard.page.reload()
    assert sorted(dashboard.gateway_names()) == SEEDED


def test_open_gateway_shows_its_details(dashboard: DashboardPage) -> None:
    details = dashboard.open_gateway("eu-staging-gw")
    expect(details.general_details).to_contain_text("eu-staging-gw")
    expect(details.general_details).to_contain_text("Hybrid")
