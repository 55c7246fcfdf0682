"""Drift classification from real Playwright errors and the runbook error tree."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect
from playwright.sync_api import Error as PlaywrightError

from pages._waits import ControlNotFound
from runbooks._drift import Drift, Severity, StepResult, classify
from runbooks._errors import BrowserError, ConfigError, PortalError, StepFailed, TargetError
from runbooks._failures import as_runbook_error
from runbooks._model import Step
from tests.blank_page import blank_context

HTML = """
<button>Revoke token</button><button>Revoke token</button>
<button disabled>Revoke Token</button>
"""


@pytest.fixture(scope="module")
def shared(browser: Browser) -> Iterator[Page]:
    with blank_context(browser) as context:
        page = context.new_page()
        page.set_content(HTML)
        yield page


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def raised(action: object) -> BaseException:
    assert callable(action)
    try:
        action()
    except BaseException as exc:  # keep whatever it raised: that is under test
        return exc
    raise AssertionError("nothing was raised")


def test_two_matches_are_ambiguous(shared: Page) -> None:
    exc = raised(lambda: shared.get_by_role("button", name="Revoke token", exact=True).click())
    result = classify(exc)
    assert result.kind is Drift.CONTROL_AMBIGUOUS
    assert result.found == "2 controls match"
    assert "Revoke token" in result.expected


def test_timeout_waiting_for_a_control_is_missing_or_slow(shared: Page) -> None:
    exc = raised(lambda: shared.get_by_role("button", name="Generate").click(timeout=50))
    assert classify(exc).kind is Drift.CONTROL_MISSING
    assert "Generate" in classify(exc).expected
    assert classify(exc, appeared_later=True).kind is Drift.SLOW


def test_navigation_timeout_is_slow(shared: Page) -> None:
    exc = raised(lambda: shared.wait_for_url("**/never", timeout=50))
    assert classify(exc).kind is Drift.SLOW


def test_expectations_distinguish_missing_from_changed(shared: Page) -> None:
    disabled = shared.get_by_role("button", name="Revoke Token", exact=True)
    changed = raised(lambda: expect(disabled).to_be_enabled(timeout=50))
    assert classify(changed).kind is Drift.STRUCTURE_CHANGED
    absent = shared.get_by_role("button", name="Copy and Close")
    missing = raised(lambda: expect(absent).to_be_visible(timeout=50))
    assert classify(missing).kind is Drift.CONTROL_MISSING


def test_refused_connection_is_portal_unreachable(browser: Browser) -> None:
    with blank_context(browser) as context:
        page = context.new_page()
        exc = raised(lambda: page.goto(f"http://127.0.0.1:{closed_port()}/"))
    result = classify(exc)
    assert result.kind is Drift.PORTAL_UNREACHABLE
    assert result.found == "ERR_CONNECTION_REFUSED"
    assert result.kind.severity is Severity.UNCHECKED


def test_closed_page_is_browser_unavailable(browser: Browser) -> None:
    with blank_context(browser) as context:
        page = context.new_page()
        page.close()
        exc = raised(lambda: page.goto("about:blank"))
    assert classify(exc).kind is Drift.BROWSER_UNAVAILABLE
    assert classify(exc).kind.retryable


def test_refused_browser_server_is_browser_unavailable(playwright: Playwright) -> None:
    exc = raised(lambda: playwright.chromium.connect(f"ws://127.0.0.1:{closed_port()}/"))
    assert isinstance(exc, PlaywrightError)
    assert classify(exc).kind is Drift.BROWSER_UNAVAILABLE


def test_step_failed_is_looked_through_even_from_none(shared: Page) -> None:
    def step() -> None:
        try:
            shared.get_by_role("button", name="Revoke token", exact=True).click()
        except PlaywrightError as exc:
            # What today's engine does: its own words, the original suppressed.
            raise StepFailed(exc.message.splitlines()[0], step="4", text="Click the bin.") from None

    assert classify(raised(step)).kind is Drift.CONTROL_AMBIGUOUS
    words_only = [
        ("Locator.click: strict mode violation: x resolved to 3 elements", Drift.CONTROL_AMBIGUOUS),
        ("the browser was closed", Drift.BROWSER_UNAVAILABLE),
        ("the Cloud Tokens table did not appear (looked for x)", Drift.CONTROL_MISSING),
        ("get_by_role('button') did not appear", Drift.CONTROL_MISSING),
        ("something odd", Drift.TOOL_DEFECT),
    ]
    for message, kind in words_only:
        assert classify(StepFailed(message, step="4", text="t")).kind is kind, message
    late = StepFailed("the bin icon did not appear", step="4", text="t")
    assert classify(late, appeared_later=True).kind is Drift.SLOW


def test_what_the_engine_hands_observers_is_classified(shared: Page, browser: Browser) -> None:
    # StepEnd.error is as_runbook_error's result, built (not raised) in the loop: no cause.
    step = Step("4", "Click the bin icon.", action=lambda ctx: None)
    button = shared.get_by_role("button", name="Revoke token", exact=True)
    with blank_context(browser) as context:
        closed = context.new_page()
        closed.close()
        cases = [
            (lambda: button.click(), Drift.CONTROL_AMBIGUOUS),
            (
                lambda: shared.get_by_role("button", name="Nope").click(timeout=50),
                Drift.CONTROL_MISSING,
            ),
            (lambda: closed.goto("about:blank"), Drift.BROWSER_UNAVAILABLE),
        ]
        for action, kind in cases:
            error = as_runbook_error(raised(action), step, "http://127.0.0.1:1")  # type: ignore[arg-type]
            assert error.__cause__ is None and error.__context__ is None
            assert classify(error).kind is kind, (str(error), kind)
        page = context.new_page()
        down = raised(lambda: page.goto(f"http://127.0.0.1:{closed_port()}/"))
    unreachable = as_runbook_error(down, step, "http://127.0.0.1:1")  # type: ignore[arg-type]
    assert classify(unreachable).kind is Drift.PORTAL_UNREACHABLE


def test_runbook_errors_are_classified() -> None:
    missing = ControlNotFound("the Cloud Tokens table", "get_by_role('table')")
    wrapped = StepFailed("it did not appear", step="4", text="Open Cloud Tokens.")
    wrapped.__cause__ = missing
    assert classify(wrapped).kind is Drift.CONTROL_MISSING
    assert classify(wrapped).expected == "the Cloud Tokens table (get_by_role('table'))"
    assert classify(missing, appeared_later=True).kind is Drift.SLOW
    refused = PortalError("sign-in refused for a@b.c: 'Wrong email or password'")
    assert classify(refused).kind is Drift.SIGN_IN_REFUSED
    expired = PortalError(
        "the portal signed this run out mid-way (session expired); a resume signs in again"
    )
    assert classify(expired).kind is Drift.SIGN_IN_REFUSED
    assert classify(PortalError("no gateway named 'x'")).kind is Drift.CONTROL_MISSING
    assert classify(TargetError("cannot reach x")).kind is Drift.PORTAL_UNREACHABLE
    assert classify(BrowserError("no browser")).kind is Drift.BROWSER_UNAVAILABLE
    assert classify(KeyError("facts")).kind is Drift.TOOL_DEFECT
    assert classify(ConfigError("RUNBOOK_X is not set")).kind is Drift.TOOL_DEFECT


def test_step_result_status_and_description(tmp_path: Path) -> None:
    ok = StepResult("gravitee-cloud-token", "sandbox", "5", "Click Generate Cloud Token.")
    assert (ok.status, ok.severity, ok.flaky) == ("passed", Severity.OK, False)
    flaky = StepResult("r", "p", "5", "t", retries=1)
    assert flaky.status == "flaky" and flaky.flaky
    warn = StepResult("r", "p", "3", "t", kind=Drift.FALLBACK_ONLY)
    assert warn.status == "warning"
    down = StepResult("r", "p", "1", "t", kind=Drift.PORTAL_UNREACHABLE)
    assert down.status == "unchecked"
    bad = StepResult(
        "r",
        "p",
        "4",
        "Click the bin icon.",
        kind=Drift.CONTROL_MISSING,
        expected="the bin",
        found="nothing",
    )
    assert bad.status == "failed"
    assert (
        bad.describe()
        == "step 4 (Click the bin icon.): control missing; expected the bin; found nothing"
    )
    assert max(r.severity for r in (ok, warn, down, bad)) is Severity.FAILURE
