"""`python -m tests.guarded_cli ARGS`: the real CLI in its own process, egress-guarded.

For tests that need a separate process (a pseudo-terminal, a killed run):
the browser may only reach the hosts in RUNBOOK_TEST_ALLOWED_HOSTS; any other
request is aborted and written to RUNBOOK_TEST_EGRESS_LOG for the test to check.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Route

from runbooks import _session
from runbooks._cli import main

ALLOWED = set(filter(None, os.environ.get("RUNBOOK_TEST_ALLOWED_HOSTS", "").split(",")))
LOG = os.environ["RUNBOOK_TEST_EGRESS_LOG"]


def _route(route: Route) -> None:
    parts = urlsplit(route.request.url)
    if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc not in ALLOWED:
        with open(LOG, "a") as log:
            log.write(route.request.url + "\n")
        route.abort("blockedbyclient")
    else:
        route.continue_()


def _guard(context: BrowserContext) -> None:
    context.route("**/*", _route)


if __name__ == "__main__":
    _session.context_hooks.append(_guard)
    raise SystemExit(main())
