"""Image comparison on real PNGs rendered by Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from playwright.sync_api import Browser, Page

from runbooks._imagediff import Box, compare_images
from tests.blank_page import blank_context

PAGE = """
<style>
body {{ margin: 0; font: 16px sans-serif; background: #fff; }}
#card {{ position: absolute; left: 30px; top: 40px; width: 420px; }}
button {{ font: 15px sans-serif; padding: 8px 14px; border-radius: 6px; border: 1px solid #888;
         background: #f3f3f3; }}
.dot {{ position: absolute; left: {dot}px; top: 260px; width: 40px; height: 40px;
        border-radius: 50%; background: #246; }}
</style>
<div id=card>
  <h2>Cloud Tokens</h2>
  <p>Generate a token to connect the gateway.</p>
  <button>{label}</button>
</div>
<div class=dot></div>
"""


def load(path: Path) -> Image.Image:
    with Image.open(path) as image:
        return image.convert("RGBA")


@pytest.fixture(scope="module")
def shared(browser: Browser) -> Iterator[Page]:
    with blank_context(browser) as context:
        yield context.new_page()


def render(page: Page, path: Path, *, dot: float = 30, label: str = "Generate Cloud Token") -> Path:
    page.set_content(PAGE.format(dot=dot, label=label))
    page.screenshot(path=path, animations="disabled", caret="hide")
    return path


def button_box(page: Page) -> Box:
    found = page.get_by_role("button").bounding_box()
    assert found is not None
    left, top = int(found["x"]) - 1, int(found["y"]) - 1
    return Box(
        left, top, int(found["x"] + found["width"]) + 2, int(found["y"] + found["height"]) + 2
    )


def test_identical_renders_match(shared: Page, tmp_path: Path) -> None:
    a, b = render(shared, tmp_path / "a.png"), render(shared, tmp_path / "b.png")
    diff = compare_images(a, b, diff_path=tmp_path / "diff.png")
    assert diff.matches and diff.differing == 0 and diff.boxes == ()
    assert load(tmp_path / "diff.png").size == load(a).size


def test_an_anti_aliased_subpixel_shift_does_not_count(shared: Page, tmp_path: Path) -> None:
    a = render(shared, tmp_path / "a.png")
    # Half a pixel: every pixel on the circle's edge changes, by anti-aliasing only.
    b = render(shared, tmp_path / "b.png", dot=30.5)
    moved = ImageChops.difference(load(a), load(b)).getbbox(alpha_only=False)
    assert moved is not None, "the premise: pixels changed"
    diff = compare_images(a, b)
    assert diff.matches and diff.differing == 0, diff
    # Without anti-aliasing detection the same edge would count (pixelmatch's includeAA).
    c = render(shared, tmp_path / "c.png", dot=36)
    assert not compare_images(a, c).matches


def test_a_changed_button_label_counts_with_a_box_over_it(shared: Page, tmp_path: Path) -> None:
    a = render(shared, tmp_path / "a.png")
    before = button_box(shared)
    b = render(shared, tmp_path / "b.png", label="Create Cloud Token")
    inside = before.union(button_box(shared))
    diff = compare_images(a, b, diff_path=tmp_path / "diff.png")
    assert not diff.matches and diff.differing > 50
    (box,) = diff.boxes
    assert inside.union(box) == inside, f"{box} is not within the buttons {inside}"
    assert box.width > inside.width // 2, "one box over the label, not a box per letter"
    assert compare_images(a, b, max_diff_pixels=diff.differing).matches
    assert not compare_images(a, b, max_diff_pixels=diff.differing - 1).matches
    assert compare_images(a, b, max_diff_ratio=diff.ratio + 1e-6).matches
    assert 0 < diff.ratio < 0.01
    drawn = load(tmp_path / "diff.png")
    reds = [
        (x, y)
        for x in range(box.left, box.right)
        for y in range(box.top, box.bottom)
        if drawn.getpixel((x, y)) == (255, 0, 0, 255)
    ]
    assert len(reds) == diff.differing, "every counted pixel is red in the diff image"
    corner = drawn.getpixel((5, 5))
    assert isinstance(corner, tuple) and corner[:3] == (255, 255, 255), "the rest is faded"


def test_a_size_change_never_matches(shared: Page, tmp_path: Path) -> None:
    a = render(shared, tmp_path / "a.png")
    load(a).crop((0, 0, 640, 300)).save(tmp_path / "short.png")
    diff = compare_images(a, tmp_path / "short.png", max_diff_pixels=10**9)
    assert diff.size_changed and not diff.matches
