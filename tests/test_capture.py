"""Deterministic captures and secret placeholders, on the sandbox and on plain pages."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from pages.gravitee import CopyCloudTokenDialog, DashboardPage, SignInPage
from runbooks._capture import (
    SecretVisible,
    UnstableCapture,
    assert_no_secret,
    placeholder_for,
    replace_secrets_in_page,
    stable_capture,
)
from sandbox import GraviteeSandbox
from tests.blank_page import blank_context


@pytest.fixture(scope="module")
def shared(browser: Browser) -> Iterator[Page]:
    with blank_context(browser) as context:
        yield context.new_page()


def pixels(png: bytes) -> bytes:
    with Image.open(io.BytesIO(png)) as image:
        return image.convert("RGBA").tobytes()


def test_placeholders_keep_the_shape() -> None:
    jwt = (
        "eyJhbGciOiJIUzI1NiJ9."
        + "eyJzdWIiOiJyZWFsLXVzZXIiLCJpYXQiOjE3OTYxNjU2MjJ9"
        + ".c2lnbmF0dXJlLXNpZ25hdHVyZQ"
    )
    fake = placeholder_for(jwt)
    header, payload, signature = fake.split(".")
    assert json.loads(base64.urlsafe_b64decode(payload + "==="))["sub"] == "docs-example"
    assert json.loads(base64.urlsafe_b64decode(header + "==="))["typ"] == "JWT"
    assert abs(len(payload) - len(jwt.split(".")[1])) <= 2
    assert len(signature) == len(jwt.split(".")[2])
    cldk = "cldk_9fA7xQ2mL0pR4tV8wZ1yB3"
    assert placeholder_for(cldk).startswith("cldk_") and len(placeholder_for(cldk)) == len(cldk)
    assert placeholder_for(cldk) != cldk
    assert placeholder_for("Sandbox-pass-1234") == "Xxxxxxx-xxxx-0000"
    assert placeholder_for("xx-00") == "*****", "never the secret itself"
    # Two runs' opaque keys (secrets.token_urlsafe) differ; their images must not.
    first, second = "a9-Zk_" + "Q" * 37, "Zz0_b-" + "7" * 37
    assert placeholder_for(first) == placeholder_for(second) != first
    assert len(placeholder_for(first)) == len(first)


def open_copy_dialog(page: Page, gravitee: GraviteeSandbox) -> CopyCloudTokenDialog:
    board = DashboardPage(page)
    board.open()
    SignInPage(page).wait_until_loaded().sign_in(gravitee.EMAIL, gravitee.PASSWORD)
    details = board.wait_until_loaded().open_gateway("eu-prod-gw").go_to_cloud_tokens()
    return details.generate_cloud_token().wait_until_open()


def test_copy_dialog_shows_a_placeholder_not_the_token(
    page: Page, gravitee: GraviteeSandbox, tmp_path: Path
) -> None:
    dialog = open_copy_dialog(page, gravitee)
    token = dialog.token()
    # The token as text too (a portal may echo it), and in an attribute.
    dialog.root.evaluate(
        "(d, t) => d.append(Object.assign(document.createElement('p'),"
        " {textContent: t, title: t}))",
        token,
    )
    with pytest.raises(SecretVisible) as refused:
        assert_no_secret(page, [token])
    assert token not in str(refused.value)
    with pytest.raises(SecretVisible):
        stable_capture(page, target=dialog.root, secrets=[token])

    fake = placeholder_for(token)
    assert replace_secrets_in_page(page, {token: fake}) == 3
    assert dialog.token() == fake
    assert_no_secret(page, [token])
    expect(dialog.root.get_by_role("heading", name="Copy your Cloud Token")).to_be_visible()
    expect(dialog.warning).to_be_visible()
    png = stable_capture(page, target=dialog.root, secrets=[token], path=tmp_path / "step-6.png")
    assert (tmp_path / "step-6.png").read_bytes() == png
    assert token.encode() not in png
    # Swapped back, the dialog holds the token again (for a run that still needs it).
    assert replace_secrets_in_page(page, {fake: token}) == 3 and dialog.token() == token
    # The replica still holds the real token: only the page was changed.
    assert any(t["value"] == token for g in gravitee.state()["gateways"] for t in g["tokens"])


ANIMATED = """
<style>
@keyframes spin { to { transform: rotate(360deg); } }
.spinner { width: 40px; height: 40px; border: 6px solid #ccc; border-top-color: #246;
           border-radius: 50%; animation: spin 0.7s linear infinite; }
.fade { transition: opacity 5s; }
</style>
<div class=spinner></div><p class=fade>Loading the Cloud Tokens</p><input value=typing autofocus>
"""


def test_animations_and_carets_are_frozen(shared: Page) -> None:
    shared.set_content(ANIMATED)
    shared.locator("input").focus()
    first = stable_capture(shared)
    shared.evaluate("() => document.querySelector('.fade').style.opacity = '0.2'")
    shared.evaluate("() => document.querySelector('.fade').style.opacity = '1'")
    second = stable_capture(shared)
    assert pixels(first) == pixels(second)
    assert shared.locator("style[data-runbook-freeze]").count() == 1, "injected once"


def test_a_screen_that_never_settles_is_refused(shared: Page) -> None:
    shared.set_content(
        "<p id=n>0</p><script>"
        "const tick = () => { n.textContent = String(Number(n.textContent) + 1);"
        " requestAnimationFrame(tick); }; requestAnimationFrame(tick);</script>"
    )
    with pytest.raises(UnstableCapture, match="no two of 3 captures agreed"):
        stable_capture(shared, tries=3)


def test_a_sandbox_screen_captures_identically_after_a_reload(
    page: Page, gravitee: GraviteeSandbox
) -> None:
    board = DashboardPage(page)
    board.open()
    SignInPage(page).wait_until_loaded().sign_in(gravitee.EMAIL, gravitee.PASSWORD)
    details = board.wait_until_loaded().open_gateway("eu-prod-gw").go_to_cloud_tokens()
    first = stable_capture(page, full_page=True)
    page.reload()
    details.wait_until_loaded()
    details.wait_for_token_count(1)
    assert pixels(stable_capture(page, full_page=True)) == pixels(first)
