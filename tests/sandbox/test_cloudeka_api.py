"""HTTP-level tests of the Cloudeka Service Portal AI replica."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date, timedelta
from email.message import Message
from pathlib import Path
from typing import Any, NamedTuple

import pyotp
import pytest

from sandbox import CloudekaSandbox, Fault
from sandbox.cloudeka.db import MAX_FAILURES

TOKENS = "/api/tokens"
FUTURE = (date.today() + timedelta(days=90)).isoformat()


class Reply(NamedTuple):
    status: int
    headers: Message
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def cookie(self, name: str) -> str:
        for header in self.headers.get_all("Set-Cookie") or []:
            if header.startswith(f"{name}="):
                return header.split(";")[0]
        raise AssertionError(f"no {name} cookie in {self.headers}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def call(
    sb: CloudekaSandbox,
    method: str,
    path: str,
    body: object = None,
    *,
    cookie: str | None = None,
    bearer: str | None = None,
) -> Reply:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if cookie:
        headers["Cookie"] = cookie
    if bearer:
        headers["Authorization"] = f"Bearer {bearer}"
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(sb.url + path, data=data, method=method, headers=headers)
    try:
        response = _OPENER.open(request, timeout=10)
    except urllib.error.HTTPError as error:
        with error:
            return Reply(error.code, error.headers, error.read())
    with response:
        return Reply(response.status, response.headers, response.read())


def sign_in(sb: CloudekaSandbox, password: str | None = None) -> Reply:
    return call(
        sb, "POST", "/api/auth/login", {"email": sb.EMAIL, "password": password or sb.PASSWORD}
    )


@pytest.fixture
def sb(tmp_path: Path) -> Iterator[CloudekaSandbox]:
    with CloudekaSandbox(tmp_path) as server:
        yield server


@pytest.fixture
def cookie(sb: CloudekaSandbox) -> str:
    reply = sign_in(sb)
    assert reply.status == 200 and reply.json() == {"next": "portal"}
    return reply.cookie("cldk_session")


def wrong_code(secret: str) -> str:
    """Six digits that are certainly not a code the portal accepts now."""
    totp = pyotp.TOTP(secret)
    return next(c for c in ("000000", "111111", "222222") if not totp.verify(c, valid_window=1))


def create(sb: CloudekaSandbox, cookie: str, name: str, expired_at: str | None = FUTURE) -> Reply:
    return call(sb, "POST", TOKENS, {"name": name, "expiredAt": expired_at}, cookie=cookie)


def test_pages_send_a_signed_out_browser_to_sign_in_and_back(sb: CloudekaSandbox) -> None:
    reply = call(sb, "GET", "/api-overview")
    assert reply.status == 302 and reply.headers["Location"] == "/sign-in?next=/api-overview"
    page = call(sb, "GET", "/sign-in?next=/api-overview").body.decode()
    for label in (
        "Sign In Now!",
        "Email Address",
        "Password",
        ">Sign In<",
        'data-next="/api-overview"',
    ):
        assert label in page


def test_signed_in_browser_skips_sign_in_but_never_to_another_site(
    sb: CloudekaSandbox, cookie: str
) -> None:
    assert call(sb, "GET", "/sign-in?next=/api-overview", cookie=cookie).headers["Location"] == (
        "/api-overview"
    )
    for target in ("//evil.test/x", "https://evil.test/", "api-overview"):
        reply = call(sb, "GET", f"/sign-in?next={target}", cookie=cookie)
        assert reply.headers["Location"] == "/", target


def test_wrong_password_is_login_failed_with_the_vendor_wording(sb: CloudekaSandbox) -> None:
    reply = sign_in(sb, "wrong-password")
    assert reply.status == 401
    assert reply.json() == {
        "title": "Login Failed",
        "message": "Please recheck the username and password and try again!",
    }
    assert "Set-Cookie" not in reply.headers


def test_repeated_failures_lock_the_account_even_for_the_right_password(
    sb: CloudekaSandbox,
) -> None:
    statuses = [sign_in(sb, "wrong-password").status for _ in range(MAX_FAILURES)]
    assert statuses == [401] * (MAX_FAILURES - 1) + [423]
    reply = sign_in(sb)
    assert reply.status == 423
    assert reply.json() == {
        "title": "Yout Account Has Been Locked",
        "message": "Too many login attempts, wait for 30 Minutes",
    }
    assert sb.state()["accounts"][0]["locked"] is True


def test_a_success_resets_the_failure_count(sb: CloudekaSandbox) -> None:
    for _ in range(MAX_FAILURES - 1):
        sign_in(sb, "wrong-password")
    assert sign_in(sb).status == 200
    assert sign_in(sb, "wrong-password").status == 401  # counting starts again


def test_two_factor_sign_in_needs_the_current_code(sb: CloudekaSandbox) -> None:
    secret = pyotp.random_base32()
    sb.enable_totp(secret)
    first = sign_in(sb)
    assert first.json() == {"next": "otp"}
    assert "cldk_session" not in str(first.headers)
    challenge = first.cookie("cldk_otp_challenge")
    bad = call(sb, "POST", "/api/auth/otp", {"code": wrong_code(secret)}, cookie=challenge)
    assert bad.status == 401 and bad.json() == {
        "message": "Invalid or expired OTP",
        "restart": False,
    }
    good = call(sb, "POST", "/api/auth/otp", {"code": pyotp.TOTP(secret).now()}, cookie=challenge)
    assert good.status == 200
    session = good.cookie("cldk_session")
    assert call(sb, "GET", TOKENS, cookie=session).status == 200
    # The challenge is used up: it cannot mint a second session.
    again = call(sb, "POST", "/api/auth/otp", {"code": pyotp.TOTP(secret).now()}, cookie=challenge)
    assert again.status == 401 and again.json()["restart"] is True


def test_two_factor_is_set_by_the_constructor_on_every_start(tmp_path: Path) -> None:
    with CloudekaSandbox(tmp_path, totp_secret=pyotp.random_base32()) as sb:
        assert sb.state()["accounts"][0]["twoFactor"] is True
        assert sign_in(sb).json() == {"next": "otp"}
    with CloudekaSandbox(tmp_path) as sb:
        assert sb.state()["accounts"][0]["twoFactor"] is False
        assert sign_in(sb).json() == {"next": "portal"}


def test_two_factor_can_be_switched_over_http(sb: CloudekaSandbox) -> None:
    assert call(sb, "POST", "/_sandbox/totp", {"secret": "not base32!"}).status == 400
    assert call(sb, "POST", "/_sandbox/totp", {"secret": pyotp.random_base32()}).status == 200
    assert sign_in(sb).json() == {"next": "otp"}
    assert call(sb, "DELETE", "/_sandbox/totp").status == 204
    assert sign_in(sb).json() == {"next": "portal"}


def test_token_list_is_seeded_and_never_carries_secrets(sb: CloudekaSandbox, cookie: str) -> None:
    tokens = call(sb, "GET", TOKENS, cookie=cookie).json()
    assert [(t["name"], t["expiredAt"], t["status"]) for t in tokens] == [
        ("jupyter-notebook", "2025-09-30", "Expired"),
        ("ci-nightly", None, "Active"),
    ]
    assert all("secret" not in t for t in tokens)


def test_created_token_carries_its_secret_once(sb: CloudekaSandbox, cookie: str) -> None:
    reply = create(sb, cookie, "  ci-deploy  ", FUTURE)
    assert reply.status == 201
    token = reply.json()
    assert token["name"] == "ci-deploy" and token["expiredAt"] == FUTURE
    assert token["status"] == "Active" and token["secret"].startswith("cldk_")
    assert len(token["secret"]) == 45
    listed = call(sb, "GET", TOKENS, cookie=cookie).json()
    assert token["secret"] not in json.dumps(listed)
    (record,) = [t for t in sb.state()["tokens"] if t["name"] == "ci-deploy"]
    assert record["secret"] == token["secret"]


def test_a_token_without_expiry_never_expires(sb: CloudekaSandbox, cookie: str) -> None:
    token = create(sb, cookie, "break-glass", None).json()
    assert token["expiredAt"] is None
    assert call(sb, "GET", "/api/v1/me", bearer=token["secret"]).status == 200


@pytest.mark.parametrize(
    ("name", "expired_at", "message"),
    [
        ("", FUTURE, "Token Name is required."),
        ("   ", FUTURE, "Token Name is required."),
        ("x" * 51, FUTURE, "Token Name must be at most 50 characters."),
        ("ok", date.today().isoformat(), "Expired date must be a future date."),
        ("ok", "2020-01-01", "Expired date must be a future date."),
        ("ok", "30/06/2027", "Expired date must be a date (YYYY-MM-DD)."),
        ("ok", "2027-02-30", "Expired date must be a date (YYYY-MM-DD)."),
    ],
)
def test_invalid_token_details_are_refused(
    sb: CloudekaSandbox, cookie: str, name: str, expired_at: str, message: str
) -> None:
    before = sb.state()["tokens"]
    reply = create(sb, cookie, name, expired_at)
    assert (reply.status, reply.json()["message"]) == (400, message)
    assert sb.state()["tokens"] == before


def test_a_listed_name_cannot_be_used_twice_but_a_deleted_one_can(
    sb: CloudekaSandbox, cookie: str
) -> None:
    first = create(sb, cookie, "ci-deploy").json()
    duplicate = create(sb, cookie, "CI-Deploy")
    assert (duplicate.status, duplicate.json()["message"]) == (409, "Token name already exists.")
    assert call(sb, "DELETE", f"{TOKENS}/{first['id']}", cookie=cookie).status == 204
    assert call(sb, "DELETE", f"{TOKENS}/{first['id']}", cookie=cookie).status == 404
    assert create(sb, cookie, "ci-deploy").status == 201


def test_api_call_with_the_key_acts_for_its_owner(sb: CloudekaSandbox, cookie: str) -> None:
    secret = create(sb, cookie, "ci-deploy").json()["secret"]
    reply = call(sb, "GET", "/api/v1/me", bearer=secret)
    assert reply.status == 200
    assert reply.json() == {"email": sb.EMAIL, "name": sb.DISPLAY_NAME}


def test_api_call_refuses_unknown_deleted_and_expired_keys(
    sb: CloudekaSandbox, cookie: str
) -> None:
    token = create(sb, cookie, "ci-deploy").json()
    call(sb, "DELETE", f"{TOKENS}/{token['id']}", cookie=cookie)
    expired = next(t for t in sb.state()["tokens"] if t["name"] == "jupyter-notebook")
    for key in ("cldk_unknown", token["secret"], expired["secret"]):
        reply = call(sb, "GET", "/api/v1/me", bearer=key)
        assert reply.status == 401, key
        assert reply.headers["WWW-Authenticate"].startswith("Bearer")


def test_api_call_ignores_the_session_cookie(sb: CloudekaSandbox, cookie: str) -> None:
    assert call(sb, "GET", "/api/v1/me", cookie=cookie).status == 401


def test_api_needs_a_session(sb: CloudekaSandbox) -> None:
    assert call(sb, "GET", TOKENS).status == 401
    assert create(sb, "cldk_session=forged", "x").status == 401


def test_expired_sessions_get_401(sb: CloudekaSandbox, cookie: str) -> None:
    sb.expire_sessions()
    assert call(sb, "GET", TOKENS, cookie=cookie).status == 401
    assert call(sb, "GET", "/", cookie=cookie).status == 302


def test_sessions_can_expire_when_a_chosen_request_arrives(
    sb: CloudekaSandbox, cookie: str
) -> None:
    sb.expire_sessions(method="POST", path=r"^/api/tokens$")
    assert call(sb, "GET", TOKENS, cookie=cookie).status == 200  # not the awaited request
    assert create(sb, cookie, "ci-deploy").status == 401
    assert all(t["name"] != "ci-deploy" for t in sb.state()["tokens"])
    fresh = sign_in(sb).cookie("cldk_session")
    assert create(sb, fresh, "ci-deploy").status == 201  # the trap springs once


def test_session_expiry_can_be_set_over_http(sb: CloudekaSandbox, cookie: str) -> None:
    trap = {"method": "GET", "path": "^/api/tokens$"}
    assert call(sb, "POST", "/_sandbox/sessions/expire", trap).status == 204
    assert call(sb, "GET", TOKENS, cookie=cookie).status == 401
    cookie = sign_in(sb).cookie("cldk_session")
    assert call(sb, "POST", "/_sandbox/sessions/expire").status == 204
    assert call(sb, "GET", TOKENS, cookie=cookie).status == 401


def test_state_survives_a_restart(tmp_path: Path) -> None:
    with CloudekaSandbox(tmp_path) as sb:
        secret = create(sb, sign_in(sb).cookie("cldk_session"), "ci-deploy").json()["secret"]
    assert (tmp_path / "cloudeka.sqlite3").exists()
    with CloudekaSandbox(tmp_path) as sb:
        assert call(sb, "GET", "/api/v1/me", bearer=secret).status == 200
        assert len(sb.state()["tokens"]) == 3  # seeded once, not again


def test_latency_delays_api_answers_only(sb: CloudekaSandbox, cookie: str) -> None:
    sb.latency = 0.3
    began = time.monotonic()
    call(sb, "GET", "/static/base.css")
    page_time = time.monotonic() - began
    began = time.monotonic()
    call(sb, "GET", TOKENS, cookie=cookie)
    assert time.monotonic() - began >= 0.3 > page_time


def test_faults_answer_instead_of_the_portal(sb: CloudekaSandbox, cookie: str) -> None:
    sb.add_fault(Fault(method="POST", path=r"^/api/tokens$", status=503))
    assert create(sb, cookie, "ci-deploy").status == 503
    assert create(sb, cookie, "ci-deploy").status == 201


def test_templates_are_not_served_raw(sb: CloudekaSandbox) -> None:
    assert call(sb, "GET", "/static/portal.js").status == 200
    assert call(sb, "GET", "/static/layout.html").status == 404
