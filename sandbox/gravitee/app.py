"""Gravitee Cloud replica: the console, its sign-in server, the JSON API and the SQLite state.

The replica follows docs/portals.md section 1 (screens G0-G4) and section 2 (Settings > Account
tokens, C1-C4, and the certificate renewal API, in ``accounts.py``). Two origins, as in the real
product: the console (``cloud.gravitee.io``) and the sign-in server (``auth.gravitee.cloud``),
joined by an OAuth-style authorization-code redirect. Pages are HTML shells; their JavaScript
loads everything else from the JSON API under ``/management/v2/``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlencode

from sandbox._server import (
    SECURITY_HEADERS,
    HTTPError,
    Markup,
    Replica,
    Request,
    Response,
    Router,
    SandboxServer,
    StaticFiles,
    error_response,
    render,
)
from sandbox._store import SESSIONS_SCHEMA, Sessions, Store, iso, now_iso
from sandbox.gravitee.accounts import AccountApi, AccountDB

SESSION_COOKIE = "gc_console_session"
CLIENT_ID = "cockpit"
USER_NAME = "Sandbox Operator"
CODE_TTL = timedelta(minutes=5)
STATE_TTL = timedelta(days=1)
GATEWAY_ID = r"(?P<gateway_id>[^/]+)"
TOKEN_ID = r"(?P<token_id>[^/]+)"

ACCOUNT = {
    "id": "3f0c7a52-9e1b-4c1e-8a51-2d4f6b7c9e10",
    "name": "Sandbox Org",
    "region": "eu",
    "cloudGateUrl": "https://eu.cloudgate.gravitee.io",
    "analyticsIndex": "3f0c7a52-eu-analytics",
}
# (id, name, environment, status, created_at of the one seeded token)
SEED_GATEWAYS = (
    ("8d2e4b16-5a7c-4f3e-9b1d-0c6a2e7f4d58", "eu-prod-gw", "Production", "Connected",
     "2025-09-16T08:42:19Z"),
    ("1b7f9c3a-2e5d-4a8b-b6c4-7d0e9f2a1c36", "eu-staging-gw", "Staging", "Connected",
     "2025-10-02T13:05:47Z"),
    ("c4a1e8d2-7b3f-4c9e-a5d6-3f8b0e2c7a91", "us-prod-gw", "Production", "Never Connected",
     "2026-01-20T16:21:03Z"),
)  # fmt: skip

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS gateways (
    id TEXT PRIMARY KEY, position INTEGER NOT NULL, name TEXT NOT NULL,
    configuration TEXT NOT NULL, provider TEXT NOT NULL, region TEXT NOT NULL,
    version TEXT NOT NULL, environment TEXT NOT NULL, status TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cloud_tokens (
    id TEXT PRIMARY KEY, gateway_id TEXT NOT NULL REFERENCES gateways(id), value TEXT NOT NULL,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL, revoked_at TEXT);
CREATE TABLE IF NOT EXISTS sign_in_states (state TEXT PRIMARY KEY, return_path TEXT NOT NULL,
    created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sign_in_codes (code TEXT PRIMARY KEY, state TEXT NOT NULL,
    redirect_uri TEXT NOT NULL, email TEXT NOT NULL, expires_at TEXT NOT NULL);
"""


def _parse_iso(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def sign_jwt(claims: dict[str, Any], key: bytes) -> str:
    """An HS256 JWT (compact form, base64url without padding)."""
    header = {"alg": "HS256", "typ": "JWT"}
    signing_input = ".".join(
        _b64url(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims)
    )
    signature = hmac.new(key, signing_input.encode("ascii"), hashlib.sha256).digest()
    return f"{signing_input}.{_b64url(signature)}"


class GraviteeDB:
    """The replica's state: gateways, Cloud tokens, console sessions and sign-in codes.

    Account tokens and issued certificates are in :attr:`accounts`.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self.sessions = Sessions(store)
        self._key = b""
        self._setup()
        self.accounts = AccountDB(store, ACCOUNT["name"])

    def _setup(self) -> None:
        # One transaction: a sandbox killed halfway through seeding leaves no half-seeded DB.
        self._store.script(SCHEMA + SESSIONS_SCHEMA)
        with self._store.transaction() as tx:
            row = tx.row("SELECT value FROM meta WHERE key = 'signing_key'")
            if row is not None:
                self._key = bytes.fromhex(row["value"])
                return
            # A random key per sandbox: token values differ between sandboxes, as in real life.
            self._key = secrets.token_bytes(32)
            tx.execute("INSERT INTO meta VALUES ('signing_key', ?)", (self._key.hex(),))
            for position, (gw_id, name, env, status, created_at) in enumerate(SEED_GATEWAYS):
                tx.execute(
                    "INSERT INTO gateways VALUES (?, ?, ?, 'Hybrid', 'N/A', 'N/A', '4.11.2', ?, ?)",
                    (gw_id, position, name, env, status),
                )
                self._insert_token(gw_id, created_at, USER_NAME)

    # --- gateways and Cloud tokens -------------------------------------------------------

    def gateways(self) -> list[dict[str, Any]]:
        """Every gateway, in dashboard order."""
        return [_gateway_json(r) for r in self._store.rows("SELECT * FROM gateways ORDER BY 2")]

    def gateway(self, gateway_id: str) -> dict[str, Any] | None:
        """One gateway, or None when the id is unknown."""
        row = self._store.row("SELECT * FROM gateways WHERE id = ?", (gateway_id,))
        return None if row is None else _gateway_json(row)

    def add_gateway(self, name: str, environment: str = "Production") -> dict[str, Any]:
        """Deploy one more hybrid gateway (with a Cloud token), listed after the others."""
        gateway_id = str(uuid.uuid4())
        with self._store.transaction() as tx:
            row = tx.row("SELECT COALESCE(MAX(position), -1) + 1 AS next FROM gateways")
            position = int(row["next"]) if row is not None else 0
            tx.execute(
                "INSERT INTO gateways VALUES (?, ?, ?, 'Hybrid', 'N/A', 'N/A', '4.11.2', ?, ?)",
                (gateway_id, position, name, environment, "Connected"),
            )
        self._insert_token(gateway_id, now_iso(), USER_NAME)
        gateway = self.gateway(gateway_id)
        assert gateway is not None
        return gateway

    def tokens(self, gateway_id: str) -> list[dict[str, Any]]:
        """The gateway's active Cloud tokens, oldest first, WITHOUT their values."""
        return [
            {"id": r["id"], "createdAt": r["created_at"], "createdBy": r["created_by"]}
            for r in self._active_tokens(gateway_id)
        ]

    def create_token(self, gateway_id: str, created_by: str) -> dict[str, Any]:
        """Generate a Cloud token; the only result that ever carries the value."""
        return self._insert_token(gateway_id, now_iso(), created_by)

    def revoke_token(self, gateway_id: str, token_id: str) -> bool:
        """Mark an active token revoked (the row is kept); False if there is none."""
        changed = self._store.execute(
            "UPDATE cloud_tokens SET revoked_at = ? "
            "WHERE id = ? AND gateway_id = ? AND revoked_at IS NULL",
            (now_iso(), token_id, gateway_id),
        )
        return changed == 1

    def state(self) -> dict[str, Any]:
        """The whole state for ``/_sandbox/state``, token values included."""
        gateways = []
        for gateway in self.gateways():
            rows = self._store.rows(
                "SELECT * FROM cloud_tokens WHERE gateway_id = ? ORDER BY created_at, rowid",
                (gateway["id"],),
            )
            active = [r for r in rows if r["revoked_at"] is None]
            revoked = [r for r in rows if r["revoked_at"] is not None]
            gateways.append(
                {
                    **{k: gateway[k] for k in ("id", "name", "environment", "status")},
                    "tokens": [{k: r[c] for k, c in _ACTIVE_FIELDS} for r in active],
                    "revokedTokens": [{k: r[c] for k, c in _REVOKED_FIELDS} for r in revoked],
                }
            )
        return {
            "account": {k: ACCOUNT[k] for k in ("id", "name", "region")},
            "gateways": gateways,
            **self.accounts.state(),
        }

    def _active_tokens(self, gateway_id: str) -> list[Any]:
        return self._store.rows(
            "SELECT * FROM cloud_tokens WHERE gateway_id = ? AND revoked_at IS NULL "
            "ORDER BY created_at, rowid",
            (gateway_id,),
        )

    def _insert_token(self, gateway_id: str, created_at: str, created_by: str) -> dict[str, Any]:
        token_id = str(uuid.uuid4())
        claims = {
            "sub": gateway_id,
            "accountId": ACCOUNT["id"],
            "region": ACCOUNT["region"],
            "cloudGateUrl": ACCOUNT["cloudGateUrl"],
            "analyticsIndex": ACCOUNT["analyticsIndex"],
            "iat": int(_parse_iso(created_at).timestamp()),
            "jti": token_id,
        }
        value = sign_jwt(claims, self._key)
        self._store.execute(
            "INSERT INTO cloud_tokens VALUES (?, ?, ?, ?, ?, NULL)",
            (token_id, gateway_id, value, created_at, created_by),
        )
        return {"id": token_id, "createdAt": created_at, "createdBy": created_by, "token": value}

    # --- sessions and sign-in ------------------------------------------------------------

    def open_session(self, email: str) -> str:
        """Start a session; return the cookie value."""
        return self.sessions.open(email)

    def session_email(self, session: str | None) -> str | None:
        """The signed-in email for a cookie value, or None when it is not a live session."""
        return self.sessions.email(session)

    def close_session(self, session: str) -> None:
        """End one session (sign out)."""
        self.sessions.close(session)

    def expire_sessions(self) -> None:
        """End every console session."""
        self.sessions.expire_all()

    def remember_return_path(self, return_path: str) -> str:
        """Store where to go after sign-in; return the OAuth ``state`` naming it."""
        state = secrets.token_urlsafe(16)
        with self._store.transaction() as tx:
            # Every signed-out page view stores a state; forget the ones nobody came back for.
            stale = iso(datetime.now(UTC) - STATE_TTL)
            tx.execute("DELETE FROM sign_in_states WHERE created_at < ?", (stale,))
            tx.execute("DELETE FROM sign_in_codes WHERE expires_at < ?", (now_iso(),))
            tx.execute(
                "INSERT INTO sign_in_states VALUES (?, ?, ?)", (state, return_path, now_iso())
            )
        return state

    def issue_code(self, state: str, redirect_uri: str, email: str) -> str:
        """A one-time authorization code for a successful sign-in."""
        code = secrets.token_urlsafe(24)
        expires = iso(datetime.now(UTC) + CODE_TTL)
        self._store.execute(
            "INSERT INTO sign_in_codes VALUES (?, ?, ?, ?, ?)",
            (code, state, redirect_uri, email, expires),
        )
        return code

    def redeem_code(self, code: str, state: str, redirect_uri: str) -> tuple[str, str] | None:
        """Use up a code; ``(email, return_path)`` when code, state and redirect all match."""
        with self._store.transaction() as tx:
            row = tx.row("SELECT * FROM sign_in_codes WHERE code = ?", (code,))
            tx.execute("DELETE FROM sign_in_codes WHERE code = ?", (code,))
            if row is None or row["state"] != state or row["redirect_uri"] != redirect_uri:
                return None
            if _parse_iso(row["expires_at"]) < datetime.now(UTC):
                return None
            target = tx.row("SELECT return_path FROM sign_in_states WHERE state = ?", (state,))
            tx.execute("DELETE FROM sign_in_states WHERE state = ?", (state,))
            return_path = "/" if target is None else str(target["return_path"])
            return str(row["email"]), return_path


_ACTIVE_FIELDS = (("id", "id"), ("value", "value"), ("createdAt", "created_at"),
                  ("createdBy", "created_by"))  # fmt: skip
_REVOKED_FIELDS = (("id", "id"), ("value", "value"), ("createdAt", "created_at"),
                   ("revokedAt", "revoked_at"))  # fmt: skip


def _gateway_json(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "type": row["configuration"],
        "configuration": row["configuration"],
        "provider": row["provider"],
        "region": row["region"],
        "version": row["version"],
        "environment": row["environment"],
        "status": row["status"],
    }


@dataclass
class _Origins:
    """Base URLs of the two servers, known once both sockets are bound."""

    console: str = ""
    auth: str = ""

    @property
    def callback(self) -> str:
        return f"{self.console}/auth/callback"


_SKIN_FOLDERS = {"plain": "static", "framework": "material"}


def _static(skin: str) -> StaticFiles:
    """The pages, scripts and styles of one skin (``material``: Angular Material's markup)."""
    return StaticFiles(files(__package__) / _SKIN_FOLDERS[skin], (".css", ".js", ".svg", ".woff2"))


_SETTINGS_PAGES = (("general", "/settings", "General"),
                   ("account-tokens", "/settings/account-tokens", "Account tokens"))  # fmt: skip


def _settings_nav(current: str, skin: str) -> Markup:
    """The Settings sub-menu, with the current page marked."""
    if skin == "framework":
        # mat-tab-nav-bar with a tab panel: its links take the tab role (MatTabLink._getRole).
        links = "".join(
            render(
                '<a mat-tab-link role="tab" class="mdc-tab mat-mdc-tab-link mat-focus-indicator'
                '$active" href="$href" aria-controls="settings-tab-panel" '
                'aria-selected="$selected" aria-disabled="false" tabindex="$tabindex">'
                '<span class="mdc-tab__ripple"></span><div class="mat-mdc-tab-ripple"></div>'
                '<span class="mdc-tab__content"><span class="mdc-tab__text-label">$label</span>'
                '</span><span class="mdc-tab-indicator$indicator"><span class="mdc-tab-indicator'
                '__content mdc-tab-indicator__content--underline"></span></span></a>',
                {
                    "href": href,
                    "label": label,
                    "selected": "true" if key == current else "false",
                    "tabindex": "0" if key == current else "-1",
                    "active": " mdc-tab--active" if key == current else "",
                    "indicator": " mdc-tab-indicator--active" if key == current else "",
                },
            )
            for key, href, label in _MATERIAL_SETTINGS_PAGES
        )
        return Markup(
            '<nav mat-tab-nav-bar class="mat-mdc-tab-nav-bar mat-mdc-tab-header" '
            '><div class="mat-mdc-tab-link-container"><div class="mat-mdc-tab-list">'
            f'<div class="mat-mdc-tab-links">{links}</div></div></div></nav>'
        )
    links = "".join(
        render(
            '<li><a href="$href"$current>$label</a></li>',
            {
                "href": href,
                "label": label,
                "current": Markup(' aria-current="page"' if key == current else ""),
            },
        )
        for key, href, label in _SETTINGS_PAGES
    )
    return Markup(f'<nav class="subnav" aria-label="Settings"><ul>{links}</ul></nav>')


# The account-token guide's spelling ("Settings > Account Tokens"), not the renewal guide's.
_MATERIAL_SETTINGS_PAGES = (
    ("general", "/settings", "General"),
    ("account-tokens", "/settings/account-tokens", "Account Tokens"),
)


_ALERT = '<div class="alert" role="alert">$text</div>'
# Angular Material: the refusal is a mat-error under the password field (no alert role).
_MAT_ERROR = (
    '<div class="mat-mdc-form-field-error-wrapper"><mat-error aria-atomic="true" '
    'class="mat-mdc-form-field-error mat-mdc-form-field-bottom-align">$text</mat-error></div>'
)


class _SignInApp:
    """The sign-in server (screen G0): password form, inert social and SSO sign-in.

    Args:
        db: The replica's state (sign-in codes are stored there for the console to redeem).
        origins: Where the console and the sign-in server listen.
        passwords: Lower-case email -> password of every account that may sign in.
    """

    def __init__(
        self, db: GraviteeDB, origins: _Origins, passwords: dict[str, str], skin: str
    ) -> None:
        self._db, self._origins, self._passwords = db, origins, passwords
        self._static = _static(skin)
        self._alert = _MAT_ERROR if skin == "framework" else _ALERT
        self.router = Router(lambda _r: Response.text("Not found", 404))
        self.router.add("GET", r"/static/(?P<name>[^/]+)", self._static)
        self.router.add("GET", r"/cockpit-master/login", self._login_page)
        self.router.add("POST", r"/cockpit-master/login", self._login)
        self.router.add("GET", r"/cockpit-master/sso", self._sso_page)

    def _authorization(self, request: Request) -> dict[str, str] | None:
        """The validated authorization request, or None when it is not ours."""
        params = {k: request.query.get(k, "") for k in ("response_type", "client_id", "state")}
        params["redirect_uri"] = request.query.get("redirect_uri", "")
        valid = (
            params["response_type"] == "code"
            and params["client_id"] == CLIENT_ID
            and params["redirect_uri"] == self._origins.callback
            and params["state"]
        )
        # Like a real authorization server: never send a code to an unknown redirect_uri.
        return params if valid else None

    def _invalid_request(self) -> Response:
        content = Markup(
            "<h1>Invalid sign-in request</h1><p>The sign-in link is not valid. "
            "Open the Gravitee Cloud console again to sign in.</p>"
        )
        return self._auth_page("Invalid sign-in request", content, 400)

    def _login_page(self, request: Request, *, email: str = "", alert: str = "") -> Response:
        params = self._authorization(request)
        if params is None:
            return self._invalid_request()
        query = urlencode(params)
        content = render(
            self._static.read_text("signin.html"),
            {
                "action": f"/cockpit-master/login?{query}",
                "sso_href": f"/cockpit-master/sso?{query}",
                "email": email,
                "alert": Markup(render(self._alert, {"text": alert}) if alert else ""),
            },
        )
        return self._auth_page("Sign in", content, 401 if alert else 200)

    def _login(self, request: Request) -> Response:
        params = self._authorization(request)
        if params is None:
            return self._invalid_request()
        form = request.form()
        email, password = form.get("email", "").strip(), form.get("password", "")
        expected = self._passwords.get(email.lower())
        if expected is None or not hmac.compare_digest(password.encode(), expected.encode()):
            return self._login_page(request, email=email, alert="Wrong email or password.")
        code = self._db.issue_code(params["state"], params["redirect_uri"], email.lower())
        query = urlencode({"code": code, "state": params["state"]})
        return Response.redirect(f"{params['redirect_uri']}?{query}")

    def _sso_page(self, request: Request) -> Response:
        params = self._authorization(request)
        if params is None:
            return self._invalid_request()
        content = render(
            self._static.read_text("sso.html"),
            {"login_href": f"/cockpit-master/login?{urlencode(params)}"},
        )
        return self._auth_page("Single Sign On", content)

    def _auth_page(self, title: str, content: str, status: int = 200) -> Response:
        page = render(
            self._static.read_text("auth-layout.html"), {"title": title, "content": Markup(content)}
        )
        return Response.html(page, status)


class _ConsoleApp:
    """The console: HTML shells for G1/G2 (dialogs G3/G4 live in G2) and the JSON API.

    Args:
        db: The replica's state.
        origins: Where the console and the sign-in server listen.
        display_names: Email -> the name shown as a token's creator.
    """

    def __init__(
        self, db: GraviteeDB, origins: _Origins, display_names: dict[str, str], skin: str
    ) -> None:
        self._db, self._origins, self._names = db, origins, display_names
        self._skin = skin
        self._static = _static(skin)
        self.router = Router(self._not_found)
        add = self.router.add
        add("GET", r"/static/(?P<name>[^/]+)", self._static)
        add("GET", r"/", self._dashboard)
        add("GET", rf"/gateways/{GATEWAY_ID}", self._gateway_page)
        add("GET", r"/settings", self._settings)
        add("GET", r"/settings/account-tokens", self._account_tokens)
        add("GET", r"/auth/callback", self._callback)
        add("GET", r"/logout", self._logout)
        api = "/management/v2/gateways"
        add("GET", api, self._api_gateways)
        add("GET", rf"{api}/{GATEWAY_ID}", self._api_gateway)
        add("GET", rf"{api}/{GATEWAY_ID}/cloud-tokens", self._api_tokens)
        add("POST", rf"{api}/{GATEWAY_ID}/cloud-tokens", self._api_create_token)
        add("DELETE", rf"{api}/{GATEWAY_ID}/cloud-tokens/{TOKEN_ID}", self._api_revoke_token)
        add("GET", r"/_sandbox/state", lambda _r: Response.json(self._db.state()))
        add("POST", r"/_sandbox/sessions/expire", self._expire_sessions)
        AccountApi(db.accounts, ACCOUNT["id"], self._user).install(self.router)

    # --- pages -------------------------------------------------------------------------

    def _dashboard(self, request: Request) -> Response:
        return self._page(request, "Dashboard", "dashboard.html", {}, nav="dashboard")

    def _settings(self, request: Request) -> Response:
        values = {k: ACCOUNT[k] for k in ("id", "name", "region")}
        values["settings_nav"] = _settings_nav("general", self._skin)
        return self._page(request, "Settings", "settings.html", values, nav="settings")

    def _account_tokens(self, request: Request) -> Response:
        values = {
            "settings_nav": _settings_nav("account-tokens", self._skin),
            # What the Example section shows: the API host and this account's URL.
            "account_url": f"{self._origins.console}/management/accounts/{ACCOUNT['id']}",
        }
        return self._page(request, "Account tokens", "account-tokens.html", values, nav="settings")

    def _gateway_page(self, request: Request) -> Response:
        gateway_id = request.params["gateway_id"]
        if self._email(request) is not None and self._db.gateway(gateway_id) is None:
            return self._page(
                request, "Gateway not found", "not-found.html", {}, nav="dashboard", status=404
            )
        values = {"gateway_id": gateway_id}
        # Gateways are reached from the Dashboard, so that menu entry stays current.
        return self._page(
            request, "Hybrid Gateway Details", "gateway.html", values, nav="dashboard"
        )

    def _not_found(self, request: Request) -> Response:
        if request.path.startswith(("/management/", "/_sandbox/")):
            return error_response(404)
        return Response.html(
            '<!doctype html><html lang="en"><title>Not found | Gravitee Cloud</title>'
            '<h1>Page not found</h1><p><a href="/">Back to Dashboard</a></p></html>',
            404,
        )

    def _page(
        self,
        request: Request,
        title: str,
        template: str,
        values: dict[str, str],
        *,
        nav: str = "",
        status: int = 200,
    ) -> Response:
        if self._email(request) is None:
            return self._sign_in_redirect(request)
        content = render(self._static.read_text(template), values)
        current = Markup(' aria-current="page"')
        page = render(
            self._static.read_text("layout.html"),
            {
                "title": title,
                "account_name": ACCOUNT["name"],
                "user_name": USER_NAME,
                "dashboard_current": current if nav == "dashboard" else Markup(""),
                "settings_current": current if nav == "settings" else Markup(""),
                "content": Markup(content),
            },
        )
        return Response.html(page, status)

    # --- sign-in handshake -----------------------------------------------------------

    def _email(self, request: Request) -> str | None:
        return self._db.session_email(request.cookies.get(SESSION_COOKIE))

    def _sign_in_redirect(self, request: Request) -> Response:
        state = self._db.remember_return_path(request.target)
        query = urlencode(
            {
                "response_type": "code",
                "client_id": CLIENT_ID,
                "redirect_uri": self._origins.callback,
                "state": state,
            }
        )
        return Response.redirect(f"{self._origins.auth}/cockpit-master/login?{query}")

    def _callback(self, request: Request) -> Response:
        code, state = request.query.get("code", ""), request.query.get("state", "")
        redeemed = self._db.redeem_code(code, state, self._origins.callback)
        if redeemed is None:
            page = render(
                self._static.read_text("auth-layout.html"),
                {
                    "title": "Sign-in failed",
                    "content": Markup(
                        "<h1>Sign-in failed</h1><p>The sign-in link has expired or was "
                        'already used.</p><p><a href="/">Sign in again</a></p>'
                    ),
                },
            )
            return Response.html(page, 400)
        email, return_path = redeemed
        if not return_path.startswith("/") or return_path.startswith("//"):
            return_path = "/"  # only ever back into this console
        session = self._db.open_session(email)
        return Response.redirect(return_path).set_cookie(SESSION_COOKIE, session)

    def _logout(self, request: Request) -> Response:
        session = request.cookies.get(SESSION_COOKIE)
        if session:
            self._db.close_session(session)
        return Response.redirect("/").delete_cookie(SESSION_COOKIE)

    # --- JSON API ----------------------------------------------------------------------

    def _user(self, request: Request) -> str:
        email = self._email(request)
        if email is None:
            raise HTTPError(401, "Your session has expired. Sign in again.")
        return self._names.get(email, email)

    def _gateway_or_404(self, request: Request) -> str:
        self._user(request)
        gateway_id = request.params["gateway_id"]
        if self._db.gateway(gateway_id) is None:
            raise HTTPError(404, "Gateway not found.")
        return gateway_id

    def _api_gateways(self, request: Request) -> Response:
        self._user(request)
        return Response.json(self._db.gateways())

    def _api_gateway(self, request: Request) -> Response:
        return Response.json(self._db.gateway(self._gateway_or_404(request)))

    def _api_tokens(self, request: Request) -> Response:
        return Response.json(self._db.tokens(self._gateway_or_404(request)))

    def _api_create_token(self, request: Request) -> Response:
        gateway_id = self._gateway_or_404(request)
        return Response.json(self._db.create_token(gateway_id, self._user(request)), 201)

    def _api_revoke_token(self, request: Request) -> Response:
        gateway_id = self._gateway_or_404(request)
        if not self._db.revoke_token(gateway_id, request.params["token_id"]):
            raise HTTPError(404, "Cloud token not found.")
        return Response.empty(204)

    def _expire_sessions(self, _request: Request) -> Response:
        self._db.expire_sessions()
        return Response.empty(204)


class GraviteeSandbox(Replica):
    """A running Gravitee Cloud replica: the console and its sign-in server.

    Args:
        data_dir: Folder of ``gravitee.sqlite3``; created when missing. State persists there.
        host: Interface both servers bind.
        port: Console port; 0 picks a free one.
        auth_port: Sign-in server port; 0 picks a free one.
        latency: Seconds added before answering each ``/management/`` API request.
        skin: ``plain`` (hand-written HTML) or ``framework`` (Angular Material's markup);
            default ``RUNBOOK_SANDBOX_SKIN``, else plain.

    Example::

        with GraviteeSandbox(tmp_path) as sb:
            page.goto(sb.url)  # redirects to sb.auth_url for sign-in
    """

    EMAIL: ClassVar[str] = "operator@sandbox.test"
    PASSWORD: ClassVar[str] = "sandbox-pass-1234"

    def __init__(
        self,
        data_dir: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        auth_port: int = 0,
        latency: float = 0.0,
        skin: str | None = None,
    ) -> None:
        super().__init__(data_dir, host=host, latency=latency, skin=skin)
        self._ports = (port, auth_port)
        self._store: Store | None = None
        self._db: GraviteeDB | None = None

    def _open(self) -> tuple[SandboxServer, ...]:
        store = Store(self.data_dir / "gravitee.sqlite3")
        try:
            db = GraviteeDB(store)
            origins = _Origins()
            console = SandboxServer(
                _ConsoleApp(db, origins, {self.EMAIL: USER_NAME}, self.skin).router,
                self._controls,
                host=self.host,
                port=self._ports[0],
                latency_paths=r"^/management/",
                headers=SECURITY_HEADERS,
            )
            self._controls.install(console.router)
            auth = SandboxServer(
                _SignInApp(db, origins, {self.EMAIL.lower(): self.PASSWORD}, self.skin).router,
                self._controls,
                host=self.host,
                port=self._ports[1],
                headers=SECURITY_HEADERS,
            )
            # Bind both first: each server's pages link to the other's origin.
            console.bind()
            try:
                auth.bind()
            except BaseException:
                console.stop()
                raise
            origins.console, origins.auth = console.url, auth.url
        except BaseException:
            store.close()
            raise
        console.start()
        auth.start()
        self._store, self._db = store, db
        return (console, auth)

    def _close(self) -> None:
        store, self._store, self._db = self._store, None, None
        if store is not None:
            store.close()

    @property
    def auth_url(self) -> str:
        """Sign-in server base URL (another origin: a different port)."""
        return self._running()[1].url

    def state(self) -> dict[str, Any]:
        """The replica's state, as ``GET /_sandbox/state`` returns it."""
        return self._database().state()

    def expire_sessions(self) -> None:
        """Invalidate every console session: the API answers 401 afterwards."""
        self._database().expire_sessions()

    def add_gateway(self, name: str, environment: str = "Production") -> dict[str, Any]:
        """Deploy one more hybrid gateway with a Cloud token (e.g. a look-alike name)."""
        return self._database().add_gateway(name, environment)

    def _database(self) -> GraviteeDB:
        if self._db is None:
            raise RuntimeError("the sandbox is not running; call start() first")
        return self._db
