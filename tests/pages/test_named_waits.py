"""Waits in runbooks name what they wait for in the guide's words, never a locator."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from pages import ControlNotFound, PageError, expect_state
from tests.blank_page import blank_context

RUNBOOKS = Path(__file__).resolve().parents[2] / "runbooks"


@pytest.fixture
def blank(browser: Browser) -> Iterator[Page]:
    with blank_context(browser) as context:
        page = context.new_page()
        page.set_content(
            "<button disabled>Revoke Token</button><button>Cancel</button>"
            '<div role="dialog" aria-label="A">a</div><div role="dialog" aria-label="B">b</div>'
        )
        page.set_default_timeout(500)
        yield page


def test_a_control_that_never_comes_is_named_in_words(blank: Page) -> None:
    with pytest.raises(ControlNotFound, match="the Generate Cloud Token button did not appear"):
        expect_state(
            blank.get_by_role("button", name="Generate Cloud Token"),
            "the Generate Cloud Token button",
            "enabled",
        )


def test_a_control_in_the_wrong_state_says_so(blank: Page) -> None:
    with pytest.raises(
        PageError, match="the Revoke Token button is there but did not become enabled"
    ):
        expect_state(
            blank.get_by_role("button", name="Revoke Token"), "the Revoke Token button", "enabled"
        )
    expect_state(
        blank.get_by_role("button", name="Revoke Token"), "the Revoke Token button", "disabled"
    )


def test_more_than_one_match_keeps_playwrights_count(blank: Page) -> None:
    with pytest.raises(AssertionError, match="strict mode violation"):
        expect_state(blank.get_by_role("dialog"), "the pop-up window")


def _bare_expects(path: Path) -> list[int]:
    tree = ast.parse(path.read_text())
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "expect"
    ]


@pytest.mark.parametrize(
    "path",
    [*sorted(RUNBOOKS.glob("[!_]*/*.py")), RUNBOOKS / "_signin.py"],
    ids=lambda p: str(p.relative_to(RUNBOOKS)),
)
def test_no_runbook_step_waits_on_a_bare_expect(path: Path) -> None:
    assert not _bare_expects(path), f"{path.name}: use pages.expect_state(locator, what) instead"
