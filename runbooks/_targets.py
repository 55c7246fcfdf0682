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


def _gravitee_sandbox(data_dir: Path, host: str, port: int, latency: float) -> SandboxServer:
    from sandbox import GraviteeSandbox  # imported late: a real-portal run never needs it

    auth_port = port + 1 if port else 0
    return GraviteeSandbox(
        data_dir, host=host, port=port, auth_port=auth_port, latency=latency
    ).start()


@dataclass(frozen=True)
class Portal:
    """A vendor portal the tool knows.

    Args:
        name: Its key in settings (`RUNBOOK_<NAME>_URL`) and on the command line.
        title: How people call it.
        start_sandbox: Starts its replica: (state folder, host, first port or 0
            for free ones, API latency in seconds) -> the running replica.
        ports: How many consecutive ports the replica takes from its first one.
    """

    name: str
    title: str
    start_sandbox: Callable[[Path, str, int, float], SandboxServer]
    ports: int = 1

    @property
    def env_prefix(self) -> str:
        """`RUNBOOK_GRAVITEE`."""
        return f"RUNBOOK_{self.name.upper()}"


PORTALS: dict[str, Portal] = {
    "gravitee": Portal("gravitee", "Gravitee Cloud", _gravitee_sandbox, ports=2),
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
        server = portal.start_sandbox(settings.data_dir / "sandbox", "127.0.0.1", 0, 0.0)
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
