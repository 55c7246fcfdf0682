"""The Cloudeka page objects against the replica, in real Chromium."""

from __future__ import annotations

from datetime import date, timedelta

import pyotp
from playwright.sync_api import Page, expect

from pages.cloudeka import (
    ApiOverviewPage,
    Notification,
    OneTimeCodePage,
    PortalPage,
    SecretApiKeyDialog,
    SignInPage,
)
from sandbox import CloudekaSandbox

FUTURE = date.today() + timedelta(days=120)


def test_wrong_password_opens_the_login_failed_dialog(
    cloudeka_page: Page, cloudeka: CloudekaSandbox
) -> None:
    form = SignInPage(cloudeka_page).open()
    form.sign_in(cloudeka.EMAIL, "wrong-password")
    expect(form.failure.root).to_be_visible()
    assert form.failure.reason() == (
        "Login Failed: Please recheck the username and password and try again!"
    )
    form.failure.dismiss()
    expect(form.failure.root).to_be_hidden()
    expect(form.heading).to_be_visible()


def test_one_time_code_step_refuses_a_wrong_code_then_signs_in(
    cloudeka_page: Page, cloudeka: CloudekaSandbox
) -> None:
    secret = pyotp.random_base32()
    cloudeka.enable_totp(secret)
    SignInPage(cloudeka_page).open().sign_in(cloudeka.EMAIL, cloudeka.PASSWORD)
    step = OneTimeCodePage(cloudeka_page).wait_until_loaded()
    totp = pyotp.TOTP(secret)
    step.enter_code(next(c for c in ("000000", "111111") if not totp.verify(c, valid_window=1)))
    expect(step.error).to_be_visible()
    assert step.error_text() == "Invalid or expired OTP"
    step.enter_code(totp.now())
    PortalPage(cloudeka_page, cloudeka.DISPLAY_NAME).wait_until_loaded()


def test_profile_button_is_named_by_the_display_name(
    cloudeka_portal: PortalPage, cloudeka_page: Page, cloudeka: CloudekaSandbox
) -> None:
    unnamed = PortalPage(cloudeka_page)  # as a run finds it, not knowing the name
    expect(unnamed.profile_button).to_have_count(1)
    assert unnamed.profile_name() == cloudeka.DISPLAY_NAME
    expect(cloudeka_portal.profile_button).to_have_accessible_name(cloudeka.DISPLAY_NAME)


# How each skin shows "no expiry" (the vendor documents only that the token stays active).
NEVER_SHOWN = {"plain": "Never", "framework": "Unlimited"}


def test_profile_menu_leads_to_api_overview_and_its_token_tab(
    cloudeka_portal: PortalPage, skin: str
) -> None:
    overview = cloudeka_portal.open_api()
    assert isinstance(overview, ApiOverviewPage)
    expect(overview.token_tab).to_have_attribute("aria-selected", "false")
    tab = overview.select_token_tab()
    rows = {row.name(): row for row in tab.tokens()}
    assert list(rows) == ["jupyter-notebook", "ci-nightly"]
    assert rows["jupyter-notebook"].expires() == date(2025, 9, 30)
    assert rows["ci-nightly"].expires() is None
    assert rows["ci-nightly"].expires_text() == NEVER_SHOWN[skin]


def test_create_token_form_refuses_a_missing_or_taken_name(
    cloudeka_portal: PortalPage, cloudeka: CloudekaSandbox
) -> None:
    tab = cloudeka_portal.open_api().select_token_tab()
    before = cloudeka.state()["tokens"]
    form = tab.new_token()
    expect(form.expired_date).to_have_attribute("min", (date.today() + timedelta(1)).isoformat())
    form.fill("   ", FUTURE)
    form.confirm()
    expect(form.error).to_have_text("Token Name is required.")
    form.fill("ci-nightly", None)  # the portal refuses a name the list already shows
    form.confirm()
    expect(form.error).to_have_text("Token name already exists.")
    form.cancel()
    assert cloudeka.state()["tokens"] == before


def test_new_token_shows_its_key_once_copies_it_and_lists_the_token(
    cloudeka_portal: PortalPage, cloudeka_page: Page, cloudeka: CloudekaSandbox
) -> None:
    tab = cloudeka_portal.open_api().select_token_tab()
    form = tab.new_token()
    form.fill("ci-deploy", FUTURE)
    form.confirm()
    dialog = SecretApiKeyDialog(cloudeka_page).wait_until_open()
    Notification(cloudeka_page).wait_until_shown()
    (record,) = [t for t in cloudeka.state()["tokens"] if t["name"] == "ci-deploy"]
    assert dialog.secret() == record["secret"]
    dialog.copy()
    expect(cloudeka_page.get_by_text("Copied to clipboard")).to_be_visible()
    assert cloudeka_page.evaluate("navigator.clipboard.readText()") == record["secret"]
    dialog.close()
    tab.wait_for_count("ci-deploy", 1)
    (row,) = tab.tokens("ci-deploy")
    assert row.expires() == FUTURE
    # Gone for good: nothing in the page holds the key any more.
    assert record["secret"] not in cloudeka_page.content()
    expect(dialog.root).to_be_hidden()


def test_the_package_lists_exactly_its_page_objects_sorted() -> None:
    import pages.cloudeka

    public = [n for n, v in vars(pages.cloudeka).items() if isinstance(v, type)]
    assert pages.cloudeka.__all__ == sorted(public, key=str.casefold)
