"""Keystores: open one, check its certificate, and put a new one in place of the old.

A certificate renewal must never leave a client without a keystore that works, so a new
keystore is opened and checked before anything is written, written beside its destination
first, and only then moved into place, the previous file kept as a dated backup.
`runbook cert status` reads keystores the same way to say when renewal is due.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypedDict

from runbooks._errors import ConfigError, KeystoreError, UsageError
from runbooks._files import check_regular, real_path, write_private

# cryptography is imported where a keystore is read: `runbooks.keystore` is the definitions'
# public face, and a runbook list or plan never opens one.
if TYPE_CHECKING:
    from cryptography import x509

__all__ = [
    "CertificateInfo",
    "Replacement",
    "check_destination",
    "check_usable",
    "open_keystore",
    "open_pkcs12",
]

_JKS_MAGIC = b"\xfe\xed\xfe\xed"
_SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class CertificateInfo:
    """What a keystore holds, as far as renewal cares: its certificate and whether a key."""

    kind: Literal["PKCS#12", "PEM"]
    subject: str
    issuer: str
    serial: str
    not_before: datetime
    not_after: datetime
    sha256: str
    has_key: bool
    alias: str | None = None

    def days_left(self, now: datetime | None = None) -> int:
        """Whole days until the certificate expires (negative once it has)."""
        left = self.not_after - (now or datetime.now(UTC))
        return int(left.total_seconds() // _SECONDS_PER_DAY)

    def expired(self, now: datetime | None = None) -> bool:
        """Whether the certificate's not-after has passed."""
        return self.not_after <= (now or datetime.now(UTC))


class _Described(TypedDict):
    subject: str
    issuer: str
    serial: str
    not_before: datetime
    not_after: datetime
    sha256: str


def _describe(certificate: x509.Certificate) -> _Described:
    from cryptography.hazmat.primitives import serialization

    der = certificate.public_bytes(serialization.Encoding.DER)
    return {
        "subject": certificate.subject.rfc4514_string(),
        "issuer": certificate.issuer.rfc4514_string(),
        "serial": format(certificate.serial_number, "x"),
        "not_before": certificate.not_valid_before_utc,
        "not_after": certificate.not_valid_after_utc,
        "sha256": hashlib.sha256(der).hexdigest(),
    }


def open_pkcs12(data: bytes, password: str | None) -> CertificateInfo:
    """Open a PKCS#12 keystore with `password`; describe its certificate.

    Raises:
        KeystoreError: it is not a PKCS#12 keystore, does not open with the
            password, or holds no certificate.
    """
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        loaded = pkcs12.load_pkcs12(data, password.encode() if password is not None else None)
    except ValueError as exc:
        # cryptography says "Invalid password or PKCS12 data" when the MAC does
        # not match (almost always the password), "Could not deserialize" else.
        if "password" in str(exc).lower():
            if password is None:
                raise KeystoreError("does not open without a password") from None
            raise KeystoreError("does not open with the password given") from None
        raise KeystoreError("is not a PKCS#12 keystore (truncated or corrupt)") from None
    # The certificate that goes with the key; without a key, the first one there is.
    entry = loaded.cert or next(iter(loaded.additional_certs), None)
    if entry is None:
        raise KeystoreError("holds no certificate")
    name = entry.friendly_name
    return CertificateInfo(
        kind="PKCS#12",
        has_key=loaded.key is not None,
        alias=name.decode("utf-8", "replace") if name else None,
        **_describe(entry.certificate),
    )


def _open_pem(data: bytes) -> CertificateInfo:
    from cryptography import x509

    try:
        certificates = x509.load_pem_x509_certificates(data)
    except ValueError:
        raise KeystoreError("holds no readable PEM certificate") from None
    # The first certificate is the client's own; any after it are its chain.
    has_key = b"PRIVATE KEY-----" in data
    return CertificateInfo(kind="PEM", has_key=has_key, **_describe(certificates[0]))


def open_keystore(data: bytes, password: str | None) -> CertificateInfo:
    """Open a keystore file's bytes: PEM (no password needed) or PKCS#12.

    Raises:
        KeystoreError: the bytes are neither, or do not open.
    """
    if not data.strip():
        raise KeystoreError("is empty")
    if data.lstrip().startswith(b"-----BEGIN"):
        return _open_pem(data)
    if data.startswith(_JKS_MAGIC):
        raise KeystoreError(
            "is a JKS keystore; convert it with `keytool -importkeystore -deststoretype PKCS12`"
        )
    return open_pkcs12(data, password)


def check_usable(info: CertificateInfo, now: datetime | None = None) -> None:
    """Refuse a keystore a client could not connect with: no key, or an expired certificate.

    Raises:
        KeystoreError: says which.
    """
    if not info.has_key:
        raise KeystoreError("holds a certificate but no private key")
    if info.expired(now):
        raise KeystoreError(f"holds a certificate that expired on {info.not_after:%Y-%m-%d}")


def check_destination(path: Path, option: str = "--keystore") -> None:
    """Refuse, before anything runs, a keystore path that cannot be replaced and backed up.

    Raises:
        ConfigError: the path is a folder, its folder is missing or not
            writable, or the current file cannot be read for its backup.
    """
    if path.is_dir():
        raise ConfigError(f"{option} {path} is a folder; name the keystore file")
    try:
        check_regular(path, option)  # a FIFO or a device would be replaced, not renewed
    except UsageError as exc:
        raise ConfigError(str(exc)) from None
    # A link is renewed where it points: the new keystore goes beside the file it names.
    folder = real_path(path).parent
    if not folder.is_dir():
        raise ConfigError(f"{option} folder {folder} does not exist; create it first")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ConfigError(f"{option} folder {folder} is not writable; choose another path")
    if path.exists() and not os.access(path, os.R_OK):
        raise ConfigError(f"{option} {path} is not readable, so it cannot be backed up")


@dataclass
class Replacement:
    """A new keystore written beside its destination, not yet in place.

    `prepare()` writes the new file (0600) next to `path` and a dated copy of
    the current one; `commit()` moves the new file into place in one rename, so
    readers see the old keystore or the new one, never a mix; `discard()`
    removes both and leaves `path` as it was. When `path` is a symbolic link,
    all of this happens beside the file it names, which the rename replaces:
    the link stays a link, and points at the new keystore.
    """

    path: Path
    staged: Path
    backup: Path | None

    @classmethod
    def prepare(cls, path: Path, content: bytes, now: datetime | None = None) -> Replacement:
        """Write `content` beside `path`, and back up the current file if there is one."""
        path = real_path(path)
        staged = path.with_name(f".{path.name}.new")
        write_private(staged, content)
        backup = None
        try:
            if path.exists():
                backup = _free_name(path, f"{(now or datetime.now(UTC)):%Y%m%dT%H%M%SZ}")
                write_private(backup, path.read_bytes())
        except BaseException:
            staged.unlink(missing_ok=True)
            raise
        return cls(path, staged, backup)

    def commit(self) -> None:
        """Put the new keystore in place."""
        os.replace(self.staged, self.path)

    def discard(self) -> None:
        """Forget the new keystore; the old one stays untouched."""
        with contextlib.suppress(FileNotFoundError):
            self.staged.unlink()
        if self.backup is not None:
            self.backup.unlink(missing_ok=True)


def _free_name(path: Path, stamp: str) -> Path:
    """`<name>.<stamp>.bak`, or `<name>.<stamp>-2.bak` … if that is taken."""
    candidate = path.with_name(f"{path.name}.{stamp}.bak")
    number = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.{stamp}-{number}.bak")
        number += 1
    return candidate
