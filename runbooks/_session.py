"""The browser session: the only module that starts Playwright.

It resolves which Chromium to drive, launches it (or connects to a remote
Playwright browser server), and opens one browser context with the settings
every runbook relies on: the portal as `base_url`, clipboard permissions (the
portals' Copy buttons write to it), a fixed viewport and locale.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import (
    APIRequestContext,
    Browser,
    BrowserContext,
    Page,
    Playwright,
    expect,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError

from runbooks._errors import BrowserError
from runbooks._failures import first_line

__all__ = [
    "LAUNCH_FLAGS",
    "BrowserChoice",
    "BrowserProvider",
    "Session",
    "context_hooks",
    "context_options",
    "launch_options",
    "open_session",
    "resolve_browser",
]

# Keep Chromium from phoning home: offline, every one of those calls is an
# error in the log and a delay; online, it is traffic nobody asked for.
LAUNCH_FLAGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
SYSTEM_CHROMIUMS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHANNELS = ("chromium", "chrome", "chrome-beta", "chrome-dev", "msedge", "msedge-beta")
VIEWPORT = {"width": 1280, "height": 800}
# Long enough for a slow portal; short enough that a missing control is reported
# within a human's patience.
ACTION_TIMEOUT_MS = 15_000
INSTALL_HINT = (
    "no Chromium found: run `python -m playwright install chromium`, "
    "or `apt-get install chromium`, or set RUNBOOK_BROWSER to a browser executable"
)

#: Hooks every `BrowserProvider.configured()` passes to its contexts: the seam the
#: tests' no-egress guard is installed through (each provider keeps its own copy).
context_hooks: list[Callable[[BrowserContext], None]] = []


@dataclass(frozen=True)
class BrowserChoice:
    """Which Chromium to launch, and why that one."""

    executable_path: str | None = None
    channel: str | None = None
    source: str = "playwright"


def resolve_browser(setting: str | None, managed_path: str | None) -> BrowserChoice:
    """Choose the browser: `RUNBOOK_BROWSER`, else Playwright's, else the system's.

    Args:
        setting: `RUNBOOK_BROWSER`: an executable's path or name, or a channel.
        managed_path: Where a Playwright-managed Chromium would be.

    Raises:
        BrowserError: nothing usable was found.
    """
    if setting:
        if setting in CHANNELS and not Path(setting).exists() and not shutil.which(setting):
            return BrowserChoice(channel=setting, source="RUNBOOK_BROWSER")
        found = setting if Path(setting).is_file() else shutil.which(setting)
        if not found:
            raise BrowserError(f"RUNBOOK_BROWSER={setting!r} is neither a file nor a channel")
        return BrowserChoice(executable_path=found, source="RUNBOOK_BROWSER")
    if managed_path and Path(managed_path).is_file():
        return BrowserChoice(source="playwright")
    for name in SYSTEM_CHROMIUMS:
        found = shutil.which(name)
        if found:
            return BrowserChoice(executable_path=found, source="system")
    raise BrowserError(INSTALL_HINT)


def launch_options(choice: BrowserChoice, *, headed: bool = False) -> dict[str, Any]:
    """Keyword arguments for `BrowserType.launch` (also used by the test fixtures)."""
    args = list(LAUNCH_FLAGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to start as root otherwise
    # handle_sigint=False: Ctrl-C at the terminal is the CLI's to handle. With
    # Playwright's default its driver closes the browser and exits on SIGINT,
    # and the step in progress ends in "connection closed" instead of a clean stop.
    options: dict[str, Any] = {"headless": not headed, "args": args, "handle_sigint": False}
    if choice.executable_path:
        options["executable_path"] = choice.executable_path
    if choice.channel:
        options["channel"] = choice.channel
    return options


def context_options(base_url: str, storage_state: dict[str, Any] | None = None) -> dict[str, Any]:
    """Keyword arguments for `Browser.new_context`."""
    options: dict[str, Any] = {
        "base_url": base_url,
        "viewport": VIEWPORT,
        "locale": "en-US",
        # The portals' tables show times with no zone, in the browser's: the page objects read
        # them as UTC and compare them with the run's start, so the browser shows UTC whatever
        # the machine's zone (a run from Jakarta or California reads the same table).
        "timezone_id": "UTC",
        "permissions": ["clipboard-read", "clipboard-write"],
    }
    if storage_state is not None:
        options["storage_state"] = storage_state
    return options


@dataclass
class Session:
    """A running browser with one context and one page."""

    playwright: Playwright
    browser: Browser
    context: BrowserContext
    page: Page
    #: HTTP calls with no browser cookies: an API check then proves the token alone works.
    api: APIRequestContext
    choice: BrowserChoice | None = None
    remote: str | None = None


@dataclass(frozen=True)
class BrowserProvider:
    """Where a run's browser comes from: launched here, or a remote browser server.

    Everything is passed in, nothing is set for the whole process except
    `expect`'s timeout (Playwright for Python has no per-context one).

    Args:
        browser: `RUNBOOK_BROWSER` (executable or channel), or None to resolve.
        connect: ws:// URL of a remote Playwright browser server.
        headed: Show the browser window (a launched browser only).
        timeout_ms: How long actions and checks wait for a control.
        expose_network: What of this machine a remote browser may reach:
            loopback by default, so that it reaches the embedded sandbox.
        hooks: Called with every new browser context (the tests' no-egress guard).
        context: More `Browser.new_context` options, over the defaults (a mode
            that captures documentation may want another viewport or scale).
    """

    browser: str | None = None
    connect: str | None = None
    headed: bool = False
    timeout_ms: int = ACTION_TIMEOUT_MS
    expose_network: str | None = "<loopback>"
    hooks: tuple[Callable[[BrowserContext], None], ...] = field(default_factory=tuple)
    context: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def configured(
        cls,
        *,
        browser: str | None = None,
        connect: str | None = None,
        headed: bool = False,
        timeout_ms: int = ACTION_TIMEOUT_MS,
    ) -> BrowserProvider:
        """A provider with the hooks installed in `context_hooks` (the tests' guard)."""
        return cls(browser, connect, headed, timeout_ms, hooks=tuple(context_hooks))

    def _start(self, pw: Playwright) -> tuple[Browser, BrowserChoice | None]:
        if self.connect:
            try:
                return pw.chromium.connect(
                    self.connect, timeout=ACTION_TIMEOUT_MS, expose_network=self.expose_network
                ), None
            except PlaywrightError as exc:
                raise BrowserError(
                    f"cannot reach the browser server at {self.connect}: {first_line(exc)}"
                ) from None
        choice = resolve_browser(self.browser, pw.chromium.executable_path)
        try:
            return pw.chromium.launch(**launch_options(choice, headed=self.headed)), choice
        except PlaywrightError as exc:
            raise BrowserError(
                f"could not start Chromium ({choice.source}): {first_line(exc)}"
            ) from None

    @contextmanager
    def open(self, base_url: str, storage_state: dict[str, Any] | None = None) -> Iterator[Session]:
        """Start Playwright, a browser and a context; close all of them on exit.

        Args:
            base_url: The portal's URL; page objects navigate relative to it.
            storage_state: A saved sign-in state to start from.
        """
        with sync_playwright() as pw:
            launched, choice = self._start(pw)
            try:
                options = {**context_options(base_url, storage_state), **self.context}
                context = launched.new_context(**options)
                context.set_default_timeout(self.timeout_ms)
                expect.set_options(timeout=self.timeout_ms)
                for hook in self.hooks:
                    hook(context)
                page = context.new_page()
                api = pw.request.new_context(base_url=base_url)
                try:
                    yield Session(pw, launched, context, page, api, choice, self.connect)
                finally:
                    with contextlib.suppress(PlaywrightError):  # a lost browser: said already
                        api.dispose()
            finally:
                with contextlib.suppress(PlaywrightError):
                    launched.close()


@contextmanager
def open_session(
    *,
    base_url: str,
    browser: str | None = None,
    connect: str | None = None,
    headed: bool = False,
    storage_state: dict[str, Any] | None = None,
    timeout_ms: int = ACTION_TIMEOUT_MS,
) -> Iterator[Session]:
    """`BrowserProvider.configured(...).open(...)`, in one call."""
    provider = BrowserProvider.configured(
        browser=browser, connect=connect, headed=headed, timeout_ms=timeout_ms
    )
    with provider.open(base_url, storage_state) as session:
        yield session
