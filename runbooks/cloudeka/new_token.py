"""Create a Cloudeka Service Portal AI personal access token (a Secret API Key).

Follows Cloudeka's guide "Generate new token": from the profile menu to API,
the Token tab, New Token, the Create Token form (Token Name, Expired date),
Confirm, then Copy and Close on the dialog that shows the Secret API Key once.
The key is delivered to `--secret-to` before Close, and proven with one call
to the portal's API. A token that never expires (`--no-expiry`) is a security
decision: it has to be asked for, and the run warns about it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from pages import expect_state
from pages._waits import ControlNotFound
from pages.cloudeka import (
    ApiOverviewPage,
    CreateTokenDialog,
    Notification,
    SecretApiKeyDialog,
    SignInPage,
    TokenTab,
)
from pages.cloudeka.delete_token import delete_token
from runbooks import (
    SIGNED_OUT,
    ConfigError,
    DeliveryError,
    Param,
    PortalError,
    Preview,
    Runbook,
    Secret,
    SkipStep,
    Step,
    StepContext,
)
from runbooks.cloudeka._common import sign_in_to_cloudeka, while_signed_in

__all__ = ["RUNBOOK", "expiry_date"]

GUIDE = (
    "Cloudeka, Generate new token: "
    "https://docs.cloudeka.ai/cloudeka-api-list/how-to-get-token/generate-new-token"
)
KEY = "Secret API Key"
#: The portal's API call that proves a new key works. The vendor documents none: this is
#: the replica's; a portal that answers 404 there gets a warning instead of the check.
CHECK_PATH = "/api/v1/me"
#: The Token Name a nightly check types into the Create Token form (never confirmed).
CHECK_NAME = "runbook-check"

NEVER_WARNING = (
    "the token never expires (--no-expiry): its Secret API Key gives access until someone "
    "deletes the token; prefer --expires YYYY-MM-DD"
)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_NAME = 50
#: An expiry further away than this is, for whoever reviews access, never.
FAR_DAYS = 3653


def expiry_date(text: str, *, today: date | None = None) -> date:
    """`--expires` as a date strictly after today (local time).

    Raises:
        ConfigError: not YYYY-MM-DD, not a real date, or not in the future.
    """
    try:
        day = date.fromisoformat(text) if _ISO_DATE.fullmatch(text) else None
    except ValueError:
        day = None
    if day is None:
        raise ConfigError(f"--expires {text!r} is not a date in the form YYYY-MM-DD")
    now = today or date.today()
    if day <= now:
        raise ConfigError(
            f"--expires {text} is not after today ({now.isoformat()}); "
            "the portal only accepts a future Expired date"
        )
    return day


def _check(params: Mapping[str, Any]) -> None:
    name = str(params.get("name") or "").strip()
    if not name:
        raise ConfigError("--name is empty; give the token the name the token list will show")
    # What the Token Name field takes (its maxlength is 50, as on the sibling sign-in form):
    # longer is cut short by the form, a newline or a control character makes another
    # name, and a bidi override (U+202E) shows a name other than the one created.
    if len(name) > MAX_NAME:
        raise ConfigError(f"--name is {len(name)} characters; the portal takes {MAX_NAME} at most")
    odd = next((c for c in name if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")), None)
    if odd is not None:
        raise ConfigError(
            f"--name holds the invisible or control character U+{ord(odd):04X} "
            f"({unicodedata.name(odd, 'unnamed')}); use visible characters only"
        )
    expires, never = params.get("expires"), bool(params.get("no_expiry"))
    if expires and never:
        raise ConfigError("--expires and --no-expiry exclude each other; give one of them")
    if not expires and not never:
        raise ConfigError(
            "say when the token expires: --expires YYYY-MM-DD, "
            "or --no-expiry for a token that never expires"
        )
    if expires:
        expiry_date(str(expires))


def _check_with(given: Mapping[str, Any]) -> dict[str, Any]:
    """A check fills the form with a name and a date it never confirms."""
    return {"name": CHECK_NAME, "expires": (date.today() + timedelta(days=30)).isoformat()}


def _warnings(params: Mapping[str, Any]) -> list[str]:
    expires = params.get("expires")
    if expires and (expiry_date(str(expires)) - date.today()).days > FAR_DAYS:
        return [
            f"--expires {expires} is more than 10 years away, effectively never: its Secret "
            "API Key gives access until someone deletes the token; prefer a nearer date"
        ]
    return [NEVER_WARNING] if params.get("no_expiry") else []


def _name(ctx: StepContext) -> str:
    return str(ctx.params["name"]).strip()


def _expires(ctx: StepContext) -> date | None:
    expires = ctx.params.get("expires")
    return expiry_date(str(expires)) if expires else None


def _open_api(ctx: StepContext) -> None:
    for warning in _warnings(ctx.params):
        ctx.warn(warning)
    portal = sign_in_to_cloudeka(ctx)
    ctx.remember("signed_in_as", portal.profile_name())
    portal.open_api()


def _select_token_tab(ctx: StepContext) -> None:
    tab = ApiOverviewPage(ctx.page).wait_until_loaded().select_token_tab()
    # The portal may allow two tokens of one name: the new row is the one more than before.
    # Counted once: a resumed run's list may already hold the new token.
    if "rows_named_before" not in ctx.facts:
        ctx.remember("rows_named_before", len(tab.tokens(_name(ctx))))


def _new_token(ctx: StepContext) -> None:
    _resumed_past_the_dialog(ctx)
    _delete_orphans(ctx)
    TokenTab(ctx.page).new_token()


def _delete_orphans(ctx: StepContext) -> None:
    """A resumed run whose attempt made the token but never delivered its key: delete it.

    Nobody holds that key, and the portal refuses a second token of the name.
    The proof it is this run's: Confirm was clicked (journalled before the
    click), nothing was delivered, and the list has more tokens of the name
    than before the run (which held the lock on that name throughout).
    """
    if not ctx.facts.get("confirm_clicked") or ctx.delivered_to() or ctx.on_screen():
        return
    name, tab = _name(ctx), TokenTab(ctx.page)
    before = int(ctx.facts.get("rows_named_before", 0))
    rows = tab.tokens(name)
    orphans = rows[before:]  # the table lists tokens oldest first
    for row in reversed(orphans):
        try:
            delete_token(row)
        except ControlNotFound:
            raise PortalError(
                f"the interrupted attempt made the token {name!r} but its Secret API Key was "
                "never delivered, and the token list offers no delete: delete it in the "
                "portal's token list, then run `runbook resume` again"
            ) from None
        tab.wait_for_count(name, len(rows) - 1)
        rows = tab.tokens(name)
    if orphans:
        ctx.destroyed(f"delete the token {name!r} the interrupted attempt made but never delivered")
        ctx.note(f"deleted the token {name!r} that the interrupted attempt never delivered")
    ctx.remember("confirm_clicked", False)


def _fill_and_confirm(ctx: StepContext) -> None:
    form = CreateTokenDialog(ctx.page).wait_until_open()
    dialog = SecretApiKeyDialog(ctx.page)
    signed_out = SignInPage(ctx.page).heading
    form.fill(_name(ctx), _expires(ctx))
    if form.token_name.input_value() != _name(ctx):  # the field took something else
        raise PortalError(
            f"the Token Name field holds {form.token_name.input_value()!r}, "
            f"not {_name(ctx)!r}; nothing was created"
        )
    # Before the click: a resumed run then knows the portal may hold this token.
    ctx.remember("confirm_clicked", True)
    form.confirm()
    expect_state(
        dialog.root.or_(form.error).or_(signed_out),
        "the dialog box showing the Secret API Key (or the form's error)",
    )
    if signed_out.is_visible():
        raise PortalError(SIGNED_OUT)
    if not dialog.root.is_visible():
        # A name the portal already has, a date it refuses: a resume would meet it again.
        raise PortalError(
            f"the portal refused the token {_name(ctx)!r}: {form.error_text()}", resumable=False
        )
    # Read at once: from here on the run holds the only copy the portal will ever show.
    ctx.secret(dialog.wait_until_open().secret(), KEY, element=dialog.key_field)


def _rehearse_form(ctx: StepContext) -> None:
    """The Create Token form filled, its Expired date proven, closed without Confirm."""
    form = CreateTokenDialog(ctx.page).wait_until_open()
    expires = _expires(ctx)
    form.fill(_name(ctx), expires)
    if expires is not None and not form.expired_date.input_value().strip():
        raise PortalError(f"the Expired date control did not take {expires.isoformat()}")
    expect_state(form.confirm_button, "the Confirm button", "enabled")
    form.cancel()
    tab = TokenTab(ctx.page)
    now = len(tab.tokens(_name(ctx)))
    if now != ctx.facts.get("rows_named_before", 0):
        raise PortalError(f"the token list changed during the check: {now} token(s) named so")


def _preview_token_tab(ctx: StepContext) -> Preview:
    return Preview("select the Token tab", element=ApiOverviewPage(ctx.page).token_tab)


def _preview_new_token(ctx: StepContext) -> Preview:
    return Preview("click New Token", element=TokenTab(ctx.page).new_token_button)


def _preview_confirm(ctx: StepContext) -> Preview:
    expires = _expires(ctx)
    when = f"expiring {expires.isoformat()}" if expires else "that never expires"
    return Preview(
        f"create the token {_name(ctx)!r} {when}; the portal shows its Secret API Key once",
        element=CreateTokenDialog(ctx.page).confirm_button,
    )


def _preview_copy(ctx: StepContext) -> Preview:
    return Preview("copy the Secret API Key", element=SecretApiKeyDialog(ctx.page).copy_button)


def _preview_close(ctx: StepContext) -> Preview:
    where = ctx.destination or "the sink"
    return Preview(
        f"deliver the Secret API Key to {where}, then click Close",
        element=SecretApiKeyDialog(ctx.page).close_button,
    )


def _resumed_past_the_dialog(ctx: StepContext) -> None:
    """A resumed run whose key was delivered before: the token exists, its dialog is gone."""
    if ctx.delivered_to() and ctx.on_screen() is None:
        raise SkipStep("the Secret API Key was delivered before this run was resumed")


def _notification(ctx: StepContext) -> None:
    _resumed_past_the_dialog(ctx)
    notification = Notification(ctx.page)
    # Transient: it may be gone already on a slow machine; the dialog is what matters.
    ctx.remember("notification_seen", notification.root.is_visible())
    SecretApiKeyDialog(ctx.page).wait_until_open()


def _copy(ctx: StepContext) -> None:
    from playwright.sync_api import Error as PlaywrightError

    _resumed_past_the_dialog(ctx)
    dialog = SecretApiKeyDialog(ctx.page)
    key = _shown_key(ctx)
    dialog.copy()
    try:
        # The clipboard is written asynchronously: wait until it holds the key.
        ctx.page.wait_for_function(
            "key => navigator.clipboard.readText().then(text => text.trim() === key)",
            arg=key.reveal(),
        )
    except PlaywrightError:
        raise PortalError(
            "the Secret API Key that Copy put on the clipboard differs from the one shown"
        ) from None


def _shown_key(ctx: StepContext) -> Secret:
    key = ctx.on_screen()
    if key is None:
        raise DeliveryError(f"no {KEY} is on screen")
    return key


def _close(ctx: StepContext) -> None:
    key = _shown_key(ctx)
    ctx.deliver(key)  # before Close: the dialog never shows the key again
    SecretApiKeyDialog(ctx.page).close()
    tab = TokenTab(ctx.page)
    tab.wait_for_count(_name(ctx), ctx.facts["rows_named_before"] + 1)
    _prove(ctx, key.reveal())


def _prove(ctx: StepContext, key: str) -> None:
    """One API call with the new key (not traced: the request carries it)."""
    with ctx.off_the_record():
        reply = ctx.api.get(CHECK_PATH, headers={"Authorization": f"Bearer {key}"})
        status = reply.status
        body = reply.json() if reply.ok else {}
    if status == 404:
        ctx.warn(f"the portal has no {CHECK_PATH}; the new key was not tried with an API call")
        ctx.remember("api_check", "not available")
        return
    if not reply.ok:
        raise PortalError(
            f"the portal refuses the new Secret API Key (GET {CHECK_PATH}: {status}); it was "
            f"delivered to {ctx.delivered_to()}: delete the token and run again"
        )
    who = body.get("email", "?") if isinstance(body, dict) else "?"
    ctx.remember("api_check", f"accepted (GET {CHECK_PATH} answered {status} for {who})")


def _verify(ctx: StepContext) -> None:
    name, expected = _name(ctx), _expires(ctx)
    rows = TokenTab(ctx.page).tokens(name)
    if len(rows) <= ctx.facts.get("rows_named_before", 0):
        raise PortalError(f"the token list table shows no new token named {name!r}")
    row = rows[-1]  # the table lists tokens oldest first
    shown = row.expires()
    if shown != expected:
        want = expected.isoformat() if expected else "never"
        raise PortalError(
            f"the token list shows {name!r} expiring {row.expires_text()!r}, not {want}"
        )
    ctx.remember("created", row.created_text())
    ctx.remember("expires_shown", row.expires_text())


def _summary(ctx: StepContext) -> list[tuple[str, str]]:
    facts = ctx.facts
    expires = _expires(ctx)
    return [
        ("Token", _name(ctx)),
        ("Expires", expires.isoformat() if expires else "never"),
        ("Created", str(facts.get("created", "?"))),
        ("Signed in as", str(facts.get("signed_in_as", "?"))),
        ("Secret API Key delivered to", ctx.delivered_to() or "?"),
        # A resumed run no longer holds the key: it cannot make the call.
        ("API check", str(facts.get("api_check", "not made (the run was resumed)"))),
    ]


RUNBOOK = Runbook(
    name="cloudeka-token",
    portal="cloudeka",
    doc=__doc__,
    guide=GUIDE,
    params=(
        Param("name", "the Token Name, as the token list will show it"),
        Param(
            "expires",
            "the Expired date: the token stops working on that day (after today)",
            required=False,
            metavar="YYYY-MM-DD",
            instead_of="--no-expiry",
        ),
        Param(
            "no_expiry",
            "a token that never expires (instead of --expires)",
            flag=True,
            instead_of="--expires",
        ),
    ),
    steps=(
        Step(
            "1",
            "On the Service Portal AI page, click your profile name in the top-right corner, "
            "then select API.",
            _open_api,
            cannot_skip="every later step works on the API page it opens",
        ),
        Step(
            "2",
            "The system will display the API Overview page → select the Token tab.",
            while_signed_in(_select_token_tab),
            screen="main",
            preview=_preview_token_tab,
            cannot_skip="the New Token button is on the Token tab",
        ),
        Step(
            "3",
            "On the Token page, click the New Token button.",
            while_signed_in(_new_token),
            screen="tabpanel:Token",
            preview=_preview_new_token,
            cannot_skip="it opens the Create Token form of step 4",
        ),
        Step(
            "4",
            "The system will automatically display the Create Token form — fill in the token "
            "details, then click the Confirm button.",
            while_signed_in(_fill_and_confirm),
            reveals=True,
            rehearse=while_signed_in(_rehearse_form),
            screen="dialog:Create Token",
            preview=_preview_confirm,
            cannot_skip="it creates the token that the run is for",
        ),
        Step(
            "5",
            "After completing the token data input, the system will display a notification "
            "saying “Token has been successfully created”, followed by a dialog box showing "
            "the Secret API Key.",
            while_signed_in(_notification),
        ),
        Step(
            "6",
            "Click the Copy button to copy the Secret API Key",
            while_signed_in(_copy),
            preview=_preview_copy,
        ),
        Step(
            "7",
            "Click the Close button when finished. The created token will then appear in the "
            "token list table.",
            while_signed_in(_close),
            conceals=True,
            preview=_preview_close,
            cannot_skip="it delivers the Secret API Key, which the portal never shows again",
        ),
        Step(
            "V",
            "In the token list table, the created token shows its name and Expired date.",
            while_signed_in(_verify),
        ),
    ),
    summary=_summary,
    check_params=_check,
    warnings=_warnings,
    check_with=_check_with,
    # Two runs creating the same token name never run at once.
    lock_key=lambda params: str(params.get("name") or "").strip(),
)
