"""Bounded keystore backups: each renewal keeps the previous file, but not forever.

A renewal keeps the replaced keystore beside it as `<name>.<UTC time>.bak`
(`runbooks._keystore.Replacement`); without a bound, a nightly renewal would
leave one more private key on disk every time. The newest `KEEP_BACKUPS` stay.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["KEEP_BACKUPS", "backups_of", "prune_backups"]

#: How many backups of one keystore are kept (the newest ones).
KEEP_BACKUPS = 3
# `<name>.20261201T225429Z.bak`, or `<name>.20261201T225429Z-2.bak` when that was taken.
_STAMP = r"\.(\d{8}T\d{6}Z)(?:-(\d+))?\.bak"


def backups_of(path: Path) -> list[Path]:
    """The backups of keystore `path`, oldest first."""
    pattern = re.compile(re.escape(path.name) + _STAMP + r"\Z")
    found: list[tuple[str, int, Path]] = []
    for candidate in path.parent.glob(f"{path.name}.*.bak"):
        match = pattern.match(candidate.name)
        if match and candidate.is_file():
            found.append((match.group(1), int(match.group(2) or 1), candidate))
    return [item[2] for item in sorted(found)]


def prune_backups(path: Path, keep: int = KEEP_BACKUPS) -> list[Path]:
    """Remove all but the newest `keep` backups of `path`; return the removed ones."""
    old = backups_of(path)[:-keep] if keep > 0 else backups_of(path)
    for backup in old:
        backup.unlink(missing_ok=True)
    return old
