"""The reply to Gravitee Cloud's certificate renewal, decoded and checked.

The API answers with JSON naming the keystore's alias, its passwords, its type
and its base64 content (portals.md section 2d; the field names are the
replica's, as the vendor does not document them). Nothing may be written
before the keystore in it is known to open and to be usable.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass

from runbooks import KeystoreError
from runbooks.keystore import CertificateInfo, check_usable, open_pkcs12

__all__ = ["PASSWORD", "BadReply", "RenewalReply", "read_renewal_reply"]

PASSWORD = "keystore password"


class BadReply(Exception):  # noqa: N818 - names what went wrong, like SkipStep
    """The renewal reply is unusable; the message says why, without any secret."""


@dataclass(frozen=True)
class RenewalReply:
    """A renewal reply that passed every check: the keystore opens and can be used."""

    content: bytes
    password: str
    certificate: CertificateInfo
    #: The reply's keyPassword is not its storePassword (PKCS#12 keeps one).
    key_password_differs: bool = False


def read_renewal_reply(body: bytes, keep_secret: Callable[[str, str], object]) -> RenewalReply:
    """Decode and check the reply to `renewcert`; nothing is written.

    Args:
        body: The reply's bytes.
        keep_secret: Called with (value, label) for each secret in the reply as
            soon as it is found, so that it is masked from then on.

    Raises:
        BadReply: not JSON, no keystore or password, not base64, not a
            PKCS#12 keystore that opens with its password, no key, expired.
    """
    try:
        reply = json.loads(body)
    except ValueError:
        raise BadReply("the renewal reply is not valid JSON") from None
    if not isinstance(reply, dict):
        raise BadReply("the renewal reply is not a JSON object")
    content, password = reply.get("content"), reply.get("storePassword")
    if isinstance(content, str) and content.strip():
        keep_secret(content, "keystore content")
    else:
        raise BadReply("the renewal reply holds no keystore (content)")
    if isinstance(password, str) and password:
        keep_secret(password, PASSWORD)
    else:
        raise BadReply("the renewal reply holds no keystore password (storePassword)")
    key_password = reply.get("keyPassword")
    if isinstance(key_password, str) and key_password:
        keep_secret(key_password, "key password")
    kind = reply.get("type")
    if isinstance(kind, str) and kind.upper() != "PKCS12":
        raise BadReply(f"the renewal reply holds a {kind} keystore, not PKCS12")
    try:
        data = base64.b64decode("".join(content.split()), validate=True)
    except (binascii.Error, ValueError):
        raise BadReply("the renewal reply's content is not base64") from None
    try:
        info = open_pkcs12(data, password)
        check_usable(info)
    except KeystoreError as exc:
        raise BadReply(f"the keystore in the renewal reply {exc}") from None
    differs = isinstance(key_password, str) and bool(key_password) and key_password != password
    return RenewalReply(data, password, info, key_password_differs=differs)
