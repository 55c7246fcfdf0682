"""Secrets print masked; the redactor scrubs them from any text."""

from __future__ import annotations

import io
import pickle
import re

import pytest
from playwright.sync_api import Page

from runbooks._output import make_console
from runbooks._secrets import MASK, Redactor, Secret


def test_secret_never_prints_its_value() -> None:
    secret = Secret("cldk_abcdef123456", "token")
    assert str(secret) == MASK
    assert "cldk_" not in repr(secret)
    assert "cldk_" not in f"{secret} {secret!r} {[secret]}"
    assert secret.reveal() == "cldk_abcdef123456"


def test_secret_cannot_be_pickled() -> None:
    with pytest.raises(TypeError):
        pickle.dumps(Secret("cldk_abcdef123456", "token"))


def test_empty_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="token is empty"):
        Secret("", "token")


def test_redactor_scrubs_registered_values() -> None:
    redactor = Redactor()
    redactor.register(Secret("value-one-123", "a"))
    redactor.register("value-one-123-longer")
    text = "x value-one-123-longer y value-one-123 z"
    assert redactor.scrub(text) == f"x {MASK} y {MASK} z"
    assert "value-one-123" in redactor
    assert "nothing here" not in redactor


def test_console_output_is_scrubbed() -> None:
    redactor = Redactor()
    stream = io.StringIO()
    console = make_console(redactor, stream)
    redactor.register("s3cr3t-token-value")
    console.print("leaked: s3cr3t-token-value")
    assert "s3cr3t-token-value" not in stream.getvalue()
    assert MASK in stream.getvalue()


def test_every_encoding_a_browser_uses_is_scrubbed(page: Page) -> None:
    password = "p~a*s!s'w(o)r d/é\"&=+%"
    forms = page.evaluate(
        """pw => [
            encodeURIComponent(pw),
            encodeURI(pw),
            new URLSearchParams({password: pw}).toString().split('=').slice(1).join('='),
            JSON.stringify(pw).slice(1, -1),
            JSON.stringify(JSON.stringify(pw)).slice(1, -1),
            JSON.stringify({password: encodeURIComponent(pw)}),
        ]""",
        password,
    )
    redactor = Redactor()
    redactor.register(password)
    for form in forms:
        assert password not in redactor.scrub(f"x={form};"), form
        assert redactor.scrub(f"x={form};") != f"x={form};", f"not scrubbed: {form}"
    # Some servers and logs write the hex digits in lower case.
    assert redactor.scrub(re.sub(r"%[0-9A-F]{2}", lambda m: m[0].lower(), forms[0])) == MASK
