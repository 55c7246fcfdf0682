"""The renewal reply is decoded and checked before anything is written: every way it can fail."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import pytest

from runbooks.gravitee._renewal import BadReply, read_renewal_reply
from tests.test_keystore import make_keystore

PASSWORD = "returned-password-123"
GOOD = make_keystore(365, PASSWORD)


def reply(**changes: Any) -> bytes:
    """A renewal reply; a field changed to None is left out."""
    body: dict[str, Any] = {
        "alias": "cockpit-client",
        "storePassword": PASSWORD,
        "keyPassword": PASSWORD,
        "type": "PKCS12",
        "content": base64.b64encode(GOOD).decode(),
    }
    body.update(changes)
    return json.dumps({k: v for k, v in body.items() if v is not None}).encode()


def test_a_good_reply_gives_the_keystore_and_registers_its_secrets() -> None:
    kept: list[tuple[str, str]] = []

    renewed = read_renewal_reply(reply(), lambda value, label: kept.append((label, value)))

    assert renewed.content == GOOD and renewed.password == PASSWORD
    assert renewed.certificate.has_key and renewed.certificate.alias == "cockpit-client"
    assert not renewed.key_password_differs
    assert dict(kept) == {
        "keystore content": base64.b64encode(GOOD).decode(),
        "keystore password": PASSWORD,
        "key password": PASSWORD,
    }


def test_base64_with_line_breaks_is_accepted() -> None:
    encoded = base64.encodebytes(GOOD).decode()  # MIME style, a line break every 76 characters
    assert "\n" in encoded
    assert read_renewal_reply(reply(content=encoded), lambda *_: None).content == GOOD


def test_a_different_key_password_is_reported() -> None:
    renewed = read_renewal_reply(reply(keyPassword="other-password"), lambda *_: None)
    assert renewed.key_password_differs


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html>Bad gateway</html>", "the renewal reply is not valid JSON"),
        (b"", "the renewal reply is not valid JSON"),
        (b'["content"]', "is not a JSON object"),
        (reply(content=None), "holds no keystore (content)"),
        (reply(content="  "), "holds no keystore (content)"),
        (reply(storePassword=None), "holds no keystore password (storePassword)"),
        (reply(storePassword=""), "holds no keystore password (storePassword)"),
        (reply(type="JKS"), "holds a JKS keystore, not PKCS12"),
        (reply(content="not base64 at all!"), "the renewal reply's content is not base64"),
        (reply(content="QUJ"), "the renewal reply's content is not base64"),
        (
            reply(content=base64.b64encode(GOOD[: len(GOOD) // 2]).decode()),
            "is not a PKCS#12 keystore (truncated or corrupt)",
        ),
        (reply(storePassword="wrong-password"), "does not open with the password given"),
        (
            reply(content=base64.b64encode(make_keystore(-2, PASSWORD)).decode()),
            "holds a certificate that expired on",
        ),
        (
            reply(content=base64.b64encode(make_keystore(300, PASSWORD, with_key=False)).decode()),
            "holds a certificate but no private key",
        ),
    ],
)
def test_bad_replies_say_what_is_wrong_and_never_the_secret(body: bytes, message: str) -> None:
    with pytest.raises(BadReply, match=re.escape(message)) as raised:
        read_renewal_reply(body, lambda *_: None)

    assert PASSWORD not in str(raised.value) and "wrong-password" not in str(raised.value)
