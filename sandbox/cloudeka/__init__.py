"""Cloudeka Service Portal AI replica: pages, JSON API and state (docs/portals.md section 3)."""

from __future__ import annotations

from sandbox.cloudeka.server import CloudekaSandbox

__all__ = ["CloudekaSandbox"]
