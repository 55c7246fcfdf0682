"""The control outlined and numbered for a docs capture, held against its own box."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page

from runbooks._callout import outlined
from runbooks._capture import stable_capture
from tests.blank_page import blank_context

SCREEN = """
<style>body { margin: 0; font: 16px sans-serif; } main { padding: 40px; }</style>
<main><h2>Cloud Tokens</h2><button>Generate Cloud Token</button>
<div style="height: 900px"></div><button>Revoke token</button>
<p hidden>Copy and Close</p></main>
"""


@pytest.fixture(scope="module")
def shared(browser: Browser) -> Iterator[Page]:
    with blank_context(browser) as context:
        page = context.new_page()
        yield page


def rgb(png: bytes, x: int, y: int) -> tuple[int, ...]:
    with Image.open(io.BytesIO(png)) as image:
        pixel = image.convert("RGB").getpixel((x, y))
    assert isinstance(pixel, tuple)
    return pixel


def test_the_outline_surrounds_the_control_and_goes_away(shared: Page) -> None:
    shared.set_content(SCREEN)
    button = shared.get_by_role("button", name="Generate Cloud Token")
    control = button.bounding_box()
    assert control is not None
    with outlined(shared, button, "5", padding=4) as box:
        drawn = shared.locator("[data-runbook-callout=outline]").bounding_box()
        assert drawn is not None
        for got, want in (
            (drawn["x"], control["x"] - 4),
            (drawn["y"], control["y"] - 4),
            (drawn["x"] + drawn["width"], control["x"] + control["width"] + 4),
            (drawn["y"] + drawn["height"], control["y"] + control["height"] + 4),
        ):
            assert abs(got - want) < 1
        assert abs(box.left - (control["x"] - 4)) <= 1 and abs(box.width - drawn["width"]) <= 1
        badge = shared.locator("[data-runbook-callout=number]")
        assert badge.text_content() == "5"
        badge_box = badge.bounding_box()
        assert badge_box is not None and badge_box["x"] >= drawn["x"] + drawn["width"]
        png = stable_capture(shared)
        # The outline's left edge, half-way down, is in its colour (#d9480f).
        assert rgb(png, box.left + 1, box.top + box.height // 2) == (0xD9, 0x48, 0x0F)
        button.click()  # the overlay ignores the pointer
    assert shared.locator("[data-runbook-callout]").count() == 0


def test_a_control_below_the_fold_is_scrolled_to(shared: Page) -> None:
    shared.set_content(SCREEN)
    button = shared.get_by_role("button", name="Revoke token")
    with outlined(shared, button, "4") as box:
        assert 0 <= box.top < 360, "in the viewport, where the capture is taken"
    with (
        pytest.raises(ValueError, match="step 9"),
        outlined(shared, shared.get_by_text("Copy and Close"), "9"),
    ):
        pass
