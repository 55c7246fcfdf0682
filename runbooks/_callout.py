"""The control a documented step uses, outlined and numbered in the page (issue #12 part 1).

A docs capture is taken *before* the step acts, with the control outlined and
a numbered callout (the step's number) beside it. Both are drawn by elements
this module adds to the page for the capture and removes afterwards; they
ignore the pointer, so they never change what the step clicks. The outline's
box is returned so that a test (or the manifest) can hold it against the
control's own bounding box.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Locator, Page

from runbooks._imagediff import Box

__all__ = ["outlined"]

_DRAW = """([box, number, padding, colour, width]) => {
  const x = box.x + window.scrollX - padding, y = box.y + window.scrollY - padding;
  const w = box.width + 2 * padding, h = box.height + 2 * padding;
  const outline = document.createElement('div');
  outline.dataset.runbookCallout = 'outline';
  Object.assign(outline.style, {
    position: 'absolute', left: x + 'px', top: y + 'px', width: w + 'px', height: h + 'px',
    boxSizing: 'border-box', border: width + 'px solid ' + colour, borderRadius: '4px',
    pointerEvents: 'none', zIndex: '2147483647', margin: '0',
  });
  const badge = document.createElement('div');
  badge.dataset.runbookCallout = 'number';
  badge.textContent = number;
  const size = 26;
  const room = document.documentElement.clientWidth + window.scrollX;
  const left = x + w + 6 + size <= room ? x + w + 6 : Math.max(x - 6 - size, 0);
  Object.assign(badge.style, {
    position: 'absolute', left: left + 'px', top: (y + h / 2 - size / 2) + 'px',
    width: size + 'px', height: size + 'px', lineHeight: size + 'px', borderRadius: '50%',
    background: colour, color: '#fff', font: 'bold 14px sans-serif', textAlign: 'center',
    pointerEvents: 'none', zIndex: '2147483647', margin: '0',
  });
  document.body.append(outline, badge);
}"""
_REMOVE = "() => document.querySelectorAll('[data-runbook-callout]').forEach(e => e.remove())"


@contextmanager
def outlined(
    page: Page,
    control: Locator,
    number: str,
    *,
    padding: int = 4,
    colour: str = "#d9480f",
    width: int = 3,
) -> Iterator[Box]:
    """Outline `control` and number it `number` while the block runs.

    Args:
        page: The page the control is on.
        control: The control the step uses, already waited for (scrolled into view).
        number: The guide's step number, drawn in the callout.
        padding: Pixels between the control and the outline.
        colour: The outline's and the callout's colour.
        width: The outline's width in pixels.

    Yields:
        The outline's box in viewport pixels (CSS pixels; times the scale in the image).

    Raises:
        ValueError: the control has no box (it is not visible).
    """
    # The step has already waited for its control: a hidden one is an error, not a wait.
    if not control.is_visible():
        raise ValueError(f"step {number}: the control to outline is not visible")
    control.scroll_into_view_if_needed()
    box = control.bounding_box()
    if box is None:
        raise ValueError(f"step {number}: the control to outline is not visible")
    page.evaluate(_DRAW, [box, number, padding, colour, width])
    try:
        yield Box(
            round(box["x"] - padding),
            round(box["y"] - padding),
            round(box["x"] + box["width"] + padding),
            round(box["y"] + box["height"] + padding),
        )
    finally:
        page.evaluate(_REMOVE)
