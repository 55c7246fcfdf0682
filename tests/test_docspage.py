"""A page made ready for a docs capture: placeholders, example values, no stale toast; undone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from runbooks._capture import assert_no_secret, placeholder_for
from runbooks._docspage import EXAMPLE_ORIGIN, prepared, volatile_pairs
from tests.blank_page import blank_context

SECRET = "cldk_9f8e7d6c5b4a39281706f5e4d3c2b1a0"
SCREEN = f"""
<p>Account URL: http://127.0.0.1:43123/account</p>
<p id=made>Created Nov 23, 2026, 2:33:07\u202fPM</p>
<p id=later>Created Nov 23, 2026, 2:41:00\u202fPM</p>
<p id=key>{SECRET}</p><input id=field value="{SECRET}">
<div role=status id=toast>Token has been successfully created</div>
"""


@pytest.fixture(scope="module")
def shared(browser: Browser) -> Iterator[Page]:
    with blank_context(browser) as context:
        yield context.new_page()


def test_secrets_times_and_ports_are_swapped_then_put_back(shared: Page) -> None:
    shared.set_content(SCREEN)
    with prepared(shared, [SECRET], known={}) as placeholders:
        assert_no_secret(shared, [SECRET])  # the check stable_capture makes
        assert shared.locator("#key").inner_text() == placeholders[SECRET]
        assert shared.locator("#field").input_value() == placeholder_for(SECRET)
        assert shared.locator("#made").inner_text() == "Created Jan 15, 2026, 10:00:00\u202fAM"
        assert shared.locator("#later").inner_text() == "Created Jan 15, 2026, 10:01:00\u202fAM"
        assert f"{EXAMPLE_ORIGIN}/account" in shared.locator("body").inner_text()
        assert not shared.locator("#toast").is_visible(), "an earlier step's notification"
    # The step then acts on the page as the portal drew it.
    assert shared.locator("#field").input_value() == SECRET
    assert shared.locator("#key").inner_text() == SECRET
    assert "2:33:07" in shared.locator("#made").inner_text()
    assert shared.locator("#toast").is_visible()


def test_a_notification_of_the_step_itself_stays(shared: Page) -> None:
    shared.set_content(SCREEN)
    with prepared(shared, [], stale_notifications=["something older"]):
        assert shared.locator("#toast").is_visible()


def test_example_times_follow_the_run_not_the_screen() -> None:
    known: dict[str, str] = {}
    volatile_pairs(["23 Nov 2026, 14:33"], known)
    later = volatile_pairs(["23 Nov 2026, 14:41", "23 Nov 2026, 14:33"], known)
    assert later["23 Nov 2026, 14:33"] == "15 Jan 2026, 10:00"
    assert later["23 Nov 2026, 14:41"] == "15 Jan 2026, 10:01"


def test_a_numeric_month_first_time_gets_an_example_too() -> None:
    # Vuetify's token list writes "12/5/2026, 14:33": a minute later, another image.
    pairs = volatile_pairs(["Created 12/5/2026, 14:33 and 12/5/2026, 14:33:09"])
    assert pairs["12/5/2026, 14:33"] == "1/15/2026, 10:00"
    assert pairs["12/5/2026, 14:33:09"] == "1/15/2026, 10:01:00"


def test_playwright_highlight_never_reaches_a_capture(shared: Page) -> None:
    shared.set_content(SCREEN)
    shared.locator("#key").highlight()
    glass = shared.locator("x-pw-glass")
    glass.wait_for(state="attached")
    with prepared(shared, [SECRET]):
        assert glass.evaluate("e => getComputedStyle(e).display") == "none"
