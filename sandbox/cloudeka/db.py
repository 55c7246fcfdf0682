"""The Cloudeka replica's state in SQLite: the account, sign-in, sessions and tokens.

Follows docs/portals.md section 3. Where the vendor documents nothing, the choices are marked
[I] in that file; the ones made here are: five wrong passwords in a row lock the account for 30
minutes; a token's Expired date is the first day it no longer works; a token name may not be
used twice by tokens that are still listed (not deleted).
"""

from __future__ import annotations

import hmac
import secrets
import string
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

import pyotp

from sandbox._server import HTTPError
from sandbox._store import SESSIONS_SCHEMA, Row, Sessions, Store, digest, iso, now_iso

MAX_FAILURES = 5
LOCK_TIME = timedelta(minutes=30)
CHALLENGE_TTL = timedelta(minutes=5)
NAME_MAX = 50
SECRET_PREFIX = "cldk_"
_ALPHABET = string.ascii_letters + string.digits

# (name, created_at, expired date or None) of the tokens a new sandbox already has.
SEED_TOKENS = (
    ("jupyter-notebook", "2025-03-14T09:12:44Z", "2025-09-30"),
    ("ci-nightly", "2025-11-02T16:40:05Z", None),
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    email TEXT PRIMARY KEY, name TEXT NOT NULL, password_digest TEXT NOT NULL,
    totp_secret TEXT, failures INTEGER NOT NULL DEFAULT 0, locked_until TEXT);
CREATE TABLE IF NOT EXISTS challenges (digest TEXT PRIMARY KEY, email TEXT NOT NULL,
    expires_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (
    id TEXT PRIMARY KEY, email TEXT NOT NULL REFERENCES accounts(email), name TEXT NOT NULL,
    secret TEXT NOT NULL UNIQUE, expired_on TEXT, created_at TEXT NOT NULL, revoked_at TEXT);
"""


def today() -> date:
    """The portal's "today": the local date, as its date picker shows it."""
    return date.today()


def new_secret() -> str:
    """A Secret API Key: the `cldk_` prefix the Cloudeka CLI expects, then 40 random chars."""
    return SECRET_PREFIX + "".join(secrets.choice(_ALPHABET) for _ in range(40))


@dataclass(frozen=True)
class SignIn:
    """What a sign-in attempt led to.

    Args:
        outcome: `session` (signed in), `otp` (the one-time code comes next),
            `failed` (wrong credentials or code), `locked` (too many wrong passwords) or
            `expired` (the one-time-code step timed out: sign in again).
        cookie: The session or challenge cookie value, for the first two.
    """

    outcome: Literal["session", "otp", "failed", "locked", "expired"]
    cookie: str = ""


class CloudekaDB:
    """The replica's state, shared by the handler threads through one `Store`."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.sessions = Sessions(store)

    def setup(self, email: str, name: str, password: str, totp_secret: str | None) -> None:
        """Create the schema; seed the account and its tokens once; set its two-factor secret.

        The two-factor secret is set on every start: the sandbox's constructor says whether
        the account has it, whatever an earlier run left in the file.
        """
        self._store.script(SCHEMA + SESSIONS_SCHEMA)
        with self._store.transaction() as tx:
            if tx.row("SELECT 1 FROM accounts WHERE email = ?", (email,)) is None:
                tx.execute(
                    "INSERT INTO accounts (email, name, password_digest) VALUES (?, ?, ?)",
                    (email, name, digest(password)),
                )
                for token_name, created_at, expired_on in SEED_TOKENS:
                    tx.execute(
                        "INSERT INTO tokens VALUES (?, ?, ?, ?, ?, ?, NULL)",
                        (str(uuid.uuid4()), email, token_name, new_secret(), expired_on,
                         created_at),
                    )  # fmt: skip
            tx.execute("UPDATE accounts SET totp_secret = ? WHERE email = ?", (totp_secret, email))

    # --- sign-in -----------------------------------------------------------------------

    def sign_in(self, email: str, password: str) -> SignIn:
        """Check a password; count failures and lock the account after too many."""
        now = datetime.now(UTC)
        with self._store.transaction() as tx:
            account = tx.row("SELECT * FROM accounts WHERE email = ?", (email.lower(),))
            if account is None:
                return SignIn("failed")
            if account["locked_until"] and account["locked_until"] > iso(now):
                return SignIn("locked")  # even with the right password: nothing is revealed
            if not hmac.compare_digest(digest(password), account["password_digest"]):
                failures = account["failures"] + 1
                if failures >= MAX_FAILURES:
                    tx.execute(
                        "UPDATE accounts SET failures = 0, locked_until = ? WHERE email = ?",
                        (iso(now + LOCK_TIME), account["email"]),
                    )
                    return SignIn("locked")
                tx.execute(
                    "UPDATE accounts SET failures = ? WHERE email = ?",
                    (failures, account["email"]),
                )
                return SignIn("failed")
            tx.execute(
                "UPDATE accounts SET failures = 0, locked_until = NULL WHERE email = ?",
                (account["email"],),
            )
            if account["totp_secret"]:
                challenge = secrets.token_urlsafe(24)
                tx.execute(
                    "INSERT INTO challenges VALUES (?, ?, ?)",
                    (digest(challenge), account["email"], iso(now + CHALLENGE_TTL)),
                )
                return SignIn("otp", challenge)
        return SignIn("session", self.open_session(account["email"]))

    def verify_otp(self, challenge: str, code: str) -> SignIn:
        """Check the one-time code of a pending sign-in; a session when it is right.

        Returns:
            `session` with the cookie, `failed` for a wrong code (the challenge stays), or
            `expired` when the challenge is unknown or too old.
        """
        with self._store.transaction() as tx:
            tx.execute("DELETE FROM challenges WHERE expires_at < ?", (now_iso(),))
            row = tx.row(
                "SELECT c.email, a.totp_secret FROM challenges c JOIN accounts a USING (email) "
                "WHERE c.digest = ?",
                (digest(challenge),),
            )
            if row is None or not row["totp_secret"]:
                return SignIn("expired")
            # valid_window=1: the code of the previous 30 s still counts (clocks drift).
            if not pyotp.TOTP(row["totp_secret"]).verify(code.strip(), valid_window=1):
                return SignIn("failed")
            tx.execute("DELETE FROM challenges WHERE digest = ?", (digest(challenge),))
        return SignIn("session", self.open_session(row["email"]))

    def set_totp(self, email: str, secret: str | None) -> None:
        """Turn two-factor sign-in on (with this base32 secret) or off for the account."""
        if secret is not None:
            pyotp.TOTP(secret).now()  # a malformed secret fails here, not at sign-in
        self._store.execute(
            "UPDATE accounts SET totp_secret = ? WHERE email = ?", (secret, email.lower())
        )

    # --- sessions ------------------------------------------------------------------------

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
        """End every session and every pending one-time-code sign-in."""
        with self._store.transaction() as tx:
            tx.execute("DELETE FROM sessions")
            tx.execute("DELETE FROM challenges")

    def display_name(self, email: str) -> str:
        """The name the portal shows for an account."""
        row = self._store.row("SELECT name FROM accounts WHERE email = ?", (email,))
        return email if row is None else str(row["name"])

    # --- tokens ------------------------------------------------------------------------

    def tokens(self, email: str) -> list[dict[str, Any]]:
        """The account's listed (not deleted) tokens, oldest first, WITHOUT their secrets."""
        rows = self._store.rows(
            "SELECT * FROM tokens WHERE email = ? AND revoked_at IS NULL "
            "ORDER BY created_at, rowid",
            (email,),
        )
        return [_token_json(row) for row in rows]

    def create_token(self, email: str, name: object, expired_at: object) -> dict[str, Any]:
        """Create a token; the only answer that ever carries its secret.

        Raises:
            HTTPError: 400 for a missing or long name or a date not after today,
                409 for a name a listed token already has.
        """
        clean = name.strip() if isinstance(name, str) else ""
        if not clean:
            raise HTTPError(400, "Token Name is required.")
        if len(clean) > NAME_MAX:
            raise HTTPError(400, f"Token Name must be at most {NAME_MAX} characters.")
        expired_on = _expired_on(expired_at)
        secret = new_secret()
        with self._store.transaction() as tx:
            taken = tx.row(
                "SELECT 1 FROM tokens WHERE email = ? AND lower(name) = lower(?) "
                "AND revoked_at IS NULL",
                (email, clean),
            )
            if taken is not None:
                raise HTTPError(409, "Token name already exists.")
            token_id = str(uuid.uuid4())
            tx.execute(
                "INSERT INTO tokens VALUES (?, ?, ?, ?, ?, ?, NULL)",
                (token_id, email, clean, secret, expired_on, now_iso()),
            )
            row = tx.row("SELECT * FROM tokens WHERE id = ?", (token_id,))
        assert row is not None
        return {**_token_json(row), "secret": secret}

    def revoke_token(self, email: str, token_id: str) -> bool:
        """Delete a listed token (kept as revoked); False when there is none."""
        changed = self._store.execute(
            "UPDATE tokens SET revoked_at = ? WHERE id = ? AND email = ? AND revoked_at IS NULL",
            (now_iso(), token_id, email),
        )
        return changed == 1

    def bearer(self, secret: str) -> str | None:
        """The email a Secret API Key acts for; None when unknown, deleted or expired."""
        row = self._store.row(
            "SELECT email, expired_on FROM tokens WHERE secret = ? AND revoked_at IS NULL",
            (secret,),
        )
        if row is None or _status(row) == "Expired":
            return None
        return str(row["email"])

    def state(self) -> dict[str, Any]:
        """Everything, secrets included, for ``/_sandbox/state``."""
        accounts = [
            {
                "email": row["email"],
                "name": row["name"],
                "twoFactor": row["totp_secret"] is not None,
                "locked": bool(row["locked_until"] and row["locked_until"] > now_iso()),
            }
            for row in self._store.rows("SELECT * FROM accounts ORDER BY email")
        ]
        tokens = [
            {**_token_json(row), "email": row["email"], "secret": row["secret"],
             "revokedAt": row["revoked_at"]}
            for row in self._store.rows("SELECT * FROM tokens ORDER BY created_at, rowid")
        ]  # fmt: skip
        return {"accounts": accounts, "tokens": tokens}


def _expired_on(value: object) -> str | None:
    """The Expired date as stored: None (never expires) or a date after today."""
    if value is None or value == "":
        return None
    try:
        day = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise HTTPError(400, "Expired date must be a date (YYYY-MM-DD).")
    if day <= today():
        raise HTTPError(400, "Expired date must be a future date.")
    return day.isoformat()


def _status(row: Row) -> str:
    expired_on = row["expired_on"]
    # The Expired date is the first day the token no longer works.
    return "Expired" if expired_on is not None and expired_on <= today().isoformat() else "Active"


def _token_json(row: Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "expiredAt": row["expired_on"],
        "createdAt": row["created_at"],
        "status": _status(row),
    }
