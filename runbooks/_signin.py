"""One sign-in for every portal: the skeleton, with the vendor's screens plugged in.

Open the portal; if it shows what it shows signed in, done. Otherwise the
saved sign-in (if any) has expired: say so, then sign in with the configured
credentials (tracing paused while they are typed), or let the person do it in
an attended run. A refusal is one line naming the settings to check; a
further challenge (a one-time code) is the vendor's to answer.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from pages import ControlNotFound, expect_state
from runbooks._context import StepContext
from runbooks._errors import PortalError

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

__all__ = ["SIGNED_OUT", "SignInScreens", "sign_in", "sign_in_guard"]

SIGNED_OUT = "the portal signed this run out mid-way (session expired); a resume signs in again"

Action = Callable[[StepContext], None]


class SignInScreens(Protocol):
    """What signing in to one portal looks like, through its page objects."""

    @property
    def signed_in(self) -> Locator:
        """What the portal shows once signed in (the guide's next landmark)."""
        ...

    @property
    def form(self) -> Locator:
        """What shows that the portal asks to sign in."""
        ...

    @property
    def refused(self) -> Locator:
        """What shows that the portal refused the credentials."""
        ...

    @property
    def challenge(self) -> Locator | None:
        """What shows a further question after the password (a one-time code), if any."""
        ...

    def open(self) -> None:
        """Open the portal (signed out, it shows or redirects to its sign-in)."""
        ...

    def submit(self, email: str, password: str) -> None:
        """Fill in and send the sign-in form."""
        ...

    def refusal(self) -> str:
        """The portal's reason for refusing, in its words."""
        ...

    def answer_challenge(self, ctx: StepContext) -> None:
        """Answer the further question (raise `PortalError` if the portal refuses it)."""
        ...

    def wait_until_loaded(self) -> None:
        """Wait until the signed-in landing has loaded."""
        ...

    # Optional: `sign_out(self) -> None` ends the session at the end of a run that
    # signed in with the password (the portals that have one).


def sign_in(ctx: StepContext, screens: SignInScreens) -> None:
    """Sign in to the run's portal, whatever state the browser starts in.

    Raises:
        PortalError: the portal refused the sign-in, a saved sign-in has
            expired with no credentials and nobody to sign in by hand, or the
            page is not the portal at all.
    """
    target = ctx.target
    portal = target.portal
    screens.open()
    try:
        expect_state(screens.signed_in.or_(screens.form), f"{portal.title}'s sign-in or console")
    except AssertionError:
        # Neither screen: not a slow portal but another page (a wrong --target).
        raise PortalError(
            f"the page at {target.url} is not {portal.title}'s sign-in or console: check "
            f"--target or {portal.env_prefix}_URL",
            resumable=False,
        ) from None
    if screens.signed_in.is_visible():
        screens.wait_until_loaded()
        return
    if target.saved is not None:
        saved_at = target.saved.saved_at()
        when = f" on {saved_at:%Y-%m-%d %H:%M} UTC" if saved_at else ""
        ctx.warn(f"the sign-in saved{when} has expired")
    if target.email is None or target.password is None:
        ctx.hand_off(
            "The saved sign-in has expired: sign in in the browser window.",
            otherwise=f"the saved sign-in has expired; run `runbook login {portal.name}` again",
        )
        screens.wait_until_loaded()
        return
    challenge = screens.challenge
    with ctx.off_the_record():  # a trace holds what was typed
        screens.submit(target.email, target.password.reveal())
        outcome = screens.signed_in.or_(screens.refused)
        try:
            expect_state(
                outcome.or_(challenge) if challenge is not None else outcome,
                "the signed-in console, a refusal or a one-time code step",
            )
        except ControlNotFound:
            # A form took the credentials but nothing the portal answers with came: another
            # site's sign-in form (a wrong --target), or a portal slower than RUNBOOK_TIMEOUT.
            raise PortalError(
                f"the page at {target.url} is not {portal.title}'s sign-in or console: it took "
                "the credentials and showed neither the console nor a refusal (check --target "
                f"or {portal.env_prefix}_URL; if it is the portal, it answered slower than "
                "RUNBOOK_TIMEOUT)",
                resumable=False,
            ) from None
    if screens.refused.is_visible():
        raise PortalError(
            f"sign-in refused: {screens.refusal() or 'its message could not be read'} "
            f"(check {portal.env_prefix}_EMAIL and {portal.env_prefix}_PASSWORD)"
        )
    if challenge is not None and challenge.is_visible():
        screens.answer_challenge(ctx)
    screens.wait_until_loaded()
    if getattr(screens, "sign_out", None) is not None:
        # This run opened the session: it ends it, so that its cookie (in a
        # kept trace, a crash dump) opens nothing afterwards. A saved sign-in
        # is the person's: left alone.
        ctx.at_end(lambda: _sign_out(screens))


def _sign_out(screens: SignInScreens) -> None:
    """Back to the signed-in landing, and sign out there; nothing if already signed out."""
    screens.open()
    expect_state(screens.signed_in.or_(screens.form), "the console or its sign-in")
    if screens.signed_in.is_visible():
        screens.sign_out()  # type: ignore[attr-defined]


def sign_in_guard(form: Callable[[Page], Locator]) -> Callable[[Action], Action]:
    """A step wrapper: a step that fails because the portal went back to its sign-in says so.

    A portal sends a browser whose session ended to its sign-in page; the step
    then waits in vain for its own controls. One clear line beats "X did not
    appear".

    Args:
        form: What shows the portal's sign-in on a page (`SignInScreens.form`).
    """

    def wrap(action: Action) -> Action:
        @functools.wraps(action)
        def guarded(ctx: StepContext) -> None:
            from playwright.sync_api import Error as PlaywrightError

            try:
                action(ctx)
            except (PlaywrightError, AssertionError):
                if form(ctx.page).is_visible():
                    raise PortalError(SIGNED_OUT) from None
                raise

        return guarded

    return wrap
