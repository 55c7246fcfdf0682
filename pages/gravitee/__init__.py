"""Page objects for Gravitee Cloud (screens G0 to G4 of portals.md §1)."""

from pages.gravitee.dashboard import DashboardPage
from pages.gravitee.dialogs import CopyCloudTokenDialog, RevokeCloudTokenDialog
from pages.gravitee.gateway_details import CloudTokenRow, GatewayDetailsPage
from pages.gravitee.sign_in import SignInPage

__all__ = [
    "CloudTokenRow",
    "CopyCloudTokenDialog",
    "DashboardPage",
    "GatewayDetailsPage",
    "RevokeCloudTokenDialog",
    "SignInPage",
]
