"""The certificates the replica issues: a sandbox CA and client keystores (PKCS#12).

Gravitee Cloud answers a certificate renewal with a keystore: a new private key and a client
certificate valid for one year, in PKCS#12 under the alias ``cockpit-client``, encrypted with a
random password (docs/portals.md section 2d). The replica issues real ones, signed by a CA of
its own that is created once per sandbox and kept in its database, so that what a run installs
can be opened and checked like the real thing.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = ["ALIAS", "VALIDITY", "CertificateAuthority", "IssuedKeystore"]

ALIAS = "cockpit-client"
VALIDITY = timedelta(days=365)
# Issued a minute in the past: a clock slightly behind the portal's still accepts it.
_SKEW = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedKeystore:
    """A keystore as the renewal API hands it out, with what the replica keeps of it."""

    alias: str
    password: str
    content: bytes
    serial: str
    subject: str
    not_before: datetime
    not_after: datetime
    sha256: str


class CertificateAuthority:
    """Signs the client certificates of one sandbox.

    Args:
        key: The CA's private key.
        certificate: The CA's self-signed certificate.
    """

    def __init__(self, key: ec.EllipticCurvePrivateKey, certificate: x509.Certificate) -> None:
        self.key = key
        self.certificate = certificate

    @classmethod
    def create(cls, organization: str) -> CertificateAuthority:
        """A new CA, valid for ten years."""
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name(
            [
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
                x509.NameAttribute(NameOID.COMMON_NAME, "Gravitee Cloud Sandbox CA"),
            ]
        )
        start = datetime.now(UTC) - _SKEW
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(start + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .sign(key, hashes.SHA256())
        )
        return cls(key, certificate)

    @classmethod
    def from_pem(cls, key_pem: bytes, certificate_pem: bytes) -> CertificateAuthority:
        """The CA saved by :meth:`to_pem`."""
        key = serialization.load_pem_private_key(key_pem, password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError("the sandbox CA key is not an EC key")
        return cls(key, x509.load_pem_x509_certificate(certificate_pem))

    def to_pem(self) -> tuple[bytes, bytes]:
        """The key and certificate in PEM, for the replica's database (unencrypted: a sandbox)."""
        key = self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return key, self.certificate.public_bytes(serialization.Encoding.PEM)

    def issue_keystore(self, *, common_name: str, organization: str) -> IssuedKeystore:
        """A new key and a client certificate valid for a year, as an encrypted PKCS#12."""
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
                x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            ]
        )
        start = datetime.now(UTC).replace(microsecond=0) - _SKEW
        certificate = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self.certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(start + VALIDITY)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
            .sign(self.key, hashes.SHA256())
        )
        password = secrets.token_urlsafe(24)
        content = pkcs12.serialize_key_and_certificates(
            ALIAS.encode(),
            key,
            certificate,
            [self.certificate],
            serialization.BestAvailableEncryption(password.encode()),
        )
        der = certificate.public_bytes(serialization.Encoding.DER)
        return IssuedKeystore(
            alias=ALIAS,
            password=password,
            content=content,
            serial=format(certificate.serial_number, "x"),
            subject=certificate.subject.rfc4514_string(),
            not_before=certificate.not_valid_before_utc,
            not_after=certificate.not_valid_after_utc,
            sha256=hashlib.sha256(der).hexdigest(),
        )
