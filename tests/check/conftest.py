"""One pair of replicas for a whole test module: a check changes nothing, so it is safe."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sandbox import CloudekaSandbox, GraviteeSandbox
from tests.conftest import EgressGuard

#: The structure baselines the project keeps for the sandbox replicas: one root per skin,
#: since the store is keyed by runbook and step and each skin marks the same steps up its way.
BASELINE_ROOT = Path(__file__).resolve().parent.parent / "baselines"


@dataclass
class Portals:
    gravitee: GraviteeSandbox
    cloudeka: CloudekaSandbox

    @property
    def baselines(self) -> Path:
        """The project's structure baselines for these replicas' skin."""
        return BASELINE_ROOT / self.gravitee.skin

    def states(self) -> tuple[bytes, bytes]:
        """`/_sandbox/state` of both replicas, as bytes (compared byte for byte)."""
        return tuple(
            urllib.request.urlopen(f"{s.url}/_sandbox/state", timeout=30).read()
            for s in (self.gravitee, self.cloudeka)
        )

    def secrets(self) -> list[str]:
        """Every password and secret value the replicas hold."""
        found = [self.gravitee.PASSWORD, self.cloudeka.PASSWORD]
        for state in (self.gravitee.state(), self.cloudeka.state()):
            _collect(state, found)
        return [s for s in found if len(s) >= 8]


def _collect(value: Any, found: list[str], key: str = "") -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _collect(v, found, k)
    elif isinstance(value, list):
        for v in value:
            _collect(v, found, key)
    elif isinstance(value, str) and key.lower() in ("value", "secret", "password", "content"):
        found.append(value)


@pytest.fixture(scope="module")
def portals(tmp_path_factory: pytest.TempPathFactory, skin: str) -> Iterator[Portals]:
    folder = tmp_path_factory.mktemp("portals")
    with (
        GraviteeSandbox(folder / "gravitee", skin=skin) as gravitee,
        CloudekaSandbox(folder / "cloudeka", skin=skin) as cloudeka,
    ):
        yield Portals(gravitee, cloudeka)


@pytest.fixture
def portals_env(
    portals: Portals, monkeypatch: pytest.MonkeyPatch, egress_guard: EgressGuard
) -> Portals:
    """Both replicas configured as a user would in .env, and allowed by the egress guard."""
    for prefix, server in (("GRAVITEE", portals.gravitee), ("CLOUDEKA", portals.cloudeka)):
        monkeypatch.setenv(f"RUNBOOK_{prefix}_URL", server.url)
        monkeypatch.setenv(f"RUNBOOK_{prefix}_EMAIL", server.EMAIL)
        monkeypatch.setenv(f"RUNBOOK_{prefix}_PASSWORD", server.PASSWORD)
        egress_guard.allowed.update(server.hosts)
    return portals
