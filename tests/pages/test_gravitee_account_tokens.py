"""Page objects for Settings > Account tokens (screens C1-C4) against the replica."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from pages._waits import ControlNotFound
from pages.gravitee import (
    AccountTokensPage,
    DashboardPage,
    GeneratedTokenDialog,
    SettingsPage,
)
from sandbox import GraviteeSandbox


@pytest.fixture
def tokens(dashboard: DashboardPage) -> AccountTokensPage:
    """The Account tokens page, reached as the guide says: Settings from the menu."""
    return SettingsPage(dashboard.page).open_from_menu().open_account_tokens()


def generate(tokens: AccountTokensPage, name: str) -> GeneratedTokenDialog:
    tokens.open_generate_dialog().generate(name)
    return GeneratedTokenDialog(tokens.page).wait_until_open()


def test_generate_shows_the_token_once_with_the_account_url(
    tokens: AccountTokensPage, gravitee: GraviteeSandbox, page: Page
) -> None:
    assert page.url.endswith("/settings/account-tokens")  # the replica's own address
    assert tokens.tokens() == []
    expect(tokens.empty_rows).to_have_count(1)
    dialog = tokens.open_generate_dialog()
    expect(dialog.generate_button).to_be_disabled()
    dialog.name_field.fill("   ")
    expect(dialog.generate_button).to_be_disabled()

    dialog.generate("ci-renewal")
    shown = GeneratedTokenDialog(page).wait_until_open()

    state = gravitee.state()
    (active,) = state["accountTokens"]
    assert shown.token() == active["value"]
    expect(shown.warning).to_be_visible()
    account_url = f"{gravitee.url}/management/accounts/{state['account']['id']}"
    assert shown.example_url() == account_url
    assert active["value"] in shown.example.inner_text()  # the curl example's Bearer header
    # A portal whose Example section changed shape: the page says what it could not find.
    shown.example.evaluate("section => section.querySelector('code').textContent = 'curl …'")
    with pytest.raises(ControlNotFound, match="the account URL in the Example section"):
        shown.example_url()
    shown.close()
    (row,) = tokens.tokens()
    assert (row.name(), row.created_by()) == ("ci-renewal", "Sandbox Operator")
    assert "2" in row.created_text()  # a date, as shown
    # Closed means gone: nothing in the page holds the value any more.
    assert active["value"] not in page.content()


def test_revoke_needs_the_exact_name(tokens: AccountTokensPage, gravitee: GraviteeSandbox) -> None:
    generate(tokens, "keep-me").close()
    generate(tokens, "Drop-Me").close()

    dialog = tokens.token("Drop-Me").open_revoke_dialog()
    for wrong in ("drop-me", "Drop-Me ", "Drop", "keep-me"):
        dialog.type_name(wrong)
        expect(dialog.revoke_button).to_be_disabled()
    dialog.cancel()
    assert tokens.token_names() == ["keep-me", "Drop-Me"]

    dialog = tokens.token("Drop-Me").open_revoke_dialog()
    dialog.type_name("Drop-Me")
    dialog.revoke()
    tokens.wait_until_gone("Drop-Me")

    assert tokens.token_names() == ["keep-me"]
    state = gravitee.state()
    assert [t["name"] for t in state["revokedAccountTokens"]] == ["Drop-Me"]


def test_the_eleventh_token_is_refused_with_a_message(
    tokens: AccountTokensPage, gravitee: GraviteeSandbox
) -> None:
    for number in range(9):  # quicker than the dialog; the page's own session
        reply = tokens.page.request.post(
            f"{gravitee.url}/management/v2/account/tokens", data={"name": f"t{number}"}
        )
        assert reply.status == 201
    tokens.page.reload()
    tokens.wait_until_loaded()
    generate(tokens, "t9").close()
    tokens.wait_for_token_count(10)

    dialog = tokens.open_generate_dialog()
    dialog.generate("t10")

    expect(dialog.error).to_contain_text("10 Account Tokens can be active simultaneously")
    expect(GeneratedTokenDialog(tokens.page).root).to_have_count(0)
    dialog.cancel()
    assert len(gravitee.state()["accountTokens"]) == 10
