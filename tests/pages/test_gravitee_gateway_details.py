"""Screen G2 and dialogs G3 and G4: Cloud Tokens, revoke, generate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from pages.gravitee import DashboardPage, GatewayDetailsPage
from sandbox import GraviteeSandbox


def gateway_state(gravitee: GraviteeSandbox, name: str) -> dict[str, Any]:
    return next(g for g in gravitee.state()["gateways"] if g["name"] == name)


@pytest.fixture
def details(dashboard: DashboardPage) -> GatewayDetailsPage:
    return dashboard.open_gateway("eu-prod-gw").go_to_cloud_tokens()


def test_cloud_tokens_table_shows_creation_date_and_time(
    details: GatewayDetailsPage, gravitee: GraviteeSandbox
) -> None:
    (row,) = details.tokens()
    seeded = gateway_state(gravitee, "eu-prod-gw")["tokens"][0]["createdAt"]
    assert row.created_at() == datetime.fromisoformat(seeded.replace("Z", "+00:00"))
    assert any(ch.isdigit() for ch in row.created_text())
    expect(details.generate_button).to_be_enabled()


def test_bin_icon_is_found_without_an_accessible_name(details: GatewayDetailsPage) -> None:
    (row,) = details.tokens()
    # The real portal's bin may have no label at all: strip the replica's.
    row.bin.evaluate("b => { b.removeAttribute('aria-label'); b.removeAttribute('title'); }")
    dialog = row.open_revoke_dialog()
    expect(dialog.root).to_be_visible()


@pytest.mark.parametrize("word", ["Revoke", "revoke ", "", "delete"])
def test_revoke_dialog_refuses_anything_but_revoke(
    details: GatewayDetailsPage, gravitee: GraviteeSandbox, word: str
) -> None:
    dialog = details.tokens()[0].open_revoke_dialog()
    dialog.type_confirmation(word)
    expect(dialog.revoke_button).to_be_disabled()
    dialog.type_confirmation("revoke")
    expect(dialog.revoke_button).to_be_enabled()
    dialog.cancel()
    details.wait_for_token_count(1)
    assert len(gateway_state(gravitee, "eu-prod-gw")["tokens"]) == 1


def test_revoke_deletes_the_token(details: GatewayDetailsPage, gravitee: GraviteeSandbox) -> None:
    old = gateway_state(gravitee, "eu-prod-gw")["tokens"][0]["value"]
    dialog = details.tokens()[0].open_revoke_dialog()
    dialog.type_confirmation()
    dialog.revoke()
    details.wait_for_token_count(0)
    expect(details.empty_rows).to_be_visible()
    state = gateway_state(gravitee, "eu-prod-gw")
    assert state["tokens"] == []
    assert [t["value"] for t in state["revokedTokens"]] == [old]


def test_generate_shows_the_token_once_and_copy_and_close_copies_it(
    details: GatewayDetailsPage, gravitee: GraviteeSandbox
) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    dialog = details.generate_cloud_token()
    expect(dialog.warning).to_be_visible()
    shown = dialog.token()
    values = [t["value"] for t in gateway_state(gravitee, "eu-prod-gw")["tokens"]]
    assert shown in values and shown.count(".") == 2  # a JWT
    dialog.copy_and_close()
    assert details.page.evaluate("navigator.clipboard.readText()") == shown
    details.wait_for_token_count(2)
    newest = max(row.created_at() for row in details.tokens())
    assert newest >= before - timedelta(seconds=1)
    # Shown once: nothing on the page holds the value any more.
    assert shown not in details.page.content()
