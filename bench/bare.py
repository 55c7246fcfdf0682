"""The floor: each rotation as a bare Playwright script, no framework, no recordings.

The documented clicks of each runbook with the waits a careful person would
write (a visible heading before acting on a screen, a dialog gone before going
on, the table's row count after a change) and nothing else: no screenshots,
no trace, no journal, no redaction. Run as its own process so that its CPU
(with its Playwright driver and browser) is counted like the tool's.

    python -m bench.bare gravitee-cloud-token URL EMAIL PASSWORD OUT_FILE
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

GATEWAY = "eu-prod-gw"


def _write_secret(path: Path, value: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(value + "\n")
    os.replace(tmp, path)


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


FLOWS = {"gravitee-cloud-token": gravitee_cloud_token}


def main(argv: list[str]) -> None:
    """Run one flow in a fresh headless Chromium, like `runbook run` does."""
    name, url, email, password, out = argv
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
        FLOWS[name](context.new_page(), email, password, Path(out))
        context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1:])
