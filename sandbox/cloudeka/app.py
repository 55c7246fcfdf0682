"""Cloudeka Service Portal AI replica: the pages and the JSON API they call.

Screens K0-K6 of docs/portals.md section 3, on one origin (the real sign-in page is on the
portal itself). Pages are HTML shells; their JavaScript signs in and loads and changes tokens
through the JSON API under ``/api/``. ``GET /api/v1/me`` is the one call that authenticates
with a Secret API Key (``Authorization: Bearer cldk_...``) instead of the session cookie; its
path is invented, as the vendor documents none.
"""

from __future__ import annotations

import re
import threading
from importlib.resources import files
from urllib.parse import quote, urlsplit

from sandbox._server import (
    SECURITY_HEADERS,
    HTTPError,
    Markup,
    Request,
    Response,
    Router,
    StaticFiles,
    error_response,
    render,
)
from sandbox.cloudeka.db import CloudekaDB, SignIn

__all__ = ["PortalApp", "SessionTrap"]

SESSION_COOKIE = "cldk_session"
CHALLENGE_COOKIE = "cldk_otp_challenge"
LOGIN_FAILED = {
    "title": "Login Failed",
    "message": "Please recheck the username and password and try again!",
}
# Verbatim from the vendor's sibling portal, typo included (portals.md §3b).
LOCKED = {
    "title": "Yout Account Has Been Locked",
    "message": "Too many login attempts, wait for 30 Minutes",
}
BAD_OTP = "Invalid or expired OTP"
SESSION_EXPIRED = "Your session has expired. Please sign in again."

_SKIN_FOLDERS = {"plain": "static", "framework": "vuetify"}
# Vuetify writes its theme into a <style> element at run time (and Vue sets inline styles):
# the framework skin allows inline styles, nothing else.
_VUETIFY_HEADERS = tuple(
    (
        name,
        value.replace(
            "default-src 'self';", "default-src 'self'; style-src 'self' 'unsafe-inline';"
        ),
    )
    for name, value in SECURITY_HEADERS
)


class SessionTrap:
    """Ends every session when a chosen request arrives: "the session expired mid-run".

    A test arms it with a method and a path regex; the first matching request finds its
    session gone (and so does everything after it).
    """

    def __init__(self, db: CloudekaDB) -> None:
        self._db = db
        self._lock = threading.Lock()
        self._armed: tuple[str, re.Pattern[str]] | None = None

    def arm(self, method: str, path: str) -> None:
        """End the sessions on the next ``method`` request whose path matches ``path``."""
        with self._lock:
            self._armed = (method.upper(), re.compile(path))

    def check(self, request: Request) -> None:
        """Spring the trap if ``request`` is the awaited one."""
        with self._lock:
            armed = self._armed
            if armed is None or request.method != armed[0] or not armed[1].search(request.path):
                return
            self._armed = None
        self._db.expire_sessions()


class _TrappedRouter(Router):
    """A router that lets the session trap look at every request first."""

    def __init__(self, trap: SessionTrap) -> None:
        super().__init__(_not_found)
        self._trap = trap

    def dispatch(self, request: Request) -> Response:
        if not request.path.startswith("/_sandbox/"):
            self._trap.check(request)
        return super().dispatch(request)


class PortalApp:
    """Routes of the portal: pages, the JSON API and the sandbox's own controls.

    Args:
        db: The replica's state.
        email: The seeded account's email (the one `/_sandbox/totp` switches).
        skin: ``plain`` (hand-written HTML) or ``framework`` (Vue 3 and Vuetify 3).
    """

    def __init__(self, db: CloudekaDB, email: str, skin: str = "plain") -> None:
        self._db, self._email = db, email
        self._static = StaticFiles(files(__package__) / _SKIN_FOLDERS[skin])
        self.headers = _VUETIFY_HEADERS if skin == "framework" else SECURITY_HEADERS
        self.trap = SessionTrap(db)
        self.router: Router = _TrappedRouter(self.trap)
        add = self.router.add
        add("GET", r"/static/(?P<name>[^/]+)", self._static)
        add("GET", r"/", self._home)
        add("GET", r"/api-overview", self._api_overview)
        add("GET", r"/sign-in", self._sign_in_page)
        add("GET", r"/logout", self._logout)
        add("POST", r"/api/auth/login", self._login)
        add("POST", r"/api/auth/otp", self._otp)
        add("GET", r"/api/tokens", self._list_tokens)
        add("POST", r"/api/tokens", self._create_token)
        add("DELETE", r"/api/tokens/(?P<token_id>[^/]+)", self._delete_token)
        add("GET", r"/api/v1/me", self._me)
        add("GET", r"/_sandbox/state", lambda _r: Response.json(self._db.state()))
        add("POST", r"/_sandbox/sessions/expire", self._expire_sessions)
        add("POST", r"/_sandbox/totp", self._enable_totp)
        add("DELETE", r"/_sandbox/totp", self._disable_totp)

    # --- pages ---------------------------------------------------------------------------

    def _home(self, request: Request) -> Response:
        return self._page(request, "Dashboard", "home.html", nav="dashboard")

    def _api_overview(self, request: Request) -> Response:
        return self._page(request, "API Overview", "api-overview.html", script="api-overview.js")

    def _page(
        self, request: Request, title: str, template: str, *, nav: str = "", script: str = ""
    ) -> Response:
        email = self._db.session_email(request.cookies.get(SESSION_COOKIE))
        if email is None:
            return Response.redirect(f"/sign-in?next={quote(request.target, safe='/')}")
        name = self._db.display_name(email)
        current = Markup(' aria-current="page"')
        tag = f'<script type="module" src="/static/{script}"></script>' if script else ""
        page = render(
            self._static.read_text("layout.html"),
            {
                "title": title,
                "user_name": name,
                "initials": "".join(part[0] for part in name.split()[:2]).upper(),
                "dashboard_current": current if nav == "dashboard" else Markup(""),
                "content": Markup(render(self._static.read_text(template), {"user_name": name})),
                "script": Markup(tag),
            },
        )
        return Response.html(page)

    def _sign_in_page(self, request: Request) -> Response:
        target = _local_path(request.query.get("next", "/"))
        if self._db.session_email(request.cookies.get(SESSION_COOKIE)) is not None:
            return Response.redirect(target)
        return Response.html(render(self._static.read_text("signin.html"), {"next": target}))

    def _logout(self, request: Request) -> Response:
        session = request.cookies.get(SESSION_COOKIE)
        if session:
            self._db.close_session(session)
        return Response.redirect("/sign-in").delete_cookie(SESSION_COOKIE)

    # --- sign-in API ---------------------------------------------------------------------

    def _login(self, request: Request) -> Response:
        data = request.json()
        fields = data if isinstance(data, dict) else {}
        email, password = str(fields.get("email", "")).strip(), str(fields.get("password", ""))
        result = self._db.sign_in(email, password)
        if result.outcome == "locked":
            return Response.json(LOCKED, 423)
        if result.outcome == "failed":
            return Response.json(LOGIN_FAILED, 401)
        if result.outcome == "otp":
            return Response.json({"next": "otp"}).set_cookie(CHALLENGE_COOKIE, result.cookie)
        return _signed_in(result)

    def _otp(self, request: Request) -> Response:
        data = request.json()
        code = str(data.get("code", "")) if isinstance(data, dict) else ""
        result = self._db.verify_otp(request.cookies.get(CHALLENGE_COOKIE, ""), code)
        if result.outcome == "session":
            return _signed_in(result).delete_cookie(CHALLENGE_COOKIE)
        # "expired": the page goes back to the password step.
        restart = result.outcome == "expired"
        return Response.json({"message": BAD_OTP, "restart": restart}, 401)

    # --- token API -----------------------------------------------------------------------

    def _user(self, request: Request) -> str:
        email = self._db.session_email(request.cookies.get(SESSION_COOKIE))
        if email is None:
            raise HTTPError(401, SESSION_EXPIRED)
        return email

    def _list_tokens(self, request: Request) -> Response:
        return Response.json(self._db.tokens(self._user(request)))

    def _create_token(self, request: Request) -> Response:
        email = self._user(request)
        data = request.json()
        if not isinstance(data, dict):
            raise HTTPError(400, "Expected a JSON object.")
        return Response.json(
            self._db.create_token(email, data.get("name"), data.get("expiredAt")), 201
        )

    def _delete_token(self, request: Request) -> Response:
        if not self._db.revoke_token(self._user(request), request.params["token_id"]):
            raise HTTPError(404, "Token not found.")
        return Response.empty()

    def _me(self, request: Request) -> Response:
        # Only the Secret API Key counts here: a session cookie sent along proves nothing.
        scheme, _, key = (request.headers.get("Authorization") or "").partition(" ")
        email = self._db.bearer(key.strip()) if scheme.lower() == "bearer" else None
        if email is None:
            response = error_response(401, "Invalid or expired token.")
            response.headers.append(("WWW-Authenticate", 'Bearer realm="Cloudeka"'))
            return response
        return Response.json({"email": email, "name": self._db.display_name(email)})

    # --- sandbox controls ----------------------------------------------------------------

    def _expire_sessions(self, request: Request) -> Response:
        data = request.json()
        if isinstance(data, dict) and "path" in data:
            try:
                self.trap.arm(str(data.get("method", "GET")), str(data["path"]))
            except re.error as exc:
                raise HTTPError(400, f"path is not a valid regex: {exc}") from exc
        else:
            self._db.expire_sessions()
        return Response.empty()

    def _enable_totp(self, request: Request) -> Response:
        data = request.json()
        secret = data.get("secret") if isinstance(data, dict) else None
        if not isinstance(secret, str) or not secret:
            raise HTTPError(400, 'Expected {"secret": "<base32>"}.')
        try:
            self._db.set_totp(self._email, secret)
        except ValueError as exc:
            raise HTTPError(400, "secret is not base32.") from exc
        return Response.json({"twoFactor": True})

    def _disable_totp(self, _request: Request) -> Response:
        self._db.set_totp(self._email, None)
        return Response.empty()


def _signed_in(result: SignIn) -> Response:
    return Response.json({"next": "portal"}).set_cookie(SESSION_COOKIE, result.cookie)


def _local_path(target: str) -> str:
    """Only ever back into this portal: an absolute path, not another site."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _not_found(request: Request) -> Response:
    if request.path.startswith(("/api/", "/_sandbox/")):
        return error_response(404)
    return Response.html(
        '<!doctype html><html lang="en"><title>Not found | Service Portal AI</title>'
        '<h1>Page not found</h1><p><a href="/">Back to the Dashboard</a></p></html>',
        404,
    )
