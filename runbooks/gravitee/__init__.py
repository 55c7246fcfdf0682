"""Gravitee Cloud: its portal and its runbooks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pages.gravitee import DashboardPage
from runbooks import Portal
from runbooks.gravitee import cert_renewal, cloud_token

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

    from sandbox import GraviteeSandbox

__all__ = ["PORTAL", "RUNBOOKS"]


def _sandbox(
    data_dir: Path, host: str, port: int, latency: float, skin: str | None = None
) -> GraviteeSandbox:
    from sandbox import GraviteeSandbox  # imported late: a real-portal run never needs it

    auth_port = port + 1 if port else 0
    return GraviteeSandbox(
        data_dir, host=host, port=port, auth_port=auth_port, latency=latency, skin=skin
    ).start()


def _landing(page: Page) -> Locator:
    return DashboardPage(page).heading


PORTAL = Portal("gravitee", "Gravitee Cloud", _sandbox, ports=2, landing=_landing, rank=10)
RUNBOOKS = (cloud_token.RUNBOOK, cert_renewal.RUNBOOK)
