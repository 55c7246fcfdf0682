"""Page objects for Cloudeka Service Portal AI (screens K0 to K6 of portals.md §3)."""

from pages.cloudeka.api_overview import ApiOverviewPage, TokenRow, TokenTab
from pages.cloudeka.dialogs import CreateTokenDialog, Notification, SecretApiKeyDialog
from pages.cloudeka.portal import PortalPage
from pages.cloudeka.sign_in import LoginFailedDialog, OneTimeCodePage, SignInPage

__all__ = [
    "ApiOverviewPage",
    "CreateTokenDialog",
    "LoginFailedDialog",
    "Notification",
    "OneTimeCodePage",
    "PortalPage",
    "SecretApiKeyDialog",
    "SignInPage",
    "TokenRow",
    "TokenTab",
]
