"""Steps shared by the Gravitee Cloud runbooks."""

from __future__ import annotations

from playwright.sync_api import expect

from pages.gravitee import DashboardPage, SignInPage
from runbooks._engine import RunContext
from runbooks._errors import PortalError

__all__ = ["sign_in"]


def sign_in(ctx: RunContext) -> DashboardPage:
    """Open the console; sign in on the sign-in page it redirects to, if it does."""
    dashboard = DashboardPage(ctx.page)
    form = SignInPage(ctx.page)
    dashboard.open()
    expect(dashboard.heading.or_(form.heading)).to_be_visible()
    if form.heading.is_visible():
        with ctx.off_the_record():  # a trace holds what was typed
            form.sign_in(ctx.target.email, ctx.target.password.reveal())
            expect(dashboard.heading.or_(form.error)).to_be_visible()
        if form.error.is_visible():
            message = " ".join(form.error.inner_text().split())
            raise PortalError(
                f"sign-in refused for {ctx.target.email}: {message!r}; "
                "check RUNBOOK_GRAVITEE_EMAIL and RUNBOOK_GRAVITEE_PASSWORD"
            )
    return dashboard.wait_until_loaded()
