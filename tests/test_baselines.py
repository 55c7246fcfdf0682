"""Structure baselines: scrubbing aria snapshots, comparing, candidates, approval."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from pages.gravitee import DashboardPage, SignInPage
from runbooks._aria import SecretLeft, normalise
from runbooks._baselines import BaselineStore
from runbooks._secrets import Redactor
from sandbox import GraviteeSandbox
from tests.blank_page import blank_context

RUNBOOK = "gravitee-cloud-token"


def read_all(root: Path) -> str:
    return "".join(p.read_text() for p in sorted(root.rglob("*")) if p.is_file())


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('- textbox "Password": hunter2-long', '- textbox "Password": <value>'),
        ("- textbox: revoke", "- textbox: <value>"),
        ('- textbox "Name" [disabled]: "a: b"', '- textbox "Name" [disabled]: <value>'),
        ('- combobox "Expired": 2027-06-30', '- combobox "Expired": <value>'),
        ('- cell "Sep 16, 2025, 8:42:19 AM"', '- cell "<date>, <time>"'),
        ("- time: 2025-09-16T08:42:19.123Z", "- time: <datetime>"),
        ("- cell: 16/09/2025 14:05", "- cell: <date> <time>"),
        ("- cell: Tue, 16 Sep 2025", "- cell: <date>"),
        ("- cell: September 16th, 2025", "- cell: <date>"),
        ("- /url: /gateways/8d2e4b16-5a7c-4f3e-9b1d-0c6a2e7f4d58", "- /url: /gateways/<uuid>"),
        ("- /url: /sso?state=abc&redirect_uri=http%3A%2F%2F127.0.0.1%3A4", "- /url: /sso?<query>"),
        ("- paragraph: eyJhbGciOi.eyJzdWIiOiI4.fGEOAS_SF4", "- paragraph: <jwt>"),
        ("- cell: cldk_A1b2C3d4E5f6", "- cell: <cldk-token>"),
        ("- cell: deadbeefdeadbeef0123", "- cell: <hex>"),
        ("- cell: QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODk=", "- cell: <base64>"),
        ("- paragraph: 3 tokens, 1-3 of 12", "- paragraph: <n> tokens, 1-3 of <n>"),
        ('- heading "Cloud Tokens (2)" [level=2]', '- heading "Cloud Tokens (<n>)" [level=2]'),
        ("- cell: created 5 minutes ago", "- cell: created <ago>"),
        ('- cell "4.11.2"', '- cell "4.11.2"'),
    ],
)
def test_normalise_replaces_values_and_volatile_text(raw: str, expected: str) -> None:
    assert normalise(raw) == expected + "\n"


FORM = """
<label>Key <input value='typed: "x" #1' placeholder="Your key"></label>
<label>Notes <textarea>line one
line: two "q"</textarea></label>
<input type=password aria-label="Password" value="s3cret-pass">
<label>Count <input type=number value=12></label>
<label>Empty <input placeholder="Type here"></label><button>Sign in</button>
"""


def test_every_kind_of_input_value_is_replaced(browser: Browser) -> None:
    with blank_context(browser) as context:
        page = context.new_page()
        page.set_content(FORM)
        raw = page.locator("body").aria_snapshot()
    # The premise: Chromium shows a value with a placeholder as a child text line.
    assert '- text: "typed: \\"x\\" #1"' in raw
    out = normalise(raw)
    for typed in ("typed", "line one", "s3cret-pass", "12"):
        assert typed not in out
    assert '- textbox "Key":\n  - /placeholder: Your key\n  - text: <value>\n' in out
    assert '- textbox "Notes": <value>' in out and '- spinbutton "Count": <value>' in out
    assert "- /placeholder: Type here" in out and '- button "Sign in"' in out


def test_the_run_redactor_is_applied_first(tmp_path: Path) -> None:
    redactor = Redactor()
    redactor.register("only-the-redactor-knows")
    store = BaselineStore.beside(tmp_path / ".env", scrub=redactor.scrub)
    assert store.root == tmp_path / "checks"
    store.update(RUNBOOK, "2", "- paragraph: only-the-redactor-knows")
    assert "only-the-redactor-knows" not in read_all(tmp_path / "checks")


def test_normalise_replaces_every_secret_including_its_escaped_form() -> None:
    secret = 'pa"ss\\word-99'
    raw = f'- paragraph: "token {secret[:2]}\\"ss\\\\word-99"\n- cell: {secret}'
    out = normalise(raw, [secret])
    assert "ss" not in out.replace("<secret>", "")
    assert out.count("<secret>") == 2


def test_normalise_refuses_when_a_secret_survives() -> None:
    # A "secret" that the placeholder itself contains cannot be replaced away.
    with pytest.raises(SecretLeft):
        normalise("- cell: secret", ["secret", "<secret>"])


def test_store_compare_update_and_approve(tmp_path: Path) -> None:
    store = BaselineStore(tmp_path / "checks")
    first = '- region "Cloud Tokens":\n  - button "Generate Cloud Token"\n'
    assert store.compare(RUNBOOK, "5", first).status == "missing"
    made = store.update(RUNBOOK, "5", first, text="Click Generate Cloud Token.")
    assert made.status == "missing" and made.candidate is not None
    assert made.candidate.name == "step-5.aria.new"
    assert not store.path(RUNBOOK, "5").exists(), "update never writes a baseline"
    assert store.approve() == [store.path(RUNBOOK, "5")]
    baseline = store.path(RUNBOOK, "5").read_text()
    assert baseline.startswith("# gravitee-cloud-token step 5: Click Generate Cloud Token.\n")
    assert store.compare(RUNBOOK, "5", first).status == "match"

    renamed = first.replace("Generate Cloud Token", "Create Cloud Token")
    changed = store.update(RUNBOOK, "5", renamed)
    assert changed.status == "changed"
    assert '-  - button "Generate Cloud Token"' in changed.diff
    assert '+  - button "Create Cloud Token"' in changed.diff
    assert "1 line(s) added, 1 removed" in changed.summary()
    assert store.path(RUNBOOK, "5").read_text() == baseline, "nothing overwritten silently"
    assert store.approve(["other-runbook"]) == []
    assert store.approve([f"{RUNBOOK}:5"]) == [store.path(RUNBOOK, "5")]
    assert "Create Cloud Token" in store.path(RUNBOOK, "5").read_text()
    assert store.candidates() == []
    # A match removes a stale candidate.
    store.update(RUNBOOK, "5", first)
    assert store.update(RUNBOOK, "5", renamed).status == "match"
    assert store.candidates() == []


def sign_in_form(page: Page, gravitee: GraviteeSandbox) -> SignInPage:
    DashboardPage(page).open()
    form = SignInPage(page).wait_until_loaded()
    form.email.fill(gravitee.EMAIL)
    form.password.fill(gravitee.PASSWORD)
    return form


def test_typed_password_never_reaches_a_baseline(
    page: Page, gravitee: GraviteeSandbox, tmp_path: Path, skin: str
) -> None:
    form = sign_in_form(page, gravitee)
    raw = page.locator("body").aria_snapshot()
    assert gravitee.PASSWORD in raw, "the premise: aria snapshots record input values"
    # Not registered: the input's value is still replaced.
    store = BaselineStore(tmp_path / "checks")
    store.update(RUNBOOK, "1", raw, text="Sign in.")
    written = read_all(tmp_path / "checks")
    assert gravitee.PASSWORD not in written and gravitee.EMAIL not in written
    assert '"Password": <value>' in written
    if skin == "plain":  # the framework skin names its controls otherwise (not documented)
        assert 'textbox "Password": <value>' in written
        assert 'button "Sign in"' in written
    # The same form, another run (another port, another nonce): still a match.
    store.approve()
    form.password.fill("another-password-42")
    assert store.compare(RUNBOOK, "1", page.locator("body").aria_snapshot()).status == "match"


def test_shown_token_never_reaches_a_baseline(
    page: Page, gravitee: GraviteeSandbox, tmp_path: Path, skin: str
) -> None:
    board = DashboardPage(page)
    board.open()
    SignInPage(page).wait_until_loaded().sign_in(gravitee.EMAIL, gravitee.PASSWORD)
    details = board.wait_until_loaded().open_gateway("eu-prod-gw").go_to_cloud_tokens()
    dialog = details.generate_cloud_token().wait_until_open()
    token = dialog.token()
    # The token also shown as text (as a portal might): only registration catches that.
    dialog.root.evaluate(
        "(d, t) => d.append(Object.assign(document.createElement('p'), {textContent: t}))", token
    )
    raw = dialog.root.aria_snapshot()
    assert token in raw
    store = BaselineStore(tmp_path / "checks", secrets=[token, gravitee.PASSWORD])
    result = store.update(RUNBOOK, "6", raw, text="Copy the token.")
    written = read_all(tmp_path / "checks")
    assert token not in written
    assert "<secret>" in written
    if skin == "plain":  # the framework skin shows the token as text, in a <code>
        assert 'textbox "Cloud Token": <value>' in written
    assert 'dialog "Copy your Cloud Token"' in written
    assert result.status == "missing"


TABLE = """
<table aria-label="Account Tokens"><thead><tr><th>Name</th><th>Created</th></tr></thead>
<tbody>{rows}</tbody></table><button>Generate Account Token</button>
"""


def test_table_rows_can_be_collapsed_to_their_structure(browser: Browser, tmp_path: Path) -> None:
    row = "<tr><td>token-{n}</td><td>Sep {n}, 2025</td></tr>"
    with blank_context(browser) as context:
        page = context.new_page()
        page.set_content(TABLE.format(rows="".join(row.format(n=n) for n in (1, 2, 3))))
        three = page.locator("body").aria_snapshot()
        page.set_content(TABLE.format(rows=row.format(n=1)))
        one = page.locator("body").aria_snapshot()
    collapsed = normalise(three, collapse_rows=True)
    assert collapsed == normalise(one, collapse_rows=True)
    assert normalise(three) != normalise(one), "without it, the rows' number is compared"
    assert collapsed.count("- row ") == 2, "the header row and the first data row"
    assert 'cell "token-1"' in collapsed and "token-2" not in collapsed
    assert collapsed.rstrip().endswith('- button "Generate Account Token"')
    store = BaselineStore(tmp_path, collapse_rows=True)
    store.update(RUNBOOK, "3", three)
    store.approve()
    assert store.compare(RUNBOOK, "3", one).status == "match"
