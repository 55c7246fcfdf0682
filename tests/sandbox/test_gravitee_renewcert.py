"""HTTP-level tests of the replica's account tokens and certificate renewal (portals.md §2)."""

from __future__ import annotations

import base64
import hashlib
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID

from sandbox import Fault, GraviteeSandbox
from tests.sandbox.test_gravitee_api import Reply, sign_in

TOKENS = "/management/v2/account/tokens"


def request(
    method: str,
    url: str,
    *,
    cookie: str | None = None,
    bearer: str | None = None,
    body: object = None,
) -> Reply:
    headers = {}
    if cookie:
        headers["Cookie"] = cookie
    if bearer is not None:
        headers["Authorization"] = f"Bearer {bearer}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    outgoing = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        response = urllib.request.urlopen(outgoing, timeout=10)
    except urllib.error.HTTPError as error:
        with error:
            return Reply(error.code, error.headers, error.read())
    with response:
        return Reply(response.status, response.headers, response.read())


def create_token(sb: GraviteeSandbox, cookie: str, name: str) -> dict[str, Any]:
    """Generate an account token through the console's API; the reply carries its value."""
    reply = request("POST", sb.url + TOKENS, cookie=cookie, body={"name": name})
    assert reply.status == 201, reply.text
    created: dict[str, Any] = reply.json()
    return created


def renew_url(sb: GraviteeSandbox, account_id: str | None = None) -> str:
    account = account_id or sb.state()["account"]["id"]
    return f"{sb.url}/management/accounts/{account}/certificate/renewcert"


@pytest.fixture
def sb(tmp_path: Path) -> Iterator[GraviteeSandbox]:
    with GraviteeSandbox(tmp_path / "data") as sandbox:
        yield sandbox


@pytest.fixture
def cookie(sb: GraviteeSandbox) -> str:
    return sign_in(sb)[0]


def test_tokens_are_listed_without_their_values_and_kept_in_state(
    sb: GraviteeSandbox, cookie: str
) -> None:
    assert request("GET", sb.url + TOKENS, cookie=cookie).json() == []
    created = create_token(sb, cookie, "  ci-renewal  ")

    assert created["name"] == "ci-renewal" and created["createdBy"] == "Sandbox Operator"
    assert len(created["token"]) >= 32
    (listed,) = request("GET", sb.url + TOKENS, cookie=cookie).json()
    assert listed == {k: created[k] for k in ("id", "name", "createdAt", "createdBy")}
    (active,) = sb.state()["accountTokens"]
    assert active["value"] == created["token"] and active["name"] == "ci-renewal"


def test_token_api_needs_a_session_and_a_name(sb: GraviteeSandbox, cookie: str) -> None:
    assert request("GET", sb.url + TOKENS).status == 401
    assert request("POST", sb.url + TOKENS, body={"name": "x"}).status == 401
    for body in ({}, {"name": "   "}, {"name": 7}, {"name": "x" * 65}):
        assert request("POST", sb.url + TOKENS, cookie=cookie, body=body).status == 400
    assert sb.state()["accountTokens"] == []


def test_the_eleventh_active_token_is_refused_until_one_is_revoked(
    sb: GraviteeSandbox, cookie: str
) -> None:
    tokens = [create_token(sb, cookie, f"t{i}") for i in range(10)]

    refused = request("POST", sb.url + TOKENS, cookie=cookie, body={"name": "t10"})

    assert refused.status == 409
    assert "10 Account Tokens can be active" in refused.json()["message"]
    assert len(sb.state()["accountTokens"]) == 10
    revoked = request("DELETE", f"{sb.url}{TOKENS}/{tokens[3]['id']}", cookie=cookie)
    assert revoked.status == 204
    assert request("DELETE", f"{sb.url}{TOKENS}/{tokens[3]['id']}", cookie=cookie).status == 404
    create_token(sb, cookie, "t10")
    state = sb.state()
    assert [t["name"] for t in state["revokedAccountTokens"]] == ["t3"]
    assert len(state["accountTokens"]) == 10


def test_renewal_returns_a_pkcs12_keystore_valid_for_a_year(
    sb: GraviteeSandbox, cookie: str
) -> None:
    token = create_token(sb, cookie, "renew")["token"]

    # No session cookie: the account token alone is the credential.
    reply = request("POST", renew_url(sb), bearer=token)

    assert reply.status == 200, reply.text
    body = reply.json()
    assert set(body) == {"alias", "storePassword", "keyPassword", "type", "content"}
    assert body["alias"] == "cockpit-client" and body["type"] == "PKCS12"
    assert body["keyPassword"] == body["storePassword"]
    content = base64.b64decode(body["content"], validate=True)
    with pytest.raises(ValueError):
        pkcs12.load_pkcs12(content, b"not-the-password")
    keystore = pkcs12.load_pkcs12(content, body["storePassword"].encode())
    assert keystore.key is not None and keystore.cert is not None
    assert keystore.cert.friendly_name == b"cockpit-client"
    certificate = keystore.cert.certificate
    lifetime = certificate.not_valid_after_utc - datetime.now(UTC)
    assert timedelta(days=364) < lifetime <= timedelta(days=365)
    assert certificate.issuer != certificate.subject  # signed by the sandbox CA
    assert [ca.certificate.subject for ca in keystore.additional_certs] == [certificate.issuer]
    usage = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert ExtendedKeyUsageOID.CLIENT_AUTH in usage.value
    (issued,) = sb.state()["certificates"]
    der = certificate.public_bytes(serialization.Encoding.DER)
    assert issued["sha256"] == hashlib.sha256(der).hexdigest()
    assert issued["serial"] == format(certificate.serial_number, "x")
    assert issued["subject"] == certificate.subject.rfc4514_string()


def test_each_renewal_issues_a_new_key_and_the_ca_survives_a_restart(tmp_path: Path) -> None:
    passwords, issuers = set(), set()
    for _ in range(2):
        with GraviteeSandbox(tmp_path / "data") as sb:
            token = create_token(sb, sign_in(sb)[0], "renew")["token"]
            body = request("POST", renew_url(sb), bearer=token).json()
            keystore = pkcs12.load_pkcs12(
                base64.b64decode(body["content"]), body["storePassword"].encode()
            )
            assert keystore.cert is not None
            passwords.add(body["storePassword"])
            issuers.add(keystore.cert.certificate.issuer.rfc4514_string())
            certificates = sb.state()["certificates"]
    assert len(passwords) == 2 and len(issuers) == 1
    assert len({c["serial"] for c in certificates}) == 2


@pytest.mark.parametrize("bearer", [None, "", "not-a-token"])
def test_renewal_without_a_valid_token_is_401(
    sb: GraviteeSandbox, cookie: str, bearer: str | None
) -> None:
    reply = request("POST", renew_url(sb), bearer=bearer, cookie=cookie)

    assert reply.status == 401
    assert reply.headers["WWW-Authenticate"].startswith("Bearer")
    assert sb.state()["certificates"] == []


def test_a_revoked_token_no_longer_renews(sb: GraviteeSandbox, cookie: str) -> None:
    created = create_token(sb, cookie, "renew")
    assert request("POST", renew_url(sb), bearer=created["token"]).status == 200
    request("DELETE", f"{sb.url}{TOKENS}/{created['id']}", cookie=cookie)

    assert request("POST", renew_url(sb), bearer=created["token"]).status == 401
    assert len(sb.state()["certificates"]) == 1


def test_another_account_is_404_and_other_methods_405(sb: GraviteeSandbox, cookie: str) -> None:
    token = create_token(sb, cookie, "renew")["token"]
    other = "7b6f41d3-7118-41e9-af41-d3711801e973"

    assert request("POST", renew_url(sb, other), bearer=token).status == 404
    for method in ("GET", "PUT", "DELETE"):
        reply = request(method, renew_url(sb), bearer=token)
        assert reply.status == 405 and reply.headers["Allow"] == "POST"
    assert sb.state()["certificates"] == []


def test_renewal_replies_can_be_replaced_by_faults(sb: GraviteeSandbox, cookie: str) -> None:
    token = create_token(sb, cookie, "renew")["token"]
    sb.add_fault(Fault(method="POST", path=r"/renewcert$", status=200, body="<html>oops"))

    broken = request("POST", renew_url(sb), bearer=token)

    assert broken.status == 200 and broken.text == "<html>oops"
    assert request("POST", renew_url(sb), bearer=token).json()["type"] == "PKCS12"


def test_account_tokens_page_names_the_account_url(sb: GraviteeSandbox, cookie: str) -> None:
    settings = request("GET", f"{sb.url}/settings", cookie=cookie)
    page = request("GET", f"{sb.url}/settings/account-tokens", cookie=cookie)

    assert settings.status == page.status == 200
    assert (
        "<h1>Settings</h1>" in settings.text and 'href="/settings/account-tokens"' in settings.text
    )
    assert "<h1>Account tokens</h1>" in page.text
    account = sb.state()["account"]["id"]
    assert f'data-account-url="{sb.url}/management/accounts/{account}"' in page.text
    signed_out = request("GET", f"{sb.url}/settings/account-tokens")  # follows the redirect
    assert "<h1>Sign in</h1>" in signed_out.text and "Account tokens" not in signed_out.text
