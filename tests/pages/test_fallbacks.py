"""Each documented control is still found when what the page object prefers is taken away.

The page objects prefer things no guide promises (a dialog's accessible name, a section's
landmark role, a heading's level, a menu item's role, a column's position). Here each is
removed from the live page, on every skin; the control is still found, and the way that
found it, recorded for the journal, is a fallback: no longer the first way.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from pages import take_strategies
from pages._find import Control
from pages.cloudeka import ApiOverviewPage, CreateTokenDialog, PortalPage, TokenTab
from pages.cloudeka import SignInPage as CloudekaSignInPage
from pages.gravitee import (
    DashboardPage,
    GatewayDetailsPage,
    RevokeCloudTokenDialog,
    SettingsPage,
)
from sandbox import CloudekaSandbox

# Take away what the page objects prefer; nothing a person sees changes.
NO_DIALOG_NAMES = (
    "document.querySelectorAll('[role=dialog], dialog')"
    ".forEach(d => d.removeAttribute('aria-labelledby'))"
)
NO_REGIONS = (
    "document.querySelectorAll('section').forEach(s => {"
    " s.removeAttribute('aria-labelledby'); s.setAttribute('role', 'presentation'); })"
)
NO_HEADINGS = (
    "document.querySelectorAll('h1, h2, h3, [role=heading]')"
    ".forEach(h => h.setAttribute('role', 'presentation'))"
)
NO_MENU_ROLES = (
    "document.querySelectorAll('[role=menuitem]').forEach(m => m.removeAttribute('role'))"
)
NO_TABPANELS = (
    "document.querySelectorAll('[role=tabpanel]').forEach(p => p.removeAttribute('role'))"
)
# An icon-only button: no aria-label, no title (the title names a button too).
NO_ICON_NAMES = (
    "document.querySelectorAll('button').forEach(b => {"
    " b.removeAttribute('aria-label'); b.removeAttribute('title'); })"
)
LINKS_AS_TABS = (
    "document.querySelectorAll('a').forEach(a => {"
    " if (a.textContent.trim() === 'Account tokens') a.setAttribute('role', 'tab'); })"
)
# Swap the first two columns of every table (headers and cells alike).
SWAP_COLUMNS = """document.querySelectorAll('[role=row], tr').forEach(r => {
  const [a, b] = r.children; if (a && b && r.children.length > 2) r.insertBefore(b, a); })"""


def found_by_fallback(page: Page, control: Control, find: Callable[[], object]) -> str:
    """Run `find`; return the way `control` was found, which must not be the first one."""
    take_strategies(page)  # forget what was found before
    find()
    how = take_strategies(page).get(control.what)
    assert how in control.tried, f"{control.what} recorded {how!r}, not one of {control.tried}"
    assert how != control.tried[0], f"{control.what} was still found the first way ({how})"
    return how


def test_gateway_details_without_headings_or_regions(dashboard: DashboardPage) -> None:
    page = dashboard.page
    details = dashboard.open_gateway("eu-prod-gw")
    page.evaluate(NO_REGIONS)
    page.evaluate(NO_HEADINGS)
    fresh = GatewayDetailsPage(page)
    found_by_fallback(page, fresh.heading_control, fresh.wait_until_loaded)
    found_by_fallback(page, fresh.general_control, fresh.wait_until_loaded)
    found_by_fallback(page, fresh.cloud_tokens_control, fresh.go_to_cloud_tokens)
    expect(fresh.general_details).to_contain_text("eu-prod-gw")
    assert len(details.tokens()) == 1


def test_the_bin_icon_without_a_name_and_the_date_in_another_column(
    dashboard: DashboardPage,
) -> None:
    page = dashboard.page
    details = dashboard.open_gateway("eu-prod-gw").go_to_cloud_tokens()
    expected = details.tokens()[0].created_at()
    page.evaluate(NO_ICON_NAMES)
    page.evaluate(SWAP_COLUMNS)
    (row,) = details.tokens()
    assert row.created_at() == expected  # found by its header, wherever the column is
    found_by_fallback(page, row.bin_control, row.open_revoke_dialog)
    RevokeCloudTokenDialog(page).cancel()


def test_the_revoke_dialog_without_an_accessible_name(dashboard: DashboardPage) -> None:
    page = dashboard.page
    (row,) = dashboard.open_gateway("eu-prod-gw").tokens()
    row.open_revoke_dialog()
    page.evaluate(NO_DIALOG_NAMES)
    dialog = RevokeCloudTokenDialog(page)
    found_by_fallback(page, dialog.root_control, dialog.wait_until_open)
    dialog.type_confirmation()
    expect(dialog.revoke_button).to_be_enabled()
    dialog.cancel()


def test_the_dashboard_without_its_heading_and_regions(dashboard: DashboardPage) -> None:
    page = dashboard.page
    page.evaluate(NO_HEADINGS)
    page.evaluate(NO_REGIONS)
    fresh = DashboardPage(page)
    found_by_fallback(page, fresh.heading_control, fresh.wait_until_loaded)
    found_by_fallback(page, fresh.gateways_control, fresh.wait_until_loaded)
    assert "eu-prod-gw" in fresh.gateway_names()


def test_account_tokens_reached_by_a_tab_instead_of_a_link(dashboard: DashboardPage) -> None:
    page = dashboard.page
    settings = SettingsPage(page).open_from_menu()
    page.evaluate(LINKS_AS_TABS)
    page.evaluate(NO_HEADINGS)
    found_by_fallback(page, settings.account_tokens_control, settings.open_account_tokens)


def test_cloudeka_without_menu_roles_tab_panels_or_dialog_names(
    cloudeka_portal: PortalPage,
) -> None:
    page = cloudeka_portal.page
    page.evaluate(NO_MENU_ROLES)  # the menu's items (where they are in the page already)
    found_by_fallback(page, cloudeka_portal.api_control, cloudeka_portal.open_api)
    overview = ApiOverviewPage(page)
    page.evaluate(NO_HEADINGS)
    found_by_fallback(page, overview.heading_control, overview.wait_until_loaded)
    overview.token_tab_control.find().click()
    page.evaluate(NO_TABPANELS)
    tab = TokenTab(page)
    found_by_fallback(page, tab.panel_control, tab.wait_until_loaded)
    rows = {row.name() for row in tab.tokens()}
    assert {"jupyter-notebook", "ci-nightly"} <= rows
    tab.new_token_control.find().click()
    page.evaluate(NO_DIALOG_NAMES)
    form = CreateTokenDialog(page)
    found_by_fallback(page, form.root_control, form.wait_until_open)
    form.cancel()


def test_cloudeka_sign_in_without_its_heading(
    cloudeka_page: Page, cloudeka: CloudekaSandbox
) -> None:
    form = CloudekaSignInPage(cloudeka_page)
    cloudeka_page.goto(form.PATH)
    form.heading_control.find()
    cloudeka_page.evaluate(NO_HEADINGS)
    found_by_fallback(cloudeka_page, form.heading_control, form.wait_until_loaded)
