"""A page made ready for a docs capture, and put back afterwards (issue #12 parts 2-3).

Before a capture the page's text is swapped: every registered secret for a
placeholder of the same shape (`runbooks._capture.placeholder_for`), and what
differs from one run to the next (the date and time a portal stamps on what
the run made, the sandbox's random port) for fixed example values, so that
two runs draw the same pixels. Transient notifications left by earlier steps
are hidden, and so is Playwright's highlight overlay. Everything is put back
after the capture: the step then acts on the page as the portal drew it (it
may read a date, or the secret's field).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from runbooks._capture import _WALK, placeholder_for

if TYPE_CHECKING:
    from playwright.sync_api import Page

__all__ = ["EXAMPLE_TIME", "live_texts", "prepared", "volatile_pairs"]

#: The browser's frozen clock, and the first example time that replaces a portal's stamps.
EXAMPLE_TIME = datetime(2026, 1, 15, 10, 0, tzinfo=UTC)
EXAMPLE_ORIGIN = "https://portal.example.com"

_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
_SPACE = "[ \u00a0\u202f]"
#: "Nov 23, 2026, 2:33:07 PM" (en-US), "23 Nov 2026, 14:33" (en-GB), ISO 8601.
_US = re.compile(
    rf"\b(?:{_MONTHS}) \d{{1,2}}, \d{{4}},? \d{{1,2}}:\d{{2}}(?P<s>:\d{{2}})?"
    rf"(?P<sp>{_SPACE})(?:AM|PM)\b"
)
_GB = re.compile(rf"\b\d{{1,2}} (?:{_MONTHS}) \d{{4}},? \d{{2}}:\d{{2}}(?P<s>:\d{{2}})?\b")
_ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?P<s>:\d{2})?(?:\.\d+)?Z?\b")
#: "12/5/2026, 14:33" (numeric, month first: a component library's short format).
_NUMERIC = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4},? \d{1,2}:\d{2}(?P<s>:\d{2})?\b")
_TIMES = (_US, _GB, _ISO, _NUMERIC)
_LOCAL_ORIGIN = re.compile(r"https?://(?:127\.0\.0\.1|localhost):\d+")

_TEXTS = (
    "() => {"
    + _WALK
    + """
  const texts = [];
  walk(document.documentElement, (node, kind) => { if (kind === 'text') texts.push(node.data); });
  return texts;
}"""
)
_SWAP = (
    "pairs => {"
    + _WALK
    + """
  const undo = window.__runbookDocsUndo = window.__runbookDocsUndo || [];
  const swap = text => {
    for (const [from, to] of pairs) if (text.includes(from)) text = text.split(from).join(to);
    return text;
  };
  walk(document.documentElement, (node, kind) => {
    const key = kind === 'text' ? 'data' : 'value';
    const before = node[key];
    if (typeof before !== 'string') return;
    const after = swap(before);
    if (after !== before) { undo.push([node, key, before]); node[key] = after; }
  });
}"""
)
_LIVE = "[role=status], [role=alert], [aria-live]:not([aria-live=off])"
_LIVE_TEXTS = f"""() => Array.from(document.querySelectorAll('{_LIVE}'))
  .map(e => e.textContent.trim()).filter(Boolean)"""
_HIDE_LIVE = f"""old => {{
  const undo = window.__runbookDocsUndo = window.__runbookDocsUndo || [];
  for (const e of document.querySelectorAll('{_LIVE}')) {{
    const text = e.textContent.trim();
    if (text && (old === null || old.includes(text))) {{
      undo.push([e.style, 'visibility', e.style.visibility]);
      e.style.visibility = 'hidden';
    }}
  }}
}}"""
#: Playwright's own overlay (a guided run's highlight and its locator tooltip).
_HIDE_OVERLAYS = """() => {
  const undo = window.__runbookDocsUndo = window.__runbookDocsUndo || [];
  for (const e of document.querySelectorAll('x-pw-glass, x-pw-highlight, x-pw-tooltip')) {
    undo.push([e.style, 'display', e.style.display]);
    e.style.display = 'none';
  }
}"""
_UNDO = """() => {
  const undo = window.__runbookDocsUndo || [];
  while (undo.length) { const [node, key, value] = undo.pop(); node[key] = value; }
}"""


def _example(match: re.Match[str], pattern: re.Pattern[str], moment: datetime) -> str:
    seconds = match.group("s") is not None
    if pattern is _US:
        hour = moment.hour % 12 or 12
        clock = f"{hour}:{moment:%M}" + (f":{moment:%S}" if seconds else "")
        return f"{moment:%b} {moment.day}, {moment.year}, {clock}{match.group('sp')}{moment:%p}"
    if pattern is _GB:
        return f"{moment.day} {moment:%b} {moment.year}, {moment:%H:%M}" + (
            f":{moment:%S}" if seconds else ""
        )
    if pattern is _NUMERIC:
        return f"{moment.month}/{moment.day}/{moment.year}, {moment:%H:%M}" + (
            f":{moment:%S}" if seconds else ""
        )
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ" if seconds else "%Y-%m-%dT%H:%MZ")


def volatile_pairs(texts: Sequence[str], known: dict[str, str] | None = None) -> dict[str, str]:
    """Fixed example values for what changes between runs, in order of appearance.

    The n-th distinct date and time becomes `EXAMPLE_TIME` plus n minutes, in
    the same format; the n-th distinct local origin (the sandbox's random
    port) becomes an example origin.

    Args:
        texts: The page's text nodes, in document order.
        known: The pairs of the run's earlier captures, extended in place: a
            token's time stays the same from screen to screen, and a token
            made later in the run gets a later example time.
    """
    known = {} if known is None else known
    found: list[tuple[int, int, str, str]] = []
    for order, text in enumerate(texts):
        for pattern in _TIMES:
            for match in pattern.finditer(text):
                found.append((order, match.start(), match.group(), pattern.pattern))
    patterns = {p.pattern: p for p in _TIMES}
    times = [k for k in known if not _LOCAL_ORIGIN.fullmatch(k)]
    for _, _, value, key in sorted(found):
        if value not in known:
            pattern = patterns[key]
            whole = pattern.fullmatch(value)
            assert whole is not None
            moment = EXAMPLE_TIME + timedelta(minutes=len(times))
            known[value] = _example(whole, pattern, moment)
            times.append(value)
    origins = [k for k in known if _LOCAL_ORIGIN.fullmatch(k)]
    for text in texts:
        for origin in _LOCAL_ORIGIN.findall(text):
            if origin not in origins:
                index = len(origins)
                origins.append(origin)
                known[origin] = (
                    EXAMPLE_ORIGIN if index == 0 else f"https://portal{index + 1}.example.com"
                )
    return known


def live_texts(page: Page) -> list[str]:
    """The texts of the page's notifications (live regions) now."""
    return [str(t) for t in page.evaluate(_LIVE_TEXTS)]


@contextmanager
def prepared(
    page: Page,
    secrets: Sequence[str],
    *,
    stale_notifications: Sequence[str] | None = None,
    known: dict[str, str] | None = None,
) -> Iterator[Mapping[str, str]]:
    """The page with placeholders, example values and no stale notification, inside the block.

    Args:
        page: The page about to be captured.
        secrets: Every registered secret's value.
        stale_notifications: Hide the notifications showing these texts (left by
            earlier steps); None hides every notification.
        known: The example values of the run so far (see `volatile_pairs`).

    Yields:
        The secret → placeholder pairs used (to check the page against).
    """
    placeholders = {s: placeholder_for(s) for s in sorted(set(secrets), key=len, reverse=True)}
    texts = [str(t) for t in page.evaluate(_TEXTS)]
    volatile = volatile_pairs(texts, known)
    pairs = [*placeholders.items(), *volatile.items()]
    try:
        page.evaluate(_SWAP, [list(p) for p in pairs if p[0]])
        page.evaluate(
            _HIDE_LIVE, None if stale_notifications is None else list(stale_notifications)
        )
        page.evaluate(_HIDE_OVERLAYS)
        yield placeholders
    finally:
        page.evaluate(_UNDO)
