"""A small thread-safe SQLite helper shared by the replica portals.

Every replica keeps its state in one SQLite file so that it survives a restart. The HTTP
server answers on many threads, so the one connection is shared behind a lock: SQLite itself
would serialise writers anyway, and a single connection keeps transactions simple.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeAlias

Param: TypeAlias = str | int | float | None
Row: TypeAlias = sqlite3.Row


class Store:
    """One SQLite database file, safe to use from the server's handler threads.

    Args:
        path: The database file; its parent folder is created when missing.
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # It holds token values: 0600 before SQLite opens it (its journals copy the mode).
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        os.chmod(path, 0o600)
        self.path = path
        self._lock = threading.RLock()
        # check_same_thread=False because handler threads share the connection; the lock
        # above is what makes that safe. isolation_level=None: transactions are explicit.
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA foreign_keys = ON")

    def close(self) -> None:
        """Close the connection; later calls fail."""
        with self._lock:
            self._conn.close()

    def script(self, sql: str) -> None:
        """Run several statements (schema creation)."""
        with self._lock:
            self._conn.executescript(sql)

    def execute(self, sql: str, params: Sequence[Param] = ()) -> int:
        """Run one statement and return the number of rows it changed."""
        with self._lock:
            return self._conn.execute(sql, params).rowcount

    def rows(self, sql: str, params: Sequence[Param] = ()) -> list[Row]:
        """Run a query and return all its rows."""
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def row(self, sql: str, params: Sequence[Param] = ()) -> Row | None:
        """Run a query and return its first row, or None."""
        with self._lock:
            row: Row | None = self._conn.execute(sql, params).fetchone()
            return row

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """Hold the lock and one write transaction; roll back if the block raises."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")


def iso(moment: datetime) -> str:
    """A moment as the replicas' APIs write it: ISO 8601, UTC, seconds, "Z"."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def now_iso() -> str:
    """The current time, as `iso` writes it."""
    return iso(datetime.now(UTC))


def digest(secret: str) -> str:
    """SHA-256 of a secret: what a replica stores instead of it."""
    # Passwords and session ids are stored hashed: the DB file hands out no live sign-in.
    return hashlib.sha256(secret.encode()).hexdigest()


SESSIONS_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (digest TEXT PRIMARY KEY, email TEXT NOT NULL,
    created_at TEXT NOT NULL);
"""


class Sessions:
    """Signed-in browser sessions of a replica, kept in its SQLite file (survive a restart).

    Args:
        store: The replica's database; `SESSIONS_SCHEMA` must be part of its schema.
    """

    def __init__(self, store: Store) -> None:
        self._store = store

    def open(self, email: str) -> str:
        """Start a session; return the cookie value."""
        session = secrets.token_urlsafe(32)
        self._store.execute(
            "INSERT INTO sessions VALUES (?, ?, ?)", (digest(session), email, now_iso())
        )
        return session

    def email(self, session: str | None) -> str | None:
        """The signed-in email for a cookie value, or None when it is not a live session."""
        if not session:
            return None
        row = self._store.row("SELECT email FROM sessions WHERE digest = ?", (digest(session),))
        return None if row is None else str(row["email"])

    def close(self, session: str) -> None:
        """End one session (sign out)."""
        self._store.execute("DELETE FROM sessions WHERE digest = ?", (digest(session),))

    def expire_all(self) -> None:
        """End every session."""
        self._store.execute("DELETE FROM sessions")
