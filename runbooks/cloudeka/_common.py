"""Signing in to Cloudeka Service Portal AI (with its one-time code), and signed-out detection."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pages import expect_state
from pages.cloudeka import OneTimeCodePage, PortalPage, SignInPage
from pages.cloudeka.sign_out import SignOut
from runbooks import ConfigError, PortalError, StepContext, sign_in, sign_in_guard

if TYPE_CHECKING:
    from playwright.sync_api import Locator

__all__ = [
    "CloudekaSignIn",
    "one_time_code",
    "sign_in_to_cloudeka",
    "while_signed_in",
]

NO_CODE_HINT = (
    "the portal asks for a one-time code: set RUNBOOK_CLOUDEKA_TOTP_SECRET or run in a terminal"
)


class CloudekaSignIn:
    """Signed in: the profile button; refused: the Login Failed notice; then a one-time code."""

    def __init__(self, ctx: StepContext) -> None:
        self.portal = PortalPage(ctx.page)
        self._form = SignInPage(ctx.page)
        self._code = OneTimeCodePage(ctx.page)

    @property
    def signed_in(self) -> Locator:
        return self.portal.profile_button

    @property
    def form(self) -> Locator:
        return self._form.heading

    @property
    def refused(self) -> Locator:
        return self._form.failure.root

    @property
    def challenge(self) -> Locator | None:
        return self._code.code

    def open(self) -> None:
        self.portal.open()

    def sign_out(self) -> None:
        SignOut(self.portal.page).sign_out()

    def submit(self, email: str, password: str) -> None:
        self._form.sign_in(email, password)

    def refusal(self) -> str:
        return self._form.failure.reason()

    def answer_challenge(self, ctx: StepContext) -> None:
        configured = ctx.target.totp_secret is not None
        code = _one_time_code(ctx)
        with ctx.off_the_record():
            self._code.enter_code(code)
            expect_state(
                self.portal.profile_button.or_(self._code.error),
                "your profile name in the top-right corner (or the code's error)",
            )
        if self._code.error.is_visible():
            hint = " (check RUNBOOK_CLOUDEKA_TOTP_SECRET)" if configured else ""
            raise PortalError(f"sign-in refused: {self._code.error_text()}{hint}")

    def wait_until_loaded(self) -> None:
        self.portal.wait_until_loaded()


def sign_in_to_cloudeka(ctx: StepContext) -> PortalPage:
    """Open the portal; sign in on "Sign In Now!" if it shows, one-time code included."""
    screens = CloudekaSignIn(ctx)
    sign_in(ctx, screens)
    return screens.portal


def one_time_code(secret: str) -> str:
    """The current RFC 6238 code of a base32 `secret` (16 characters or more).

    Raises:
        ValueError: not base32, or shorter than 80 bits.
    """
    import pyotp  # here: only a sign-in that is asked for a code needs it

    class _TOTP(pyotp.TOTP):
        # 16 base32 characters (80 bits) is what many authenticator set-ups show;
        # pyotp's default floor (112 bits) would refuse a secret the portal accepted.
        min_secret_length_bits = 80

    return _TOTP(secret).now()


def _one_time_code(ctx: StepContext) -> str:
    """The current code: from RUNBOOK_CLOUDEKA_TOTP_SECRET, else asked at the terminal."""
    configured = ctx.target.totp_secret
    if configured is not None:
        # Authenticator apps show the secret in lower-case groups of four.
        secret = "".join(configured.reveal().split()).upper()
        try:
            code = one_time_code(secret)
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


#: A Cloudeka step that fails on the sign-in page says the session ended.
while_signed_in = sign_in_guard(lambda page: SignInPage(page).heading)
