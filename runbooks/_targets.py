"""Targets: which portal a run drives, and with which credentials.

A target is a base URL plus credentials. Where no URL is configured for the
portal, or with `--target sandbox`, the run starts the embedded replica
portal (the sandbox) on a free port and signs in with its credentials.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from runbooks._config import Settings
from runbooks._errors import ConfigError
from runbooks._portal import Portal
from runbooks._secrets import Secret
from runbooks._sessions import SavedSession, saved_session_path

__all__ = ["Target", "open_target", "resolve_url"]


@dataclass(frozen=True)
class Target:
    """The portal a run drives.

    Args:
        portal: Which portal.
        url: Its base URL.
        email: The sign-in email (None when only a saved sign-in is available).
        password: The sign-in password (likewise).
        sandbox: Whether it is the embedded replica.
        totp_secret: For portals with two-factor sign-in.
        saved: A saved sign-in state (`runbook login`) for this URL, if any.
    """

    portal: Portal
    url: str
    email: str | None
    password: Secret | None = field(repr=False)
    sandbox: bool = False
    totp_secret: Secret | None = field(default=None, repr=False)
    saved: SavedSession | None = None

    @property
    def label(self) -> str:
        """How the output names the target."""
        return f"{self.portal.title} replica at {self.url}" if self.sandbox else self.url


def _check_url(url: str, source: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            f"{source} {url!r} is not an http(s) URL; use e.g. https://cloud.gravitee.io"
        )
    return url.rstrip("/")


def resolve_url(portal: Portal, settings: Settings, override: str | None) -> str | None:
    """The portal URL a run would use; None for the embedded sandbox."""
    url = override or settings.portal(portal.name).url
    if url is None or url == "sandbox":
        return None
    return _check_url(url, "--target" if override else f"{portal.env_prefix}_URL")


@contextmanager
def open_target(portal: Portal, settings: Settings, override: str | None) -> Iterator[Target]:
    """Resolve the target; start (and finally stop) the sandbox when it is one.

    Args:
        portal: The portal the runbook drives.
        settings: The `RUNBOOK_*` settings.
        override: `--target`: a URL, `sandbox`, or None for the configuration.

    Raises:
        ConfigError: the URL is malformed, or there is no way to sign in to it.
    """
    configured = settings.portal(portal.name)
    url = resolve_url(portal, settings, override)
    if url is None:
        server = portal.start_sandbox(settings.data_dir / "sandbox", "127.0.0.1", 0, 0.0)
        try:
            yield Target(
                portal, server.url, server.EMAIL, Secret(server.PASSWORD, "sandbox password"), True
            )
        finally:
            server.stop()
        return
    saved = SavedSession(saved_session_path(settings.data_dir, portal.name, url))
    has_saved = saved.exists
    if not has_saved:
        for key, value in (("EMAIL", configured.email), ("PASSWORD", configured.password)):
            if value is None:
                raise ConfigError(
                    f"{portal.env_prefix}_{key} is not set; add it to .env (see .env.example) "
                    f"or sign in once with `runbook login {portal.name}`"
                )
    yield Target(
        portal,
        url,
        configured.email,
        configured.password,
        False,
        configured.totp_secret,
        saved if has_saved else None,
    )
