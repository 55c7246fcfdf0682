"""Pages for tests that bring their own HTML (`page.set_content`): no sandbox needed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Route


@contextmanager
def blank_context(browser: Browser) -> Iterator[BrowserContext]:
    """A context with a fixed viewport and scale whose pages may only ask for loopback.

    Any other request is aborted and fails the test when the context ends (the
    no-egress rule of tests/conftest.py, for pages without a sandbox).
    """
    violations: list[str] = []

    def local_only(route: Route) -> None:
        if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            violations.append(route.request.url)
            route.abort("blockedbyclient")

    context = browser.new_context(viewport={"width": 640, "height": 360}, device_scale_factor=1)
    context.route("**/*", local_only)
    try:
        yield context
    finally:
        context.close()
    assert not violations, f"the browser asked for hosts outside loopback: {violations}"
