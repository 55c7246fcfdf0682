"""Deterministic, secret-free captures of a page, for documentation (issue #12 parts 2-3).

`stable_capture` freezes what moves (animations, transitions, carets), waits
for the fonts, and takes screenshots until two consecutive ones agree, as
Playwright's ``toHaveScreenshot`` does; it waits on animation frames, never on
the clock. `replace_secrets_in_page` puts a realistic placeholder of the same
shape in place of every registered secret (in text, input values and
attributes, in every frame), so a reader sees a JWT-shaped or ``cldk_``-shaped
dummy instead of a magenta box; `assert_no_secret` refuses a capture while any
secret can still be found.
"""

from __future__ import annotations

import base64
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

__all__ = [
    "FREEZE_CSS",
    "SecretVisible",
    "UnstableCapture",
    "assert_no_secret",
    "placeholder_for",
    "replace_secrets_in_page",
    "stable_capture",
]

#: Stops what would make two captures of the same screen differ.
FREEZE_CSS = """
*, *::before, *::after {
  animation-duration: 0s !important; animation-delay: 0s !important;
  animation-iteration-count: 1 !important; transition: none !important;
  caret-color: transparent !important; scroll-behavior: auto !important;
}
"""

_JWT = re.compile(r"^eyJ[\w-]+\.[\w-]+\.[\w-]*$")
_TWO_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
_FREEZE = """css => {
  if (document.querySelector('style[data-runbook-freeze]')) return;
  const style = Object.assign(document.createElement('style'), {textContent: css});
  style.dataset.runbookFreeze = '';
  (document.head || document.documentElement).append(style);
}"""
# Text nodes, form values and attributes, through open shadow roots.
_WALK = """
function walk(root, visit) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let node = walker.currentNode; node; node = walker.nextNode()) {
    if (node.nodeType === Node.TEXT_NODE) { visit(node, 'text'); continue; }
    for (const attr of Array.from(node.attributes || [])) visit(attr, 'attr');
    if ('value' in node && typeof node.value === 'string') visit(node, 'value');
    if (node.shadowRoot) walk(node.shadowRoot, visit);
  }
}
"""
_REPLACE = (
    "pairs => {"
    + _WALK
    + """
  let count = 0;
  const swap = text => {
    for (const [secret, placeholder] of pairs) {
      if (text.includes(secret)) { count += text.split(secret).length - 1;
                                   text = text.split(secret).join(placeholder); }
    }
    return text;
  };
  walk(document.documentElement, (node, kind) => {
    if (kind === 'text') { const t = swap(node.data); if (t !== node.data) node.data = t; }
    else if (kind === 'attr') { const t = swap(node.value); if (t !== node.value) node.value = t; }
    else { const t = swap(node.value); if (t !== node.value) node.value = t; }
  });
  if (document.title) document.title = swap(document.title);
  return count;
}"""
)
_FIND = (
    "values => {"
    + _WALK
    + """
  const seen = new Set();
  const look = text => values.forEach((v, i) => { if (text && text.includes(v)) seen.add(i); });
  walk(document.documentElement, (node, kind) => look(kind === 'text' ? node.data : node.value));
  look(document.title);
  look(location.href);
  return Array.from(seen);
}"""
)


class SecretVisible(RuntimeError):
    """A registered secret can still be found in the page or the image: no capture."""


class UnstableCapture(RuntimeError):
    """The screen kept changing: no two consecutive captures agreed."""


#: A long opaque key: its characters say nothing of a layout, only its length does.
_OPAQUE = re.compile(r"[A-Za-z0-9_-]{32,}")


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def placeholder_for(secret: str) -> str:
    """A realistic dummy of the same shape and about the same length as `secret`.

    JWTs get a decodable JWT saying it is an example; ``cldk_`` tokens a
    ``cldk_`` dummy; a long opaque key (32 or more URL-safe characters, as
    `secrets.token_urlsafe` makes) a fixed filler of its length, so that two
    runs, whose keys differ, draw the same image; anything else keeps its
    length and character classes (letters become x, digits 0, punctuation
    stays), so the layout is the same.
    """
    if _JWT.match(secret):
        _, payload, signature = secret.split(".")
        head = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
        claims = {"sub": "docs-example"}

        def encoded() -> str:
            return _b64url(json.dumps(claims, separators=(",", ":")).encode())

        while len(encoded()) < len(payload):
            claims["x"] = claims.get("x", "") + "x"
        body = encoded()
        return f"{head}.{body}.{'E' * len(signature)}"
    filler = "DocsExample0"
    if secret.startswith("cldk_"):
        rest = (filler * (len(secret) // len(filler) + 1))[: len(secret) - 5]
        return "cldk_" + rest
    if _OPAQUE.fullmatch(secret):
        opaque = (filler * (len(secret) // len(filler) + 1))[: len(secret)]
        return opaque if opaque != secret else "*" * len(secret)
    shaped = "".join(
        ("X" if c.isupper() else "x") if c.isalpha() else "0" if c.isdigit() else c for c in secret
    )
    return shaped if shaped != secret else "*" * len(secret)


def replace_secrets_in_page(page: Page, secrets: Mapping[str, str]) -> int:
    """Replace each secret (key) by its placeholder (value) in every frame of `page`.

    The page's inputs then hold the placeholder: read and deliver a secret
    before replacing it, or swap back afterwards (the same call with the
    mapping inverted).

    Returns:
        How many occurrences were replaced.
    """
    pairs = sorted(((s, p) for s, p in secrets.items() if s), key=lambda x: -len(x[0]))
    return sum(int(frame.evaluate(_REPLACE, pairs)) for frame in page.frames)


def assert_no_secret(page: Page, values: Iterable[str]) -> None:
    """Raise `SecretVisible` if any of `values` is in the page's text, values or attributes.

    The message counts the secrets found; it never quotes one.
    """
    wanted = [v for v in values if v]
    found: set[int] = set()
    for frame in page.frames:
        found.update(int(i) for i in frame.evaluate(_FIND, wanted))
    if found:
        raise SecretVisible(f"{len(found)} registered secret(s) still visible in the page")


def _pixels(png: bytes) -> tuple[tuple[int, int], bytes]:
    with Image.open(io.BytesIO(png)) as image:
        return image.size, image.convert("RGBA").tobytes()


def _check_metadata(png: bytes, values: Sequence[str]) -> None:
    with Image.open(io.BytesIO(png)) as image:
        text = json.dumps({k: str(v) for k, v in image.info.items()})
    if any(v in text for v in values):
        raise SecretVisible("a registered secret is in the image's metadata")


def stable_capture(
    page: Page,
    *,
    target: Locator | None = None,
    path: Path | None = None,
    mask: Sequence[Locator] = (),
    secrets: Sequence[str] = (),
    tries: int = 5,
    **screenshot: Any,
) -> bytes:
    """Capture `target` (or the page) once two consecutive screenshots agree.

    Args:
        page: The page; a freeze stylesheet is injected into it.
        target: An element to capture instead of the viewport.
        path: Where to write the PNG.
        mask: Elements to mask (a second layer behind the placeholders).
        secrets: Registered secret values: the capture is refused while any is
            in the page or the PNG's metadata.
        tries: Screenshots to take at most before giving up.
        **screenshot: More options for Playwright's ``screenshot`` (clip, scale …).

    Raises:
        SecretVisible: a secret can still be found.
        UnstableCapture: no two consecutive screenshots agreed within `tries`.
    """
    assert_no_secret(page, secrets)
    page.evaluate(_FREEZE, FREEZE_CSS)
    page.evaluate("() => document.fonts.ready.then(() => true)")
    options: dict[str, Any] = {
        "animations": "disabled",
        "caret": "hide",
        "mask": list(mask),
        **screenshot,
    }
    subject: Page | Locator = target if target is not None else page
    previous: tuple[tuple[int, int], bytes] | None = None
    for _ in range(max(tries, 2)):
        page.evaluate(_TWO_FRAMES)
        png = subject.screenshot(**options)
        current = _pixels(png)
        if current == previous:
            _check_metadata(png, secrets)
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(png)
            return png
        previous = current
    raise UnstableCapture(f"the screen kept changing: no two of {tries} captures agreed")
