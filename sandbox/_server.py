"""The small HTTP framework the replica portals stand on.

A replica is one or more :class:`SandboxServer` instances (one per origin), each with a
:class:`Router` of ``(method, path regex) -> handler`` routes. Handlers take a :class:`Request`
and return a :class:`Response`. The servers of one replica share a :class:`Controls` object: the
switches tests and people flip at runtime (added latency, injected faults), also reachable over
HTTP under ``/_sandbox/`` once :meth:`Controls.install` has added those routes.

Only the standard library is used: ``http.server.ThreadingHTTPServer`` in a daemon thread.
"""

from __future__ import annotations

import contextlib
import html
import json
import logging
import math
import os
import re
import socket
import string
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from email.message import Message
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal, Self
from urllib.parse import parse_qsl, unquote, urlsplit

logger = logging.getLogger("sandbox")

CONTROL_PREFIX = "/_sandbox/"
MAX_BODY = 1 << 20

Handler = Callable[["Request"], "Response"]


class HTTPError(Exception):
    """Raised by a handler to answer with an error status and a JSON message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Request:
    """One parsed HTTP request, as handlers see it."""

    method: str
    path: str
    query: Mapping[str, str]
    headers: Message
    body: bytes
    cookies: Mapping[str, str]
    target: str
    params: Mapping[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        """The body decoded as JSON; a 400 error when it is not JSON."""
        try:
            return json.loads(self.body or b"null")
        except ValueError as exc:
            raise HTTPError(400, "The request body is not valid JSON.") from exc

    def form(self) -> dict[str, str]:
        """The body decoded as an HTML form (``application/x-www-form-urlencoded``)."""
        return dict(parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))


@dataclass
class Response:
    """What a handler answers; the server adds Content-Length and the default headers."""

    status: int = 200
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def json(cls, data: object, status: int = 200) -> Response:
        """A JSON response that is never cached (it is live state)."""
        body = json.dumps(data, separators=(",", ":")).encode()
        return cls(status, body, [("Content-Type", "application/json"), _NO_STORE])

    @classmethod
    def html(cls, text: str, status: int = 200) -> Response:
        """An HTML page that is never cached (it depends on the session)."""
        return cls(status, text.encode(), [("Content-Type", "text/html; charset=utf-8"), _NO_STORE])

    @classmethod
    def text(cls, text: str, status: int = 200) -> Response:
        """A plain-text response."""
        return cls(status, text.encode(), [("Content-Type", "text/plain; charset=utf-8")])

    @classmethod
    def redirect(cls, location: str, status: int = 302) -> Response:
        """A redirect to ``location``."""
        return cls(status, b"", [("Location", location), _NO_STORE])

    @classmethod
    def empty(cls, status: int = 204) -> Response:
        """A response without a body."""
        return cls(status)

    def set_cookie(
        self,
        name: str,
        value: str,
        *,
        path: str = "/",
        max_age: int | None = None,
        http_only: bool = True,
        same_site: Literal["Lax", "Strict", "None"] = "Lax",
    ) -> Response:
        """Add a ``Set-Cookie`` header and return the response itself."""
        parts = [f"{name}={value}", f"Path={path}", f"SameSite={same_site}"]
        if max_age is not None:
            parts.append(f"Max-Age={max_age}")
        if http_only:
            parts.append("HttpOnly")
        self.headers.append(("Set-Cookie", "; ".join(parts)))
        return self

    def delete_cookie(self, name: str, *, path: str = "/") -> Response:
        """Tell the browser to drop a cookie."""
        return self.set_cookie(name, "", path=path, max_age=0)


_NO_STORE = ("Cache-Control", "no-store")


def error_response(status: int, message: str | None = None) -> Response:
    """A JSON error body ``{"status", "message"}`` with the status phrase as default message."""
    text = message if message is not None else HTTPStatus(status).phrase
    return Response.json({"status": status, "message": text}, status)


class Markup(str):
    """HTML that is already safe: :func:`render` inserts it without escaping."""

    __slots__ = ()


def render(template: str, values: Mapping[str, str]) -> str:
    """Fill a ``string.Template`` (``$name``), escaping every value that is not Markup."""
    safe = {k: v if isinstance(v, Markup) else html.escape(v) for k, v in values.items()}
    return string.Template(template).substitute(safe)


class Router:
    """Routes requests by method and a regex that must match the whole (decoded) path.

    Named groups in the regex become ``request.params``.

    Args:
        not_found: Answers paths no route matches; a JSON 404 by default.
    """

    def __init__(self, not_found: Handler | None = None) -> None:
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self._not_found = not_found or (lambda _request: error_response(404))

    def add(self, method: str, pattern: str, handler: Handler) -> None:
        """Register ``handler`` for ``method`` on paths fully matching ``pattern``."""
        self._routes.append((method.upper(), re.compile(pattern), handler))

    def dispatch(self, request: Request) -> Response:
        """Call the matching handler; 405 when only the method is wrong."""
        allowed: list[str] = []
        for method, pattern, handler in self._routes:
            match = pattern.fullmatch(request.path)
            if match is None:
                continue
            if method == request.method or (method == "GET" and request.method == "HEAD"):
                return handler(replace(request, params=match.groupdict()))
            allowed.append(method)
        if allowed:
            response = error_response(405)
            response.headers.append(("Allow", ", ".join(sorted(set(allowed)))))
            return response
        return self._not_found(request)


class StaticFiles:
    """Serves the files of one flat package folder; use as a handler with a ``name`` param.

    Args:
        root: The folder, e.g. ``importlib.resources.files(__package__) / "static"``.
        suffixes: The file suffixes that may be served (others answer 404), so that page
            templates kept in the same folder are never served raw.
    """

    CONTENT_TYPES: Mapping[str, str] = {
        ".css": "text/css; charset=utf-8",
        ".html": "text/html; charset=utf-8",
        ".js": "text/javascript; charset=utf-8",
        ".png": "image/png",
        ".svg": "image/svg+xml",
    }
    # One path segment, no leading dot: nothing outside the folder can be named.
    _NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")

    def __init__(self, root: Traversable, suffixes: Iterable[str] = (".css", ".js", ".svg")):
        self._root = root
        self._suffixes = frozenset(suffixes)

    def read_text(self, name: str) -> str:
        """The text of one file (for templates)."""
        return (self._root / name).read_text(encoding="utf-8")

    def __call__(self, request: Request) -> Response:
        name = request.params.get("name", "")
        suffix = name[name.rfind(".") :] if "." in name else ""
        resource = self._root / name
        if not self._NAME.fullmatch(name) or suffix not in self._suffixes or not resource.is_file():
            return Response.text("Not found", 404)
        content_type = self.CONTENT_TYPES.get(suffix, "application/octet-stream")
        # no-cache: the browser revalidates, so edited assets show up on reload.
        headers = [("Content-Type", content_type), ("Cache-Control", "no-cache")]
        return Response(200, resource.read_bytes(), headers)


@dataclass
class Fault:
    """An injected failure: matching requests get this reply instead of the real one.

    Args:
        method: HTTP method to match (case-insensitive), or ``"*"`` for any.
        path: Regex searched in the request path (``re.search``), e.g. ``r"/cloud-tokens$"``.
        status: The status code to answer with.
        body: The body: a ``str`` is sent as plain text, anything else JSON-encoded; None
            sends ``{"status", "message"}`` with the status phrase.
        times: How many matching requests fail before the fault is used up; None never ends.
    """

    method: str
    path: str
    status: int
    body: object = None
    times: int | None = 1

    def __post_init__(self) -> None:
        self.method = self.method.upper()
        if not 100 <= self.status <= 599:
            raise ValueError(f"status must be 100-599, got {self.status!r}")
        if self.times is not None and self.times < 1:
            raise ValueError(f"times must be at least 1 or None, got {self.times!r}")
        try:
            re.compile(self.path)
        except re.error as exc:
            raise ValueError(f"path is not a valid regex: {self.path!r} ({exc})") from exc

    def matches(self, method: str, path: str) -> bool:
        """Whether a request with this method and path is hit by the fault."""
        return self.method in ("*", method) and re.search(self.path, path) is not None

    def response(self) -> Response:
        """The reply the fault gives."""
        if self.body is None:
            return error_response(self.status)
        if isinstance(self.body, str):
            return Response.text(self.body, self.status)
        return Response.json(self.body, self.status)


class Controls:
    """Runtime switches shared by the servers of one replica: latency and faults."""

    def __init__(self, latency: float = 0.0) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._latency = 0.0
        self.latency = latency

    @property
    def latency(self) -> float:
        """Seconds added before answering requests on a server's latency paths."""
        return self._latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        value = float(seconds)
        if not (math.isfinite(value) and value >= 0):
            raise ValueError(f"latency must be a finite number >= 0, got {seconds!r}")
        self._latency = value

    def add_fault(self, fault: Fault) -> None:
        """Add a fault; a copy is kept, so the caller's object never changes."""
        with self._lock:
            self._faults.append(replace(fault))

    def clear_faults(self) -> None:
        """Remove every fault."""
        with self._lock:
            self._faults.clear()

    def faults(self) -> list[Fault]:
        """Copies of the faults still active, oldest first."""
        with self._lock:
            return [replace(f) for f in self._faults]

    def take_fault(self, method: str, path: str) -> Fault | None:
        """The first fault matching the request, counting one use of it."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times == 0:
                            self._faults.remove(fault)
                    return fault
        return None

    def install(self, router: Router) -> None:
        """Add the ``/_sandbox/latency`` and ``/_sandbox/faults`` control routes."""
        router.add("GET", r"/_sandbox/latency", lambda _r: self._latency_json())
        router.add("POST", r"/_sandbox/latency", self._set_latency)
        router.add("GET", r"/_sandbox/faults", lambda _r: self._faults_json())
        router.add("POST", r"/_sandbox/faults", self._post_fault)
        router.add("DELETE", r"/_sandbox/faults", self._delete_faults)

    def _latency_json(self, status: int = 200) -> Response:
        return Response.json({"seconds": self.latency}, status)

    def _set_latency(self, request: Request) -> Response:
        data = request.json()
        try:
            self.latency = data["seconds"]
        except (TypeError, KeyError, ValueError) as exc:
            raise HTTPError(400, 'Expected {"seconds": <number >= 0>}.') from exc
        return self._latency_json()

    def _faults_json(self, status: int = 200) -> Response:
        return Response.json([asdict(f) for f in self.faults()], status)

    def _post_fault(self, request: Request) -> Response:
        data = request.json()
        if not isinstance(data, dict):
            raise HTTPError(400, "Expected a JSON object.")
        try:
            fault = Fault(
                method=str(data.get("method", "*")),
                path=str(data["path"]),
                status=int(data["status"]),
                body=data.get("body"),
                times=None if data.get("times", 1) is None else int(data.get("times", 1)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise HTTPError(400, f"Invalid fault: {exc}") from exc
        self.add_fault(fault)
        return self._faults_json(201)

    def _delete_faults(self, _request: Request) -> Response:
        self.clear_faults()
        return Response.empty()


class SandboxServer:
    """One origin of a replica: a threaded HTTP server on a daemon thread.

    Args:
        router: Routes every request.
        controls: The latency and fault switches (shared between a replica's servers).
        host: Interface to bind, loopback by default.
        port: Port to bind; 0 picks a free one.
        latency_paths: Regex searched in request paths that get the added latency; None
            means no path is slowed down.
        headers: Headers added to every response (e.g. a Content-Security-Policy).
    """

    def __init__(
        self,
        router: Router,
        controls: Controls,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        latency_paths: str | None = None,
        headers: Sequence[tuple[str, str]] = (),
    ) -> None:
        self.router = router
        self.controls = controls
        self.host = host
        self._port = port
        self._latency_paths = re.compile(latency_paths) if latency_paths else None
        self._headers = list(headers)
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    @property
    def port(self) -> int:
        """The bound port (the real one when 0 was asked for)."""
        if self._httpd is None:
            raise RuntimeError("the server is not running")
        return int(self._httpd.server_address[1])

    @property
    def netloc(self) -> str:
        """``host:port`` of the running server."""
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """Base URL without a trailing slash."""
        return f"http://{self.netloc}"

    def bind(self) -> None:
        """Open the listening socket, so the port is known before :meth:`start`."""
        if self._httpd is not None:
            raise RuntimeError("the server is already bound")
        self._stopping = threading.Event()
        self._httpd = _HTTPServer((self.host, self._port), _Handler, self)

    def start(self) -> None:
        """Bind if needed and serve on a daemon thread."""
        if self._httpd is None:
            self.bind()
        assert self._httpd is not None
        if self._thread is not None:
            raise RuntimeError("the server is already running")
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"sandbox-{self.port}",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving, end open connections and join every thread; idempotent."""
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        self._stopping.set()  # ends injected delays early
        if thread is not None:
            httpd.shutdown()
            thread.join()
        # Browsers keep idle keep-alive connections open; their handler threads would block
        # in a read forever, so close them before server_close() joins those threads.
        httpd.close_connections()
        httpd.server_close()
        self._httpd = self._thread = None

    def handle(self, request: Request) -> Response:
        """Answer one request: control routes, else latency, faults and the router."""
        try:
            if not request.path.startswith(CONTROL_PREFIX):
                self._delay(request.path)
                fault = self.controls.take_fault(request.method, request.path)
                if fault is not None:
                    response = fault.response()
                    response.headers.append(("X-Sandbox-Fault", "1"))
                    return self._finish(response)
            return self._finish(self.router.dispatch(request))
        except HTTPError as exc:
            return self._finish(error_response(exc.status, exc.message))
        except Exception:
            logger.exception("sandbox handler failed: %s %s", request.method, request.path)
            return self._finish(error_response(500))

    def _delay(self, path: str) -> None:
        if self._latency_paths is None or not self._latency_paths.search(path):
            return
        latency = self.controls.latency
        if latency > 0:
            # Not time.sleep: the delay IS the behaviour under test, and waiting on the stop
            # event lets stop() end it early instead of hanging until the delay runs out.
            self._stopping.wait(latency)

    def _finish(self, response: Response) -> Response:
        response.headers.extend(self._headers)
        return response


class _HTTPServer(ThreadingHTTPServer):
    """ThreadingHTTPServer that knows its open connections and stays quiet."""

    daemon_threads = True
    block_on_close = True  # server_close() joins handler threads: a clean stop

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[BaseHTTPRequestHandler],
        sandbox: SandboxServer,
    ) -> None:
        self.sandbox = sandbox
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Shut down every open client socket so that blocked reads return."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):  # already closed by the client
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients dropping connections is normal (a browser closing a tab); keep quiet.
        logger.debug("connection error from %s", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    """Turns raw HTTP into :class:`Request` objects and :class:`Response` into bytes."""

    protocol_version = "HTTP/1.1"  # keep-alive, as real portals serve browsers
    server_version = "sandbox"
    sys_version = ""
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: no request log on stderr."""

    def _serve(self) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            self.close_connection = True
            self._send(error_response(413 if length > MAX_BODY else 400))
            return
        body = self.rfile.read(length) if length else b""
        split = urlsplit(self.path)
        request = Request(
            method=self.command,
            path=unquote(split.path),
            query=dict(parse_qsl(split.query, keep_blank_values=True)),
            headers=self.headers,
            body=body,
            cookies=_parse_cookies(self.headers.get_all("Cookie") or []),
            target=self.path,
        )
        self._send(self.server.sandbox.handle(request))

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    def _send(self, response: Response) -> None:
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD" and response.body:
            self.wfile.write(response.body)


def _parse_cookies(headers: Iterable[str]) -> dict[str, str]:
    # Hand-rolled: http.cookies.SimpleCookie rejects a whole header over one odd cookie.
    cookies: dict[str, str] = {}
    for header in headers:
        for part in header.split(";"):
            name, sep, value = part.strip().partition("=")
            if sep and name and name not in cookies:
                cookies[name] = value.strip().strip('"')
    return cookies


# Everything is served by the replica itself; the browser may fetch nothing from elsewhere.
SECURITY_HEADERS = (
    (
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
)


class ControlledReplica:
    """The test and demo switches every replica offers: API latency and injected faults."""

    _controls: Controls

    @property
    def latency(self) -> float:
        """Seconds added before each API answer; settable at runtime."""
        return self._controls.latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        self._controls.latency = seconds

    def add_fault(self, fault: Fault) -> None:
        """Make the next ``fault.times`` matching requests fail with ``fault.status``."""
        self._controls.add_fault(fault)

    def clear_faults(self) -> None:
        """Remove every injected fault."""
        self._controls.clear_faults()


SKINS = ("plain", "framework")
"""How a replica's pages are marked up: ``plain`` hand-written HTML (the reference, whose
labels are portals.md word for word) or ``framework``, what the vendor's component library
really renders (Angular Material for Gravitee, Vuetify 3 for Cloudeka)."""
SKIN_ALIASES = {"material": "framework", "vuetify": "framework"}
DEFAULT_SKIN = "plain"
SKIN_SETTING = "RUNBOOK_SANDBOX_SKIN"


def resolve_skin(skin: str | None = None) -> str:
    """``plain`` or ``framework``: `skin`, else ``RUNBOOK_SANDBOX_SKIN``, else the default.

    ``material`` and ``vuetify`` name the framework skin of the replica built on them.

    Raises:
        ValueError: an unknown skin, in words.
    """
    chosen = (skin or os.environ.get(SKIN_SETTING) or DEFAULT_SKIN).strip().lower()
    chosen = SKIN_ALIASES.get(chosen, chosen)
    if chosen not in SKINS:
        names = ", ".join((*SKINS, *SKIN_ALIASES))
        raise ValueError(f"unknown sandbox skin {skin or chosen!r}: use one of {names}")
    return chosen


class Replica(ControlledReplica):
    """What every replica shares: its servers' lifecycle, context manager, URLs and skin.

    A replica implements :meth:`_open` (open its state, build and start its servers, the
    first one being the portal's own origin) and :meth:`_close` (close its state).

    Args:
        data_dir: Folder of the replica's state; created when missing.
        host: Interface every server binds.
        latency: Seconds added before answering API requests.
        skin: ``plain`` or ``framework`` (see :func:`resolve_skin`).
    """

    def __init__(
        self, data_dir: Path, *, host: str, latency: float, skin: str | None = None
    ) -> None:
        self.data_dir = Path(data_dir)
        self.host = host
        self.skin = resolve_skin(skin)
        self._controls = Controls(latency)
        self._servers: tuple[SandboxServer, ...] | None = None

    def _open(self) -> tuple[SandboxServer, ...]:
        raise NotImplementedError

    def _close(self) -> None:
        raise NotImplementedError

    def start(self) -> Self:
        """Open the state (seeding it if new) and start serving; returns the replica."""
        if self._servers is not None:
            raise RuntimeError("the sandbox is already running")
        self._servers = self._open()
        return self

    def stop(self) -> None:
        """Stop every server and close the state; safe to call twice."""
        servers, self._servers = self._servers, None
        for server in servers or ():
            server.stop()
        if servers is not None:
            self._close()

    def __enter__(self) -> Self:
        return self.start() if self._servers is None else self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The portal's base URL, without a trailing slash."""
        return self._running()[0].url

    @property
    def hosts(self) -> tuple[str, ...]:
        """``host:port`` of every server: everything a browser may talk to."""
        return tuple(server.netloc for server in self._running())

    def _running(self) -> tuple[SandboxServer, ...]:
        if self._servers is None:
            raise RuntimeError("the sandbox is not running; call start() first")
        return self._servers
