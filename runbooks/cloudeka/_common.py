"""Sign-in to Cloudeka Service Portal AI (with its one-time code) and signed-out detection."""

from __future__ import annotations

import functools
from collections.abc import Callable

import pyotp
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from pages.cloudeka import OneTimeCodePage, PortalPage, SignInPage
from runbooks._engine import RunContext
from runbooks._errors import ConfigError, PortalError

__all__ = ["SIGNED_OUT", "sign_in", "while_signed_in"]

SIGNED_OUT = "the portal signed this run out mid-way (session expired); run again"
NO_CODE_HINT = (
    "the portal asks for a one-time code: set RUNBOOK_CLOUDEKA_TOTP_SECRET or run in a terminal"
)


def sign_in(ctx: RunContext) -> PortalPage:
    """Open the portal; sign in on "Sign In Now!" if it shows, one-time code included."""
    portal = PortalPage(ctx.page)
    form = SignInPage(ctx.page)
    portal.open()
    try:
        expect(portal.profile_button.or_(form.heading)).to_be_visible()
    except AssertionError:
        raise PortalError(
            f"the page at {ctx.target.url} is neither the Service Portal AI's sign-in nor its "
            "portal: check --target or RUNBOOK_CLOUDEKA_URL",
            resumable=False,
        ) from None
    if portal.profile_button.is_visible():
        return portal.wait_until_loaded()
    target = ctx.target
    if target.saved is not None:
        saved_at = target.saved.saved_at()
        when = f" on {saved_at:%Y-%m-%d %H:%M} UTC" if saved_at else ""
        ctx.warn(f"the sign-in saved{when} has expired")
    if target.email is None or target.password is None:
        ctx.hand_off(
            "The saved sign-in has expired: sign in in the browser window.",
            otherwise="the saved sign-in has expired; run `runbook login cloudeka` again",
        )
        return portal.wait_until_loaded()
    code_step = OneTimeCodePage(ctx.page)
    with ctx.off_the_record():  # a trace holds what was typed
        form.sign_in(target.email, target.password.reveal())
        expect(portal.profile_button.or_(form.failure.root).or_(code_step.code)).to_be_visible()
    if form.failure.root.is_visible():
        raise PortalError(
            f"sign-in refused: {form.failure.reason()} "
            "(check RUNBOOK_CLOUDEKA_EMAIL and RUNBOOK_CLOUDEKA_PASSWORD)"
        )
    if code_step.code.is_visible():
        _enter_one_time_code(ctx, code_step, portal)
    return portal.wait_until_loaded()


def _enter_one_time_code(ctx: RunContext, code_step: OneTimeCodePage, portal: PortalPage) -> None:
    configured = ctx.target.totp_secret is not None
    code = _one_time_code(ctx)
    with ctx.off_the_record():
        code_step.enter_code(code)
        expect(portal.profile_button.or_(code_step.error)).to_be_visible()
    if code_step.error.is_visible():
        hint = " (check RUNBOOK_CLOUDEKA_TOTP_SECRET)" if configured else ""
        raise PortalError(f"sign-in refused: {code_step.error_text()}{hint}")


def _one_time_code(ctx: RunContext) -> str:
    """The current code: from RUNBOOK_CLOUDEKA_TOTP_SECRET, else asked at the terminal."""
    configured = ctx.target.totp_secret
    if configured is not None:
        ctx.redactor.register(configured)
        # Authenticator apps show the secret in lower-case groups of four.
        secret = "".join(configured.reveal().split()).upper()
        try:
            code = pyotp.TOTP(secret).now()
        except ValueError:  # binascii.Error: not base32
            raise ConfigError(
                "RUNBOOK_CLOUDEKA_TOTP_SECRET is not a base32 secret (the text shown beside "
                "the QR code when two-factor sign-in was set up)"
            ) from None
        return ctx.secret(code, "one-time code", deliver=False).reveal()
    try:
        answer = ctx.ask_secret("One-time code", "one-time code", hint=NO_CODE_HINT)
    except ValueError:  # an empty answer
        raise PortalError("sign-in stopped: no one-time code was entered") from None
    return "".join(answer.reveal().split())


def while_signed_in(action: Callable[[RunContext], None]) -> Callable[[RunContext], None]:
    """Wrap a step: if it fails because the portal went back to "Sign In Now!", say so.

    The portal's pages send a browser whose session ended to its sign-in page; the step
    then waits in vain for its own controls. One clear line beats "X did not appear".
    """

    @functools.wraps(action)
    def guarded(ctx: RunContext) -> None:
        try:
            action(ctx)
        except (PlaywrightError, AssertionError):
            if SignInPage(ctx.page).heading.is_visible():
                raise PortalError(SIGNED_OUT) from None
            raise

    return guarded
