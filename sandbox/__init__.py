"""Replica vendor portals for tests and demonstrations; never the real vendor sites.

Each replica is a real web application on 127.0.0.1: HTML pages with JavaScript, sessions,
a JSON API the pages load asynchronously, and SQLite state that survives a restart. Two
skins mark the same pages up differently (``skin=``, ``RUNBOOK_SANDBOX_SKIN``): ``plain``
hand-written HTML, and ``framework`` what the vendors' component libraries render (Angular
Material's DOM for Gravitee; the real Vue 3 + Vuetify 3, vendored, for Cloudeka).
Runtime switches add latency and inject faults, from Python or over HTTP under ``/_sandbox/``.

Example::

    from sandbox import Fault, GraviteeSandbox

    with GraviteeSandbox(data_dir) as sb:
        sb.add_fault(Fault(method="POST", path=r"/cloud-tokens$", status=500))
        ...  # drive a browser at sb.url
"""

from __future__ import annotations

from sandbox._server import Fault
from sandbox.cloudeka import CloudekaSandbox
from sandbox.gravitee import GraviteeSandbox

__all__ = ["CloudekaSandbox", "Fault", "GraviteeSandbox"]
