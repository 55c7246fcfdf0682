"""HTTP-level tests of the Gravitee Cloud replica (plus one browser smoke test)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import Browser, Route, expect

from sandbox import Fault, GraviteeSandbox

EU_PROD = "8d2e4b16-5a7c-4f3e-9b1d-0c6a2e7f4d58"
API = "/management/v2/gateways"


class Reply(NamedTuple):
    status: int
    headers: Message
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand redirects back to the test: the chain itself is what is tested."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def call(
    method: str,
    url: str,
    *,
    cookie: str | None = None,
    form: dict[str, str] | None = None,
    json_body: object = None,
) -> Reply:
    headers = {"Cookie": cookie} if cookie else {}
    data = None
    if form is not None:
        data = urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif json_body is not None:
        data = json.dumps(json_body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        response = _OPENER.open(request, timeout=10)
    except urllib.error.HTTPError as error:  # 3xx, 4xx and 5xx all end up here
        with error:
            return Reply(error.code, error.headers, error.read())
    with response:
        return Reply(response.status, response.headers, response.read())


def sign_in(sb: GraviteeSandbox, path: str = "/") -> tuple[str, str]:
    """Follow the whole sign-in chain; return (cookie header, final path)."""
    login = call("GET", sb.url + path).headers["Location"]
    posted = call("POST", login, form={"email": sb.EMAIL, "password": sb.PASSWORD})
    callback = call("GET", posted.headers["Location"])
    cookie = callback.headers["Set-Cookie"].split(";", 1)[0]
    return cookie, callback.headers["Location"]


@pytest.fixture
def sb(tmp_path: Path) -> Iterator[GraviteeSandbox]:
    with GraviteeSandbox(tmp_path / "data") as sandbox:
        yield sandbox


@pytest.fixture
def cookie(sb: GraviteeSandbox) -> str:
    return sign_in(sb)[0]


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


# --- sign-in ---------------------------------------------------------------------------


def test_console_page_without_session_redirects_to_auth_server(sb: GraviteeSandbox) -> None:
    reply = call("GET", f"{sb.url}/gateways/{EU_PROD}")

    assert reply.status == 302
    location = urlsplit(reply.headers["Location"])
    assert f"{location.scheme}://{location.netloc}" == sb.auth_url != sb.url
    assert location.path == "/cockpit-master/login"
    query = parse_qs(location.query)
    assert query["response_type"] == ["code"]
    assert query["client_id"] == ["cockpit"]
    assert query["redirect_uri"] == [f"{sb.url}/auth/callback"]
    assert query["state"][0]


def test_sign_in_page_has_the_documented_controls(sb: GraviteeSandbox) -> None:
    reply = call("GET", call("GET", sb.url + "/").headers["Location"])

    assert reply.status == 200
    for fragment in (
        "<title>Sign in | Gravitee Cloud</title>",
        "<h1>Sign in</h1>",
        '<label for="email">Email</label>',
        '<input id="email" name="email" type="email"',
        '<label for="password">Password</label>',
        'type="password"',
        ">Google</button>",
        ">GitHub</button>",
        '<button type="submit" class="btn btn-primary btn-block">Sign in</button>',
        ">Sign in with your company SSO</a>",
    ):
        assert fragment in reply.text


def test_sso_page_asks_for_an_email(sb: GraviteeSandbox) -> None:
    login = call("GET", call("GET", sb.url + "/").headers["Location"])
    href = login.text.split('<p class="auth-link"><a href="', 1)[1].split('"', 1)[0]

    reply = call("GET", sb.auth_url + href.replace("&amp;", "&"))

    assert reply.status == 200
    assert "<h1>Single Sign On</h1>" in reply.text
    assert 'type="email"' in reply.text and ">Continue</button>" in reply.text


def test_wrong_password_rerenders_the_form_with_an_alert(sb: GraviteeSandbox) -> None:
    login = call("GET", sb.url + "/").headers["Location"]

    reply = call("POST", login, form={"email": sb.EMAIL, "password": "nope"})

    assert reply.status == 401
    assert "Location" not in reply.headers
    assert '<div class="alert" role="alert">Wrong email or password.</div>' in reply.text
    assert f'value="{sb.EMAIL}"' in reply.text


def test_sign_in_sets_the_session_cookie_and_returns_to_the_original_path(
    sb: GraviteeSandbox,
) -> None:
    path = f"/gateways/{EU_PROD}"
    login = call("GET", sb.url + path).headers["Location"]
    state = parse_qs(urlsplit(login).query)["state"][0]

    code_reply = call("POST", login, form={"email": sb.EMAIL, "password": sb.PASSWORD})
    assert code_reply.status == 302
    target = urlsplit(code_reply.headers["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{sb.url}/auth/callback"
    query = parse_qs(target.query)
    assert query["state"] == [state] and query["code"][0]

    callback = call("GET", code_reply.headers["Location"])
    assert callback.status == 302
    assert callback.headers["Location"] == path
    attributes = [a.strip() for a in callback.headers["Set-Cookie"].split(";")]
    assert attributes[0].startswith("gc_console_session=")
    assert {"HttpOnly", "SameSite=Lax", "Path=/"} <= set(attributes)

    page = call("GET", sb.url + path, cookie=attributes[0])
    assert page.status == 200
    assert "<h1>Hybrid Gateway Details</h1>" in page.text

    again = call("GET", code_reply.headers["Location"])  # the code is one-time
    assert again.status == 400
    assert "Set-Cookie" not in again.headers


def test_sign_in_rejects_a_foreign_redirect_uri(sb: GraviteeSandbox) -> None:
    query = urlencode(
        {
            "response_type": "code",
            "client_id": "cockpit",
            "redirect_uri": "http://attacker.invalid/auth/callback",
            "state": "x",
        }
    )
    url = f"{sb.auth_url}/cockpit-master/login?{query}"

    assert call("GET", url).status == 400
    posted = call("POST", url, form={"email": sb.EMAIL, "password": sb.PASSWORD})
    assert posted.status == 400
    assert "Location" not in posted.headers


def test_sign_out_ends_the_session(sb: GraviteeSandbox, cookie: str) -> None:
    reply = call("GET", f"{sb.url}/logout", cookie=cookie)

    assert reply.status == 302
    assert "Max-Age=0" in reply.headers["Set-Cookie"]
    assert call("GET", f"{sb.url}{API}", cookie=cookie).status == 401


# --- pages -----------------------------------------------------------------------------


def test_console_pages_render_with_a_session(sb: GraviteeSandbox, cookie: str) -> None:
    dashboard = call("GET", f"{sb.url}/", cookie=cookie)
    settings = call("GET", f"{sb.url}/settings", cookie=cookie)

    assert dashboard.status == 200 and settings.status == 200
    assert "<h1>Dashboard</h1>" in dashboard.text
    assert 'aria-label="Main"' in dashboard.text and "Sandbox Org" in dashboard.text
    assert 'role="progressbar" aria-label="Loading"' in dashboard.text
    assert "<h1>Settings</h1>" in settings.text


def test_unknown_gateway_page_is_a_404_with_a_way_back(sb: GraviteeSandbox, cookie: str) -> None:
    reply = call("GET", f"{sb.url}/gateways/no-such-gateway", cookie=cookie)

    assert reply.status == 404
    assert "<h1>Gateway not found</h1>" in reply.text
    assert 'href="/">Back to Dashboard</a>' in reply.text


def test_static_files_are_served_but_templates_are_not(sb: GraviteeSandbox) -> None:
    script = call("GET", f"{sb.url}/static/gateway.js")

    assert script.status == 200
    assert script.headers["Content-Type"].startswith("text/javascript")
    assert call("GET", f"{sb.url}/static/layout.html").status == 404
    assert call("GET", f"{sb.url}/static/..%2Fapp.py").status == 404


# --- JSON API --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", API),
        ("GET", f"{API}/{EU_PROD}"),
        ("GET", f"{API}/{EU_PROD}/cloud-tokens"),
        ("POST", f"{API}/{EU_PROD}/cloud-tokens"),
        ("DELETE", f"{API}/{EU_PROD}/cloud-tokens/anything"),
    ],
)
def test_api_requires_a_session(sb: GraviteeSandbox, method: str, path: str) -> None:
    reply = call(method, sb.url + path)

    assert reply.status == 401
    assert reply.headers["Content-Type"] == "application/json"
    assert reply.json()["status"] == 401


def test_api_lists_the_seeded_gateways(sb: GraviteeSandbox, cookie: str) -> None:
    gateways = call("GET", f"{sb.url}{API}", cookie=cookie).json()

    assert [(g["name"], g["environment"], g["status"]) for g in gateways] == [
        ("eu-prod-gw", "Production", "Connected"),
        ("eu-staging-gw", "Staging", "Connected"),
        ("us-prod-gw", "Production", "Never Connected"),
    ]
    assert {(g["configuration"], g["provider"], g["region"]) for g in gateways} == {
        ("Hybrid", "N/A", "N/A")
    }
    one = call("GET", f"{sb.url}{API}/{EU_PROD}", cookie=cookie).json()
    assert one == gateways[0]
    assert call("GET", f"{sb.url}{API}/nope", cookie=cookie).status == 404


def test_token_value_is_only_in_the_create_reply(
    sb: GraviteeSandbox, cookie: str, tmp_path: Path
) -> None:
    tokens_url = f"{sb.url}{API}/{EU_PROD}/cloud-tokens"
    listed = call("GET", tokens_url, cookie=cookie).json()
    assert len(listed) == 1
    assert set(listed[0]) == {"id", "createdAt", "createdBy"}
    assert listed[0]["createdBy"] == "Sandbox Operator"

    created = call("POST", tokens_url, cookie=cookie)
    assert created.status == 201
    body = created.json()
    assert set(body) == {"id", "createdAt", "createdBy", "token"}
    assert body["createdAt"].endswith("Z") and len(body["createdAt"]) == 20

    after = call("GET", tokens_url, cookie=cookie)
    assert [t["id"] for t in after.json()] == [listed[0]["id"], body["id"]]
    assert body["token"] not in after.text
    assert body["token"].split(".")[2] not in after.text


def test_created_token_is_an_hs256_jwt_with_the_cloud_claims(
    sb: GraviteeSandbox, cookie: str, tmp_path: Path
) -> None:
    body = call("POST", f"{sb.url}{API}/{EU_PROD}/cloud-tokens", cookie=cookie).json()

    header, claims, signature = body["token"].split(".")
    assert "=" not in body["token"]
    assert json.loads(_b64decode(header)) == {"alg": "HS256", "typ": "JWT"}
    payload = json.loads(_b64decode(claims))
    assert payload["sub"] == EU_PROD
    assert payload["jti"] == body["id"]
    assert payload["accountId"] == "3f0c7a52-9e1b-4c1e-8a51-2d4f6b7c9e10"
    assert payload["region"] == "eu"
    assert payload["cloudGateUrl"] == "https://eu.cloudgate.gravitee.io"
    assert payload["analyticsIndex"]
    assert isinstance(payload["iat"], int)
    with sqlite3.connect(tmp_path / "data" / "gravitee.sqlite3") as db:
        key = bytes.fromhex(db.execute("SELECT value FROM meta").fetchone()[0])
    expected = hmac.new(key, f"{header}.{claims}".encode(), hashlib.sha256).digest()
    assert _b64decode(signature) == expected


def test_revoke_marks_the_token_revoked_once(sb: GraviteeSandbox, cookie: str) -> None:
    tokens_url = f"{sb.url}{API}/{EU_PROD}/cloud-tokens"
    token_id = call("GET", tokens_url, cookie=cookie).json()[0]["id"]

    first = call("DELETE", f"{tokens_url}/{token_id}", cookie=cookie)
    second = call("DELETE", f"{tokens_url}/{token_id}", cookie=cookie)

    assert (first.status, first.body) == (204, b"")
    assert second.status == 404
    assert call("GET", tokens_url, cookie=cookie).json() == []
    gateway = sb.state()["gateways"][0]
    assert gateway["tokens"] == []
    assert [t["id"] for t in gateway["revokedTokens"]] == [token_id]
    assert gateway["revokedTokens"][0]["revokedAt"].endswith("Z")


def test_revoke_needs_the_token_to_belong_to_the_gateway(sb: GraviteeSandbox, cookie: str) -> None:
    other = sb.state()["gateways"][1]["tokens"][0]["id"]

    reply = call("DELETE", f"{sb.url}{API}/{EU_PROD}/cloud-tokens/{other}", cookie=cookie)

    assert reply.status == 404
    assert sb.state()["gateways"][1]["tokens"][0]["id"] == other


# --- control endpoints -----------------------------------------------------------------


def test_state_endpoint_needs_no_session_and_matches_state(sb: GraviteeSandbox) -> None:
    reply = call("GET", f"{sb.url}/_sandbox/state")

    assert reply.status == 200
    state = reply.json()
    assert state == sb.state()
    assert state["account"] == {
        "id": "3f0c7a52-9e1b-4c1e-8a51-2d4f6b7c9e10",
        "name": "Sandbox Org",
        "region": "eu",
    }
    assert [g["name"] for g in state["gateways"]] == ["eu-prod-gw", "eu-staging-gw", "us-prod-gw"]
    for gateway in state["gateways"]:
        assert set(gateway) == {"id", "name", "environment", "status", "tokens", "revokedTokens"}
        (token,) = gateway["tokens"]
        assert set(token) == {"id", "value", "createdAt", "createdBy"}
        assert token["createdBy"] == "Sandbox Operator"
        assert token["createdAt"] < "2026-06-01T00:00:00Z"
        assert gateway["revokedTokens"] == []


def test_state_survives_a_restart_on_the_same_data_dir(tmp_path: Path) -> None:
    with GraviteeSandbox(tmp_path) as first:
        cookie, _ = sign_in(first)
        tokens_url = f"{first.url}{API}/{EU_PROD}/cloud-tokens"
        old = call("GET", tokens_url, cookie=cookie).json()[0]["id"]
        assert call("DELETE", f"{tokens_url}/{old}", cookie=cookie).status == 204
        assert call("POST", tokens_url, cookie=cookie).status == 201
        before = first.state()

    assert (tmp_path / "gravitee.sqlite3").is_file()
    with GraviteeSandbox(tmp_path) as second:
        assert second.state() == before
        gateway = second.state()["gateways"][0]
        assert [t["id"] for t in gateway["revokedTokens"]] == [old]
        assert len(gateway["tokens"]) == 1


def test_sandbox_restarts_on_the_same_object(tmp_path: Path) -> None:
    sandbox = GraviteeSandbox(tmp_path)
    sandbox.start()
    before = sandbox.state()
    sandbox.stop()
    sandbox.stop()  # idempotent

    sandbox.start()
    try:
        assert call("GET", f"{sandbox.url}/_sandbox/state").json() == before
    finally:
        sandbox.stop()
    with pytest.raises(RuntimeError):
        _ = sandbox.url


def test_latency_delays_api_requests(sb: GraviteeSandbox, cookie: str) -> None:
    sb.latency = 0.3
    started = time.monotonic()
    reply = call("GET", f"{sb.url}{API}", cookie=cookie)
    elapsed = time.monotonic() - started

    assert reply.status == 200
    assert elapsed >= 0.3


def test_latency_can_be_set_over_http(sb: GraviteeSandbox, cookie: str) -> None:
    reply = call("POST", f"{sb.url}/_sandbox/latency", json_body={"seconds": 0.2})
    assert (reply.status, reply.json()) == (200, {"seconds": 0.2})
    assert sb.latency == 0.2

    started = time.monotonic()
    call("GET", f"{sb.url}{API}/{EU_PROD}/cloud-tokens", cookie=cookie)
    assert time.monotonic() - started >= 0.2

    bad = call("POST", f"{sb.url}/_sandbox/latency", json_body={"seconds": -1})
    assert bad.status == 400
    assert sb.latency == 0.2


def test_fault_answers_times_then_the_real_reply(sb: GraviteeSandbox, cookie: str) -> None:
    tokens_url = f"{sb.url}{API}/{EU_PROD}/cloud-tokens"
    sb.add_fault(Fault(method="POST", path=r"/cloud-tokens$", status=500, times=2))

    statuses = [call("POST", tokens_url, cookie=cookie).status for _ in range(3)]
    listed = call("GET", tokens_url, cookie=cookie)

    assert statuses == [500, 500, 201]
    assert listed.status == 200 and len(listed.json()) == 2


def test_faults_can_be_set_and_cleared_over_http(sb: GraviteeSandbox, cookie: str) -> None:
    url = f"{sb.url}{API}"
    fault = {"method": "GET", "path": r"/gateways$", "status": 503, "body": {"m": 1}, "times": 5}
    assert call("POST", f"{sb.url}/_sandbox/faults", json_body=fault).status == 201

    failed = call("GET", url, cookie=cookie)
    assert (failed.status, failed.json()) == (503, {"m": 1})
    assert call("DELETE", f"{sb.url}/_sandbox/faults").status == 204
    assert call("GET", url, cookie=cookie).status == 200

    bad = {"method": "GET", "path": "(", "status": 500}
    assert call("POST", f"{sb.url}/_sandbox/faults", json_body=bad).status == 400


def test_clear_faults_removes_pending_faults(sb: GraviteeSandbox, cookie: str) -> None:
    sb.add_fault(Fault(method="*", path=r"^/management/", status=502, body="down", times=None))
    reply = call("GET", f"{sb.url}{API}", cookie=cookie)
    assert (reply.status, reply.text) == (502, "down")

    sb.clear_faults()

    assert call("GET", f"{sb.url}{API}", cookie=cookie).status == 200


def test_expired_sessions_get_401_and_a_new_sign_in(sb: GraviteeSandbox, cookie: str) -> None:
    assert call("GET", f"{sb.url}{API}", cookie=cookie).status == 200

    sb.expire_sessions()

    assert call("GET", f"{sb.url}{API}", cookie=cookie).status == 401
    page = call("GET", f"{sb.url}/gateways/{EU_PROD}", cookie=cookie)
    assert page.status == 302 and page.headers["Location"].startswith(sb.auth_url)
    new_cookie, path = sign_in(sb, f"/gateways/{EU_PROD}")
    assert path == f"/gateways/{EU_PROD}"
    assert call("GET", f"{sb.url}{API}", cookie=new_cookie).status == 200


def test_sessions_can_be_expired_over_http(sb: GraviteeSandbox, cookie: str) -> None:
    assert call("POST", f"{sb.url}/_sandbox/sessions/expire").status == 204
    assert call("GET", f"{sb.url}{API}", cookie=cookie).status == 401


def test_stop_ends_a_delayed_request_and_joins(tmp_path: Path) -> None:
    sandbox = GraviteeSandbox(tmp_path, latency=30).start()
    url = f"{sandbox.url}{API}"
    replies: list[int | str] = []

    def slow_request() -> None:
        try:
            replies.append(call("GET", url).status)
        except (OSError, http.client.HTTPException) as exc:
            # Cut off: the stop may close the socket before, or while, the reply is written.
            replies.append(type(exc).__name__)

    thread = threading.Thread(target=slow_request)
    thread.start()
    time.sleep(0.2)  # let the request reach the server's latency wait
    started = time.monotonic()
    sandbox.stop()
    thread.join(10)

    assert time.monotonic() - started < 5
    assert not thread.is_alive()
    assert replies  # answered or cut off, but not left hanging


# --- browser smoke test ----------------------------------------------------------------


def test_browser_signs_in_and_sees_one_cloud_token(sb: GraviteeSandbox, browser: Browser) -> None:
    foreign: list[str] = []

    def no_egress(route: Route) -> None:
        if urlsplit(route.request.url).netloc in sb.hosts:
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    context = browser.new_context()
    try:
        context.route("**/*", no_egress)
        page = context.new_page()
        page.goto(f"{sb.url}/")
        expect(page).to_have_title("Sign in | Gravitee Cloud")
        page.get_by_label("Email").fill(sb.EMAIL)
        page.get_by_label("Password").fill(sb.PASSWORD)
        page.get_by_role("button", name="Sign in", exact=True).click()

        gateways = page.get_by_role("region", name="Gateways")
        gateways.get_by_role("link", name="eu-prod-gw").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Hybrid Gateway Details")
        tokens = page.get_by_role("region", name="Cloud Tokens")
        expect(page.get_by_role("progressbar", name="Loading")).to_be_hidden()
        revoke_buttons = tokens.get_by_role("button", name="Revoke token")
        expect(revoke_buttons).to_have_count(1)
        expect(tokens.locator("time[datetime]")).to_have_attribute(
            "datetime", sb.state()["gateways"][0]["tokens"][0]["createdAt"]
        )
    finally:
        context.close()
    assert foreign == []
