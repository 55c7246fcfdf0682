"""The floor: each rotation as a bare Playwright script, no framework, no recordings.

The documented clicks of each runbook with the waits a careful person would
write (a visible heading before acting on a screen, a dialog gone before going
on, the table's row count after a change) and nothing else: no screenshots,
no trace, no journal, no redaction. Run as its own process so that its CPU
(with its Playwright driver and browser) is counted like the tool's.

    python -m bench.bare gravitee-cloud-token URL EMAIL PASSWORD OUT_FILE
    python -m bench.bare gravitee-cert-renewal URL EMAIL PASSWORD OUT_FILE KEYSTORE TOKEN_NAME
    python -m bench.bare cloudeka-token URL EMAIL PASSWORD OUT_FILE TOKEN_NAME EXPIRES

OUT_FILE receives the secret the runbook delivers (the Cloud token, the keystore's
password, the Secret API Key), written 0600 like the tool's `--secret-to file:`.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

GATEWAY = "eu-prod-gw"


def _write_private(path: Path, data: bytes) -> None:
    """`data` to `path`, mode 0600, atomically (a temporary file beside it, then a rename)."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, path)


def _write_secret(path: Path, value: str) -> None:
    _write_private(path, (value + "\n").encode())


def _gravitee_sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible()
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()


def gravitee_cloud_token(page: Page, email: str, password: str, out: Path) -> None:
    """Gravitee's "Generate a New Cloud Token": revoke the old, generate, copy and close."""
    _gravitee_sign_in(page, email, password)
    table = page.get_by_role("region", name="Gateways").get_by_role("table")
    table.get_by_role("link", name=GATEWAY, exact=True).click()
    expect(page.get_by_role("heading", name="Hybrid Gateway Details", level=1)).to_be_visible()
    tokens = page.get_by_role("region", name="Cloud Tokens")
    rows = tokens.get_by_role("table").get_by_role("row").filter(has=page.get_by_role("button"))
    empty = tokens.get_by_role("table").get_by_role("row").filter(has_text="No Cloud tokens")
    expect(rows.first.or_(empty)).to_be_visible()
    while (count := rows.count()) > 0:
        rows.first.get_by_role("button").click()
        dialog = page.get_by_role("dialog", name="Revoke Cloud Token")
        expect(dialog).to_be_visible()
        dialog.get_by_role("textbox").fill("revoke")
        dialog.get_by_role("button", name="Revoke Token").click()
        expect(dialog).to_be_hidden()
        expect(rows).to_have_count(count - 1)
    tokens.get_by_role("button", name="Generate Cloud Token").click()
    dialog = page.get_by_role("dialog", name="Copy your Cloud Token")
    expect(dialog).to_be_visible()
    field = dialog.get_by_role("textbox")
    expect(field).not_to_have_value("")
    token = field.input_value()
    _write_secret(out, token)
    dialog.get_by_role("button", name="Copy and Close").click()
    expect(dialog).to_be_hidden()
    if str(page.evaluate("navigator.clipboard.readText()")).strip() != token:
        raise SystemExit("the copied token differs from the one shown")
    expect(rows).to_have_count(1)


ACCOUNT_URL = re.compile(r"https?://[^\s\"'<>]+/management/accounts/[^\s/\"'<>]+")


def gravitee_cert_renewal(
    page: Page, email: str, password: str, out: Path, keystore: str, token_name: str
) -> None:
    """Gravitee's "Cloud Certificate Renewal", then the temporary account token revoked.

    Sign in; Settings > Account tokens > Generate Account Token (a name); read the
    token and the account URL from the dialog's Example section; Close; POST
    <account URL>/certificate/renewcert with the token as Bearer; the keystore
    (base64 in the reply) written 0600 and its password to `out`; then the token
    revoked on the Account tokens page, as the tool's step C does. No check of
    the keystore (the tool opens it and checks its certificate before writing).
    """
    _gravitee_sign_in(page, email, password)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Settings", level=1)).to_be_visible()
    page.get_by_role("link", name="Account tokens", exact=True).click()
    expect(page.get_by_role("heading", name="Account tokens", level=1)).to_be_visible()
    table = page.get_by_role("table", name="Account tokens")
    rows = table.get_by_role("row").filter(has=page.get_by_role("button"))
    empty = table.get_by_role("row").filter(has_text="No account tokens")
    expect(rows.first.or_(empty)).to_be_visible()
    page.get_by_role("button", name="Generate Account Token").click()
    naming = page.get_by_role("dialog", name="Generate Account Token", exact=True)
    expect(naming).to_be_visible()
    naming.get_by_label("Name", exact=True).fill(token_name)
    naming.get_by_role("button", name="Generate", exact=True).click()
    shown = page.get_by_role("dialog", name="Generate Token", exact=True)
    expect(shown).to_be_visible()
    field = shown.get_by_label("Account Token", exact=True)
    expect(field).not_to_have_value("")
    token = field.input_value()
    found = ACCOUNT_URL.search(shown.get_by_role("region", name="Example").inner_text())
    if found is None:
        raise SystemExit("no account URL in the Example section")
    shown.get_by_role("button", name="Close", exact=True).click()
    expect(shown).to_be_hidden()

    reply = page.context.request.post(
        found.group(0).rstrip("/") + "/certificate/renewcert",
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
        max_redirects=0,
    )
    if not reply.ok:
        raise SystemExit(f"the renewal answered {reply.status}")
    body = json.loads(reply.body())
    _write_private(Path(keystore), base64.b64decode(body["content"]))
    _write_secret(out, body["storePassword"])

    # The tool's step C: revoke the temporary token (trash icon, its name typed, revoke).
    row = rows.filter(has=page.get_by_role("cell", name=token_name, exact=True))
    expect(row).to_have_count(1)
    row.get_by_role("button").click()
    revoke = page.get_by_role("dialog", name="Revoke Account Token")
    expect(revoke).to_be_visible()
    revoke.get_by_label("Confirm", exact=True).fill(token_name)
    revoke.get_by_role("button", name="I understand the consequences, revoke this token").click()
    expect(revoke).to_be_hidden()
    expect(row).to_have_count(0)


def cloudeka_token(
    page: Page, email: str, password: str, out: Path, token_name: str, expires: str
) -> None:
    """Cloudeka's "Generate new token": a Secret API Key named `token_name`, expiring `expires`.

    Sign in; profile menu > API; the Token tab; New Token; Token Name and
    Expired date; Confirm; the key read from its dialog; Copy (and the
    clipboard compared with the key); the key written 0600; Close; the new row
    checked for its name and Expired date. The tool also proves the key with one
    API call and signs out at the end; this script does neither.
    """
    page.goto("/")
    expect(page.get_by_role("heading", name="Sign In Now!")).to_be_visible()
    page.get_by_label("Email Address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign In", exact=True).click()
    profile = page.get_by_role("banner").get_by_role("button")  # the name in the top right
    expect(profile).to_be_visible()
    profile.click()
    page.get_by_role("menu").get_by_role("menuitem", name="API", exact=True).click()
    expect(page.get_by_role("heading", name="API Overview", level=1)).to_be_visible()
    page.get_by_role("tab", name="Token", exact=True).click()
    panel = page.get_by_role("tabpanel", name="Token")
    table = panel.get_by_role("table")
    # The rows once loaded: tokens, or the one "No data available" row.
    expect(table.get_by_role("row").nth(1)).to_be_visible()
    named = table.get_by_role("row").filter(
        has=page.get_by_role("cell", name=token_name, exact=True)
    )
    before = named.count()
    panel.get_by_role("button", name="New Token").click()
    form = page.get_by_role("dialog", name="Create Token", exact=True)
    expect(form).to_be_visible()
    form.get_by_label("Token Name").fill(token_name)
    form.get_by_label("Expired date").fill(expires)
    form.get_by_role("button", name="Confirm", exact=True).click()
    dialog = page.get_by_role("dialog", name="Secret API Key", exact=True)
    expect(dialog).to_be_visible()
    field = dialog.get_by_role("textbox", name="Secret API Key")
    expect(field).not_to_have_value("")
    key = field.input_value()
    dialog.get_by_role("button", name="Copy", exact=True).click()
    expect(dialog.get_by_text("Copied to clipboard")).to_be_visible()
    if str(page.evaluate("navigator.clipboard.readText()")).strip() != key:
        raise SystemExit("the copied key differs from the one shown")
    _write_secret(out, key)
    dialog.get_by_role("button", name="Close", exact=True).click()
    expect(dialog).to_be_hidden()
    expect(named).to_have_count(before + 1)
    expect(named.last.locator(f'time[datetime="{expires}"]')).to_have_count(1)


FLOWS: dict[str, Callable[..., None]] = {
    "gravitee-cloud-token": gravitee_cloud_token,
    "gravitee-cert-renewal": gravitee_cert_renewal,
    "cloudeka-token": cloudeka_token,
}


def main(argv: list[str]) -> None:
    """Run one flow in a fresh headless Chromium, like `runbook run` does."""
    name, url, email, password, out, *extra = argv
    executable = os.environ.get("RUNBOOK_BROWSER") or shutil.which("chromium")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            headless=True,
            executable_path=executable,
            # The tool's own launch flags, so that both sides start the same browser.
            args=[
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                *(["--no-sandbox"] if os.geteuid() == 0 else []),
            ],
        )
        context = browser.new_context(
            base_url=url,
            viewport={"width": 1280, "height": 800},
            locale="en-US",
            permissions=["clipboard-read", "clipboard-write"],
        )
        FLOWS[name](context.new_page(), email, password, Path(out), *extra)
        context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1:])
