"""Steps shared by the Gravitee Cloud runbooks."""

from __future__ import annotations

from playwright.sync_api import expect

from pages.gravitee import DashboardPage, SignInPage
from runbooks._engine import RunContext
from runbooks._errors import PortalError

__all__ = ["sign_in"]


def sign_in(ctx: RunContext) -> DashboardPage:
    """Open the console; sign in on the sign-in page it redirects to, if it does.

    With a saved sign-in (`runbook login`) the console opens directly; if that
    sign-in has expired, the run says so and signs in with the configured
    credentials, or, in a guided run without them, lets the person sign in.
    """
    dashboard = DashboardPage(ctx.page)
    form = SignInPage(ctx.page)
    dashboard.open()
    try:
        expect(dashboard.heading.or_(form.heading)).to_be_visible()
    except AssertionError:
        raise PortalError(
            f"the page at {ctx.target.url} is neither the Gravitee Cloud sign-in nor its "
            "console: check --target or RUNBOOK_GRAVITEE_URL",
            resumable=False,
        ) from None
    if dashboard.heading.is_visible():
        return dashboard.wait_until_loaded()
    target = ctx.target
    if target.saved is not None:
        saved_at = target.saved.saved_at()
        when = f" on {saved_at:%Y-%m-%d %H:%M} UTC" if saved_at else ""
        ctx.warn(f"the sign-in saved{when} has expired")
    if target.email is None or target.password is None:
        ctx.hand_off(
            "The saved sign-in has expired: sign in in the browser window.",
            otherwise="the saved sign-in has expired; run `runbook login gravitee` again",
        )
        return dashboard.wait_until_loaded()
    with ctx.off_the_record():  # a trace holds what was typed
        form.sign_in(target.email, target.password.reveal())
        expect(dashboard.heading.or_(form.error)).to_be_visible()
    if form.error.is_visible():
        message = " ".join(form.error.inner_text().split())
        raise PortalError(
            f"sign-in refused for {target.email}: {message!r}; "
            "check RUNBOOK_GRAVITEE_EMAIL and RUNBOOK_GRAVITEE_PASSWORD"
        )
    return dashboard.wait_until_loaded()
