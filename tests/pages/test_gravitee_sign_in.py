"""Screen G0: the sign-in page, on its own origin."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page, expect

from pages.gravitee import DashboardPage, SignInPage
from sandbox import GraviteeSandbox


def test_sign_in_page_is_reached_by_redirect_to_another_origin(
    page: Page, gravitee: GraviteeSandbox
) -> None:
    DashboardPage(page).open()
    form = SignInPage(page).wait_until_loaded()
    url = urlsplit(page.url)
    assert f"{url.scheme}://{url.netloc}" == gravitee.auth_url != gravitee.url
    assert parse_qs(url.query)["redirect_uri"][0].startswith(gravitee.url)
    for control in (form.email, form.password, form.submit, form.google, form.github, form.sso):
        expect(control).to_be_visible()


def test_sign_in_page_rejects_wrong_credentials(page: Page, gravitee: GraviteeSandbox) -> None:
    DashboardPage(page).open()
    form = SignInPage(page).wait_until_loaded()
    form.sign_in(gravitee.EMAIL, "not-the-password")
    expect(form.error).to_have_text("Wrong email or password.")
    expect(form.heading).to_be_visible()
    assert page.url.startswith(gravitee.auth_url)


def test_sign_in_returns_to_the_console(page: Page, gravitee: GraviteeSandbox) -> None:
    board = DashboardPage(page)
    board.open()
    SignInPage(page).wait_until_loaded().sign_in(gravitee.EMAIL, gravitee.PASSWORD)
    expect(board.heading).to_be_visible()
    assert page.url.startswith(gravitee.url)
