"""A tiny replica portal for the README's throwaway vendor: one page that shows a key once.

Built from the sandbox's own primitives (SandboxServer, Router, Response), so the
no-egress guard allows it like any replica.
"""

from __future__ import annotations

import html
import secrets
from typing import ClassVar

from sandbox._server import Controls, Request, Response, Router, SandboxServer

PAGE = """<!doctype html><html lang="en"><head><title>Acme Cloud</title></head><body>
<main><h1>API keys</h1>
<form method="post" action="/keys"><button>Create key</button></form>{dialog}</main>
</body></html>"""
DIALOG = """<dialog open>
<label>New key <input readonly value="{key}"></label>
<form method="get" action="/keys"><button>Close</button></form></dialog>"""


class AcmeReplica:
    """Acme Cloud, as far as the example runbook needs it."""

    EMAIL: ClassVar[str] = "operator@acme.test"
    PASSWORD: ClassVar[str] = "acme-pass-1234"
    #: Every replica started in this process, newest last (the test reads its keys).
    started: ClassVar[list[AcmeReplica]] = []

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        router = Router()
        router.add("GET", "/keys", self._keys)
        router.add("POST", "/keys", self._create)
        self.keys: list[str] = []
        self.server = SandboxServer(router, Controls(), host=host, port=port)

    @property
    def url(self) -> str:
        return self.server.url

    def start(self) -> AcmeReplica:
        self.server.start()
        AcmeReplica.started.append(self)
        return self

    def stop(self) -> None:
        self.server.stop()

    def _keys(self, request: Request) -> Response:
        return Response.html(PAGE.format(dialog=""))

    def _create(self, request: Request) -> Response:
        key = "acme_" + secrets.token_urlsafe(24)
        self.keys.append(key)
        return Response.html(PAGE.format(dialog=DIALOG.format(key=html.escape(key))))
