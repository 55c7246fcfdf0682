"""The running Cloudeka replica: one origin, its SQLite file and its runtime switches."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar

from sandbox._server import SECURITY_HEADERS, ControlledReplica, Controls, SandboxServer
from sandbox._store import Store
from sandbox.cloudeka.app import PortalApp
from sandbox.cloudeka.db import CloudekaDB

__all__ = ["CloudekaSandbox"]


class CloudekaSandbox(ControlledReplica):
    """A running Cloudeka Service Portal AI replica.

    Args:
        data_dir: Folder of ``cloudeka.sqlite3``; created when missing. State persists there.
        host: Interface to bind.
        port: Port to bind; 0 picks a free one.
        latency: Seconds added before answering each ``/api/`` request.
        totp_secret: A base32 secret turns on two-factor sign-in (RFC 6238 one-time
            codes) for the account; None leaves it off. Set on every start.

    Example::

        with CloudekaSandbox(tmp_path, totp_secret=pyotp.random_base32()) as sb:
            page.goto(sb.url)  # redirects to /sign-in
    """

    EMAIL: ClassVar[str] = "operator@sandbox.test"
    PASSWORD: ClassVar[str] = "sandbox-pass-1234"
    DISPLAY_NAME: ClassVar[str] = "Sandbox Operator"

    def __init__(
        self,
        data_dir: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        totp_secret: str | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.host = host
        self._port = port
        self._totp_secret = totp_secret
        self._controls = Controls(latency)
        self._store: Store | None = None
        self._db: CloudekaDB | None = None
        self._app: PortalApp | None = None
        self._server: SandboxServer | None = None

    def start(self) -> CloudekaSandbox:
        """Open the database (seeding it if new) and start serving."""
        if self._server is not None:
            raise RuntimeError("the sandbox is already running")
        store = Store(self.data_dir / "cloudeka.sqlite3")
        try:
            db = CloudekaDB(store)
            db.setup(self.EMAIL, self.DISPLAY_NAME, self.PASSWORD, self._totp_secret)
            app = PortalApp(db, self.EMAIL)
            server = SandboxServer(
                app.router,
                self._controls,
                host=self.host,
                port=self._port,
                latency_paths=r"^/api/",
                headers=SECURITY_HEADERS,
            )
            self._controls.install(app.router)
            server.start()
        except BaseException:
            store.close()
            raise
        self._store, self._db, self._app, self._server = store, db, app, server
        return self

    def stop(self) -> None:
        """Stop serving and close the database; safe to call twice."""
        server, store = self._server, self._store
        self._server = self._store = self._db = self._app = None
        if server is not None:
            server.stop()
        if store is not None:
            store.close()

    def __enter__(self) -> CloudekaSandbox:
        return self.start() if self._server is None else self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Base URL, without a trailing slash."""
        return self._running().url

    @property
    def hosts(self) -> tuple[str, ...]:
        """``host:port``: everything a browser may talk to."""
        return (self._running().netloc,)

    def state(self) -> dict[str, Any]:
        """The replica's state, secrets included, as ``GET /_sandbox/state`` returns it."""
        return self._database().state()

    def expire_sessions(self, *, method: str | None = None, path: str | None = None) -> None:
        """End every session now; or, given `path`, when a matching request arrives.

        Args:
            method: With `path`: the request's method (default GET).
            path: A regex searched in request paths, e.g. ``r"^/api/tokens$"``; the first
                matching request (and every later one) finds its session gone.
        """
        if path is None:
            self._database().expire_sessions()
            return
        self._application().trap.arm(method or "GET", path)

    def enable_totp(self, secret: str) -> None:
        """Turn on two-factor sign-in for the account, with this base32 secret."""
        self._database().set_totp(self.EMAIL, secret)

    def disable_totp(self) -> None:
        """Turn two-factor sign-in off again."""
        self._database().set_totp(self.EMAIL, None)

    def _running(self) -> SandboxServer:
        if self._server is None:
            raise RuntimeError("the sandbox is not running; call start() first")
        return self._server

    def _database(self) -> CloudekaDB:
        if self._db is None:
            raise RuntimeError("the sandbox is not running; call start() first")
        return self._db

    def _application(self) -> PortalApp:
        if self._app is None:
            raise RuntimeError("the sandbox is not running; call start() first")
        return self._app
