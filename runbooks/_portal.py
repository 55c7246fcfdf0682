"""What a vendor package declares about its portal.

Each `runbooks/<vendor>/__init__.py` (or an installed package named under the
`runbook.vendors` entry point group) sets `PORTAL = Portal(...)` and
`RUNBOOKS = (...)`; the registry finds them. Nothing in the engine names a
vendor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

__all__ = ["CREDENTIAL_KEYS", "Portal", "SandboxServer"]

#: The settings every portal reads: `RUNBOOK_<PORTAL>_URL`, `_EMAIL`, `_PASSWORD`.
CREDENTIAL_KEYS = ("URL", "EMAIL", "PASSWORD")


class SandboxServer(Protocol):
    """What the engine needs of a running replica portal."""

    @property
    def EMAIL(self) -> str: ...  # noqa: N802 - the sandboxes' class constants

    @property
    def PASSWORD(self) -> str: ...  # noqa: N802

    @property
    def url(self) -> str: ...

    def stop(self) -> None: ...


@dataclass(frozen=True)
class Portal:
    """A vendor portal the tool knows.

    Args:
        name: Its key in settings (`RUNBOOK_<NAME>_URL`) and on the command line.
        title: How people call it.
        start_sandbox: Starts its replica: (state folder, host, first port or 0
            for free ones, API latency in seconds, skin=plain|framework|None) -> the
            running replica.
        ports: How many consecutive ports the replica takes from its first one.
        landing: What the portal shows once signed in (`runbook login` waits for it).
        settings: The `RUNBOOK_<NAME>_*` keys it reads (`.env.example` lists them).
        rank: Where it comes in listings, and in the ports `runbook sandbox` hands out.
    """

    name: str
    title: str
    start_sandbox: Callable[..., SandboxServer]
    ports: int = 1
    landing: Callable[[Page], Locator] | None = None
    settings: tuple[str, ...] = CREDENTIAL_KEYS
    rank: int = 50

    @property
    def env_prefix(self) -> str:
        """`RUNBOOK_GRAVITEE`."""
        return f"RUNBOOK_{self.name.upper()}"

    @property
    def env_keys(self) -> tuple[str, ...]:
        """Every `RUNBOOK_<NAME>_*` key it reads."""
        return tuple(f"{self.env_prefix}_{key}" for key in self.settings)
