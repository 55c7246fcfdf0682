"""A small thread-safe SQLite helper shared by the replica portals.

Every replica keeps its state in one SQLite file so that it survives a restart. The HTTP
server answers on many threads, so the one connection is shared behind a lock: SQLite itself
would serialise writers anyway, and a single connection keeps transactions simple.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
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
