"""Revoke a hybrid gateway's Gravitee Cloud token and generate a new one.

Follows Gravitee's guide "Generate a New Cloud Token": sign in, open the
gateway, revoke its Cloud token (the bin icon, type `revoke`), generate a new
one, and deliver it to `--secret-to` before "Copy and Close" closes the only
window that ever shows it. Revoking cuts the gateway's link to the Cloud until
it is restarted with the new token.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from pages.gravitee import DashboardPage, GatewayDetailsPage, RevokeCloudTokenDialog
from pages.gravitee.dialogs import CopyCloudTokenDialog
from runbooks._engine import RunContext, SkipStep
from runbooks._errors import ConfigError, DeliveryError, PortalError
from runbooks._model import Param, Runbook, Step
from runbooks.gravitee._common import sign_in

__all__ = ["RUNBOOK"]

GUIDE = (
    "Gravitee Cloud, Generate a New Cloud Token: https://documentation.gravitee.io/apim/"
    "hybrid-installation-and-configuration-guides/next-gen-cloud/generate-a-new-cloud-token"
)
TOKEN = "Cloud token"


def _check(params: Mapping[str, Any]) -> None:
    if not str(params.get("gateway") or "").strip():
        raise ConfigError("--gateway is empty; name the gateway as the Gateways list shows it")


def _sign_in(ctx: RunContext) -> None:
    sign_in(ctx)


def _open_gateway(ctx: RunContext) -> None:
    name = ctx.params["gateway"]
    dashboard = DashboardPage(ctx.page)
    names = dashboard.gateway_names()
    if name not in names:
        listed = ", ".join(names) or "none"
        raise PortalError(f"no gateway named {name!r} in the Gateways list; gateways: {listed}")
    dashboard.open_gateway(name)


def _go_to_cloud_tokens(ctx: RunContext) -> None:
    rows = GatewayDetailsPage(ctx.page).tokens()
    # Which tokens existed before this run: they are the ones to revoke, and
    # the verification checks that none of them is left.
    ctx.remember("old_tokens_created_at", [row.created_text() for row in rows])


def _click_bin(ctx: RunContext) -> None:
    rows = GatewayDetailsPage(ctx.page).tokens()
    if not rows:
        raise SkipStep("the gateway has no Cloud token to revoke")
    rows[0].open_revoke_dialog()


def _revoke(ctx: RunContext) -> None:
    details = GatewayDetailsPage(ctx.page)
    dialog = RevokeCloudTokenDialog(ctx.page)
    if not dialog.root.is_visible():
        raise SkipStep("nothing to revoke")
    remaining = len(details.tokens())
    while True:
        dialog.type_confirmation()
        dialog.revoke()
        remaining -= 1
        details.wait_for_token_count(remaining)
        if remaining == 0:
            break
        # More than one token: every old token goes, or the old link survives.
        details.tokens()[0].open_revoke_dialog()
    ctx.remember("revoked", len(ctx.facts["old_tokens_created_at"]))


def _generate(ctx: RunContext) -> None:
    dialog = GatewayDetailsPage(ctx.page).generate_cloud_token()
    ctx.mask(dialog.token_field)
    ctx.secret(dialog.token(), TOKEN)


def _copy_and_close(ctx: RunContext) -> None:
    dialog = CopyCloudTokenDialog(ctx.page)
    (token,) = (s for s in ctx.pending if s.label == TOKEN)
    ctx.deliver(token)  # before the only window that shows it closes
    dialog.copy_and_close()
    copied = str(ctx.page.evaluate("navigator.clipboard.readText()")).strip()
    if copied != token.reveal():
        raise DeliveryError(
            "the token copied by Copy and Close differs from the one shown; "
            f"check {ctx.facts['delivered_to']} by hand"
        )
    ctx.remember("token_claims", _claims(token.reveal()))


def _verify(ctx: RunContext) -> None:
    rows = GatewayDetailsPage(ctx.page).tokens()
    # The table may show minutes only: compare to the minute the run started.
    since = ctx.started_at.replace(second=0) - timedelta(minutes=1)
    fresh = [row for row in rows if row.created_at() >= since]
    if not fresh:
        raise PortalError("the Cloud Tokens table shows no token created during this run")
    old = set(ctx.facts.get("old_tokens_created_at", []))
    left = [row.created_text() for row in rows if row.created_text() in old]
    if left:
        raise PortalError(f"old Cloud token still listed (created {', '.join(left)})")
    ctx.remember("new_token_created_at", fresh[-1].created_text())


def _claims(token: str) -> dict[str, str]:
    """The non-secret claims of the JWT that the summary shows (account, region)."""
    try:
        payload = token.split(".")[1]
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return {}
    return {k: str(data[k]) for k in ("accountId", "region") if k in data}


def _summary(ctx: RunContext) -> list[tuple[str, str]]:
    facts = ctx.facts
    claims = facts.get("token_claims") or {}
    rows = [
        ("Gateway", str(ctx.params["gateway"])),
        ("Revoked", f"{facts.get('revoked', 0)} old token(s)"),
        ("New token created", str(facts.get("new_token_created_at", "?"))),
        ("Token delivered to", str(facts.get("delivered_to", "?"))),
    ]
    if claims:
        rows.append(("Token claims", ", ".join(f"{k} {v}" for k, v in claims.items())))
    rows.append(("Next", "restart the gateway with the new token (gravitee_cloud_token)"))
    return rows


RUNBOOK = Runbook(
    name="gravitee-cloud-token",
    portal="gravitee",
    title=__doc__.splitlines()[0] if __doc__ else "",
    guide=GUIDE,
    description=__doc__ or "",
    params=(Param("gateway", "the gateway's name, as the Gateways list shows it"),),
    steps=(
        Step("1", "Sign in to Gravitee Cloud.", _sign_in),
        Step(
            "2",
            "Navigate to the Gateways section, and then click the Gateway for which you want "
            "to generate a new Cloud token.",
            _open_gateway,
        ),
        Step(
            "3",
            "In the Hybrid Gateway Details screen, navigate to the Cloud Tokens section.",
            _go_to_cloud_tokens,
        ),
        Step("4", "Click the bin icon.", _click_bin),
        Step(
            "5",
            "In the Revoke Cloud Token pop-up window, type revoke, and then click Revoke Token. "
            "Your Cloud token is deleted.",
            _revoke,
            destructive=True,
        ),
        Step(
            "6", "In the Cloud Tokens section, click Generate Cloud Token.", _generate, reveals=True
        ),
        Step(
            "7",
            "In the Copy your Cloud Token pop-up window, click Copy and Close.",
            _copy_and_close,
            conceals=True,
        ),
        Step(
            "V",
            "In the Hybrid Gateway Details screen, navigate to the Cloud Tokens section. "
            "The table shows the date and time that you created the Cloud token.",
            _verify,
        ),
    ),
    summary=_summary,
    check_params=_check,
)
