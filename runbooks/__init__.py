"""runbook: credential rotations in vendor portals, by their documented steps.

The public surface is what a runbook definition is made of: `Runbook`,
`Step`, `Param`, `Preview`, the `StepContext` a step's action gets,
`SkipStep`, `Secret`, and the error tree; for a vendor package, `Portal`,
the shared `sign_in` skeleton (`SignInScreens`) and `sign_in_guard` (a step
that fails on the sign-in page says the session ended); and `first_line`, for
saying a Playwright error in one line. The engine, the CLI and the browser
session are private modules; a definition never imports them.
"""

from runbooks._context import StepContext
from runbooks._errors import (
    BrowserError,
    ConfigError,
    DeliveryError,
    KeystoreError,
    PortalError,
    RunbookError,
    SinkError,
    StepFailed,
    TargetError,
    UsageError,
)
from runbooks._failures import first_line
from runbooks._model import Param, Preview, Runbook, SkipStep, Step
from runbooks._portal import Portal
from runbooks._secrets import Secret
from runbooks._signin import SIGNED_OUT, SignInScreens, sign_in, sign_in_guard

__all__ = [
    "BrowserError",
    "ConfigError",
    "DeliveryError",
    "first_line",
    "KeystoreError",
    "Param",
    "Portal",
    "PortalError",
    "Preview",
    "Runbook",
    "RunbookError",
    "Secret",
    "sign_in",
    "sign_in_guard",
    "SIGNED_OUT",
    "SignInScreens",
    "SinkError",
    "SkipStep",
    "Step",
    "StepContext",
    "StepFailed",
    "TargetError",
    "UsageError",
]
