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
from typing import TYPE_CHECKING

from runbooks._imagediff import Box

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

__all__ = ["outlined"]

_DRAW = """([box, number, padding, colour, width]) => {
  // Both are top-layer popovers, drawn above an open modal dialog (the newest
  // top-layer element is drawn last), in viewport coordinates.
  const x = box.x - padding, y = box.y - padding;
  const w = box.width + 2 * padding, h = box.height + 2 * padding;
  const layer = {
    position: 'fixed', inset: 'auto', margin: '0', padding: '0', overflow: 'visible',
    pointerEvents: 'none', zIndex: '2147483647', background: 'transparent',
  };
  const outline = document.createElement('div');
  outline.dataset.runbookCallout = 'outline';
  outline.popover = 'manual';
  Object.assign(outline.style, layer, {
    left: x + 'px', top: y + 'px', width: w + 'px', height: h + 'px',
    boxSizing: 'border-box', border: width + 'px solid ' + colour, borderRadius: '4px',
  });
  const badge = document.createElement('div');
  badge.dataset.runbookCallout = 'number';
  badge.popover = 'manual';
  badge.textContent = number;
  const size = 26;
  const room = document.documentElement.clientWidth;
  const left = x + w + 6 + size <= room ? x + w + 6 : Math.max(x - 6 - size, 0);
  Object.assign(badge.style, layer, {
    left: left + 'px', top: (y + h / 2 - size / 2) + 'px', border: '0',
    width: size + 'px', height: size + 'px', lineHeight: size + 'px', borderRadius: '50%',
    background: colour, color: '#fff', font: 'bold 14px sans-serif', textAlign: 'center',
  });
  document.body.append(outline, badge);
  for (const e of [outline, badge]) if (e.showPopover) e.showPopover();
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
