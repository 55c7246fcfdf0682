"""Failures a support person understands: one line with the step, the guide's words and
what was tried, exit code 1, no traceback; one test per failure class, on every skin."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Route

from runbooks import _session
from sandbox import CloudekaSandbox, Fault, GraviteeSandbox
from tests.cli import Result, run_cli


def last_line(result: Result) -> str:
    return [line for line in result.err.splitlines() if line.strip()][-1]


def assert_failed_in_words(result: Result, step: str, *needles: str) -> None:
    assert result.code == 1, result.text
    assert "Traceback" not in result.text
    assert f"✗ {step:>2}  " in result.err, result.err  # the step is marked failed
    line = last_line(result)
    for needle in needles:
        assert needle in line, result.err


def rotate(tmp_path: Path, gateway: str = "eu-prod-gw") -> Result:
    return run_cli(
        "run", "gravitee-cloud-token", "--gateway", gateway,
        "--secret-to", f"file:{tmp_path / 'token'}",
    )  # fmt: skip


@pytest.fixture
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """Controls that never come are given up on quickly."""
    monkeypatch.setenv("RUNBOOK_TIMEOUT", "3")


@pytest.mark.usefixtures("short_timeout")
def test_a_missing_control_names_the_step_the_control_and_what_was_tried(
    gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    # The Cloud Tokens table never gets its rows: the list request keeps failing.
    gravitee_env.add_fault(Fault("GET", r"/cloud-tokens$", 500, times=None))
    result = rotate(tmp_path)
    assert_failed_in_words(
        result,
        "3",
        "step 3 (",
        "the Cloud Tokens table's rows did not appear",
        "tried: a token row; the empty state",
        # The reply that explains it came with step 2's click or in step 3; either way
        # it is named (the step that failed must not depend on that race).
        "the portal answered 500 Internal Server Error to GET /management/v2/gateways/",
    )
    assert not (tmp_path / "token").exists()


def test_more_than_one_match_says_how_many_and_which(
    gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    gravitee_env.add_gateway("eu-prod-gw")  # two gateways of one name: never guess
    before = gravitee_env.state()
    result = rotate(tmp_path)
    assert_failed_in_words(
        result, "2", "step 2 (", "2 controls match the Gateway eu-prod-gw", '"eu-prod-gw"'
    )
    assert gravitee_env.state()["gateways"] == before["gateways"]  # nothing was revoked


def _unreadable_expiry(name: str) -> object:
    def hook(context: BrowserContext) -> None:
        def route(route: Route) -> None:
            if route.request.method != "GET":
                route.fallback()
                return
            response = route.fetch()
            tokens = response.json()
            for token in tokens:
                if token["name"] == name:
                    token["expiredAt"] = "soon"  # not a date (JavaScript shows Invalid Date)
            route.fulfill(response=response, body=json.dumps(tokens))

        context.route("**/api/tokens", route)

    return hook


def test_a_page_objects_own_exception_is_a_failed_step(
    cloudeka_env: CloudekaSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hooks = [*_session.context_hooks, _unreadable_expiry("ci-odd-date")]
    monkeypatch.setattr(_session, "context_hooks", hooks)
    result = run_cli(
        "run", "cloudeka-token", "--name", "ci-odd-date", "--no-expiry",
        "--secret-to", f"file:{tmp_path / 'key'}",
    )  # fmt: skip
    assert_failed_in_words(
        result, "V", "step V (", "could not read the token's Expired date", "Invalid Date"
    )
    # The key was shown before the step failed: it was delivered, not lost.
    assert (tmp_path / "key").exists()
    runs = list(Path("recordings").iterdir())
    journal = json.loads((runs[0] / "run.json").read_text())
    assert journal["outcome"] != "running"
    assert next(s for s in journal["steps"] if s["number"] == "V")["status"] == "failed"


# A refusal dialog that opens with nothing readable in it (the plain skin would otherwise
# fall back to its own "Login Failed" title).
BLANK_DIALOGS = """const show = HTMLDialogElement.prototype.showModal;
HTMLDialogElement.prototype.showModal = function () {
  this.querySelectorAll('h2, p').forEach((e) => { e.textContent = ''; });
  return show.call(this);
};"""


def test_a_refusal_whose_message_cannot_be_read_still_says_what_to_check(
    cloudeka_env: CloudekaSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def blank(context: BrowserContext) -> None:
        context.add_init_script(BLANK_DIALOGS)

    monkeypatch.setattr(_session, "context_hooks", [*_session.context_hooks, blank])
    cloudeka_env.add_fault(
        Fault("POST", r"^/api/auth/login$", 401, body={"title": "", "message": ""}, times=None)
    )
    result = run_cli(
        "run", "cloudeka-token", "--name", "ci-deploy", "--no-expiry",
        "--secret-to", f"file:{tmp_path / 'key'}",
    )  # fmt: skip
    assert_failed_in_words(
        result,
        "1",
        "sign-in refused: its message could not be read",
        "RUNBOOK_CLOUDEKA_EMAIL",
        "RUNBOOK_CLOUDEKA_PASSWORD",
    )
    assert not (tmp_path / "key").exists()
