"""Renew the Gravitee Cloud client certificate: an account token in the UI, then the API.

Follows Gravitee's guide "Cloud Certificate Renewal": sign in, generate an account token in
Settings > Account tokens, and send POST .../certificate/renewcert with it. The reply, a
PKCS#12 keystore in base64, is opened with its password and checked (a key, a certificate
not yet expired) before anything is written; then it replaces --keystore, the previous file
kept beside it as <name>.<UTC time>.bak (mode 0600), and its password goes to --secret-to.
Step C is the tool's own, not the guide's: it revokes the temporary account token
(--keep-account-token keeps it). If the renewal fails, the keystore is not changed and the
token is left for you to revoke; the error names it. Restart the installation afterwards so
that it loads the new keystore.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urljoin, urlsplit

from pages import expect_state
from pages.gravitee import (
    AccountTokensPage,
    GenerateAccountTokenDialog,
    GeneratedTokenDialog,
    SettingsPage,
)
from runbooks import (
    ConfigError,
    DeliveryError,
    Param,
    PortalError,
    Preview,
    Runbook,
    SkipStep,
    Step,
    StepContext,
    TargetError,
    first_line,
)
from runbooks.gravitee._common import preview_sign_in, sign_in_to_gravitee, while_signed_in
from runbooks.gravitee._renewal import PASSWORD, BadReply, read_renewal_reply
from runbooks.keystore import KEEP_BACKUPS, Replacement, check_destination, prune_backups

__all__ = ["RUNBOOK"]

GUIDE = (
    "Gravitee Cloud, Cloud Certificate Renewal: https://documentation.gravitee.io/apim/"
    "hybrid-installation-and-configuration-guides/classic-cloud/cloud-certificate-renewal"
)
TOKEN = "account token"
# Documented: "A total of 10 Account Tokens can be active simultaneously."
MAX_ACCOUNT_TOKENS = 10
WHERE_TOKENS_ARE = "Settings > Account tokens (trash icon)"
#: The renewal endpoint, below the API host ([I] the console's host in the replica).
RENEW_PATH = "/management/accounts/{account}/certificate/renewcert"


def _keystore(params: Mapping[str, Any]) -> Path:
    return Path(str(params["keystore"])).expanduser()


def _check(params: Mapping[str, Any]) -> None:
    if not str(params.get("keystore") or "").strip():
        raise ConfigError("--keystore is empty; name the keystore file to renew")
    check_destination(_keystore(params))
    name = params.get("token_name")
    if name is not None and (not name.strip() or name != name.strip()):
        raise ConfigError("--token-name must not be empty or start or end with a space")


def _token_name(ctx: StepContext) -> str:
    name: str = ctx.facts["account_token_name"]
    return name


def _renewal_failed(ctx: StepContext, what: str) -> NoReturn:
    """Stop the run: the keystore was not touched, and the token is the person's to revoke."""
    raise PortalError(
        f"{what}; the keystore at {_keystore(ctx.params)} was not changed, and the account "
        f"token {_token_name(ctx)!r} is left in {WHERE_TOKENS_ARE} for you to revoke"
    )


# --- the guide's steps ---------------------------------------------------------------------


def _preview_open(ctx: StepContext) -> Preview:
    return Preview(
        "open Settings from the menu, then the Account tokens page, and click Generate "
        "Account Token"
    )


def _preview_generate(ctx: StepContext) -> Preview:
    return Preview(
        f"generate an account token named {ctx.facts.get('account_token_name', '?')}; the "
        "portal shows it once, and the tool reads it and the Example section's URL from the "
        "dialog (it is never printed or written)"
    )


def _endpoint(ctx: StepContext) -> str:
    return str(ctx.facts.get("account_url", "?")).rstrip("/") + "/certificate/renewcert"


def _preview_prepare(ctx: StepContext) -> Preview:
    return Preview(
        f"prepare POST {_endpoint(ctx)} with the account token as the Bearer token. There is "
        "nothing to do in Postman: the tool sends this request itself, in step 5"
    )


def _preview_send(ctx: StepContext) -> Preview:
    path = _keystore(ctx.params)
    where = ctx.destination or "the sink"
    if path.exists():
        replace = (
            f"REPLACE the keystore at {path} with the renewed one once its password has "
            f"reached {where} (the previous file is kept beside it as {path.name}.<UTC "
            f"time>.bak; the {KEEP_BACKUPS} newest backups are kept)"
        )
    else:
        replace = f"write the renewed keystore to {path} once its password has reached {where}"
    return Preview(
        f"send POST {_endpoint(ctx)} (the tool sends it; no Postman), check the reply's "
        f"keystore, then {replace}"
    )


def _open_account_tokens(ctx: StepContext) -> None:
    tokens = SettingsPage(ctx.page).open_from_menu().open_account_tokens()
    names = tokens.token_names()
    if ctx.facts.get("keystore"):
        # Resumed after the renewal was installed: only step C is left, and it
        # revokes the token by the name recorded before it was created.
        raise SkipStep(f"the renewal was done before; step C revokes {_token_name(ctx)}")
    ctx.remember("account_tokens_before", names)
    if ctx.facts.get("account_token") in ("creating", "created"):
        # Resumed: the interrupted attempt's token may be listed (its name was
        # recorded before Generate was clicked), but its value went with the old
        # browser. Step C revokes it; this attempt makes a new one.
        left = [*ctx.facts.get("left_behind", []), _token_name(ctx)]
        ctx.remember("left_behind", [name for name in left if name in names])
    ctx.remember("account_token_name", _choose_name(ctx, names))
    tokens.open_generate_dialog()


def _choose_name(ctx: StepContext, taken: list[str]) -> str:
    """The token's name: --token-name, else `renewcert-<UTC date>` made unique.

    Unique, because step C finds the token to revoke by its name.
    """
    given = ctx.params.get("token_name")
    orphans = ctx.facts.get("left_behind", [])
    if given and given in taken and given not in orphans:
        raise PortalError(
            f"an account token named {given!r} exists already; choose another "
            f"--token-name, or revoke it in {WHERE_TOKENS_ARE}",
            resumable=False,
        )
    if given and given not in taken:
        return str(given)
    # A resumed run whose own orphan holds the name: the next free one after it.
    base = name = str(given) if given else f"renewcert-{ctx.started_at:%Y-%m-%d}"
    number = 2
    while name in taken:
        name = f"{base}-{number}"
        number += 1
    return name


def _unless_renewed(ctx: StepContext) -> None:
    """Skip the step if the renewal is installed: a resumed run has only step C left.

    Even when the run failed before the Generate Token dialog was closed: the
    token it used is step C's to revoke, not one to replace.
    """
    if ctx.facts.get("keystore"):
        raise SkipStep("the renewal was done before this run was resumed")


def _generate(ctx: StepContext) -> None:
    _unless_renewed(ctx)
    dialog = GenerateAccountTokenDialog(ctx.page)
    # Before the click: killed before the dialog shows the token, a resumed run
    # still knows the portal may hold a token of that name, and revokes it.
    ctx.remember("account_token", "creating")
    dialog.generate(_token_name(ctx))
    if dialog.error.is_visible():
        before: list[str] = ctx.facts["account_tokens_before"]
        if len(before) >= MAX_ACCOUNT_TOKENS:
            raise PortalError(
                f"the account has {len(before)} active account tokens ({', '.join(before)}), "
                f"the most Gravitee Cloud allows; revoke one in {WHERE_TOKENS_ARE} and run again"
            )
        raise PortalError(f"Generate was refused: {dialog.error_text()!r}")
    shown = GeneratedTokenDialog(ctx.page).wait_until_open()
    # Its curl command in the Example section holds the token too.
    ctx.secret(shown.token(), TOKEN, element=(shown.token_field, shown.example), deliver=False)
    ctx.remember("account_token", "created")
    # The dialog stays open: the token is read from it again when the request
    # is sent (step 5), so it never has to be kept anywhere else.
    url = shown.example_url()
    parts = urlsplit(url)
    segments = parts.path.strip("/").split("/")
    if len(segments) != 3 or not segments[2]:
        raise PortalError(f"the Example section's URL {url!r} does not name an account")
    if parts.scheme != "https" and urlsplit(ctx.target.url).scheme == "https":
        raise PortalError(f"the Example section's URL {url!r} is not https; not sending a token")
    ctx.remember("account_url", url)
    ctx.remember("account_host", parts.netloc)
    ctx.remember("account_id", segments[2])


def _held_token(ctx: StepContext) -> str:
    """The account token, read again from the Generate Token dialog that still shows it."""
    dialog = GeneratedTokenDialog(ctx.page)
    if not dialog.root.is_visible():
        # After an interruption, or the portal closed the dialog (it ends an expired
        # session at its sign-in): the portal shows a token once. A resume makes a new
        # one (step 2 names this one as left behind, and step C revokes both).
        raise PortalError(
            f"the account token {_token_name(ctx)!r} is no longer on screen, so it cannot be "
            "used; a resume generates a new one and revokes this one (without a resume, "
            f"revoke it in {WHERE_TOKENS_ARE})"
        )
    return dialog.token()


def _prepare_request(ctx: StepContext) -> None:
    _unless_renewed(ctx)
    _held_token(ctx)
    ctx.remember("endpoint", str(ctx.facts["account_url"]).rstrip("/") + "/certificate/renewcert")


def _send(ctx: StepContext) -> None:
    _unless_renewed(ctx)
    token = _held_token(ctx)
    # The request carries the token and the reply the keystore: neither may be
    # traced (step 3 paused tracing already; this keeps it so on its own).
    with ctx.off_the_record():
        body = _post(ctx, str(ctx.facts["endpoint"]), token)
        content, password = _decode(ctx, body)
        _install(ctx, content, password)
    # The renewal is installed and its password delivered: a dialog the portal
    # closed meanwhile (it ends an expired session at its sign-in) needs no Close.
    GeneratedTokenDialog(ctx.page).close_if_open()


def _post(ctx: StepContext, endpoint: str, token: str) -> bytes:
    from playwright.sync_api import Error as PlaywrightError

    try:
        # Outside the browser: no session cookie, so only the Bearer token can
        # authorise it; no redirects (one could carry the token to another host).
        response = ctx.api.post(
            endpoint,
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            fail_on_status_code=False,
            max_redirects=0,
        )
    except PlaywrightError as exc:
        raise TargetError(
            f"cannot reach {endpoint} ({first_line(exc)}); the keystore was not changed, and "
            f"the account token {_token_name(ctx)!r} is left in {WHERE_TOKENS_ARE} "
            "for you to revoke"
        ) from None
    try:
        status, reason, body = response.status, response.status_text, response.body()
    finally:
        response.dispose()
    if status == 401:
        _renewal_failed(ctx, "the renewal API answered 401: it did not accept the account token")
    if status == 403:
        _renewal_failed(
            ctx, "the renewal API answered 403: the token's creator may not renew certificates"
        )
    if status == 404:
        account = f"{ctx.facts['account_id']} at {ctx.facts['account_host']}"
        _renewal_failed(ctx, f"the renewal API answered 404: it knows no account {account}")
    if not 200 <= status < 300:
        _renewal_failed(ctx, f"the renewal API answered {status} {reason}".rstrip())
    return body


def _decode(ctx: StepContext, body: bytes) -> tuple[bytes, str]:
    """The keystore's bytes and password from the reply, checked; nothing is written yet."""
    try:
        reply = read_renewal_reply(
            body, lambda value, label: ctx.secret(value, label, deliver=False)
        )
    except BadReply as exc:
        _renewal_failed(ctx, str(exc))
    if reply.key_password_differs:
        ctx.warn(
            "the reply's keyPassword differs from its storePassword; the keystore opened "
            "with storePassword, which is the password delivered"
        )
    info = reply.certificate
    ctx.remember(
        "certificate",
        {
            "subject": info.subject,
            "issuer": info.issuer,
            "serial": info.serial,
            "not_after": info.not_after.isoformat(),
            "sha256": info.sha256,
            "alias": info.alias,
        },
    )
    return reply.content, reply.password


def _install(ctx: StepContext, content: bytes, password: str) -> None:
    """Keystore and password together: the new file goes into place once its password is out."""
    path = _keystore(ctx.params)
    try:
        replacement = Replacement.prepare(path, content, ctx.started_at)
    except OSError as exc:
        _renewal_failed(ctx, f"could not write the renewed keystore beside it ({exc.strerror})")
    try:
        ctx.deliver(ctx.secret(password, PASSWORD))
    except DeliveryError as exc:
        replacement.discard()
        raise DeliveryError(f"{exc}; the keystore at {path} was not changed") from None
    try:
        replacement.commit()
    except OSError as exc:
        raise DeliveryError(
            f"the keystore password was delivered, but the renewed keystore could not be moved "
            f"into place ({exc.strerror}): move {replacement.staged} to {path} by hand"
        ) from None
    ctx.remember("keystore", str(path))
    ctx.remember("backup", replacement.backup.name if replacement.backup else None)
    # Every renewal leaves a backup: keep the newest few, not one per renewal forever.
    ctx.remember("backups_removed", [p.name for p in prune_backups(path)])


# --- rehearsals (runbook check): nothing is generated, nothing is issued ---------------------


def _rehearse_generate(ctx: StepContext) -> None:
    """The Generate Account Token dialog: a name typed, closed without generating."""
    dialog = GenerateAccountTokenDialog(ctx.page).wait_until_open()
    dialog.name_field.fill(_token_name(ctx))
    expect_state(dialog.generate_button, "the Generate button", "enabled")
    dialog.cancel()
    names = AccountTokensPage(ctx.page).token_names()
    if names != ctx.facts["account_tokens_before"]:
        raise PortalError(
            f"the account tokens changed during the check: {ctx.facts['account_tokens_before']} "
            f"before, {names} now"
        )


def _rehearse_request(ctx: StepContext) -> None:
    """The renewal endpoint exists: it refuses a request with no token (401), issuing nothing."""
    from playwright.sync_api import Error as PlaywrightError

    # The account's id is only shown with a new token; the endpoint refuses a request
    # without one before it looks the account up, so any id proves the route.
    endpoint = urljoin(ctx.target.url, RENEW_PATH.format(account="runbook-check"))
    try:
        response = ctx.api.post(endpoint, fail_on_status_code=False, max_redirects=0)
    except PlaywrightError as exc:
        raise TargetError(
            f"cannot reach the renewal endpoint {endpoint}: {first_line(exc)}"
        ) from None
    status = response.status
    response.dispose()
    if status != 401:
        raise PortalError(
            f"the renewal endpoint {endpoint} answered an unauthenticated POST with {status}, "
            "not the documented refusal 401"
        )
    ctx.note("the renewal endpoint refused an unauthenticated request (401), as documented")


# --- the tool's own step ---------------------------------------------------------------------


def _revoke(ctx: StepContext) -> None:
    name = _token_name(ctx)
    # Loaded afresh, the way step 1 went (a resumed run starts on the Dashboard; the
    # page's address is the replica's, not the guide's): the table the dialog left
    # behind may still be reloading.
    tokens = SettingsPage(ctx.page).open_from_menu().open_account_tokens()
    for orphan in ctx.facts.get("left_behind", []):
        if orphan in tokens.token_names():
            dialog = tokens.token(orphan).open_revoke_dialog()
            dialog.type_name(orphan)
            dialog.revoke()
            tokens.wait_until_gone(orphan)
            ctx.note(f"revoked {orphan}, left behind by the interrupted attempt")
    if ctx.params.get("keep_account_token"):
        ctx.remember("account_token", "kept")
        raise SkipStep(f"--keep-account-token: {name} stays in Settings > Account tokens")
    names = tokens.token_names()
    if name not in names:
        ctx.remember("account_token", "gone before step C")
        raise SkipStep(f"{name} is no longer listed")
    dialog = tokens.token(name).open_revoke_dialog()
    dialog.type_name(name)
    dialog.revoke()
    tokens.wait_until_gone(name)
    ctx.remember("account_token", "revoked")


def _preview_revoke(ctx: StepContext) -> Preview:
    name = _token_name(ctx)
    if ctx.params.get("keep_account_token") and not ctx.facts.get("left_behind"):
        return Preview(f"nothing: --keep-account-token keeps {name}")
    doomed = [*ctx.facts.get("left_behind", [])]
    if not ctx.params.get("keep_account_token"):
        doomed.append(name)
    return Preview(
        f"revoke the account token(s) {', '.join(doomed)} in Settings > Account tokens; "
        "the renewal is done and nothing else uses them",
        word=doomed[0],
        word_is="the account token's name, as the portal's own revoke dialog asks",
    )


def _backup_row(backup: str | None, removed: list[str]) -> str:
    if not backup:
        return "none (no file yet)"
    pruned = f"; removed the oldest: {', '.join(removed)}" if removed else ""
    return f"kept beside it as {backup} (the {KEEP_BACKUPS} newest backups are kept{pruned})"


def _summary(ctx: StepContext) -> list[tuple[str, str]]:
    facts = ctx.facts
    certificate = facts.get("certificate") or {}
    token = f"{facts.get('account_token_name', '?')} {facts.get('account_token', '?')}"
    backup = facts.get("backup")
    not_after = datetime.fromisoformat(certificate["not_after"])
    days = (not_after - datetime.now(UTC)).days
    return [
        ("Keystore", f"{facts.get('keystore', '?')} (PKCS#12, alias {certificate.get('alias')})"),
        ("Previous keystore", _backup_row(backup, facts.get("backups_removed") or [])),
        ("Certificate", str(certificate.get("subject", "?"))),
        ("Serial", str(certificate.get("serial", "?"))),
        ("Not after", f"{not_after:%Y-%m-%d %H:%M:%S} UTC ({days} days from now)"),
        ("Password delivered to", ctx.delivered_to() or "?"),
        ("Account token", token),
        ("Next", "restart the installation so that it loads the new keystore"),
    ]


RUNBOOK = Runbook(
    name="gravitee-cert-renewal",
    portal="gravitee",
    doc=__doc__,
    guide=GUIDE,
    params=(
        Param(
            "keystore",
            "the keystore to renew (PKCS#12); the previous file is kept as <name>.<time>.bak",
            metavar="PATH",
        ),
        Param(
            "token_name",
            "the temporary account token's name (default: renewcert-<UTC date>)",
            required=False,
        ),
        Param("keep_account_token", "keep the account token instead of revoking it", flag=True),
    ),
    steps=(
        Step(
            "1",
            "Log in to your Gravitee Cloud account.",
            sign_in_to_gravitee,
            preview=preview_sign_in,
            cannot_skip="every later step works in the signed-in console",
        ),
        Step(
            "2",
            "Select Settings from the menu, go to the Account tokens page, and then click "
            "Generate Account Token.",
            while_signed_in(_open_account_tokens),
            screen="main",
            preview=_preview_open,
            cannot_skip="it opens the dialog where step 3 generates the account token",
        ),
        Step(
            "3",
            "Give your token a name, and then click Generate. Save both your account token "
            "and the URL from the Example section.",
            while_signed_in(_generate),
            reveals=True,
            rehearse=while_signed_in(_rehearse_generate),
            screen="dialog:Generate Account Token",
            preview=_preview_generate,
            cannot_skip="steps 4 and 5 use the account token it generates",
        ),
        Step(
            "4",
            "In Postman, select POST as the type of HTTP request, and then enter your "
            "endpoint. The endpoint is the URL from your token generation concatenated with "
            "/certificate/renewcert. Under the Authorization header, use the drop-down menu to "
            "select Bearer Token as the Auth Type, and then enter your account token.",
            _prepare_request,
            rehearse=_rehearse_request,
            preview=_preview_prepare,
            cannot_skip="step 5 sends the request it prepares",
        ),
        Step(
            "5",
            "Click Send to renew your certificate. The certificate is returned in base64.",
            while_signed_in(_send),
            conceals=True,
            preview=_preview_send,
            cannot_skip="it is the renewal itself",
        ),
        Step(
            "C",
            "Revoke the temporary account token (Settings > Account tokens, trash icon, type "
            "its name, I understand the consequences, revoke this token).",
            while_signed_in(_revoke),
            destructive=True,
            preview=_preview_revoke,
        ),
    ),
    summary=_summary,
    check_params=_check,
    # One renewal at a time per account: each one replaces the keystore.
    lock_key=lambda params: "certificate renewal",
    # A keystore path a check never writes: it stops before anything is issued.
    check_with=lambda given: {"keystore": str(given["folder"] / "never-written.p12")},
)
