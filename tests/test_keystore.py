"""Opening and checking keystores, and replacing one beside a dated backup."""

from __future__ import annotations

import os
import re
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from runbooks._errors import ConfigError, KeystoreError
from runbooks._keystore import (
    Replacement,
    check_destination,
    check_usable,
    open_keystore,
    open_pkcs12,
)

PASSWORD = "s3cret-keystore-pw"


def make_certificate(
    days_left: float, *, subject: str = "test-client"
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A self-signed certificate, valid for a year, that expires in `days_left` days."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    not_after = datetime.now(UTC) + timedelta(days=days_left)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_after - timedelta(days=365))
        .not_valid_after(not_after)
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def make_keystore(
    days_left: float = 300, password: str | None = PASSWORD, *, with_key: bool = True
) -> bytes:
    """A PKCS#12 keystore (alias cockpit-client) whose certificate expires in `days_left` days."""
    key, certificate = make_certificate(days_left)
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password.encode())
        if password
        else serialization.NoEncryption()
    )
    return pkcs12.serialize_key_and_certificates(
        b"cockpit-client", key if with_key else None, certificate, None, encryption
    )


def make_pem(days_left: float = 300, *, with_key: bool = False) -> bytes:
    """A PEM certificate (and its unencrypted key first, if asked)."""
    key, certificate = make_certificate(days_left)
    pem = certificate.public_bytes(serialization.Encoding.PEM)
    if with_key:
        pem = (
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            + pem
        )
    return pem


# --- opening -------------------------------------------------------------------------------


def test_a_pkcs12_keystore_opens_with_its_password() -> None:
    info = open_pkcs12(make_keystore(100), PASSWORD)

    assert info.kind == "PKCS#12" and info.alias == "cockpit-client" and info.has_key
    assert info.subject == info.issuer == "CN=test-client"
    assert info.days_left() in (99, 100)
    assert not info.expired()
    assert len(info.sha256) == 64 and int(info.serial, 16) > 0


@pytest.mark.parametrize(
    ("data", "password", "message"),
    [
        (make_keystore(), "wrong-password", "does not open with the password given"),
        (make_keystore(), None, "does not open without a password"),
        (make_keystore()[:700], PASSWORD, "is not a PKCS#12 keystore (truncated or corrupt)"),
        (b"\xfe\xed\xfe\xed\x00\x00\x00\x02", "x", "is a JKS keystore"),
        (b"  \n", None, "is empty"),
        (b"-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n", None, "PEM"),
    ],
)
def test_unreadable_keystores_say_why(data: bytes, password: str | None, message: str) -> None:
    with pytest.raises(KeystoreError, match=re.escape(message)):
        open_keystore(data, password)


def test_a_keystore_without_password_opens_without_one() -> None:
    assert open_keystore(make_keystore(password=None), None).has_key


def test_pem_needs_no_password_and_takes_the_first_certificate() -> None:
    info = open_keystore(make_pem(10, with_key=True) + make_pem(900), "ignored")

    assert info.kind == "PEM" and info.has_key and info.alias is None
    assert info.days_left() in (9, 10)
    assert not open_keystore(make_pem(), None).has_key


def test_check_usable_refuses_expired_certificates_and_missing_keys() -> None:
    check_usable(open_pkcs12(make_keystore(1), PASSWORD))
    with pytest.raises(KeystoreError, match="expired on"):
        check_usable(open_pkcs12(make_keystore(-1), PASSWORD))
    with pytest.raises(KeystoreError, match="no private key"):
        check_usable(open_pkcs12(make_keystore(with_key=False), PASSWORD))


def test_days_left_counts_whole_days() -> None:
    info = open_pkcs12(make_keystore(10), PASSWORD)

    assert info.days_left(info.not_after - timedelta(days=3, hours=23)) == 3
    assert info.days_left(info.not_after + timedelta(hours=1)) == -1
    assert info.expired(info.not_after) and not info.expired(info.not_after - timedelta(seconds=1))


# --- replacing -----------------------------------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    certs = tmp_path / "certs"
    certs.mkdir()
    return certs


def test_replacement_keeps_the_old_file_until_commit(folder: Path) -> None:
    path = folder / "cloud.p12"
    path.write_bytes(b"old keystore")
    now = datetime(2026, 3, 15, 10, 11, 12, tzinfo=UTC)

    replacement = Replacement.prepare(path, b"new keystore", now)

    assert path.read_bytes() == b"old keystore"
    assert replacement.backup == folder / "cloud.p12.20260315T101112Z.bak"
    assert replacement.backup.read_bytes() == b"old keystore" and mode(replacement.backup) == 0o600
    replacement.commit()
    assert path.read_bytes() == b"new keystore" and mode(path) == 0o600
    assert sorted(p.name for p in folder.iterdir()) == [
        "cloud.p12",
        "cloud.p12.20260315T101112Z.bak",
    ]
    # A second renewal within the same second keeps both backups.
    second = Replacement.prepare(path, b"newer", now)
    assert second.backup == folder / "cloud.p12.20260315T101112Z-2.bak"


def test_discard_leaves_everything_as_it_was(folder: Path) -> None:
    path = folder / "cloud.p12"
    path.write_bytes(b"old keystore")
    os.chmod(path, 0o640)

    Replacement.prepare(path, b"new keystore").discard()

    assert [p.name for p in folder.iterdir()] == ["cloud.p12"]
    assert path.read_bytes() == b"old keystore" and mode(path) == 0o640


def test_a_new_keystore_needs_no_backup(folder: Path) -> None:
    replacement = Replacement.prepare(folder / "new.p12", b"content")
    replacement.commit()

    assert replacement.backup is None
    assert [p.name for p in folder.iterdir()] == ["new.p12"]


def test_destinations_that_cannot_be_replaced_are_refused(tmp_path: Path) -> None:
    check_destination(tmp_path / "fine.p12")
    with pytest.raises(ConfigError, match="is a folder"):
        check_destination(tmp_path)
    with pytest.raises(ConfigError, match="does not exist"):
        check_destination(tmp_path / "missing" / "x.p12")
    if os.geteuid() != 0:  # root may write anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with pytest.raises(ConfigError, match="not writable"):
            check_destination(locked / "x.p12")


def test_a_linked_keystore_is_renewed_where_the_link_points(folder: Path) -> None:
    real = folder / "store" / "cloud.p12"
    real.parent.mkdir()
    real.write_bytes(b"old keystore")
    link = folder / "cloud.p12"
    link.symlink_to(real)
    check_destination(link)

    replacement = Replacement.prepare(link, b"new keystore")
    replacement.commit()

    assert link.is_symlink() and link.resolve() == real
    assert real.read_bytes() == b"new keystore" and mode(real) == 0o600
    assert replacement.backup is not None and replacement.backup.parent == real.parent
    assert replacement.backup.read_bytes() == b"old keystore"
    assert sorted(p.name for p in folder.iterdir()) == ["cloud.p12", "store"]


def test_a_fifo_keystore_is_refused(folder: Path) -> None:
    fifo = folder / "cloud.p12"
    os.mkfifo(fifo)
    with pytest.raises(ConfigError, match="is not a regular file"):
        check_destination(fifo)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
