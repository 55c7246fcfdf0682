"""Page objects for Gravitee Cloud (screens G0 to G4 of portals.md §1, C1 to C4 of §2)."""

from pages.gravitee.account_token_dialogs import (
    GenerateAccountTokenDialog,
    GeneratedTokenDialog,
    RevokeAccountTokenDialog,
)
from pages.gravitee.account_tokens import AccountTokenRow, AccountTokensPage
from pages.gravitee.dashboard import DashboardPage
from pages.gravitee.dialogs import CopyCloudTokenDialog, RevokeCloudTokenDialog
from pages.gravitee.gateway_details import CloudTokenRow, GatewayDetailsPage
from pages.gravitee.settings import SettingsPage
from pages.gravitee.sign_in import SignInPage

__all__ = [
    "AccountTokenRow",
    "AccountTokensPage",
    "CloudTokenRow",
    "CopyCloudTokenDialog",
    "DashboardPage",
    "GatewayDetailsPage",
    "GenerateAccountTokenDialog",
    "GeneratedTokenDialog",
    "RevokeAccountTokenDialog",
    "RevokeCloudTokenDialog",
    "SettingsPage",
    "SignInPage",
]
