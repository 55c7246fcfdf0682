"""Cloudeka Service Portal AI: its portal and its runbooks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pages.cloudeka import PortalPage
from runbooks import Portal
from runbooks.cloudeka import new_token

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

    from sandbox import CloudekaSandbox

__all__ = ["PORTAL", "RUNBOOKS"]


def _sandbox(
    data_dir: Path, host: str, port: int, latency: float, skin: str | None = None
) -> CloudekaSandbox:
    from sandbox import CloudekaSandbox  # imported late: a real-portal run never needs it

    return CloudekaSandbox(data_dir, host=host, port=port, latency=latency, skin=skin).start()


def _landing(page: Page) -> Locator:
    return PortalPage(page).profile_button


PORTAL = Portal(
    "cloudeka",
    "Cloudeka Service Portal AI",
    _sandbox,
    landing=_landing,
    settings=("URL", "EMAIL", "PASSWORD", "TOTP_SECRET"),
    rank=20,
)
RUNBOOKS = (new_token.RUNBOOK,)
