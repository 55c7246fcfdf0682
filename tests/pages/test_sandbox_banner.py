"""Every signed-in page of a replica says it is the sandbox: nobody mistakes it for the portal."""

from __future__ import annotations

from playwright.sync_api import expect

from pages.cloudeka import PortalPage
from pages.gravitee import DashboardPage


def test_the_gravitee_replica_says_sandbox(dashboard: DashboardPage) -> None:
    banner = dashboard.page.get_by_role("note").filter(has_text="SANDBOX")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("a replica of Gravitee Cloud")


def test_the_cloudeka_replica_says_sandbox(cloudeka_portal: PortalPage) -> None:
    banner = cloudeka_portal.page.get_by_role("note").filter(has_text="SANDBOX")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("a replica of Cloudeka Service Portal AI")
