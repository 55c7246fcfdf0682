"""Account tokens and certificate renewal in the Gravitee Cloud replica (portals.md section 2).

Screens C1-C4 (Settings > Account tokens and its dialogs) call the JSON API below with the
console session. The renewal endpoint ``POST /management/accounts/<id>/certificate/renewcert``
takes no session at all, only ``Authorization: Bearer <account token>``, as the guide's Postman
steps show; it answers with a new PKCS#12 keystore (see ``certificates.py``).
"""

from __future__ import annotations

import base64
import secrets
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from sandbox._server import HTTPError, Request, Response, Router
from sandbox._store import Store
from sandbox.gravitee.certificates import CertificateAuthority, IssuedKeystore

__all__ = ["MAX_ACTIVE_TOKENS", "AccountApi", "AccountDB", "TokenLimitReached"]

# Documented: "A total of 10 Account Tokens can be active simultaneously." (S5)
MAX_ACTIVE_TOKENS = 10
MAX_NAME_LENGTH = 64
TOKENS_API = "/management/v2/account/tokens"
RENEW_API = r"/management/accounts/(?P<account_id>[^/]+)/certificate/renewcert"

SCHEMA = """
CREATE TABLE IF NOT EXISTS account_tokens (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, value TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL, revoked_at TEXT);
CREATE TABLE IF NOT EXISTS certificates (
    serial TEXT PRIMARY KEY, subject TEXT NOT NULL, not_before TEXT NOT NULL,
    not_after TEXT NOT NULL, sha256 TEXT NOT NULL, issued_at TEXT NOT NULL,
    token_id TEXT NOT NULL REFERENCES account_tokens(id));
"""


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class TokenLimitReached(Exception):
    """The account already has the maximum number of active account tokens."""


class AccountDB:
    """Account tokens and the certificates issued with them, in the replica's database.

    Args:
        store: The replica's SQLite store (its ``meta`` table must exist).
        organization: The account's name, written into issued certificates.
    """

    def __init__(self, store: Store, organization: str) -> None:
        self._store = store
        self._organization = organization
        self._ca: CertificateAuthority | None = None
        store.script(SCHEMA)

    def tokens(self) -> list[dict[str, Any]]:
        """The active account tokens, oldest first, WITHOUT their values."""
        return [
            {"id": r["id"], "name": r["name"], "createdAt": r["created_at"],
             "createdBy": r["created_by"]}
            for r in self._active()
        ]  # fmt: skip

    def create_token(self, name: str, created_by: str) -> dict[str, Any]:
        """Generate an account token; the only result that ever carries its value.

        Raises:
            TokenLimitReached: ten tokens are active already.
        """
        token = {
            "id": str(uuid.uuid4()),
            "name": name,
            "createdAt": _iso(datetime.now(UTC)),
            "createdBy": created_by,
            "token": secrets.token_urlsafe(32),
        }
        # One transaction: two Generate clicks at once cannot make an eleventh token.
        with self._store.transaction() as tx:
            row = tx.row("SELECT COUNT(*) AS n FROM account_tokens WHERE revoked_at IS NULL")
            if row is not None and row["n"] >= MAX_ACTIVE_TOKENS:
                raise TokenLimitReached
            tx.execute(
                "INSERT INTO account_tokens VALUES (?, ?, ?, ?, ?, NULL)",
                (token["id"], name, token["token"], token["createdAt"], created_by),
            )
        return token

    def revoke_token(self, token_id: str) -> bool:
        """Mark an active token revoked (the row is kept); False if there is none."""
        changed = self._store.execute(
            "UPDATE account_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
            (_iso(datetime.now(UTC)), token_id),
        )
        return changed == 1

    def active_token_id(self, value: str) -> str | None:
        """The id of the active token with this value; None if unknown or revoked."""
        row = self._store.row(
            "SELECT id FROM account_tokens WHERE value = ? AND revoked_at IS NULL", (value,)
        )
        return None if row is None else str(row["id"])

    def issue_keystore(self, common_name: str, token_id: str) -> IssuedKeystore:
        """Issue a client keystore and keep a record of its certificate."""
        issued = self._authority().issue_keystore(
            common_name=common_name, organization=self._organization
        )
        self._store.execute(
            "INSERT INTO certificates VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                issued.serial,
                issued.subject,
                _iso(issued.not_before),
                _iso(issued.not_after),
                issued.sha256,
                _iso(datetime.now(UTC)),
                token_id,
            ),
        )
        return issued

    def state(self) -> dict[str, Any]:
        """Account tokens (values included) and issued certificates, for ``/_sandbox/state``."""
        rows = self._store.rows("SELECT * FROM account_tokens ORDER BY created_at, rowid")
        certificates = self._store.rows("SELECT * FROM certificates ORDER BY issued_at, rowid")
        return {
            "accountTokens": [
                {"id": r["id"], "name": r["name"], "value": r["value"],
                 "createdAt": r["created_at"], "createdBy": r["created_by"]}
                for r in rows if r["revoked_at"] is None
            ],
            "revokedAccountTokens": [
                {"id": r["id"], "name": r["name"], "value": r["value"],
                 "createdAt": r["created_at"], "revokedAt": r["revoked_at"]}
                for r in rows if r["revoked_at"] is not None
            ],
            "certificates": [
                {"serial": r["serial"], "subject": r["subject"], "notBefore": r["not_before"],
                 "notAfter": r["not_after"], "sha256": r["sha256"], "issuedAt": r["issued_at"]}
                for r in certificates
            ],
        }  # fmt: skip

    def _active(self) -> list[Any]:
        return self._store.rows(
            "SELECT * FROM account_tokens WHERE revoked_at IS NULL ORDER BY created_at, rowid"
        )

    def _authority(self) -> CertificateAuthority:
        """The sandbox CA: created on first use, then kept in the database."""
        if self._ca is not None:
            return self._ca
        with self._store.transaction() as tx:
            key = tx.row("SELECT value FROM meta WHERE key = 'ca_key'")
            cert = tx.row("SELECT value FROM meta WHERE key = 'ca_certificate'")
            if key is not None and cert is not None:
                self._ca = CertificateAuthority.from_pem(
                    key["value"].encode(), cert["value"].encode()
                )
            else:
                self._ca = CertificateAuthority.create(self._organization)
                key_pem, cert_pem = self._ca.to_pem()
                tx.execute("INSERT INTO meta VALUES ('ca_key', ?)", (key_pem.decode(),))
                tx.execute("INSERT INTO meta VALUES ('ca_certificate', ?)", (cert_pem.decode(),))
        return self._ca


class AccountApi:
    """The JSON API behind screens C1-C4, and the renewal endpoint.

    Args:
        db: Account tokens and certificates.
        account_id: The account's id (the renewal URL names it).
        user: Returns the signed-in user's display name, or raises a 401 ``HTTPError``.
    """

    def __init__(self, db: AccountDB, account_id: str, user: Callable[[Request], str]) -> None:
        self._db, self._account_id, self._user = db, account_id, user

    def install(self, router: Router) -> None:
        """Add the routes to the console's router."""
        router.add("GET", TOKENS_API, self._list)
        router.add("POST", TOKENS_API, self._create)
        router.add("DELETE", rf"{TOKENS_API}/(?P<token_id>[^/]+)", self._revoke)
        # POST only: the router answers 405 (with Allow: POST) for any other method.
        router.add("POST", RENEW_API, self._renew)

    def _list(self, request: Request) -> Response:
        self._user(request)
        return Response.json(self._db.tokens())

    def _create(self, request: Request) -> Response:
        user = self._user(request)
        data = request.json()
        name = data.get("name") if isinstance(data, Mapping) else None
        if not isinstance(name, str) or not name.strip():
            raise HTTPError(400, "Give your Account Token a name.")
        if len(name) > MAX_NAME_LENGTH:
            raise HTTPError(400, f"The name can be at most {MAX_NAME_LENGTH} characters long.")
        try:
            return Response.json(self._db.create_token(name.strip(), user), 201)
        except TokenLimitReached:
            raise HTTPError(
                409,
                f"A total of {MAX_ACTIVE_TOKENS} Account Tokens can be active simultaneously. "
                "Revoke a token before you generate a new one.",
            ) from None

    def _revoke(self, request: Request) -> Response:
        self._user(request)
        if not self._db.revoke_token(request.params["token_id"]):
            raise HTTPError(404, "Account token not found.")
        return Response.empty(204)

    def _renew(self, request: Request) -> Response:
        scheme, _, value = (request.headers.get("Authorization") or "").partition(" ")
        token_id = None
        if scheme.lower() == "bearer" and value.strip():
            token_id = self._db.active_token_id(value.strip())
        if token_id is None:
            response = Response.json(
                {"status": 401, "message": "A valid account token is required."}, 401
            )
            response.headers.append(("WWW-Authenticate", 'Bearer realm="Gravitee Cloud"'))
            return response
        if request.params["account_id"] != self._account_id:
            raise HTTPError(404, "Account not found.")
        issued = self._db.issue_keystore(self._account_id, token_id)
        return Response.json(
            {
                "alias": issued.alias,
                "storePassword": issued.password,
                # PKCS#12 has one password for the store and the key: both are the same.
                "keyPassword": issued.password,
                "type": "PKCS12",
                "content": base64.b64encode(issued.content).decode("ascii"),
            }
        )
