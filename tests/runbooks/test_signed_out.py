"""A step that fails because the portal went back to its sign-in says the session ended."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import pytest
from playwright.sync_api import Page, expect

from pages.gravitee import SignInPage
from runbooks import SIGNED_OUT, PortalError, StepContext
from runbooks.gravitee._common import while_signed_in
from sandbox import GraviteeSandbox


def look_for_settings(ctx: StepContext) -> None:
    expect(ctx.page.get_by_role("link", name="Settings")).to_be_visible(timeout=500)


def context(page: Page) -> StepContext:
    # The guard reads only the step's page.
    return cast(StepContext, cast(Any, SimpleNamespace(page=page)))


def test_a_step_failing_on_the_sign_in_page_says_the_session_ended(
    gravitee: GraviteeSandbox, page: Page
) -> None:
    page.goto(gravitee.url)
    expect(SignInPage(page).heading).to_be_visible()  # signed out: the console sends us here
    with pytest.raises(PortalError) as raised:
        while_signed_in(look_for_settings)(context(page))
    assert str(raised.value) == SIGNED_OUT


def test_a_step_failing_elsewhere_keeps_its_own_error(page: Page) -> None:
    page.set_content("<main><h1>Dashboard</h1></main>")
    with pytest.raises(AssertionError):
        while_signed_in(look_for_settings)(context(page))
