"""`runbook login`: the person signs in, later runs reuse the saved sign-in."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page

from pages.gravitee import SignInPage
from runbooks import _session
from sandbox import GraviteeSandbox
from tests.cli import run_cli


class Person:
    """Plays the person at the browser `runbook login` opens: signs in when asked."""

    def __init__(self, gravitee: GraviteeSandbox, *, signs_in: bool = True) -> None:
        self.gravitee = gravitee
        self.signs_in = signs_in
        self.sign_in_pages = 0

    def attach(self, context: BrowserContext) -> None:
        context.on("page", self._watch)

    def _watch(self, page: Page) -> None:
        page.on("load", lambda _: self._on_load(page))

    def _on_load(self, page: Page) -> None:
        if not page.url.startswith(self.gravitee.auth_url):
            return
        self.sign_in_pages += 1
        if self.signs_in:
            SignInPage(page).sign_in(self.gravitee.EMAIL, self.gravitee.PASSWORD)


@pytest.fixture
def person(gravitee: GraviteeSandbox, monkeypatch: pytest.MonkeyPatch) -> Iterator[Person]:
    someone = Person(gravitee)
    monkeypatch.setattr(_session, "context_hooks", [*_session.context_hooks, someone.attach])
    yield someone


def saved_files(tmp_path: Path) -> list[Path]:
    return list((tmp_path / "data" / "sessions").glob("*.json"))


def login(gravitee: GraviteeSandbox, *extra: str) -> None:
    result = run_cli("login", "gravitee", "--target", gravitee.url, "--headless", *extra)
    assert result.code == 0, result.text
    assert "Saved the sign-in" in result.err


def test_login_saves_the_signed_in_state_and_runs_reuse_it(
    gravitee: GraviteeSandbox, person: Person, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    login(gravitee)
    (saved,) = saved_files(tmp_path)
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    data = json.loads(saved.read_text())
    assert data["saved_at"] and data["storage_state"]["cookies"]
    assert person.sign_in_pages == 1

    # No credentials configured at all: only the saved sign-in.
    monkeypatch.setenv("RUNBOOK_GRAVITEE_URL", gravitee.url)
    result = run_cli(
        "run",
        "gravitee-cloud-token",
        "--gateway",
        "eu-prod-gw",
        "--secret-to",
        f"file:{tmp_path}/t",
    )
    assert result.code == 0, result.text
    assert person.sign_in_pages == 1, "the run did not pass through the sign-in page"
    gw = next(g for g in gravitee.state()["gateways"] if g["name"] == "eu-prod-gw")
    assert (tmp_path / "t").read_text().strip() == gw["tokens"][0]["value"]


def test_an_expired_saved_sign_in_is_noticed(
    gravitee: GraviteeSandbox, person: Person, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    login(gravitee)
    gravitee.expire_sessions()
    person.signs_in = False
    monkeypatch.setenv("RUNBOOK_GRAVITEE_URL", gravitee.url)
    result = run_cli(
        "run",
        "gravitee-cloud-token",
        "--gateway",
        "eu-prod-gw",
        "--secret-to",
        f"file:{tmp_path}/t",
    )
    assert result.code == 1
    assert "the saved sign-in has expired; run `runbook login gravitee` again" in result.err
    assert not (tmp_path / "t").exists()

    # With credentials configured the run says so and signs in by itself.
    monkeypatch.setenv("RUNBOOK_GRAVITEE_EMAIL", gravitee.EMAIL)
    monkeypatch.setenv("RUNBOOK_GRAVITEE_PASSWORD", gravitee.PASSWORD)
    again = run_cli(
        "run",
        "gravitee-cloud-token",
        "--gateway",
        "eu-prod-gw",
        "--secret-to",
        f"file:{tmp_path}/t",
    )
    assert again.code == 0, again.text
    assert "has expired" in again.err


def test_login_gives_up_when_nobody_signs_in(
    gravitee: GraviteeSandbox, person: Person, tmp_path: Path
) -> None:
    person.signs_in = False
    result = run_cli("login", "gravitee", "--target", gravitee.url, "--headless", "--wait", "2")
    assert result.code == 1 and "not signed in to Gravitee Cloud within 2 s" in result.err
    assert saved_files(tmp_path) == []


def test_login_needs_a_portal_url() -> None:
    result = run_cli("login", "gravitee", "--headless")
    assert result.code == 2 and "RUNBOOK_GRAVITEE_URL" in result.err
