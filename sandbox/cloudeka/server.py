"""The running Cloudeka replica: one origin, its SQLite file and its runtime switches."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from sandbox._server import Replica, SandboxServer
from sandbox._store import Store
from sandbox.cloudeka.app import PortalApp
from sandbox.cloudeka.db import CloudekaDB

__all__ = ["CloudekaSandbox"]


class CloudekaSandbox(Replica):
    """A running Cloudeka Service Portal AI replica.

    Args:
        data_dir: Folder of ``cloudeka.sqlite3``; created when missing. State persists there.
        host: Interface to bind.
        port: Port to bind; 0 picks a free one.
        latency: Seconds added before answering each ``/api/`` request.
        totp_secret: A base32 secret turns on two-factor sign-in (RFC 6238 one-time
            codes) for the account; None leaves it off. Set on every start.
        skin: ``plain`` (hand-written HTML) or ``framework`` (the real Vue 3 and Vuetify 3);
            default ``RUNBOOK_SANDBOX_SKIN``, else plain.

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
        skin: str | None = None,
    ) -> None:
        super().__init__(data_dir, host=host, latency=latency, skin=skin)
        self._port = port
        self._totp_secret = totp_secret
        self._store: Store | None = None
        self._db: CloudekaDB | None = None
        self._app: PortalApp | None = None

    def _open(self) -> tuple[SandboxServer, ...]:
        store = Store(self.data_dir / "cloudeka.sqlite3")
        try:
            db = CloudekaDB(store)
            db.setup(self.EMAIL, self.DISPLAY_NAME, self.PASSWORD, self._totp_secret)
            app = PortalApp(db, self.EMAIL, self.skin)
            server = SandboxServer(
                app.router,
                self._controls,
                host=self.host,
                port=self._port,
                latency_paths=r"^/api/",
                headers=app.headers,
            )
            self._controls.install(app.router)
            server.start()
        except BaseException:
            store.close()
            raise
        self._store, self._db, self._app = store, db, app
        return (server,)

    def _close(self) -> None:
        store, self._store, self._db, self._app = self._store, None, None, None
        if store is not None:
            store.close()

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

    def _database(self) -> CloudekaDB:
        if self._db is None:
            raise RuntimeError("the sandbox is not running; call start() first")
        return self._db

    def _application(self) -> PortalApp:
        if self._app is None:
            raise RuntimeError("the sandbox is not running; call start() first")
        return self._app
