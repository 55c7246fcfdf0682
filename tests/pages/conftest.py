"""Page-object fixtures: pages signed in to the Gravitee and Cloudeka replicas."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from pages.cloudeka import PortalPage
from pages.cloudeka import SignInPage as CloudekaSignInPage
from pages.gravitee import DashboardPage, SignInPage
from runbooks._session import context_options
from sandbox import CloudekaSandbox, GraviteeSandbox
from tests.conftest import EgressGuard


@pytest.fixture
def dashboard(page: Page, gravitee: GraviteeSandbox) -> DashboardPage:
    """The Dashboard, after signing in as the sandbox's operator."""
    board = DashboardPage(page)
    board.open()
    SignInPage(page).wait_until_loaded().sign_in(gravitee.EMAIL, gravitee.PASSWORD)
    expect(board.heading).to_be_visible()
    return board.wait_until_loaded()


@pytest.fixture
def cloudeka_page(
    new_context: Callable[..., BrowserContext],
    cloudeka: CloudekaSandbox,
    egress_guard: EgressGuard,
) -> Page:
    """A page whose base URL is the Cloudeka replica (the `context` fixture is Gravitee's)."""
    context = new_context(**context_options(cloudeka.url))
    egress_guard.install(context)
    return context.new_page()


@pytest.fixture
def cloudeka_portal(cloudeka_page: Page, cloudeka: CloudekaSandbox) -> PortalPage:
    """The Cloudeka portal, after signing in as the sandbox's operator."""
    portal = PortalPage(cloudeka_page, cloudeka.DISPLAY_NAME)
    portal.open()
    CloudekaSignInPage(cloudeka_page).wait_until_loaded().sign_in(cloudeka.EMAIL, cloudeka.PASSWORD)
    return portal.wait_until_loaded()
