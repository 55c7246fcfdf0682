"""Targets: which portal a run drives, and with which credentials.

A target is a base URL plus credentials. Where no URL is configured for the
portal, or with `--target sandbox`, the run starts the embedded replica
portal (the sandbox) on a free port and signs in with its credentials.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from runbooks._config import Settings
from runbooks._errors import ConfigError
from runbooks._secrets import Secret

__all__ = ["PORTALS", "Portal", "Target", "open_target"]


class SandboxServer(Protocol):
    """What the engine needs of a replica portal."""

    @property
    def EMAIL(self) -> str: ...  # noqa: N802 - the sandboxes' class constants

    @property
    def PASSWORD(self) -> str: ...  # noqa: N802

    @property
    def url(self) -> str: ...

    def stop(self) -> None: ...


def _gravitee_sandbox(data_dir: Path) -> SandboxServer:
    from sandbox import GraviteeSandbox  # imported late: a real-portal run never needs it

    return GraviteeSandbox(data_dir).start()


@dataclass(frozen=True)
class Portal:
    """A vendor portal the tool knows."""

    name: str
    title: str
    start_sandbox: Callable[[Path], SandboxServer]

    @property
    def env_prefix(self) -> str:
        """`RUNBOOK_GRAVITEE`."""
        return f"RUNBOOK_{self.name.upper()}"


PORTALS: dict[str, Portal] = {
    "gravitee": Portal("gravitee", "Gravitee Cloud", _gravitee_sandbox),
}


@dataclass(frozen=True)
class Target:
    """The portal a run drives."""

    portal: Portal
    url: str
    email: str
    password: Secret = field(repr=False)
    sandbox: bool = False
    totp_secret: Secret | None = field(default=None, repr=False)

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


@contextmanager
def open_target(portal: Portal, settings: Settings, override: str | None) -> Iterator[Target]:
    """Resolve the target; start (and finally stop) the sandbox when it is one.

    Args:
        portal: The portal the runbook drives.
        settings: The `RUNBOOK_*` settings.
        override: `--target`: a URL, `sandbox`, or None for the configuration.

    Raises:
        ConfigError: the URL is malformed, or credentials for it are missing.
    """
    configured = settings.portal(portal.name)
    url = override or configured.url
    if url is None or url == "sandbox":
        server = portal.start_sandbox(settings.data_dir / "sandbox")
        try:
            yield Target(
                portal, server.url, server.EMAIL, Secret(server.PASSWORD, "sandbox password"), True
            )
        finally:
            server.stop()
        return
    url = _check_url(url, "--target" if override else f"{portal.env_prefix}_URL")
    if configured.email is None:
        raise ConfigError(
            f"{portal.env_prefix}_EMAIL is not set; add it to .env (see .env.example)"
        )
    if configured.password is None:
        raise ConfigError(
            f"{portal.env_prefix}_PASSWORD is not set; add it to .env (see .env.example)"
        )
    yield Target(portal, url, configured.email, configured.password, False, configured.totp_secret)
