"""Gravitee Cloud replica: console, sign-in server and JSON API (docs/portals.md section 1)."""

from __future__ import annotations

from sandbox.gravitee.app import GraviteeSandbox

__all__ = ["GraviteeSandbox"]
