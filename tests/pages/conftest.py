"""Page-object fixtures: a page signed in to the Gravitee replica."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from pages.gravitee import DashboardPage, SignInPage
from sandbox import GraviteeSandbox


@pytest.fixture
def dashboard(page: Page, gravitee: GraviteeSandbox) -> DashboardPage:
    """The Dashboard, after signing in as the sandbox's operator."""
    board = DashboardPage(page)
    board.open()
    SignInPage(page).wait_until_loaded().sign_in(gravitee.EMAIL, gravitee.PASSWORD)
    expect(board.heading).to_be_visible()
    return board.wait_until_loaded()
