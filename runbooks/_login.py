"""`runbook login`: the person signs in; the tool keeps the signed-in state.

The portal's sign-in may want a password, single sign-on or a one-time code:
the person does it in a visible browser, however the portal asks. The tool
only waits until the portal shows its signed-in landing page, then saves the
browser's storage state (mode 0600, in the data folder) for later runs.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from runbooks._config import Settings
from runbooks._errors import ConfigError, PortalError
from runbooks._portal import Portal
from runbooks._session import open_session
from runbooks._sessions import SavedSession, saved_session_path
from runbooks._targets import resolve_url

__all__ = ["login"]


def login(
    portal: Portal,
    settings: Settings,
    *,
    target: str | None,
    headed: bool = True,
    connect: str | None = None,
    wait_s: float = 600,
) -> Path:
    """Open the portal for the person to sign in; save the state. Returns its path.

    Raises:
        ConfigError: no portal URL to sign in to.
        PortalError: the person did not get through in time.
    """
    url = resolve_url(portal, settings, target)
    if url is None:
        raise ConfigError(
            f"no {portal.title} URL: set {portal.env_prefix}_URL or pass --target URL "
            "(the URL `runbook sandbox` prints works too)"
        )
    if portal.landing is None:
        raise ConfigError(f"signing in ahead is not supported for {portal.title}")
    saved = SavedSession(saved_session_path(settings.data_dir, portal.name, url))
    with open_session(
        base_url=url,
        browser=settings.browser,
        connect=connect or settings.connect,
        headed=headed,
        timeout_ms=settings.timeout_ms,
    ) as session:
        session.page.goto("/")
        try:
            expect(portal.landing(session.page)).to_be_visible(timeout=wait_s * 1000)
        except AssertionError:
            raise PortalError(
                f"not signed in to {portal.title} within {wait_s:.0f} s; run `runbook login "
                f"{portal.name}` again"
            ) from None
        saved.save(dict(session.context.storage_state()))
    return saved.path
