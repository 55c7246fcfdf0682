"""Signing in to Gravitee Cloud: its screens, for the shared sign-in skeleton."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pages.gravitee import DashboardPage, SignInPage
from pages.gravitee.sign_out import SignOut
from runbooks import Preview, StepContext, sign_in, sign_in_guard

if TYPE_CHECKING:
    from playwright.sync_api import Locator

__all__ = ["GraviteeSignIn", "preview_sign_in", "sign_in_to_gravitee", "while_signed_in"]


#: A Gravitee step that fails on the sign-in page says the session ended.
while_signed_in = sign_in_guard(lambda page: SignInPage(page).heading)


class GraviteeSignIn:
    """Signed in: the Dashboard; refused: the sign-in page's alert. No further challenge."""

    challenge: Locator | None = None

    def __init__(self, ctx: StepContext) -> None:
        self.dashboard = DashboardPage(ctx.page)
        self._form = SignInPage(ctx.page)

    @property
    def signed_in(self) -> Locator:
        return self.dashboard.heading

    @property
    def form(self) -> Locator:
        return self._form.heading

    @property
    def refused(self) -> Locator:
        return self._form.error

    def open(self) -> None:
        self.dashboard.open()

    def sign_out(self) -> None:
        SignOut(self._form.page).sign_out()

    def submit(self, email: str, password: str) -> None:
        self._form.sign_in(email, password)

    def refusal(self) -> str:
        return self._form.error_text()

    def answer_challenge(self, ctx: StepContext) -> None:
        return None

    def wait_until_loaded(self) -> None:
        self.dashboard.wait_until_loaded()


def sign_in_to_gravitee(ctx: StepContext) -> None:
    """Open the console; sign in on the sign-in page it redirects to, if it does.

    With a saved sign-in (`runbook login`) the console opens directly; if that
    sign-in has expired, the run says so and signs in with the configured
    credentials, or, in a guided run without them, lets the person sign in.
    """
    sign_in(ctx, GraviteeSignIn(ctx))


def preview_sign_in(ctx: StepContext) -> Preview:
    """Step 1 of both Gravitee guides, as a guided run announces it."""
    who = f"as {ctx.target.email}" if ctx.target.email else "with the saved sign-in"
    return Preview(f"open {ctx.target.url} and sign in {who}")
